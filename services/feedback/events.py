"""The events the feedback service publishes. Payloads reach other systems (webhooks), so the
words of an item travel only when everyone signed in may read them anyway: public feedback."""

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
    visibility: Visibility
    topic: str | None = Field(description="For public feedback only; null otherwise.")
    body: str | None = Field(description="For public feedback only; null otherwise.")
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
    "Someone gave feedback. Its words are included only when it is public.",
)
FEEDBACK_VISIBILITY_NARROWED = EventType(
    "feedback.visibility_narrowed",
    VisibilityNarrowedPayload,
    "The giver narrowed who sees an item; a receiver keeping a copy of a public item's words "
    "should now forget them.",
)

CATALOGUE = EventCatalogue("feedback", [FEEDBACK_GIVEN, FEEDBACK_VISIBILITY_NARROWED])
