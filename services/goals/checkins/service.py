"""The rules of check-ins. A check-in says where a key result stands in the way its kind
reads (a value; done or not; milestones marked), how confident its author is (0-10) and how
they judge it (`on_track`, `at_risk`, `off_track`); an `off_track` one, or one at a
confidence of 3 or less, opens a help request in the same transaction (`help/`). A closed
cycle takes none. A key result is due for one when nobody has checked in on it for
`check_in_due_days` days (7 unless configured), once its cycle is under way on the calendar of
whom the list is for (their time zone in the directory)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor
from kit.errors import Unprocessable
from kit.events import record_event
from kit.models import utcnow
from kit.pagination import Page, PageParams
from kit.policies import Relation
from services.goals import repository as core
from services.goals import service
from services.goals.checkins import repository
from services.goals.checkins.schemas import (
    CheckInCreate,
    CheckInRead,
    CheckInsByKeyResultRead,
    DueCheckInRead,
    DueQuery,
    KeyResultCheckInsRead,
)
from services.goals.events import KEY_RESULT_CHECKED_IN, CheckedInPayload
from services.goals.help import service as help_requests
from services.goals.keyresults import service as keyresults
from services.goals.models import CheckIn, Cycle, KeyResult
from services.goals.progress import progress_of, rounded
from services.goals.schemas import CheckInStatus, KeyResultKind
from services.goals.service import POLICY


def status_from_confidence(confidence: int) -> CheckInStatus:
    """How a check-in that names no status is judged: by its author's confidence."""
    if confidence >= 7:
        return CheckInStatus.ON_TRACK
    if confidence >= 4:
        return CheckInStatus.AT_RISK
    return CheckInStatus.OFF_TRACK


def _wrong_reading(field: str, expected: str) -> Unprocessable:
    return Unprocessable(
        f"This key result is checked in with {expected}.",
        code="wrong_value_for_kind",
        field=f"body.{field}",
    )


def _check_reading(kind: KeyResultKind, data: CheckInCreate) -> None:
    """The body holds the reading this kind of key result takes."""
    sent = next(name for name in ("value", "done", "milestones") if getattr(data, name) is not None)
    expected = {
        KeyResultKind.BINARY: ("done", "`done` (true or false)"),
        KeyResultKind.MILESTONES: ("milestones", "`milestones` marked done or not"),
    }.get(kind, ("value", "a `value`"))
    if sent != expected[0]:
        raise _wrong_reading(sent, expected[1])


def _moment(data: CheckInCreate, cycle: Cycle, key_result: KeyResult) -> datetime:
    """When the check-in was taken: now, or the earlier moment it was recorded for, which
    keeps each key result's history in order."""
    now = utcnow()
    if data.as_of is None:
        return now
    earliest = datetime.combine(cycle.starts_on, time(), tzinfo=UTC)
    if key_result.checked_in_at is not None:
        earliest = max(earliest, key_result.checked_in_at)
    if not earliest <= data.as_of <= now:
        raise Unprocessable(
            "A check-in can be recorded for a past moment, not a future one, within its "
            "cycle and after the key result's latest check-in.",
            code="as_of_out_of_range",
            field="body.as_of",
        )
    return data.as_of


async def _mark_milestones(
    session: AsyncSession, key_result: KeyResult, data: CheckInCreate, at: datetime
) -> float:
    """Mark the milestones the check-in names; the number done after it."""
    milestones = {
        milestone.id: milestone
        for milestone in await core.milestones_of(session, [key_result.id], lock=True)
    }
    for index, update in enumerate(data.milestones or []):
        milestone = milestones.get(update.id)
        if milestone is None:
            raise Unprocessable(
                "This key result has no such milestone.",
                code="unknown_milestone",
                field=f"body.milestones.{index}.id",
            )
        if milestone.done != update.done:
            milestone.done = update.done
            milestone.done_at = at if update.done else None
            await core.save(session, milestone)
    return float(sum(milestone.done for milestone in milestones.values()))


async def check_in(
    session: AsyncSession, actor: Actor, key_result_id: uuid.UUID, data: CheckInCreate
) -> CheckInRead:
    """Record where a key result stands: its `current`, and so its progress and its
    objective's, follow the check-in; so do its latest confidence and status."""
    author = service.person_of(actor)
    # Locked: concurrent check-ins on one key result apply one after the other.
    key_result, objective, relations = await service.visible_key_result(
        session, actor, key_result_id, lock=True
    )
    if key_result.owner_person_id == author:
        relations.add(Relation.OWNER)
    POLICY.authorize(actor, "check_in.create", relations)
    cycle = await service.open_cycle_of(session, objective)
    _check_reading(key_result.kind, data)
    at = _moment(data, cycle, key_result)
    if key_result.kind == KeyResultKind.MILESTONES:
        value = await _mark_milestones(session, key_result, data, at)
    elif key_result.kind == KeyResultKind.BINARY:
        value = 1.0 if data.done else 0.0
    else:
        assert data.value is not None  # noqa: S101  # checked by `_check_reading`
        value = data.value
    entry = CheckIn(
        key_result_id=key_result.id,
        value=value,
        confidence=data.confidence,
        status=data.status or status_from_confidence(data.confidence),
        milestone_updates=(
            None
            if data.milestones is None
            else [update.model_dump(mode="json") for update in data.milestones]
        ),
        note=data.note,
        author_id=author,
        created_at=at,
    )
    await core.save(session, entry)
    previous = key_result.current
    key_result.current = entry.value
    key_result.confidence = entry.confidence
    key_result.status = entry.status
    key_result.checked_in_at = entry.created_at
    key_result.updated_at = utcnow()
    await core.save(session, key_result)
    await record_event(
        session,
        KEY_RESULT_CHECKED_IN,
        CheckedInPayload(
            check_in_id=entry.id,
            key_result_id=key_result.id,
            objective_id=objective.id,
            owner_person_id=objective.owner_person_id,
            owner_team_id=objective.owner_team_id,
            visibility=objective.visibility,
            kind=key_result.kind,
            author_id=author,
            previous_value=previous,
            value=entry.value,
            progress=rounded(progress_of(key_result)),
            confidence=entry.confidence,
            status=entry.status,
            checked_in_at=entry.created_at,
        ),
    )
    await help_requests.open_for_check_in(session, objective, key_result, entry)
    return CheckInRead.model_validate(entry)


async def list_check_ins(
    session: AsyncSession, actor: Actor, key_result_id: uuid.UUID, params: PageParams
) -> Page[CheckInRead]:
    await service.visible_key_result(session, actor, key_result_id)
    rows, cursor = await repository.list_check_ins(session, key_result_id, params)
    return Page(items=[CheckInRead.model_validate(row) for row in rows], next_cursor=cursor)


async def check_ins_by_key_result(
    session: AsyncSession, actor: Actor, key_result_ids: Sequence[uuid.UUID], per_key_result: int
) -> CheckInsByKeyResultRead:
    """The first `per_key_result` check-ins of each key result asked."""
    key_result_ids = service.distinct(key_result_ids)
    batches = await repository.check_ins_by_key_result(
        session, service.sight_of(actor), key_result_ids, per_key_result
    )
    return CheckInsByKeyResultRead(
        groups=[
            KeyResultCheckInsRead(
                key_result_id=key_result_id,
                items=[CheckInRead.model_validate(row) for row in batches[key_result_id].rows],
                has_more=batches[key_result_id].has_more,
                next_cursor=batches[key_result_id].next_cursor,
            )
            for key_result_id in key_result_ids
        ]
    )


async def _their_today(session: AsyncSession, query: DueQuery, now: datetime) -> date:
    """Today where the list's person is (for a team: its lead), by the directory's time zone:
    a cycle is under way from the first day of it on their calendar, not on UTC's."""
    person_id = query.person_id
    if person_id is None and query.team_id is not None:
        team = await core.org_team(session, query.team_id)
        person_id = None if team is None else team.lead_id
    person = None if person_id is None else await core.org_person(session, person_id)
    try:
        zone = ZoneInfo(person.time_zone if person is not None else "UTC")
    except (ZoneInfoNotFoundError, ValueError):  # the directory checks zones; a stale copy may not
        zone = ZoneInfo("UTC")
    return now.astimezone(zone).date()


async def due_check_ins(
    session: AsyncSession, actor: Actor, query: DueQuery, due_days: int
) -> Page[DueCheckInRead]:
    """Key results of active cycles with no check-in for `due_days` days, of one person
    (theirs, or of their objectives) or of one team's objectives; those the actor may see."""
    now = utcnow()
    rows, cursor = await repository.due(
        session,
        service.sight_of(actor),
        query.page(),
        person_id=query.person_id,
        team_id=query.team_id,
        before=now - timedelta(days=due_days),
        today=await _their_today(session, query, now),
    )
    reads = await keyresults.present_key_results(session, rows)
    return Page(
        items=[
            DueCheckInRead(
                key_result=read,
                last_checked_in_at=row.checked_in_at,
                due_since=(row.checked_in_at or row.created_at) + timedelta(days=due_days),
            )
            for row, read in zip(rows, reads, strict=True)
        ],
        next_cursor=cursor,
    )
