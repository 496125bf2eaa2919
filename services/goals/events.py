"""The events the goals service publishes. Payloads carry ids and figures, never the text of
an objective, a key result or a note (an event of a private objective must not spread its
content); `visibility` lets consumers keep private ones private. OKR events are their own
types: nothing here rates or ranks a person."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field

from kit.events import EventCatalogue, EventType
from services.goals.schemas import CycleStatus, Visibility


class CyclePayload(BaseModel):
    id: uuid.UUID
    name: str
    starts_on: date
    ends_on: date
    status: CycleStatus


class CycleUpdatedPayload(CyclePayload):
    changed: list[str] = Field(description="Names of the fields that changed.")


class ObjectivePayload(BaseModel):
    id: uuid.UUID
    cycle_id: uuid.UUID
    owner_person_id: uuid.UUID | None
    owner_team_id: uuid.UUID | None
    visibility: Visibility
    created_by: uuid.UUID


class ObjectiveUpdatedPayload(ObjectivePayload):
    changed: list[str] = Field(description="Names of the fields that changed.")


class KeyResultPayload(BaseModel):
    id: uuid.UUID
    objective_id: uuid.UUID
    owner_person_id: uuid.UUID | None = Field(description="The objective's owner.")
    owner_team_id: uuid.UUID | None = Field(description="The objective's owner.")
    visibility: Visibility = Field(description="The objective's visibility.")
    start: float
    target: float
    current: float
    unit: str | None
    weight: float


class CheckedInPayload(BaseModel):
    check_in_id: uuid.UUID
    key_result_id: uuid.UUID
    objective_id: uuid.UUID
    owner_person_id: uuid.UUID | None = Field(description="The objective's owner.")
    owner_team_id: uuid.UUID | None = Field(description="The objective's owner.")
    visibility: Visibility = Field(description="The objective's visibility.")
    author_id: uuid.UUID
    previous_value: float
    value: float
    progress: float = Field(description="The key result's progress after the check-in, 0 to 1.")
    confidence: int
    checked_in_at: datetime


CYCLE_CREATED = EventType("cycle.created", CyclePayload, "An OKR cycle was created.")
CYCLE_UPDATED = EventType(
    "cycle.updated",
    CycleUpdatedPayload,
    "A cycle's name, dates or status changed; the payload is the cycle after the change.",
)
OBJECTIVE_CREATED = EventType("objective.created", ObjectivePayload, "An objective was set.")
OBJECTIVE_UPDATED = EventType(
    "objective.updated",
    ObjectiveUpdatedPayload,
    "An objective's title, description or visibility changed.",
)
KEY_RESULT_CREATED = EventType(
    "key_result.created", KeyResultPayload, "A key result was added to an objective."
)
KEY_RESULT_CHECKED_IN = EventType(
    "key_result.checked_in",
    CheckedInPayload,
    "Someone checked in on a key result: its new value and their confidence.",
)

CATALOGUE = EventCatalogue(
    "goals",
    [
        CYCLE_CREATED,
        CYCLE_UPDATED,
        OBJECTIVE_CREATED,
        OBJECTIVE_UPDATED,
        KEY_RESULT_CREATED,
        KEY_RESULT_CHECKED_IN,
    ],
)
