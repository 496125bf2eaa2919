"""The recognition tables: company values, recognitions, their recipients, values and
reactions."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Uuid
from sqlmodel import Field

from kit.models import new_id, stored_as_text, timestamp_field
from services.feedback.models import FeedbackModel
from services.feedback.recognition.schemas import LearningKind, ReactionKind


def _parent(table: str) -> uuid.UUID:
    column: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey(f"{table}.id", ondelete="CASCADE"), primary_key=True)
    )
    return column


class Recognition(FeedbackModel, table=True):
    """Public praise from one person to one or more others."""

    __tablename__ = "recognition"
    __table_args__ = (
        Index("ix_recognition_created_at_id", "created_at", "id"),
        Index("ix_recognition_giver_id", "giver_id"),
        CheckConstraint("(learning_kind IS NULL) = (learning_id IS NULL)", name="learning_whole"),
        CheckConstraint(
            "learning_kind IS NULL OR learning_kind IN ('experiment', 'objective')",
            name="learning_kind_known",
        ),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    giver_id: uuid.UUID
    message: str = Field(max_length=2000)
    learning_kind: LearningKind | None = Field(default=None, sa_type=stored_as_text(LearningKind))
    learning_id: uuid.UUID | None = None
    created_at: datetime = timestamp_field()


class RecognitionRecipient(FeedbackModel, table=True):
    __tablename__ = "recognition_recipient"
    __table_args__ = (Index("ix_recognition_recipient_person_id", "person_id"),)

    recognition_id: uuid.UUID = _parent("recognition")
    person_id: uuid.UUID = Field(primary_key=True)


class RecognitionValue(FeedbackModel, table=True):
    __tablename__ = "recognition_value"
    __table_args__ = (Index("ix_recognition_value_value_id", "value_id"),)

    recognition_id: uuid.UUID = _parent("recognition")
    value_id: uuid.UUID = Field(foreign_key="company_value.id", primary_key=True)


class Reaction(FeedbackModel, table=True):
    """One person's reaction of one kind to a recognition."""

    __tablename__ = "recognition_reaction"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('applause', 'heart', 'celebrate', 'insightful')", name="kind_known"
        ),
    )

    recognition_id: uuid.UUID = _parent("recognition")
    person_id: uuid.UUID = Field(primary_key=True)
    kind: ReactionKind = Field(sa_type=stored_as_text(ReactionKind), primary_key=True)
    created_at: datetime = timestamp_field()
