"""The relay gives committed outbox events gap-free positions in commit order; the feed serves
them to our other services at `GET /internal/events` (long-poll). Both wake on PostgreSQL's
`NOTIFY` from the transactions that write or position events, so an idle service is quiet."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import func, text
from sqlmodel import col, select

from kit.auth import Actor
from kit.db import Database, UnitOfWorkRoute, database_unavailable, notify_on_commit, plain_url
from kit.errors import PROBLEM_RESPONSES
from kit.events import OUTBOX_CHANNEL, EventTypeInfo, FeedEvent, FeedPage, OutboxEvent
from kit.observability import OUTBOX_LAG
from kit.policies import PolicyTable, Relation, Rule

logger = logging.getLogger("inspire.feed")

# One relay at a time per database, whichever replica it runs in.
_RELAY_LOCK_KEY = 0x1A5E_F00D
_RELAY_BATCH = 1000
# How often a relay looks for unpositioned events without being told of any.
RELAY_FALLBACK_SECONDS = 10.0
_LISTEN_RETRY_SECONDS = 0.5

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


async def unrelayed_count(database: Database) -> int:
    async with database.reader() as session:
        count = await session.scalar(
            select(func.count()).select_from(OutboxEvent).where(col(OutboxEvent.position).is_(None))
        )
        return int(count or 0)


async def _position_batch(database: Database) -> int:
    async with database.sessionmaker() as session:
        locked = await session.scalar(select(func.pg_try_advisory_xact_lock(_RELAY_LOCK_KEY)))
        if not locked:
            return 0
        connection = await session.connection()
        result = await connection.execute(_ASSIGN_POSITIONS, {"batch": _RELAY_BATCH})
        if result.rowcount:
            await notify_on_commit(session, OUTBOX_CHANNEL)  # wakes other processes' polls
        await session.commit()
    if result.rowcount:
        database.committed.set()  # and this one's, even while its listener reconnects
    return result.rowcount


async def relay_once(database: Database) -> int:
    """Position what is committed now. A transaction that commits later is positioned by a
    later run, after everything already served, so a reader never skips it. With nothing to
    position it costs one statement and takes no lock."""
    if not await unrelayed_count(database):
        return 0
    return await _position_batch(database)


async def first_of(*events: asyncio.Event | asyncio.Future[Any], within: float | None) -> bool:
    """Wait until one of `events` is set (a future: done), at most `within` seconds (None: no
    limit); whether one was."""
    waiters = [
        asyncio.ensure_future(each.wait()) if isinstance(each, asyncio.Event) else each
        for each in events
    ]
    done, _ = await asyncio.wait(waiters, timeout=within, return_when=asyncio.FIRST_COMPLETED)
    for waiter, each in zip(waiters, events, strict=True):
        if waiter is not each:
            waiter.cancel()
    return bool(done)


async def run_relay(database: Database, service: str, stop: asyncio.Event) -> None:
    """Relay whenever outbox rows may have been committed (`database.committed`: this
    process's commits and PostgreSQL's notifications), and every `RELAY_FALLBACK_SECONDS` in
    case a notification was lost (a dropped listener, a restart)."""
    while not stop.is_set():
        wake = database.committed.armed()
        try:
            unrelayed = await unrelayed_count(database)
            if unrelayed:
                while await _position_batch(database) == _RELAY_BATCH:
                    pass
                unrelayed = await unrelayed_count(database)
            OUTBOX_LAG.labels(service).set(unrelayed)
        except Exception as exc:
            if database_unavailable(exc):
                database.outages.warn(exc)  # the outage, not a traceback a second
            else:
                logger.exception("relay failed; retrying")
        await first_of(wake, stop, within=RELAY_FALLBACK_SECONDS)


async def listen_for_commits(database: Database, stop: asyncio.Event) -> None:
    """Set `database.committed` on every notification of the outbox channel, from whichever
    process committed; connected for as long as the app runs, reconnecting when dropped."""
    delay = _LISTEN_RETRY_SECONDS
    while not stop.is_set():
        try:
            connection = await asyncpg.connect(plain_url(database.url))
        except Exception as exc:
            if database_unavailable(exc) or isinstance(exc, asyncpg.PostgresError):
                database.outages.warn(exc)
            else:
                logger.exception("cannot listen for commits; retrying")
            await first_of(stop, within=delay)
            delay = min(delay * 2, RELAY_FALLBACK_SECONDS)
            continue
        closed = asyncio.Event()
        try:
            connection.add_termination_listener(_ignoring_arguments(closed.set))
            await connection.add_listener(
                OUTBOX_CHANNEL, _ignoring_arguments(database.committed.set)
            )
            # Whatever was committed while nobody listened.
            database.committed.set()
            delay = _LISTEN_RETRY_SECONDS
            await first_of(stop, closed, within=None)
        except Exception as exc:
            if not database_unavailable(exc):
                logger.exception("listening for commits failed; reconnecting")
        finally:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(connection.close(), timeout=2)


def _ignoring_arguments(action: Callable[[], None]) -> Callable[..., None]:
    """asyncpg's callbacks are called with the connection and more; these need none of it."""

    def call(*_: object) -> None:
        action()

    return call


async def head_position(database: Database) -> int:
    async with database.reader() as session:
        return int(await session.scalar(select(func.max(col(OutboxEvent.position)))) or 0)


async def read_feed(database: Database, after: int, limit: int) -> list[FeedEvent]:
    async with database.reader() as session:
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
                traceparent=row.traceparent,
            )
            for row in rows.all()
            if row.position is not None
        ]


async def _disconnected(request: Request) -> None:
    """Returns when the client goes away (the request's body, if any, is skipped)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


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
        # A consumer that went away (a replica stopping) must not hold this one's shutdown.
        gone = asyncio.ensure_future(_disconnected(request))
        # The server stopping answers a waiting poll at once; the consumer polls another replica.
        closing: asyncio.Event = request.app.state.shutdown.closing
        try:
            while True:
                wake = database.committed.armed()
                await relay_once(database)
                events = await read_feed(database, after, limit)
                remaining = deadline - time.monotonic()
                if events or remaining <= 0 or gone.done() or closing.is_set():
                    break
                # Woken by a commit or a relay of any process; a notification missed is
                # caught by the consumer's next poll.
                woken = await first_of(wake, gone, closing, within=remaining)
                if not woken or gone.done() or closing.is_set():
                    break
        finally:
            gone.cancel()
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
