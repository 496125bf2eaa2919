"""The feedback service's table: one row per feedback item."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Index, MetaData
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from kit.models import new_id, stored_as_text, timestamp_field
from services.feedback.schemas import FeedbackKind, Visibility

# Stable constraint names, so that migrations can refer to them.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class FeedbackModel(SQLModel, registry=registry(metadata=MetaData(naming_convention=NAMING))):
    """Base of this service's tables, on a metadata of its own."""


class Feedback(FeedbackModel, table=True):
    """Praise or a suggestion from one person to another. Giver and recipient are people of the
    org copy; no foreign key, since the copy follows the directory rather than polices it."""

    __tablename__ = "feedback"
    __table_args__ = (
        Index("ix_feedback_created_at_id", "created_at", "id"),
        Index("ix_feedback_recipient_id_created_at_id", "recipient_id", "created_at", "id"),
        Index("ix_feedback_giver_id_created_at_id", "giver_id", "created_at", "id"),
        CheckConstraint("giver_id <> recipient_id", name="not_to_self"),
        CheckConstraint("kind IN ('praise', 'suggestion')", name="kind_known"),
        CheckConstraint("visibility IN ('private', 'manager', 'public')", name="visibility_known"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    giver_id: uuid.UUID
    recipient_id: uuid.UUID
    body: str = Field(max_length=5000)
    kind: FeedbackKind = Field(sa_type=stored_as_text(FeedbackKind))
    topic: str | None = Field(default=None, max_length=200)
    visibility: Visibility = Field(sa_type=stored_as_text(Visibility))
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1
