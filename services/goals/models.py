"""The goals tables: cycles, objectives (with their contributors, signatures, comments and
closing), key results (with their milestones) and check-ins. Owners are ids of the directory,
checked against the org copy, not foreign keys (the directory lives elsewhere)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Enum,
    Float,
    Index,
    MetaData,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from kit.models import new_id, timestamp_field
from services.goals.schemas import (
    CheckInStatus,
    ClosingSource,
    CycleStatus,
    KeyResultKind,
    ObjectiveKind,
    ObjectiveStatus,
    OwnerKind,
    SignatureRole,
    Visibility,
)

# Stable constraint names, so that migrations can refer to them.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Full-text search runs on the `simple` configuration: no stemming, so that a prefix of any
# word in any language finds it.
SEARCH_CONFIG = "simple"


def stored_as_text(enum: type[StrEnum]) -> Enum:
    """A VARCHAR holding the enum's values (a PostgreSQL enum type is harder to extend), read
    back as members of `enum`."""
    return Enum(
        enum,
        native_enum=False,
        length=20,
        values_callable=lambda members: [member.value for member in members],
    )


def _one_of(column: str, enum: type[StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(member.value) for member in enum)})"


def search_document(*columns: str) -> Any:
    """The `tsvector` a search matches against, the same expression as the GIN index's."""
    # Parenthesised as PostgreSQL prints the index back, so that the migrations check agrees.
    first, *rest = (f"coalesce({column}, '')" for column in columns)
    document = first
    for part in rest:
        document = f"({document} || ' ') || {part}"
    return func.to_tsvector(text(f"'{SEARCH_CONFIG}'::regconfig"), text(document))


class GoalsModel(SQLModel, registry=registry(metadata=MetaData(naming_convention=NAMING))):
    """Base of this service's tables, on a metadata of its own."""


class Cycle(GoalsModel, table=True):
    """A period objectives are set for, e.g. "2026 Q1"."""

    __tablename__ = "cycle"
    __table_args__ = (
        Index("ix_cycle_created_at_id", "created_at", "id"),
        CheckConstraint("ends_on > starts_on", name="ends_after_start"),
        CheckConstraint(_one_of("status", CycleStatus), name="status_known"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    name: str = Field(max_length=200)
    starts_on: date
    ends_on: date
    status: CycleStatus = Field(default=CycleStatus.PLANNING, sa_type=stored_as_text(CycleStatus))
    closed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    closed_by: uuid.UUID | None = None
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class Objective(GoalsModel, table=True):
    """What a person, a team or the whole company sets out to achieve in a cycle."""

    __tablename__ = "objective"
    __table_args__ = (
        Index("ix_objective_created_at_id", "created_at", "id"),
        Index("ix_objective_cycle_id_created_at_id", "cycle_id", "created_at", "id"),
        Index("ix_objective_owner_person_id_created_at_id", "owner_person_id", "created_at", "id"),
        Index("ix_objective_owner_team_id_created_at_id", "owner_team_id", "created_at", "id"),
        Index(
            "ix_objective_search",
            search_document("title", "description"),
            postgresql_using="gin",
        ),
        CheckConstraint(
            "(owner_kind = 'person' AND owner_person_id IS NOT NULL AND owner_team_id IS NULL)"
            " OR (owner_kind = 'team' AND owner_team_id IS NOT NULL AND owner_person_id IS NULL)"
            " OR (owner_kind = 'company' AND owner_person_id IS NULL AND owner_team_id IS NULL)",
            name="owner_matches_kind",
        ),
        CheckConstraint("owner_kind <> 'company' OR visibility = 'public'", name="company_public"),
        CheckConstraint(_one_of("owner_kind", OwnerKind), name="owner_kind_known"),
        CheckConstraint(_one_of("visibility", Visibility), name="visibility_known"),
        CheckConstraint(_one_of("kind", ObjectiveKind), name="kind_known"),
        CheckConstraint(_one_of("status", ObjectiveStatus), name="status_known"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    cycle_id: uuid.UUID = Field(foreign_key="cycle.id")
    title: str = Field(max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    owner_kind: OwnerKind = Field(sa_type=stored_as_text(OwnerKind))
    owner_person_id: uuid.UUID | None = None
    owner_team_id: uuid.UUID | None = None
    kind: ObjectiveKind = Field(
        default=ObjectiveKind.COMMITTED, sa_type=stored_as_text(ObjectiveKind)
    )
    status: ObjectiveStatus = Field(
        default=ObjectiveStatus.DRAFT, sa_type=stored_as_text(ObjectiveStatus)
    )
    visibility: Visibility = Field(default=Visibility.PUBLIC, sa_type=stored_as_text(Visibility))
    created_by: uuid.UUID
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class Contributor(GoalsModel, table=True):
    """A person who works on an objective they do not own: they see it even when it is
    private, change it and check in on it."""

    __tablename__ = "objective_contributor"
    __table_args__ = (Index("ix_objective_contributor_person_id", "person_id"),)

    objective_id: uuid.UUID = Field(foreign_key="objective.id", primary_key=True)
    person_id: uuid.UUID = Field(primary_key=True)
    added_by: uuid.UUID
    created_at: datetime = timestamp_field()


class Signature(GoalsModel, table=True):
    """One side of an objective's agreement: the owner's, or the manager's."""

    __tablename__ = "objective_signature"
    __table_args__ = (
        UniqueConstraint("objective_id", "signer_id"),
        CheckConstraint(_one_of("role", SignatureRole), name="role_known"),
    )

    objective_id: uuid.UUID = Field(foreign_key="objective.id", primary_key=True)
    role: SignatureRole = Field(sa_type=stored_as_text(SignatureRole), primary_key=True)
    signer_id: uuid.UUID
    created_at: datetime = timestamp_field()


class Comment(GoalsModel, table=True):
    """A remark on an objective while it is drafted; never changed."""

    __tablename__ = "objective_comment"
    __table_args__ = (
        Index(
            "ix_objective_comment_objective_id_created_at_id", "objective_id", "created_at", "id"
        ),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    objective_id: uuid.UUID = Field(foreign_key="objective.id")
    author_id: uuid.UUID
    body: str = Field(max_length=2000)
    created_at: datetime = timestamp_field()


class Closing(GoalsModel, table=True):
    """An objective's final score and retrospective, submitted before its cycle closes or
    taken from its progress when the cycle closes without one."""

    __tablename__ = "objective_closing"
    __table_args__ = (
        CheckConstraint("score BETWEEN 0 AND 1", name="score_range"),
        CheckConstraint(_one_of("source", ClosingSource), name="source_known"),
    )

    objective_id: uuid.UUID = Field(foreign_key="objective.id", primary_key=True)
    score: float = Field(sa_type=Float)
    retrospective: str | None = Field(default=None, max_length=2000)
    source: ClosingSource = Field(sa_type=stored_as_text(ClosingSource))
    submitted_by: uuid.UUID | None = None
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class KeyResult(GoalsModel, table=True):
    """A measurable outcome of an objective. Every kind keeps its figures as numbers, so that
    progress reads the same way: `binary` runs from 0 to 1, `milestones` from 0 to their
    number (`current` = those done); `stay_above` / `stay_below` hold `target` as the line."""

    __tablename__ = "key_result"
    __table_args__ = (
        Index("ix_key_result_objective_id_created_at_id", "objective_id", "created_at", "id"),
        Index("ix_key_result_owner_person_id", "owner_person_id"),
        Index("ix_key_result_search", search_document("title"), postgresql_using="gin"),
        CheckConstraint(_one_of("kind", KeyResultKind), name="kind_known"),
        CheckConstraint("kind <> 'increase_to' OR target > start", name="increase_goes_up"),
        CheckConstraint("kind <> 'decrease_to' OR target < start", name="decrease_goes_down"),
        CheckConstraint(
            "kind <> 'binary' OR (start = 0 AND target = 1 AND current IN (0, 1))",
            name="binary_is_0_or_1",
        ),
        CheckConstraint(
            "kind <> 'milestones' OR (start = 0 AND target >= 1 AND current BETWEEN 0 AND target)",
            name="milestones_counted",
        ),
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint("confidence BETWEEN 0 AND 10", name="confidence_range"),
        CheckConstraint(
            f"status IS NULL OR {_one_of('status', CheckInStatus)}", name="status_known"
        ),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    objective_id: uuid.UUID = Field(foreign_key="objective.id")
    title: str = Field(max_length=200)
    kind: KeyResultKind = Field(
        default=KeyResultKind.INCREASE_TO, sa_type=stored_as_text(KeyResultKind)
    )
    start: float = Field(sa_type=Float)
    target: float = Field(sa_type=Float)
    current: float = Field(sa_type=Float)
    unit: str | None = Field(default=None, max_length=32)
    owner_person_id: uuid.UUID | None = None
    weight: float = Field(default=1.0, sa_type=Float)
    # As of the latest check-in.
    confidence: int | None = None
    status: CheckInStatus | None = Field(default=None, sa_type=stored_as_text(CheckInStatus))
    checked_in_at: datetime | None = Field(
        default=None,
        sa_type=DateTime(timezone=True),
    )
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class Milestone(GoalsModel, table=True):
    """One step of a `milestones` key result, in its place in the list; done or not."""

    __tablename__ = "milestone"
    __table_args__ = (UniqueConstraint("key_result_id", "position"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    key_result_id: uuid.UUID = Field(foreign_key="key_result.id")
    position: int
    title: str = Field(max_length=200)
    done: bool = False
    done_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    created_at: datetime = timestamp_field()


class CheckIn(GoalsModel, table=True):
    """Where a key result stood at a moment, how its author judged it and how confident they
    were; never changed. `value` is the key result's `current` after it."""

    __tablename__ = "check_in"
    __table_args__ = (
        Index("ix_check_in_key_result_id_created_at_id", "key_result_id", "created_at", "id"),
        CheckConstraint("confidence BETWEEN 0 AND 10", name="confidence_range"),
        CheckConstraint(_one_of("status", CheckInStatus), name="status_known"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    key_result_id: uuid.UUID = Field(foreign_key="key_result.id")
    value: float = Field(sa_type=Float)
    confidence: int
    status: CheckInStatus = Field(sa_type=stored_as_text(CheckInStatus))
    # For a `milestones` key result: which milestones it marked, `[{milestone_id, done}]`.
    milestone_updates: list[dict[str, Any]] | None = Field(
        default=None, sa_column=Column(JSONB, nullable=True)
    )
    note: str | None = Field(default=None, max_length=2000)
    author_id: uuid.UUID
    created_at: datetime = timestamp_field()
