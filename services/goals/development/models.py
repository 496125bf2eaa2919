"""The development goals tables, on the goals service's metadata: a person's goal for their
own growth (skills as ids of the directory's catalogue, who it is shared with) and the items
of its learning plan."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column, DateTime, Index, Uuid, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field

from kit.models import new_id, stored_as_text, timestamp_field
from services.goals.development.schemas import (
    DevelopmentGoalStatus,
    LearningKind,
    LearningStatus,
    Sharing,
)
from services.goals.models import GoalsModel


def _ids() -> Any:
    """A column of ids, empty unless given."""
    return Field(
        default_factory=list,
        sa_column=Column(ARRAY(Uuid()), nullable=False, server_default=text("'{}'")),
    )


class DevelopmentGoal(GoalsModel, table=True):
    """A person's goal for their own growth. Private to them, their management chain and HR
    admins, unless they share it with named people or the organisation."""

    __tablename__ = "development_goal"
    __table_args__ = (
        Index("ix_development_goal_created_at_id", "created_at", "id"),
        Index("ix_development_goal_person_id_created_at_id", "person_id", "created_at", "id"),
        Index("ix_development_goal_shared_with", "shared_with", postgresql_using="gin"),
        CheckConstraint("status IN ('active', 'completed')", name="status_known"),
        CheckConstraint("sharing IN ('private', 'people', 'organisation')", name="sharing_known"),
        CheckConstraint(
            "(sharing = 'people') = (cardinality(shared_with) > 0)", name="shared_with_people"
        ),
        CheckConstraint(
            "(status = 'completed') = (completed_at IS NOT NULL)", name="completed_when"
        ),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    person_id: uuid.UUID
    title: str = Field(max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    # Ids of the directory's skills, checked with the people service when added (the org
    # copy has no skills).
    skill_ids: list[uuid.UUID] = _ids()
    target_date: date | None = None
    status: DevelopmentGoalStatus = Field(
        default=DevelopmentGoalStatus.ACTIVE, sa_type=stored_as_text(DevelopmentGoalStatus)
    )
    sharing: Sharing = Field(default=Sharing.PRIVATE, sa_type=stored_as_text(Sharing))
    shared_with: list[uuid.UUID] = _ids()
    completion_note: str | None = Field(default=None, max_length=2000)
    completed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    created_by: uuid.UUID
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class LearningItem(GoalsModel, table=True):
    """One step of a development goal's learning plan: a course, mentoring, a stretch
    assignment, learning on the job or reading; its status and what shows it was done."""

    __tablename__ = "learning_item"
    __table_args__ = (
        Index("ix_learning_item_goal_id_created_at_id", "goal_id", "created_at", "id"),
        CheckConstraint(
            "kind IN ('course', 'mentoring', 'stretch_assignment', 'on_the_job', 'reading')",
            name="kind_known",
        ),
        CheckConstraint(
            "status IN ('planned', 'in_progress', 'done', 'dropped')", name="status_known"
        ),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    goal_id: uuid.UUID = Field(foreign_key="development_goal.id")
    kind: LearningKind = Field(sa_type=stored_as_text(LearningKind))
    title: str = Field(max_length=200)
    status: LearningStatus = Field(
        default=LearningStatus.PLANNED, sa_type=stored_as_text(LearningStatus)
    )
    evidence: str | None = Field(default=None, max_length=2000)
    evidence_url: str | None = Field(default=None, max_length=2000)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1
