"""The goals tables: cycles, objectives, key results and their check-ins. Owners are ids of
the directory, checked against the org copy, not foreign keys (the directory lives elsewhere)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, DateTime, Enum, Float, Index, MetaData
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from kit.models import new_id, timestamp_field
from services.goals.schemas import CycleStatus, Visibility

# Stable constraint names, so that migrations can refer to them.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _stored_as_text(enum: type[StrEnum]) -> Enum:
    """A VARCHAR holding the enum's values (a PostgreSQL enum type is harder to extend), read
    back as members of `enum`."""
    return Enum(
        enum,
        native_enum=False,
        length=20,
        values_callable=lambda members: [member.value for member in members],
    )


class GoalsModel(SQLModel, registry=registry(metadata=MetaData(naming_convention=NAMING))):
    """Base of this service's tables, on a metadata of its own."""


class Cycle(GoalsModel, table=True):
    """A period objectives are set for, e.g. "2026 Q1"."""

    __tablename__ = "cycle"
    __table_args__ = (
        Index("ix_cycle_created_at_id", "created_at", "id"),
        CheckConstraint("ends_on > starts_on", name="ends_after_start"),
        CheckConstraint("status IN ('planning', 'active', 'closed')", name="status_known"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    name: str = Field(max_length=200)
    starts_on: date
    ends_on: date
    status: CycleStatus = Field(default=CycleStatus.PLANNING, sa_type=_stored_as_text(CycleStatus))
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class Objective(GoalsModel, table=True):
    """What someone (a person or a team) sets out to achieve in a cycle."""

    __tablename__ = "objective"
    __table_args__ = (
        Index("ix_objective_created_at_id", "created_at", "id"),
        Index("ix_objective_cycle_id_created_at_id", "cycle_id", "created_at", "id"),
        Index("ix_objective_owner_person_id_created_at_id", "owner_person_id", "created_at", "id"),
        Index("ix_objective_owner_team_id_created_at_id", "owner_team_id", "created_at", "id"),
        CheckConstraint("(owner_person_id IS NULL) <> (owner_team_id IS NULL)", name="one_owner"),
        CheckConstraint("visibility IN ('public', 'private')", name="visibility_known"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    cycle_id: uuid.UUID = Field(foreign_key="cycle.id")
    title: str = Field(max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    owner_person_id: uuid.UUID | None = None
    owner_team_id: uuid.UUID | None = None
    visibility: Visibility = Field(default=Visibility.PUBLIC, sa_type=_stored_as_text(Visibility))
    created_by: uuid.UUID
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class KeyResult(GoalsModel, table=True):
    """A measurable outcome of an objective, from `start` to `target`; `current` follows its
    check-ins."""

    __tablename__ = "key_result"
    __table_args__ = (
        Index("ix_key_result_objective_id_created_at_id", "objective_id", "created_at", "id"),
        CheckConstraint("target <> start", name="target_differs_from_start"),
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint("confidence BETWEEN 0 AND 10", name="confidence_range"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    objective_id: uuid.UUID = Field(foreign_key="objective.id")
    title: str = Field(max_length=200)
    start: float = Field(sa_type=Float)
    target: float = Field(sa_type=Float)
    current: float = Field(sa_type=Float)
    unit: str | None = Field(default=None, max_length=32)
    weight: float = Field(default=1.0, sa_type=Float)
    # As of the latest check-in.
    confidence: int | None = None
    checked_in_at: datetime | None = Field(
        default=None,
        sa_type=DateTime(timezone=True),
    )
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class CheckIn(GoalsModel, table=True):
    """Where a key result stood at a moment, and how confident its author was; never changed."""

    __tablename__ = "check_in"
    __table_args__ = (
        Index("ix_check_in_key_result_id_created_at_id", "key_result_id", "created_at", "id"),
        CheckConstraint("confidence BETWEEN 0 AND 10", name="confidence_range"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    key_result_id: uuid.UUID = Field(foreign_key="key_result.id")
    value: float = Field(sa_type=Float)
    confidence: int
    note: str | None = Field(default=None, max_length=2000)
    author_id: uuid.UUID
    created_at: datetime = timestamp_field()
