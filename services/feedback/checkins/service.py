"""The rules of weekly check-ins. A draft is its writer's alone; submitting fixes its one other
reader, the manager the person has then, for ever (as feedback fixes its audience): a later
manager sees none of the old ones, HR admins none at all. The two talk in its thread."""

from __future__ import annotations

import uuid
import zoneinfo
from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from kit import orgcopy
from kit.auth import Actor
from kit.errors import Conflict, Forbidden, NotFound, Unprocessable
from kit.etag import check_if_match
from kit.events import record_event
from kit.models import utcnow
from kit.pagination import Page, PageParams
from kit.repository import apply_patch, save
from services.feedback.checkins import repository
from services.feedback.checkins.events import (
    CHECK_IN_REPLIED,
    CHECK_IN_SUBMITTED,
    CheckInRepliedPayload,
    CheckInSubmittedPayload,
)
from services.feedback.checkins.models import CheckInReply, WeeklyCheckIn
from services.feedback.checkins.schemas import (
    CheckInReplyCreate,
    CheckInReplyRead,
    CheckInStatus,
    DueQuery,
    ReportDueRead,
    WeeklyCheckInCreate,
    WeeklyCheckInDueRead,
    WeeklyCheckInQuery,
    WeeklyCheckInRead,
    WeeklyCheckInUpdate,
    week_of,
)


def _person_of(actor: Actor) -> uuid.UUID:
    if actor.person_id is None:  # the policy lets only people through; this keeps types honest
        raise Forbidden("Only people write weekly check-ins.")
    return actor.person_id


def _not_found() -> NotFound:
    # The same answer for an unknown id and someone else's check-in.
    return NotFound("No weekly check-in has this id.", code="check_in_not_found")


async def _present(session: AsyncSession, rows: Sequence[WeeklyCheckIn]) -> list[WeeklyCheckInRead]:
    threads = await repository.replies_of(session, [row.id for row in rows])
    return [
        WeeklyCheckInRead.model_validate(
            {
                **row.model_dump(),
                "replies": [CheckInReplyRead.model_validate(reply) for reply in threads[row.id]],
            }
        )
        for row in rows
    ]


async def _read(session: AsyncSession, row: WeeklyCheckIn) -> WeeklyCheckInRead:
    (read,) = await _present(session, [row])
    return read


async def _this_week(session: AsyncSession, person_id: uuid.UUID) -> str:
    """The ISO week it is now where the person lives."""
    people = await orgcopy.people_by_ids(session, [person_id])
    zone = people[0].time_zone if people else "UTC"
    try:
        return week_of(utcnow().astimezone(zoneinfo.ZoneInfo(zone)).date())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return week_of(utcnow().date())


async def create_check_in(
    session: AsyncSession, actor: Actor, data: WeeklyCheckInCreate
) -> WeeklyCheckInRead:
    me = _person_of(actor)
    week = data.week or await _this_week(session, me)
    if await repository.of_week(session, me, week) is not None:
        raise Conflict(
            f"You already have a check-in for {week}; change that one.",
            code="check_in_exists",
            field="body.week",
        )
    row = WeeklyCheckIn.model_validate(
        {**data.model_dump(), "week": week, "person_id": me, "status": CheckInStatus.DRAFT}
    )
    await save(session, row)  # a concurrent twin fails on the unique index: 409
    return await _read(session, row)


async def get_check_in(
    session: AsyncSession, actor: Actor, check_in_id: uuid.UUID
) -> WeeklyCheckInRead:
    row = await repository.seen(session, _person_of(actor), check_in_id)
    if row is None:
        raise _not_found()
    return await _read(session, row)


async def list_check_ins(
    session: AsyncSession, actor: Actor, filters: WeeklyCheckInQuery, params: PageParams
) -> Page[WeeklyCheckInRead]:
    rows, cursor = await repository.list_check_ins(
        session, _person_of(actor), params, of_person=filters.person_id, week=filters.week
    )
    return Page(items=await _present(session, rows), next_cursor=cursor)


async def read_check_ins(
    session: AsyncSession, actor: Actor, ids: Sequence[uuid.UUID]
) -> Page[WeeklyCheckInRead]:
    rows = await repository.check_ins_by_ids(session, _person_of(actor), ids)
    return Page(items=await _present(session, rows), next_cursor=None)


async def _own_draft(session: AsyncSession, actor: Actor, check_in_id: uuid.UUID) -> WeeklyCheckIn:
    me = _person_of(actor)
    row = await repository.seen(session, me, check_in_id, lock=True)
    if row is None:
        raise _not_found()
    if row.person_id != me:
        raise Forbidden("Only its writer changes a check-in.", code="not_your_check_in")
    if row.status is CheckInStatus.SUBMITTED:
        raise Conflict("This check-in is submitted; it changes no more.", code="check_in_submitted")
    return row


async def update_check_in(
    session: AsyncSession,
    actor: Actor,
    check_in_id: uuid.UUID,
    data: WeeklyCheckInUpdate,
    if_match: str | None,
) -> WeeklyCheckInRead:
    row = await _own_draft(session, actor, check_in_id)
    check_if_match(if_match, row.version)
    apply_patch(row, data.model_dump(exclude_unset=True))
    await save(session, row)
    return await _read(session, row)


async def submit_check_in(
    session: AsyncSession, actor: Actor, check_in_id: uuid.UUID
) -> WeeklyCheckInRead:
    """Submit a draft: its reader besides the person is fixed now, the direct manager of today."""
    row = await _own_draft(session, actor, check_in_id)
    if row.mood is None:
        raise Unprocessable(
            "Say how the week went (`mood`, 1 to 5) before submitting.",
            code="mood_missing",
            field="body.mood",
        )
    chain = await orgcopy.management_chain(session, row.person_id)
    now = utcnow()
    apply_patch(
        row,
        {
            "status": CheckInStatus.SUBMITTED,
            "submitted_at": now,
            "manager_id": chain[0] if chain else None,
        },
    )
    await save(session, row)
    await record_event(
        session,
        CHECK_IN_SUBMITTED,
        CheckInSubmittedPayload(
            id=row.id,
            person_id=row.person_id,
            manager_id=row.manager_id,
            week=row.week,
            submitted_at=now,
        ),
    )
    return await _read(session, row)


async def reply(
    session: AsyncSession, actor: Actor, check_in_id: uuid.UUID, data: CheckInReplyCreate
) -> CheckInReplyRead:
    """The manager answers a submitted check-in, and the thread goes on between the two."""
    me = _person_of(actor)
    row = await repository.seen(session, me, check_in_id)
    if row is None:
        raise _not_found()
    if row.status is not CheckInStatus.SUBMITTED:
        raise Conflict("A draft has no thread yet: submit it first.", code="check_in_draft")
    message = CheckInReply(check_in_id=row.id, author_id=me, body=data.body)
    await save(session, message)
    await record_event(
        session,
        CHECK_IN_REPLIED,
        CheckInRepliedPayload(
            id=message.id,
            check_in_id=row.id,
            author_id=me,
            person_id=row.person_id,
            manager_id=row.manager_id,
            created_at=message.created_at,
        ),
    )
    return CheckInReplyRead.model_validate(message)


async def due(session: AsyncSession, actor: Actor, query: DueQuery) -> WeeklyCheckInDueRead:
    """What is due for a week: whether the caller submitted, and which of their direct reports
    have not (names are for the manager, who is their audience)."""
    me = _person_of(actor)
    week = query.week or await _this_week(session, me)
    mine = await repository.of_week(session, me, week)
    total, missing = await repository.reports_not_submitted(session, me, week)
    return WeeklyCheckInDueRead(
        week=week,
        due=mine is None or mine.status is CheckInStatus.DRAFT,
        check_in_id=None if mine is None else mine.id,
        reports_total=total,
        reports_submitted=total - len(missing),
        reports_due=[ReportDueRead(person_id=person.id, name=person.name) for person in missing],
    )
