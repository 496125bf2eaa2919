"""`inspire serve` and `inspire migrate`: what a deployment runs, configured from the
environment only."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from types import FrameType
from typing import Any

import uvicorn
from fastapi import FastAPI
from prometheus_client import start_http_server

from cli.registry import GATEWAY_GROUP, SERVICES_GROUP, CommandError, Commands, add_command, specs
from kit.api import Shutdown, shutdown_of
from kit.migrations import migrate
from kit.observability import configure_logging
from kit.settings import ConfigurationError, Environment
from kit.tracing import configure_tracing, shutdown_tracing

logger = logging.getLogger("inspire.serve")


class DrainingServer(uvicorn.Server):
    """Uvicorn, stopping in two steps on SIGTERM: `drain_seconds` with readiness failing while
    requests are still taken, then uvicorn's own graceful shutdown (no new connections, those
    in flight given `timeout_graceful_shutdown`). A second signal stops at once."""

    def __init__(self, config: uvicorn.Config, shutdown: Shutdown, drain_seconds: float) -> None:
        super().__init__(config)
        self.stopping = shutdown
        self.drain_seconds = drain_seconds
        self.loop: asyncio.AbstractEventLoop | None = None

    async def serve(self, sockets: Any = None) -> None:
        self.loop = asyncio.get_running_loop()
        await super().serve(sockets)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if sig != signal.SIGTERM or self.stopping.draining or self.loop is None:
            super().handle_exit(sig, frame)
            return
        # Called between two bytecodes of the loop's own thread: the loop is told, not touched.
        # Not recorded as captured: a drained process exits 0 rather than re-raising SIGTERM.
        self.stopping.draining = True
        self.loop.call_soon_threadsafe(self._drain)

    def _drain(self) -> None:
        logger.info("draining: readiness fails, requests still served")
        assert self.loop is not None  # noqa: S101  # set before any signal is handled
        self.loop.call_later(self.drain_seconds, self._close)

    def _close(self) -> None:
        logger.info("shutting down: finishing the requests in flight")
        self.stopping.closing.set()
        self.should_exit = True


def serve(args: argparse.Namespace) -> int:
    """run one service (production)

    Run one service with uvicorn, configured from the environment. Refuses to start (exit 2)
    without its database URL and the signing keys; never falls back to development values.
    """
    [spec] = specs([args.service], SERVICES_GROUP, GATEWAY_GROUP)
    settings = spec.settings()
    try:
        settings.check_ready_to_serve(spec.name, needs_database=spec.has_database)
    except ConfigurationError as exc:
        raise CommandError(
            f"{exc}\nSet them in the environment (see docs/configuration.md); "
            "`./inspire dev` runs a development stack with development values.",
        ) from exc
    port = args.port or spec.dev_port
    # Readable lines in the development stack's terminal; JSON for everything else.
    readable = settings.environment == Environment.DEVELOPMENT
    configure_logging(spec.name, settings.log_level, readable=readable)
    app = spec.create_app(settings)
    start_http_server(args.metrics_port or port + 1000, addr=args.host)
    configure_tracing(spec.name, settings.tracing)
    run_draining(app, settings.drain_seconds, settings.shutdown_timeout_seconds, args.host, port)
    shutdown_tracing()
    return 0


def run_draining(
    app: FastAPI, drain_seconds: float, shutdown_timeout: float, host: str, port: int
) -> None:
    # log_config=None keeps our JSON logging; the request log comes from our middleware.
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        access_log=False,
        log_config=None,
        timeout_graceful_shutdown=max(1, round(shutdown_timeout)),
    )
    DrainingServer(config, shutdown_of(app), drain_seconds).run()


def migrate_databases(args: argparse.Namespace) -> int:
    """bring databases to the latest revision

    Migrate the named services' databases (all when none is named) to the latest revision,
    using INSPIRE_<SERVICE>_DATABASE_URL. Idempotent, and safe to run from several processes
    at once.
    """
    chosen = specs(args.services, SERVICES_GROUP)
    urls = {spec.name: spec.settings().database_url for spec in chosen}
    if missing := [f"INSPIRE_{name.upper()}_DATABASE_URL" for name, url in urls.items() if not url]:
        raise CommandError(f"missing configuration: {', '.join(missing)}")
    for spec in chosen:
        asyncio.run(migrate(spec, str(urls[spec.name])))
        print(f"{spec.name}: database at the latest revision", flush=True)
    return 0


def add_commands(commands: Commands) -> None:
    sub = add_command(commands, "serve", serve)
    sub.add_argument("service", metavar="SERVICE", help="a service name, e.g. people")
    sub.add_argument(
        "--host",
        default="0.0.0.0",  # noqa: S104  # in a container, the service listens on all interfaces
        help="address to listen on (default: %(default)s)",
    )
    sub.add_argument("--port", type=int, help="HTTP port (default: the service's development port)")
    sub.add_argument(
        "--metrics-port", type=int, help="Prometheus /metrics port (default: the HTTP port + 1000)"
    )

    sub = add_command(commands, "migrate", migrate_databases)
    sub.add_argument("services", nargs="*", metavar="SERVICE")
