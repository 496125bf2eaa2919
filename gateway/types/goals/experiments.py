"""Experiments on key results and their learnings, searched across the organisation: a failed
experiment with a good learning is found as a success is (oldest first, never by outcome)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry

from gateway.context import Info
from gateway.loaders import PageKey
from gateway.types.common import (
    DEFAULT_PAGE_SIZE,
    After,
    Connection,
    First,
    GlobalId,
    page_connection,
    page_size,
    resolver_field,
)
from gateway.types.goals.contracts import ExperimentRead
from gateway.types.goals.key_results import KeyResult, load_key_result
from gateway.types.goals.objectives import Objective, load_objective
from gateway.types.people import Person, load_person


@strawberry.enum(name="ExperimentOutcome", description="What the result said of the hypothesis.")
class ExperimentOutcomeEnum(Enum):
    VALIDATED = strawberry.enum_value("validated", description="It held.")
    INVALIDATED = strawberry.enum_value(
        "invalidated", description="It did not: often the most useful learning."
    )
    INCONCLUSIVE = strawberry.enum_value("inconclusive", description="It could not be told.")


@strawberry.type(
    description="Something tried on a key result to learn whether a hypothesis holds; as "
    "visible as its objective."
)
class Experiment:
    id: strawberry.ID = strawberry.field(description="Opaque id, for `updateExperiment`.")
    hypothesis: str = strawberry.field(description="What was believed.")
    tried: str | None = strawberry.field(description="What was tried.")
    result: str | None = strawberry.field(description="What happened.")
    learning: str | None = strawberry.field(description="What was learnt, for others.")
    outcome: ExperimentOutcomeEnum | None = strawberry.field(description="Null while it runs.")
    created_at: datetime = strawberry.field(description="When it was recorded.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    version: int = strawberry.field(description="`updateExperiment` takes the one read.")
    record: strawberry.Private[ExperimentRead]

    @classmethod
    def from_record(cls, record: ExperimentRead) -> Experiment:
        return cls(
            id=GlobalId("Experiment", record.id).encode(),
            hypothesis=record.hypothesis,
            tried=record.tried,
            result=record.result,
            learning=record.learning,
            outcome=None if record.outcome is None else ExperimentOutcomeEnum(record.outcome.value),
            created_at=record.created_at,
            updated_at=record.updated_at,
            version=record.version,
            record=record,
        )

    @resolver_field("The key result it was tried on; null once that was removed.")
    async def key_result(self, info: Info) -> KeyResult | None:
        return await load_key_result(info, self.record.key_result_id)

    @resolver_field("The objective it serves.")
    async def objective(self, info: Info) -> Objective | None:
        return await load_objective(info, self.record.objective_id)

    @resolver_field("Who recorded it.")
    async def recorded_by(self, info: Info) -> Person | None:
        return await load_person(info, self.record.recorded_by)


async def of_key_result(
    info: Info, key_result_id: uuid.UUID, first: int, after: str | None
) -> Connection[Experiment]:
    page = await info.context.loaders.experiments_by_key_result_id.load(
        PageKey(key_result_id, page_size(first), after)
    )
    return page_connection(page, Experiment.from_record, after)


@resolver_field(
    "Experiments with a learning, across the organisation, oldest first whatever their "
    "outcome; with `search`, those whose text holds every word of it (each as the start of a "
    "word). Those of private objectives only for those who may read them."
)
async def learnings(
    info: Info,
    search: Annotated[
        str | None, strawberry.argument(description="Words to find; all learnings without.")
    ] = None,
    first: First = DEFAULT_PAGE_SIZE,
    after: After = None,
) -> Connection[Experiment] | None:
    page = await info.context.clients.goals.learnings(
        info.context.caller, search, page_size(first), after
    )
    return page_connection(page, Experiment.from_record, after)
