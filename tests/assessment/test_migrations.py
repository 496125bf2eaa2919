"""The migrations build exactly the schema the models describe (instruments and questions,
the org copy, the kit's tables) and seed the built-in instruments."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from kit.db import Database
from kit.migrations import migrate
from services.assessment.app import SPEC
from services.assessment.models import Instrument, InstrumentTranslation
from tests.assessment.factories import create_instrument
from tests.migrations import downgrade, schema_differences


async def test_the_migrated_schema_matches_the_models(fast_databases: dict[str, Database]) -> None:
    assert await schema_differences(fast_databases["assessment"], SPEC) == []


async def instrument_ids(database: Database) -> dict[str, uuid.UUID]:
    async with database.sessionmaker() as session:
        rows = await session.exec(select(Instrument.key, Instrument.id))
        return dict(rows.all())


@pytest.mark.e2e
async def test_the_built_in_instruments_come_and_go_with_their_revision(
    fresh_database: Callable[[str], Awaitable[str]],
) -> None:
    url = await fresh_database("assessment")
    database = Database(url)
    async with database.sessionmaker() as session:
        await create_instrument(session, key="licensed")
        await session.commit()
    seeded = await instrument_ids(database)

    await downgrade(SPEC, url, "0001")
    without = await instrument_ids(database)
    await migrate(SPEC, url)
    again = await instrument_ids(database)
    await database.dispose()

    assert sorted(seeded) == ["licensed", "maturity", "needs", "psych_safety", "trust"]
    assert list(without) == ["licensed"]
    assert again == seeded


async def translated_locales(database: Database) -> dict[str, list[str]]:
    async with database.sessionmaker() as session:
        rows = await session.exec(
            select(Instrument.key, InstrumentTranslation.locale).join(
                InstrumentTranslation,
                col(InstrumentTranslation.instrument_id) == col(Instrument.id),
            )
        )
        found: dict[str, list[str]] = {}
        for key, locale in rows.all():
            found.setdefault(key, []).append(locale)
        return found


@pytest.mark.e2e
async def test_the_swedish_texts_come_and_go_with_their_revision(
    fresh_database: Callable[[str], Awaitable[str]],
) -> None:
    url = await fresh_database("assessment")
    database = Database(url)
    shipped = await translated_locales(database)

    await downgrade(SPEC, url, "0006")
    async with database.sessionmaker() as session:
        table = (await session.exec(select(func.to_regclass("instrument_translation")))).one()
    await migrate(SPEC, url)
    again = await translated_locales(database)
    await database.dispose()

    assert shipped == {key: ["sv"] for key in ("maturity", "trust", "needs", "psych_safety")}
    assert table is None
    assert again == shipped
