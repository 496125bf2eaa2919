"""Every SQL statement of the instrument bank. It reads and writes; the service decides."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.pagination import PageParams, paginate
from kit.repository import by_ids as by_ids
from kit.repository import get as get
from kit.repository import save as save
from services.assessment.models import Instrument, InstrumentTranslation, Question


async def by_key(session: AsyncSession, key: str) -> Instrument | None:
    return (await session.exec(select(Instrument).where(col(Instrument.key) == key))).first()


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


async def translations_of(
    session: AsyncSession, instrument_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, dict[str, dict[str, Any]]]:
    """Each instrument's texts by locale, in one query for a whole page of instruments."""
    rows = await session.exec(
        select(InstrumentTranslation).where(
            col(InstrumentTranslation.instrument_id).in_(instrument_ids)
        )
    )
    translations: dict[uuid.UUID, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in rows.all():
        translations[row.instrument_id][row.locale] = row.texts
    return translations
