"""The worker that applies the HRIS inbox: woken by commits (a delivery's `NOTIFY`), and when
the next dated change falls due."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI

from kit.db import Database, database_unavailable
from kit.feed import RELAY_FALLBACK_SECONDS, first_of
from kit.models import utcnow
from services.people.hris import service
from services.people.hris.settings import HrisSettings

logger = logging.getLogger("inspire.hris")

Clock = Callable[[], datetime]


async def reconcile_once(
    database: Database, settings: HrisSettings, clock: Clock = utcnow
) -> datetime | None:
    """One transaction applying what is due now; when the next dated change is due."""
    async with database.sessionmaker() as session:
        applied, next_due = await service.reconcile(session, settings, clock())
        await session.commit()
    if applied:
        # Events were written: this process's relay need not wait for the NOTIFY to come back
        # (which a savepoint rolled back may have taken with it). This worker wakes too, and
        # finds nothing more.
        database.committed.set()
    return next_due


async def reconcile_hris(app: FastAPI, stop: asyncio.Event, clock: Clock = utcnow) -> None:
    """An `AppParts` worker: applies the inbox for as long as the app runs."""
    database: Database = app.state.database
    settings: HrisSettings = app.state.settings.hris
    while not stop.is_set():
        wake = database.committed.armed()
        within = RELAY_FALLBACK_SECONDS
        try:
            next_due = await reconcile_once(database, settings, clock)
            if next_due is not None:
                within = max(0.0, min(within, (next_due - clock()).total_seconds()))
        except Exception as exc:
            if database_unavailable(exc):
                database.outages.warn(exc)
            else:
                logger.exception("reconciling the HRIS inbox failed; retrying")
        await first_of(wake, stop, within=within)
