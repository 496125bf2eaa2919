"""`inspire worker`: the webhooks dispatcher, as a deployment runs it."""

from __future__ import annotations

import argparse
import asyncio
import signal

from prometheus_client import start_http_server

from cli.registry import CommandError, Commands, add_command
from kit.observability import configure_logging
from kit.settings import ConfigurationError, Environment
from services.webhooks import worker as dispatcher
from services.webhooks.config import WebhooksSettings

DEFAULT_PORT = 8015


def worker(args: argparse.Namespace) -> int:
    """deliver webhooks (production)

    Run a webhooks dispatcher on INSPIRE_WEBHOOKS_DATABASE_URL: claim due deliveries, make
    them, record each outcome. Replicas share the work. Its port serves /healthz and /readyz,
    the port + 1000 Prometheus /metrics. On SIGTERM it claims nothing more, lets the attempts
    in flight finish (INSPIRE_WEBHOOKS_DISPATCH_GRACE_SECONDS) and releases the others.
    """
    settings = WebhooksSettings()
    if not settings.database_url:
        raise CommandError("missing configuration: INSPIRE_WEBHOOKS_DATABASE_URL")
    try:
        settings.vault_keys()
    except ConfigurationError as exc:
        hint = "Set them in the environment (see docs/configuration.md)."
        raise CommandError(f"{exc}\n{hint}") from exc
    readable = settings.environment == Environment.DEVELOPMENT
    configure_logging("webhooks-dispatcher", settings.log_level, readable=readable)
    start_http_server(args.metrics_port or args.port + 1000, addr=args.host)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await dispatcher.run(settings, stop, host=args.host, port=args.port)

    asyncio.run(run())
    return 0


def add_commands(commands: Commands) -> None:
    sub = add_command(commands, "worker", worker)
    sub.add_argument(
        "--host",
        default="0.0.0.0",  # noqa: S104  # in a container, the probes listen on all interfaces
        help="address of the probes and metrics (default: %(default)s)",
    )
    sub.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help="/healthz and /readyz port (default: %(default)s)",
    )
    sub.add_argument(
        "--metrics-port", type=int, help="Prometheus /metrics port (default: the port + 1000)"
    )
