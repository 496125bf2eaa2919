"""The webhooks service's tables: the event log, subscriptions, and the messages that deliver
each logged event to each subscription, with every attempt made."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    MetaData,
    Text,
    Uuid,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from kit.models import new_id, timestamp_field

# Stable constraint names, so that migrations can refer to them.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MESSAGE_STATUSES = ("pending", "delivering", "delivered", "failed")


class WebhooksModel(SQLModel, registry=registry(metadata=MetaData(naming_convention=NAMING))):
    """Base of this service's tables, on a metadata of its own."""


def _optional_timestamp() -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))


class Event(WebhooksModel, table=True):
    """An event of another service's feed, as that service published it (ids, never words);
    kept for the retention period (30 days), then pruned."""

    __tablename__ = "event"
    __table_args__ = (
        Index("ix_event_occurred_at_id", "occurred_at", "id"),
        Index("ix_event_type_occurred_at_id", "type", "occurred_at", "id"),
        Index("ix_event_source_occurred_at_id", "source", "occurred_at", "id"),
    )

    # The id the source service gave it: the same event is logged once.
    id: uuid.UUID = Field(primary_key=True)
    source: str = Field(max_length=100)
    type: str = Field(max_length=100)
    occurred_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    data: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    logged_at: datetime = timestamp_field()
    # W3C `traceparent` of the request that wrote the event, as its feed served it: the
    # attempts delivering it continue that trace. Never sent to receivers.
    traceparent: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class Subscription(WebhooksModel, table=True):
    """An endpoint and the event types it receives. Its signing secret is stored encrypted,
    with the id of the key that encrypted it; after a rotation the previous secret keeps
    signing until `previous_secret_expires_at`."""

    __tablename__ = "subscription"
    __table_args__ = (
        Index("ix_subscription_created_at_id", "created_at", "id"),
        Index("ix_subscription_owner_subject_created_at_id", "owner_subject", "created_at", "id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    url: str = Field(max_length=2000)
    description: str | None = Field(default=None, max_length=500)
    # Exact names (`person.created`) and wildcards (`people.*`), as given.
    event_types: list[str] = Field(sa_column=Column(JSONB, nullable=False))
    enabled: bool = True
    # `hr_admin` (any HR admin manages it) or `integration` (only the integration `owner_subject`).
    owner_role: str = Field(max_length=20)
    owner_subject: str = Field(max_length=255)
    # An integration's scopes when it last set the event types: delivery never exceeds them.
    owner_scopes: list[str] = Field(sa_column=Column(JSONB, nullable=False))
    secret_key_id: str = Field(max_length=100)
    secret: str = Field(sa_column=Column(Text, nullable=False))
    previous_secret_key_id: str | None = Field(default=None, max_length=100)
    previous_secret: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    previous_secret_expires_at: datetime | None = _optional_timestamp()
    # Since when every delivery failed (none succeeded since); null while it works.
    failing_since: datetime | None = _optional_timestamp()
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class Message(WebhooksModel, table=True):
    """One event to deliver to one subscription; its id is the `webhook-id` header, the same
    on every attempt."""

    __tablename__ = "message"
    __table_args__ = (
        Index("ix_message_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_message_subscription_id_created_at_id", "subscription_id", "created_at", "id"),
        CheckConstraint(
            "status in ('pending', 'delivering', 'delivered', 'failed')", name="known_status"
        ),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    subscription_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("subscription.id", ondelete="CASCADE"), nullable=False)
    )
    event_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("event.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    event_type: str = Field(max_length=100)
    status: str = Field(default="pending", max_length=20)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    # The body `{type, timestamp, data}` as serialised once at fan-out: every attempt sends
    # and signs these same bytes.
    payload: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    # While a dispatcher holds it: no other may attempt it before this time, and only the
    # holder of `claim` may record its outcome.
    lease_until: datetime | None = _optional_timestamp()
    claim: uuid.UUID | None = Field(default=None, sa_column=Column(Uuid, nullable=True))
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class Attempt(WebhooksModel, table=True):
    """One try at delivering a message: what the endpoint answered, or why nothing came."""

    __tablename__ = "attempt"
    __table_args__ = (Index("ix_attempt_message_id_attempted_at", "message_id", "attempted_at"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    message_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("message.id", ondelete="CASCADE"), nullable=False)
    )
    attempted_at: datetime = timestamp_field()
    status_code: int | None = None
    error: str | None = Field(default=None, max_length=500)
    latency_ms: int
    # The first KiB of the endpoint's answer.
    response_body: str = Field(default="", max_length=1024)
    outcome: str = Field(max_length=20)
