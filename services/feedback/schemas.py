"""The feedback API contract: what callers send (strict) and what they read back."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic import Strict as _Strict

from kit.pagination import MAX_BATCH_IDS


class FeedbackKind(StrEnum):
    PRAISE = "praise"
    SUGGESTION = "suggestion"
    UPWARD = "upward"  # to one's own manager
    PEER = "peer"


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
    objective_id: Id | None = Field(default=None, description="An objective it is about.")
    key_result_id: Id | None = Field(default=None, description="A key result it is about.")
    skill_id: Id | None = Field(default=None, description="A skill it is about.")
    value_id: Id | None = Field(default=None, description="A company value it is about.")


class FeedbackUpdate(StrictInput):
    """The one thing that changes after giving: a narrower visibility."""

    visibility: Annotated[Visibility, Lax]


class ReplyCreate(StrictInput):
    body: Body


class ReplyRead(BaseModel):
    """A message of an item's thread; whoever may read the item reads its replies."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    feedback_id: uuid.UUID
    author_id: uuid.UUID
    body: str
    created_at: datetime


class FeedbackRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    giver_id: uuid.UUID
    recipient_id: uuid.UUID
    body: str
    kind: FeedbackKind
    topic: str | None
    visibility: Visibility
    objective_id: uuid.UUID | None = Field(
        description="The objective it is about; null too when you may not see that objective."
    )
    key_result_id: uuid.UUID | None = Field(
        description="The key result it is about; null too when you may not see it."
    )
    skill_id: uuid.UUID | None
    value_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Changes on every update; the `ETag` of single reads.")
    replies: list[ReplyRead] = Field(description="The thread, oldest first.")


class FeedbackQuery(BaseModel):
    """Narrows `GET /v1/feedback`; all given filters apply together, within what you may see."""

    recipient_id: uuid.UUID | None = Field(default=None, description="Feedback to this person.")
    giver_id: uuid.UUID | None = Field(default=None, description="Feedback from this person.")
    objective_id: uuid.UUID | None = Field(
        default=None, description="Feedback about this objective."
    )
    person_id: uuid.UUID | None = Field(
        default=None, description="Feedback to or from this person."
    )


class PersonRole(StrEnum):
    """Which feedback of a person a grouped read takes."""

    RECEIVED = "received"  # `recipient_id` in lists
    GIVEN = "given"  # `giver_id`
    EITHER = "either"  # `person_id`


# How many items of each parent a grouped read returns at most.
MAX_PER_PARENT = 100
DEFAULT_PER_PARENT = 20
ParentIds = Annotated[list[uuid.UUID], Field(min_length=1, max_length=MAX_BATCH_IDS)]
PerParent = Annotated[int, Field(ge=1, le=MAX_PER_PARENT)]


class FeedbackByPersonQuery(BaseModel):
    person_id: ParentIds = Field(description="People whose feedback to read.")
    per_person: PerParent = Field(default=DEFAULT_PER_PARENT, description="Per person.")
    role: PersonRole = Field(
        default=PersonRole.EITHER, description="What they received, gave, or either."
    )


class FeedbackByObjectiveQuery(BaseModel):
    objective_id: ParentIds = Field(description="Objectives whose feedback to read.")
    per_objective: PerParent = Field(default=DEFAULT_PER_PARENT, description="Per objective.")


class Group(BaseModel):
    """One parent's share of a grouped read."""

    items: list[FeedbackRead]
    has_more: bool = Field(description="More items exist than the per-parent limit returned.")
    next_cursor: str | None = Field(
        description="Where the parent's own list continues (`GET /v1/feedback` with its "
        "filter and this `cursor`), or null at the end."
    )


class PersonFeedbackRead(Group):
    person_id: uuid.UUID


class ObjectiveFeedbackRead(Group):
    objective_id: uuid.UUID


class FeedbackByPersonRead(BaseModel):
    """One group per person asked, in the order asked; what you may not see is left out."""

    groups: list[PersonFeedbackRead]


class FeedbackByObjectiveRead(BaseModel):
    """One group per objective asked, in the order asked; what you may not see is left out."""

    groups: list[ObjectiveFeedbackRead]
