"""The events the feedback service publishes. Payloads reach other systems (webhooks) and stay
in the feed for ever, so they carry ids and kinds, never the words of an item (its topic or
body): an item narrowed to private later must not live on in the feed. A consumer reads the
words at `GET /v1/feedback/{id}`, with its own rights."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from kit.events import EventCatalogue, EventType
from services.feedback.schemas import FeedbackKind, Visibility


class FeedbackGivenPayload(BaseModel):
    id: uuid.UUID
    giver_id: uuid.UUID
    recipient_id: uuid.UUID
    kind: FeedbackKind
    visibility: Visibility = Field(description="Who may read the item at the time of the event.")
    objective_id: uuid.UUID | None = None
    key_result_id: uuid.UUID | None = None
    skill_id: uuid.UUID | None = None
    value_id: uuid.UUID | None = None
    created_at: datetime


class FeedbackRepliedPayload(BaseModel):
    id: uuid.UUID = Field(description="The reply's id.")
    feedback_id: uuid.UUID
    author_id: uuid.UUID = Field(description="The giver or the recipient.")
    giver_id: uuid.UUID
    recipient_id: uuid.UUID
    kind: FeedbackKind
    visibility: Visibility = Field(description="Who may read the thread at the time of the event.")
    created_at: datetime


class VisibilityNarrowedPayload(BaseModel):
    id: uuid.UUID
    giver_id: uuid.UUID
    recipient_id: uuid.UUID
    old_visibility: Visibility
    new_visibility: Visibility
    narrowed_by: uuid.UUID | None = Field(default=None, description="The giver or the recipient.")


FEEDBACK_GIVEN = EventType(
    "feedback.given",
    FeedbackGivenPayload,
    "Someone gave feedback; its words are read at `GET /v1/feedback/{id}`, by those who may.",
)
FEEDBACK_VISIBILITY_NARROWED = EventType(
    "feedback.visibility_narrowed",
    VisibilityNarrowedPayload,
    "The giver or the recipient narrowed who sees an item; a receiver that read its words "
    "while it was wider should now forget them.",
)

FEEDBACK_REPLIED = EventType(
    "feedback.replied",
    FeedbackRepliedPayload,
    "The giver or the recipient added to an item's thread; its words are read with the item, "
    "by those who may.",
)

CATALOGUE = EventCatalogue(
    "feedback",
    [FEEDBACK_GIVEN, FEEDBACK_REPLIED, FEEDBACK_VISIBILITY_NARROWED],
)
