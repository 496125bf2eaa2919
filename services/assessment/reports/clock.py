"""A worker of the assessment app: opens rounds at their opening time, closes them at their
close date and announces their reports. Replicas share the work (`SKIP LOCKED`)."""

from __future__ import annotations

import asyncio
import logging

from fastapi import FastAPI

from kit.db import Database
from services.assessment.reports.service import tick
from services.assessment.rounds.clock import now_of

logger = logging.getLogger("inspire.assessment.clock")

INTERVAL_SECONDS = 30.0


async def keep_round_clock(app: FastAPI, stop: asyncio.Event) -> None:
    database: Database = app.state.database
    while not stop.is_set():
        try:
            async with database.sessionmaker() as session:
                if await tick(session, now_of(app)):
                    await session.commit()
        except Exception:
            # The next turn retries; a round past its close date reads as closed meanwhile.
            logger.exception("opening or closing rounds failed")
        try:
            await asyncio.wait_for(stop.wait(), timeout=INTERVAL_SECONDS)
        except TimeoutError:
            pass
