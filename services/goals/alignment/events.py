"""The events of the alignment graph. Like every goals event, a payload carries ids and
states, never a title or a note; each side's `visibility` lets consumers keep private ones
private."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from kit.events import EventType
from services.goals.alignment.schemas import DependencyState
from services.goals.schemas import OwnerKind, Visibility


class DependencySidePayload(BaseModel):
    objective_id: uuid.UUID
    key_result_id: uuid.UUID | None
    owner_kind: OwnerKind
    owner_person_id: uuid.UUID | None
    owner_team_id: uuid.UUID | None
    visibility: Visibility = Field(description="The objective's visibility.")


class DependencyPayload(BaseModel):
    id: uuid.UUID
    cycle_id: uuid.UUID
    objective: DependencySidePayload = Field(description="The side that depends.")
    on: DependencySidePayload = Field(description="The side depended on.")
    state: DependencyState
    created_by: uuid.UUID


class DependencyUpdatedPayload(DependencyPayload):
    changed: list[str] = Field(description="Names of the fields that changed.")
    changed_by: uuid.UUID


class DependencyDeletedPayload(DependencyPayload):
    deleted_by: uuid.UUID


DEPENDENCY_CREATED = EventType(
    "dependency.created",
    DependencyPayload,
    "An objective declared that it depends on another owner's objective or key result.",
)
DEPENDENCY_UPDATED = EventType(
    "dependency.updated",
    DependencyUpdatedPayload,
    "A dependency's state (agreed, resolved, reopened) or note changed.",
)
DEPENDENCY_DELETED = EventType(
    "dependency.deleted", DependencyDeletedPayload, "A dependency was withdrawn."
)

EVENT_TYPES = (DEPENDENCY_CREATED, DEPENDENCY_UPDATED, DEPENDENCY_DELETED)
