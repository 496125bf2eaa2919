"""The kit's repository base, on the toy service's tables and the org copy: rows by key, in the
order asked, saved and deleted, a PATCH applied, and the walks through the reporting lines."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit import orgcopy
from kit.db import Database
from kit.models import new_id
from kit.orgcopy import OrgMembership, OrgPerson
from kit.repository import (
    apply_patch,
    by_ids,
    changed,
    delete,
    get,
    keyed_by_id,
    save,
)
from tests.kit.toy import Note


@pytest.fixture
async def session(toy_db: Database) -> AsyncIterator[AsyncSession]:
    async with toy_db.sessionmaker() as session:
        yield session


async def _notes(session: AsyncSession, *titles: str) -> list[Note]:
    notes = [Note(title=title) for title in titles]
    await save(session, *notes)
    return notes


def _person(manager: OrgPerson | None = None, *, name: str = "P") -> OrgPerson:
    id_ = new_id()
    return OrgPerson(
        id=id_,
        email=f"{id_}@example.com",
        name=name,
        manager_id=manager.id if manager else None,
        active=True,
        is_hr_admin=False,
    )


async def test_by_ids_answers_in_the_order_asked_once_each_without_unknown_ids(
    session: AsyncSession,
) -> None:
    first, second, third = await _notes(session, "first", "second", "third")

    found = await by_ids(session, Note, [third.id, uuid.uuid4(), first.id, third.id])

    assert [note.title for note in found] == ["third", "first"]
    assert second not in found


async def test_by_ids_leaves_out_rows_that_fail_the_callers_conditions(
    session: AsyncSession,
) -> None:
    mine, theirs = await _notes(session, "mine", "theirs")
    mine.owner_id = owner = uuid.uuid4()
    await save(session, mine)

    found = await by_ids(session, Note, [theirs.id, mine.id], col(Note.owner_id) == owner)

    assert found == [mine]


async def test_by_ids_reads_within_the_callers_statement(session: AsyncSession) -> None:
    shown, hidden = await _notes(session, "shown", "hidden")
    within = select(Note).where(col(Note.title) != "hidden")

    assert await by_ids(session, Note, [hidden.id, shown.id], within=within) == [shown]


async def test_keyed_by_id_answers_the_rows_by_id(session: AsyncSession) -> None:
    first, second = await _notes(session, "first", "second")

    found = await keyed_by_id(session, Note, [second.id, first.id, uuid.uuid4()])

    assert found == {first.id: first, second.id: second}


async def test_get_finds_a_row_by_key_or_nothing(session: AsyncSession) -> None:
    (note,) = await _notes(session, "kept")

    assert await get(session, Note, note.id) is note
    assert await get(session, Note, uuid.uuid4()) is None


async def test_get_takes_a_composite_key_as_a_tuple(session: AsyncSession) -> None:
    team_id, person_id = new_id(), new_id()
    await save(session, OrgMembership(team_id=team_id, person_id=person_id))

    assert await get(session, OrgMembership, (team_id, person_id)) is not None
    assert await get(session, OrgMembership, (person_id, team_id)) is None


async def test_a_locked_read_sees_the_rows_current_values(session: AsyncSession) -> None:
    (note,) = await _notes(session, "old")
    # Changed behind the session's back, as another transaction would.
    connection = await session.connection()
    await connection.execute(text("UPDATE note SET title = 'new' WHERE id = :id"), {"id": note.id})

    locked = await get(session, Note, note.id, lock=True)
    shared = await get(session, Note, note.id, share=True)

    assert locked is not None
    assert locked.title == "new"
    assert shared is locked


async def test_delete_deletes_the_row(session: AsyncSession) -> None:
    (note,) = await _notes(session, "gone")

    await delete(session, note)

    assert (await session.exec(select(Note).where(col(Note.id) == note.id))).first() is None


@dataclass
class _Row:
    title: str
    version: int = 1
    updated_at: datetime = datetime(2020, 1, 1, tzinfo=UTC)


def test_changed_keeps_only_the_values_that_differ() -> None:
    row = _Row(title="same")

    assert changed(row, {"title": "same"}) == {}
    assert changed(row, {"title": "other"}) == {"title": "other"}


def test_apply_patch_sets_the_changes_and_makes_a_new_version() -> None:
    row = _Row(title="old")

    apply_patch(row, {"title": "new"})

    assert (row.title, row.version) == ("new", 2)
    assert row.updated_at > datetime(2020, 1, 1, tzinfo=UTC)


def test_apply_patch_without_changes_still_makes_a_new_version() -> None:
    row = _Row(title="same")

    apply_patch(row, {})

    assert (row.title, row.version) == ("same", 2)


async def test_below_finds_everyone_under_a_manager_however_deep(session: AsyncSession) -> None:
    top = _person(name="top")
    middle = _person(top, name="middle")
    bottom = _person(middle, name="bottom")
    aside = _person(name="aside")
    await save(session, top, middle, bottom, aside)

    below = orgcopy.below(top.id)
    rows = (await session.exec(select(below.c.id, below.c.depth))).all()

    assert sorted(rows, key=lambda row: row[1]) == [(middle.id, 1), (bottom.id, 2)]


async def test_management_chain_goes_up_to_the_top(session: AsyncSession) -> None:
    top = _person(name="top")
    middle = _person(top, name="middle")
    bottom = _person(middle, name="bottom")
    await save(session, top, middle, bottom)

    assert await orgcopy.management_chain(session, bottom.id) == [middle.id, top.id]
    assert await orgcopy.management_chain(session, top.id) == []


async def test_a_loop_in_the_copy_ends_the_walk(session: AsyncSession) -> None:
    one, two = _person(name="one"), _person(name="two")
    await save(session, one, two)
    one.manager_id, two.manager_id = two.id, one.id
    await save(session, one, two)

    chain = await orgcopy.management_chain(session, one.id)

    assert set(chain) == {one.id, two.id}
    assert len(chain) == 64
