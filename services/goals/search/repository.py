"""The SQL of search: full-text matches on objectives and key results, among those a
`Sight` sees, a page at a time."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Uuid, func, literal_column, null
from sqlalchemy import select as sa_select
from sqlalchemy import tuple_ as sa_tuple
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.pagination import PageParams, decode_cursor, encode_cursor
from services.goals.models import SEARCH_CONFIG, KeyResult, Objective, search_document
from services.goals.repository import Sight, visible


@dataclass(frozen=True, slots=True)
class Hit:
    objective_id: uuid.UUID
    key_result_id: uuid.UUID | None


async def search(
    session: AsyncSession,
    sight: Sight,
    query: str,
    params: PageParams,
    *,
    cycle_id: uuid.UUID | None = None,
) -> tuple[list[Hit], str | None]:
    """Objectives and key results whose text matches the `tsquery` `query`, among those
    `sight` sees, oldest first."""
    matches = func.to_tsquery(literal_column(f"'{SEARCH_CONFIG}'::regconfig"), query)
    objectives = sa_select(
        col(Objective.id).label("objective_id"),
        null().cast(Uuid).label("key_result_id"),
        col(Objective.created_at).label("created_at"),
        col(Objective.id).label("id"),
    ).where(search_document("objective.title", "objective.description").op("@@")(matches))
    key_results: Any = sa_select(
        col(KeyResult.objective_id).label("objective_id"),
        col(KeyResult.id).label("key_result_id"),
        col(KeyResult.created_at).label("created_at"),
        col(KeyResult.id).label("id"),
    ).where(search_document("key_result.title").op("@@")(matches))
    hits = objectives.union_all(key_results).subquery("hits")
    # Who sees what is decided once, on the objective of each hit.
    statement = (
        select(hits.c.objective_id, hits.c.key_result_id, hits.c.created_at, hits.c.id)
        .join(Objective, col(Objective.id) == hits.c.objective_id)
        .where(visible(sight))
    )
    if cycle_id is not None:
        statement = statement.where(col(Objective.cycle_id) == cycle_id)
    if params.cursor is not None:
        statement = statement.where(
            sa_tuple(hits.c.created_at, hits.c.id) > sa_tuple(*decode_cursor(params.cursor))
        )
    statement = statement.order_by(hits.c.created_at, hits.c.id).limit(params.limit + 1)
    rows = list((await session.exec(statement)).all())
    cursor = None
    if len(rows) > params.limit:
        rows = rows[: params.limit]
        _, _, created_at, last_id = rows[-1]
        cursor = encode_cursor(created_at, last_id)
    return [Hit(objective_id, key_result_id) for objective_id, key_result_id, _, _ in rows], cursor
