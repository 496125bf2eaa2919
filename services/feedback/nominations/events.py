"""`nomination.period_closed`, beside the core's events: what a closed period reveals (nominees
named at least twice, with their counts), never who nominated whom nor a reason."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel

from kit.events import EventType
from services.feedback.nominations.schemas import NomineeRead


class PeriodClosedPayload(BaseModel):
    id: uuid.UUID
    closed_at: datetime
    nominees: list[NomineeRead]


NOMINATION_PERIOD_CLOSED = EventType(
    "nomination.period_closed",
    PeriodClosedPayload,
    "An HR admin closed a nomination period; its nominees named at least twice are revealed "
    "with their counts.",
)

EVENT_TYPES = (NOMINATION_PERIOD_CLOSED,)
