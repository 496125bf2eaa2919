"""The tables of 1:1s: series, meetings, talking points, action items, private notes (only
ciphertext, with the id of the key that sealed it) and calendar feed tokens (only hashes)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    Text,
    Time,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from kit.models import new_id, stored_as_text, timestamp_field
from services.feedback.models import FeedbackModel
from services.feedback.oneonones.schemas import (
    Cadence,
    MeetingStatus,
    RefKind,
    Relationship,
    Weekday,
)


def _known(column: str, enum: type[StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(member.value) for member in enum)})"


def _series_fk() -> Column[uuid.UUID]:
    return Column(Uuid, ForeignKey("one_on_one_series.id", ondelete="CASCADE"), nullable=False)


def _meeting_fk() -> Column[uuid.UUID]:
    return Column(Uuid, ForeignKey("one_on_one_meeting.id", ondelete="CASCADE"), nullable=False)


class Series(FeedbackModel, table=True):
    """Two people meeting on a cadence; each is a participant, neither owns the other's words."""

    __tablename__ = "one_on_one_series"
    __table_args__ = (
        Index("ix_one_on_one_series_created_at_id", "created_at", "id"),
        Index("ix_one_on_one_series_organizer_id", "organizer_id"),
        Index("ix_one_on_one_series_invitee_id", "invitee_id"),
        CheckConstraint("organizer_id <> invitee_id", name="two_people"),
        CheckConstraint(_known("relationship", Relationship), name="relationship_known"),
        CheckConstraint(_known("cadence", Cadence), name="cadence_known"),
        CheckConstraint(_known("weekday", Weekday), name="weekday_known"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    organizer_id: uuid.UUID
    invitee_id: uuid.UUID
    relationship: Relationship = Field(sa_type=stored_as_text(Relationship))
    title: str = Field(max_length=120)
    cadence: Cadence = Field(sa_type=stored_as_text(Cadence))
    weekday: Weekday = Field(sa_type=stored_as_text(Weekday))
    at: time = Field(sa_column=Column(Time, nullable=False))
    time_zone: str = Field(max_length=64)
    duration_minutes: int
    # Either participant may end a series: it is kept, readable by both, and changes no more.
    ended_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class Meeting(FeedbackModel, table=True):
    """One meeting of a series: its time, and what both participants write together."""

    __tablename__ = "one_on_one_meeting"
    __table_args__ = (
        Index("ix_one_on_one_meeting_series_id_starts_at", "series_id", "starts_at"),
        Index("ix_one_on_one_meeting_created_at_id", "created_at", "id"),
        CheckConstraint("(status = 'completed') = (completed_at IS NOT NULL)", name="completed"),
        CheckConstraint(_known("status", MeetingStatus), name="status_known"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    series_id: uuid.UUID = Field(sa_column=_series_fk())
    starts_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    status: MeetingStatus = Field(
        default=MeetingStatus.SCHEDULED, sa_type=stored_as_text(MeetingStatus)
    )
    completed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    grow_goal: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    grow_reality: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    grow_options: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    grow_will: list[str] = Field(
        default_factory=list,
        sa_column=Column(JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    )
    shared_notes: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    # The meeting as a shared document: agenda additions and order, GROW and notes change it.
    version: int = 1


class TalkingPoint(FeedbackModel, table=True):
    """A point on a meeting's agenda; an unchecked one moves to the next meeting."""

    __tablename__ = "one_on_one_talking_point"
    __table_args__ = (
        Index("ix_one_on_one_talking_point_meeting_id_position", "meeting_id", "position"),
        CheckConstraint("(ref_kind IS NULL) = (ref_id IS NULL)", name="ref_whole"),
        CheckConstraint(_known("ref_kind", RefKind), name="ref_kind_known"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    meeting_id: uuid.UUID = Field(sa_column=_meeting_fk())
    origin_meeting_id: uuid.UUID
    author_id: uuid.UUID
    text: str = Field(max_length=500)
    ref_kind: RefKind | None = Field(default=None, sa_type=stored_as_text(RefKind))
    ref_id: uuid.UUID | None = None
    done: bool = False
    position: int
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class ActionItem(FeedbackModel, table=True):
    """Something one of the two will do; an open one moves to the next meeting."""

    __tablename__ = "one_on_one_action_item"
    __table_args__ = (
        Index("ix_one_on_one_action_item_meeting_id_created_at", "meeting_id", "created_at"),
        Index("ix_one_on_one_action_item_series_id_done", "series_id", "done"),
        CheckConstraint("done = (completed_at IS NOT NULL)", name="completed"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    series_id: uuid.UUID = Field(sa_column=_series_fk())
    meeting_id: uuid.UUID = Field(sa_column=_meeting_fk())
    origin_meeting_id: uuid.UUID
    owner_id: uuid.UUID
    created_by: uuid.UUID
    text: str = Field(max_length=500)
    due_on: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    done: bool = False
    completed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class PrivateNote(FeedbackModel, table=True):
    """One person's own note on a meeting, sealed: the words are never stored in the clear."""

    __tablename__ = "one_on_one_private_note"
    __table_args__ = (UniqueConstraint("meeting_id", "author_id"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    meeting_id: uuid.UUID = Field(sa_column=_meeting_fk())
    author_id: uuid.UUID
    # Which configured key sealed `ciphertext`, so that keys can rotate.
    key_id: str = Field(max_length=64)
    ciphertext: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class CalendarToken(FeedbackModel, table=True):
    """A person's secret calendar feed address, kept as a SHA-256 hash; one per person."""

    __tablename__ = "one_on_one_calendar_token"

    person_id: uuid.UUID = Field(primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = timestamp_field()
