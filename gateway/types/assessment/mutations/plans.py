"""Action plans: a team adopts a stop / continue / start plan from its report, adds items and
tracks them."""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway.clients import AssessmentClient
from gateway.context import Info
from gateway.errors import mutate
from gateway.types.assessment.contracts import (
    ItemKind,
    ItemStatus,
    PlanCreate,
    PlanItemCreate,
    PlanItemUpdate,
)
from gateway.types.assessment.enums import ItemKindEnum, ItemStatusEnum
from gateway.types.assessment.reports import ActionPlan
from gateway.types.common import UserError, idempotency_key, input_id, resolver_field

# The service's body fields whose input fields are named otherwise.
_RENAMES = {"owner_id": "ownerId", "team_id": "teamId", "round_id": "roundId"}


@strawberry.input(description="An item of a plan.")
class ActionPlanItemInput:
    kind: ItemKindEnum = strawberry.field(description="Stop, continue or start.")
    text: str = strawberry.field(description="What to do (at most 500 characters).")
    owner_id: strawberry.ID | None = strawberry.field(
        default=None, description="The active `Person` who sees to it."
    )


def _item(value: ActionPlanItemInput, *at: str) -> PlanItemCreate:
    owner = None if value.owner_id is None else input_id("Person", value.owner_id, *at, "ownerId")
    return PlanItemCreate.model_construct(
        kind=ItemKind[value.kind.name],
        text=value.text,
        owner_id=None if owner is None else owner.id,
    )


@strawberry.input(description="A plan for a team (or a round's whole audience) after a round.")
class AdoptActionPlanInput:
    round_id: strawberry.ID = strawberry.field(description="A closed `AssessmentRound` id.")
    team_id: strawberry.ID | None = strawberry.field(
        default=None, description="The `Team` planning; null for the round's whole audience."
    )
    items: list[ActionPlanItemInput] = strawberry.field(description="1 to 30 items.")
    idempotency_key: str | None = idempotency_key("the plan is adopted")


@strawberry.type(description="The plan was adopted.")
class AdoptActionPlanPayload:
    action_plan: ActionPlan = strawberry.field(description="The new plan.")


@strawberry.type(
    description="No plan was adopted: e.g. `round_not_found`, `round_not_closed`, "
    "`plan_exists`, `team_not_in_round`, `unknown_owner`, `forbidden`, `validation_failed`, "
    "`invalid_id`."
)
class AdoptActionPlanError(UserError):
    pass


AdoptActionPlanResult = Annotated[
    AdoptActionPlanPayload | AdoptActionPlanError,
    strawberry.union("AdoptActionPlanResult", description="The plan, or why not."),
]


@strawberry.input(description="An item to add to a plan.")
class AddActionPlanItemInput:
    action_plan_id: strawberry.ID = strawberry.field(description="An `ActionPlan` id.")
    item: ActionPlanItemInput = strawberry.field(description="The item.")
    idempotency_key: str | None = idempotency_key("the item is added")


@strawberry.type(description="The item was added, last.")
class AddActionPlanItemPayload:
    action_plan: ActionPlan = strawberry.field(description="The plan as it is now.")


@strawberry.type(
    description="No item was added: e.g. `plan_not_found`, `unknown_owner`, `forbidden`, "
    "`validation_failed`, `invalid_id`."
)
class AddActionPlanItemError(UserError):
    pass


AddActionPlanItemResult = Annotated[
    AddActionPlanItemPayload | AddActionPlanItemError,
    strawberry.union("AddActionPlanItemResult", description="The item, or why not."),
]


@strawberry.input(description="A change to an item, at the `ActionPlan.version` you read.")
class UpdateActionPlanItemInput:
    action_plan_id: strawberry.ID = strawberry.field(description="An `ActionPlan` id.")
    item_id: strawberry.ID = strawberry.field(description="An `ActionPlanItem` id.")
    version: int = strawberry.field(description="The `ActionPlan.version` you read.")
    status: ItemStatusEnum | None = strawberry.field(default=None, description="A new status.")
    owner_id: strawberry.ID | None = strawberry.field(
        default=None, description="A new owner (a `Person` id)."
    )


@strawberry.type(description="The item changed.")
class UpdateActionPlanItemPayload:
    action_plan: ActionPlan = strawberry.field(description="The plan as it is now.")


@strawberry.type(
    description="Nothing changed: e.g. `plan_not_found`, `item_not_found`, `stale_version` "
    "(the plan changed since you read it), `unknown_owner`, `forbidden`, `invalid_id`."
)
class UpdateActionPlanItemError(UserError):
    pass


UpdateActionPlanItemResult = Annotated[
    UpdateActionPlanItemPayload | UpdateActionPlanItemError,
    strawberry.union("UpdateActionPlanItemResult", description="The item, or why not."),
]


@resolver_field("Adopt a stop / continue / start plan for a team from its report of a round.")
async def adopt_action_plan(
    info: Info,
    input: Annotated[AdoptActionPlanInput, strawberry.argument(description="The plan.")],
) -> AdoptActionPlanResult | None:
    async def change() -> AdoptActionPlanPayload:
        team = None if input.team_id is None else input_id("Team", input.team_id, "teamId").id
        body = PlanCreate.model_construct(
            round_id=input_id("AssessmentRound", input.round_id, "roundId").id,
            team_id=team,
            items=[_item(item, "items", str(n)) for n, item in enumerate(input.items)],
        )
        made = await info.context.clients.assessment.write(
            info.context.caller,
            AssessmentClient.adopt_plan,
            body=body,
            idempotency_key=input.idempotency_key,
        )
        return AdoptActionPlanPayload(action_plan=ActionPlan.from_record(made))

    return await mutate(AdoptActionPlanError, change, _RENAMES)


@resolver_field("Add an item to a plan.")
async def add_action_plan_item(
    info: Info,
    input: Annotated[AddActionPlanItemInput, strawberry.argument(description="The item.")],
) -> AddActionPlanItemResult | None:
    async def change() -> AddActionPlanItemPayload:
        plan_id = input_id("ActionPlan", input.action_plan_id, "actionPlanId").id
        made = await info.context.clients.assessment.write(
            info.context.caller,
            AssessmentClient.add_item,
            plan_id,
            body=_item(input.item, "item"),
            idempotency_key=input.idempotency_key,
        )
        return AddActionPlanItemPayload(action_plan=ActionPlan.from_record(made))

    return await mutate(AddActionPlanItemError, change, _RENAMES)


@resolver_field("Track an item of a plan: its status or owner.")
async def update_action_plan_item(
    info: Info,
    input: Annotated[UpdateActionPlanItemInput, strawberry.argument(description="The change.")],
) -> UpdateActionPlanItemResult | None:
    async def change() -> UpdateActionPlanItemPayload:
        plan_id = input_id("ActionPlan", input.action_plan_id, "actionPlanId").id
        item_id = input_id("ActionPlanItem", input.item_id, "itemId").id
        status = None if input.status is None else ItemStatus[input.status.name]
        owner = None
        if input.owner_id is not None:
            owner = input_id("Person", input.owner_id, "ownerId").id
        # Only what was given is sent: a missing field is left as it is.
        given = {name for name, value in (("status", status), ("owner_id", owner)) if value}
        body = PlanItemUpdate.model_construct(given, status=status, owner_id=owner)
        changed = await info.context.clients.assessment.write(
            info.context.caller,
            AssessmentClient.update_item,
            plan_id,
            item_id,
            body=body,
            version=input.version,
        )
        return UpdateActionPlanItemPayload(action_plan=ActionPlan.from_record(changed))

    return await mutate(UpdateActionPlanItemError, change, _RENAMES)
