"""Base of the kit's own tables (outbox, idempotency, consumer offsets), which every service's
migrations create in its database, and the id, clock and column types every table uses."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum

import uuid6
from sqlalchemy import DateTime, Enum
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel


class KitModel(SQLModel, registry=registry()):
    """Tables of the kit; each service keeps its own models on a registry of its own."""


def new_id() -> uuid.UUID:
    """Time-ordered UUIDs (v7) keep primary-key indexes compact."""
    return uuid.UUID(int=uuid6.uuid7().int)


def utcnow() -> datetime:
    return datetime.now(UTC)


def timestamp_field(**kwargs: object) -> datetime:
    """A `timestamptz` column defaulting to now."""
    field: datetime = Field(
        default_factory=utcnow,
        sa_type=DateTime(timezone=True),  # type: ignore[call-overload]  # SQLModel's overloads
        nullable=False,
        **kwargs,
    )
    return field


def stored_as_text(enum: type[StrEnum]) -> Enum:
    """A VARCHAR holding the enum's values (a PostgreSQL enum type is harder to extend), read
    back as members of `enum`."""
    return Enum(
        enum,
        native_enum=False,
        length=20,
        values_callable=lambda members: [member.value for member in members],
    )
