"""The SQL of ideas: pages and batches, an idea's standing computed from its reviews (means
per criterion and overall, and their count, in one grouped statement for a whole page), its
allocation, and the comments of its reviews."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Numeric, Text, cast, func
from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.pagination import PageParams, paginate
from kit.repository import by_ids, get
from kit.repository import save as save
from services.goals.ideas.models import Idea, IdeaAllocation, IdeaReview
from services.goals.ideas.schemas import IdeaStatus


async def list_ideas(
    session: AsyncSession,
    params: PageParams,
    *,
    status: IdeaStatus | None,
    proposer_id: uuid.UUID | None,
) -> tuple[Sequence[Idea], str | None]:
    statement = select(Idea)
    if status is not None:
        statement = statement.where(col(Idea.status) == status)
    if proposer_id is not None:
        statement = statement.where(col(Idea.proposer_id) == proposer_id)
    return await paginate(session, statement, Idea, params)


async def ideas_by_ids(session: AsyncSession, ids: Collection[uuid.UUID]) -> list[Idea]:
    return await by_ids(session, Idea, ids)


async def idea(session: AsyncSession, idea_id: uuid.UUID, *, lock: bool = False) -> Idea | None:
    return await get(session, Idea, idea_id, lock=lock)


async def standings(
    session: AsyncSession, idea_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, dict[str, Any]]:
    """Per idea with reviews: their count and the means (two decimals) per criterion and of
    all three."""
    # The mean of each review's three criteria: their sum's mean over three, exactly.
    total = cast(
        col(IdeaReview.impact) + col(IdeaReview.evidence) + col(IdeaReview.feasibility), Numeric
    )
    statement: Any = (
        sa_select(
            col(IdeaReview.idea_id),
            func.count().label("review_count"),
            func.round(func.avg(col(IdeaReview.impact)), 2).label("impact"),
            func.round(func.avg(col(IdeaReview.evidence)), 2).label("evidence"),
            func.round(func.avg(col(IdeaReview.feasibility)), 2).label("feasibility"),
            func.round(func.avg(total) / 3, 2).label("overall"),
        )
        .where(col(IdeaReview.idea_id).in_(list(idea_ids)))
        .group_by(col(IdeaReview.idea_id))
    )
    rows = (await session.exec(statement)).all()
    return {row[0]: dict(row._mapping) for row in rows}


async def allocations(
    session: AsyncSession, idea_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, IdeaAllocation]:
    statement = select(IdeaAllocation).where(col(IdeaAllocation.idea_id).in_(list(idea_ids)))
    return {row.idea_id: row for row in (await session.exec(statement)).all()}


async def review_of(
    session: AsyncSession, idea_id: uuid.UUID, reviewer_id: uuid.UUID
) -> IdeaReview | None:
    statement = select(IdeaReview).where(
        col(IdeaReview.idea_id) == idea_id, col(IdeaReview.reviewer_id) == reviewer_id
    )
    return (await session.exec(statement)).first()


async def review(
    session: AsyncSession, review_id: uuid.UUID, reviewer_id: uuid.UUID, *, lock: bool = False
) -> IdeaReview | None:
    """The review if it is `reviewer_id`'s: anyone else's is as unknown."""
    statement = select(IdeaReview).where(
        col(IdeaReview.id) == review_id, col(IdeaReview.reviewer_id) == reviewer_id
    )
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return (await session.exec(statement)).first()


async def count_reviews(session: AsyncSession, idea_id: uuid.UUID) -> int:
    statement = select(func.count()).where(col(IdeaReview.idea_id) == idea_id)
    return (await session.exec(statement)).one()


async def comments(session: AsyncSession, idea_id: uuid.UUID, limit: int) -> list[str]:
    """The comments of the idea's reviews, in an order that follows neither time nor who
    wrote them (a digest of the review's id)."""
    statement = (
        select(col(IdeaReview.comment))
        .where(col(IdeaReview.idea_id) == idea_id)
        .order_by(func.md5(cast(col(IdeaReview.id), Text)))
        .limit(limit)
    )
    return list((await session.exec(statement)).all())
