"""The events of the alignment graph. Like every goals event, a payload carries ids and
states, never a title, a note or a figure (no weight, no progress); each side's `visibility`
lets consumers keep private ones private."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from kit.events import EventType
from services.goals.alignment.schemas import AlignmentState, DependencyState
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


class AlignmentPayload(BaseModel):
    id: uuid.UUID
    cycle_id: uuid.UUID
    child: DependencySidePayload = Field(description="The objective that supports.")
    parent: DependencySidePayload = Field(
        description="The objective supported, and its key result if the link names one."
    )
    state: AlignmentState
    created_by: uuid.UUID


class AlignmentDecidedPayload(AlignmentPayload):
    decided_by: uuid.UUID


class AlignmentDeletedPayload(AlignmentPayload):
    deleted_by: uuid.UUID


ALIGNMENT_CREATED = EventType(
    "alignment.created",
    AlignmentPayload,
    "An objective was linked to one it supports: `pending` for the parent's side to accept, "
    "or `accepted` at once when made by someone who may change the parent.",
)
ALIGNMENT_ACCEPTED = EventType(
    "alignment.accepted",
    AlignmentDecidedPayload,
    "The parent's side accepted a link: the child now counts in the parent's roll-up.",
)
ALIGNMENT_DECLINED = EventType(
    "alignment.declined",
    AlignmentDecidedPayload,
    "The parent's side declined a link: the child does not count in the parent's roll-up.",
)
ALIGNMENT_DELETED = EventType(
    "alignment.deleted",
    AlignmentDeletedPayload,
    "A link was withdrawn (by either side, or with the key result it named).",
)
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

EVENT_TYPES = (
    ALIGNMENT_CREATED,
    ALIGNMENT_ACCEPTED,
    ALIGNMENT_DECLINED,
    ALIGNMENT_DELETED,
    DEPENDENCY_CREATED,
    DEPENDENCY_UPDATED,
    DEPENDENCY_DELETED,
)
