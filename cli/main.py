"""The `inspire` command: serve and migrate a service in production, and, in a checkout, run
the development stack, mint development tokens and run the whole test suite."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pydantic import ValidationError
from pydantic_settings import SettingsError

from cli import consumers, development, eventsdoc, hris, production, worker
from cli.registry import CommandError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inspire",
        description="Inspire: continuous performance management. Configuration comes from "
        "INSPIRE_* environment variables (docs/configuration.md).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    production.add_commands(commands)
    worker.add_commands(commands)
    consumers.add_commands(commands)
    development.add_commands(commands)
    eventsdoc.add_commands(commands)
    hris.add_commands(commands)
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
