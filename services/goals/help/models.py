"""The help request tables, on the goals service's metadata: a request for help on an
objective or one of its key results (at most one open at a time for each), and the help
offered on it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, DateTime, Index, Uuid, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field

from kit.models import new_id, stored_as_text, timestamp_field
from services.goals.help.schemas import HelpRequestSource, HelpRequestState
from services.goals.models import GoalsModel


class HelpRequest(GoalsModel, table=True):
    """Someone working on an objective asks for help: what is blocked, what help is wanted,
    addressed to the people who can help (kept as they were when it opened)."""

    __tablename__ = "help_request"
    __table_args__ = (
        Index("ix_help_request_objective_id_created_at_id", "objective_id", "created_at", "id"),
        Index("ix_help_request_opened_by_created_at_id", "opened_by", "created_at", "id"),
        Index("ix_help_request_addressee_ids", "addressee_ids", postgresql_using="gin"),
        # One open request per key result, and one per objective as a whole.
        Index(
            "uq_help_request_key_result_id_open",
            "key_result_id",
            unique=True,
            postgresql_where=text("state = 'open' AND key_result_id IS NOT NULL"),
        ),
        Index(
            "uq_help_request_objective_id_open",
            "objective_id",
            unique=True,
            postgresql_where=text("state = 'open' AND key_result_id IS NULL"),
        ),
        CheckConstraint("state IN ('open', 'resolved')", name="state_known"),
        CheckConstraint("source IN ('check_in', 'manual')", name="source_known"),
        CheckConstraint("(state = 'open') = (resolved_at IS NULL)", name="resolved_when_resolved"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    objective_id: uuid.UUID = Field(foreign_key="objective.id")
    # Removed with its key result; the check-in that opened it may go (with its key result).
    key_result_id: uuid.UUID | None = Field(
        default=None, foreign_key="key_result.id", ondelete="CASCADE"
    )
    check_in_id: uuid.UUID | None = Field(
        default=None, foreign_key="check_in.id", ondelete="SET NULL"
    )
    source: HelpRequestSource = Field(sa_type=stored_as_text(HelpRequestSource))
    state: HelpRequestState = Field(
        default=HelpRequestState.OPEN, sa_type=stored_as_text(HelpRequestState)
    )
    blocked: str | None = Field(default=None, max_length=2000)
    help_wanted: str | None = Field(default=None, max_length=2000)
    opened_by: uuid.UUID
    addressee_ids: list[uuid.UUID] = Field(
        default_factory=list, sa_column=Column(ARRAY(Uuid()), nullable=False)
    )
    resolution_note: str | None = Field(default=None, max_length=2000)
    resolved_by: uuid.UUID | None = None
    resolved_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class HelpOffer(GoalsModel, table=True):
    """Help someone offered on a request; never changed."""

    __tablename__ = "help_offer"
    __table_args__ = (
        Index("ix_help_offer_help_request_id_created_at_id", "help_request_id", "created_at", "id"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    help_request_id: uuid.UUID = Field(foreign_key="help_request.id", ondelete="CASCADE")
    person_id: uuid.UUID
    message: str = Field(max_length=2000)
    created_at: datetime = timestamp_field()
