"""The clock worker runs with the app: a round past its close date is closed and its report
announced without anyone calling the API."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from sqlmodel import col, select

from kit.db import Database
from kit.events import OutboxEvent
from kit.models import utcnow
from services.assessment.rounds.models import Round
from services.assessment.rounds.schemas import RoundStatus
from tests.assessment.factories import create_instrument, create_round
from tests.support import service_app


@pytest.mark.e2e
async def test_the_app_closes_a_round_at_its_close_date_by_itself(
    fresh_database: Callable[[str], Awaitable[str]],
) -> None:
    url = await fresh_database("assessment")
    watcher = Database(url)
    async with watcher.sessionmaker() as session:
        instrument = await create_instrument(session)
        round_ = await create_round(
            session,
            instrument,
            status=RoundStatus.OPEN,
            opened_at=utcnow() - timedelta(days=7),
            closes_at=utcnow() - timedelta(minutes=1),
        )
        await session.commit()
    app = service_app("assessment", Database(url))

    async with app.router.lifespan_context(app):
        for _ in range(100):
            async with watcher.sessionmaker() as session:
                found = await session.get(Round, round_.id)
                if found is not None and found.status is RoundStatus.CLOSED:
                    break
            await asyncio.sleep(0.1)
    async with watcher.sessionmaker() as session:
        closed = await session.get(Round, round_.id)
        events = (await session.exec(select(OutboxEvent.type).order_by(col(OutboxEvent.seq)))).all()
    await watcher.dispose()

    assert closed is not None
    assert (closed.status, closed.closed_at) == (RoundStatus.CLOSED, round_.closes_at)
    assert list(events) == ["assessment.round_closed", "assessment.report_ready"]
