"""The alignment API contract: links between objectives, the roll-up switch, the alignment
graph of a cycle and dependencies. Like the rest of the goals API, nothing here sorts, ranks or
filters people by OKR progress (the OKR firewall)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kit.fields import omitted
from services.goals.schemas import (
    DEFAULT_PER_PARENT,
    BatchIdList,
    Group,
    Id,
    Lax,
    ListQuery,
    ObjectiveKind,
    ObjectiveStatus,
    OwnerKind,
    PerParent,
    Query,
    Remark,
    StrictInput,
    Visibility,
    Weight,
    broken_rule,
    refuse_null,
)

# The longest chain of links a cycle's graph holds: a link that would make a longer one is
# refused (409 `alignment_too_deep`), so that every walk through the graph ends within it.
MAX_DEPTH = 16


class DependencyState(StrEnum):
    """`open` (declared) → `agreed` (the side depended on accepted it) → `resolved`; either
    side may reopen it."""

    OPEN = "open"
    AGREED = "agreed"
    RESOLVED = "resolved"


class AlignmentState(StrEnum):
    """`pending` (proposed by the child's side) → `accepted` or `declined` by the parent's
    side, which may change its mind later. Only `accepted` links count in a roll-up."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


# --- Links -----------------------------------------------------------------------------------


class AlignmentCreate(StrictInput):
    """The objective in the path supports a parent: an objective or a key result. Made by
    someone who may also change the parent, the link is `accepted` at once; otherwise it is
    proposed (`pending`) and the parent's side accepts it and sets its weight."""

    parent_objective_id: Id | None = Field(default=None, description="Either this or a key result.")
    parent_key_result_id: Id | None = Field(
        default=None, description="Either this or an objective."
    )
    weight: Weight = Field(
        default=1.0,
        description="Its share in the parent's roll-up, beside the parent's key results (each "
        "weighing its own `weight`, 1 by default): equal unless set. Set by the parent's side "
        "only: sent by someone who may not change the parent, 403 `weight_set_by_parent`.",
    )

    @model_validator(mode="after")
    def _one_parent(self) -> Self:
        if (self.parent_objective_id is None) == (self.parent_key_result_id is None):
            raise broken_rule(
                "one_parent", "Give exactly one of `parent_objective_id` and `parent_key_result_id`"
            )
        return self


class AlignmentUpdate(StrictInput):
    """The parent's side decides: `state` `accepted` or `declined`, and the `weight` it
    counts with. Only the fields sent change; at least one is sent."""

    state: Annotated[AlignmentState, Lax] | None = omitted()
    weight: Weight | None = omitted()

    _not_null = field_validator("state", "weight")(refuse_null)

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not self.model_fields_set:
            raise broken_rule("nothing_to_change", "Send `state`, `weight` or both")
        if self.state == AlignmentState.PENDING:
            raise broken_rule("not_a_decision", "`state` is `accepted` or `declined`")
        return self


class AlignmentRead(BaseModel):
    """`child_objective_id` supports `parent_objective_id`; through one of its key results
    when `parent_key_result_id` is set."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    child_objective_id: uuid.UUID
    parent_objective_id: uuid.UUID = Field(description="For a key result, its objective.")
    parent_key_result_id: uuid.UUID | None
    weight: float = Field(description="Counted in the parent's roll-up once `accepted`.")
    state: AlignmentState = Field(
        description="`pending` until the parent's side accepts or declines it; only an "
        "`accepted` link counts in the parent's roll-up."
    )
    created_by: uuid.UUID
    decided_by: uuid.UUID | None = Field(description="Who accepted or declined it last.")
    decided_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Changes on every update; the `ETag` of single reads.")


class AlignmentsQuery(Query):
    objective_id: BatchIdList = Field(description="Objectives whose links to read.")
    per_objective: PerParent = Field(default=DEFAULT_PER_PARENT, description="Per objective.")


class ObjectiveAlignmentsRead(Group):
    """The links of one objective, oldest first; `next_cursor` continues
    `GET /v1/objectives/{objective_id}/parents` (or `/children`)."""

    objective_id: uuid.UUID
    items: list[AlignmentRead]


class AlignmentsByObjectiveRead(BaseModel):
    """One group per objective asked, in the order asked; an objective you may not read (or
    that does not exist) has an empty group."""

    groups: list[ObjectiveAlignmentsRead]


# --- Roll-up ---------------------------------------------------------------------------------


class RollUpRead(BaseModel):
    objective_id: uuid.UUID
    enabled: bool = Field(description="Whether its progress counts the children aligned to it.")
    own_progress: float | None = Field(
        description="Weighted mean of its key results' progress, 0 to 1; null without any."
    )
    progress: float | None = Field(
        description="With roll-up: the weighted mean of its key results and of the public "
        "children aligned to it (or to its key results), each child with its own progress "
        "as served; without: `own_progress`."
    )


# --- The graph of a cycle --------------------------------------------------------------------


class GraphKeyResultRead(BaseModel):
    id: uuid.UUID
    title: str
    weight: float
    progress: float


class GraphNodeRead(BaseModel):
    """An objective of the cycle that you may read."""

    id: uuid.UUID
    title: str
    owner_kind: OwnerKind
    owner_person_id: uuid.UUID | None
    owner_team_id: uuid.UUID | None
    kind: ObjectiveKind
    status: ObjectiveStatus = Field(description="Where its drafting stands.")
    visibility: Visibility
    level: int = Field(
        description="0 for an objective that supports none here; otherwise one more than the "
        "deepest parent it supports, so that parents always stand above their children."
    )
    rolls_up: bool = Field(description="Whether its progress counts its children.")
    own_progress: float | None
    progress: float | None = Field(description="As `GET /v1/objectives/{id}/roll-up` has it.")
    key_results: list[GraphKeyResultRead] = Field(description="Oldest first.")


class GraphEdgeRead(BaseModel):
    """`child_objective_id` supports `parent_objective_id` (through `parent_key_result_id`)."""

    id: uuid.UUID
    child_objective_id: uuid.UUID
    parent_objective_id: uuid.UUID
    parent_key_result_id: uuid.UUID | None
    weight: float
    state: AlignmentState = Field(description="Only `accepted` links count in a roll-up.")
    version: int = Field(description="What `PATCH /v1/alignments/{id}` wants in `If-Match`.")


class AlignmentGraphRead(BaseModel):
    """The objectives of a cycle you may read, and the links between them. A private
    objective you may not read is left out, and so is every link to or from it."""

    cycle_id: uuid.UUID
    nodes: list[GraphNodeRead] = Field(description="By `level`, then oldest first.")
    edges: list[GraphEdgeRead] = Field(description="Oldest first.")


# --- Dependencies ----------------------------------------------------------------------------


class DependencyCreate(StrictInput):
    """The objective in the path depends on another owner's objective or key result."""

    on_objective_id: Id | None = Field(default=None, description="Either this or a key result.")
    on_key_result_id: Id | None = Field(default=None, description="Either this or an objective.")
    note: Remark = Field(description="What is needed, by when.")

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        if (self.on_objective_id is None) == (self.on_key_result_id is None):
            raise broken_rule(
                "one_target", "Give exactly one of `on_objective_id` and `on_key_result_id`"
            )
        return self


class DependencyUpdate(StrictInput):
    """Only the fields sent change. `note`: the side that depends. `state`: `agreed` by the
    side depended on; `resolved` or back to `open` by either side."""

    note: Remark | None = omitted()
    state: Annotated[DependencyState, Lax] | None = omitted()

    _not_null = field_validator("note", "state")(refuse_null)


class DependencySideRead(BaseModel):
    """One side of a dependency: an objective and, possibly, one of its key results."""

    objective_id: uuid.UUID
    objective_title: str
    owner_kind: OwnerKind
    owner_person_id: uuid.UUID | None
    owner_team_id: uuid.UUID | None
    key_result_id: uuid.UUID | None
    key_result_title: str | None


class DependencyRead(BaseModel):
    id: uuid.UUID
    cycle_id: uuid.UUID
    objective: DependencySideRead = Field(description="The side that depends.")
    on: DependencySideRead = Field(description="The side depended on.")
    note: str
    state: DependencyState
    created_by: uuid.UUID
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Changes on every update; the `ETag` of single reads.")


class DependencyQuery(ListQuery):
    state: DependencyState | None = None
