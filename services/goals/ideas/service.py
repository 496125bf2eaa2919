"""The rules of ideas (DOMAIN.md §1: resources follow the quality of ideas, not rank).

- Anyone signed in proposes an idea and reads every idea; its standing comes from its
  reviews alone, computed in SQL, and nothing of the proposer but their id is kept.
- Peers review it on impact, evidence and feasibility (1-5 each) with a comment, once each,
  and change their review until the idea is decided; nobody reviews their own idea.
- A review is read whole by its reviewer alone: everyone else (the proposer, HR admins, the
  reviewer's manager) reads the standing and the comments, without names or scores.
- HR admins decide: allocate (resources granted, by whom; it may start an experiment or a new
  objective, created here in the same transaction) or decline; the proposer may withdraw it.

Each change is flushed in the caller's transaction with its event."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor
from kit.errors import Conflict, Forbidden, NotFound
from kit.etag import check_if_match
from kit.events import record_event
from kit.pagination import Page
from kit.repository import apply_patch, changed
from services.goals import service as core
from services.goals.ideas import repository
from services.goals.ideas.events import (
    IDEA_ALLOCATED,
    IDEA_PROPOSED,
    IDEA_REVIEWED,
    IdeaAllocatedPayload,
    IdeaPayload,
    IdeaReviewedPayload,
)
from services.goals.ideas.models import Idea, IdeaAllocation, IdeaReview
from services.goals.ideas.schemas import (
    MAX_COMMENTS,
    MIN_REVIEWS_FOR_STANDING,
    OPEN_STATUSES,
    AllocationCreate,
    AllocationRead,
    IdeaClose,
    IdeaCreate,
    IdeaQuery,
    IdeaRead,
    IdeaReviewsRead,
    IdeaStatus,
    ResourcesRead,
    ReviewCreate,
    ReviewRead,
    ReviewUpdate,
    SpawnedKind,
    StandingRead,
)

_NOT_FOUND = "No idea has this id."


# --- Presenting ------------------------------------------------------------------------------


def _standing(found: dict[str, Any] | None) -> StandingRead:
    count = 0 if found is None else int(found["review_count"])
    if found is None or count < MIN_REVIEWS_FOR_STANDING:
        return StandingRead(
            review_count=count, impact=None, evidence=None, feasibility=None, overall=None
        )
    criteria = ("impact", "evidence", "feasibility", "overall")
    return StandingRead(review_count=count, **{name: float(found[name]) for name in criteria})


def _resources(row: Idea | IdeaAllocation) -> ResourcesRead:
    return ResourcesRead(
        time_person_days=row.time_person_days,
        budget_amount=row.budget_amount,
        budget_currency=row.budget_currency,
    )


def _allocation(row: IdeaAllocation | None) -> AllocationRead | None:
    if row is None:
        return None
    return AllocationRead(
        granted=_resources(row),
        note=row.note,
        allocated_by=row.allocated_by,
        spawned_kind=row.spawned_kind,
        spawned_id=row.spawned_id,
        allocated_at=row.created_at,
    )


async def present_ideas(session: AsyncSession, ideas: Sequence[Idea]) -> list[IdeaRead]:
    """Ideas with their standing and allocation: two statements for a whole page."""
    ids = [idea.id for idea in ideas]
    standings = await repository.standings(session, ids)
    allocations = await repository.allocations(session, ids)
    return [
        IdeaRead(
            **idea.model_dump(
                include={
                    "id",
                    "headline",
                    "problem",
                    "proposal",
                    "expected_impact",
                    "status",
                    "proposer_id",
                    "closing_note",
                    "created_at",
                    "updated_at",
                    "version",
                }
            ),
            resources=_resources(idea),
            standing=_standing(standings.get(idea.id)),
            allocation=_allocation(allocations.get(idea.id)),
        )
        for idea in ideas
    ]


async def _present(session: AsyncSession, idea: Idea) -> IdeaRead:
    (read,) = await present_ideas(session, [idea])
    return read


def _review(review: IdeaReview) -> ReviewRead:
    return ReviewRead.model_validate(review.model_dump())


def _payload(idea: Idea) -> IdeaPayload:
    return IdeaPayload(idea_id=idea.id, proposer_id=idea.proposer_id, status=idea.status)


async def _idea(session: AsyncSession, idea_id: uuid.UUID, *, lock: bool = False) -> Idea:
    idea = await repository.idea(session, idea_id, lock=lock)
    if idea is None:
        raise NotFound(_NOT_FOUND, code="idea_not_found")
    return idea


def _refuse_decided(idea: Idea) -> None:
    if idea.status not in OPEN_STATUSES:
        raise Conflict(
            f"This idea is {idea.status.value}: it is decided and takes no more changes.",
            code="idea_decided",
        )


# --- Ideas -----------------------------------------------------------------------------------


async def propose_idea(session: AsyncSession, actor: Actor, data: IdeaCreate) -> IdeaRead:
    proposer = core.person_of(actor)
    idea = Idea.model_validate(
        {**data.model_dump(exclude={"resources"}), **data.resources.model_dump()}
        | {"proposer_id": proposer}
    )
    await repository.save(session, idea)
    await record_event(session, IDEA_PROPOSED, _payload(idea))
    return await _present(session, idea)


async def list_ideas(session: AsyncSession, actor: Actor, query: IdeaQuery) -> Page[IdeaRead]:
    """Every idea (they are the organisation's), oldest first; or exactly those of `id`."""
    if query.id:
        found = await repository.ideas_by_ids(session, query.id)
        return Page(items=await present_ideas(session, found), next_cursor=None)
    rows, cursor = await repository.list_ideas(
        session, query.page(), status=query.status, proposer_id=query.proposer_id
    )
    return Page(items=await present_ideas(session, rows), next_cursor=cursor)


async def get_idea(session: AsyncSession, actor: Actor, idea_id: uuid.UUID) -> IdeaRead:
    return await _present(session, await _idea(session, idea_id))


async def close_idea(
    session: AsyncSession,
    actor: Actor,
    idea_id: uuid.UUID,
    data: IdeaClose,
    status: IdeaStatus,
) -> IdeaRead:
    """Decline (HR admins; the route's policy says so) or withdraw (its proposer only)."""
    idea = await _idea(session, idea_id, lock=True)
    if status == IdeaStatus.WITHDRAWN and actor.person_id != idea.proposer_id:
        raise Forbidden("Only its proposer withdraws an idea.", code="not_proposer")
    _refuse_decided(idea)
    apply_patch(idea, {"status": status, "closing_note": data.note})
    await repository.save(session, idea)
    return await _present(session, idea)


async def allocate_idea(
    session: AsyncSession, actor: Actor, idea_id: uuid.UUID, data: AllocationCreate
) -> IdeaRead:
    """Grant resources to a reviewed idea, and start what it leads to: a reference to an
    experiment, or a new objective created through the goals core (its own rules and event),
    in this same transaction."""
    allocator = core.person_of(actor)
    idea = await _idea(session, idea_id, lock=True)
    _refuse_decided(idea)
    if await repository.count_reviews(session, idea.id) == 0:
        raise Conflict("An idea is resourced on its reviews: it has none yet.", code="not_reviewed")
    spawned: tuple[SpawnedKind, uuid.UUID] | None = None
    if data.experiment_id is not None:
        spawned = (SpawnedKind.EXPERIMENT, data.experiment_id)
    elif data.objective is not None:
        objective = await core.create_objective(session, actor, data.objective)
        spawned = (SpawnedKind.OBJECTIVE, objective.id)
    allocation = IdeaAllocation(
        idea_id=idea.id,
        **data.granted.model_dump(),
        note=data.note,
        allocated_by=allocator,
        spawned_kind=spawned[0] if spawned else None,
        spawned_id=spawned[1] if spawned else None,
    )
    apply_patch(idea, {"status": IdeaStatus.ALLOCATED})
    await repository.save(session, idea, allocation)
    await record_event(
        session,
        IDEA_ALLOCATED,
        IdeaAllocatedPayload(
            **_payload(idea).model_dump(),
            allocated_by=allocator,
            spawned_kind=allocation.spawned_kind,
            spawned_id=allocation.spawned_id,
        ),
    )
    return await _present(session, idea)


# --- Reviews ---------------------------------------------------------------------------------


async def _record_reviewed(session: AsyncSession, idea: Idea, *, first: bool) -> None:
    await record_event(
        session,
        IDEA_REVIEWED,
        IdeaReviewedPayload(
            **_payload(idea).model_dump(),
            review_count=await repository.count_reviews(session, idea.id),
            first=first,
        ),
    )


async def review_idea(
    session: AsyncSession, actor: Actor, idea_id: uuid.UUID, data: ReviewCreate
) -> ReviewRead:
    reviewer = core.person_of(actor)
    idea = await _idea(session, idea_id, lock=True)
    if idea.proposer_id == reviewer:
        raise Forbidden("Nobody reviews their own idea.", code="own_idea")
    _refuse_decided(idea)
    if await repository.review_of(session, idea.id, reviewer) is not None:
        raise Conflict(
            "You reviewed this idea already: change your review instead.",
            code="already_reviewed",
        )
    review = IdeaReview(idea_id=idea.id, reviewer_id=reviewer, **data.model_dump())
    await repository.save(session, review)
    if idea.status == IdeaStatus.PROPOSED:
        apply_patch(idea, {"status": IdeaStatus.UNDER_REVIEW})
        await repository.save(session, idea)
    await _record_reviewed(session, idea, first=True)
    return _review(review)


async def update_review(
    session: AsyncSession,
    actor: Actor,
    review_id: uuid.UUID,
    data: ReviewUpdate,
    if_match: str | None,
) -> ReviewRead:
    """Change your own review while the idea is open; another's review is unknown (404)."""
    review = await repository.review(session, review_id, core.person_of(actor), lock=True)
    if review is None:
        raise NotFound("No review of yours has this id.", code="review_not_found")
    check_if_match(if_match, review.version)
    idea = await _idea(session, review.idea_id, lock=True)
    _refuse_decided(idea)
    changes = changed(review, data.model_dump(exclude_unset=True))
    if changes:
        apply_patch(review, changes)
        await repository.save(session, review)
        await _record_reviewed(session, idea, first=False)
    return _review(review)


async def idea_reviews(session: AsyncSession, actor: Actor, idea_id: uuid.UUID) -> IdeaReviewsRead:
    idea = await _idea(session, idea_id)
    mine = None
    if actor.person_id is not None:
        mine = await repository.review_of(session, idea.id, actor.person_id)
    standings = await repository.standings(session, [idea.id])
    return IdeaReviewsRead(
        idea_id=idea.id,
        standing=_standing(standings.get(idea.id)),
        mine=None if mine is None else _review(mine),
        comments=await repository.comments(session, idea.id, MAX_COMMENTS),
    )
