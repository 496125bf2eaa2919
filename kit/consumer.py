"""Reads another service's event feed and applies each event exactly once: the handler's
writes, the event id and the new offset commit in one transaction of the consumer's database.

An event whose handler keeps failing is retried with backoff, then parked (`parked_event`) so
that the events after it still flow; an operator replays it with `inspire consumer retry`.
Events of the same entity as a parked one are parked behind it, never applied out of order."""

from __future__ import annotations

import asyncio
import logging
import traceback
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import httpx
from pydantic import ValidationError
from sqlalchemy import BigInteger, Column, DateTime, Index, func, inspect, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import DBAPIError, InterfaceError
from sqlmodel import Field, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import mint_service_token
from kit.db import Database
from kit.events import FeedEvent, FeedPage
from kit.models import KitModel, utcnow
from kit.observability import CONSUMER_LAG, CONSUMER_PARKED
from kit.settings import AuthSettings
from kit.tracing import continued_from

logger = logging.getLogger("inspire.consumer")

Handler = Callable[[AsyncSession, FeedEvent], Awaitable[None]]

DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_RETRY_DELAY_SECONDS = 0.5
# How long each long-poll of a feed may wait for an event: the source answers at once when one
# commits, so a longer wait only means fewer requests (and statements) when all is quiet.
DEFAULT_WAIT_SECONDS = 25.0
_MAX_RETRY_DELAY_SECONDS = 30.0
_ERROR_MAX_LENGTH = 500


class ConsumerOffset(KitModel, table=True):
    """How far a consumer has read its source feed."""

    __tablename__ = "consumer_offset"

    consumer: str = Field(primary_key=True, max_length=100)
    position: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class ConsumedEvent(KitModel, table=True):
    """Events already applied, so that a redelivery (a reset offset, a replay) is a no-op."""

    __tablename__ = "consumed_event"

    consumer: str = Field(primary_key=True, max_length=100)
    event_id: uuid.UUID = Field(primary_key=True)
    position: int = Field(sa_column=Column(BigInteger, nullable=False))
    consumed_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class ParkedEvent(KitModel, table=True):
    """An event set aside: its handler failed every attempt, or an earlier event of the same
    entity is parked. The payload is not copied (it may name people): `feed` and `position`
    find it in the source's feed, which keeps its events."""

    __tablename__ = "parked_event"
    __table_args__ = (
        Index("ix_parked_event_consumer_position", "consumer", "position"),
        Index("ix_parked_event_consumer_entity", "consumer", "entity"),
    )

    consumer: str = Field(primary_key=True, max_length=100)
    event_id: uuid.UUID = Field(primary_key=True)
    feed: str = Field(max_length=100)
    position: int = Field(sa_column=Column(BigInteger, nullable=False))
    event_type: str = Field(max_length=100)
    # What the event is about (e.g. `person:<id>`), when the consumer keeps order by entity.
    entity: str | None = Field(default=None, max_length=200)
    # The exception's kind and where it was raised, never its message (it may carry data).
    error: str = Field(max_length=_ERROR_MAX_LENGTH)
    attempts: int
    parked_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    # Set by `inspire consumer retry`; the running consumer replays the event and clears it.
    retry_requested_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class Holds(Protocol):
    """What a consumer does about an entity while one of its events is parked."""

    def entity_of(self, event: FeedEvent) -> str | None:
        """The entity `event` changes; its later events wait behind a parked one."""

    async def hold(self, session: AsyncSession, entity: str) -> None:
        """The entity's first event was parked: make its state safe until it is replayed."""

    async def release(self, session: AsyncSession, entity: str) -> None:
        """Before its first parked event is replayed: undo `hold`."""


class NoHolds:
    """Events are independent of each other: a parked one holds nothing back."""

    def entity_of(self, event: FeedEvent) -> str | None:
        return None

    async def hold(self, session: AsyncSession, entity: str) -> None:
        return None

    async def release(self, session: AsyncSession, entity: str) -> None:
        return None


def is_infrastructure_failure(exc: BaseException) -> bool:
    """The database or the network failed, not the event: retry for ever, never park."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OSError | TimeoutError | httpx.HTTPError | InterfaceError)


def describe_failure(exc: BaseException) -> str:
    """A text for logs and the parked table without personal data: exception messages (a
    unique email, a payload value) may carry some, so only kinds, codes and places."""
    kind = type(exc).__name__
    if isinstance(exc, ValidationError):
        fields = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or '(root)'}: {error['type']}"
            for error in exc.errors(include_url=False, include_input=False)
        )
        text = f"{kind} of {exc.title}: {fields}"
    elif isinstance(exc, DBAPIError):
        cause = exc.orig.__cause__ if exc.orig is not None else None
        sqlstate = getattr(exc.orig, "sqlstate", None)
        constraint = getattr(cause, "constraint_name", None)
        text = f"{kind} (SQLSTATE {sqlstate})" + (f" on {constraint}" if constraint else "")
    else:
        frames = traceback.extract_tb(exc.__traceback__)
        if frames:
            where = frames[-1]
            text = f"{kind} in {where.name} ({where.filename.rsplit('/', 1)[-1]}:{where.lineno})"
        else:
            text = kind
    return text[:_ERROR_MAX_LENGTH]


async def count_parked(session: AsyncSession, consumer: str | None = None) -> int:
    statement = select(func.count()).select_from(ParkedEvent)
    if consumer is not None:
        statement = statement.where(col(ParkedEvent.consumer) == consumer)
    return int(await session.scalar(statement) or 0)


async def list_parked(database: Database, consumer: str | None = None) -> list[ParkedEvent]:
    async with database.sessionmaker() as session:
        statement = select(ParkedEvent).order_by(
            col(ParkedEvent.consumer), col(ParkedEvent.position)
        )
        if consumer is not None:
            statement = statement.where(col(ParkedEvent.consumer) == consumer)
        return list((await session.exec(statement)).all())


async def request_retry(database: Database, consumer: str | None = None) -> list[ParkedEvent]:
    """Ask the running consumers to replay their parked events; those asked for."""
    async with database.sessionmaker() as session:
        statement = update(ParkedEvent).values(retry_requested_at=utcnow())
        if consumer is not None:
            statement = statement.where(col(ParkedEvent.consumer) == consumer)
        # The rows asked for, from the statement that asked: a running consumer may replay
        # them all before a second read could see them.
        connection = await session.connection()
        columns = inspect(ParkedEvent).columns
        found = await connection.execute(statement.returning(*columns))
        rows = [ParkedEvent.model_validate(dict(row._mapping)) for row in found]
        await session.commit()
    return sorted(rows, key=lambda row: (row.consumer, row.position))


@dataclass(frozen=True)
class RetryOutcome:
    replayed: list[ParkedEvent]
    still_parked: list[ParkedEvent]
    # Not picked up in time: no consumer running, or a long poll still waiting.
    pending: list[ParkedEvent]


async def await_retry(
    database: Database, requested: Sequence[ParkedEvent], wait_seconds: float
) -> RetryOutcome:
    """Wait until the consumers have tried every requested event, or `wait_seconds` pass."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_seconds
    keys = {(row.consumer, row.event_id) for row in requested}
    while True:
        now = {(row.consumer, row.event_id): row for row in await list_parked(database)}
        pending = [now[key] for key in keys if key in now and now[key].retry_requested_at]
        if not pending or loop.time() >= deadline:
            break
        await asyncio.sleep(0.2)
    by_position = sorted(requested, key=lambda row: (row.consumer, row.position))
    return RetryOutcome(
        replayed=[row for row in by_position if (row.consumer, row.event_id) not in now],
        still_parked=[
            now[key]
            for row in by_position
            if (key := (row.consumer, row.event_id)) in now and not now[key].retry_requested_at
        ],
        pending=sorted(pending, key=lambda row: (row.consumer, row.position)),
    )


class FeedConsumer:
    """`poll()` once, or `run(stop)` until stopped. Any number of replicas may run it: the
    offset row is locked while an event is applied, parked or replayed."""

    def __init__(
        self,
        *,
        name: str,
        service: str,
        feed: str,
        database: Database,
        client: httpx.AsyncClient,
        auth: AuthSettings,
        handlers: Mapping[str, Handler],
        batch_size: int = 100,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        retry_delay: float = DEFAULT_RETRY_DELAY_SECONDS,
        holds: Holds | None = None,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.name = name
        self.service = service
        self.feed = feed
        self.database = database
        self.client = client
        self.auth = auth
        self.handlers = dict(handlers)
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self.retry_delay = retry_delay
        self.holds: Holds = holds or NoHolds()
        self._parked_measured = False

    async def offset(self) -> int:
        async with self.database.reader() as session:
            row = await session.get(ConsumerOffset, self.name)
            return row.position if row else 0

    async def fetch(self, after: int, wait: float = 0.0, limit: int | None = None) -> FeedPage:
        response = await self.client.get(
            "/internal/events",
            params={"after": after, "limit": limit or self.batch_size, "wait": wait},
            headers={"Authorization": f"Bearer {mint_service_token(self.auth, self.service)}"},
            timeout=wait + 10.0,
        )
        response.raise_for_status()
        return FeedPage.model_validate_json(response.content)

    async def _lock_offset(self, session: AsyncSession) -> ConsumerOffset:
        """The offset row, locked: replicas and replays take their turns on it."""
        await session.exec(
            insert(ConsumerOffset)
            .values(consumer=self.name, position=0, updated_at=utcnow())
            .on_conflict_do_nothing()
        )
        return (
            await session.exec(
                select(ConsumerOffset).where(ConsumerOffset.consumer == self.name).with_for_update()
            )
        ).one()

    async def _parked_before(
        self, session: AsyncSession, entity: str | None, position: int
    ) -> ParkedEvent | None:
        """The earliest parked event of `entity` before `position`, if any."""
        if entity is None:
            return None
        statement = (
            select(ParkedEvent)
            .where(
                col(ParkedEvent.consumer) == self.name,
                col(ParkedEvent.entity) == entity,
                col(ParkedEvent.position) < position,
            )
            .order_by(col(ParkedEvent.position))
            .limit(1)
        )
        return (await session.exec(statement)).first()

    async def _apply_handler(self, session: AsyncSession, event: FeedEvent) -> bool:
        first_time = await session.scalar(
            insert(ConsumedEvent)
            .values(
                consumer=self.name, event_id=event.id, position=event.position, consumed_at=utcnow()
            )
            .on_conflict_do_nothing()
            .returning(col(ConsumedEvent.event_id))
        )
        handler = self.handlers.get(event.type)
        if first_time is not None and handler is not None:
            await handler(session, event)
        return first_time is not None

    def _parked_row(
        self, event: FeedEvent, entity: str | None, error: str, attempts: int
    ) -> ParkedEvent:
        return ParkedEvent(
            consumer=self.name,
            event_id=event.id,
            feed=self.feed,
            position=event.position,
            event_type=event.type,
            entity=entity,
            error=error,
            attempts=attempts,
        )

    async def apply(self, event: FeedEvent) -> bool:
        """Try one event once; False when it was applied before or waits behind a parked one.
        A failing handler raises, and leaves nothing behind. Traced as part of the request
        that wrote the event."""
        with continued_from(
            event.traceparent,
            f"consume {event.type}",
            attributes={"inspire.consumer": self.name, "inspire.feed.position": event.position},
        ):
            return await self._apply(event)

    async def _apply(self, event: FeedEvent) -> bool:
        async with self.database.sessionmaker() as session:
            offset = await self._lock_offset(session)
            if event.position <= offset.position:
                return False
            entity = self.holds.entity_of(event)
            blocker = await self._parked_before(session, entity, event.position)
            if blocker is not None:
                error = f"waits behind the parked event at position {blocker.position}"
                await session.exec(
                    insert(ParkedEvent)
                    .values(**self._parked_row(event, entity, error, 0).model_dump())
                    .on_conflict_do_nothing()
                )
                applied = False
            else:
                applied = await self._apply_handler(session, event)
            offset.position = event.position
            offset.updated_at = utcnow()
            session.add(offset)
            await session.commit()
        if blocker is not None:
            logger.warning(
                "event parked behind an earlier one of the same entity",
                extra=self._log_fields(event, entity=entity, behind=blocker.position),
            )
        return applied

    async def park(self, event: FeedEvent, error: str, attempts: int) -> None:
        """Set `event` aside and move past it; its entity is held until it is replayed."""
        entity = self.holds.entity_of(event)
        async with self.database.sessionmaker() as session:
            offset = await self._lock_offset(session)
            if event.position <= offset.position:
                return  # another replica got past it meanwhile
            await session.exec(
                insert(ParkedEvent)
                .values(**self._parked_row(event, entity, error, attempts).model_dump())
                .on_conflict_do_nothing()
            )
            if entity is not None:
                await self.holds.hold(session, entity)
            offset.position = event.position
            offset.updated_at = utcnow()
            session.add(offset)
            await session.commit()
        logger.error(
            "event parked after failing every attempt",
            extra=self._log_fields(event, entity=entity, attempts=attempts, error=error),
        )

    def _log_fields(self, event: FeedEvent, **more: object) -> dict[str, object]:
        return {
            "consumer": self.name,
            "feed": self.feed,
            "position": event.position,
            "event_id": str(event.id),
            "event_type": event.type,
            **more,
        }

    async def deliver(self, event: FeedEvent) -> bool:
        """Apply `event`, retrying with backoff; park it when every attempt fails."""
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self.apply(event)
            except Exception as exc:
                if is_infrastructure_failure(exc):
                    raise
                error = describe_failure(exc)
                if attempt >= self.max_attempts:
                    await self.park(event, error, attempt)
                    return False
                logger.warning(
                    "event failed; retrying",
                    extra=self._log_fields(event, attempt=attempt, error=error),
                )
                logger.debug("event failure", exc_info=exc)
                delay = self.retry_delay * 2 ** (attempt - 1)
                await asyncio.sleep(min(delay, _MAX_RETRY_DELAY_SECONDS))

    async def _event_at(self, row: ParkedEvent) -> FeedEvent | None:
        page = await self.fetch(row.position - 1, limit=1)
        found = [event for event in page.events if event.id == row.event_id]
        return found[0] if found else None

    async def replay(self, row: ParkedEvent) -> bool:
        """Apply a parked event once more; True when it succeeded (it is then unparked)."""
        event = await self._event_at(row)
        if event is None:
            await self._still_parked(row, "not in the source feed any more", count=False)
            return False
        try:
            blocker = await self._replay_once(row, event)
        except Exception as exc:
            if is_infrastructure_failure(exc):
                raise
            error = describe_failure(exc)
            await self._still_parked(row, error, count=True)
            logger.error(
                "parked event failed again",
                extra=self._log_fields(event, attempts=row.attempts + 1, error=error),
            )
            return False
        if blocker is not None:
            # An earlier event of its entity is still parked: order comes first.
            await self._still_parked(row, row.error, count=False)
            return False
        logger.info("parked event replayed", extra=self._log_fields(event))
        return True

    async def _replay_once(self, row: ParkedEvent, event: FeedEvent) -> ParkedEvent | None:
        """One transaction: release the entity, apply, unpark, and hold the entity again if
        more of its events are parked. The earlier parked event in the way, if any."""
        async with self.database.sessionmaker() as session:
            await self._lock_offset(session)
            current = await session.get(ParkedEvent, (self.name, row.event_id))
            if current is None:
                return None  # replayed meanwhile by another replica
            blocker = await self._parked_before(session, row.entity, row.position)
            if blocker is not None:
                return blocker
            if row.entity is not None:
                await self.holds.release(session, row.entity)
            await self._apply_handler(session, event)
            await session.delete(current)
            await session.flush()
            if row.entity is not None and await self._entity_parked(session, row.entity):
                await self.holds.hold(session, row.entity)
            await session.commit()
            return None

    async def _entity_parked(self, session: AsyncSession, entity: str) -> bool:
        found = await session.scalar(
            select(col(ParkedEvent.event_id))
            .where(col(ParkedEvent.consumer) == self.name, col(ParkedEvent.entity) == entity)
            .limit(1)
        )
        return found is not None

    async def _still_parked(self, row: ParkedEvent, error: str, *, count: bool) -> None:
        async with self.database.sessionmaker() as session:
            await session.exec(
                update(ParkedEvent)
                .where(
                    col(ParkedEvent.consumer) == self.name,
                    col(ParkedEvent.event_id) == row.event_id,
                )
                .values(
                    error=error,
                    attempts=ParkedEvent.attempts + (1 if count else 0),
                    retry_requested_at=None,
                )
            )
            await session.commit()

    async def replay_requested(self) -> int:
        """Replay the parked events an operator asked for, oldest first; how many succeeded."""
        async with self.database.reader() as session:
            rows = (
                await session.exec(
                    select(ParkedEvent)
                    .where(
                        col(ParkedEvent.consumer) == self.name,
                        col(ParkedEvent.retry_requested_at).is_not(None),
                    )
                    .order_by(col(ParkedEvent.position))
                )
            ).all()
        replayed = 0
        for row in rows:
            replayed += await self.replay(row)
        return replayed

    async def poll(self, wait: float = 0.0) -> int:
        """Replay what an operator asked for, then fetch what is new and apply it; the number
        of new events applied."""
        replayed = await self.replay_requested()
        after = await self.offset()
        page = await self.fetch(after, wait)
        applied = 0
        for event in page.events:
            applied += await self.deliver(event)
        CONSUMER_LAG.labels(self.service, self.name).set(page.head_position - page.last_position)
        # Only what this consumer does changes its parked count: an idle poll need not count.
        if page.events or replayed or not self._parked_measured:
            await self.measure_parked()
        return applied

    async def measure_parked(self) -> int:
        async with self.database.reader() as session:
            parked = await count_parked(session, self.name)
        CONSUMER_PARKED.labels(self.service, self.name).set(parked)
        self._parked_measured = True
        return parked

    async def run(self, stop: asyncio.Event, wait: float = DEFAULT_WAIT_SECONDS) -> None:
        backoff = 0.5
        while not stop.is_set():
            try:
                poll = asyncio.ensure_future(self.poll(wait))
                stopped = asyncio.ensure_future(stop.wait())
                await asyncio.wait([poll, stopped], return_when=asyncio.FIRST_COMPLETED)
                stopped.cancel()
                if not poll.done():
                    poll.cancel()
                    break
                poll.result()
                backoff = 0.5
            except (httpx.HTTPError, OSError) as exc:
                logger.warning(
                    "feed unreachable, retrying",
                    extra={"consumer": self.name, "error": describe_failure(exc)},
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
            except Exception as exc:
                logger.error(
                    "consumer failed; retrying",
                    extra={"consumer": self.name, "error": describe_failure(exc)},
                )
                logger.debug("consumer failure", exc_info=exc)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)

    async def lag(self) -> int:
        """Events in the source feed not applied yet (also exported as a metric)."""
        page = await self.fetch(await self.offset(), wait=0.0)
        lag = page.head_position - await self.offset()
        CONSUMER_LAG.labels(self.service, self.name).set(lag)
        return lag
