"""The rules of development goals (DOMAIN.md §2, "personal performance"; §3, learning plans).

- A person sets goals for their own growth, and they alone change them, plan their learning
  and complete them. Another service (assessment) creates one for a person by forwarding the
  person's own token, as the gateway does: it acts with the person's rights, never its own.
- A goal is read by its person, their management chain and HR admins; beyond them only by
  whom the person shares it with: named people (`sharing: people`) or everyone signed in
  (`organisation`). To anyone else it does not exist: 404 on every path, decided in the
  statement that looks for it (`repository.visible`).
- Skills are ids of the directory's skills catalogue, each named once. The goals service's
  copy of the directory carries people and teams, not skills, so the people service is asked,
  in one batch read with the caller's own token, for the ids a create or an update adds: an
  id it does not hold is 422 `unknown_skill`, no answer is 503 `people_unavailable`, and
  nothing is saved either way. Ids the goal has already are kept unasked (the catalogue
  neither deletes nor retires skills today; should it come to retire them, a goal keeps its
  retired skills and only new links are refused).

Each change is flushed in the caller's transaction with its event."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor
from kit.errors import Conflict, NotFound, Unprocessable
from kit.etag import check_if_match
from kit.events import EventType, record_event
from kit.models import utcnow
from kit.pagination import Page
from kit.policies import Relation
from kit.repository import apply_patch, changed
from services.goals import service as core
from services.goals.development import repository
from services.goals.development.events import (
    DEVELOPMENT_GOAL_COMPLETED,
    DEVELOPMENT_GOAL_CREATED,
    DevelopmentGoalPayload,
)
from services.goals.development.models import DevelopmentGoal, LearningItem
from services.goals.development.repository import GoalSight
from services.goals.development.schemas import (
    MAX_ITEMS_PER_GOAL,
    DevelopmentGoalComplete,
    DevelopmentGoalCreate,
    DevelopmentGoalQuery,
    DevelopmentGoalRead,
    DevelopmentGoalStatus,
    DevelopmentGoalUpdate,
    LearningItemCreate,
    LearningItemRead,
    LearningItemUpdate,
    Sharing,
)
from services.goals.people import SkillsCatalogue
from services.goals.service import POLICY

_NOT_FOUND = "No development goal has this id."


def sight_of(actor: Actor) -> GoalSight:
    """HR admins see every goal; a person theirs, their reports' and those shared with them;
    everyone (integrations and services too) those shared with the organisation."""
    if POLICY.permits(actor, "development_goal.read_private"):
        return GoalSight(everything=True)
    return GoalSight(person_id=actor.person_id)


def _relations(actor: Actor, goal: DevelopmentGoal) -> set[Relation]:
    return {Relation.OWNER} if actor.person_id == goal.person_id else set()


async def present_goals(
    session: AsyncSession, goals: Sequence[DevelopmentGoal]
) -> list[DevelopmentGoalRead]:
    """Goals with their learning plans: one statement for a whole page."""
    plans = await repository.plans(session, [goal.id for goal in goals])
    return [
        DevelopmentGoalRead.model_validate(
            {
                **goal.model_dump(),
                "plan": [LearningItemRead.model_validate(i.model_dump()) for i in plans[goal.id]],
            }
        )
        for goal in goals
    ]


async def _present(session: AsyncSession, goal: DevelopmentGoal) -> DevelopmentGoalRead:
    (read,) = await present_goals(session, [goal])
    return read


async def _record(
    session: AsyncSession, event: EventType[DevelopmentGoalPayload], goal: DevelopmentGoal
) -> None:
    items = len((await repository.plans(session, [goal.id]))[goal.id])
    await record_event(
        session,
        event,
        DevelopmentGoalPayload(
            goal_id=goal.id, person_id=goal.person_id, sharing=goal.sharing, plan_items=items
        ),
    )


async def _goal_to_change(
    session: AsyncSession, actor: Actor, goal_id: uuid.UUID
) -> DevelopmentGoal:
    """The goal, held, if the actor sees it (404 otherwise), may change it (403: only its
    person) and it is still active (409 `goal_completed`)."""
    goal = await repository.visible_goal(session, sight_of(actor), goal_id, lock=True)
    if goal is None:
        raise NotFound(_NOT_FOUND, code="development_goal_not_found")
    POLICY.authorize(actor, "development_goal.update", _relations(actor, goal))
    _refuse_completed(goal)
    return goal


def _refuse_completed(goal: DevelopmentGoal) -> None:
    if goal.status == DevelopmentGoalStatus.COMPLETED:
        raise Conflict("This development goal is completed.", code="goal_completed")


async def _check_shared_with(
    session: AsyncSession, person_id: uuid.UUID, shared_with: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    people = core.distinct(shared_with)
    for index, other in enumerate(people):
        field = f"body.shared_with.{index}"
        await core.person_in_copy(session, other, code="unknown_person", field=field)
        if other == person_id:
            raise Unprocessable(
                "Your own goals are yours to read already.", code="shared_with_self", field=field
            )
    return people


async def _check_skills(
    catalogue: SkillsCatalogue,
    skill_ids: Sequence[uuid.UUID],
    *,
    kept: Collection[uuid.UUID] = (),
) -> None:
    """422 `duplicate_skill` for an id named twice and `unknown_skill` for one the directory's
    catalogue does not hold, naming its place in `skill_ids`; those in `kept` (the goal's
    own already) are not asked again."""
    for index, skill_id in enumerate(skill_ids):
        if skill_id in skill_ids[:index]:
            raise Unprocessable(
                "This skill is named already.",
                code="duplicate_skill",
                field=f"body.skill_ids.{index}",
            )
    added = [skill_id for skill_id in skill_ids if skill_id not in kept]
    known = await catalogue.known(added)
    for index, skill_id in enumerate(skill_ids):
        if skill_id in added and skill_id not in known:
            raise Unprocessable(
                "No skill of the directory's catalogue has this id.",
                code="unknown_skill",
                field=f"body.skill_ids.{index}",
            )


# --- Goals -----------------------------------------------------------------------------------


async def create_goal(
    session: AsyncSession, actor: Actor, data: DevelopmentGoalCreate, skills: SkillsCatalogue
) -> DevelopmentGoalRead:
    person = core.person_of(actor)
    shared_with = await _check_shared_with(session, person, data.shared_with)
    await _check_skills(skills, data.skill_ids)
    goal = DevelopmentGoal.model_validate(
        data.model_dump(exclude={"plan", "shared_with"})
        | {"person_id": person, "created_by": person, "shared_with": shared_with}
    )
    await repository.save(session, goal)
    for item in data.plan:
        await repository.save(session, LearningItem(goal_id=goal.id, **item.model_dump()))
    await _record(session, DEVELOPMENT_GOAL_CREATED, goal)
    return await _present(session, goal)


async def list_goals(
    session: AsyncSession, actor: Actor, query: DevelopmentGoalQuery
) -> Page[DevelopmentGoalRead]:
    """The goals the actor may see, oldest first; or exactly those of `id` (hidden ones are
    left out, as unknown ones are)."""
    sight = sight_of(actor)
    if query.id:
        found = await repository.goals_by_ids(session, sight, query.id)
        return Page(items=await present_goals(session, found), next_cursor=None)
    rows, cursor = await repository.list_goals(
        session, sight, query.page(), person_id=query.person_id, status=query.status
    )
    return Page(items=await present_goals(session, rows), next_cursor=cursor)


async def get_goal(session: AsyncSession, actor: Actor, goal_id: uuid.UUID) -> DevelopmentGoalRead:
    goal = await repository.visible_goal(session, sight_of(actor), goal_id)
    if goal is None:
        raise NotFound(_NOT_FOUND, code="development_goal_not_found")
    return await _present(session, goal)


async def update_goal(
    session: AsyncSession,
    actor: Actor,
    goal_id: uuid.UUID,
    data: DevelopmentGoalUpdate,
    if_match: str | None,
    skills: SkillsCatalogue,
) -> DevelopmentGoalRead:
    """Change its words, skills, date or sharing. Sharing other than `people` names nobody:
    moving to it forgets the people named."""
    goal = await _goal_to_change(session, actor, goal_id)
    check_if_match(if_match, goal.version)
    sent: dict[str, Any] = data.model_dump(exclude_unset=True)
    sharing = sent.get("sharing", goal.sharing)
    if "shared_with" in sent:
        sent["shared_with"] = await _check_shared_with(session, goal.person_id, sent["shared_with"])
    elif sharing != Sharing.PEOPLE:
        sent["shared_with"] = []
    if sharing == Sharing.PEOPLE and not sent.get("shared_with", goal.shared_with):
        raise Unprocessable(
            "`sharing: people` needs people in `shared_with`.",
            code="name_people",
            field="body.shared_with",
        )
    if sharing != Sharing.PEOPLE and sent["shared_with"]:
        raise Unprocessable(
            "`shared_with` goes with `sharing: people`.",
            code="shared_with_needs_people",
            field="body.shared_with",
        )
    if "skill_ids" in sent:
        await _check_skills(skills, sent["skill_ids"], kept=goal.skill_ids)
    changes = changed(goal, sent)
    if changes:
        apply_patch(goal, changes)
        await repository.save(session, goal)
    return await _present(session, goal)


async def complete_goal(
    session: AsyncSession, actor: Actor, goal_id: uuid.UUID, data: DevelopmentGoalComplete
) -> DevelopmentGoalRead:
    goal = await _goal_to_change(session, actor, goal_id)
    apply_patch(
        goal,
        {
            "status": DevelopmentGoalStatus.COMPLETED,
            "completed_at": utcnow(),
            "completion_note": data.note,
        },
    )
    await repository.save(session, goal)
    await _record(session, DEVELOPMENT_GOAL_COMPLETED, goal)
    return await _present(session, goal)


# --- The learning plan -----------------------------------------------------------------------


async def add_item(
    session: AsyncSession, actor: Actor, goal_id: uuid.UUID, data: LearningItemCreate
) -> LearningItemRead:
    goal = await _goal_to_change(session, actor, goal_id)
    if len((await repository.plans(session, [goal.id]))[goal.id]) >= MAX_ITEMS_PER_GOAL:
        raise Conflict(
            f"A learning plan holds at most {MAX_ITEMS_PER_GOAL} items.", code="plan_full"
        )
    item = LearningItem(goal_id=goal.id, **data.model_dump())
    apply_patch(goal, {})
    await repository.save(session, item, goal)
    return LearningItemRead.model_validate(item.model_dump())


async def update_item(
    session: AsyncSession,
    actor: Actor,
    item_id: uuid.UUID,
    data: LearningItemUpdate,
    if_match: str | None,
) -> LearningItemRead:
    """Change an item's status, evidence or words (its goal's person; 404 to whoever does
    not see the goal)."""
    found = await repository.visible_item(session, sight_of(actor), item_id)
    if found is None:
        raise NotFound("No learning item has this id.", code="learning_item_not_found")
    item, goal = found
    POLICY.authorize(actor, "development_goal.update", _relations(actor, goal))
    _refuse_completed(goal)
    check_if_match(if_match, item.version)
    changes = changed(item, data.model_dump(exclude_unset=True))
    if changes:
        apply_patch(item, changes)
        apply_patch(goal, {})
        await repository.save(session, item, goal)
    return LearningItemRead.model_validate(item.model_dump())
