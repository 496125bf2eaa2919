"""Who sees which feedback and its thread, giving, replying, and the one change allowed after
giving (a narrower visibility);
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
from services.feedback.company_values import live_values
from services.feedback.events import (
    FEEDBACK_GIVEN,
    FEEDBACK_REPLIED,
    FEEDBACK_VISIBILITY_NARROWED,
    FeedbackGivenPayload,
    FeedbackRepliedPayload,
    VisibilityNarrowedPayload,
)
from services.feedback.goals import GoalLinks
from services.feedback.models import Feedback, Reply
from services.feedback.repository import Sight
from services.feedback.schemas import (
    FeedbackByObjectiveQuery,
    FeedbackByObjectiveRead,
    FeedbackByPersonQuery,
    FeedbackByPersonRead,
    FeedbackCreate,
    FeedbackKind,
    FeedbackQuery,
    FeedbackRead,
    FeedbackUpdate,
    ObjectiveFeedbackRead,
    PersonFeedbackRead,
    ReplyCreate,
    ReplyRead,
    Visibility,
)

# Relations to an item: its giver is its OWNER, its recipient a PARTICIPANT; MANAGER and
# MANAGEMENT_CHAIN are the recipient's as recorded when the item was given (its audience).
_PUBLIC = Rule.of(Relation.SIGNED_IN, Relation.INTEGRATION, Relation.SERVICE, scope="feedback:read")
_THE_TWO = Rule.of(Relation.OWNER, Relation.PARTICIPANT)

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
        "feedback.read.private": _THE_TWO,
        "feedback.narrow": _THE_TWO,
        # The thread is between the two; everyone in the audience reads it.
        "feedback.reply": _THE_TWO,
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
        # 1:1s (services/feedback/oneonones/): the two people are its PARTICIPANTs; a private
        # note's author its OWNER, and the holder of a calendar feed's secret address the OWNER
        # of that feed. No role reads anything here: HR admins and integrations are absent on
        # purpose, privacy first.
        "one_on_one.create": Rule.of(Relation.SIGNED_IN),
        "one_on_one.read": Rule.of(Relation.PARTICIPANT),
        "one_on_one.write": Rule.of(Relation.PARTICIPANT),
        "one_on_one.private_note": Rule.of(Relation.OWNER),
        "one_on_one.calendar": Rule.of(Relation.SIGNED_IN),
        "one_on_one.calendar_feed": Rule.of(Relation.OWNER),
        # Weekly check-ins (services/feedback/checkins/): the person is the OWNER, the manager
        # recorded when it was submitted the MANAGER, for ever. HR admins and integrations are
        # absent on purpose: the check-in is between the two.
        "weekly_check_in.create": Rule.of(Relation.SIGNED_IN),
        "weekly_check_in.due": Rule.of(Relation.SIGNED_IN),
        "weekly_check_in.read": Rule.of(Relation.OWNER, Relation.MANAGER),
        "weekly_check_in.write": Rule.of(Relation.OWNER),
        "weekly_check_in.reply": Rule.of(Relation.OWNER, Relation.MANAGER),
        # Accountability groups (services/feedback/groups/): members are PARTICIPANTs, an
        # invitee the OWNER of their invitation. Managers, HR admins and integrations read
        # nothing of a group.
        "group.create": Rule.of(Relation.SIGNED_IN),
        "group.read": Rule.of(Relation.PARTICIPANT),
        "group.write": Rule.of(Relation.PARTICIPANT),
        "group.invitation": Rule.of(Relation.OWNER),
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


def relations_to(actor: Actor, item: Feedback) -> set[Relation]:
    """How `actor` stands to `item`, from the item alone (its audience is recorded with it)."""
    relations: set[Relation] = set()
    if actor.person_id is None:
        return relations
    if actor.person_id == item.giver_id:
        relations.add(Relation.OWNER)
    if actor.person_id == item.recipient_id:
        relations.add(Relation.PARTICIPANT)
    if actor.person_id in item.audience:
        relations.add(Relation.MANAGEMENT_CHAIN)
        if item.audience[0] == actor.person_id:
            relations.add(Relation.MANAGER)
    return relations


def _not_found() -> NotFound:
    # The same answer for an unknown id and a hidden item: outsiders learn nothing.
    return NotFound("No feedback has this id.", code="feedback_not_found")


async def _visible(
    session: AsyncSession, actor: Actor, feedback_id: uuid.UUID, *, lock: bool = False
) -> Feedback:
    item = await repository.visible_one(session, sight(actor), feedback_id, lock=lock)
    if item is None:
        raise _not_found()
    return item


async def _present(
    session: AsyncSession, rows: Sequence[Feedback], goals: GoalLinks
) -> list[FeedbackRead]:
    """Items already found visible, each with its thread (one statement for all) and only the
    links to objectives and key results the reader may see (one goals read for all)."""
    threads = await repository.replies_of(session, [row.id for row in rows])
    seen = await goals.seen(
        objective_ids=[row.objective_id for row in rows],
        key_result_ids=[row.key_result_id for row in rows],
    )
    return [
        FeedbackRead.model_validate(
            {
                **row.model_dump(),
                "objective_id": seen.objective(row.objective_id),
                "key_result_id": seen.key_result(row.key_result_id),
                "replies": [ReplyRead.model_validate(reply) for reply in threads.get(row.id, [])],
            }
        )
        for row in rows
    ]


async def get_feedback(
    session: AsyncSession, actor: Actor, feedback_id: uuid.UUID, goals: GoalLinks
) -> FeedbackRead:
    [read] = await _present(session, [await _visible(session, actor, feedback_id)], goals)
    return read


async def list_feedback(
    session: AsyncSession,
    actor: Actor,
    filters: FeedbackQuery,
    params: PageParams,
    goals: GoalLinks,
) -> Page[FeedbackRead]:
    """What the caller may see, oldest first; what they may not is simply absent. Filtered by
    an objective they may not see, nothing is, as for an unknown objective."""
    if filters.objective_id is not None:
        seen = await goals.seen(objective_ids=[filters.objective_id])
        if not seen.objectives:
            return Page(items=[], next_cursor=None)
    rows, cursor = await repository.list_feedback(
        session, sight(actor), params, **filters.model_dump()
    )
    return Page(items=await _present(session, rows, goals), next_cursor=cursor)


async def read_feedback(
    session: AsyncSession, actor: Actor, ids: Sequence[uuid.UUID], goals: GoalLinks
) -> Page[FeedbackRead]:
    """The items among `ids` the caller may see, in the order asked; others are left out, as
    unknown ids are."""
    rows = await repository.by_ids(session, Feedback, ids, repository.visible_in(sight(actor)))
    return Page(items=await _present(session, rows, goals), next_cursor=None)


_NOTHING = repository.Batch(rows=[], has_more=False, next_cursor=None)


async def _grouped(
    session: AsyncSession,
    actor: Actor,
    parent: str,
    parents: Sequence[uuid.UUID],
    per: int,
    goals: GoalLinks,
) -> list[tuple[uuid.UUID, Page[FeedbackRead], bool]]:
    parents = list(dict.fromkeys(parents))
    columns = repository.PARENT_COLUMNS[parent]
    # An objective the caller may not see has no feedback for them, as an unknown one.
    asked = parents
    if parent == "objective":
        seen = await goals.seen(objective_ids=parents)
        asked = [id_ for id_ in parents if id_ in seen.objectives]
    batches = dict.fromkeys(parents, _NOTHING)
    if asked:
        batches |= await repository.first_of_each(session, sight(actor), columns, asked, per)
    reads = iter(
        await _present(session, [row for id_ in parents for row in batches[id_].rows], goals)
    )
    return [
        (
            id_,
            Page(
                items=[next(reads) for _ in batches[id_].rows], next_cursor=batches[id_].next_cursor
            ),
            batches[id_].has_more,
        )
        for id_ in parents
    ]


async def feedback_by_person(
    session: AsyncSession, actor: Actor, query: FeedbackByPersonQuery, goals: GoalLinks
) -> FeedbackByPersonRead:
    """The first items each person received, gave, or either, that the caller may see."""
    groups = await _grouped(
        session, actor, query.role.value, query.person_id, query.per_person, goals
    )
    return FeedbackByPersonRead(
        groups=[
            PersonFeedbackRead(
                person_id=id_, items=page.items, next_cursor=page.next_cursor, has_more=more
            )
            for id_, page, more in groups
        ]
    )


async def feedback_by_objective(
    session: AsyncSession, actor: Actor, query: FeedbackByObjectiveQuery, goals: GoalLinks
) -> FeedbackByObjectiveRead:
    """The first items about each objective that the caller may see (none about an objective
    they may not see)."""
    groups = await _grouped(
        session, actor, "objective", query.objective_id, query.per_objective, goals
    )
    return FeedbackByObjectiveRead(
        groups=[
            ObjectiveFeedbackRead(
                objective_id=id_, items=page.items, next_cursor=page.next_cursor, has_more=more
            )
            for id_, page, more in groups
        ]
    )


async def _check_kind(session: AsyncSession, giver_id: uuid.UUID, data: FeedbackCreate) -> None:
    if data.kind is not FeedbackKind.UPWARD:
        return
    giver = await repository.person(session, giver_id)
    if giver is None or giver.manager_id != data.recipient_id:
        raise Conflict(
            "Upward feedback goes to your own manager.",
            code="upward_not_to_manager",
            field="body.recipient_id",
        )


async def give_feedback(
    session: AsyncSession, actor: Actor, data: FeedbackCreate, goals: GoalLinks
) -> FeedbackRead:
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
    await _check_kind(session, actor.person_id, data)
    if data.value_id is not None:
        await live_values(session, [data.value_id], field="body.value_id")
    # Last: the goals service is asked only about a gift that is otherwise right.
    await goals.check(objective_id=data.objective_id, key_result_id=data.key_result_id)
    # The audience is fixed now: the chain as it stands at giving, whoever manages later.
    audience = list(dict.fromkeys(await orgcopy.management_chain(session, recipient.id)))
    item = Feedback.model_validate(
        {**data.model_dump(), "giver_id": actor.person_id, "audience": audience}
    )
    await repository.save(session, item)
    await record_event(
        session,
        FEEDBACK_GIVEN,
        FeedbackGivenPayload.model_validate(item, from_attributes=True),
    )
    [read] = await _present(session, [item], goals)
    return read


async def reply(
    session: AsyncSession, actor: Actor, feedback_id: uuid.UUID, data: ReplyCreate
) -> ReplyRead:
    """The recipient answers, and the thread goes on between the two; the audience reads it."""
    item = await _visible(session, actor, feedback_id)
    POLICY.authorize(actor, "feedback.reply", relations_to(actor, item))
    if actor.person_id is None:  # people only, per the policy; this keeps types honest
        raise Forbidden("Only people reply.")
    message = Reply(feedback_id=item.id, author_id=actor.person_id, body=data.body)
    await repository.save(session, message)
    await record_event(
        session,
        FEEDBACK_REPLIED,
        FeedbackRepliedPayload(
            id=message.id,
            feedback_id=item.id,
            author_id=message.author_id,
            giver_id=item.giver_id,
            recipient_id=item.recipient_id,
            kind=item.kind,
            visibility=item.visibility,
            created_at=message.created_at,
        ),
    )
    return ReplyRead.model_validate(message)


async def narrow_visibility(
    session: AsyncSession,
    actor: Actor,
    feedback_id: uuid.UUID,
    data: FeedbackUpdate,
    if_match: str | None,
    goals: GoalLinks,
) -> FeedbackRead:
    """The giver or the recipient may narrow who sees an item (public → manager → private),
    never widen it."""
    item = await _visible(session, actor, feedback_id, lock=True)
    POLICY.authorize(actor, "feedback.narrow", relations_to(actor, item))
    check_if_match(if_match, item.version)
    old = item.visibility
    if _WIDTH[data.visibility] > _WIDTH[old]:
        raise Conflict(
            f"Visibility `{old}` cannot become `{data.visibility}`: it can only be narrowed.",
            code="visibility_cannot_widen",
            field="body.visibility",
        )
    if data.visibility == old:
        [read] = await _present(session, [item], goals)
        return read
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
            narrowed_by=actor.person_id,
        ),
    )
    [read] = await _present(session, [item], goals)
    return read
