"""Setting development goals for one's own growth, planning and recording the learning, and
completing them."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

import strawberry

from gateway.clients import GoalsClient
from gateway.context import Info
from gateway.errors import InvalidInput, Refusal, mutate
from gateway.types.common import UserError, idempotency_key, input_id, resolver_field
from gateway.types.goals.development import (
    DevelopmentGoal,
    LearningItem,
    LearningStatusEnum,
    PlanItemKindEnum,
    SharingEnum,
)
from services.goals.development.schemas import (
    DevelopmentGoalComplete,
    DevelopmentGoalCreate,
    DevelopmentGoalUpdate,
    LearningItemCreate,
    LearningItemUpdate,
    LearningKind,
    LearningStatus,
    Sharing,
)


def _people(ids: list[strawberry.ID], field: str) -> list[uuid.UUID]:
    return [input_id("Person", id_, field, str(index)).id for index, id_ in enumerate(ids)]


def _skills(ids: list[strawberry.ID]) -> list[uuid.UUID]:
    """The directory's skill ids, as its REST API gives them (not global ids)."""
    try:
        return [uuid.UUID(id_) for id_ in ids]
    except ValueError:
        refused = Refusal(
            "A skill id is the directory's UUID.", "invalid_id", ["input", "skillIds"]
        )
        raise InvalidInput(refused) from None


@strawberry.input(description="An item of a learning plan.")
class PlanItemInput:
    kind: PlanItemKindEnum = strawberry.field(description="How one learns from it.")
    title: str = strawberry.field(description="What to learn from (up to 200 characters).")
    status: LearningStatusEnum = strawberry.field(
        default=LearningStatusEnum.PLANNED, description="Where it stands."
    )
    evidence: str | None = strawberry.field(default=None, description="What shows it was done.")
    evidence_url: str | None = strawberry.field(default=None, description="An `http(s)` link.")


def _item(given: PlanItemInput) -> LearningItemCreate:
    return LearningItemCreate.model_construct(
        kind=LearningKind[given.kind.name],
        title=given.title,
        status=LearningStatus[given.status.name],
        evidence=given.evidence,
        evidence_url=given.evidence_url,
    )


@strawberry.input(description="A goal for your own growth; private unless you share it.")
class CreateDevelopmentGoalInput:
    title: str = strawberry.field(description="What you want to grow in.")
    description: str | None = strawberry.field(default=None, description="More about it.")
    skill_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Ids of the directory's skills it builds."
    )
    target_date: date | None = strawberry.field(default=None, description="By when.")
    sharing: SharingEnum = strawberry.field(
        default=SharingEnum.PRIVATE, description="Who else reads it."
    )
    shared_with: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="`Person` ids, with `sharing: PEOPLE`."
    )
    plan: list[PlanItemInput] = strawberry.field(
        default_factory=list, description="Its first learning items."
    )
    idempotency_key: str | None = idempotency_key("the goal is set")


@strawberry.type(description="The development goal was set.")
class DevelopmentGoalPayload:
    development_goal: DevelopmentGoal = strawberry.field(description="The goal as it is now.")


@strawberry.type(
    description="The goal was not set: e.g. `name_people`, `shared_with_self`, "
    "`unknown_person`, `forbidden`, `validation_failed`, `invalid_id`."
)
class CreateDevelopmentGoalError(UserError):
    pass


CreateDevelopmentGoalResult = Annotated[
    DevelopmentGoalPayload | CreateDevelopmentGoalError,
    strawberry.union("CreateDevelopmentGoalResult", description="The goal, or why not."),
]


@strawberry.input(description="A change to your goal: only the fields given change.")
class UpdateDevelopmentGoalInput:
    development_goal_id: strawberry.ID = strawberry.field(description="A `DevelopmentGoal` id.")
    version: int = strawberry.field(description="The `DevelopmentGoal.version` you read.")
    title: str | None = strawberry.field(default=strawberry.UNSET, description="Its title.")
    description: str | None = strawberry.field(default=strawberry.UNSET, description="More.")
    skill_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="The skills it builds."
    )
    target_date: date | None = strawberry.field(default=strawberry.UNSET, description="By when.")
    sharing: SharingEnum | None = strawberry.field(
        default=strawberry.UNSET, description="Who else reads it."
    )
    shared_with: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="`Person` ids, with `sharing: PEOPLE`."
    )


@strawberry.type(
    description="The goal was not changed: e.g. `stale_version`, `goal_completed`, "
    "`name_people`, `development_goal_not_found`, `forbidden`, `validation_failed`."
)
class UpdateDevelopmentGoalError(UserError):
    pass


UpdateDevelopmentGoalResult = Annotated[
    DevelopmentGoalPayload | UpdateDevelopmentGoalError,
    strawberry.union("UpdateDevelopmentGoalResult", description="The goal, or why not."),
]


@strawberry.input(description="A goal of yours to mark completed.")
class CompleteDevelopmentGoalInput:
    development_goal_id: strawberry.ID = strawberry.field(description="A `DevelopmentGoal` id.")
    note: str | None = strawberry.field(default=None, description="What came of it.")


@strawberry.type(
    description="The goal was not completed: e.g. `goal_completed`, "
    "`development_goal_not_found`, `forbidden`, `invalid_id`."
)
class CompleteDevelopmentGoalError(UserError):
    pass


CompleteDevelopmentGoalResult = Annotated[
    DevelopmentGoalPayload | CompleteDevelopmentGoalError,
    strawberry.union("CompleteDevelopmentGoalResult", description="The goal, or why not."),
]


@strawberry.input(description="A learning item to add to your goal's plan.")
class AddPlanItemInput(PlanItemInput):
    development_goal_id: strawberry.ID = strawberry.field(description="A `DevelopmentGoal` id.")


@strawberry.type(description="The learning item was added or changed.")
class PlanItemPayload:
    item: LearningItem = strawberry.field(description="The item as it is now.")


@strawberry.type(
    description="The item was not added: e.g. `goal_completed`, `plan_full`, "
    "`development_goal_not_found`, `forbidden`, `validation_failed`, `invalid_id`."
)
class AddPlanItemError(UserError):
    pass


AddPlanItemResult = Annotated[
    PlanItemPayload | AddPlanItemError,
    strawberry.union("AddPlanItemResult", description="The item, or why not."),
]


@strawberry.input(description="A change to a learning item: only the fields given change.")
class UpdatePlanItemInput:
    item_id: strawberry.ID = strawberry.field(description="A `LearningItem.id`.")
    version: int = strawberry.field(description="The `LearningItem.version` you read.")
    kind: PlanItemKindEnum | None = strawberry.field(default=strawberry.UNSET, description="How.")
    title: str | None = strawberry.field(default=strawberry.UNSET, description="What.")
    status: LearningStatusEnum | None = strawberry.field(
        default=strawberry.UNSET, description="Where it stands."
    )
    evidence: str | None = strawberry.field(default=strawberry.UNSET, description="Evidence.")
    evidence_url: str | None = strawberry.field(default=strawberry.UNSET, description="A link.")


@strawberry.type(
    description="The item was not changed: e.g. `stale_version`, `goal_completed`, "
    "`learning_item_not_found`, `forbidden`, `validation_failed`, `invalid_id`."
)
class UpdatePlanItemError(UserError):
    pass


UpdatePlanItemResult = Annotated[
    PlanItemPayload | UpdatePlanItemError,
    strawberry.union("UpdatePlanItemResult", description="The item, or why not."),
]


@resolver_field("Set a goal for your own growth, with the first items of its learning plan.")
async def create_development_goal(
    info: Info,
    input: Annotated[CreateDevelopmentGoalInput, strawberry.argument(description="The goal.")],
) -> CreateDevelopmentGoalResult | None:
    async def change() -> DevelopmentGoalPayload:
        body = DevelopmentGoalCreate.model_construct(
            title=input.title,
            description=input.description,
            skill_ids=_skills(input.skill_ids),
            target_date=input.target_date,
            sharing=Sharing[input.sharing.name],
            shared_with=_people(input.shared_with, "sharedWith"),
            plan=[_item(item) for item in input.plan],
        )
        made = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.create_development_goal,
            body=body,
            idempotency_key=input.idempotency_key,
        )
        return DevelopmentGoalPayload(development_goal=DevelopmentGoal.from_record(made))

    return await mutate(CreateDevelopmentGoalError, change)


@resolver_field("Change your development goal at the version you read.")
async def update_development_goal(
    info: Info,
    input: Annotated[UpdateDevelopmentGoalInput, strawberry.argument(description="The change.")],
) -> UpdateDevelopmentGoalResult | None:
    async def change() -> DevelopmentGoalPayload:
        goal_id = input_id("DevelopmentGoal", input.development_goal_id, "developmentGoalId").id
        fields: dict[str, Any] = {}
        for name in ("title", "description", "target_date"):
            if getattr(input, name) is not strawberry.UNSET:
                fields[name] = getattr(input, name)
        if input.skill_ids is not strawberry.UNSET:
            skills = input.skill_ids
            fields["skill_ids"] = None if skills is None else _skills(skills)
        if input.sharing is not strawberry.UNSET:
            fields["sharing"] = Sharing[input.sharing.name] if input.sharing else None
        if input.shared_with is not strawberry.UNSET:
            people = input.shared_with
            fields["shared_with"] = None if people is None else _people(people, "sharedWith")
        changed = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.update_development_goal,
            goal_id,
            body=DevelopmentGoalUpdate.model_construct(**fields),
            version=input.version,
        )
        return DevelopmentGoalPayload(development_goal=DevelopmentGoal.from_record(changed))

    return await mutate(UpdateDevelopmentGoalError, change)


@resolver_field("Add a learning item to your development goal's plan.")
async def add_plan_item(
    info: Info,
    input: Annotated[AddPlanItemInput, strawberry.argument(description="The item.")],
) -> AddPlanItemResult | None:
    async def change() -> PlanItemPayload:
        goal_id = input_id("DevelopmentGoal", input.development_goal_id, "developmentGoalId").id
        made = await info.context.clients.goals.write(
            info.context.caller, GoalsClient.add_plan_item, goal_id, body=_item(input)
        )
        return PlanItemPayload(item=LearningItem.from_record(made))

    return await mutate(AddPlanItemError, change)


@resolver_field("Change a learning item (its status, evidence or words) at the version read.")
async def update_plan_item(
    info: Info,
    input: Annotated[UpdatePlanItemInput, strawberry.argument(description="The change.")],
) -> UpdatePlanItemResult | None:
    async def change() -> PlanItemPayload:
        item_id = input_id("LearningItem", input.item_id, "itemId").id
        fields: dict[str, Any] = {}
        for name in ("title", "evidence", "evidence_url"):
            if getattr(input, name) is not strawberry.UNSET:
                fields[name] = getattr(input, name)
        if input.kind is not strawberry.UNSET:
            fields["kind"] = LearningKind[input.kind.name] if input.kind else None
        if input.status is not strawberry.UNSET:
            fields["status"] = LearningStatus[input.status.name] if input.status else None
        changed = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.update_plan_item,
            item_id,
            body=LearningItemUpdate.model_construct(**fields),
            version=input.version,
        )
        return PlanItemPayload(item=LearningItem.from_record(changed))

    return await mutate(UpdatePlanItemError, change)


@resolver_field("Mark your development goal completed.")
async def complete_development_goal(
    info: Info,
    input: Annotated[CompleteDevelopmentGoalInput, strawberry.argument(description="Which.")],
) -> CompleteDevelopmentGoalResult | None:
    async def change() -> DevelopmentGoalPayload:
        goal_id = input_id("DevelopmentGoal", input.development_goal_id, "developmentGoalId").id
        done = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.complete_development_goal,
            goal_id,
            body=DevelopmentGoalComplete.model_construct(note=input.note),
        )
        return DevelopmentGoalPayload(development_goal=DevelopmentGoal.from_record(done))

    return await mutate(CompleteDevelopmentGoalError, change)
