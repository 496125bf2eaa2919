"""Links between objectives: aligning one to a parent, the parent's side deciding on it, and
roll-up."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import strawberry

from gateway.clients import GoalsClient
from gateway.context import Info
from gateway.errors import mutate
from gateway.types.common import UserError, idempotency_key, input_id, resolver_field
from gateway.types.goals.alignment import Alignment
from gateway.types.goals.contracts import (
    AlignmentCreate,
    AlignmentState,
    AlignmentUpdate,
    RollUpRead,
)
from gateway.types.goals.objectives import Objective, forget_objective, load_objective


@strawberry.input(
    description="An objective supports a parent in the same cycle: give exactly one of "
    "`parentObjectiveId` and `parentKeyResultId`."
)
class AlignObjectiveInput:
    objective_id: strawberry.ID = strawberry.field(
        description="The supporting `Objective` (one you may change)."
    )
    parent_objective_id: strawberry.ID | None = strawberry.field(
        default=None, description="The `Objective` it supports; or give a key result."
    )
    parent_key_result_id: strawberry.ID | None = strawberry.field(
        default=None, description="The `KeyResult` it supports; or give an objective."
    )
    weight: float | None = strawberry.field(
        default=strawberry.UNSET,
        description="Its share in the parent's roll-up beside the parent's key results (each "
        "weighing its own `weight`): more than 0, at most 1000; 1 when omitted. Only for "
        "those who may change the parent too (`weight_set_by_parent` otherwise): their link "
        "is accepted at once, anyone else's waits for the parent's side, who weigh it.",
    )
    idempotency_key: str | None = idempotency_key()


@strawberry.type(description="The objective now supports the parent (or proposes to).")
class AlignObjectivePayload:
    alignment: Alignment = strawberry.field(
        description="The new link, `ACCEPTED` or `PENDING` (see `state`); its `parent` shows "
        "the progress rolled up since."
    )


@strawberry.type(
    description="The link was not made: e.g. `alignment_cycle` (it would close a loop), "
    "`alignment_too_deep`, `already_aligned`, `cycle_mismatch`, `cycle_closed`, "
    "`parent_not_found`, `objective_not_found`, `one_parent`, `weight_set_by_parent`, "
    "`forbidden`, `validation_failed`, `invalid_id`."
)
class AlignObjectiveError(UserError):
    pass


AlignObjectiveResult = Annotated[
    AlignObjectivePayload | AlignObjectiveError,
    strawberry.union("AlignObjectiveResult", description="The link, or why not."),
]


@strawberry.input(
    description="Whether an objective's progress counts the public objectives aligned to it "
    "(its owner's choice; setting it as it already is changes nothing)."
)
class SetRollUpInput:
    objective_id: strawberry.ID = strawberry.field(description="An `Objective` id.")
    enabled: bool = strawberry.field(description="True to opt in, false to opt out.")


@strawberry.type(description="The roll-up is set; progress is recomputed at once.")
class SetRollUpPayload:
    enabled: bool = strawberry.field(description="Whether its progress counts its children.")
    own_progress: float | None = strawberry.field(
        description="Its key results' progress alone, 0 to 1; null without any."
    )
    progress: float | None = strawberry.field(
        description="Its progress as served everywhere, with or without its children."
    )
    record: strawberry.Private[RollUpRead]

    @classmethod
    def from_record(cls, record: RollUpRead) -> SetRollUpPayload:
        return cls(
            enabled=record.enabled,
            own_progress=record.own_progress,
            progress=record.progress,
            record=record,
        )

    @resolver_field("The objective.")
    async def objective(self, info: Info) -> Objective | None:
        return await load_objective(info, self.record.objective_id)


@strawberry.type(
    description="The roll-up was not set: e.g. `objective_not_found`, `forbidden`, `invalid_id`."
)
class SetRollUpError(UserError):
    pass


SetRollUpResult = Annotated[
    SetRollUpPayload | SetRollUpError,
    strawberry.union("SetRollUpResult", description="The roll-up, or why not."),
]


@strawberry.input(
    description="A link to withdraw (those who may change the child objective, or the parent)."
)
class WithdrawAlignmentInput:
    alignment_id: strawberry.ID = strawberry.field(description="An `Alignment.id`.")


@strawberry.type(description="The link was withdrawn; roll-ups no longer count it.")
class WithdrawAlignmentPayload:
    alignment_id: strawberry.ID = strawberry.field(description="The withdrawn `Alignment.id`.")


@strawberry.type(
    description="The link was not withdrawn: e.g. `alignment_not_found`, `cycle_closed`, "
    "`forbidden`, `invalid_id`."
)
class WithdrawAlignmentError(UserError):
    pass


WithdrawAlignmentResult = Annotated[
    WithdrawAlignmentPayload | WithdrawAlignmentError,
    strawberry.union("WithdrawAlignmentResult", description="The withdrawn link, or why not."),
]


@strawberry.input(
    description="A link to your objective (or one of its key results) to accept: the child "
    "then counts in its roll-up. Those who may change the parent objective."
)
class AcceptAlignmentInput:
    alignment_id: strawberry.ID = strawberry.field(description="An `Alignment.id`.")
    version: int = strawberry.field(description="The `Alignment.version` you read.")
    weight: float | None = strawberry.field(
        default=strawberry.UNSET,
        description="What the child weighs in the roll-up: more than 0, at most 1000; "
        "unchanged when omitted.",
    )


@strawberry.type(description="The link was accepted; the parent's roll-up counts it.")
class AcceptAlignmentPayload:
    alignment: Alignment = strawberry.field(description="The link as it is now.")


@strawberry.type(
    description="The link was not accepted: e.g. `stale_version`, `parent_side_only` (you may "
    "not change the parent), `alignment_not_found`, `cycle_closed`, `validation_failed`, "
    "`invalid_id`."
)
class AcceptAlignmentError(UserError):
    pass


AcceptAlignmentResult = Annotated[
    AcceptAlignmentPayload | AcceptAlignmentError,
    strawberry.union("AcceptAlignmentResult", description="The accepted link, or why not."),
]


@strawberry.input(
    description="A link to your objective (or one of its key results) to decline: it counts "
    "in no roll-up (it may be accepted later). Those who may change the parent objective."
)
class DeclineAlignmentInput:
    alignment_id: strawberry.ID = strawberry.field(description="An `Alignment.id`.")
    version: int = strawberry.field(description="The `Alignment.version` you read.")


@strawberry.type(description="The link was declined; the parent's roll-up does not count it.")
class DeclineAlignmentPayload:
    alignment: Alignment = strawberry.field(description="The link as it is now.")


@strawberry.type(
    description="The link was not declined: e.g. `stale_version`, `parent_side_only`, "
    "`alignment_not_found`, `cycle_closed`, `invalid_id`."
)
class DeclineAlignmentError(UserError):
    pass


DeclineAlignmentResult = Annotated[
    DeclineAlignmentPayload | DeclineAlignmentError,
    strawberry.union("DeclineAlignmentResult", description="The declined link, or why not."),
]


@strawberry.input(
    description="A new weight for a link to your objective (those who may change the parent "
    "objective), at the `Alignment.version` you read."
)
class UpdateAlignmentInput:
    alignment_id: strawberry.ID = strawberry.field(description="An `Alignment.id`.")
    version: int = strawberry.field(description="The `Alignment.version` you read.")
    weight: float = strawberry.field(
        description="What the child weighs in the parent's roll-up once accepted: more than "
        "0, at most 1000."
    )


@strawberry.type(description="The link's weight was changed.")
class UpdateAlignmentPayload:
    alignment: Alignment = strawberry.field(
        description="The link as it is now; its `parent` shows the progress rolled up since."
    )


@strawberry.type(
    description="The weight was not changed: e.g. `stale_version`, `parent_side_only`, "
    "`alignment_not_found`, `cycle_closed`, `validation_failed`, `invalid_id`."
)
class UpdateAlignmentError(UserError):
    pass


UpdateAlignmentResult = Annotated[
    UpdateAlignmentPayload | UpdateAlignmentError,
    strawberry.union("UpdateAlignmentResult", description="The link, or why not."),
]


def target_ids(
    side: str, objective_id: str | None, key_result_id: str | None
) -> dict[str, uuid.UUID]:
    """What a link or a dependency points at, as given: an objective (`<side>ObjectiveId`) or
    a key result (`<side>KeyResultId`); the service refuses both or neither."""
    given = {"objective": ("Objective", objective_id), "key_result": ("KeyResult", key_result_id)}
    return {
        f"{side}_{name}_id": input_id(kind, value, f"{side}{kind}Id").id
        for name, (kind, value) in given.items()
        if value is not None
    }


@resolver_field(
    "Say that an objective supports a parent objective or key result in its cycle; "
    "refused (`alignment_cycle`) when the parent already supports it, however indirectly."
)
async def align_objective(
    info: Info,
    input: Annotated[AlignObjectiveInput, strawberry.argument(description="The link.")],
) -> AlignObjectiveResult | None:
    async def change() -> AlignObjectivePayload:
        objective_id = input_id("Objective", input.objective_id, "objectiveId").id
        fields: dict[str, Any] = {}
        if input.weight is not strawberry.UNSET:
            fields["weight"] = input.weight
        fields |= target_ids("parent", input.parent_objective_id, input.parent_key_result_id)
        link = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.align,
            objective_id,
            body=AlignmentCreate.model_construct(**fields),
            idempotency_key=input.idempotency_key,
        )
        return AlignObjectivePayload(alignment=Alignment.from_record(link))

    return await mutate(AlignObjectiveError, change)


@resolver_field(
    "Opt an objective in or out of roll-up: whether its progress also counts the public "
    "objectives aligned to it."
)
async def set_roll_up(
    info: Info,
    input: Annotated[SetRollUpInput, strawberry.argument(description="The switch.")],
) -> SetRollUpResult | None:
    async def change() -> SetRollUpPayload:
        objective_id = input_id("Objective", input.objective_id, "objectiveId").id
        roll_up = await info.context.clients.goals.set_roll_up(
            info.context.caller, objective_id, enabled=input.enabled
        )
        forget_objective(info, objective_id)
        return SetRollUpPayload.from_record(roll_up)

    return await mutate(SetRollUpError, change)


@resolver_field("Withdraw a link between objectives; the parent's roll-up no longer counts it.")
async def withdraw_alignment(
    info: Info,
    input: Annotated[WithdrawAlignmentInput, strawberry.argument(description="The link.")],
) -> WithdrawAlignmentResult | None:
    async def change() -> WithdrawAlignmentPayload:
        alignment_id = input_id("Alignment", input.alignment_id, "alignmentId").id
        await info.context.clients.goals.remove(
            info.context.caller, info.context.clients.goals.alignment_path, alignment_id
        )
        return WithdrawAlignmentPayload(alignment_id=input.alignment_id)

    return await mutate(WithdrawAlignmentError, change)


async def _decide(info: Info, alignment_id: str, version: int, fields: dict[str, Any]) -> Alignment:
    """The parent's side changes a link: its state, its weight."""
    link_id = input_id("Alignment", alignment_id, "alignmentId").id
    changed = await info.context.clients.goals.write(
        info.context.caller,
        GoalsClient.update_alignment,
        link_id,
        body=AlignmentUpdate.model_construct(**fields),
        version=version,
    )
    # The parent's progress may have changed with the link.
    forget_objective(info, changed.parent_objective_id)
    return Alignment.from_record(changed)


@resolver_field(
    "Accept a link to an objective you may change (or to one of its key results), "
    "optionally weighing it: the child then counts in its roll-up."
)
async def accept_alignment(
    info: Info,
    input: Annotated[AcceptAlignmentInput, strawberry.argument(description="The link.")],
) -> AcceptAlignmentResult | None:
    fields: dict[str, Any] = {"state": AlignmentState.ACCEPTED}
    if input.weight is not strawberry.UNSET:
        fields["weight"] = input.weight

    async def change() -> AcceptAlignmentPayload:
        link = await _decide(info, input.alignment_id, input.version, fields)
        return AcceptAlignmentPayload(alignment=link)

    return await mutate(AcceptAlignmentError, change)


@resolver_field(
    "Decline a link to an objective you may change: the child counts in no roll-up of it."
)
async def decline_alignment(
    info: Info,
    input: Annotated[DeclineAlignmentInput, strawberry.argument(description="The link.")],
) -> DeclineAlignmentResult | None:
    fields: dict[str, Any] = {"state": AlignmentState.DECLINED}

    async def change() -> DeclineAlignmentPayload:
        link = await _decide(info, input.alignment_id, input.version, fields)
        return DeclineAlignmentPayload(alignment=link)

    return await mutate(DeclineAlignmentError, change)


@resolver_field(
    "Change what a link to an objective you may change weighs in its roll-up, at the "
    "version you read."
)
async def update_alignment(
    info: Info,
    input: Annotated[UpdateAlignmentInput, strawberry.argument(description="The change.")],
) -> UpdateAlignmentResult | None:
    fields: dict[str, Any] = {"weight": input.weight}

    async def change() -> UpdateAlignmentPayload:
        link = await _decide(info, input.alignment_id, input.version, fields)
        return UpdateAlignmentPayload(alignment=link)

    return await mutate(UpdateAlignmentError, change)
