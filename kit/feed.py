"""The relay gives committed outbox events gap-free positions in commit order; the feed serves
them to our other services at `GET /internal/events` (long-poll)."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import func, text
from sqlmodel import col, select

from kit.auth import Actor
from kit.db import Database, UnitOfWorkRoute, database_unavailable
from kit.errors import PROBLEM_RESPONSES
from kit.events import EventTypeInfo, FeedEvent, FeedPage, OutboxEvent
from kit.observability import OUTBOX_LAG
from kit.policies import PolicyTable, Relation, Rule

logger = logging.getLogger("inspire.feed")

# One relay at a time per database, whichever replica it runs in.
_RELAY_LOCK_KEY = 0x1A5E_F00D
_RELAY_BATCH = 1000

_ASSIGN_POSITIONS = text(
    """
    WITH base AS (SELECT coalesce(max(position), 0) AS top FROM outbox_event),
    todo AS (
        SELECT id, row_number() OVER (ORDER BY seq) AS n
        FROM outbox_event WHERE position IS NULL ORDER BY seq LIMIT :batch
    )
    UPDATE outbox_event AS o SET position = base.top + todo.n
    FROM base, todo WHERE o.id = todo.id
    """
)


async def relay_once(database: Database) -> int:
    """Position what is committed now. A transaction that commits later is positioned by a
    later run, after everything already served, so a reader never skips it."""
    async with database.sessionmaker() as session:
        locked = await session.scalar(select(func.pg_try_advisory_xact_lock(_RELAY_LOCK_KEY)))
        if not locked:
            return 0
        connection = await session.connection()
        result = await connection.execute(_ASSIGN_POSITIONS, {"batch": _RELAY_BATCH})
        await session.commit()
        return result.rowcount


async def unrelayed_count(database: Database) -> int:
    async with database.sessionmaker() as session:
        count = await session.scalar(
            select(func.count()).select_from(OutboxEvent).where(col(OutboxEvent.position).is_(None))
        )
        return int(count or 0)


async def run_relay(database: Database, service: str, stop: asyncio.Event) -> None:
    """Relay after every commit of this process, and at least once a second for the others."""
    while not stop.is_set():
        try:
            while await relay_once(database) == _RELAY_BATCH:
                pass
            OUTBOX_LAG.labels(service).set(await unrelayed_count(database))
        except Exception as exc:
            if database_unavailable(exc):
                database.outages.warn(exc)  # the outage, not a traceback a second
            else:
                logger.exception("relay failed; retrying")
        database.committed.clear()
        waiters = [
            asyncio.ensure_future(database.committed.wait()),
            asyncio.ensure_future(stop.wait()),
        ]
        await asyncio.wait(waiters, timeout=1.0, return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiters:
            waiter.cancel()


async def head_position(database: Database) -> int:
    async with database.sessionmaker() as session:
        return int(await session.scalar(select(func.max(col(OutboxEvent.position)))) or 0)


async def read_feed(database: Database, after: int, limit: int) -> list[FeedEvent]:
    async with database.sessionmaker() as session:
        rows = await session.exec(
            select(OutboxEvent)
            .where(col(OutboxEvent.position) > after)
            .order_by(col(OutboxEvent.position))
            .limit(limit)
        )
        return [
            FeedEvent(
                id=row.id,
                position=row.position,
                type=row.type,
                occurred_at=row.occurred_at,
                payload=row.payload,
            )
            for row in rows.all()
            if row.position is not None
        ]


KIT_POLICY = PolicyTable(
    {
        "events.read_feed": Rule.of(Relation.SERVICE),
        "events.read_catalogue": Rule.of(
            Relation.SIGNED_IN, Relation.INTEGRATION, Relation.SERVICE
        ),
    }
)


def feed_router() -> APIRouter:
    router = APIRouter(route_class=UnitOfWorkRoute, responses=PROBLEM_RESPONSES)

    @router.get("/internal/events", tags=["internal"])
    async def get_events(
        request: Request,
        _actor: Annotated[Actor, Depends(KIT_POLICY.require("events.read_feed"))],
        after: Annotated[int, Query(ge=0, description="Last position you have.")] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        wait: Annotated[
            float, Query(ge=0, le=60, description="Seconds to wait for an event if none.")
        ] = 0,
    ) -> FeedPage:
        """This service's events after `after`, in commit order; for our other services."""
        database: Database = request.app.state.database
        deadline = time.monotonic() + min(wait, request.app.state.settings.feed_max_wait_seconds)
        while True:
            await relay_once(database)
            events = await read_feed(database, after, limit)
            remaining = deadline - time.monotonic()
            # A consumer that went away (a replica stopping) must not hold this one's shutdown.
            if events or remaining <= 0 or await request.is_disconnected():
                break
            try:
                await asyncio.wait_for(database.committed.wait(), timeout=min(0.25, remaining))
            except TimeoutError:
                pass
        last = events[-1].position if events else after
        return FeedPage(
            events=events,
            last_position=last,
            head_position=max(last, await head_position(database)),
        )

    @router.get("/v1/event-types", tags=["events"])
    async def get_event_types(
        request: Request,
        _actor: Annotated[Actor, Depends(KIT_POLICY.require("events.read_catalogue"))],
    ) -> list[EventTypeInfo]:
        """The catalogue of events this service publishes, each with its payload schema."""
        return list(request.app.state.catalogue.describe())

    return router
