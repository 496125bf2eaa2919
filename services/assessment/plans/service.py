"""The rules of action plans. After a round closes, a team's lead (or an HR admin) adopts a
stop / continue / start plan from the team's report, one per team and round, and tracks its
items until the next round, whose report shows it. The team's members read it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from kit import orgcopy
from kit.auth import Actor
from kit.errors import Conflict, NotFound, Unprocessable
from kit.etag import check_if_match
from kit.repository import apply_patch, changed, get, save
from services.assessment.plans import repository
from services.assessment.plans.models import Plan, PlanItem
from services.assessment.plans.schemas import (
    PlanCreate,
    PlanItemCreate,
    PlanItemRead,
    PlanItemUpdate,
    PlanRead,
)
from services.assessment.rounds.schemas import RoundStatus
from services.assessment.rounds.service import round_for_group, status_of


def _not_found() -> NotFound:
    return NotFound("No plan has this id.", code="plan_not_found")


async def present(session: AsyncSession, plans: Sequence[Plan]) -> list[PlanRead]:
    items = await repository.items_of(session, [plan.id for plan in plans])
    return [
        PlanRead(
            **plan.model_dump(),
            items=[PlanItemRead.model_validate(item) for item in items[plan.id]],
        )
        for plan in plans
    ]


async def _check_owners(session: AsyncSession, owners: dict[str, uuid.UUID | None]) -> None:
    """Each owner named (field path → person id) is an active person of the org copy."""
    wanted = {owner for owner in owners.values() if owner is not None}
    found = {p.id for p in await orgcopy.people_by_ids(session, wanted) if p.active}
    for field, owner in owners.items():
        if owner is not None and owner not in found:
            raise Unprocessable("No active person has this id.", code="unknown_owner", field=field)


async def _add_items(
    session: AsyncSession, plan: Plan, items: Sequence[PlanItemCreate], start: int
) -> None:
    await save(
        session,
        *(
            PlanItem(plan_id=plan.id, position=position, **item.model_dump())
            for position, item in enumerate(items, start=start)
        ),
    )


async def create_plan(
    session: AsyncSession, actor: Actor, data: PlanCreate, now: datetime
) -> PlanRead:
    round_ = await round_for_group(session, actor, data.round_id, data.team_id, "plan.create")
    if status_of(round_, now) is not RoundStatus.CLOSED:
        raise Conflict("Plan from a closed round's report.", code="round_not_closed")
    if await repository.plan_for(session, round_.id, data.team_id) is not None:
        raise Conflict("This team has a plan for this round.", code="plan_exists")
    await _check_owners(
        session, {f"body.items.{i}.owner_id": item.owner_id for i, item in enumerate(data.items)}
    )
    plan = Plan(round_id=round_.id, team_id=data.team_id, created_by=actor.person_id)
    await save(session, plan)
    await _add_items(session, plan, data.items, 1)
    (read,) = await present(session, [plan])
    return read


async def _plan(session: AsyncSession, actor: Actor, plan_id: uuid.UUID, action: str) -> Plan:
    plan = await get(session, Plan, plan_id)
    if plan is None:
        raise _not_found()
    try:
        await round_for_group(session, actor, plan.round_id, plan.team_id, action)
    except NotFound:
        raise _not_found() from None
    return plan


async def get_plan(session: AsyncSession, actor: Actor, plan_id: uuid.UUID) -> PlanRead:
    (read,) = await present(session, [await _plan(session, actor, plan_id, "plan.read")])
    return read


async def add_item(
    session: AsyncSession, actor: Actor, plan_id: uuid.UUID, data: PlanItemCreate
) -> PlanRead:
    plan = await _plan(session, actor, plan_id, "plan.update")
    await session.refresh(plan, with_for_update=True)
    await _check_owners(session, {"body.owner_id": data.owner_id})
    count = len((await repository.items_of(session, [plan.id]))[plan.id])
    await _add_items(session, plan, [data], count + 1)
    apply_patch(plan, {})
    await save(session, plan)
    (read,) = await present(session, [plan])
    return read


async def update_item(
    session: AsyncSession,
    actor: Actor,
    plan_id: uuid.UUID,
    item_id: uuid.UUID,
    data: PlanItemUpdate,
    if_match: str | None,
) -> PlanRead:
    plan = await _plan(session, actor, plan_id, "plan.update")
    await session.refresh(plan, with_for_update=True)
    check_if_match(if_match, plan.version)
    item = await get(session, PlanItem, item_id, lock=True)
    if item is None or item.plan_id != plan.id:
        raise NotFound("This plan has no such item.", code="plan_item_not_found")
    sent = data.model_dump(exclude_unset=True)
    await _check_owners(session, {"body.owner_id": sent.get("owner_id")})
    changes = changed(item, sent)
    if changes:
        for name, value in changes.items():
            setattr(item, name, value)
        await save(session, item)
        apply_patch(plan, {})
        await save(session, plan)
    (read,) = await present(session, [plan])
    return read
