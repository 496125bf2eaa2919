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
    created_at: datetime


class VisibilityNarrowedPayload(BaseModel):
    id: uuid.UUID
    giver_id: uuid.UUID
    recipient_id: uuid.UUID
    old_visibility: Visibility
    new_visibility: Visibility


FEEDBACK_GIVEN = EventType(
    "feedback.given",
    FeedbackGivenPayload,
    "Someone gave feedback; its words are read at `GET /v1/feedback/{id}`, by those who may.",
)
FEEDBACK_VISIBILITY_NARROWED = EventType(
    "feedback.visibility_narrowed",
    VisibilityNarrowedPayload,
    "The giver narrowed who sees an item; a receiver that read its words while it was wider "
    "should now forget them.",
)

CATALOGUE = EventCatalogue("feedback", [FEEDBACK_GIVEN, FEEDBACK_VISIBILITY_NARROWED])
