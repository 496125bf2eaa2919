"""The SQL of cycles: lists, the objectives a closing scores, what a report aggregates."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlalchemy import literal
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgTeam
from kit.pagination import PageParams, paginate
from kit.repository import by_ids
from services.goals.models import Cycle, Objective
from services.goals.repository import MAX_DEPTH, Sight, visible
from services.goals.schemas import CycleStatus, OwnerKind


async def list_cycles(
    session: AsyncSession, params: PageParams, *, status: CycleStatus | None = None
) -> tuple[Sequence[Cycle], str | None]:
    statement = select(Cycle)
    if status is not None:
        statement = statement.where(col(Cycle.status) == status)
    return await paginate(session, statement, Cycle, params)


async def cycles_by_ids(session: AsyncSession, ids: Collection[uuid.UUID]) -> list[Cycle]:
    return await by_ids(session, Cycle, ids)


async def objectives_of_cycle(session: AsyncSession, cycle_id: uuid.UUID) -> Sequence[Objective]:
    """Every objective of the cycle, whoever owns it (a closing scores them all)."""
    statement = (
        select(Objective)
        .where(col(Objective.cycle_id) == cycle_id)
        .order_by(col(Objective.created_at), col(Objective.id))
    )
    return (await session.exec(statement)).all()


async def count_people_objectives(session: AsyncSession, sight: Sight, cycle_id: uuid.UUID) -> int:
    statement = (
        select(func.count())
        .select_from(Objective)
        .where(
            col(Objective.cycle_id) == cycle_id,
            col(Objective.owner_kind) == OwnerKind.PERSON,
            visible(sight),
        )
    )
    return (await session.exec(statement)).one()


async def team_and_company_objectives(
    session: AsyncSession, sight: Sight, cycle_id: uuid.UUID
) -> Sequence[Objective]:
    """The cycle's objectives owned by teams or by the company, among those `sight` sees."""
    statement = select(Objective).where(
        col(Objective.cycle_id) == cycle_id,
        col(Objective.owner_kind) != OwnerKind.PERSON,
        visible(sight),
    )
    return (await session.exec(statement)).all()


async def teams_above(
    session: AsyncSession, team_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Each of these teams with every team above it in the org copy, itself included."""
    up = (
        select(
            col(OrgTeam.id).label("team_id"),
            col(OrgTeam.parent_id).label("above"),
            literal(1).label("depth"),
        )
        .where(col(OrgTeam.id).in_(list(team_ids)))
        .cte("up", recursive=True)
    )
    up = up.union_all(
        select(up.c.team_id, col(OrgTeam.parent_id), up.c.depth + 1)
        .join(up, col(OrgTeam.id) == up.c.above)
        .where(up.c.depth < MAX_DEPTH)
    )
    found: dict[uuid.UUID, set[uuid.UUID]] = {id_: {id_} for id_ in team_ids}
    for team_id, above in (await session.exec(select(up.c.team_id, up.c.above))).all():
        if above is not None:
            found[team_id].add(above)
    return found
