"""The instruments API contract: instruments with their areas, scale, questions and texts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from kit.fields import WholeNumber, omitted
from services.assessment.schemas import Key, StrictInput, refuse_null

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=2000)]
Edition = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
QuestionText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)
]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Point = Annotated[int, WholeNumber, Field(ge=-100, le=100)]


# --- Parts of an instrument ------------------------------------------------------------------


class Area(StrictInput):
    """A construct the instrument measures, e.g. `culture` or `reliability`."""

    key: Key
    name: Name


class ScaleLabel(StrictInput):
    value: Point
    label: Label


class Scale(StrictInput):
    """The answer scale of every question, e.g. 1 (strongly disagree) to 5 (strongly agree)."""

    min: Point
    max: Point
    labels: list[ScaleLabel] = Field(default_factory=list, max_length=201)


class QuestionCreate(StrictInput):
    area: Key = Field(description="Key of one of the instrument's areas.")
    text: QuestionText
    reverse_scored: bool = Field(
        default=False,
        description="Agreement means less of the construct; scored as max + min - answer.",
    )


class QuestionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    area: str
    text: str
    reverse_scored: bool
    position: int = Field(description="1, 2, …: the order questions are asked in.")


# --- Instruments -----------------------------------------------------------------------------


class InstrumentCreate(StrictInput):
    """An instrument a customer wrote or has licensed; questions are asked in the order sent."""

    key: Key = Field(description="Unique, e.g. `maturity`.")
    name: Name
    description: LongText | None = None
    edition: Edition = Field(default="1", description="The instrument's own version label.")
    areas: list[Area] = Field(min_length=1, max_length=20)
    scale: Scale
    questions: list[QuestionCreate] = Field(min_length=1, max_length=200)
    active: bool = True


class InstrumentUpdate(StrictInput):
    """Only the fields sent change; `null` clears the description. Questions never change, so
    that answers given earlier keep their meaning."""

    name: Name | None = omitted()
    description: LongText | None = None
    active: bool | None = omitted()

    _not_null = field_validator("name", "active")(refuse_null)


class InstrumentRead(BaseModel):
    id: uuid.UUID
    key: str
    name: str
    description: str | None
    edition: str
    areas: list[Area]
    scale: Scale
    active: bool
    built_in: bool = Field(description="Shipped with Inspire rather than added by a customer.")
    questions: list[QuestionRead]
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Changes on every update; the `ETag` of single reads.")


class InstrumentQuery(BaseModel):
    """Narrows `GET /v1/instruments`; all given filters apply together."""

    key: str | None = Field(default=None, max_length=64)
    active: bool | None = None
