"""The nominations contract: periods (kept by HR admins), one's own nomination, what a closed
period reveals."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.feedback.schemas import Id, Lax, StrictInput

# Fewer nominations than this are never revealed: one alone would point at its nominator.
MIN_REVEALED = 2

PeriodName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class PeriodStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class NominationPeriodCreate(StrictInput):
    name: PeriodName = Field(description="E.g. `March 2027`.")
    starts_on: Annotated[date, Lax]
    ends_on: Annotated[date, Lax] = Field(description="The last day; HR admins close it.")


class NominationPeriodRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    starts_on: date
    ends_on: date
    status: PeriodStatus
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Changes on every update; the `ETag` of single reads.")


class NominationPeriodQuery(BaseModel):
    status: PeriodStatus | None = None


class NominationSubmit(StrictInput):
    nominee_id: Id = Field(description="The active colleague who helped you most; not you.")
    reason: Reason


class NominationRead(BaseModel):
    """Your own nomination: only you ever read it."""

    model_config = ConfigDict(from_attributes=True)

    period_id: uuid.UUID
    nominee_id: uuid.UUID
    reason: str
    updated_at: datetime


class NomineeRead(BaseModel):
    nominee_id: uuid.UUID
    nominations: int = Field(description=f"How many named them (at least {MIN_REVEALED}).")


class NominationResultsRead(BaseModel):
    period_id: uuid.UUID
    nominees: list[NomineeRead] = Field(
        description=f"Nominees named at least {MIN_REVEALED} times, by id; never who named them."
    )


class ReasonsRead(BaseModel):
    """The reasons given for nominating you, without names, in no meaningful order."""

    period_id: uuid.UUID
    reasons: list[str]
