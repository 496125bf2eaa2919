"""The tables of feedback requests: a request, and one part per person asked."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Date, DateTime, ForeignKey, Index, Uuid
from sqlmodel import Field

from kit.models import new_id, stored_as_text, timestamp_field
from services.feedback.models import FeedbackModel
from services.feedback.requests.schemas import PartStatus


class FeedbackRequest(FeedbackModel, table=True):
    """Someone asks people for feedback about themselves or a direct report."""

    __tablename__ = "feedback_request"
    __table_args__ = (
        Index("ix_feedback_request_created_at_id", "created_at", "id"),
        Index("ix_feedback_request_requester_id", "requester_id"),
        Index("ix_feedback_request_subject_id", "subject_id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    requester_id: uuid.UUID
    subject_id: uuid.UUID
    topic: str = Field(max_length=200)
    objective_id: uuid.UUID | None = None
    work: str | None = Field(default=None, max_length=500)
    due_on: date = Field(sa_column=Column(Date, nullable=False))
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class RequestPart(FeedbackModel, table=True):
    """One person asked; the answer is a feedback item of the core, linked here."""

    __tablename__ = "feedback_request_part"
    __table_args__ = (
        Index("ix_feedback_request_part_person_id_status", "person_id", "status"),
        CheckConstraint("status IN ('open', 'answered', 'declined')", name="status_known"),
        CheckConstraint("(status = 'answered') = (feedback_id IS NOT NULL)", name="answer_linked"),
    )

    request_id: uuid.UUID = Field(
        sa_column=Column(
            Uuid, ForeignKey("feedback_request.id", ondelete="CASCADE"), primary_key=True
        )
    )
    person_id: uuid.UUID = Field(primary_key=True)
    status: PartStatus = Field(default=PartStatus.OPEN, sa_type=stored_as_text(PartStatus))
    feedback_id: uuid.UUID | None = Field(
        default=None,
        sa_column=Column(Uuid, ForeignKey("feedback.id"), nullable=True, unique=True),
    )
    closed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
