"""The SQL of experiments: one found with the reader's sight decided in the same statement,
those of a key result, and the learnings matching a full-text query among those a `Sight`
sees, a page at a time."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, literal_column
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from kit.pagination import PageParams, paginate
from services.goals.experiments.models import Experiment, learning_document
from services.goals.models import SEARCH_CONFIG, Objective
from services.goals.repository import Sight, visible


def _experiments(sight: Sight) -> SelectOfScalar[Experiment]:
    """The experiments of the objectives `sight` sees: as private as their objective."""
    return (
        select(Experiment)
        .join(Objective, col(Objective.id) == col(Experiment.objective_id))
        .where(visible(sight))
    )


async def visible_experiment(
    session: AsyncSession, sight: Sight, experiment_id: uuid.UUID, *, lock: bool = False
) -> Experiment | None:
    statement = _experiments(sight).where(col(Experiment.id) == experiment_id)
    if lock:
        statement = statement.with_for_update(of=Experiment).execution_options(
            populate_existing=True
        )
    return (await session.exec(statement)).first()


async def of_key_result(
    session: AsyncSession, key_result_id: uuid.UUID, params: PageParams
) -> tuple[Sequence[Experiment], str | None]:
    statement = select(Experiment).where(col(Experiment.key_result_id) == key_result_id)
    return await paginate(session, statement, Experiment, params)


async def learnings(
    session: AsyncSession, sight: Sight, query: str | None, params: PageParams
) -> tuple[Sequence[Experiment], str | None]:
    """Experiments with a learning, among those `sight` sees, matching the `tsquery` `query`
    (through the GIN index) when one is given; oldest first, whatever their outcome."""
    statement = _experiments(sight).where(func.coalesce(col(Experiment.learning), "") != "")
    if query is not None:
        matches = func.to_tsquery(literal_column(f"'{SEARCH_CONFIG}'::regconfig"), query)
        statement = statement.where(learning_document("experiment.").op("@@")(matches))
    return await paginate(session, statement, Experiment, params)
