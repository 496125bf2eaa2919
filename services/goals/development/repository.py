"""The SQL of development goals. Who sees a goal is decided in the statement that finds it
(`visible`), the same for one goal, a page, a batch and a plan item: a hidden goal and an
unknown id take the same path."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, or_, true
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import below
from kit.pagination import PageParams, paginate
from kit.repository import save as save
from services.goals.development.models import DevelopmentGoal, LearningItem
from services.goals.development.schemas import DevelopmentGoalStatus, Sharing


@dataclass(frozen=True, slots=True)
class GoalSight:
    """Which goals a caller sees: every one (`everything`), or those shared with the
    organisation and, for a person, their own, their reports' (at any depth) and those
    shared with them by name."""

    everything: bool = False
    person_id: uuid.UUID | None = None


def visible(sight: GoalSight) -> ColumnElement[bool]:
    if sight.everything:
        return true()
    goal = DevelopmentGoal
    conditions: list[ColumnElement[bool]] = [col(goal.sharing) == Sharing.ORGANISATION]
    if sight.person_id is not None:
        reports = below(sight.person_id)
        conditions += [
            col(goal.person_id) == sight.person_id,
            col(goal.person_id).in_(select(reports.c.id)),
            and_(
                col(goal.sharing) == Sharing.PEOPLE,
                col(goal.shared_with).any_() == sight.person_id,
            ),
        ]
    return or_(*conditions)


async def visible_goal(
    session: AsyncSession, sight: GoalSight, goal_id: uuid.UUID, *, lock: bool = False
) -> DevelopmentGoal | None:
    statement = select(DevelopmentGoal).where(col(DevelopmentGoal.id) == goal_id, visible(sight))
    if lock:
        statement = statement.with_for_update(of=DevelopmentGoal).execution_options(
            populate_existing=True
        )
    return (await session.exec(statement)).first()


async def visible_item(
    session: AsyncSession, sight: GoalSight, item_id: uuid.UUID
) -> tuple[LearningItem, DevelopmentGoal] | None:
    """The item and its goal if `sight` sees the goal, both held for a change."""
    statement = (
        select(LearningItem, DevelopmentGoal)
        .join(DevelopmentGoal, col(DevelopmentGoal.id) == col(LearningItem.goal_id))
        .where(col(LearningItem.id) == item_id, visible(sight))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    row = (await session.exec(statement)).first()
    return None if row is None else (row[0], row[1])


async def list_goals(
    session: AsyncSession,
    sight: GoalSight,
    params: PageParams,
    *,
    person_id: uuid.UUID | None,
    status: DevelopmentGoalStatus | None,
) -> tuple[Sequence[DevelopmentGoal], str | None]:
    statement = select(DevelopmentGoal).where(visible(sight))
    if person_id is not None:
        statement = statement.where(col(DevelopmentGoal.person_id) == person_id)
    if status is not None:
        statement = statement.where(col(DevelopmentGoal.status) == status)
    return await paginate(session, statement, DevelopmentGoal, params)


async def goals_by_ids(
    session: AsyncSession, sight: GoalSight, ids: Collection[uuid.UUID]
) -> list[DevelopmentGoal]:
    statement = select(DevelopmentGoal).where(
        col(DevelopmentGoal.id).in_(list(ids)), visible(sight)
    )
    found = {row.id: row for row in (await session.exec(statement)).all()}
    return [found[id_] for id_ in dict.fromkeys(ids) if id_ in found]


async def plans(
    session: AsyncSession, goal_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[LearningItem]]:
    """The learning plans of the goals, oldest item first, in one statement."""
    statement = (
        select(LearningItem)
        .where(col(LearningItem.goal_id).in_(list(goal_ids)))
        .order_by(col(LearningItem.created_at), col(LearningItem.id))
    )
    found: dict[uuid.UUID, list[LearningItem]] = defaultdict(list)
    for item in (await session.exec(statement)).all():
        found[item.goal_id].append(item)
    return found
