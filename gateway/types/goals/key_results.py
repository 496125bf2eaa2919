"""Key results and their check-ins: how an objective is measured, and where it stood over
time."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from gateway.context import Info
from gateway.types.common import (
    DEFAULT_PAGE_SIZE,
    After,
    Connection,
    First,
    GlobalId,
    Node,
    children_of,
    load_one,
    resolver_field,
)
from gateway.types.goals.contracts import (
    CheckInRead,
    DueCheckInRead,
    KeyResultRead,
    MilestoneRead,
)
from gateway.types.goals.enums import CheckInStatusEnum, KeyResultKindEnum
from gateway.types.goals.objectives import Objective, load_objective
from gateway.types.people import Person, load_person

if TYPE_CHECKING:
    from gateway.types.goals.experiments import Experiment

# Experiments build on key results; a key result reaches them lazily.
LazyExperiment = Annotated["Experiment", strawberry.lazy("gateway.types.goals.experiments")]


@strawberry.type(description="A step of a `MILESTONES` key result, done or not.")
class Milestone:
    id: strawberry.ID = strawberry.field(
        description="Opaque id, to mark it done in `checkIn` (it is not a `Node`: nothing "
        "fetches one milestone alone)."
    )
    position: int = strawberry.field(description="Its place in the list, from 1.")
    title: str = strawberry.field(description="What is to be done.")
    done: bool = strawberry.field(description="Whether it is done.")
    done_at: datetime | None = strawberry.field(description="When it was marked done.")

    @classmethod
    def from_record(cls, record: MilestoneRead) -> Milestone:
        return cls(
            id=GlobalId("Milestone", record.id).encode(),
            position=record.position,
            title=record.title,
            done=record.done,
            done_at=record.done_at,
        )


@strawberry.type(description="A measurable result that shows how an objective is going.")
class KeyResult(Node):
    title: str = strawberry.field(description="What is measured.")
    kind: KeyResultKindEnum = strawberry.field(description="What is measured, and how.")
    start: float = strawberry.field(
        description="The value at the start (0 for binary, milestones)."
    )
    target: float = strawberry.field(
        description="The value aimed at; the line to hold for stay-above/below; 1 for binary; "
        "the number of milestones for milestones."
    )
    current: float = strawberry.field(
        description="The latest value checked in; milestones done for milestones."
    )
    unit: str | None = strawberry.field(description="E.g. `%`, `EUR`, `customers`.")
    weight: float = strawberry.field(description="Its share in the objective's progress.")
    milestones: list[Milestone] | None = strawberry.field(
        description="In order (at most 50, part of the key result itself); null unless its "
        "kind is `MILESTONES`."
    )
    progress: float = strawberry.field(description="How far it has come, 0 to 1.")
    progress_explanation: str = strawberry.field(description="What `progress` came from, in words.")
    expected_progress: float | None = strawberry.field(
        description="Where a steady pace through its cycle would be today, 0 to 1 (pacing, "
        "to show beside `progress`); null for binary."
    )
    confidence: int | None = strawberry.field(
        description="From the latest check-in, 0 (no chance) to 10 (certain); null before any."
    )
    status: CheckInStatusEnum | None = strawberry.field(
        description="From the latest check-in; null before any."
    )
    checked_in_at: datetime | None = strawberry.field(description="When it was last checked in.")
    version: int = strawberry.field(description="Changes with every change of it.")
    record: strawberry.Private[KeyResultRead]

    @classmethod
    def from_record(cls, record: KeyResultRead) -> KeyResult:
        return cls(
            id=GlobalId("KeyResult", record.id).encode(),
            title=record.title,
            kind=KeyResultKindEnum(record.kind.value),
            start=record.start,
            target=record.target,
            current=record.current,
            unit=record.unit,
            weight=record.weight,
            milestones=(
                [Milestone.from_record(item) for item in record.milestones]
                if record.milestones is not None
                else None
            ),
            progress=record.progress,
            progress_explanation=record.progress_explanation,
            expected_progress=record.expected_progress,
            confidence=record.confidence,
            status=CheckInStatusEnum(record.status.value) if record.status is not None else None,
            checked_in_at=record.checked_in_at,
            version=record.version,
            record=record,
        )

    @resolver_field("The objective it measures.")
    async def objective(self, info: Info) -> Objective | None:
        return await load_objective(info, self.record.objective_id)

    @resolver_field("Who sees to it; null when nobody is named.")
    async def owner(self, info: Info) -> Person | None:
        return await load_person(info, self.record.owner_person_id)

    @resolver_field("Where it stood over time, oldest first.")
    async def check_ins(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[CheckIn] | None:
        loader = info.context.loaders.check_ins_by_key_result_id
        return await children_of(loader, self.record.id, first, after, CheckIn.from_record)

    @resolver_field(
        "Experiments tried on it, oldest first, with what was learnt (one request per key "
        "result asked)."
    )
    async def experiments(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[LazyExperiment] | None:
        from gateway.types.goals.experiments import of_key_result

        return await of_key_result(info, self.record.id, first, after)


@strawberry.type(description="A milestone a check-in marked done or not done.")
class MilestoneMark:
    milestone_id: strawberry.ID = strawberry.field(description="A `Milestone.id`.")
    done: bool = strawberry.field(description="Whether it was marked done.")


@strawberry.type(
    description="Where a key result stood at a moment, and how confident its author was."
)
class CheckIn:
    value: float = strawberry.field(description="The key result's value then.")
    confidence: int = strawberry.field(description="0 (no chance) to 10 (certain).")
    status: CheckInStatusEnum = strawberry.field(
        description="On track, at risk or off track (given, or from the confidence)."
    )
    milestones: list[MilestoneMark] | None = strawberry.field(
        description="The milestones it marked; null unless its key result has milestones."
    )
    note: str | None = strawberry.field(description="What happened, what is in the way.")
    created_at: datetime = strawberry.field(description="When it was made.")
    record: strawberry.Private[CheckInRead]

    @classmethod
    def from_record(cls, record: CheckInRead) -> CheckIn:
        marks = record.milestone_updates
        return cls(
            value=record.value,
            confidence=record.confidence,
            status=CheckInStatusEnum(record.status.value),
            milestones=(
                [
                    MilestoneMark(
                        milestone_id=GlobalId("Milestone", mark.id).encode(), done=mark.done
                    )
                    for mark in marks
                ]
                if marks is not None
                else None
            ),
            note=record.note,
            created_at=record.created_at,
            record=record,
        )

    @resolver_field("Who checked in.")
    async def author(self, info: Info) -> Person | None:
        return await load_person(info, self.record.author_id)

    @resolver_field("The key result checked in on.")
    async def key_result(self, info: Info) -> KeyResult | None:
        return await load_key_result(info, self.record.key_result_id)


@strawberry.type(description="A key result nobody has checked in on for a while.")
class DueCheckIn:
    key_result: KeyResult = strawberry.field(description="The key result to check in on.")
    last_checked_in_at: datetime | None = strawberry.field(
        description="When it was last checked in on; null if never."
    )
    due_since: datetime = strawberry.field(description="Since when a check-in is due.")

    @classmethod
    def from_record(cls, record: DueCheckInRead) -> DueCheckIn:
        return cls(
            key_result=KeyResult.from_record(record.key_result),
            last_checked_in_at=record.last_checked_in_at,
            due_since=record.due_since,
        )


async def load_key_result(info: Info, key_result_id: uuid.UUID | None) -> KeyResult | None:
    return await load_one(
        info.context.loaders.key_result_by_id, key_result_id, KeyResult.from_record
    )
