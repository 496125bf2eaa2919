"""The tables of weekly check-ins: one per person per ISO week, with the manager fixed at
submitting, and the replies of their threads."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, Index, Text, Uuid, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from kit.models import new_id, stored_as_text, timestamp_field
from services.feedback.checkins.schemas import CheckInStatus
from services.feedback.models import FeedbackModel


class WeeklyCheckIn(FeedbackModel, table=True):
    """A person's answers for a week. Once submitted, `manager_id` is who managed them then: the
    one other reader for ever; a later manager change neither adds nor removes anyone."""

    __tablename__ = "weekly_check_in"
    __table_args__ = (
        Index("ix_weekly_check_in_created_at_id", "created_at", "id"),
        Index("uq_weekly_check_in_person_id_week", "person_id", "week", unique=True),
        Index("ix_weekly_check_in_manager_id_week", "manager_id", "week"),
        CheckConstraint("status IN ('draft', 'submitted')", name="status_known"),
        CheckConstraint("(status = 'submitted') = (submitted_at IS NOT NULL)", name="submitted"),
        CheckConstraint("mood BETWEEN 1 AND 5", name="mood_range"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    person_id: uuid.UUID
    week: str = Field(max_length=8)
    status: CheckInStatus = Field(
        default=CheckInStatus.DRAFT, sa_type=stored_as_text(CheckInStatus)
    )
    mood: int | None = None
    wins: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    blockers: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    priorities: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    # [{question, answer}]: the team's own questions, as asked when answered.
    answers: list[dict[str, Any]] = Field(
        default_factory=list,
        sa_column=Column(JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    )
    manager_id: uuid.UUID | None = None
    submitted_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class CheckInReply(FeedbackModel, table=True):
    """A message of a check-in's thread, from the person or the manager it was submitted to."""

    __tablename__ = "weekly_check_in_reply"
    __table_args__ = (
        Index("ix_weekly_check_in_reply_check_in_id_created_at", "check_in_id", "created_at"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    check_in_id: uuid.UUID = Field(
        sa_column=Column(
            Uuid(), ForeignKey("weekly_check_in.id", ondelete="CASCADE"), nullable=False
        )
    )
    author_id: uuid.UUID
    body: str = Field(max_length=5000)
    created_at: datetime = timestamp_field()
