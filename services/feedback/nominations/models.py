"""The nominations tables: periods, and one nomination per person per period."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Date, DateTime, ForeignKey, Index, Uuid
from sqlmodel import Field

from kit.models import new_id, stored_as_text, timestamp_field
from services.feedback.models import FeedbackModel
from services.feedback.nominations.schemas import PeriodStatus


class NominationPeriod(FeedbackModel, table=True):
    __tablename__ = "nomination_period"
    __table_args__ = (
        Index("ix_nomination_period_created_at_id", "created_at", "id"),
        CheckConstraint("status IN ('open', 'closed')", name="status_known"),
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    name: str = Field(max_length=120)
    starts_on: date = Field(sa_column=Column(Date, nullable=False))
    ends_on: date = Field(sa_column=Column(Date, nullable=False))
    status: PeriodStatus = Field(default=PeriodStatus.OPEN, sa_type=stored_as_text(PeriodStatus))
    closed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class Nomination(FeedbackModel, table=True):
    """Who nominated whom: read by its nominator alone, counted only once the period closes."""

    __tablename__ = "nomination"
    __table_args__ = (
        Index("ix_nomination_period_id_nominee_id", "period_id", "nominee_id"),
        CheckConstraint("nominator_id <> nominee_id", name="not_self"),
    )

    period_id: uuid.UUID = Field(
        sa_column=Column(
            Uuid, ForeignKey("nomination_period.id", ondelete="CASCADE"), primary_key=True
        )
    )
    nominator_id: uuid.UUID = Field(primary_key=True)
    nominee_id: uuid.UUID
    reason: str = Field(max_length=1000)
    updated_at: datetime = timestamp_field()
