"""The events of 1:1s, beside the core's (`services/feedback/events.py`): which meeting or
action item, whose, when; never the words of agendas, notes or action items, which stay
behind the API for the two participants."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field

from kit.events import EventType


class MeetingCompletedPayload(BaseModel):
    id: uuid.UUID = Field(description="The meeting.")
    series_id: uuid.UUID
    participant_ids: list[uuid.UUID] = Field(description="The two participants.")
    starts_at: datetime
    completed_at: datetime
    next_meeting_id: uuid.UUID = Field(
        description="Where unchecked talking points and open action items moved."
    )


class ActionItemPayload(BaseModel):
    id: uuid.UUID = Field(description="The action item.")
    series_id: uuid.UUID
    meeting_id: uuid.UUID
    owner_id: uuid.UUID
    participant_ids: list[uuid.UUID] = Field(description="The two participants.")
    due_on: date | None


class ActionItemCompletedPayload(ActionItemPayload):
    completed_at: datetime


MEETING_COMPLETED = EventType(
    "one_on_one.meeting_completed",
    MeetingCompletedPayload,
    "A 1:1 meeting was marked done; what was left open moved to the next meeting.",
)
ACTION_ITEM_CREATED = EventType(
    "action_item.created",
    ActionItemPayload,
    "One of the two agreed to do something; its words are read with the meeting, by the two.",
)
ACTION_ITEM_COMPLETED = EventType(
    "action_item.completed",
    ActionItemCompletedPayload,
    "An action item of a 1:1 was checked off.",
)

EVENT_TYPES = (MEETING_COMPLETED, ACTION_ITEM_CREATED, ACTION_ITEM_COMPLETED)
