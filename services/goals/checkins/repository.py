"""The SQL of check-ins: lists, batches per key result, and the key results due for one."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.pagination import PageParams, paginate
from services.goals.models import CheckIn, Cycle, KeyResult, Objective
from services.goals.repository import Batch, Sight, first_per_parent, visible
from services.goals.schemas import CycleStatus


async def list_check_ins(
    session: AsyncSession, key_result_id: uuid.UUID, params: PageParams
) -> tuple[Sequence[CheckIn], str | None]:
    statement = select(CheckIn).where(col(CheckIn.key_result_id) == key_result_id)
    return await paginate(session, statement, CheckIn, params)


async def check_ins_by_key_result(
    session: AsyncSession, sight: Sight, key_result_ids: Sequence[uuid.UUID], per_key_result: int
) -> dict[uuid.UUID, Batch]:
    statement = (
        select(CheckIn)
        .join(KeyResult, col(KeyResult.id) == col(CheckIn.key_result_id))
        .join(Objective, col(Objective.id) == col(KeyResult.objective_id))
        .where(visible(sight))
    )
    return await first_per_parent(
        session, statement, CheckIn, "key_result_id", key_result_ids, per_key_result
    )


async def due(
    session: AsyncSession,
    sight: Sight,
    params: PageParams,
    *,
    person_id: uuid.UUID | None,
    team_id: uuid.UUID | None,
    before: datetime,
    today: date,
) -> tuple[Sequence[KeyResult], str | None]:
    """Key results of active cycles under way that nobody checked in on since `before`:
    those a person owns or whose objective they own, or those of a team's objectives."""
    subject = (
        or_(
            col(KeyResult.owner_person_id) == person_id,
            col(Objective.owner_person_id) == person_id,
        )
        if person_id is not None
        else col(Objective.owner_team_id) == team_id
    )
    statement = (
        select(KeyResult)
        .join(Objective, col(Objective.id) == col(KeyResult.objective_id))
        .join(Cycle, col(Cycle.id) == col(Objective.cycle_id))
        .where(
            visible(sight),
            subject,
            col(Cycle.status) == CycleStatus.ACTIVE,
            col(Cycle.starts_on) <= today,
            func.coalesce(col(KeyResult.checked_in_at), col(KeyResult.created_at)) <= before,
        )
    )
    return await paginate(session, statement, KeyResult, params)
