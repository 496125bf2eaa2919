"""What objectives depend on from other owners: declaring, moving on and withdrawing it."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from gateway.clients import GoalsClient
from gateway.context import Info
from gateway.errors import mutate
from gateway.types.common import UserError, idempotency_key, input_id, resolver_field
from gateway.types.goals.alignment import Dependency
from gateway.types.goals.contracts import (
    DependencyCreate,
    DependencyState,
    DependencyUpdate,
)
from gateway.types.goals.enums import DependencyStateEnum
from gateway.types.goals.mutations.alignment import target_ids


@strawberry.input(
    description="An objective depends on another owner's objective or key result in the same "
    "cycle: give exactly one of `onObjectiveId` and `onKeyResultId`."
)
class DeclareDependencyInput:
    objective_id: strawberry.ID = strawberry.field(
        description="The `Objective` that depends (one you may change)."
    )
    on_objective_id: strawberry.ID | None = strawberry.field(
        default=None, description="The `Objective` depended on; or give a key result."
    )
    on_key_result_id: strawberry.ID | None = strawberry.field(
        default=None, description="The `KeyResult` depended on; or give an objective."
    )
    note: str = strawberry.field(description="What is needed, by when (up to 2000 characters).")
    idempotency_key: str | None = idempotency_key()


@strawberry.type(description="The dependency was declared; it starts open.")
class DeclareDependencyPayload:
    dependency: Dependency = strawberry.field(description="The new dependency.")


@strawberry.type(
    description="The dependency was not declared: e.g. `same_owner`, `already_depends`, "
    "`cycle_mismatch`, `cycle_closed`, `target_not_found`, `objective_not_found`, "
    "`one_target`, `forbidden`, `validation_failed`, `invalid_id`."
)
class DeclareDependencyError(UserError):
    pass


DeclareDependencyResult = Annotated[
    DeclareDependencyPayload | DeclareDependencyError,
    strawberry.union("DeclareDependencyResult", description="The dependency, or why not."),
]


@strawberry.input(
    description="A change to a dependency: only the fields given change. `state`: `AGREED` by "
    "the side depended on, `RESOLVED` or back to `OPEN` by either side; `note`: the side that "
    "depends. `version` is the `Dependency.version` you read (`stale_version` otherwise)."
)
class UpdateDependencyInput:
    dependency_id: strawberry.ID = strawberry.field(description="A `Dependency.id`.")
    version: int = strawberry.field(description="The `Dependency.version` you read.")
    state: DependencyStateEnum | None = strawberry.field(
        default=strawberry.UNSET, description="Where it is to stand."
    )
    note: str | None = strawberry.field(
        default=strawberry.UNSET, description="What is needed, by when (up to 2000 characters)."
    )


@strawberry.type(description="The dependency was changed.")
class UpdateDependencyPayload:
    dependency: Dependency = strawberry.field(description="The dependency as it is now.")


@strawberry.type(
    description="The dependency was not changed: e.g. `stale_version`, `invalid_transition`, "
    "`dependency_not_found`, `cycle_closed`, `forbidden`, `validation_failed`, `invalid_id`."
)
class UpdateDependencyError(UserError):
    pass


UpdateDependencyResult = Annotated[
    UpdateDependencyPayload | UpdateDependencyError,
    strawberry.union("UpdateDependencyResult", description="The dependency, or why not."),
]


@strawberry.input(description="A dependency to withdraw (the side that depends).")
class WithdrawDependencyInput:
    dependency_id: strawberry.ID = strawberry.field(description="A `Dependency.id`.")


@strawberry.type(description="The dependency was withdrawn.")
class WithdrawDependencyPayload:
    dependency_id: strawberry.ID = strawberry.field(description="The withdrawn `Dependency.id`.")


@strawberry.type(
    description="The dependency was not withdrawn: e.g. `dependency_not_found`, "
    "`cycle_closed`, `forbidden` (only the side that depends withdraws it), `invalid_id`."
)
class WithdrawDependencyError(UserError):
    pass


WithdrawDependencyResult = Annotated[
    WithdrawDependencyPayload | WithdrawDependencyError,
    strawberry.union("WithdrawDependencyResult", description="The withdrawn one, or why not."),
]


@resolver_field(
    "Declare that an objective depends on another owner's objective or key result in its "
    "cycle, with a note; it starts open, for the side depended on to agree to."
)
async def declare_dependency(
    info: Info,
    input: Annotated[DeclareDependencyInput, strawberry.argument(description="The dependency.")],
) -> DeclareDependencyResult | None:
    async def change() -> DeclareDependencyPayload:
        objective_id = input_id("Objective", input.objective_id, "objectiveId").id
        fields: dict[str, Any] = {"note": input.note}
        fields |= target_ids("on", input.on_objective_id, input.on_key_result_id)
        made = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.declare_dependency,
            objective_id,
            body=DependencyCreate.model_construct(**fields),
            idempotency_key=input.idempotency_key,
        )
        return DeclareDependencyPayload(dependency=Dependency.from_record(made))

    return await mutate(DeclareDependencyError, change)


@resolver_field(
    "Agree to, resolve or reopen a dependency, or reword its note, at the version you read."
)
async def update_dependency(
    info: Info,
    input: Annotated[UpdateDependencyInput, strawberry.argument(description="The change.")],
) -> UpdateDependencyResult | None:
    async def change() -> UpdateDependencyPayload:
        dependency_id = input_id("Dependency", input.dependency_id, "dependencyId").id
        fields: dict[str, Any] = {}
        if input.state is not strawberry.UNSET:
            fields["state"] = DependencyState[input.state.name] if input.state else None
        if input.note is not strawberry.UNSET:
            fields["note"] = input.note
        changed = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.update_dependency,
            dependency_id,
            body=DependencyUpdate.model_construct(**fields),
            version=input.version,
        )
        return UpdateDependencyPayload(dependency=Dependency.from_record(changed))

    return await mutate(UpdateDependencyError, change)


@resolver_field("Withdraw a dependency your objective declared.")
async def withdraw_dependency(
    info: Info,
    input: Annotated[WithdrawDependencyInput, strawberry.argument(description="Which one.")],
) -> WithdrawDependencyResult | None:
    async def change() -> WithdrawDependencyPayload:
        dependency_id = input_id("Dependency", input.dependency_id, "dependencyId").id
        await info.context.clients.goals.remove(
            info.context.caller, info.context.clients.goals.dependency_path, dependency_id
        )
        return WithdrawDependencyPayload(dependency_id=input.dependency_id)

    return await mutate(WithdrawDependencyError, change)
