"""The weekly check-in contract: a person's short form for an ISO week, the thread with the
manager they had when they submitted it, and what is due this week."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from kit.fields import WholeNumber, no_null, omitted
from services.feedback.schemas import Body, StrictInput

MAX_ANSWERS = 20


class CheckInStatus(StrEnum):
    DRAFT = "draft"  # the person's alone
    SUBMITTED = "submitted"  # the person's and their manager's at submitting


def _iso_week(value: str) -> str:
    year, week = value.split("-W")
    date.fromisocalendar(int(year), int(week), 1)  # a week 53 only some years have
    return value


Week = Annotated[
    str,
    StringConstraints(pattern=r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$"),
    AfterValidator(_iso_week),
]
Mood = Annotated[int, WholeNumber, Field(ge=1, le=5)]
Answer = Annotated[str, StringConstraints(max_length=5000)]
Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


def week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


class ExtraAnswer(StrictInput):
    """An answer to one of the team's own questions (team rhythms will supply the questions;
    until then the question is stored as written beside its answer)."""

    model_config = ConfigDict(strict=True, extra="forbid", from_attributes=True)

    question: Question
    answer: Answer


def _refuse_null(value: Any) -> Any:
    if value is None:
        raise ValueError("may not be null")
    return value


class WeeklyCheckInCreate(StrictInput):
    """A draft for a week (by default the current one in your time zone); everything may be
    filled in later, before submitting."""

    week: Week | None = Field(default=None, description="ISO week, `2026-W49`.")
    mood: Mood | None = Field(default=None, description="How the week went, 1 (bad) to 5.")
    wins: Answer = ""
    blockers: Answer = ""
    priorities: Answer = Field(default="", description="What matters most next week.")
    answers: list[ExtraAnswer] = Field(default_factory=list, max_length=MAX_ANSWERS)


class WeeklyCheckInUpdate(StrictInput):
    """Changes to a draft; a submitted check-in changes no more."""

    mood: Mood | None = omitted()
    wins: Answer | None = omitted()
    blockers: Answer | None = omitted()
    priorities: Answer | None = omitted()
    answers: list[ExtraAnswer] | None = Field(
        default=None, max_length=MAX_ANSWERS, json_schema_extra=no_null
    )

    _not_null = field_validator("mood", "wins", "blockers", "priorities", "answers")(_refuse_null)


class CheckInReplyCreate(StrictInput):
    body: Body


class CheckInReplyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    check_in_id: uuid.UUID
    author_id: uuid.UUID = Field(description="The person or the manager.")
    body: str
    created_at: datetime


class WeeklyCheckInRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    person_id: uuid.UUID
    week: str
    status: CheckInStatus
    mood: int | None
    wins: str
    blockers: str
    priorities: str
    answers: list[ExtraAnswer]
    manager_id: uuid.UUID | None = Field(
        description="The manager the person had when they submitted: the one other reader, "
        "for ever (null for a draft, or for someone who had no manager)."
    )
    submitted_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Changes on every update; the `ETag` of single reads.")
    replies: list[CheckInReplyRead] = Field(description="The thread, oldest first.")


class WeeklyCheckInQuery(BaseModel):
    """Narrows `GET /v1/weekly-check-ins`, within what you may read."""

    person_id: uuid.UUID | None = Field(default=None, description="Only this person's.")
    week: Week | None = Field(default=None, description="Only this ISO week's.")


class DueQuery(BaseModel):
    week: Week | None = Field(
        default=None, description="ISO week; by default the current one in your time zone."
    )


class ReportDueRead(BaseModel):
    person_id: uuid.UUID
    name: str


class WeeklyCheckInDueRead(BaseModel):
    """What is due for a week: yours, and which of your direct reports have not submitted."""

    week: str
    due: bool = Field(description="You have not submitted a check-in for this week.")
    check_in_id: uuid.UUID | None = Field(description="Your check-in of the week, if started.")
    reports_total: int = Field(description="Your active direct reports.")
    reports_submitted: int
    reports_due: list[ReportDueRead] = Field(description="Who has not submitted yet, by name.")
