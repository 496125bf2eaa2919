"""The event log's background work: one consumer per feed (people, goals, …) logging every
event and queueing its messages in the transaction that moves the feed's offset, and a
periodic prune of what is older than the retention period."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.consumer import FeedConsumer, Handler, describe_failure
from kit.db import Database
from kit.events import FeedEvent
from kit.models import utcnow
from kit.observability import client_hooks
from services.webhooks import service
from services.webhooks.context import Webhooks

logger = logging.getLogger("inspire.webhooks")


class EveryType(dict[str, Handler]):
    """One handler for every event type, known or new: the kit's consumer looks handlers up
    by type, and the log keeps every event."""

    def __init__(self, handler: Handler) -> None:
        super().__init__()
        self.handler = handler

    def get(self, key: str, default: Any = None) -> Handler:
        return self.handler


def consumer_of(
    feed: str, database: Database, client: httpx.AsyncClient, webhooks: Webhooks
) -> FeedConsumer:
    """The consumer logging `feed`'s events; its offset is kept as `event_log.<feed>`."""

    async def log(session: AsyncSession, event: FeedEvent) -> None:
        await service.log_event(session, feed, event)

    settings = webhooks.settings
    consumer = FeedConsumer(
        name=f"event_log.{feed}",
        service="webhooks",
        feed=feed,
        database=database,
        client=client,
        auth=settings.auth,
        handlers={},
        max_attempts=settings.consumer_max_attempts,
        retry_delay=settings.consumer_retry_delay_seconds,
    )
    consumer.handlers = EveryType(log)
    return consumer


async def log_events(app: FastAPI, stop: asyncio.Event) -> None:
    """An `AppParts` worker: follows every configured feed for as long as the app runs."""
    webhooks: Webhooks = app.state.webhooks
    async with contextlib.AsyncExitStack() as stack:
        consumers = []
        for feed in webhooks.settings.feeds:
            client = await stack.enter_async_context(
                httpx.AsyncClient(
                    base_url=webhooks.catalogues.url_of(feed), event_hooks=client_hooks()
                )
            )
            consumers.append(consumer_of(feed, app.state.database, client, webhooks))
        await asyncio.gather(*(consumer.run(stop) for consumer in consumers))


async def prune_once(database: Database, webhooks: Webhooks) -> int:
    retention = timedelta(days=webhooks.settings.event_retention_days)
    async with database.sessionmaker() as session:
        pruned = await service.prune_events(session, utcnow(), retention)
        await session.commit()
    return pruned


async def prune_event_log(app: FastAPI, stop: asyncio.Event) -> None:
    """An `AppParts` worker: every `prune_interval_seconds`, forget events past retention."""
    webhooks: Webhooks = app.state.webhooks
    while not stop.is_set():
        try:
            pruned = await prune_once(app.state.database, webhooks)
            if pruned:
                logger.info("event log pruned", extra={"events": pruned})
        except Exception as exc:
            logger.warning("event log prune failed", extra={"error": describe_failure(exc)})
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=webhooks.settings.prune_interval_seconds)
