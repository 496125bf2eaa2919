"""The HRIS statements: the inbox, the links from HRIS ids, the sync reports."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.pagination import PageParams, paginate
from services.people.hris.models import HrisEvent, HrisLink, HrisSync
from services.people.models import Membership, Person, Team
from services.people.schemas import PersonStatus

# How many inbox rows one pass takes at most.
BATCH = 200


async def insert_events(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """Insert those not received before (same integration, webhook id and place); how many."""
    result = await session.exec(
        insert(HrisEvent)
        .values(list(rows))
        .on_conflict_do_nothing(index_elements=["integration", "webhook_id", "seq"])
        .returning(col(HrisEvent.id))
    )
    return len(result.all())


async def due_events(session: AsyncSession, now: datetime) -> Sequence[HrisEvent]:
    """Pending changes whose date has come, in the order received; locked, skipping those
    another replica is applying."""
    statement = (
        select(HrisEvent)
        .where(
            col(HrisEvent.status) == "pending",
            or_(col(HrisEvent.effective_at).is_(None), col(HrisEvent.effective_at) <= now),
        )
        .order_by(col(HrisEvent.created_at), col(HrisEvent.webhook_id), col(HrisEvent.seq))
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    )
    return (await session.exec(statement)).all()


async def release_held(session: AsyncSession) -> None:
    """Held changes go back to pending, to be tried again after others were applied."""
    await session.exec(
        update(HrisEvent).where(col(HrisEvent.status) == "held").values(status="pending")
    )


async def held(session: AsyncSession) -> Sequence[tuple[str, str, str]]:
    """`(source, kind, external_id)` of the held changes."""
    statement = (
        select(col(HrisEvent.source), col(HrisEvent.kind), col(HrisEvent.external_id))
        .where(col(HrisEvent.status) == "held")
        .distinct()
    )
    return (await session.exec(statement)).all()


async def next_due(session: AsyncSession, now: datetime) -> datetime | None:
    return await session.scalar(
        select(func.min(col(HrisEvent.effective_at))).where(
            col(HrisEvent.status) == "pending", col(HrisEvent.effective_at) > now
        )
    )


async def events_of(
    session: AsyncSession, integration: str, webhook_id: str
) -> Sequence[HrisEvent]:
    statement = (
        select(HrisEvent)
        .where(col(HrisEvent.integration) == integration, col(HrisEvent.webhook_id) == webhook_id)
        .order_by(col(HrisEvent.seq))
    )
    return (await session.exec(statement)).all()


async def list_events(
    session: AsyncSession, params: PageParams, status: str | None
) -> tuple[Sequence[HrisEvent], str | None]:
    statement = select(HrisEvent)
    if status is not None:
        statement = statement.where(col(HrisEvent.status) == status)
    return await paginate(session, statement, HrisEvent, params)


async def link(session: AsyncSession, source: str, kind: str, external_id: str) -> HrisLink | None:
    return await session.get(HrisLink, (source, kind, external_id))


async def forget(session: AsyncSession, source: str, kind: str, external_id: str) -> None:
    found = await link(session, source, kind, external_id)
    if found is not None:
        await session.delete(found)
        await session.flush()


async def people_of_source(session: AsyncSession, source: str) -> Sequence[Person]:
    return (await session.exec(select(Person).where(col(Person.source) == source))).all()


async def active_of_source(session: AsyncSession, source: str) -> Sequence[Person]:
    statement = select(Person).where(
        col(Person.source) == source, col(Person.status) == PersonStatus.ACTIVE
    )
    return (await session.exec(statement)).all()


async def teams_of_source(session: AsyncSession, source: str) -> Sequence[HrisLink]:
    """The links of the source's teams that are still in the directory."""
    statement = select(HrisLink).where(
        col(HrisLink.source) == source,
        col(HrisLink.kind) == "team",
        col(HrisLink.entity_id).in_(select(Team.id)),
    )
    return (await session.exec(statement)).all()


async def member_ids(session: AsyncSession, team_id: uuid.UUID) -> Sequence[uuid.UUID]:
    statement = select(Membership.person_id).where(col(Membership.team_id) == team_id)
    return (await session.exec(statement)).all()


async def list_syncs(
    session: AsyncSession, params: PageParams, source: str | None
) -> tuple[Sequence[HrisSync], str | None]:
    statement = select(HrisSync)
    if source is not None:
        statement = statement.where(col(HrisSync.source) == source)
    return await paginate(session, statement, HrisSync, params)


async def get_sync(session: AsyncSession, sync_id: uuid.UUID) -> HrisSync | None:
    return await session.get(HrisSync, sync_id)
