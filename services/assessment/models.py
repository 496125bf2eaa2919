"""The assessment service's tables: instruments, their questions and their texts in other
locales."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    MetaData,
    Numeric,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from kit.models import new_id, timestamp_field
from services.assessment.levels import DEFAULT_THRESHOLDS

# Stable constraint names, so that migrations can refer to them.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class AssessmentModel(SQLModel, registry=registry(metadata=MetaData(naming_convention=NAMING))):
    """Base of this service's tables, on a metadata of its own."""


class Instrument(AssessmentModel, table=True):
    """A question bank: what it measures (areas), how answers are given (the scale)."""

    __tablename__ = "instrument"
    __table_args__ = (
        Index("ix_instrument_created_at_id", "created_at", "id"),
        CheckConstraint("scale_min < scale_max", name="scale_not_empty"),
        CheckConstraint(
            "cardinality(level_thresholds) = 4 AND level_thresholds[1] > 1"
            " AND level_thresholds[1] < level_thresholds[2]"
            " AND level_thresholds[2] < level_thresholds[3]"
            " AND level_thresholds[3] < level_thresholds[4] AND level_thresholds[4] < 5",
            name="level_thresholds_rise",
        ),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    key: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    edition: str = Field(default="1", max_length=32)
    # [{"key": "culture", "name": "Culture"}, …], in the order they are reported.
    areas: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    scale_min: int
    scale_max: int
    # [{"value": 1, "label": "Strongly disagree"}, …]
    scale_labels: list[dict[str, Any]] = Field(sa_column=Column(JSONB, nullable=False))
    # An area's mean below thresholds[0] is level 1, …, at or above thresholds[3] level 5
    # (services.assessment.levels).
    level_thresholds: list[Decimal] = Field(
        default_factory=lambda: list(DEFAULT_THRESHOLDS),
        sa_column=Column(
            ARRAY(Numeric(3, 2)),
            nullable=False,
            server_default=text("'{1.8,2.6,3.4,4.2}'"),
        ),
    )
    active: bool = True
    built_in: bool = False
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class Question(AssessmentModel, table=True):
    """One item of an instrument; never changed once written, so answers keep their meaning."""

    __tablename__ = "question"
    __table_args__ = (
        UniqueConstraint("instrument_id", "position"),
        CheckConstraint("kind IN ('rating', 'comment')", name="kind_known"),
        CheckConstraint("kind = 'rating' OR NOT reverse_scored", name="only_ratings_reversed"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    instrument_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("instrument.id", ondelete="CASCADE"), nullable=False)
    )
    position: int
    area: str = Field(max_length=64)
    text: str = Field(max_length=500)
    reverse_scored: bool = False
    # `rating`: answered on the instrument's scale and scored; `comment`: free text, never scored
    # and shown only where the anonymity rules allow.
    kind: str = Field(
        default="rating", max_length=16, sa_column_kwargs={"server_default": "rating"}
    )


class InstrumentTranslation(AssessmentModel, table=True):
    """An instrument's texts in one locale other than English (the instrument's own columns
    are English). What a translation lacks is served in English."""

    __tablename__ = "instrument_translation"

    instrument_id: uuid.UUID = Field(
        sa_column=Column(
            ForeignKey("instrument.id", ondelete="CASCADE"), primary_key=True, nullable=False
        )
    )
    # A language tag such as `sv` or `sv-FI`.
    locale: str = Field(primary_key=True, max_length=35)
    # {"name": …, "description": …, "areas": {area key: name}, "scale_labels": {"1": label},
    #  "questions": {"1": text}}: questions by position, scale labels by value.
    texts: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
