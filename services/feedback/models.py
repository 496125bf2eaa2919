"""The feedback service's tables: feedback items, each with the audience fixed when it was
given, and the replies of their threads."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, MetaData, Uuid, text
from sqlalchemy.dialects.postgresql import ARRAY
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
    """Feedback from one person to another. Giver and recipient are people of the org copy; no
    foreign key, since the copy follows the directory rather than polices it. The links (an
    objective, key result, skill or company value) are ids of other services, kept as given."""

    __tablename__ = "feedback"
    __table_args__ = (
        Index("ix_feedback_created_at_id", "created_at", "id"),
        Index("ix_feedback_recipient_id_created_at_id", "recipient_id", "created_at", "id"),
        Index("ix_feedback_giver_id_created_at_id", "giver_id", "created_at", "id"),
        CheckConstraint("giver_id <> recipient_id", name="not_to_self"),
        # Who is in an item's audience: one index lookup, whatever the depth of the chain.
        Index("ix_feedback_audience", "audience", postgresql_using="gin"),
        Index("ix_feedback_objective_id_created_at_id", "objective_id", "created_at", "id"),
        CheckConstraint("kind IN ('praise', 'suggestion', 'upward', 'peer')", name="kind_known"),
        CheckConstraint("visibility IN ('private', 'manager', 'public')", name="visibility_known"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    giver_id: uuid.UUID
    recipient_id: uuid.UUID
    body: str = Field(max_length=5000)
    kind: FeedbackKind = Field(sa_type=stored_as_text(FeedbackKind))
    topic: str | None = Field(default=None, max_length=200)
    visibility: Visibility = Field(sa_type=stored_as_text(Visibility))
    # The recipient's management chain when the item was given (manager first): who a
    # `manager` item reaches, for ever; a later manager change neither adds nor removes anyone.
    audience: list[uuid.UUID] = Field(
        sa_column=Column(ARRAY(Uuid()), nullable=False, server_default=text("'{}'"))
    )
    objective_id: uuid.UUID | None = None
    key_result_id: uuid.UUID | None = None
    skill_id: uuid.UUID | None = None
    value_id: uuid.UUID | None = None
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class Reply(FeedbackModel, table=True):
    """A message of an item's thread, from its giver or its recipient; it has the item's
    audience."""

    __tablename__ = "feedback_reply"
    __table_args__ = (
        Index("ix_feedback_reply_feedback_id_created_at_id", "feedback_id", "created_at", "id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    feedback_id: uuid.UUID = Field(
        sa_column=Column(Uuid(), ForeignKey("feedback.id", ondelete="CASCADE"), nullable=False)
    )
    author_id: uuid.UUID
    body: str = Field(max_length=5000)
    created_at: datetime = timestamp_field()


class CompanyValue(FeedbackModel, table=True):
    """A value of the company that feedback and recognitions refer to; HR admins keep the list."""

    __tablename__ = "company_value"
    __table_args__ = (
        Index("ix_company_value_created_at_id", "created_at", "id"),
        # Names are one up to case: the service's check and this index agree, races included.
        Index("uq_company_value_name_lower", text("lower(name)"), unique=True),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    name: str = Field(max_length=80)
    description: str | None = Field(default=None, max_length=500)
    archived: bool = False
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1
