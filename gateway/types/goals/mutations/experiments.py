"""Recording experiments on key results, and changing them as they go."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from gateway.clients import GoalsClient
from gateway.context import Info
from gateway.errors import mutate
from gateway.types.common import UserError, idempotency_key, input_id, resolver_field
from gateway.types.goals.contracts import ExperimentCreate, ExperimentOutcome, ExperimentUpdate
from gateway.types.goals.experiments import Experiment, ExperimentOutcomeEnum

_TEXTS = ("tried", "result", "learning")


@strawberry.type(description="The experiment as it is now.")
class ExperimentPayload:
    experiment: Experiment = strawberry.field(description="The experiment.")


@strawberry.input(
    description="An experiment on a key result (those who work on its objective): its "
    "hypothesis, and as far as known what was tried, the result, the learning, the outcome."
)
class RecordExperimentInput:
    key_result_id: strawberry.ID = strawberry.field(description="A `KeyResult` id.")
    hypothesis: str = strawberry.field(description="What is believed.")
    tried: str | None = strawberry.field(default=None, description="What was tried.")
    result: str | None = strawberry.field(default=None, description="What happened.")
    learning: str | None = strawberry.field(default=None, description="What was learnt.")
    outcome: ExperimentOutcomeEnum | None = strawberry.field(
        default=None, description="Null while it runs."
    )
    idempotency_key: str | None = idempotency_key("the experiment is recorded")


@strawberry.type(
    description="The experiment was not recorded: e.g. `key_result_not_found`, `forbidden`, "
    "`validation_failed`, `invalid_id`."
)
class RecordExperimentError(UserError):
    pass


RecordExperimentResult = Annotated[
    ExperimentPayload | RecordExperimentError,
    strawberry.union("RecordExperimentResult", description="The experiment, or why not."),
]


@strawberry.input(
    description="A change to an experiment at the `Experiment.version` you read: only the "
    "fields given change (null clears any but the hypothesis)."
)
class UpdateExperimentInput:
    experiment_id: strawberry.ID = strawberry.field(description="An `Experiment.id`.")
    version: int = strawberry.field(description="The `Experiment.version` you read.")
    hypothesis: str | None = strawberry.field(default=strawberry.UNSET, description="Belief.")
    tried: str | None = strawberry.field(default=strawberry.UNSET, description="What was tried.")
    result: str | None = strawberry.field(default=strawberry.UNSET, description="What happened.")
    learning: str | None = strawberry.field(default=strawberry.UNSET, description="The learning.")
    outcome: ExperimentOutcomeEnum | None = strawberry.field(
        default=strawberry.UNSET, description="The outcome; null while it runs."
    )


@strawberry.type(
    description="The experiment was not changed: e.g. `stale_version`, "
    "`experiment_not_found`, `forbidden`, `validation_failed`, `invalid_id`."
)
class UpdateExperimentError(UserError):
    pass


UpdateExperimentResult = Annotated[
    ExperimentPayload | UpdateExperimentError,
    strawberry.union("UpdateExperimentResult", description="The experiment, or why not."),
]


def _outcome(value: ExperimentOutcomeEnum | None) -> ExperimentOutcome | None:
    return None if value is None else ExperimentOutcome[value.name]


@resolver_field("Record an experiment on a key result.")
async def record_experiment(
    info: Info,
    input: Annotated[RecordExperimentInput, strawberry.argument(description="The experiment.")],
) -> RecordExperimentResult | None:
    async def change() -> ExperimentPayload:
        key_result_id = input_id("KeyResult", input.key_result_id, "keyResultId").id
        fields: dict[str, Any] = {name: getattr(input, name) for name in _TEXTS}
        recorded = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.record_experiment,
            key_result_id,
            body=ExperimentCreate.model_construct(
                hypothesis=input.hypothesis, outcome=_outcome(input.outcome), **fields
            ),
            idempotency_key=input.idempotency_key,
        )
        return ExperimentPayload(experiment=Experiment.from_record(recorded))

    return await mutate(RecordExperimentError, change)


@resolver_field("Change an experiment as it goes, at the version you read.")
async def update_experiment(
    info: Info,
    input: Annotated[UpdateExperimentInput, strawberry.argument(description="The change.")],
) -> UpdateExperimentResult | None:
    async def change() -> ExperimentPayload:
        experiment_id = input_id("Experiment", input.experiment_id, "experimentId").id
        fields: dict[str, Any] = {
            name: getattr(input, name)
            for name in ("hypothesis", *_TEXTS)
            if getattr(input, name) is not strawberry.UNSET
        }
        if input.outcome is not strawberry.UNSET:
            fields["outcome"] = _outcome(input.outcome)
        changed = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.update_experiment,
            experiment_id,
            body=ExperimentUpdate.model_construct(**fields),
            version=input.version,
        )
        return ExperimentPayload(experiment=Experiment.from_record(changed))

    return await mutate(UpdateExperimentError, change)
