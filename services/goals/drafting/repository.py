"""The SQL of drafting: signatures, comments, and who signs for a team."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson, OrgTeam
from kit.pagination import PageParams, paginate
from services.goals.models import Comment, Signature
from services.goals.repository import MAX_DEPTH


async def signatures(session: AsyncSession, objective_id: uuid.UUID) -> Sequence[Signature]:
    statement = select(Signature).where(col(Signature.objective_id) == objective_id)
    return (await session.exec(statement.order_by(col(Signature.created_at)))).all()


async def list_comments(
    session: AsyncSession, objective_id: uuid.UUID, params: PageParams
) -> tuple[Sequence[Comment], str | None]:
    statement = select(Comment).where(col(Comment.objective_id) == objective_id)
    return await paginate(session, statement, Comment, params)


async def active_person(session: AsyncSession, person_id: uuid.UUID | None) -> OrgPerson | None:
    if person_id is None:
        return None
    person = await session.get(OrgPerson, person_id)
    return person if person is not None and person.active else None


async def nearest_lead(session: AsyncSession, team_id: uuid.UUID) -> uuid.UUID | None:
    """The team's lead or, for a team without an active one, that of the nearest team above
    it that has one."""
    team = await session.get(OrgTeam, team_id)
    for _ in range(MAX_DEPTH):
        if team is None:
            return None
        if await active_person(session, team.lead_id) is not None:
            return team.lead_id
        team = None if team.parent_id is None else await session.get(OrgTeam, team.parent_id)
    return None
