"""The SQL of action plans."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.plans.models import Plan, PlanItem


async def items_of(
    session: AsyncSession, plan_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[PlanItem]]:
    rows = await session.exec(
        select(PlanItem)
        .where(col(PlanItem.plan_id).in_(list(plan_ids)))
        .order_by(col(PlanItem.plan_id), col(PlanItem.position))
    )
    found: dict[uuid.UUID, list[PlanItem]] = {plan_id: [] for plan_id in plan_ids}
    for item in rows.all():
        found[item.plan_id].append(item)
    return found


async def plan_for(
    session: AsyncSession, round_id: uuid.UUID, team_id: uuid.UUID | None
) -> Plan | None:
    team = col(Plan.team_id).is_(None) if team_id is None else col(Plan.team_id) == team_id
    statement = select(Plan).where(col(Plan.round_id) == round_id, team)
    return (await session.exec(statement)).first()


async def plans_of_rounds(
    session: AsyncSession, round_ids: Collection[uuid.UUID], team_id: uuid.UUID | None
) -> Sequence[Plan]:
    """A group's plans from these rounds, oldest first."""
    team = col(Plan.team_id).is_(None) if team_id is None else col(Plan.team_id) == team_id
    statement = (
        select(Plan)
        .where(col(Plan.round_id).in_(list(round_ids)), team)
        .order_by(col(Plan.created_at), col(Plan.id))
    )
    return (await session.exec(statement)).all()
