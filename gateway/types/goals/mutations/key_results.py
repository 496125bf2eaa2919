"""Adding, changing and removing key results, and checking in on them."""

from __future__ import annotations

import contextlib
import uuid
from typing import Annotated, Any

import strawberry

from gateway.clients import GoalsClient
from gateway.context import Info
from gateway.errors import mutate
from gateway.types.common import UserError, idempotency_key, input_id, resolver_field
from gateway.types.goals.contracts import (
    CheckInCreate,
    CheckInStatus,
    KeyResultCreate,
    KeyResultKind,
    KeyResultUpdate,
    MilestoneCreate,
    MilestoneUpdate,
)
from gateway.types.goals.enums import CheckInStatusEnum, KeyResultKindEnum
from gateway.types.goals.key_results import CheckIn, KeyResult
from gateway.types.goals.objectives import Objective, forget_objective, load_objective


@strawberry.input(description="A milestone to mark done or not done.")
class MilestoneMarkInput:
    milestone_id: strawberry.ID = strawberry.field(description="A `Milestone.id`.")
    done: bool = strawberry.field(description="Done, or not (again).")


@strawberry.input(description="A milestone of a new key result.")
class NewMilestoneInput:
    title: str = strawberry.field(description="What is to be done.")
    done: bool = strawberry.field(default=False, description="Whether it is done already.")


@strawberry.input(
    description="Where a key result stands now: give one of `value` (increase, decrease, stay "
    "above or below), `done` (binary) or `milestones` (milestones)."
)
class CheckInInput:
    key_result_id: strawberry.ID = strawberry.field(description="A `KeyResult` id.")
    value: float | None = strawberry.field(
        default=None, description="Its value now; becomes its `current`."
    )
    done: bool | None = strawberry.field(default=None, description="For a binary key result.")
    milestones: list[MilestoneMarkInput] | None = strawberry.field(
        default=None, description="For a milestones key result: those marked, each once."
    )
    confidence: int = strawberry.field(description="0 (no chance) to 10 (certain).")
    status: CheckInStatusEnum | None = strawberry.field(
        default=None,
        description="How it goes; if omitted, from `confidence`: 7-10 on track, 4-6 at risk, "
        "0-3 off track.",
    )
    note: str | None = strawberry.field(
        default=None, description="What happened, what is in the way."
    )
    idempotency_key: str | None = idempotency_key()


@strawberry.type(description="The check-in was made.")
class CheckInPayload:
    check_in: CheckIn = strawberry.field(
        description="The new check-in; its `keyResult` shows the new progress."
    )


@strawberry.type(
    description="The check-in was not made: e.g. `cycle_closed`, `key_result_not_found`, "
    "`wrong_value_for_kind`, `unknown_milestone`, `one_reading`, `forbidden`, "
    "`validation_failed`, `invalid_id`."
)
class CheckInError(UserError):
    pass


CheckInResult = Annotated[
    CheckInPayload | CheckInError,
    strawberry.union("CheckInResult", description="The check-in, or why not."),
]


@strawberry.input(
    description="A key result to add to an objective. Each kind takes its own figures: "
    "`INCREASE_TO`/`DECREASE_TO` a `start` and a `target` (without `kind`, their direction "
    "decides); `STAY_ABOVE`/`STAY_BELOW` a `target` (the line) and maybe `current`; `BINARY` "
    "maybe `done`; `MILESTONES` its `milestones` and no numbers."
)
class AddKeyResultInput:
    objective_id: strawberry.ID = strawberry.field(description="An `Objective` id.")
    title: str = strawberry.field(description="What is measured.")
    kind: KeyResultKindEnum | None = strawberry.field(default=None, description="What kind.")
    start: float | None = strawberry.field(default=None, description="The value at the start.")
    target: float | None = strawberry.field(default=None, description="The value aimed at.")
    current: float | None = strawberry.field(default=None, description="Where it stands now.")
    done: bool | None = strawberry.field(default=None, description="Binary only.")
    milestones: list[NewMilestoneInput] | None = strawberry.field(
        default=None, description="Milestones only: in order, 1 to 50."
    )
    unit: str | None = strawberry.field(default=None, description="E.g. `%`, `EUR`.")
    owner_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Who sees to it (a `Person` id): the objective's owner or a contributor.",
    )
    weight: float = strawberry.field(
        default=1.0, description="Its share in the objective's progress."
    )
    idempotency_key: str | None = idempotency_key()


@strawberry.type(description="The key result was added; signatures given so far were taken back.")
class AddKeyResultPayload:
    key_result: KeyResult = strawberry.field(description="The new key result.")


@strawberry.type(
    description="The key result was not added: e.g. `objective_not_found`, `cycle_closed`, "
    "`owner_cannot_work_on_objective`, `kind_required`, `target_not_above_start`, "
    "`milestones_only`, `forbidden`, `validation_failed`, `invalid_id`."
)
class AddKeyResultError(UserError):
    pass


AddKeyResultResult = Annotated[
    AddKeyResultPayload | AddKeyResultError,
    strawberry.union("AddKeyResultResult", description="The key result, or why not."),
]


@strawberry.input(
    description="A change to a key result: only the fields given change (`unit` and `ownerId` "
    "are cleared with null). `start` and `target` as its kind takes them. `version` is the "
    "`KeyResult.version` you read (`stale_version` otherwise). Those who may add key results "
    "to its objective; a change of anything but its owner takes the objective's signatures "
    "back."
)
class UpdateKeyResultInput:
    key_result_id: strawberry.ID = strawberry.field(description="A `KeyResult` id.")
    version: int = strawberry.field(description="The `KeyResult.version` you read.")
    title: str | None = strawberry.field(default=strawberry.UNSET, description="What is measured.")
    start: float | None = strawberry.field(
        default=strawberry.UNSET,
        description="The value at the start (increase, decrease, stay above or below).",
    )
    target: float | None = strawberry.field(
        default=strawberry.UNSET,
        description="The value aimed at, or the line to hold (not for binary, milestones).",
    )
    unit: str | None = strawberry.field(
        default=strawberry.UNSET, description="E.g. `%`, `EUR`; null clears it."
    )
    owner_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Who sees to it (a `Person` id who may work on the objective); null for "
        "nobody named.",
    )
    weight: float | None = strawberry.field(
        default=strawberry.UNSET, description="Its share in the objective's progress."
    )


@strawberry.type(description="The key result was changed.")
class UpdateKeyResultPayload:
    key_result: KeyResult = strawberry.field(description="The key result as it is now.")


@strawberry.type(
    description="The key result was not changed: e.g. `stale_version`, "
    "`key_result_not_found`, `cycle_closed`, `target_not_above_start`, "
    "`target_not_below_start`, `not_for_this_kind`, `owner_cannot_work_on_objective`, "
    "`unknown_owner`, `forbidden`, `validation_failed`, `invalid_id`."
)
class UpdateKeyResultError(UserError):
    pass


UpdateKeyResultResult = Annotated[
    UpdateKeyResultPayload | UpdateKeyResultError,
    strawberry.union("UpdateKeyResultResult", description="The key result, or why not."),
]


@strawberry.input(
    description="A key result to remove with its check-ins, at the `KeyResult.version` you "
    "read (those who may add key results to its objective). Links to it and dependencies on "
    "it are withdrawn; the objective's signatures are taken back."
)
class DeleteKeyResultInput:
    key_result_id: strawberry.ID = strawberry.field(description="A `KeyResult` id.")
    version: int = strawberry.field(description="The `KeyResult.version` you read.")


@strawberry.type(description="The key result was removed.")
class DeleteKeyResultPayload:
    key_result_id: strawberry.ID = strawberry.field(description="The removed `KeyResult` id.")
    objective_id: strawberry.Private[uuid.UUID | None]

    @resolver_field("Its objective as it is now, read afresh (its progress without it).")
    async def objective(self, info: Info) -> Objective | None:
        return await load_objective(info, self.objective_id)


@strawberry.type(
    description="The key result was not removed: e.g. `stale_version`, "
    "`key_result_not_found`, `cycle_closed`, `forbidden`, `invalid_id`."
)
class DeleteKeyResultError(UserError):
    pass


DeleteKeyResultResult = Annotated[
    DeleteKeyResultPayload | DeleteKeyResultError,
    strawberry.union("DeleteKeyResultResult", description="The removed key result, or why not."),
]


@resolver_field("Say where a key result stands, how it goes and how confident you are.")
async def check_in(
    info: Info,
    input: Annotated[CheckInInput, strawberry.argument(description="The check-in.")],
) -> CheckInResult | None:
    async def change() -> CheckInPayload:
        key_result_id = input_id("KeyResult", input.key_result_id, "keyResultId").id
        marks = [
            MilestoneUpdate.model_construct(
                id=input_id("Milestone", mark.milestone_id, "milestones", str(n), "milestoneId").id,
                done=mark.done,
            )
            for n, mark in enumerate(input.milestones or ())
        ]
        fields: dict[str, Any] = {"confidence": input.confidence, "note": input.note}
        if input.value is not None:
            fields["value"] = input.value
        if input.done is not None:
            fields["done"] = input.done
        if input.milestones is not None:
            fields["milestones"] = marks
        if input.status is not None:
            fields["status"] = CheckInStatus[input.status.name]
        made = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.check_in,
            key_result_id,
            body=CheckInCreate.model_construct(**fields),
            idempotency_key=input.idempotency_key,
        )
        return CheckInPayload(check_in=CheckIn.from_record(made))

    return await mutate(CheckInError, change)


@resolver_field("Add a key result to an objective (those who may change the objective).")
async def add_key_result(
    info: Info,
    input: Annotated[AddKeyResultInput, strawberry.argument(description="The key result.")],
) -> AddKeyResultResult | None:
    async def change() -> AddKeyResultPayload:
        objective_id = input_id("Objective", input.objective_id, "objectiveId").id
        owner_id = (
            input_id("Person", input.owner_id, "ownerId").id if input.owner_id is not None else None
        )
        fields: dict[str, Any] = {"title": input.title, "weight": input.weight}
        optional: dict[str, object | None] = {
            "kind": KeyResultKind[input.kind.name] if input.kind is not None else None,
            "start": input.start,
            "target": input.target,
            "current": input.current,
            "done": input.done,
            "unit": input.unit,
            "owner_person_id": owner_id,
            "milestones": (
                [
                    MilestoneCreate.model_construct(title=m.title, done=m.done)
                    for m in input.milestones
                ]
                if input.milestones is not None
                else None
            ),
        }
        fields |= {name: value for name, value in optional.items() if value is not None}
        added = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.create_key_result,
            objective_id,
            body=KeyResultCreate.model_construct(**fields),
            idempotency_key=input.idempotency_key,
        )
        return AddKeyResultPayload(key_result=KeyResult.from_record(added))

    return await mutate(AddKeyResultError, change, {"owner_person_id": "ownerId"})


@resolver_field(
    "Change a key result's title, figures, unit, owner or weight, at the version you read."
)
async def update_key_result(
    info: Info,
    input: Annotated[UpdateKeyResultInput, strawberry.argument(description="The change.")],
) -> UpdateKeyResultResult | None:
    async def change() -> UpdateKeyResultPayload:
        key_result_id = input_id("KeyResult", input.key_result_id, "keyResultId").id
        fields: dict[str, Any] = {}
        if input.owner_id is not strawberry.UNSET:
            fields["owner_person_id"] = (
                input_id("Person", input.owner_id, "ownerId").id
                if input.owner_id is not None
                else None
            )
        for name in ("title", "start", "target", "unit", "weight"):
            value = getattr(input, name)
            if value is not strawberry.UNSET:
                fields[name] = value
        changed = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.update_key_result,
            key_result_id,
            body=KeyResultUpdate.model_construct(**fields),
            version=input.version,
        )
        info.context.loaders.key_result_by_id.prime(changed.id, changed, force=True)
        forget_objective(info, changed.objective_id)
        return UpdateKeyResultPayload(key_result=KeyResult.from_record(changed))

    return await mutate(UpdateKeyResultError, change, {"owner_person_id": "ownerId"})


@resolver_field(
    "Remove a key result with its check-ins, at the version you read; links to it and "
    "dependencies on it are withdrawn."
)
async def delete_key_result(
    info: Info,
    input: Annotated[DeleteKeyResultInput, strawberry.argument(description="Which one.")],
) -> DeleteKeyResultResult | None:
    async def change() -> DeleteKeyResultPayload:
        key_result_id = input_id("KeyResult", input.key_result_id, "keyResultId").id
        # Which objective it measures, to read that afresh afterwards (None for one the
        # caller may not see: the removal answers as for an unknown one then).
        found = await info.context.loaders.key_result_by_id.load(key_result_id)
        await info.context.clients.goals.remove(
            info.context.caller,
            GoalsClient.key_result_path,
            key_result_id,
            version=input.version,
        )
        with contextlib.suppress(KeyError):
            info.context.loaders.key_result_by_id.clear(key_result_id)
        objective_id = found.objective_id if found is not None else None
        if objective_id is not None:
            forget_objective(info, objective_id)
        return DeleteKeyResultPayload(key_result_id=input.key_result_id, objective_id=objective_id)

    return await mutate(DeleteKeyResultError, change)
