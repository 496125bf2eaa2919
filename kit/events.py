"""Domain events: declared types with payload schemas, and the outbox they are written to in
the same transaction as the change they describe."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from pydantic import Field as PydanticField
from sqlalchemy import BigInteger, Column, DateTime, Identity
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.db import notify_on_commit
from kit.models import KitModel, new_id, utcnow
from kit.observability import request_id_var
from kit.tracing import current_traceparent

P = TypeVar("P", bound=BaseModel)

# Notified when outbox rows commit and when the relay positions them: relays and feed long-polls
# listen to it instead of polling the table.
OUTBOX_CHANNEL = "inspire_outbox"


@dataclass(frozen=True, slots=True)
class EventType(Generic[P]):
    """A kind of event a service publishes, e.g. `person.created`, and its payload schema."""

    name: str
    payload: type[P]
    description: str


class EventTypeInfo(BaseModel):
    """One entry of a service's event catalogue."""

    name: str
    description: str
    payload_schema: dict[str, Any]


class EventCatalogue:
    def __init__(self, service: str, types: Iterable[EventType[Any]]) -> None:
        self.service = service
        self.types = {event_type.name: event_type for event_type in types}

    def describe(self) -> list[EventTypeInfo]:
        return [
            EventTypeInfo(
                name=t.name, description=t.description, payload_schema=t.payload.model_json_schema()
            )
            for t in sorted(self.types.values(), key=lambda t: t.name)
        ]


class OutboxEvent(KitModel, table=True):
    """An event committed with its change; `position` is given by the relay in commit order."""

    __tablename__ = "outbox_event"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    # Insertion order, only to relay a batch in a stable order; consumers never see it.
    seq: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(), nullable=False, unique=True)
    )
    type: str = Field(max_length=100)
    payload: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    occurred_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    request_id: str | None = Field(default=None, max_length=128)
    # W3C `traceparent` of the request that wrote it: its consumers continue that trace.
    traceparent: str | None = Field(default=None, max_length=128)
    position: int | None = Field(
        default=None, sa_column=Column(BigInteger, nullable=True, unique=True)
    )


class FeedEvent(BaseModel):
    """An event as a feed serves it."""

    id: uuid.UUID
    position: int = PydanticField(description="Gap-free, in commit order; resume after it.")
    type: str
    occurred_at: datetime
    payload: dict[str, Any]
    traceparent: str | None = PydanticField(
        default=None,
        description="W3C trace context of the request that wrote the event, when it was traced.",
    )


class FeedPage(BaseModel):
    events: list[FeedEvent]
    last_position: int = PydanticField(
        description="Position of the newest event returned, or `after` when none."
    )
    head_position: int = PydanticField(
        description="Position of the newest event in the feed: how far a reader is behind."
    )


async def record_event(session: AsyncSession, event_type: EventType[P], payload: P) -> None:
    """Write `payload` to the outbox; it commits (or not) with the caller's transaction."""
    if not isinstance(payload, event_type.payload):
        raise TypeError(f"{event_type.name} takes {event_type.payload.__name__}")
    session.add(
        OutboxEvent(
            type=event_type.name,
            payload=payload.model_dump(mode="json"),
            request_id=request_id_var.get(),
            traceparent=current_traceparent(),
        )
    )
    await session.flush()
    await notify_on_commit(session, OUTBOX_CHANNEL)
