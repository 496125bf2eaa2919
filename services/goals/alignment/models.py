"""The alignment tables, on the goals service's metadata: links from a child objective to the
objective (or one of its key results) it supports, the roll-up switch, and dependencies."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Float, Index, UniqueConstraint, text
from sqlmodel import Field

from kit.models import new_id, timestamp_field
from services.goals.alignment.schemas import AlignmentState, DependencyState
from services.goals.models import GoalsModel, stored_as_text


class Alignment(GoalsModel, table=True):
    """A child objective supports a parent objective, or one of its key results. The parent
    objective is kept for both (for a key result, its objective): the graph walks objectives,
    and a child supports each parent objective once. The child's side proposes a link; it
    counts in the parent's roll-up once the parent's side accepted it (`state`)."""

    __tablename__ = "alignment"
    __table_args__ = (
        UniqueConstraint("child_objective_id", "parent_objective_id"),
        Index(
            "ix_alignment_parent_objective_id_created_at_id",
            "parent_objective_id",
            "created_at",
            "id",
        ),
        Index("ix_alignment_parent_key_result_id", "parent_key_result_id"),
        CheckConstraint("child_objective_id <> parent_objective_id", name="not_self"),
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint("state IN ('pending', 'accepted', 'declined')", name="state_known"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    child_objective_id: uuid.UUID = Field(foreign_key="objective.id")
    parent_objective_id: uuid.UUID = Field(foreign_key="objective.id")
    parent_key_result_id: uuid.UUID | None = Field(default=None, foreign_key="key_result.id")
    weight: float = Field(default=1.0, sa_type=Float)
    state: AlignmentState = Field(
        default=AlignmentState.PENDING, sa_type=stored_as_text(AlignmentState)
    )
    created_by: uuid.UUID
    decided_by: uuid.UUID | None = None
    decided_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class RollUp(GoalsModel, table=True):
    """An objective whose progress also counts the children aligned to it (opted in)."""

    __tablename__ = "objective_roll_up"

    objective_id: uuid.UUID = Field(foreign_key="objective.id", primary_key=True)
    enabled_by: uuid.UUID
    created_at: datetime = timestamp_field()


class Dependency(GoalsModel, table=True):
    """An objective needs another owner's objective, or one of its key results, to succeed.
    Both are in `cycle_id`; `on_objective_id` is kept for a key result too (its objective)."""

    __tablename__ = "dependency"
    __table_args__ = (
        Index("ix_dependency_cycle_id_created_at_id", "cycle_id", "created_at", "id"),
        Index("ix_dependency_objective_id_created_at_id", "objective_id", "created_at", "id"),
        Index("ix_dependency_on_objective_id_created_at_id", "on_objective_id", "created_at", "id"),
        # Once per objective depended on, and once per key result of it.
        Index(
            "uq_dependency_objective_id_on_objective_id",
            "objective_id",
            "on_objective_id",
            unique=True,
            postgresql_where=text("on_key_result_id IS NULL"),
        ),
        Index(
            "uq_dependency_objective_id_on_key_result_id",
            "objective_id",
            "on_key_result_id",
            unique=True,
            postgresql_where=text("on_key_result_id IS NOT NULL"),
        ),
        CheckConstraint("objective_id <> on_objective_id", name="not_self"),
        CheckConstraint("state IN ('open', 'agreed', 'resolved')", name="state_known"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    cycle_id: uuid.UUID = Field(foreign_key="cycle.id")
    objective_id: uuid.UUID = Field(foreign_key="objective.id")
    on_objective_id: uuid.UUID = Field(foreign_key="objective.id")
    on_key_result_id: uuid.UUID | None = Field(default=None, foreign_key="key_result.id")
    note: str = Field(max_length=2000)
    state: DependencyState = Field(
        default=DependencyState.OPEN, sa_type=stored_as_text(DependencyState)
    )
    created_by: uuid.UUID
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1
