"""`inspire token|dev|test|bench`: what a checkout runs, with development keys and databases."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from pydantic import SecretStr

from cli import devstack
from cli.registry import (
    DEMO_GROUP,
    GATEWAY_GROUP,
    SERVICES_GROUP,
    CommandError,
    Commands,
    add_command,
    entry_points_of,
    specs,
)
from kit.auth import ROLE_CLAIM, mint_token
from kit.settings import AuthSettings

# Exit code of pytest when it collected nothing: a suite that tests nothing fails.
PYTEST_NO_TESTS = 5


def token(args: argparse.Namespace) -> int:
    """print a development token

    Print an HS256 token signed with INSPIRE_AUTH_JWT_SECRET, or else with the key
    `./inspire dev` keeps in .inspire/dev-keys.json. A person's token names them by email; what
    they may do comes from the people directory, not from the token.
    """
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


def dev(args: argparse.Namespace) -> int:
    """run the whole stack for development

    Run every service on an embedded PostgreSQL kept in .inspire/dev-pg, with development keys
    kept in .inspire/dev-keys.json: create and migrate each database, start each service as its
    own process, wait until each is ready, load the demo organisation (first run only) and print
    the URLs, with a GraphiQL link signed in as a demo person. Ctrl-C stops the services, then
    the database.
    """
    demos = [] if args.no_demo else list(entry_points_of(DEMO_GROUP).values())
    demo: devstack.DemoLoader | None = demos[0].load() if demos else None
    return devstack.run(specs([], SERVICES_GROUP), specs([], GATEWAY_GROUP), demo)


def test(args: argparse.Namespace) -> int:
    """run the whole test suite

    Run ruff, mypy, the import contracts and pytest; exit non-zero if any fails. PostgreSQL:
    INSPIRE_TEST_DATABASE_URL, else the server on 127.0.0.1:5432, else an embedded one in
    .inspire/test-pg.
    """
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


def bench(args: argparse.Namespace) -> int:
    """measure the stack against its physical limit

    Run the benchmark (bench/README.md); `inspire bench --help` lists its options.
    """
    # The bench lives beside the command (bench/), which never imports it: run it as a module.
    command = [sys.executable, "-m", "bench", *args.bench_args]
    return subprocess.call(command, cwd=devstack.ROOT)  # noqa: S603  # our own tool


def add_commands(commands: Commands) -> None:
    sub = add_command(commands, "token", token)
    sub.add_argument(
        "subject", metavar="EMAIL", help="the person's email, or the integration's name"
    )
    sub.add_argument(
        "--integration", action="store_true", help="an integration's token (no person)"
    )
    sub.add_argument(
        "--scope",
        action="append",
        default=[],
        metavar="S",
        help="an integration scope (repeatable)",
    )
    sub.add_argument(
        "--ttl", type=int, default=3600, metavar="SECONDS", help="lifetime (default: %(default)s)"
    )

    sub = add_command(commands, "dev", dev)
    sub.add_argument("--no-demo", action="store_true", help="do not load the demo organisation")

    sub = add_command(commands, "test", test)
    sub.add_argument(
        "pytest_args", nargs="*", metavar="PYTEST-ARGS", help="passed to pytest as they are"
    )

    sub = add_command(commands, "bench", bench)
    sub.add_argument("bench_args", nargs="*", metavar="BENCH-ARGS", help="passed to the bench")
