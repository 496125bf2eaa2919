"""Every SQL statement of the assessment service. It reads and writes; the service decides."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.pagination import PageParams, paginate
from services.assessment.models import AssessmentModel, Instrument, Question


async def save(session: AsyncSession, *rows: AssessmentModel) -> None:
    # A unique key that a concurrent request took first fails here; the kit's error handler
    # answers 409 and the unit of work rolls back.
    session.add_all(rows)
    await session.flush()


async def get(
    session: AsyncSession, instrument_id: uuid.UUID, *, lock: bool = False
) -> Instrument | None:
    """One instrument by id; `lock` holds it until the transaction ends."""
    statement = select(Instrument).where(col(Instrument.id) == instrument_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    return (await session.exec(statement)).first()


async def by_key(session: AsyncSession, key: str) -> Instrument | None:
    return (await session.exec(select(Instrument).where(col(Instrument.key) == key))).first()


async def by_ids(session: AsyncSession, ids: Collection[uuid.UUID]) -> list[Instrument]:
    """The instruments that exist among `ids`, in the order asked."""
    rows = await session.exec(select(Instrument).where(col(Instrument.id).in_(ids)))
    found = {row.id: row for row in rows.all()}
    return [found[id_] for id_ in dict.fromkeys(ids) if id_ in found]


async def list_instruments(
    session: AsyncSession,
    params: PageParams,
    *,
    key: str | None = None,
    active: bool | None = None,
) -> tuple[Sequence[Instrument], str | None]:
    statement = select(Instrument)
    if key is not None:
        statement = statement.where(col(Instrument.key) == key)
    if active is not None:
        statement = statement.where(col(Instrument.active) == active)
    return await paginate(session, statement, Instrument, params)


async def questions_of(
    session: AsyncSession, instrument_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[Question]]:
    """Each instrument's questions in order, in one query for a whole page of instruments."""
    rows = await session.exec(
        select(Question)
        .where(col(Question.instrument_id).in_(instrument_ids))
        .order_by(col(Question.instrument_id), col(Question.position))
    )
    questions: dict[uuid.UUID, list[Question]] = defaultdict(list)
    for question in rows.all():
        questions[question.instrument_id].append(question)
    return questions
