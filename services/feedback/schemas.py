"""The feedback API contract: what callers send (strict) and what they read back."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic import Strict as _Strict


class FeedbackKind(StrEnum):
    PRAISE = "praise"
    SUGGESTION = "suggestion"


class Visibility(StrEnum):
    """Who sees an item besides its giver, from the narrowest to the widest."""

    PRIVATE = "private"  # the recipient
    MANAGER = "manager"  # the recipient and their management chain
    PUBLIC = "public"  # everyone signed in


# Bodies are strict, but JSON has no native UUID or enum: these accept their string form.
Lax = _Strict(False)
Id = Annotated[uuid.UUID, Lax]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
Topic = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class StrictInput(BaseModel):
    """Base of request bodies: exact JSON types, unknown fields refused."""

    model_config = ConfigDict(strict=True, extra="forbid")


class FeedbackCreate(StrictInput):
    recipient_id: Id = Field(description="An active person other than you.")
    body: Body
    kind: Annotated[FeedbackKind, Lax]
    topic: Topic | None = Field(default=None, description="What it is about, in a few words.")
    visibility: Annotated[Visibility, Lax] = Field(
        description="Chosen now; it can later be narrowed, never widened."
    )


class FeedbackUpdate(StrictInput):
    """The one thing that changes after giving: a narrower visibility."""

    visibility: Annotated[Visibility, Lax]


class FeedbackRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    giver_id: uuid.UUID
    recipient_id: uuid.UUID
    body: str
    kind: FeedbackKind
    topic: str | None
    visibility: Visibility
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Changes on every update; the `ETag` of single reads.")


class FeedbackQuery(BaseModel):
    """Narrows `GET /v1/feedback`; all given filters apply together, within what you may see."""

    recipient_id: uuid.UUID | None = Field(default=None, description="Feedback to this person.")
    giver_id: uuid.UUID | None = Field(default=None, description="Feedback from this person.")
