"""The events of weekly check-ins: whose, which week, to which manager; never the answers or
the words of replies, which stay behind the API for the two."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from kit.events import EventType


class CheckInSubmittedPayload(BaseModel):
    id: uuid.UUID = Field(description="The check-in.")
    person_id: uuid.UUID
    manager_id: uuid.UUID | None = Field(description="Who it was submitted to (its one reader).")
    week: str = Field(description="ISO week, `2026-W49`.")
    submitted_at: datetime


class CheckInRepliedPayload(BaseModel):
    id: uuid.UUID = Field(description="The reply.")
    check_in_id: uuid.UUID
    author_id: uuid.UUID = Field(description="The person or their manager.")
    person_id: uuid.UUID
    manager_id: uuid.UUID | None
    created_at: datetime


CHECK_IN_SUBMITTED = EventType(
    "weekly_check_in.submitted",
    CheckInSubmittedPayload,
    "Someone submitted their weekly check-in; its answers are read at "
    "`GET /v1/weekly-check-ins/{id}`, by the person and that manager alone.",
)
CHECK_IN_REPLIED = EventType(
    "weekly_check_in.replied",
    CheckInRepliedPayload,
    "The person or their manager added to a check-in's thread.",
)

EVENT_TYPES = (CHECK_IN_SUBMITTED, CHECK_IN_REPLIED)
