"""The SQL of weekly check-ins. Who may read one is part of the statement that finds it: the
person, and once submitted the manager recorded then (an unknown id and someone else's cost the
same)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson
from kit.pagination import PageParams, paginate
from kit.repository import by_ids
from services.feedback.checkins.models import CheckInReply, WeeklyCheckIn
from services.feedback.checkins.schemas import CheckInStatus


def readable_by(person_id: uuid.UUID) -> ColumnElement[bool]:
    return or_(
        col(WeeklyCheckIn.person_id) == person_id,
        and_(
            col(WeeklyCheckIn.status) == CheckInStatus.SUBMITTED,
            col(WeeklyCheckIn.manager_id) == person_id,
        ),
    )


async def seen(
    session: AsyncSession, person_id: uuid.UUID, check_in_id: uuid.UUID, *, lock: bool = False
) -> WeeklyCheckIn | None:
    statement = select(WeeklyCheckIn).where(
        col(WeeklyCheckIn.id) == check_in_id, readable_by(person_id)
    )
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return (await session.exec(statement)).first()


async def of_week(session: AsyncSession, person_id: uuid.UUID, week: str) -> WeeklyCheckIn | None:
    statement = select(WeeklyCheckIn).where(
        col(WeeklyCheckIn.person_id) == person_id, col(WeeklyCheckIn.week) == week
    )
    return (await session.exec(statement)).first()


async def list_check_ins(
    session: AsyncSession,
    person_id: uuid.UUID,
    params: PageParams,
    *,
    of_person: uuid.UUID | None = None,
    week: str | None = None,
) -> tuple[Sequence[WeeklyCheckIn], str | None]:
    statement = select(WeeklyCheckIn).where(readable_by(person_id))
    if of_person is not None:
        statement = statement.where(col(WeeklyCheckIn.person_id) == of_person)
    if week is not None:
        statement = statement.where(col(WeeklyCheckIn.week) == week)
    return await paginate(session, statement, WeeklyCheckIn, params)


async def check_ins_by_ids(
    session: AsyncSession, person_id: uuid.UUID, ids: Collection[uuid.UUID]
) -> list[WeeklyCheckIn]:
    return await by_ids(session, WeeklyCheckIn, ids, readable_by(person_id))


async def replies_of(
    session: AsyncSession, check_in_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[CheckInReply]]:
    """The threads of several check-ins, oldest first: one statement."""
    statement = (
        select(CheckInReply)
        .where(col(CheckInReply.check_in_id).in_(list(check_in_ids)))
        .order_by(col(CheckInReply.created_at), col(CheckInReply.id))
    )
    threads: dict[uuid.UUID, list[CheckInReply]] = {id_: [] for id_ in check_in_ids}
    for reply in (await session.exec(statement)).all():
        threads[reply.check_in_id].append(reply)
    return threads


async def reports_not_submitted(
    session: AsyncSession, manager_id: uuid.UUID, week: str
) -> tuple[int, list[OrgPerson]]:
    """How many active direct reports `manager_id` has, and those without a check-in submitted
    to them for `week`, by name: two statements."""
    reports = select(OrgPerson).where(
        col(OrgPerson.manager_id) == manager_id, col(OrgPerson.active).is_(True)
    )
    everyone = list((await session.exec(reports)).all())
    submitted = select(WeeklyCheckIn.person_id).where(
        col(WeeklyCheckIn.week) == week,
        col(WeeklyCheckIn.status) == CheckInStatus.SUBMITTED,
        col(WeeklyCheckIn.person_id).in_([person.id for person in everyone]),
    )
    done = set((await session.exec(submitted)).all())
    missing = sorted(
        (person for person in everyone if person.id not in done),
        key=lambda person: (person.name, person.id),
    )
    return len(everyone), missing
