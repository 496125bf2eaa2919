"""The HRIS tables, on the directory's metadata: the inbox of deliveries, the links from HRIS
ids to people and teams (with what the HRIS last said), and the reports of roster syncs."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column, DateTime, Index, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from kit.models import new_id, timestamp_field
from services.people.models import PeopleModel


class HrisEvent(PeopleModel, table=True):
    """One change an HRIS sent, kept until it is applied, and after. A delivery may carry
    several (`seq`); its webhook id makes a replay insert nothing."""

    __tablename__ = "hris_event"
    __table_args__ = (
        UniqueConstraint("integration", "webhook_id", "seq"),
        Index("ix_hris_event_status_effective_at", "status", "effective_at"),
        Index("ix_hris_event_created_at_id", "created_at", "id"),
        CheckConstraint("status IN ('pending', 'held', 'applied', 'failed')", name="status_known"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    integration: str = Field(max_length=100)
    webhook_id: str = Field(max_length=255)
    seq: int
    source: str = Field(max_length=100)
    kind: str = Field(max_length=40)
    external_id: str = Field(max_length=255)
    data: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    # Not applied before this moment (a manager change dated next month).
    effective_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    status: str = Field(default="pending", max_length=20)
    # Why it is held (what it waits for) or failed (the rule's code).
    note: str | None = Field(default=None, max_length=500)
    changes: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSONB))
    # When it was received.
    created_at: datetime = timestamp_field()
    applied_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class HrisLink(PeopleModel, table=True):
    """Which person or team an HRIS id names, and the values the HRIS last gave it: a field that
    differs from them now was edited here, and overwriting it is reported."""

    __tablename__ = "hris_link"
    __table_args__ = (CheckConstraint("kind IN ('person', 'team')", name="kind_known"),)

    source: str = Field(primary_key=True, max_length=100)
    kind: str = Field(primary_key=True, max_length=10)
    external_id: str = Field(primary_key=True, max_length=255)
    entity_id: uuid.UUID
    seen: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))


class HrisSync(PeopleModel, table=True):
    """The report of one roster sync, dry run or applied, kept to be read later."""

    __tablename__ = "hris_sync"
    __table_args__ = (
        Index("ix_hris_sync_created_at_id", "created_at", "id"),
        CheckConstraint("outcome IN ('dry_run', 'applied', 'refused')", name="outcome_known"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    source: str = Field(max_length=100)
    # Who asked: a person's id, or an integration by its token's name.
    requested_by_person_id: uuid.UUID | None = None
    requested_by_integration: str | None = Field(default=None, max_length=255)
    outcome: str = Field(max_length=20)
    forced: bool = False
    refusals: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    counts: dict[str, int] = Field(sa_column=Column(JSONB, nullable=False))
    changes: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    team_changes: list[dict[str, Any]] = Field(
        default_factory=list,
        sa_column=Column(JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    )
    warnings: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    created_at: datetime = timestamp_field()
