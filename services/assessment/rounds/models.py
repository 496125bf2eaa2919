"""The tables of rounds. Who answered (`participation`) and what was answered (`response`,
`answer`) are kept apart: a response has no person, no time and a random id (a time-ordered
id would carry the moment it was written)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, Index, Numeric, Text, Uuid
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from kit.models import new_id, stored_as_text, timestamp_field
from services.assessment.models import AssessmentModel
from services.assessment.rounds.schemas import ParticipationStatus, RoundMode, RoundStatus


class Round(AssessmentModel, table=True):
    """An instrument sent to an audience between two dates."""

    __tablename__ = "round"
    __table_args__ = (
        Index("ix_round_created_at_id", "created_at", "id"),
        Index("ix_round_instrument_id", "instrument_id"),
        CheckConstraint("min_group_size >= 3", name="min_group_size_floor"),
        CheckConstraint("status IN ('draft', 'open', 'closed')", name="status_known"),
        CheckConstraint("mode IN ('anonymous', 'identified')", name="mode_known"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    instrument_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("instrument.id"), nullable=False)
    )
    name: str = Field(max_length=200)
    team_id: uuid.UUID | None = None
    mode: RoundMode = Field(default=RoundMode.ANONYMOUS, sa_type=stored_as_text(RoundMode))
    min_group_size: int = 5
    # [{"key": "tenure", "name": "Tenure", "options": [{"key": "under_1", "name": …}]}]
    attributes: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False)
    )
    status: RoundStatus = Field(default=RoundStatus.DRAFT, sa_type=stored_as_text(RoundStatus))
    opens_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    closes_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    opened_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    closed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    created_by: uuid.UUID | None = None
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class RoundTeam(AssessmentModel, table=True):
    """The audience's team tree as it stood when the round opened."""

    __tablename__ = "round_team"

    round_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("round.id", ondelete="CASCADE"), primary_key=True)
    )
    team_id: uuid.UUID = Field(primary_key=True)
    parent_id: uuid.UUID | None = None
    name: str = Field(max_length=200)


class RoundTeamLine(AssessmentModel, table=True):
    """Each snapshotted team with itself and every team above it, so that a team's figures
    (its sub-teams included) are one GROUP BY."""

    __tablename__ = "round_team_line"

    round_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("round.id", ondelete="CASCADE"), primary_key=True)
    )
    team_id: uuid.UUID = Field(primary_key=True)
    ancestor_id: uuid.UUID = Field(primary_key=True)


class Participation(AssessmentModel, table=True):
    """Who was asked, their team as it stood when the round opened, and where they stand.
    Saved answers wait here (`draft`) until submitted; then they are deleted."""

    __tablename__ = "participation"
    __table_args__ = (
        Index("ix_participation_person_id", "person_id"),
        CheckConstraint("status IN ('invited', 'saved', 'submitted')", name="status_known"),
        CheckConstraint("status <> 'submitted' OR draft IS NULL", name="no_draft_once_submitted"),
    )

    round_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("round.id", ondelete="CASCADE"), primary_key=True)
    )
    person_id: uuid.UUID = Field(primary_key=True)
    team_id: uuid.UUID | None = None
    status: ParticipationStatus = Field(
        default=ParticipationStatus.INVITED, sa_type=stored_as_text(ParticipationStatus)
    )
    draft: dict[str, Any] | None = Field(
        default=None, sa_column=Column(JSONB(none_as_null=True), nullable=True)
    )
    # Only in an identified round: the response this person gave.
    response_id: uuid.UUID | None = Field(
        default=None, sa_column=Column(Uuid, ForeignKey("response.id"), nullable=True)
    )
    reminded_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class Response(AssessmentModel, table=True):
    """One submitted set of answers: the round, the respondent's snapshotted team and the
    attributes they declared. No person, no time; the id is random."""

    __tablename__ = "response"
    __table_args__ = (Index("ix_response_round_id_team_id", "round_id", "team_id"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    round_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("round.id", ondelete="CASCADE"), nullable=False)
    )
    team_id: uuid.UUID | None = None
    attributes: dict[str, str] = Field(
        default_factory=dict, sa_column=Column(JSONB, nullable=False)
    )


class Answer(AssessmentModel, table=True):
    """One answer of a response: a score (already reversed for reverse-scored items) or a
    comment."""

    __tablename__ = "answer"
    __table_args__ = (
        CheckConstraint("(score IS NULL) <> (comment IS NULL)", name="score_or_comment"),
    )

    response_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("response.id", ondelete="CASCADE"), primary_key=True)
    )
    question_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("question.id"), primary_key=True)
    )
    area: str = Field(max_length=64)
    score: int | None = None
    comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class AreaScore(AssessmentModel, table=True):
    """A response's mean score in one area, written with it, so that reports add up means per
    team without going through every answer again."""

    __tablename__ = "area_score"

    response_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("response.id", ondelete="CASCADE"), primary_key=True)
    )
    area: str = Field(max_length=64, primary_key=True)
    mean: Decimal = Field(sa_column=Column(Numeric, nullable=False))
