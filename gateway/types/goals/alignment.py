"""Alignment: objectives supporting one another (the links and a cycle's whole graph), and
what objectives depend on from other owners."""

from __future__ import annotations

from datetime import datetime

import strawberry

from gateway.context import Info
from gateway.types.common import (
    GlobalId,
    resolver_field,
)
from gateway.types.goals.contracts import (
    AlignmentGraphRead,
    AlignmentRead,
    DependencyRead,
    GraphEdgeRead,
    GraphKeyResultRead,
    GraphNodeRead,
)
from gateway.types.goals.enums import (
    AlignmentStateEnum,
    DependencyStateEnum,
    ObjectiveKindEnum,
    ObjectiveStatusEnum,
    OwnerKindEnum,
    VisibilityEnum,
)
from gateway.types.goals.key_results import KeyResult, load_key_result
from gateway.types.goals.objectives import Objective, ObjectiveOwner, load_objective, load_owner
from gateway.types.people import Person, load_person


@strawberry.type(
    description="One objective supporting another: once the parent's side accepted it, the "
    "child counts in the parent's roll-up (when the parent's owner opted in) with its `weight`."
)
class Alignment:
    id: strawberry.ID = strawberry.field(
        description="Opaque id, to decide on the link (`acceptAlignment`, `declineAlignment`, "
        "`updateAlignment`) or withdraw it (`withdrawAlignment`); it is not a `Node` yet: "
        "nothing fetches one link alone."
    )
    weight: float = strawberry.field(
        description="The child's share in the parent's roll-up, beside the parent's key "
        "results; set by the parent's side."
    )
    state: AlignmentStateEnum = strawberry.field(
        description="Pending until the parent's side accepts or declines it; only an accepted "
        "link counts in a roll-up."
    )
    version: int = strawberry.field(
        description="Changes with every change of the link; `acceptAlignment`, "
        "`declineAlignment` and `updateAlignment` take the one read."
    )
    child_id: strawberry.ID = strawberry.field(description="The supporting `Objective`'s id.")
    parent_id: strawberry.ID = strawberry.field(
        description="The supported `Objective`'s id (for a key result, its objective's)."
    )
    parent_key_result_id: strawberry.ID | None = strawberry.field(
        description="The supported `KeyResult`'s id; null when it supports the objective itself."
    )
    record: strawberry.Private[AlignmentRead | GraphEdgeRead]

    @classmethod
    def from_record(cls, record: AlignmentRead | GraphEdgeRead) -> Alignment:
        key_result_id = record.parent_key_result_id
        return cls(
            id=GlobalId("Alignment", record.id).encode(),
            weight=record.weight,
            state=AlignmentStateEnum(record.state.value),
            version=record.version,
            child_id=GlobalId("Objective", record.child_objective_id).encode(),
            parent_id=GlobalId("Objective", record.parent_objective_id).encode(),
            parent_key_result_id=(
                GlobalId("KeyResult", key_result_id).encode() if key_result_id else None
            ),
            record=record,
        )

    @resolver_field("The objective that supports.")
    async def child(self, info: Info) -> Objective | None:
        return await load_objective(info, self.record.child_objective_id)

    @resolver_field("The objective supported (for a key result, its objective).")
    async def parent(self, info: Info) -> Objective | None:
        return await load_objective(info, self.record.parent_objective_id)

    @resolver_field("The key result supported; null when it supports the objective itself.")
    async def parent_key_result(self, info: Info) -> KeyResult | None:
        return await load_key_result(info, self.record.parent_key_result_id)


@strawberry.type(description="A key result of an objective in an alignment graph.")
class AlignmentKeyResult:
    key_result_id: strawberry.ID = strawberry.field(description="The `KeyResult`'s id.")
    title: str = strawberry.field(description="What is measured.")
    weight: float = strawberry.field(description="Its share in the objective's progress.")
    progress: float = strawberry.field(description="How far it has come, 0 to 1.")
    record: strawberry.Private[GraphKeyResultRead]

    @classmethod
    def from_record(cls, record: GraphKeyResultRead) -> AlignmentKeyResult:
        return cls(
            key_result_id=GlobalId("KeyResult", record.id).encode(),
            title=record.title,
            weight=record.weight,
            progress=record.progress,
            record=record,
        )

    @resolver_field("The key result itself.")
    async def key_result(self, info: Info) -> KeyResult | None:
        return await load_key_result(info, self.record.id)


@strawberry.type(description="An objective in its cycle's alignment graph.")
class AlignmentNode:
    objective_id: strawberry.ID = strawberry.field(
        description="The `Objective`'s id, as edges name it (`childId`, `parentId`)."
    )
    title: str = strawberry.field(description="What is to be achieved.")
    owner_kind: OwnerKindEnum = strawberry.field(
        description="A person's, a team's or the company's."
    )
    kind: ObjectiveKindEnum = strawberry.field(description="Committed or aspirational.")
    status: ObjectiveStatusEnum = strawberry.field(description="Draft, proposed or agreed.")
    visibility: VisibilityEnum = strawberry.field(description="Who may read it.")
    level: int = strawberry.field(
        description="0 for an objective that supports none in the graph; otherwise one more "
        "than the deepest parent it supports, so that parents always stand above children."
    )
    rolls_up: bool = strawberry.field(
        description="Whether its progress counts the children aligned to it."
    )
    own_progress: float | None = strawberry.field(
        description="Its key results' progress alone, 0 to 1; null without any."
    )
    progress: float | None = strawberry.field(
        description="Its progress as served everywhere: with roll-up, the weighted mean of its "
        "key results and of its public children; otherwise `ownProgress`."
    )
    key_results: list[AlignmentKeyResult] = strawberry.field(
        description="Its key results, oldest first (part of the graph, read with it)."
    )
    record: strawberry.Private[GraphNodeRead]

    @classmethod
    def from_record(cls, record: GraphNodeRead) -> AlignmentNode:
        return cls(
            objective_id=GlobalId("Objective", record.id).encode(),
            title=record.title,
            owner_kind=OwnerKindEnum(record.owner_kind.value),
            kind=ObjectiveKindEnum(record.kind.value),
            status=ObjectiveStatusEnum(record.status.value),
            visibility=VisibilityEnum(record.visibility.value),
            level=record.level,
            rolls_up=record.rolls_up,
            own_progress=record.own_progress,
            progress=record.progress,
            key_results=[AlignmentKeyResult.from_record(item) for item in record.key_results],
            record=record,
        )

    @resolver_field("The objective itself.")
    async def objective(self, info: Info) -> Objective | None:
        return await load_objective(info, self.record.id)

    @resolver_field("Whose objective it is; null for the company's (see `ownerKind`).")
    async def owner(self, info: Info) -> ObjectiveOwner | None:
        return await load_owner(info, self.record.owner_person_id, self.record.owner_team_id)


@strawberry.type(
    description="The objectives of a cycle you may read and the links between them. The "
    "whole graph comes in one request, so its lists are plain lists."
)
class AlignmentGraph:
    nodes: list[AlignmentNode] = strawberry.field(
        description="By `level` (parents first), then oldest first."
    )
    edges: list[Alignment] = strawberry.field(
        description="Child to parent, oldest first; only between the nodes shown."
    )

    @classmethod
    def from_record(cls, record: AlignmentGraphRead) -> AlignmentGraph:
        return cls(
            nodes=[AlignmentNode.from_record(node) for node in record.nodes],
            edges=[Alignment.from_record(edge) for edge in record.edges],
        )


@strawberry.type(
    description="An objective needs something from another owner: one of their objectives or "
    "key results. Seen by those who may read both sides."
)
class Dependency:
    id: strawberry.ID = strawberry.field(
        description="Opaque id, to move it on in `updateDependency` (it is not a `Node` yet: "
        "nothing fetches one dependency alone)."
    )
    note: str = strawberry.field(description="What is needed, by when.")
    state: DependencyStateEnum = strawberry.field(description="Open, agreed or resolved.")
    created_at: datetime = strawberry.field(description="When it was declared.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    version: int = strawberry.field(
        description="Changes with every change of it; `updateDependency` takes the one read."
    )
    record: strawberry.Private[DependencyRead]

    @classmethod
    def from_record(cls, record: DependencyRead) -> Dependency:
        return cls(
            id=GlobalId("Dependency", record.id).encode(),
            note=record.note,
            state=DependencyStateEnum(record.state.value),
            created_at=record.created_at,
            updated_at=record.updated_at,
            version=record.version,
            record=record,
        )

    @resolver_field("The objective that depends.")
    async def objective(self, info: Info) -> Objective | None:
        return await load_objective(info, self.record.objective.objective_id)

    @resolver_field("The objective depended on (for a key result, its objective).")
    async def on_objective(self, info: Info) -> Objective | None:
        return await load_objective(info, self.record.on.objective_id)

    @resolver_field("The key result depended on; null when it is the objective as a whole.")
    async def on_key_result(self, info: Info) -> KeyResult | None:
        if self.record.on.key_result_id is None:
            return None
        return await load_key_result(info, self.record.on.key_result_id)

    @resolver_field("Who declared it.")
    async def declared_by(self, info: Info) -> Person | None:
        return await load_person(info, self.record.created_by)
