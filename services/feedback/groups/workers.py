"""The group loops an app runs: opening rounds on each group's cadence, and following the goals
feed so that a member's help request reaches their groups."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import httpx
from fastapi import FastAPI

from kit.consumer import FeedConsumer
from kit.models import utcnow
from kit.observability import client_hooks
from services.feedback.groups.service import on_help_request_opened, open_due_rounds

logger = logging.getLogger("inspire.feedback.groups")

HELP_REQUESTS_CONSUMER = "group-help-requests"
HELP_REQUEST_OPENED = "help_request.opened"
CADENCE_INTERVAL_SECONDS = 60.0


def help_request_consumer(app: FastAPI, client: httpx.AsyncClient) -> FeedConsumer:
    settings = app.state.settings
    return FeedConsumer(
        name=HELP_REQUESTS_CONSUMER,
        service="feedback",
        feed="goals",
        database=app.state.database,
        client=client,
        auth=settings.auth,
        handlers={HELP_REQUEST_OPENED: on_help_request_opened},
        max_attempts=settings.consumer_max_attempts,
        retry_delay=settings.consumer_retry_delay_seconds,
    )


async def follow_help_requests(app: FastAPI, stop: asyncio.Event) -> None:
    """An `AppParts` worker: follows the goals feed for as long as the app runs."""
    settings = app.state.settings
    async with httpx.AsyncClient(
        base_url=settings.urls.goals_url, event_hooks=client_hooks()
    ) as client:
        await help_request_consumer(app, client).run(stop)


async def open_rounds_on_cadence(app: FastAPI, stop: asyncio.Event) -> None:
    """An `AppParts` worker: every minute, opens the rounds groups are due."""
    while not stop.is_set():
        try:
            async with app.state.database.sessionmaker() as session:
                opened = await open_due_rounds(session, utcnow())
                await session.commit()
            if opened:
                logger.info("group rounds opened", extra={"count": len(opened)})
        except Exception:  # a database outage must not end the loop
            logger.exception("opening group rounds failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=CADENCE_INTERVAL_SECONDS)
