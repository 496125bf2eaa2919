"""The instruments API contract: instruments with their areas, scale, questions and texts."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    PlainSerializer,
    Strict,
    StringConstraints,
    field_validator,
)

from kit.fields import WholeNumber, omitted
from services.assessment.levels import DEFAULT_THRESHOLDS
from services.assessment.schemas import Key, StrictInput, refuse_null

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=2000)]
Edition = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
QuestionText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)
]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Point = Annotated[int, WholeNumber, Field(ge=-100, le=100)]
# Keys of JSON objects are text: `"3"` names scale value 3 or question 3.
LabelKey = Annotated[int, Strict(False), Field(ge=-100, le=100)]
PositionKey = Annotated[int, Strict(False), Field(ge=1, le=200)]
# A language tag of the texts: `sv`, `sv-FI`, `pt-BR`.
LocaleTag = Annotated[
    str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$", max_length=35)
]


def _number(value: Any) -> Any:
    # Strict bodies: a threshold is a JSON number, never text that looks like one.
    if isinstance(value, str | bool):
        raise ValueError("a threshold is a number such as 2.6")
    return value


# Stored as numeric(3,2): more than two decimals would be rounded, so they are refused.
Threshold = Annotated[
    Decimal,
    Strict(False),
    BeforeValidator(_number),
    Field(max_digits=3, decimal_places=2),
    PlainSerializer(float, return_type=float),
]


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


class QuestionKind(StrEnum):
    RATING = "rating"
    COMMENT = "comment"


class QuestionCreate(StrictInput):
    area: Key = Field(description="Key of one of the instrument's areas.")
    text: QuestionText
    # JSON has no enums: the kind comes as text, still checked against the kinds known.
    kind: Annotated[QuestionKind, Strict(False)] = Field(
        default=QuestionKind.RATING,
        description="`rating`: answered on the scale and scored; `comment`: free text, never "
        "scored, shown only where the anonymity rules allow.",
    )
    reverse_scored: bool = Field(
        default=False,
        description="Agreement means less of the construct; scored as max + min - answer. "
        "Ratings only.",
    )


class QuestionRead(BaseModel):
    id: uuid.UUID
    area: str
    text: str
    kind: QuestionKind
    reverse_scored: bool
    position: int = Field(description="1, 2, …: the order questions are asked in.")


class Texts(StrictInput):
    """An instrument's texts in one locale other than English; what is left out is served in
    English."""

    name: Name | None = None
    description: LongText | None = None
    areas: dict[Key, Name] = Field(default_factory=dict, description="Area names by key.")
    scale_labels: dict[LabelKey, Label] = Field(
        default_factory=dict, description="Labels by the scale value they name."
    )
    questions: dict[PositionKey, QuestionText] = Field(
        default_factory=dict, description="Question texts by position (1, 2, …)."
    )


# --- Instruments -----------------------------------------------------------------------------


class InstrumentCreate(StrictInput):
    """An instrument a customer wrote or has licensed; questions are asked in the order sent.
    Its own texts are English; `translations` gives them in other locales."""

    key: Key = Field(description="Unique, e.g. `maturity`.")
    name: Name
    description: LongText | None = None
    edition: Edition = Field(default="1", description="The instrument's own version label.")
    areas: list[Area] = Field(min_length=1, max_length=20)
    scale: Scale
    level_thresholds: list[Threshold] = Field(
        default_factory=lambda: list(DEFAULT_THRESHOLDS),
        max_length=10,
        description="Four rising numbers strictly between 1 and 5: an area's mean below the "
        "first is level 1 (Apathetic), …, at or above the fourth level 5 (Unbounded).",
    )
    questions: list[QuestionCreate] = Field(min_length=1, max_length=200)
    translations: dict[LocaleTag, Texts] = Field(
        default_factory=dict,
        max_length=50,
        description="Texts by locale (`sv`, …); English is the instrument's own.",
    )
    active: bool = True


FORMAT = "inspire.instrument/1"


class InstrumentImport(InstrumentCreate):
    """An instrument as `GET /v1/instruments/{id}/export` gives it; imported as a new one."""

    format: Literal["inspire.instrument/1"] = Field(description="The document's format.")


class InstrumentExportRead(InstrumentImport):
    """The whole instrument, every locale included, as `POST /v1/instruments/import` takes it."""


class InstrumentUpdate(StrictInput):
    """Only the fields sent change; `null` clears the description. Questions never change, so
    that answers given earlier keep their meaning."""

    name: Name | None = omitted()
    description: LongText | None = None
    active: bool | None = omitted()

    _not_null = field_validator("name", "active")(refuse_null)


class LanguageRead(BaseModel):
    """Which language the texts are in, and what fell back to English."""

    requested: str | None = Field(
        description="The language asked for: the first of `Accept-Language`, else the "
        "person's locale in the directory; null when neither says."
    )
    served: str = Field(description="The locale of the texts, as in `Content-Language`.")
    fallback: bool = Field(
        description="True when the language asked for, or part of it, was not available and "
        "English (or a later choice) was served instead."
    )
    untranslated: list[str] = Field(
        description="Texts served in English because the served locale lacks them, e.g. "
        "`description`, `areas.culture`, `scale_labels.3`, `questions.7`."
    )


class InstrumentRead(BaseModel):
    id: uuid.UUID
    key: str
    name: str
    description: str | None
    edition: str
    areas: list[Area]
    scale: Scale
    level_thresholds: list[Threshold]
    active: bool
    built_in: bool = Field(description="Shipped with Inspire rather than added by a customer.")
    questions: list[QuestionRead]
    locales: list[str] = Field(description="Every locale the texts exist in, English first.")
    language: LanguageRead
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Changes on every update; the `ETag` of single reads.")


class InstrumentQuery(BaseModel):
    """Narrows `GET /v1/instruments`; all given filters apply together."""

    key: str | None = Field(default=None, max_length=64)
    active: bool | None = None


# --- Recommendations -------------------------------------------------------------------------


class RecommendationQuery(BaseModel):
    """What to recommend for: an instrument, the level reached and the weak areas."""

    instrument: Key = Field(description="The instrument's key, e.g. `maturity`.")
    level: int = Field(ge=1, le=5, description="The level reached, 1 (Apathetic) to 5.")
    area: list[Key] = Field(
        default_factory=list,
        max_length=20,
        description="Keys of the weak areas to recommend steps for (repeat: `?area=a&area=b`).",
    )


class LevelRead(BaseModel):
    value: int = Field(description="1 Apathetic … 5 Unbounded.")
    name: str
    management: str = Field(description="`1.0` for levels 1 to 3, `2.0` for 4 and 5.")


class AreaStepsRead(BaseModel):
    area: str = Field(description="The area's key.")
    steps: list[str] = Field(
        description="Concrete next steps for this area; empty when the model has none for "
        "an area of a customer's own instrument."
    )


class RecommendationsRead(BaseModel):
    """Next steps from the 5-level model: for the level reached, and for each weak area."""

    instrument: str
    level: LevelRead
    looks_like: str = Field(description="What the level looks like in daily work.")
    next_steps: list[str] = Field(description="Steps towards the next level (at 5: staying).")
    areas: list[AreaStepsRead]
    language: LanguageRead
