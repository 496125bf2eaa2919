"""`inspire import people FILE.csv`: a roster exported by an HRIS, synced like
`POST /v1/hris/sync` (dry run unless `--apply`), in process against the people database."""

from __future__ import annotations

import argparse
import asyncio
import csv
import sys
from pathlib import Path
from typing import TextIO

from pydantic import JsonValue

from cli.registry import CommandError, Commands, add_command
from kit.db import Database
from services.people.config import PeopleSettings
from services.people.hris.schemas import RosterSync, SyncOutcome, SyncRead
from services.people.hris.service import integration_actor
from services.people.hris.sync import sync_roster

COLUMNS = (
    "external_id",
    "email",
    "name",
    "title",
    "employee_number",
    "manager_external_id",
    "status",
    "locale",
    "time_zone",
)


def read_roster(file: TextIO) -> list[JsonValue]:
    """Rows of a CSV with a header of `COLUMNS` (any order, `external_id` required); an empty
    cell is a field not given (it keeps what the directory has)."""
    reader = csv.DictReader(file)
    header = [name.strip() for name in reader.fieldnames or []]
    unknown = [name for name in header if name not in COLUMNS]
    if "external_id" not in header or unknown:
        raise CommandError(
            f"the header names {', '.join(COLUMNS)} (external_id required); "
            f"unknown: {', '.join(unknown) or 'none'}"
        )
    reader.fieldnames = header
    return [
        {key: value.strip() for key, value in row.items() if key and value and value.strip()}
        for row in reader
    ]


class _Progress:
    """`applying 120/2000` on one line of a terminal; silent when piped."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.live = out.isatty()

    def __call__(self, done: int, total: int) -> None:
        if self.live and (done == total or done % 25 == 0):
            self.out.write(f"\r  checking rows: {done}/{total}")
            self.out.flush()
            if done == total:
                self.out.write("\n")


def print_report(report: SyncRead) -> None:
    counts = ", ".join(f"{count} {action}" for action, count in report.counts.items())
    print(f"sync {report.id} of source {report.source}: {report.outcome.value} ({counts})")
    for refusal in report.refusals:
        print(f"  refused: {refusal.message} (limit {refusal.limit:.0%}) [{refusal.code}]")
    for change in report.changes:
        if change.action == "unchanged":
            continue
        fields = "; ".join(
            f"{item.field}: {item.old!r} -> {item.new!r}"
            + (" (overwrites a local edit)" if item.overwrites_local_edit else "")
            for item in change.changes
        )
        print(f"  {change.action.value} {change.external_id}" + (f": {fields}" if fields else ""))
    for warning in report.warnings:
        where = f"row {warning.row}" if warning.row is not None else warning.external_id
        field = f" {warning.field}" if warning.field else ""
        print(f"  warning, {where}{field}: {warning.message} [{warning.code}]")
    if report.outcome == SyncOutcome.DRY_RUN:
        print("dry run: nothing changed; run again with --apply to apply")
    elif report.outcome == SyncOutcome.REFUSED:
        print("refused: nothing changed; check the roster, or run again with --force")


def import_people(args: argparse.Namespace) -> int:
    """sync people from an HRIS roster export (CSV)

    Compare FILE (a CSV with the header external_id, email, name, title, employee_number,
    manager_external_id, status, locale, time_zone; external_id required, empty cells left
    alone) with the people of SOURCE, print the report and keep it (GET /v1/hris/syncs). A
    dry run unless --apply; the guards of POST /v1/hris/sync apply unless --force. Exit 1 when
    refused. Reads INSPIRE_PEOPLE_DATABASE_URL.
    """
    path = Path(args.file)
    try:
        with path.open(newline="", encoding="utf-8-sig") as file:
            people = read_roster(file)
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
    settings = PeopleSettings()
    if not settings.database_url:
        raise CommandError("missing configuration: INSPIRE_PEOPLE_DATABASE_URL")
    request = RosterSync(source=args.source, people=people, apply=args.apply, force=args.force)
    print(f"{path.name}: {len(people)} rows for source {args.source}", flush=True)

    async def run() -> SyncRead:
        database = Database(settings.database_url or "", pool_size=1)
        try:
            async with database.sessionmaker() as session:
                report = await sync_roster(
                    session,
                    integration_actor(f"csv:{path.name}"),
                    settings.hris,
                    request,
                    _Progress(sys.stderr),
                )
                await session.commit()
                return report
        finally:
            await database.dispose()

    report = asyncio.run(run())
    print_report(report)
    return 1 if report.outcome == SyncOutcome.REFUSED else 0


def add_commands(commands: Commands) -> None:
    importing = commands.add_parser(
        "import",
        help="import data from files",
        description="Bring data exported elsewhere into Inspire.",
    )
    kinds = importing.add_subparsers(dest="import_command", required=True, metavar="WHAT")
    people = add_command(kinds, "people", import_people)
    people.add_argument("file", metavar="FILE.csv", help="the roster export")
    people.add_argument(
        "--source",
        default="hris",
        help="the source the people are kept under (default: %(default)s)",
    )
    people.add_argument("--apply", action="store_true", help="apply the changes")
    people.add_argument("--force", action="store_true", help="apply even past a guard")
