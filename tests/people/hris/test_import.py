"""`inspire import people FILE.csv`, run as the command it is, against a real database."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlmodel import col, select

from kit.db import Database
from services.people.hris.models import HrisSync
from services.people.models import Person
from tests.support import ROOT, clean_env

ROSTER = """external_id,email,name,title,manager_external_id,status
E1,ada@example.com,Ada Lovelace,CTO,,active
E2,grace@example.com,Grace Hopper,Engineer,E1,
E3,not-an-email,Broken Row,Engineer,E1,
E4,alan@example.com,Alan Turing,Engineer,E9,
,nobody@example.com,No Id,,,
E5,edsger@example.com,Edsger Dijkstra,,E2,
"""


def run_import(path: Path, url: str, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  # our own command
        [sys.executable, "-m", "cli", "import", "people", str(path), "--source", "hris", *flags],
        env=clean_env(INSPIRE_PEOPLE_DATABASE_URL=url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def people_and_reports(url: str) -> tuple[dict[str, Person], list[HrisSync]]:
    database = Database(url, pool_size=1)
    try:
        async with database.sessionmaker() as session:
            people = (await session.exec(select(Person))).all()
            syncs = (await session.exec(select(HrisSync).order_by(col(HrisSync.created_at)))).all()
    finally:
        await database.dispose()
    return {person.external_id or "": person for person in people}, list(syncs)


async def test_a_csv_with_broken_rows_is_applied_with_warnings(
    fresh_database: Callable[[str], Awaitable[str]], tmp_path: Path
) -> None:
    url = await fresh_database("people")
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)

    dry = run_import(roster, url)
    after_dry, _ = await people_and_reports(url)
    applied = run_import(roster, url, "--apply")
    people, reports = await people_and_reports(url)

    assert dry.returncode == 0, dry.stderr
    assert "dry run: nothing changed" in dry.stdout
    assert after_dry == {}
    assert applied.returncode == 0, applied.stderr
    assert "sync" in applied.stdout
    assert "applied (4 create" in applied.stdout
    assert "warning, row 3 email" in applied.stdout
    assert "warning, row 4 manager_external_id" in applied.stdout
    assert "warning, row 5 external_id" in applied.stdout
    assert sorted(people) == ["E1", "E2", "E4", "E5"]
    assert people["E2"].manager_id == people["E1"].id
    assert people["E5"].manager_id == people["E2"].id
    assert people["E4"].manager_id is None
    assert [report.outcome for report in reports] == ["dry_run", "applied"]
    assert reports[1].requested_by_integration == "csv:roster.csv"


async def test_a_refused_import_exits_non_zero_and_changes_nothing(
    fresh_database: Callable[[str], Awaitable[str]], tmp_path: Path
) -> None:
    url = await fresh_database("people")
    full = tmp_path / "full.csv"
    full.write_text(
        "external_id,email,name\n"
        + "".join(f"E{n},e{n}@example.com,Person {n}\n" for n in range(5))
    )
    partial = tmp_path / "partial.csv"
    partial.write_text("external_id,email,name\nE0,e0@example.com,Person 0\n")
    assert run_import(full, url, "--apply").returncode == 0

    refused = run_import(partial, url, "--apply")
    people, _ = await people_and_reports(url)

    assert refused.returncode == 1
    assert "too_many_deactivations" in refused.stdout
    assert {person.status for person in people.values()} == {"active"}


def test_an_unknown_column_is_named(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("external_id,email,salary\nE1,a@example.com,100\n")

    result = run_import(roster, "postgresql://postgres@127.0.0.1/unused")

    assert result.returncode != 0
    assert "unknown: salary" in result.stderr
