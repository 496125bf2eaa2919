"""The rules of feedback requests. A person asks about themselves, a manager about a direct
report (the org copy says who); each asked person answers once (a feedback item to the
subject, made by the core's `give_feedback`) or declines. Requests are seen by those taking
part only: HR admins, integrations and other managers are outsiders (404)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel.ext.asyncio.session import AsyncSession

from kit import orgcopy
from kit.auth import Actor
from kit.errors import Conflict, Forbidden, NotFound, Unprocessable
from kit.etag import check_if_match
from kit.events import record_event
from kit.models import utcnow
from kit.orgcopy import OrgPerson
from kit.pagination import Page, PageParams
from kit.policies import Relation
from kit.repository import apply_patch, get, save
from services.feedback import service as core
from services.feedback.colleagues import active_colleagues
from services.feedback.goals import GoalLinks, Seen
from services.feedback.repository import person as find_person
from services.feedback.requests import repository
from services.feedback.requests.events import FEEDBACK_REQUESTED, FeedbackRequestedPayload
from services.feedback.requests.models import FeedbackRequest, RequestPart
from services.feedback.requests.schemas import (
    AnswerCreate,
    FeedbackRequestCreate,
    FeedbackRequestQuery,
    FeedbackRequestRead,
    FeedbackRequestUpdate,
    PartStatus,
    RequestPartRead,
)
from services.feedback.schemas import FeedbackCreate, FeedbackRead
from services.feedback.service import POLICY


def _person_of(actor: Actor) -> uuid.UUID:
    if actor.person_id is None:  # the policy lets only people through; this keeps types honest
        raise Forbidden("Only people take part in feedback requests.")
    return actor.person_id


def _not_found() -> NotFound:
    # The same answer for an unknown id and a request one takes no part in.
    return NotFound("No feedback request has this id.", code="feedback_request_not_found")


def _read(request: FeedbackRequest, parts: list[RequestPart], seen: Seen) -> FeedbackRequestRead:
    return FeedbackRequestRead.model_validate(
        {
            **request.model_dump(),
            "objective_id": seen.objective(request.objective_id),
            "parts": [RequestPartRead.model_validate(part) for part in parts],
        }
    )


async def _reads(
    session: AsyncSession,
    person_id: uuid.UUID,
    requests: list[FeedbackRequest],
    goals: GoalLinks,
) -> list[FeedbackRequestRead]:
    """With only the objectives the caller may see (one goals read for all): the people asked
    may not see the requester's."""
    parts: dict[uuid.UUID, list[RequestPart]] = {request.id: [] for request in requests}
    for part in await repository.parts_seen(session, person_id, list(parts)):
        parts[part.request_id].append(part)
    seen = await goals.seen(objective_ids=[request.objective_id for request in requests])
    return [_read(request, parts[request.id], seen) for request in requests]


def _relations(request: FeedbackRequest, person_id: uuid.UUID, asked: bool) -> set[Relation]:
    relations = {Relation.OWNER} if request.requester_id == person_id else set()
    if asked or request.subject_id == person_id:
        relations.add(Relation.PARTICIPANT)
    return relations


def _check_asked(me: uuid.UUID, subject_id: uuid.UUID, asked_ids: list[uuid.UUID]) -> None:
    if me in asked_ids or subject_id in asked_ids:
        raise Conflict(
            "Ask others than yourself and the subject.", code="asked_self", field="body.asked_ids"
        )


# A due date further ahead than this is a typo, not a plan.
FURTHEST_DUE = timedelta(days=2 * 366)


def _today_of(person: OrgPerson | None) -> date:
    try:
        zone = ZoneInfo(person.time_zone if person is not None else "UTC")
    except (ZoneInfoNotFoundError, ValueError):  # the directory checks zones; a stale copy may not
        zone = ZoneInfo("UTC")
    return utcnow().astimezone(zone).date()


async def _check_due(session: AsyncSession, requester_id: uuid.UUID, due_on: date) -> None:
    """A due date from the requester's today (in their time zone) to two years after it."""
    today = _today_of(await find_person(session, requester_id))
    if due_on < today:
        raise Unprocessable(
            f"The due date is in the past; today is {today.isoformat()}.",
            code="due_date_past",
            field="body.due_on",
        )
    if due_on > today + FURTHEST_DUE:
        raise Unprocessable(
            "The due date is more than two years ahead.",
            code="due_date_too_far",
            field="body.due_on",
        )


def _check_asked_once(asked_ids: list[uuid.UUID]) -> None:
    seen: set[uuid.UUID] = set()
    for index, person_id in enumerate(asked_ids):
        if person_id in seen:
            raise Unprocessable(
                f"{person_id} is asked more than once; ask each person once.",
                code="asked_twice",
                field=f"body.asked_ids.{index}",
            )
        seen.add(person_id)


async def create_request(
    session: AsyncSession, actor: Actor, data: FeedbackRequestCreate, goals: GoalLinks
) -> FeedbackRequestRead:
    me = _person_of(actor)
    subject_id = data.subject_id or me
    subject = await find_person(session, subject_id)
    if subject is None:
        raise Unprocessable(
            "No person has this id.", code="unknown_subject", field="body.subject_id"
        )
    relations = await orgcopy.relations_to_person(session, actor, subject_id)
    if not POLICY.permits(actor, "feedback_request.create", relations):
        raise Forbidden(
            "You may ask for feedback about yourself or your direct reports only.",
            code="not_your_report",
        )
    if not subject.active:
        raise Conflict("This person has left.", code="subject_inactive", field="body.subject_id")
    _check_asked(me, subject_id, data.asked_ids)
    _check_asked_once(data.asked_ids)
    await _check_due(session, me, data.due_on)
    asked = await active_colleagues(session, data.asked_ids, field="body.asked_ids")
    await goals.check(objective_id=data.objective_id)
    request = FeedbackRequest.model_validate(
        {**data.model_dump(exclude={"asked_ids"}), "requester_id": me, "subject_id": subject_id}
    )
    await save(session, request)
    parts = [RequestPart(request_id=request.id, person_id=person_id) for person_id in asked]
    await save(session, *parts)
    await record_event(
        session,
        FEEDBACK_REQUESTED,
        FeedbackRequestedPayload(
            id=request.id,
            requester_id=me,
            subject_id=subject_id,
            asked_ids=asked,
            objective_id=request.objective_id,
            due_on=request.due_on,
            created_at=request.created_at,
        ),
    )
    (read,) = await _reads(session, me, [request], goals)
    return read


async def get_request(
    session: AsyncSession, actor: Actor, request_id: uuid.UUID, goals: GoalLinks
) -> FeedbackRequestRead:
    me = _person_of(actor)
    found = await repository.requests_by_ids(session, me, [request_id])
    if not found:
        raise _not_found()
    (read,) = await _reads(session, me, found, goals)
    return read


async def list_requests(
    session: AsyncSession,
    actor: Actor,
    filters: FeedbackRequestQuery,
    params: PageParams,
    goals: GoalLinks,
) -> Page[FeedbackRequestRead]:
    """The requests the caller takes part in, oldest first."""
    me = _person_of(actor)
    rows, cursor = await repository.list_requests(
        session, me, params, role=filters.role, status=filters.status
    )
    return Page(items=await _reads(session, me, list(rows), goals), next_cursor=cursor)


async def read_requests(
    session: AsyncSession, actor: Actor, ids: list[uuid.UUID], goals: GoalLinks
) -> Page[FeedbackRequestRead]:
    me = _person_of(actor)
    rows = await repository.requests_by_ids(session, me, ids)
    return Page(items=await _reads(session, me, rows, goals), next_cursor=None)


async def _taking_part(
    session: AsyncSession, me: uuid.UUID, request_id: uuid.UUID, *, lock: bool = False
) -> tuple[FeedbackRequest, RequestPart | None]:
    """The request and the caller's own part (None unless asked); 404 for outsiders, found in
    the same statement as a missing one, so that the two cost the same."""
    request = await repository.request_seen(session, me, request_id, lock=lock)
    if request is None:
        raise _not_found()
    part = await get(session, RequestPart, (request_id, me), lock=lock)
    return request, part


async def update_request(
    session: AsyncSession,
    actor: Actor,
    request_id: uuid.UUID,
    data: FeedbackRequestUpdate,
    if_match: str | None,
    goals: GoalLinks,
) -> FeedbackRequestRead:
    me = _person_of(actor)
    request, part = await _taking_part(session, me, request_id, lock=True)
    POLICY.authorize(actor, "feedback_request.update", _relations(request, me, part is not None))
    check_if_match(if_match, request.version)
    await _check_due(session, me, data.due_on)
    apply_patch(request, data.model_dump())
    await save(session, request)
    (read,) = await _reads(session, me, [request], goals)
    return read


async def _open_part(
    session: AsyncSession, actor: Actor, request_id: uuid.UUID, action: str
) -> tuple[FeedbackRequest, RequestPart]:
    me = _person_of(actor)
    request, part = await _taking_part(session, me, request_id, lock=True)
    # Only the people asked take part here: the subject and the requester may not answer.
    POLICY.authorize(actor, action, {Relation.PARTICIPANT} if part else set())
    if part is None:  # refused above; this keeps types honest
        raise Forbidden("You were not asked for this feedback.")
    if part.status is not PartStatus.OPEN:
        raise Conflict(f"You have already {part.status} this request.", code="request_part_closed")
    return request, part


async def answer_request(
    session: AsyncSession,
    actor: Actor,
    request_id: uuid.UUID,
    data: AnswerCreate,
    goals: GoalLinks,
) -> FeedbackRead:
    """Give the subject feedback on the request's topic, fulfilling the caller's part."""
    request, part = await _open_part(session, actor, request_id, "feedback_request.answer")
    item = await core.give_feedback(
        session,
        actor,
        FeedbackCreate(
            recipient_id=request.subject_id,
            body=data.body,
            kind=data.kind,
            topic=request.topic,
            visibility=data.visibility,
        ),
        goals,
    )
    part.status, part.feedback_id, part.closed_at = PartStatus.ANSWERED, item.id, utcnow()
    await save(session, part)
    return item


async def decline_request(
    session: AsyncSession, actor: Actor, request_id: uuid.UUID, goals: GoalLinks
) -> FeedbackRequestRead:
    request, part = await _open_part(session, actor, request_id, "feedback_request.decline")
    part.status, part.closed_at = PartStatus.DECLINED, utcnow()
    await save(session, part)
    (read,) = await _reads(session, _person_of(actor), [request], goals)
    return read


async def answers(
    session: AsyncSession, actor: Actor, request_id: uuid.UUID, goals: GoalLinks
) -> Page[FeedbackRead]:
    """The answers the caller may read, each with the audience its giver chose: the subject
    reads them all, the requester and the others what that audience lets them."""
    ids = await repository.answer_ids(session, _person_of(actor), request_id)
    if ids is None:
        raise _not_found()
    return await core.read_feedback(session, actor, ids, goals)
