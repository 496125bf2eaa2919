"""Who sees which feedback, and the one change allowed after giving (a narrower visibility);
each change is written with its event, in the caller's transaction (flushed, never committed)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from kit import orgcopy
from kit.auth import Actor
from kit.errors import Conflict, Forbidden, NotFound, Unprocessable
from kit.etag import check_if_match
from kit.events import record_event
from kit.pagination import Page, PageParams
from kit.policies import RESOURCE_RELATIONS, PolicyTable, Relation, Rule
from kit.repository import apply_patch
from services.feedback import repository
from services.feedback.events import (
    FEEDBACK_GIVEN,
    FEEDBACK_VISIBILITY_NARROWED,
    FeedbackGivenPayload,
    VisibilityNarrowedPayload,
)
from services.feedback.models import Feedback
from services.feedback.repository import Sight
from services.feedback.schemas import (
    FeedbackCreate,
    FeedbackQuery,
    FeedbackRead,
    FeedbackUpdate,
    Visibility,
)

# Relations to an item: its giver is its OWNER, its recipient a PARTICIPANT; MANAGER and
# MANAGEMENT_CHAIN are the recipient's (as the org copy has them now).
_PUBLIC = Rule.of(Relation.SIGNED_IN, Relation.INTEGRATION, Relation.SERVICE, scope="feedback:read")

POLICY = PolicyTable(
    {
        "feedback.give": Rule.of(Relation.SIGNED_IN),
        # What routes name to read; each item then needs the rule of its visibility, below.
        "feedback.read": _PUBLIC,
        # Integrations and our services read public feedback only: privacy first. HR admins
        # are absent on purpose: private feedback belongs to its giver and recipient.
        "feedback.read.public": _PUBLIC,
        "feedback.read.manager": Rule.of(
            Relation.OWNER, Relation.PARTICIPANT, Relation.MANAGEMENT_CHAIN
        ),
        "feedback.read.private": Rule.of(Relation.OWNER, Relation.PARTICIPANT),
        "feedback.narrow": Rule.of(Relation.OWNER),
        # Feedback requests (services/feedback/requests/): OWNER and MANAGER of the subject may
        # ask; a request's requester is its OWNER, its subject and people asked PARTICIPANTs.
        "feedback_request.create": Rule.of(Relation.OWNER, Relation.MANAGER),
        "feedback_request.read": Rule.of(Relation.OWNER, Relation.PARTICIPANT),
        "feedback_request.update": Rule.of(Relation.OWNER),
        "feedback_request.answer": Rule.of(Relation.PARTICIPANT),
        "feedback_request.decline": Rule.of(Relation.PARTICIPANT),
        # Recognition (services/feedback/recognition/) is public; HR admins keep the values.
        "company_value.read": _PUBLIC,
        "company_value.manage": Rule.of(Relation.HR_ADMIN),
        "recognition.give": Rule.of(Relation.SIGNED_IN),
        "recognition.read": _PUBLIC,
        "recognition.react": Rule.of(Relation.SIGNED_IN),
        # Nominations (services/feedback/nominations/): HR admins open and close periods but
        # read no more than anyone: counts once closed, never who nominated whom.
        "nomination_period.read": _PUBLIC,
        "nomination_period.manage": Rule.of(Relation.HR_ADMIN),
        "nomination.give": Rule.of(Relation.SIGNED_IN),
        "nomination.read_own": Rule.of(Relation.SIGNED_IN),
        "nomination.results": _PUBLIC,
        "nomination.reasons": Rule.of(Relation.SIGNED_IN),
    }
)

# From the narrowest audience to the widest; an item may only move down this list.
_WIDTH = {Visibility.PRIVATE: 0, Visibility.MANAGER: 1, Visibility.PUBLIC: 2}


def read_action(visibility: Visibility) -> str:
    return f"feedback.read.{visibility}"


def sight(actor: Actor) -> Sight:
    """What `actor` may see of all feedback, from the same table single reads are judged by."""
    everything: set[Visibility] = set()
    through: dict[Visibility, frozenset[Relation]] = {}
    for visibility in Visibility:
        action = read_action(visibility)
        if POLICY.permits(actor, action):
            everything.add(visibility)
        elif actor.is_person:
            through[visibility] = POLICY.rules[action].allow & RESOURCE_RELATIONS
    return Sight(person_id=actor.person_id, everything=frozenset(everything), through=through)


async def relations_to(session: AsyncSession, actor: Actor, item: Feedback) -> set[Relation]:
    if actor.person_id is None:
        return set()
    above = await orgcopy.relations_to_person(session, actor, item.recipient_id)
    relations = above & {Relation.MANAGER, Relation.MANAGEMENT_CHAIN}
    if actor.person_id == item.giver_id:
        relations.add(Relation.OWNER)
    if actor.person_id == item.recipient_id:
        relations.add(Relation.PARTICIPANT)
    return relations


def _not_found() -> NotFound:
    # The same answer for an unknown id and a hidden item: outsiders learn nothing.
    return NotFound("No feedback has this id.", code="feedback_not_found")


async def _visible(
    session: AsyncSession, actor: Actor, feedback_id: uuid.UUID, *, lock: bool = False
) -> tuple[Feedback, set[Relation]]:
    item = await repository.get(session, Feedback, feedback_id, lock=lock)
    if item is None:
        raise _not_found()
    relations = await relations_to(session, actor, item)
    if not POLICY.permits(actor, read_action(item.visibility), relations):
        raise _not_found()
    return item, relations


async def get_feedback(session: AsyncSession, actor: Actor, feedback_id: uuid.UUID) -> FeedbackRead:
    item, _ = await _visible(session, actor, feedback_id)
    return FeedbackRead.model_validate(item)


async def list_feedback(
    session: AsyncSession, actor: Actor, filters: FeedbackQuery, params: PageParams
) -> Page[FeedbackRead]:
    """What the caller may see, oldest first; what they may not is simply absent."""
    rows, cursor = await repository.list_feedback(
        session, sight(actor), params, **filters.model_dump()
    )
    return Page(items=[FeedbackRead.model_validate(row) for row in rows], next_cursor=cursor)


async def read_feedback(
    session: AsyncSession, actor: Actor, ids: Sequence[uuid.UUID]
) -> Page[FeedbackRead]:
    """The items among `ids` the caller may see, in the order asked; others are left out, as
    unknown ids are."""
    rows = await repository.by_ids(session, Feedback, ids, repository.visible_in(sight(actor)))
    return Page(items=[FeedbackRead.model_validate(row) for row in rows], next_cursor=None)


async def give_feedback(session: AsyncSession, actor: Actor, data: FeedbackCreate) -> FeedbackRead:
    if actor.person_id is None:  # the policy lets only people give; this keeps types honest
        raise Forbidden("Only people give feedback.")
    if data.recipient_id == actor.person_id:
        raise Conflict(
            "Feedback goes to someone else.", code="self_feedback", field="body.recipient_id"
        )
    recipient = await repository.person(session, data.recipient_id)
    if recipient is None:
        raise Unprocessable(
            "No person has this id.", code="unknown_recipient", field="body.recipient_id"
        )
    if not recipient.active:
        raise Conflict(
            "This person has left; feedback cannot reach them.",
            code="recipient_inactive",
            field="body.recipient_id",
        )
    item = Feedback.model_validate({**data.model_dump(), "giver_id": actor.person_id})
    await repository.save(session, item)
    await record_event(
        session,
        FEEDBACK_GIVEN,
        FeedbackGivenPayload(
            id=item.id,
            giver_id=item.giver_id,
            recipient_id=item.recipient_id,
            kind=item.kind,
            visibility=item.visibility,
            created_at=item.created_at,
        ),
    )
    return FeedbackRead.model_validate(item)


async def narrow_visibility(
    session: AsyncSession,
    actor: Actor,
    feedback_id: uuid.UUID,
    data: FeedbackUpdate,
    if_match: str | None,
) -> FeedbackRead:
    """The giver may narrow who sees an item (public → manager → private), never widen it."""
    item, relations = await _visible(session, actor, feedback_id, lock=True)
    POLICY.authorize(actor, "feedback.narrow", relations)
    check_if_match(if_match, item.version)
    old = item.visibility
    if _WIDTH[data.visibility] > _WIDTH[old]:
        raise Conflict(
            f"Visibility `{old}` cannot become `{data.visibility}`: it can only be narrowed.",
            code="visibility_cannot_widen",
            field="body.visibility",
        )
    if data.visibility == old:
        return FeedbackRead.model_validate(item)
    apply_patch(item, {"visibility": data.visibility})
    await repository.save(session, item)
    await record_event(
        session,
        FEEDBACK_VISIBILITY_NARROWED,
        VisibilityNarrowedPayload(
            id=item.id,
            giver_id=item.giver_id,
            recipient_id=item.recipient_id,
            old_visibility=old,
            new_visibility=item.visibility,
        ),
    )
    return FeedbackRead.model_validate(item)
