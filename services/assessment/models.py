"""The assessment service's tables: instruments and their questions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, MetaData, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from kit.models import new_id, timestamp_field

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
    active: bool = True
    built_in: bool = False
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = 1


class Question(AssessmentModel, table=True):
    """One item of an instrument; never changed once written, so answers keep their meaning."""

    __tablename__ = "question"
    __table_args__ = (UniqueConstraint("instrument_id", "position"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    instrument_id: uuid.UUID = Field(
        sa_column=Column(ForeignKey("instrument.id", ondelete="CASCADE"), nullable=False)
    )
    position: int
    area: str = Field(max_length=64)
    text: str = Field(max_length=500)
    reverse_scored: bool = False
