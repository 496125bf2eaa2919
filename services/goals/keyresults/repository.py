"""The statements of removing a key result that the goals core's repository has no use for;
everything else about key results is read and written there."""

from __future__ import annotations

import uuid

from sqlmodel import col, delete
from sqlmodel.ext.asyncio.session import AsyncSession

from services.goals.models import CheckIn, Milestone


async def delete_history(session: AsyncSession, key_result_id: uuid.UUID) -> None:
    """Its check-ins and milestones, which mean nothing without it."""
    await session.exec(delete(CheckIn).where(col(CheckIn.key_result_id) == key_result_id))
    await session.exec(delete(Milestone).where(col(Milestone.key_result_id) == key_result_id))
