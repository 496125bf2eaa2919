"""Opening, changing and closing cycles, and the final scores of their objectives."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

import strawberry

from gateway.clients import GoalsClient
from gateway.context import Info
from gateway.errors import mutate
from gateway.types.common import UserError, idempotency_key, input_id, resolver_field
from gateway.types.goals.contracts import (
    ClosingSubmit,
    CycleCreate,
    CycleStatus,
    CycleUpdate,
)
from gateway.types.goals.cycles import Cycle
from gateway.types.goals.enums import CycleStatusEnum
from gateway.types.goals.objectives import Closing, Objective, load_objective


@strawberry.input(
    description="A cycle to close (HR admins), at the `version` you read: every objective "
    "without a final score takes its progress as one, and check-ins stop."
)
class CloseCycleInput:
    cycle_id: strawberry.ID = strawberry.field(description="A `Cycle` id.")
    version: int = strawberry.field(description="The `Cycle.version` you read.")


@strawberry.type(description="The cycle is closed.")
class CloseCyclePayload:
    cycle: Cycle = strawberry.field(description="The closed cycle.")


@strawberry.type(
    description="The cycle was not closed: e.g. `stale_version`, `invalid_transition`, "
    "`cycle_not_found`, `forbidden`, `invalid_id`."
)
class CloseCycleError(UserError):
    pass


CloseCycleResult = Annotated[
    CloseCyclePayload | CloseCycleError,
    strawberry.union("CloseCycleResult", description="The cycle, or why not."),
]


@strawberry.input(
    description="An objective's final score and what was learnt, while its cycle is active. "
    "The first needs no `version`; replacing one needs the `Closing.version` you read."
)
class SubmitClosingInput:
    objective_id: strawberry.ID = strawberry.field(description="An `Objective` id.")
    score: float = strawberry.field(description="0.0 to 1.0.")
    retrospective: str = strawberry.field(description="What went well, what was learnt.")
    version: int | None = strawberry.field(
        default=None, description="To replace a score: the `Closing.version` you read."
    )


@strawberry.type(description="The final score was given.")
class SubmitClosingPayload:
    closing: Closing = strawberry.field(description="The score as it now stands.")
    objective_id: strawberry.Private[uuid.UUID]

    @resolver_field("The objective scored.")
    async def objective(self, info: Info) -> Objective | None:
        return await load_objective(info, self.objective_id)


@strawberry.type(
    description="The score was not given: e.g. `cycle_not_active`, `stale_version`, "
    "`if_match_required` (replacing without `version`), `objective_not_found`, "
    "`forbidden`, `validation_failed`, `invalid_id`."
)
class SubmitClosingError(UserError):
    pass


SubmitClosingResult = Annotated[
    SubmitClosingPayload | SubmitClosingError,
    strawberry.union("SubmitClosingResult", description="The closing, or why not."),
]


@strawberry.input(
    description="A cycle to open (HR admins): it starts `PLANNING` unless `ACTIVE` is given."
)
class CreateCycleInput:
    name: str = strawberry.field(description="E.g. `2026 Q2`.")
    starts_on: date = strawberry.field(description="Its first day.")
    ends_on: date = strawberry.field(description="Its last day, after `startsOn`.")
    status: CycleStatusEnum = strawberry.field(
        default=CycleStatusEnum.PLANNING, description="`PLANNING` or `ACTIVE` (never `CLOSED`)."
    )
    idempotency_key: str | None = idempotency_key()


@strawberry.type(description="The cycle was created.")
class CreateCyclePayload:
    cycle: Cycle = strawberry.field(description="The new cycle.")


@strawberry.type(
    description="The cycle was not created: e.g. `end_not_after_start`, `created_closed`, "
    "`forbidden`, `validation_failed`."
)
class CreateCycleError(UserError):
    pass


CreateCycleResult = Annotated[
    CreateCyclePayload | CreateCycleError,
    strawberry.union("CreateCycleResult", description="The cycle, or why not."),
]


@strawberry.input(
    description="A change to a cycle (HR admins): only the fields given change. `status: "
    "ACTIVE` opens it (or reopens a closed one); to close it, `closeCycle`. `version` is the "
    "`Cycle.version` you read; the change is refused (`stale_version`) if it changed since."
)
class UpdateCycleInput:
    cycle_id: strawberry.ID = strawberry.field(description="A `Cycle` id.")
    version: int = strawberry.field(description="The `Cycle.version` you read.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Its name.")
    starts_on: date | None = strawberry.field(
        default=strawberry.UNSET, description="Its first day."
    )
    ends_on: date | None = strawberry.field(default=strawberry.UNSET, description="Its last day.")
    status: CycleStatusEnum | None = strawberry.field(
        default=strawberry.UNSET, description="Where it is to stand."
    )


@strawberry.type(description="The cycle was changed.")
class UpdateCyclePayload:
    cycle: Cycle = strawberry.field(description="The cycle as it is now.")


@strawberry.type(
    description="The cycle was not changed: e.g. `stale_version`, `invalid_transition`, "
    "`cycle_not_found`, `forbidden`, `validation_failed`, `invalid_id`."
)
class UpdateCycleError(UserError):
    pass


UpdateCycleResult = Annotated[
    UpdateCyclePayload | UpdateCycleError,
    strawberry.union("UpdateCycleResult", description="The cycle, or why not."),
]


@resolver_field("Open a cycle to set objectives for (HR admins).")
async def create_cycle(
    info: Info,
    input: Annotated[CreateCycleInput, strawberry.argument(description="The cycle.")],
) -> CreateCycleResult | None:
    async def change() -> CreateCyclePayload:
        body = CycleCreate.model_construct(
            name=input.name,
            starts_on=input.starts_on,
            ends_on=input.ends_on,
            status=CycleStatus[input.status.name],
        )
        created = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.create_cycle,
            body=body,
            idempotency_key=input.idempotency_key,
        )
        return CreateCyclePayload(cycle=Cycle.from_record(created))

    return await mutate(CreateCycleError, change)


@resolver_field("Rename a cycle, move its dates or open it (HR admins), at the version you read.")
async def update_cycle(
    info: Info,
    input: Annotated[UpdateCycleInput, strawberry.argument(description="The change.")],
) -> UpdateCycleResult | None:
    async def change() -> UpdateCyclePayload:
        cycle_id = input_id("Cycle", input.cycle_id, "cycleId").id
        fields: dict[str, Any] = {}
        if input.name is not strawberry.UNSET:
            fields["name"] = input.name
        if input.starts_on is not strawberry.UNSET:
            fields["starts_on"] = input.starts_on
        if input.ends_on is not strawberry.UNSET:
            fields["ends_on"] = input.ends_on
        if input.status is not strawberry.UNSET:
            fields["status"] = CycleStatus[input.status.name] if input.status else None
        changed = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.update_cycle,
            cycle_id,
            body=CycleUpdate.model_construct(**fields),
            version=input.version,
        )
        return UpdateCyclePayload(cycle=Cycle.from_record(changed))

    return await mutate(UpdateCycleError, change)


@resolver_field("Close a cycle (HR admins), at the version you read.")
async def close_cycle(
    info: Info,
    input: Annotated[CloseCycleInput, strawberry.argument(description="The cycle.")],
) -> CloseCycleResult | None:
    async def change() -> CloseCyclePayload:
        cycle_id = input_id("Cycle", input.cycle_id, "cycleId").id
        body = CycleUpdate.model_construct(status=CycleStatus.CLOSED)
        closed = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.update_cycle,
            cycle_id,
            body=body,
            version=input.version,
        )
        return CloseCyclePayload(cycle=Cycle.from_record(closed))

    return await mutate(CloseCycleError, change)


@resolver_field("Give an objective its final score and a short retrospective.")
async def submit_closing(
    info: Info,
    input: Annotated[SubmitClosingInput, strawberry.argument(description="The score.")],
) -> SubmitClosingResult | None:
    async def change() -> SubmitClosingPayload:
        objective_id = input_id("Objective", input.objective_id, "objectiveId").id
        body = ClosingSubmit.model_construct(score=input.score, retrospective=input.retrospective)
        closing = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.submit_closing,
            objective_id,
            body=body,
            version=input.version,
        )
        return SubmitClosingPayload(
            closing=Closing.from_record(closing), objective_id=closing.objective_id
        )

    return await mutate(SubmitClosingError, change)
