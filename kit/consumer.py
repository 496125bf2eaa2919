"""Reads another service's event feed and applies each event exactly once: the handler's
writes, the event id and the new offset commit in one transaction of the consumer's database."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime

import httpx
from sqlalchemy import BigInteger, Column, DateTime
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Field, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import mint_service_token
from kit.db import Database
from kit.events import FeedEvent, FeedPage
from kit.models import KitModel, utcnow
from kit.observability import CONSUMER_LAG
from kit.settings import AuthSettings

logger = logging.getLogger("inspire.consumer")

Handler = Callable[[AsyncSession, FeedEvent], Awaitable[None]]


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


class FeedConsumer:
    """`poll()` once, or `run(stop)` until stopped. Any number of replicas may run it: the
    offset row is locked while an event is applied."""

    def __init__(
        self,
        *,
        name: str,
        service: str,
        database: Database,
        client: httpx.AsyncClient,
        auth: AuthSettings,
        handlers: Mapping[str, Handler],
        batch_size: int = 100,
    ) -> None:
        self.name = name
        self.service = service
        self.database = database
        self.client = client
        self.auth = auth
        self.handlers = dict(handlers)
        self.batch_size = batch_size

    async def offset(self) -> int:
        async with self.database.sessionmaker() as session:
            row = await session.get(ConsumerOffset, self.name)
            return row.position if row else 0

    async def fetch(self, after: int, wait: float = 0.0) -> FeedPage:
        response = await self.client.get(
            "/internal/events",
            params={"after": after, "limit": self.batch_size, "wait": wait},
            headers={"Authorization": f"Bearer {mint_service_token(self.auth, self.service)}"},
            timeout=wait + 10.0,
        )
        response.raise_for_status()
        return FeedPage.model_validate_json(response.content)

    async def apply(self, event: FeedEvent) -> bool:
        """Apply one event; False when it was applied before."""
        async with self.database.sessionmaker() as session:
            await session.exec(
                insert(ConsumerOffset)
                .values(consumer=self.name, position=0, updated_at=utcnow())
                .on_conflict_do_nothing()
            )
            offset = (
                await session.exec(
                    select(ConsumerOffset)
                    .where(ConsumerOffset.consumer == self.name)
                    .with_for_update()
                )
            ).one()
            if event.position <= offset.position:
                return False
            first_time = await session.scalar(
                insert(ConsumedEvent)
                .values(
                    consumer=self.name,
                    event_id=event.id,
                    position=event.position,
                    consumed_at=utcnow(),
                )
                .on_conflict_do_nothing()
                .returning(col(ConsumedEvent.event_id))
            )
            handler = self.handlers.get(event.type)
            if first_time is not None and handler is not None:
                await handler(session, event)
            offset.position = event.position
            offset.updated_at = utcnow()
            session.add(offset)
            await session.commit()
            return first_time is not None

    async def poll(self, wait: float = 0.0) -> int:
        """Fetch what is new and apply it; the number of events applied."""
        after = await self.offset()
        page = await self.fetch(after, wait)
        applied = 0
        for event in page.events:
            applied += await self.apply(event)
        CONSUMER_LAG.labels(self.service, self.name).set(page.head_position - page.last_position)
        return applied

    async def run(self, stop: asyncio.Event, wait: float = 10.0) -> None:
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
                    "feed unreachable, retrying", extra={"consumer": self.name, "error": str(exc)}
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)
            except Exception:
                logger.exception("consumer failed; retrying", extra={"consumer": self.name})
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 30.0)

    async def lag(self) -> int:
        """Events in the source feed not applied yet (also exported as a metric)."""
        page = await self.fetch(await self.offset(), wait=0.0)
        lag = page.head_position - await self.offset()
        CONSUMER_LAG.labels(self.service, self.name).set(lag)
        return lag
