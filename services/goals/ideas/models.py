"""The ideas tables, on the goals service's metadata: ideas, their peers' reviews (one per
reviewer) and the allocation that resourced one. No column holds anything of the proposer
but their id: an idea's standing comes from its reviews."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, Float, Index, Numeric, UniqueConstraint
from sqlmodel import Field

from kit.models import new_id, stored_as_text, timestamp_field
from services.goals.ideas.schemas import IdeaStatus, SpawnedKind
from services.goals.models import GoalsModel

_BUDGET_IN_ONE_CURRENCY = "(budget_amount IS NULL) = (budget_currency IS NULL)"
_STATUS_KNOWN = "status IN ('proposed', 'under_review', 'allocated', 'declined', 'withdrawn')"


class Idea(GoalsModel, table=True):
    """A proposal anyone makes: the problem, what to do, the impact expected, and the time
    (person-days) and money it asks for."""

    __tablename__ = "idea"
    __table_args__ = (
        Index("ix_idea_created_at_id", "created_at", "id"),
        Index("ix_idea_status_created_at_id", "status", "created_at", "id"),
        Index("ix_idea_proposer_id_created_at_id", "proposer_id", "created_at", "id"),
        CheckConstraint(_BUDGET_IN_ONE_CURRENCY, name="budget_in_one_currency"),
        CheckConstraint(
            "time_person_days IS NOT NULL OR budget_amount IS NOT NULL", name="asks_something"
        ),
        CheckConstraint(_STATUS_KNOWN, name="status_known"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    headline: str = Field(max_length=200)
    problem: str = Field(max_length=4000)
    proposal: str = Field(max_length=4000)
    expected_impact: str = Field(max_length=4000)
    time_person_days: float | None = Field(default=None, sa_type=Float)
    budget_amount: Decimal | None = Field(
        default=None, sa_column=Column(Numeric(14, 2), nullable=True)
    )
    budget_currency: str | None = Field(default=None, max_length=3)
    status: IdeaStatus = Field(default=IdeaStatus.PROPOSED, sa_type=stored_as_text(IdeaStatus))
    proposer_id: uuid.UUID
    closing_note: str | None = Field(default=None, max_length=2000)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class IdeaReview(GoalsModel, table=True):
    """A peer's review of an idea on the three criteria (1 to 5) with a comment; one per
    reviewer, changed by them until the idea is decided."""

    __tablename__ = "idea_review"
    __table_args__ = (
        UniqueConstraint("idea_id", "reviewer_id"),
        CheckConstraint("impact BETWEEN 1 AND 5", name="impact_range"),
        CheckConstraint("evidence BETWEEN 1 AND 5", name="evidence_range"),
        CheckConstraint("feasibility BETWEEN 1 AND 5", name="feasibility_range"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    idea_id: uuid.UUID = Field(foreign_key="idea.id")
    reviewer_id: uuid.UUID
    impact: int
    evidence: int
    feasibility: int
    comment: str = Field(max_length=2000)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class IdeaAllocation(GoalsModel, table=True):
    """The resources an idea was granted, by whom, and what it started: an experiment (a
    reference, `spawned_kind` + `spawned_id`) or an objective created with it."""

    __tablename__ = "idea_allocation"
    __table_args__ = (
        CheckConstraint(_BUDGET_IN_ONE_CURRENCY, name="budget_in_one_currency"),
        CheckConstraint("(spawned_kind IS NULL) = (spawned_id IS NULL)", name="spawned_both"),
        CheckConstraint(
            "spawned_kind IS NULL OR spawned_kind IN ('experiment', 'objective')",
            name="spawned_kind_known",
        ),
    )

    idea_id: uuid.UUID = Field(foreign_key="idea.id", primary_key=True)
    time_person_days: float | None = Field(default=None, sa_type=Float)
    budget_amount: Decimal | None = Field(
        default=None, sa_column=Column(Numeric(14, 2), nullable=True)
    )
    budget_currency: str | None = Field(default=None, max_length=3)
    note: str | None = Field(default=None, max_length=2000)
    allocated_by: uuid.UUID
    spawned_kind: SpawnedKind | None = Field(default=None, sa_type=stored_as_text(SpawnedKind))
    spawned_id: uuid.UUID | None = None
    created_at: datetime = timestamp_field()
