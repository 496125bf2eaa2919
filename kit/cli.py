"""The `inspire` command: serve and migrate a service in production, and, in a checkout, run
the development stack, mint development tokens and run the whole test suite."""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import UTC
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

import uvicorn
from prometheus_client import start_http_server
from pydantic import SecretStr, ValidationError
from pydantic_settings import SettingsError

from kit import devstack
from kit.api import ServiceSpec
from kit.auth import ROLE_CLAIM, mint_token
from kit.consumer import ParkedEvent, await_retry, list_parked, request_retry
from kit.db import Database
from kit.migrations import migrate
from kit.observability import configure_logging
from kit.settings import AuthSettings, ConfigurationError, Environment

SERVICES_GROUP = "inspire.services"
# The GraphQL gateway registers itself here; `serve` and `dev` run it beside the services.
GATEWAY_GROUP = "inspire.gateway"
DEMO_GROUP = "inspire.demo"
# Exit code of pytest when it collected nothing: a suite that tests nothing fails.
PYTEST_NO_TESTS = 5


class CommandError(Exception):
    """What the user must fix before the command can run; printed without a traceback."""


def _entry_points(group: str) -> dict[str, EntryPoint]:
    return {entry.name: entry for entry in entry_points(group=group)}


def _load(entry: EntryPoint) -> ServiceSpec:
    spec = entry.load()
    if not isinstance(spec, ServiceSpec):
        raise CommandError(f"entry point {entry.name} = {entry.value} is not a kit.api.ServiceSpec")
    return spec


def _specs(names: Sequence[str], *groups: str) -> list[ServiceSpec]:
    """The named specs from `groups`, or all of them when no name is given."""
    known = {name: entry for group in groups for name, entry in _entry_points(group).items()}
    if unknown := [name for name in names if name not in known]:
        choices = ", ".join(sorted(known)) or "none is installed"
        raise CommandError(f"unknown service {', '.join(unknown)} (known: {choices})")
    return [_load(known[name]) for name in (names or sorted(known))]


def _serve(args: argparse.Namespace) -> int:
    [spec] = _specs([args.service], SERVICES_GROUP, GATEWAY_GROUP)
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


def _migrate(args: argparse.Namespace) -> int:
    specs = _specs(args.services, SERVICES_GROUP)
    urls = {spec.name: spec.settings().database_url for spec in specs}
    if missing := [f"INSPIRE_{name.upper()}_DATABASE_URL" for name, url in urls.items() if not url]:
        raise CommandError(f"missing configuration: {', '.join(missing)}")
    for spec in specs:
        asyncio.run(migrate(spec, str(urls[spec.name])))
        print(f"{spec.name}: database at the latest revision", flush=True)
    return 0


def _database_of(service: str) -> Database:
    [spec] = _specs([service], SERVICES_GROUP)
    url = spec.settings().database_url
    if not url:
        raise CommandError(f"missing configuration: INSPIRE_{spec.name.upper()}_DATABASE_URL")
    return Database(url, pool_size=1)


def _describe(row: ParkedEvent) -> str:
    entity = f"  {row.entity}" if row.entity else ""
    parked_at = row.parked_at.astimezone(UTC)
    return (
        f"{row.consumer}  {row.feed} #{row.position}  {row.event_type}  event {row.event_id}"
        f"{entity}\n    {row.attempts} attempts, parked {parked_at:%Y-%m-%d %H:%M}Z: {row.error}"
    )


def _parked(args: argparse.Namespace) -> int:
    async def run() -> list[ParkedEvent]:
        database = _database_of(args.service)
        try:
            return await list_parked(database, args.consumer)
        finally:
            await database.dispose()

    rows = asyncio.run(run())
    if not rows:
        print(f"{args.service}: no parked events")
        return 0
    print(f"{args.service}: {len(rows)} parked event(s), oldest first")
    for row in rows:
        print(f"  {_describe(row)}")
    return 0


def _retry(args: argparse.Namespace) -> int:
    async def run() -> int:
        database = _database_of(args.service)
        try:
            requested = await request_retry(database, args.consumer)
            if not requested:
                print(f"{args.service}: no parked events")
                return 0
            print(
                f"{args.service}: asked its consumers to replay {len(requested)} parked "
                f"event(s); waiting up to {args.wait:g} s",
                flush=True,
            )
            outcome = await await_retry(database, requested, args.wait)
        finally:
            await database.dispose()
        for row in outcome.replayed:
            print(f"  replayed: {row.consumer}  {row.feed} #{row.position}  {row.event_type}")
        for row in outcome.still_parked:
            print(f"  still parked: {_describe(row)}")
        if outcome.pending:
            print(
                f"  {len(outcome.pending)} not tried yet: is {args.service} running? Its "
                "consumers replay them when they next read their feed.",
            )
        return 0 if not outcome.still_parked and not outcome.pending else 1

    return asyncio.run(run())


def _token(args: argparse.Namespace) -> int:
    auth = AuthSettings()
    if auth.jwt_secret is None:
        keys = devstack.read_dev_keys()
        if keys is None:
            raise CommandError(
                "no signing key: run `./inspire dev` once (it writes .inspire/dev-keys.json)"
                " or set INSPIRE_AUTH_JWT_SECRET",
            )
        auth = auth.model_copy(update={"jwt_secret": SecretStr(keys.jwt_secret)})
    if args.scope and not args.integration:
        raise CommandError("--scope is for integration tokens: add --integration")
    if args.integration:
        claims = {"sub": args.subject, ROLE_CLAIM: "integration", "scope": " ".join(args.scope)}
    else:
        claims = {"sub": args.subject, "email": args.subject}
    print(mint_token(auth, claims=claims, ttl_seconds=args.ttl))
    return 0


def _dev(args: argparse.Namespace) -> int:
    demos = [] if args.no_demo else list(_entry_points(DEMO_GROUP).values())
    demo: devstack.DemoLoader | None = demos[0].load() if demos else None
    return devstack.run(_specs([], SERVICES_GROUP), _specs([], GATEWAY_GROUP), demo)


def _test(args: argparse.Namespace) -> int:
    tools = Path(sys.executable).parent
    steps = [
        ("ruff check .", [sys.executable, "-m", "ruff", "check", "."]),
        ("mypy", [sys.executable, "-m", "mypy"]),
        ("lint-imports", [str(tools / "lint-imports"), "--no-cache"]),
        (
            " ".join(["pytest", *args.pytest_args]),
            [sys.executable, "-m", "pytest", *args.pytest_args],
        ),
    ]
    failed = []
    for name, command in steps:
        print(f"\n==> {name}", flush=True)
        code = subprocess.call(command, cwd=devstack.ROOT)  # noqa: S603  # our own tools
        if code == PYTEST_NO_TESTS and name.startswith("pytest"):
            failed.append(f"{name} (no tests collected)")
        elif code != 0:
            failed.append(name)
    if failed:
        print(f"\ninspire test: FAILED: {'; '.join(failed)}", file=sys.stderr)
        return 1
    print("\ninspire test: all passed")
    return 0


def _bench(args: argparse.Namespace) -> int:
    # The bench lives beside the kit (bench/), which never imports it: run it as a module.
    command = [sys.executable, "-m", "bench", *args.bench_args]
    return subprocess.call(command, cwd=devstack.ROOT)  # noqa: S603  # our own tool


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inspire",
        description="Inspire: continuous performance management. Configuration comes from "
        "INSPIRE_* environment variables (docs/configuration.md).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str, run: Callable[[argparse.Namespace], int], summary: str, description: str
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=summary, description=description)
        sub.set_defaults(run=run)
        return sub

    serve = command(
        "serve",
        _serve,
        "run one service (production)",
        "Run one service with uvicorn, configured from the environment. Refuses to start "
        "(exit 2) without its database URL and the signing keys; never falls back to "
        "development values.",
    )
    serve.add_argument("service", metavar="SERVICE", help="a service name, e.g. people")
    serve.add_argument(
        "--host",
        default="0.0.0.0",  # noqa: S104  # in a container, the service listens on all interfaces
        help="address to listen on (default: %(default)s)",
    )
    serve.add_argument(
        "--port", type=int, help="HTTP port (default: the service's development port)"
    )
    serve.add_argument(
        "--metrics-port", type=int, help="Prometheus /metrics port (default: the HTTP port + 1000)"
    )

    migrate = command(
        "migrate",
        _migrate,
        "bring databases to the latest revision",
        "Migrate the named services' databases (all when none is named) to the latest "
        "revision, using INSPIRE_<SERVICE>_DATABASE_URL. Idempotent, and safe to run from "
        "several processes at once.",
    )
    migrate.add_argument("services", nargs="*", metavar="SERVICE")

    consumer = commands.add_parser(
        "consumer",
        help="list and replay parked events",
        description="A consumer parks an event of another service's feed when its handler "
        "fails every attempt, and moves on; the events of the same person or team wait "
        "behind it. These commands read INSPIRE_<SERVICE>_DATABASE_URL.",
    )
    consumer_commands = consumer.add_subparsers(
        dest="consumer_command", required=True, metavar="COMMAND"
    )
    parked = consumer_commands.add_parser(
        "parked",
        help="list a service's parked events",
        description="List the events SERVICE's consumers have parked, oldest first, with why.",
    )
    parked.set_defaults(run=_parked)
    retry = consumer_commands.add_parser(
        "retry",
        help="replay a service's parked events",
        description="Ask SERVICE's running consumers to replay their parked events, oldest "
        "first (a parked event leaves the list when it succeeds), and wait for the outcome. "
        "Exit 1 when some are still parked or were not tried in time.",
    )
    retry.set_defaults(run=_retry)
    retry.add_argument(
        "--wait",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="how long to wait for the outcome (default: %(default)s)",
    )
    for sub in (parked, retry):
        sub.add_argument("service", metavar="SERVICE", help="a service name, e.g. goals")
        sub.add_argument("--consumer", metavar="NAME", help="only this consumer, e.g. org-copy")

    token = command(
        "token",
        _token,
        "print a development token",
        "Print an HS256 token signed with INSPIRE_AUTH_JWT_SECRET, or else with the key "
        "`./inspire dev` keeps in .inspire/dev-keys.json. A person's token names them by "
        "email; what they may do comes from the people directory, not from the token.",
    )
    token.add_argument(
        "subject", metavar="EMAIL", help="the person's email, or the integration's name"
    )
    token.add_argument(
        "--integration", action="store_true", help="an integration's token (no person)"
    )
    token.add_argument(
        "--scope",
        action="append",
        default=[],
        metavar="S",
        help="an integration scope (repeatable)",
    )
    token.add_argument(
        "--ttl", type=int, default=3600, metavar="SECONDS", help="lifetime (default: %(default)s)"
    )

    dev = command(
        "dev",
        _dev,
        "run the whole stack for development",
        "Run every service on an embedded PostgreSQL kept in .inspire/dev-pg, with development "
        "keys kept in .inspire/dev-keys.json: create and migrate each database, start each "
        "service as its own process, wait until each is ready, load the demo organisation "
        "(first run only) and print the URLs, with a GraphiQL link signed in as a demo person. "
        "Ctrl-C stops the services, then the database.",
    )
    dev.add_argument("--no-demo", action="store_true", help="do not load the demo organisation")

    tests = command(
        "test",
        _test,
        "run the whole test suite",
        "Run ruff, mypy, the import contracts and pytest; exit non-zero if any fails. "
        "PostgreSQL: INSPIRE_TEST_DATABASE_URL, else the server on 127.0.0.1:5432, else an "
        "embedded one in .inspire/test-pg.",
    )
    tests.add_argument(
        "pytest_args", nargs="*", metavar="PYTEST-ARGS", help="passed to pytest as they are"
    )
    bench = command(
        "bench",
        _bench,
        "measure the stack against its physical limit",
        "Run the benchmark (bench/README.md); `inspire bench --help` lists its options.",
    )
    bench.add_argument("bench_args", nargs="*", metavar="BENCH-ARGS", help="passed to the bench")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Everything after `test` is pytest's, options included; argparse would claim them.
    pytest_args: list[str] = []
    if argv[:1] == ["test"] and argv[1:2] not in (["-h"], ["--help"]):
        argv, pytest_args = argv[:1], argv[1:]
    # Everything after `bench` is the bench's, `--help` included.
    bench_args = argv[1:] if argv[:1] == ["bench"] else []
    args = build_parser().parse_args(argv[:1] if bench_args else argv)
    if args.command == "test":
        args.pytest_args = pytest_args
    if args.command == "bench":
        args.bench_args = bench_args
    try:
        code: int = args.run(args)
    except CommandError as exc:
        print(f"inspire {args.command}: {exc}", file=sys.stderr)
        return 2
    except (ValidationError, SettingsError) as exc:
        print(f"inspire {args.command}: invalid configuration\n{exc}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())
