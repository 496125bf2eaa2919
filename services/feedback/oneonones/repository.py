"""The SQL of 1:1s. Who may see a series, a meeting or what is in it is part of the statement
that finds it: its two participants, nobody else (an unknown id and someone else's 1:1 cost
the same). A private note is found by its author alone: no statement reads another's."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, tuple_
from sqlalchemy.dialects.postgresql import distinct_on
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson
from kit.pagination import PageParams, paginate
from kit.repository import by_ids
from services.feedback.oneonones.models import (
    ActionItem,
    CalendarToken,
    Meeting,
    PrivateNote,
    Series,
    TalkingPoint,
)
from services.feedback.oneonones.schemas import MeetingStatus


def taking_part(person_id: uuid.UUID) -> ColumnElement[bool]:
    return or_(col(Series.organizer_id) == person_id, col(Series.invitee_id) == person_id)


async def series_seen(
    session: AsyncSession, person_id: uuid.UUID, series_id: uuid.UUID, *, lock: bool = False
) -> Series | None:
    statement = select(Series).where(col(Series.id) == series_id, taking_part(person_id))
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return (await session.exec(statement)).first()


async def list_series(
    session: AsyncSession, person_id: uuid.UUID, params: PageParams
) -> tuple[Sequence[Series], str | None]:
    return await paginate(session, select(Series).where(taking_part(person_id)), Series, params)


async def series_by_ids(
    session: AsyncSession, person_id: uuid.UUID, ids: Collection[uuid.UUID]
) -> list[Series]:
    return await by_ids(session, Series, ids, taking_part(person_id))


async def meeting_seen(
    session: AsyncSession, person_id: uuid.UUID, meeting_id: uuid.UUID, *, lock: bool = False
) -> tuple[Meeting, Series] | None:
    """The meeting and its series, if `person_id` takes part: one statement either way."""
    statement = (
        select(Meeting, Series)
        .join(Series, col(Series.id) == col(Meeting.series_id))
        .where(col(Meeting.id) == meeting_id, taking_part(person_id))
    )
    if lock:
        statement = statement.with_for_update(of=Meeting).execution_options(populate_existing=True)
    found = (await session.exec(statement)).first()
    return None if found is None else (found[0], found[1])


async def next_meetings(
    session: AsyncSession, series_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, Meeting]:
    """The earliest meeting not yet completed of each series, by series: one statement."""
    statement = (
        select(Meeting)
        .where(
            col(Meeting.series_id).in_(list(series_ids)),
            col(Meeting.status) == MeetingStatus.SCHEDULED,
        )
        .ext(distinct_on(col(Meeting.series_id)))
        .order_by(col(Meeting.series_id), col(Meeting.starts_at), col(Meeting.id))
    )
    return {meeting.series_id: meeting for meeting in (await session.exec(statement)).all()}


async def list_meetings(
    session: AsyncSession, series_id: uuid.UUID, params: PageParams
) -> tuple[Sequence[Meeting], str | None]:
    statement = select(Meeting).where(col(Meeting.series_id) == series_id)
    return await paginate(session, statement, Meeting, params)


async def latest_meeting(session: AsyncSession, series_id: uuid.UUID) -> Meeting | None:
    statement = (
        select(Meeting)
        .where(col(Meeting.series_id) == series_id)
        .order_by(col(Meeting.starts_at).desc(), col(Meeting.id).desc())
        .limit(1)
    )
    return (await session.exec(statement)).first()


async def next_scheduled(
    session: AsyncSession, series_id: uuid.UUID, after: Meeting
) -> Meeting | None:
    """The first meeting still to be held after `after`, in `(starts_at, id)` order: a strict
    order, so that two meetings at the same time never each take the other for the next."""
    statement = (
        select(Meeting)
        .where(
            col(Meeting.series_id) == series_id,
            col(Meeting.status) == MeetingStatus.SCHEDULED,
            tuple_(col(Meeting.starts_at), col(Meeting.id)) > tuple_(after.starts_at, after.id),
        )
        .order_by(col(Meeting.starts_at), col(Meeting.id))
        .limit(1)
    )
    return (await session.exec(statement)).first()


async def talking_point(
    session: AsyncSession, meeting_id: uuid.UUID, point_id: uuid.UUID
) -> TalkingPoint | None:
    statement = (
        select(TalkingPoint)
        .where(col(TalkingPoint.id) == point_id, col(TalkingPoint.meeting_id) == meeting_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.exec(statement)).first()


async def next_position(session: AsyncSession, meeting_id: uuid.UUID) -> int:
    statement = select(func.coalesce(func.max(TalkingPoint.position), -1) + 1).where(
        col(TalkingPoint.meeting_id) == meeting_id
    )
    return int((await session.exec(statement)).one())


async def list_action_items(
    session: AsyncSession,
    person_id: uuid.UUID,
    params: PageParams,
    *,
    done: bool | None = None,
    owner_id: uuid.UUID | None = None,
    series_id: uuid.UUID | None = None,
) -> tuple[Sequence[ActionItem], str | None]:
    statement = (
        select(ActionItem)
        .join(Series, col(Series.id) == col(ActionItem.series_id))
        .where(taking_part(person_id))
    )
    if done is not None:
        statement = statement.where(col(ActionItem.done).is_(done))
    if owner_id is not None:
        statement = statement.where(col(ActionItem.owner_id) == owner_id)
    if series_id is not None:
        statement = statement.where(col(ActionItem.series_id) == series_id)
    return await paginate(session, statement, ActionItem, params)


async def action_item_seen(
    session: AsyncSession, person_id: uuid.UUID, item_id: uuid.UUID
) -> tuple[ActionItem, Series] | None:
    statement = (
        select(ActionItem, Series)
        .join(Series, col(Series.id) == col(ActionItem.series_id))
        .where(col(ActionItem.id) == item_id, taking_part(person_id))
        .with_for_update(of=ActionItem)
        .execution_options(populate_existing=True)
    )
    found = (await session.exec(statement)).first()
    return None if found is None else (found[0], found[1])


async def carry_over(
    session: AsyncSession, from_meeting: uuid.UUID, to_meeting: uuid.UUID, first_position: int
) -> None:
    """Move the unchecked talking points (after the agenda already there, in their order) and
    the open action items of one meeting to another."""
    points = (
        await session.exec(
            select(TalkingPoint)
            .where(col(TalkingPoint.meeting_id) == from_meeting, col(TalkingPoint.done).is_(False))
            .order_by(col(TalkingPoint.position), col(TalkingPoint.id))
        )
    ).all()
    for offset, point in enumerate(points):
        point.meeting_id, point.position = to_meeting, first_position + offset
    items = (
        await session.exec(
            select(ActionItem).where(
                col(ActionItem.meeting_id) == from_meeting, col(ActionItem.done).is_(False)
            )
        )
    ).all()
    for item in items:
        item.meeting_id = to_meeting
    session.add_all([*points, *items])
    await session.flush()


async def private_note(
    session: AsyncSession, meeting_id: uuid.UUID, author_id: uuid.UUID, *, lock: bool = False
) -> PrivateNote | None:
    statement = select(PrivateNote).where(
        col(PrivateNote.meeting_id) == meeting_id, col(PrivateNote.author_id) == author_id
    )
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return (await session.exec(statement)).first()


async def calendar_person(session: AsyncSession, token_hash: str) -> uuid.UUID | None:
    # Only while its owner is active: an address kept after someone leaves shows nothing.
    statement = (
        select(CalendarToken.person_id)
        .join(OrgPerson, col(OrgPerson.id) == col(CalendarToken.person_id))
        .where(col(CalendarToken.token_hash) == token_hash, col(OrgPerson.active))
    )
    return (await session.exec(statement)).first()


async def calendar_meetings(
    session: AsyncSession, person_id: uuid.UUID, since: datetime, limit: int
) -> Sequence[tuple[Meeting, Series]]:
    statement = (
        select(Meeting, Series)
        .join(Series, col(Series.id) == col(Meeting.series_id))
        .where(
            taking_part(person_id),
            col(Meeting.starts_at) >= since,
            or_(col(Series.ended_at).is_(None), col(Meeting.starts_at) <= col(Series.ended_at)),
        )
        .order_by(col(Meeting.starts_at), col(Meeting.id))
        .limit(limit)
    )
    return [(meeting, series) for meeting, series in (await session.exec(statement)).all()]


# --- Batch reads (the gateway's loaders) -----------------------------------------------------


async def meetings_by_ids(
    session: AsyncSession, person_id: uuid.UUID, ids: Collection[uuid.UUID]
) -> list[Meeting]:
    """The meetings among `ids` of series `person_id` takes part in, in the order asked."""
    within = select(Meeting).join(Series, col(Series.id) == col(Meeting.series_id))
    return await by_ids(session, Meeting, ids, taking_part(person_id), within=within)


async def first_meetings(
    session: AsyncSession, person_id: uuid.UUID, series_ids: Sequence[uuid.UUID], limit: int
) -> dict[uuid.UUID, list[Meeting]]:
    """The first `limit + 1` meetings (in list order) of each of `series_ids` that `person_id`
    takes part in, by series: one statement, a numbered window per series."""
    rank = (
        func.row_number()
        .over(
            partition_by=col(Meeting.series_id),
            order_by=(col(Meeting.created_at), col(Meeting.id)),
        )
        .label("rank")
    )
    ranked = (
        select(Meeting.id, rank)
        .join(Series, col(Series.id) == col(Meeting.series_id))
        .where(col(Meeting.series_id).in_(list(series_ids)), taking_part(person_id))
        .subquery("ranked")
    )
    statement = (
        select(Meeting)
        .join(ranked, ranked.c.id == col(Meeting.id))
        .where(ranked.c.rank <= limit + 1)
        .order_by(col(Meeting.series_id), col(Meeting.created_at), col(Meeting.id))
    )
    found: dict[uuid.UUID, list[Meeting]] = {id_: [] for id_ in series_ids}
    for meeting in (await session.exec(statement)).all():
        found[meeting.series_id].append(meeting)
    return found


async def agendas(
    session: AsyncSession, meeting_ids: Collection[uuid.UUID]
) -> Sequence[TalkingPoint]:
    """The talking points of meetings already found visible, each agenda in its order."""
    statement = (
        select(TalkingPoint)
        .where(col(TalkingPoint.meeting_id).in_(list(meeting_ids)))
        .order_by(col(TalkingPoint.position), col(TalkingPoint.id))
    )
    return (await session.exec(statement)).all()


async def action_items_of(
    session: AsyncSession, meeting_ids: Collection[uuid.UUID]
) -> Sequence[ActionItem]:
    statement = (
        select(ActionItem)
        .where(col(ActionItem.meeting_id).in_(list(meeting_ids)))
        .order_by(col(ActionItem.created_at), col(ActionItem.id))
    )
    return (await session.exec(statement)).all()


async def own_notes(
    session: AsyncSession, author_id: uuid.UUID, meeting_ids: Collection[uuid.UUID]
) -> Sequence[PrivateNote]:
    """`author_id`'s own notes on those of `meeting_ids` in series they take part in."""
    statement = (
        select(PrivateNote)
        .join(Meeting, col(Meeting.id) == col(PrivateNote.meeting_id))
        .join(Series, col(Series.id) == col(Meeting.series_id))
        .where(
            col(PrivateNote.meeting_id).in_(list(meeting_ids)),
            col(PrivateNote.author_id) == author_id,
            taking_part(author_id),
        )
    )
    return (await session.exec(statement)).all()
