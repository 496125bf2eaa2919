"""`feedback.requested`, beside the core's events (`services/feedback/events.py`): who asked
whom about whom, by id; the topic stays behind the API."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel

from kit.events import EventType


class FeedbackRequestedPayload(BaseModel):
    id: uuid.UUID
    requester_id: uuid.UUID
    subject_id: uuid.UUID
    asked_ids: list[uuid.UUID]
    objective_id: uuid.UUID | None
    due_on: date
    created_at: datetime


FEEDBACK_REQUESTED = EventType(
    "feedback.requested",
    FeedbackRequestedPayload,
    "Someone asked people for feedback about themselves or a direct report; the topic is read "
    "at `GET /v1/feedback-requests/{id}`, by those taking part.",
)

EVENT_TYPES = (FEEDBACK_REQUESTED,)
