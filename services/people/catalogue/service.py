"""The job-role and skill catalogues: entries named uniquely whatever their case, read, listed,
added and changed alike (each change in the caller's transaction, flushed, never committed)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor
from kit.errors import Conflict, NotFound
from kit.etag import check_if_match
from kit.pagination import Page, PageParams
from kit.repository import apply_patch, changed
from services.people import repository
from services.people.models import Role, Skill
from services.people.schemas import CatalogueQuery, RoleRead, SkillRead

Entry = TypeVar("Entry", Role, Skill)
EntryRead = TypeVar("EntryRead", RoleRead, SkillRead)


@dataclass(frozen=True)
class Catalogue(Generic[Entry, EntryRead]):
    """Job roles and skills: entries named uniquely whatever the case, read, listed, added and
    changed alike."""

    model: type[Entry]
    read: type[EntryRead]
    # What messages call an entry, and how policy actions and error codes start.
    noun: str
    code: str


ROLES = Catalogue(Role, RoleRead, noun="job role", code="role")
SKILLS = Catalogue(Skill, SkillRead, noun="skill", code="skill")


async def _entry(
    session: AsyncSession,
    catalogue: Catalogue[Entry, EntryRead],
    entry_id: uuid.UUID,
    *,
    lock: bool = False,
) -> Entry:
    entry = await repository.get(session, catalogue.model, entry_id, lock=lock)
    if entry is None:
        raise NotFound(f"No {catalogue.noun} has this id.", code=f"{catalogue.code}_not_found")
    return entry


async def _check_name(
    session: AsyncSession, catalogue: Catalogue[Entry, EntryRead], name: str, entry_id: uuid.UUID
) -> None:
    taken = await repository.entry_by_name(session, catalogue.model, name, other_than=entry_id)
    if taken is not None:
        raise Conflict(
            f"A {catalogue.noun} has this name.",
            code=f"{catalogue.code}_name_taken",
            field="body.name",
        )


async def get_entry(
    session: AsyncSession,
    actor: Actor,
    catalogue: Catalogue[Entry, EntryRead],
    entry_id: uuid.UUID,
) -> EntryRead:
    return catalogue.read.model_validate(await _entry(session, catalogue, entry_id))


async def list_entries(
    session: AsyncSession,
    actor: Actor,
    catalogue: Catalogue[Entry, EntryRead],
    filters: CatalogueQuery,
    params: PageParams,
) -> Page[EntryRead]:
    rows, cursor = await repository.list_entries(
        session, catalogue.model, params, **filters.model_dump()
    )
    return Page(items=[catalogue.read.model_validate(row) for row in rows], next_cursor=cursor)


async def read_entries(
    session: AsyncSession,
    actor: Actor,
    catalogue: Catalogue[Entry, EntryRead],
    ids: Sequence[uuid.UUID],
) -> Page[EntryRead]:
    rows = await repository.by_ids(session, catalogue.model, ids)
    return Page(items=[catalogue.read.model_validate(row) for row in rows], next_cursor=None)


async def create_entry(
    session: AsyncSession,
    actor: Actor,
    catalogue: Catalogue[Entry, EntryRead],
    data: BaseModel,
) -> EntryRead:
    entry = catalogue.model.model_validate(data.model_dump())
    await _check_name(session, catalogue, entry.name, entry.id)
    await repository.save(session, entry)
    return catalogue.read.model_validate(entry)


async def update_entry(
    session: AsyncSession,
    actor: Actor,
    catalogue: Catalogue[Entry, EntryRead],
    entry_id: uuid.UUID,
    data: BaseModel,
    if_match: str | None,
) -> EntryRead:
    entry = await _entry(session, catalogue, entry_id, lock=True)
    check_if_match(if_match, entry.version)
    changes = changed(entry, data.model_dump(exclude_unset=True))
    if changes:
        if "name" in changes:
            await _check_name(session, catalogue, changes["name"], entry.id)
        apply_patch(entry, changes)
        await repository.save(session, entry)
    return catalogue.read.model_validate(entry)
