"""`inspire serve` and `inspire migrate`: what a deployment runs, configured from the
environment only."""

from __future__ import annotations

import argparse
import asyncio

import uvicorn
from prometheus_client import start_http_server

from cli.registry import GATEWAY_GROUP, SERVICES_GROUP, CommandError, Commands, add_command, specs
from kit.migrations import migrate
from kit.observability import configure_logging
from kit.settings import ConfigurationError, Environment


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
    # log_config=None keeps our JSON logging; the request log comes from our middleware.
    # Long-polls of the event feed would otherwise hold a shutdown for their whole wait;
    # consumers reconnect to another replica.
    uvicorn.run(
        app,
        host=args.host,
        port=port,
        access_log=False,
        log_config=None,
        timeout_graceful_shutdown=5,
    )
    return 0


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
