"""The events the goals service publishes. Payloads carry ids and figures, never the text of
an objective, a key result, a note, a comment or a retrospective (an event of a private
objective must not spread its content); `visibility` lets consumers keep private ones private.

OKR events are their own types (`cycle.*`, `objective.*`, `key_result.*`), which a subscriber
chooses explicitly; none is a `person.*` event, and none carries a final score (the OKR
firewall: nothing here is meant to rate a person)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field

from kit.events import EventCatalogue, EventType
from services.goals.schemas import (
    CheckInStatus,
    CycleStatus,
    KeyResultKind,
    ObjectiveKind,
    ObjectiveStatus,
    OwnerKind,
    Visibility,
)


class CyclePayload(BaseModel):
    id: uuid.UUID
    name: str
    starts_on: date
    ends_on: date
    status: CycleStatus


class CycleUpdatedPayload(CyclePayload):
    changed: list[str] = Field(description="Names of the fields that changed.")


class CycleClosedPayload(CyclePayload):
    closed_at: datetime
    closed_by: uuid.UUID
    objectives: int = Field(description="How many objectives the cycle held.")
    scored_from_progress: int = Field(
        description="How many of them had no submitted score, and took their progress."
    )


class ObjectivePayload(BaseModel):
    id: uuid.UUID
    cycle_id: uuid.UUID
    owner_kind: OwnerKind
    owner_person_id: uuid.UUID | None
    owner_team_id: uuid.UUID | None
    kind: ObjectiveKind
    status: ObjectiveStatus
    visibility: Visibility
    contributor_ids: list[uuid.UUID]
    created_by: uuid.UUID


class ObjectiveUpdatedPayload(ObjectivePayload):
    changed: list[str] = Field(description="Names of the fields that changed.")


class ObjectiveAgreedPayload(ObjectivePayload):
    owner_signer_id: uuid.UUID = Field(description="Who signed for the owner.")
    manager_signer_id: uuid.UUID = Field(description="Who signed for the manager.")
    agreed_at: datetime


class KeyResultPayload(BaseModel):
    id: uuid.UUID
    objective_id: uuid.UUID
    owner_person_id: uuid.UUID | None = Field(description="The objective's owner.")
    owner_team_id: uuid.UUID | None = Field(description="The objective's owner.")
    visibility: Visibility = Field(description="The objective's visibility.")
    kind: KeyResultKind
    key_result_owner_id: uuid.UUID | None = Field(description="Who sees to the key result.")
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
    kind: KeyResultKind
    author_id: uuid.UUID
    previous_value: float
    value: float
    progress: float = Field(description="The key result's progress after the check-in, 0 to 1.")
    confidence: int
    status: CheckInStatus = Field(description="`off_track` or `at_risk` asks for help.")
    checked_in_at: datetime


CYCLE_CREATED = EventType("cycle.created", CyclePayload, "An OKR cycle was created.")
CYCLE_UPDATED = EventType(
    "cycle.updated",
    CycleUpdatedPayload,
    "A cycle's name, dates or status changed; the payload is the cycle after the change.",
)
CYCLE_OPENED = EventType(
    "cycle.opened", CyclePayload, "A cycle became active: people work on and check in."
)
CYCLE_CLOSED = EventType(
    "cycle.closed",
    CycleClosedPayload,
    "A cycle closed: each objective has its final score and takes no more work.",
)
CYCLE_REOPENED = EventType(
    "cycle.reopened", CyclePayload, "An HR admin reopened a closed cycle (it is active again)."
)
OBJECTIVE_CREATED = EventType("objective.created", ObjectivePayload, "An objective was set.")
OBJECTIVE_UPDATED = EventType(
    "objective.updated",
    ObjectiveUpdatedPayload,
    "An objective's text, kind, visibility, status or contributors changed.",
)
OBJECTIVE_AGREED = EventType(
    "objective.agreed",
    ObjectiveAgreedPayload,
    "Its owner and the owner's manager both signed an objective: it is agreed.",
)
KEY_RESULT_CREATED = EventType(
    "key_result.created", KeyResultPayload, "A key result was added to an objective."
)
KEY_RESULT_CHECKED_IN = EventType(
    "key_result.checked_in",
    CheckedInPayload,
    "Someone checked in on a key result: its new value, their confidence and status.",
)

CATALOGUE = EventCatalogue(
    "goals",
    [
        CYCLE_CREATED,
        CYCLE_UPDATED,
        CYCLE_OPENED,
        CYCLE_CLOSED,
        CYCLE_REOPENED,
        OBJECTIVE_CREATED,
        OBJECTIVE_UPDATED,
        OBJECTIVE_AGREED,
        KEY_RESULT_CREATED,
        KEY_RESULT_CHECKED_IN,
    ],
)
