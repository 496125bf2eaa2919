"""The event log follows the other services' real feeds with committed data: each event logged
and fanned out once, whatever is redelivered, and the running service does it on its own."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx
import pytest
from sqlalchemy import update
from sqlmodel import col, select

from kit.consumer import ConsumedEvent, ConsumerOffset
from kit.db import Database
from kit.events import record_event
from kit.settings import Environment, ServiceUrls
from services.assessment.events import INSTRUMENT_CREATED, InstrumentCreatedPayload
from services.webhooks.app import create_app
from services.webhooks.config import WebhooksSettings
from services.webhooks.context import Webhooks
from services.webhooks.eventlog import consumer_of
from services.webhooks.models import Event, Message
from tests.support import AUTH, asgi_client, served, service_app
from tests.webhooks.factories import create_subscription
from tests.webhooks.support import INSTRUMENT

pytestmark = pytest.mark.e2e


async def publish(database: Database, count: int = 1) -> None:
    """`count` events in the assessment service's outbox, committed (its real event type)."""
    async with database.sessionmaker() as session:
        for _ in range(count):
            await record_event(
                session, INSTRUMENT_CREATED, InstrumentCreatedPayload.model_validate(INSTRUMENT)
            )
        await session.commit()


async def logged(database: Database) -> tuple[int, int]:
    async with database.reader() as session:
        events = len((await session.exec(select(Event.id))).all())
        messages = len((await session.exec(select(Message.id))).all())
    return events, messages


def settings_for(url: str, **overrides: object) -> WebhooksSettings:
    return WebhooksSettings.model_validate(
        {"database_url": url, "environment": Environment.TEST, "auth": AUTH, **overrides}
    )


async def test_each_event_is_logged_and_fanned_out_once_though_redelivered(
    fresh_database: Callable[[str], Awaitable[str]],
) -> None:
    assessment_db = Database(await fresh_database("assessment"))
    webhooks_url = await fresh_database("webhooks")
    webhooks_db = Database(webhooks_url)
    webhooks = Webhooks.of(settings_for(webhooks_url))
    async with webhooks_db.sessionmaker() as session:
        await create_subscription(session, webhooks.vault, "assessment.*")
        await create_subscription(session, webhooks.vault, "instrument.updated")
        await session.commit()
    await publish(assessment_db, count=2)
    source = service_app("assessment", assessment_db)
    try:
        async with asgi_client(source, "assessment") as client:
            consumer = consumer_of("assessment", webhooks_db, client, webhooks)
            first = await consumer.poll()
            again = await consumer.poll()
            # An offset rewound, and the consumer's memory of the events lost too: the log
            # itself still knows them.
            async with webhooks_db.sessionmaker() as session:
                await session.exec(update(ConsumerOffset).values(position=0))
                await session.exec(
                    update(ConsumedEvent)
                    .where(col(ConsumedEvent.consumer) == "event_log.assessment")
                    .values(consumer="forgotten")
                )
                await session.commit()
            rewound = await consumer.poll()
        assert (first, again, rewound) == (2, 0, 2)
        assert await logged(webhooks_db) == (2, 2)
        async with webhooks_db.reader() as session:
            sources = (await session.exec(select(Event.source, Event.type, Event.data))).all()
        assert [tuple(row) for row in sources] == [
            ("assessment", "instrument.created", INSTRUMENT)
        ] * 2
    finally:
        await assessment_db.dispose()
        await webhooks_db.dispose()


async def test_the_running_service_follows_the_feeds_by_itself(
    fresh_database: Callable[[str], Awaitable[str]],
) -> None:
    assessment_db = Database(await fresh_database("assessment"))
    webhooks_url = await fresh_database("webhooks")
    webhooks_db = Database(webhooks_url)
    try:
        async with served(service_app("assessment", assessment_db)) as assessment_url:
            settings = settings_for(
                webhooks_url,
                feeds=["assessment"],
                urls=ServiceUrls(assessment_url=assessment_url, people_url="http://127.0.0.1:9"),
            )
            async with served(create_app(settings, database=webhooks_db)):
                await publish(assessment_db)
                for _ in range(200):  # 10 s at most
                    if await logged(webhooks_db) != (0, 0):
                        break
                    await asyncio.sleep(0.05)
                assert await logged(webhooks_db) == (1, 0)
    finally:
        await assessment_db.dispose()
        await webhooks_db.dispose()


async def test_a_feed_that_cannot_be_reached_leaves_the_log_as_it_was(
    fresh_database: Callable[[str], Awaitable[str]],
) -> None:
    webhooks_url = await fresh_database("webhooks")
    webhooks_db = Database(webhooks_url)
    webhooks = Webhooks.of(settings_for(webhooks_url))
    try:
        async with httpx.AsyncClient(base_url="http://127.0.0.1:9") as client:
            consumer = consumer_of("goals", webhooks_db, client, webhooks)
            with pytest.raises(httpx.ConnectError):
                await consumer.poll()
        assert await logged(webhooks_db) == (0, 0)
        assert await consumer.offset() == 0
    finally:
        await webhooks_db.dispose()
