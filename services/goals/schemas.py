"""The goals API contract: what callers send (strict) and what they read back. No field here
sorts or ranks people by OKR progress or confidence (the OKR firewall)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic import Strict as _Strict
from pydantic_core import PydanticCustomError


class CycleStatus(StrEnum):
    PLANNING = "planning"
    ACTIVE = "active"
    CLOSED = "closed"


class Visibility(StrEnum):
    """`public`: everyone signed in reads it. `private`: its owner, the owner's management
    chain (for a team: its members, leads and the lead's chain) and HR admins."""

    PUBLIC = "public"
    PRIVATE = "private"


# --- Field types -----------------------------------------------------------------------------

# Bodies are strict (no `false` for a number, no number for a text), but JSON has no native
# UUID, date or enum: these accept their ordinary string form.
Lax = _Strict(False)
Id = Annotated[uuid.UUID, Lax]


def _text_only(value: Any) -> Any:
    # A lax date would also take a number of seconds since 1970; only ISO text is a date here.
    if not isinstance(value, str):
        raise PydanticCustomError("date_type", "Input should be a date such as `2025-01-31`")
    return value


Day = Annotated[date, BeforeValidator(_text_only), Lax]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=2000)]
Unit = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
# Finite and bounded, so that differences and ratios of two values stay finite too.
MAX_MAGNITUDE = 1e15
Number = Annotated[float, Field(ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE, allow_inf_nan=False)]
Weight = Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)]
Confidence = Annotated[int, Field(ge=0, le=10, description="0 (no chance) to 10 (certain).")]


class StrictInput(BaseModel):
    """Base of request bodies: exact JSON types, unknown fields refused."""

    model_config = ConfigDict(strict=True, extra="forbid")


def _refuse_null(value: Any) -> Any:
    # Validators run only for values sent: an omitted field stays unchanged, a `null` is refused.
    if value is None:
        raise ValueError("may not be null")
    return value


class Group(BaseModel):
    """One parent's share of a batch read with a per-parent limit."""

    has_more: bool = Field(description="More items exist than the per-parent limit returned.")
    next_cursor: str | None = Field(
        description="Where the parent's own list continues (its `cursor`), or null at the end."
    )


# --- Cycles ----------------------------------------------------------------------------------


class CycleCreate(StrictInput):
    name: Name
    starts_on: Day
    ends_on: Day = Field(description="After `starts_on`.")
    status: Annotated[CycleStatus, Lax] = CycleStatus.PLANNING

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.ends_on <= self.starts_on:
            raise PydanticCustomError("end_not_after_start", "`ends_on` must be after `starts_on`")
        return self


class CycleUpdate(StrictInput):
    """Only the fields sent change."""

    name: Name | None = None
    starts_on: Day | None = None
    ends_on: Day | None = None
    status: Annotated[CycleStatus, Lax] | None = None

    _not_null = field_validator("name", "starts_on", "ends_on", "status")(_refuse_null)


class CycleRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    starts_on: date
    ends_on: date
    status: CycleStatus
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Changes on every update; the `ETag` of single reads.")


class CycleFilters(BaseModel):
    status: CycleStatus | None = None


# --- Objectives ------------------------------------------------------------------------------


class ObjectiveCreate(StrictInput):
    """An objective belongs to one cycle and one owner: a person or a team."""

    cycle_id: Id
    title: Title
    description: LongText | None = None
    owner_person_id: Id | None = Field(default=None, description="Either this or a team.")
    owner_team_id: Id | None = Field(default=None, description="Either this or a person.")
    visibility: Annotated[Visibility, Lax] = Visibility.PUBLIC

    @model_validator(mode="after")
    def _one_owner(self) -> Self:
        if (self.owner_person_id is None) == (self.owner_team_id is None):
            raise PydanticCustomError(
                "one_owner", "Give exactly one of `owner_person_id` and `owner_team_id`"
            )
        return self


class ObjectiveUpdate(StrictInput):
    """Only the fields sent change; `null` clears the description."""

    title: Title | None = None
    description: LongText | None = None
    visibility: Annotated[Visibility, Lax] | None = None

    _not_null = field_validator("title", "visibility")(_refuse_null)


class ObjectiveRead(BaseModel):
    id: uuid.UUID
    cycle_id: uuid.UUID
    title: str
    description: str | None
    owner_person_id: uuid.UUID | None
    owner_team_id: uuid.UUID | None
    visibility: Visibility
    created_by: uuid.UUID = Field(description="The person who created it.")
    progress: float | None = Field(
        description="Weighted mean of its key results' progress, 0 to 1; null without any."
    )
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Changes on every update; the `ETag` of single reads.")


class ObjectiveFilters(BaseModel):
    """Narrows `GET /v1/objectives`; all given filters apply together."""

    cycle_id: uuid.UUID | None = None
    owner_person_id: uuid.UUID | None = None
    owner_team_id: uuid.UUID | None = None


class OwnerObjectives(Group):
    """The objectives of one owner, oldest first; `next_cursor` continues
    `GET /v1/objectives` filtered by this owner (and the same `cycle_id`)."""

    owner_person_id: uuid.UUID | None
    owner_team_id: uuid.UUID | None
    items: list[ObjectiveRead]


class ObjectivesByOwner(BaseModel):
    """One group per owner asked, in the order asked (people first, then teams)."""

    groups: list[OwnerObjectives]


# --- Key results -----------------------------------------------------------------------------


class KeyResultCreate(StrictInput):
    """Progress runs from `start` to `target`, upwards or downwards (`target` below `start`
    for a decrease)."""

    title: Title
    start: Number
    target: Number
    current: Number | None = Field(default=None, description="`start` if omitted.")
    unit: Unit | None = Field(default=None, description="E.g. `%`, `EUR`, `customers`.")
    weight: Weight = Field(default=1.0, description="Its share in the objective's progress.")

    @model_validator(mode="after")
    def _a_distance_to_go(self) -> Self:
        if self.start == self.target:
            raise PydanticCustomError("start_equals_target", "`target` must differ from `start`")
        return self


class KeyResultRead(BaseModel):
    id: uuid.UUID
    objective_id: uuid.UUID
    title: str
    start: float
    target: float
    current: float
    unit: str | None
    weight: float
    progress: float = Field(description="How far `current` is from `start` to `target`, 0 to 1.")
    confidence: int | None = Field(description="From the latest check-in; null before any.")
    checked_in_at: datetime | None = Field(description="When the latest check-in was made.")
    created_at: datetime
    updated_at: datetime
    version: int


class ObjectiveKeyResults(Group):
    """The key results of one objective, oldest first; `next_cursor` continues
    `GET /v1/objectives/{objective_id}/key-results`."""

    objective_id: uuid.UUID
    items: list[KeyResultRead]


class KeyResultsByObjective(BaseModel):
    """One group per objective asked, in the order asked; an objective you may not read (or
    that does not exist) has an empty group."""

    groups: list[ObjectiveKeyResults]


# --- Check-ins -------------------------------------------------------------------------------


class CheckInCreate(StrictInput):
    """Where a key result stands now; its value becomes the key result's `current`."""

    value: Number
    confidence: Confidence
    note: LongText | None = None


class CheckInRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    key_result_id: uuid.UUID
    value: float
    confidence: int
    note: str | None
    author_id: uuid.UUID
    created_at: datetime


class KeyResultCheckIns(Group):
    """The check-ins of one key result, oldest first; `next_cursor` continues
    `GET /v1/key-results/{key_result_id}/check-ins`."""

    key_result_id: uuid.UUID
    items: list[CheckInRead]


class CheckInsByKeyResult(BaseModel):
    """One group per key result asked, in the order asked; a key result you may not read (or
    that does not exist) has an empty group."""

    groups: list[KeyResultCheckIns]
