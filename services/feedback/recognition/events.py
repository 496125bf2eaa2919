"""`recognition.given`, beside the core's events: who recognised whom, with which values and
learning, by id; the message stays behind the API."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel

from kit.events import EventType
from services.feedback.recognition.schemas import LearningKind


class RecognitionGivenPayload(BaseModel):
    id: uuid.UUID
    giver_id: uuid.UUID
    recipient_ids: list[uuid.UUID]
    value_ids: list[uuid.UUID]
    learning_kind: LearningKind | None
    learning_id: uuid.UUID | None
    created_at: datetime


RECOGNITION_GIVEN = EventType(
    "recognition.given",
    RecognitionGivenPayload,
    "Someone recognised colleagues publicly; the message is read at `GET /v1/recognitions/{id}`.",
)

EVENT_TYPES = (RECOGNITION_GIVEN,)
