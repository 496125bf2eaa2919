"""The feedback requests contract: asking, answering, declining, and what is read back."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.feedback.schemas import Body, FeedbackKind, Id, Lax, StrictInput, Topic, Visibility

MAX_ASKED = 20

Work = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class PartStatus(StrEnum):
    """Where one asked person stands: asked, answered with a feedback item, or declined."""

    OPEN = "open"
    ANSWERED = "answered"
    DECLINED = "declined"


class RequestRole(StrEnum):
    """How the caller stands to a request."""

    REQUESTER = "requester"
    SUBJECT = "subject"
    ASKED = "asked"


class FeedbackRequestCreate(StrictInput):
    subject_id: Id | None = Field(
        default=None,
        description="Whom the feedback is about: yourself (the default) or, for a manager, a "
        "direct report.",
    )
    asked_ids: list[Id] = Field(
        min_length=1,
        max_length=MAX_ASKED,
        description="The active people asked; neither you nor the subject.",
    )
    topic: Topic
    objective_id: Id | None = Field(
        default=None, description="An objective of the goals service the feedback is about."
    )
    work: Work | None = Field(
        default=None, description="A piece of work it is about (a title or a link)."
    )
    due_on: Annotated[date, Lax] = Field(description="When answers are wanted, a date.")


class FeedbackRequestUpdate(StrictInput):
    """What the requester may change: the due date."""

    due_on: Annotated[date, Lax]


class AnswerCreate(StrictInput):
    """An answer: a feedback item to the subject, on the request's topic."""

    body: Body
    kind: Annotated[FeedbackKind, Lax]
    visibility: Annotated[Visibility, Lax] = Field(
        description="Who sees it besides you (as for any feedback): chosen now, never widened."
    )


class RequestPartRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    person_id: uuid.UUID
    status: PartStatus
    feedback_id: uuid.UUID | None = Field(description="The answer, once given.")
    closed_at: datetime | None = Field(description="When it was answered or declined.")


class FeedbackRequestRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    requester_id: uuid.UUID
    subject_id: uuid.UUID
    topic: str
    objective_id: uuid.UUID | None = Field(
        description="The objective it is about; null too when you may not see that objective."
    )
    work: str | None
    due_on: date
    parts: list[RequestPartRead] = Field(
        description="Every asked person's part for the requester and the subject; an asked "
        "person sees their own."
    )
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Changes on every update; the `ETag` of single reads.")


class FeedbackRequestQuery(BaseModel):
    """Narrows `GET /v1/feedback-requests`, within the requests you take part in."""

    role: RequestRole | None = Field(default=None, description="Only those where you are this.")
    status: PartStatus | None = Field(
        default=None, description="Only those where your own part has this status (you were asked)."
    )
