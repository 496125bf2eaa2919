"""Setting objectives and bringing them to agreement: create, change, propose, sign,
comment; their contributors."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import strawberry

from gateway.clients import GoalsClient
from gateway.context import Info
from gateway.errors import mutate
from gateway.types.common import UserError, idempotency_key, input_id, resolver_field
from gateway.types.goals.contracts import (
    CommentCreate,
    ContributorAdd,
    ObjectiveCreate,
    ObjectiveKind,
    ObjectiveStatus,
    ObjectiveUpdate,
    Visibility,
)
from gateway.types.goals.enums import ObjectiveKindEnum, VisibilityEnum
from gateway.types.goals.objectives import (
    Comment,
    Objective,
    forget_objective,
    load_objective,
    prime_objective,
)


@strawberry.input(description="An objective to set.")
class CreateObjectiveInput:
    cycle_id: strawberry.ID = strawberry.field(description="The cycle (a `Cycle` id).")
    owner_id: strawberry.ID = strawberry.field(description="Whose it is: a `Person` or `Team` id.")
    title: str = strawberry.field(description="What is to be achieved.")
    description: str | None = strawberry.field(default=None, description="Why, and how.")
    visibility: VisibilityEnum = strawberry.field(
        default=VisibilityEnum.PUBLIC, description="Who may read it (public by default)."
    )
    idempotency_key: str | None = idempotency_key("the objective is set")


@strawberry.type(description="The objective was set.")
class CreateObjectivePayload:
    objective: Objective = strawberry.field(description="The new objective.")


@strawberry.type(
    description="The objective was not set: e.g. `cycle_closed`, `unknown_owner`, "
    "`owner_inactive`, `forbidden`, `validation_failed`, `invalid_id`."
)
class CreateObjectiveError(UserError):
    pass


CreateObjectiveResult = Annotated[
    CreateObjectivePayload | CreateObjectiveError,
    strawberry.union("CreateObjectiveResult", description="The objective, or why not."),
]


@strawberry.input(
    description="A change to an objective: only the fields given change. `version` is the "
    "`Objective.version` you read; the change is refused (`stale_version`) if it changed since."
)
class UpdateObjectiveInput:
    objective_id: strawberry.ID = strawberry.field(description="An `Objective` id.")
    version: int = strawberry.field(description="The `Objective.version` you read.")
    title: str | None = strawberry.field(
        default=strawberry.UNSET, description="What is to be achieved."
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="Why, and how; null clears it."
    )
    kind: ObjectiveKindEnum | None = strawberry.field(
        default=strawberry.UNSET, description="Committed or aspirational."
    )
    visibility: VisibilityEnum | None = strawberry.field(
        default=strawberry.UNSET, description="Who may read it."
    )


@strawberry.type(
    description="The objective was changed; a change after a signature took the signatures back."
)
class UpdateObjectivePayload:
    objective: Objective = strawberry.field(description="The objective as it is now.")


@strawberry.type(
    description="The objective was not changed: e.g. `stale_version`, `objective_not_found`, "
    "`cycle_closed`, `company_objectives_are_public`, `forbidden`, "
    "`validation_failed`, `invalid_id`."
)
class UpdateObjectiveError(UserError):
    pass


UpdateObjectiveResult = Annotated[
    UpdateObjectivePayload | UpdateObjectiveError,
    strawberry.union("UpdateObjectiveResult", description="The objective, or why not."),
]


@strawberry.input(description="A draft to propose for agreement, at the `version` you read.")
class ProposeObjectiveInput:
    objective_id: strawberry.ID = strawberry.field(description="An `Objective` id.")
    version: int = strawberry.field(description="The `Objective.version` you read.")


@strawberry.type(description="The objective is proposed; it waits for both sides to sign.")
class ProposeObjectivePayload:
    objective: Objective = strawberry.field(description="The proposed objective.")


@strawberry.type(
    description="The objective was not proposed: e.g. `stale_version`, `invalid_status_change`, "
    "`objective_not_found`, `forbidden`, `invalid_id`."
)
class ProposeObjectiveError(UserError):
    pass


ProposeObjectiveResult = Annotated[
    ProposeObjectivePayload | ProposeObjectiveError,
    strawberry.union("ProposeObjectiveResult", description="The objective, or why not."),
]


@strawberry.input(description="A proposed objective to sign for your side.")
class SignObjectiveInput:
    objective_id: strawberry.ID = strawberry.field(description="An `Objective` id.")
    idempotency_key: str | None = idempotency_key()


@strawberry.type(
    description="Your signature was given; the objective is agreed once both sides signed."
)
class SignObjectivePayload:
    objective: Objective = strawberry.field(
        description="The objective with its signatures and status."
    )


@strawberry.type(
    description="The objective was not signed: e.g. `not_proposed`, `not_a_signer`, "
    "`already_signed`, `side_already_signed`, `already_agreed`, "
    "`objective_not_found`, `invalid_id`."
)
class SignObjectiveError(UserError):
    pass


SignObjectiveResult = Annotated[
    SignObjectivePayload | SignObjectiveError,
    strawberry.union("SignObjectiveResult", description="The objective, or why not."),
]


@strawberry.input(description="A comment on an objective you may read, while its cycle is open.")
class CommentOnObjectiveInput:
    objective_id: strawberry.ID = strawberry.field(description="An `Objective` id.")
    body: str = strawberry.field(description="What you have to say (up to 2000 characters).")
    idempotency_key: str | None = idempotency_key()


@strawberry.type(description="The comment was added.")
class CommentOnObjectivePayload:
    comment: Comment = strawberry.field(description="The new comment.")


@strawberry.type(
    description="The comment was not added: e.g. `cycle_closed`, `objective_not_found`, "
    "`validation_failed`, `invalid_id`."
)
class CommentOnObjectiveError(UserError):
    pass


CommentOnObjectiveResult = Annotated[
    CommentOnObjectivePayload | CommentOnObjectiveError,
    strawberry.union("CommentOnObjectiveResult", description="The comment, or why not."),
]


@strawberry.input(
    description="A person to work on an objective with its owner (those who may change it): "
    "they see it even when it is private, change it and check in on it."
)
class AddContributorInput:
    objective_id: strawberry.ID = strawberry.field(description="An `Objective` id.")
    person_id: strawberry.ID = strawberry.field(description="A `Person` id.")
    idempotency_key: str | None = idempotency_key()


@strawberry.type(description="The person now contributes to the objective.")
class AddContributorPayload:
    objective: Objective = strawberry.field(description="The objective with its contributors.")


@strawberry.type(
    description="The contributor was not added: e.g. `already_contributor`, "
    "`contributor_is_owner`, `contributor_inactive`, `objective_not_found`, `cycle_closed`, "
    "`forbidden`, `validation_failed`, `invalid_id`."
)
class AddContributorError(UserError):
    pass


AddContributorResult = Annotated[
    AddContributorPayload | AddContributorError,
    strawberry.union("AddContributorResult", description="The objective, or why not."),
]


@strawberry.input(description="A contributor to take off an objective (those who may change it).")
class RemoveContributorInput:
    objective_id: strawberry.ID = strawberry.field(description="An `Objective` id.")
    person_id: strawberry.ID = strawberry.field(description="A `Person` id.")


@strawberry.type(description="The person no longer contributes to the objective.")
class RemoveContributorPayload:
    objective_id: strawberry.Private[uuid.UUID]

    @resolver_field("The objective as it is now; null if you may no longer read it.")
    async def objective(self, info: Info) -> Objective | None:
        return await load_objective(info, self.objective_id)


@strawberry.type(
    description="The contributor was not taken off: e.g. `contributor_not_found`, "
    "`objective_not_found`, `cycle_closed`, `forbidden`, `invalid_id`."
)
class RemoveContributorError(UserError):
    pass


RemoveContributorResult = Annotated[
    RemoveContributorPayload | RemoveContributorError,
    strawberry.union("RemoveContributorResult", description="The objective, or why not."),
]


@resolver_field("Set an objective for yourself, a team or a report (as the service allows).")
async def create_objective(
    info: Info,
    input: Annotated[CreateObjectiveInput, strawberry.argument(description="The objective.")],
) -> CreateObjectiveResult | None:
    async def change() -> CreateObjectivePayload:
        cycle_id = input_id("Cycle", input.cycle_id, "cycleId").id
        owner = input_id(("Person", "Team"), input.owner_id, "ownerId")
        body = ObjectiveCreate.model_construct(
            cycle_id=cycle_id,
            title=input.title,
            description=input.description,
            owner_person_id=owner.id if owner.type_name == "Person" else None,
            owner_team_id=owner.id if owner.type_name == "Team" else None,
            visibility=Visibility[input.visibility.name],
        )
        created = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.create_objective,
            body=body,
            idempotency_key=input.idempotency_key,
        )
        return CreateObjectivePayload(objective=Objective.from_record(created))

    owner_field = {"owner_person_id": "ownerId", "owner_team_id": "ownerId"}
    return await mutate(CreateObjectiveError, change, owner_field)


@resolver_field(
    "Change an objective's title, description, kind or visibility, at the version you read."
)
async def update_objective(
    info: Info,
    input: Annotated[UpdateObjectiveInput, strawberry.argument(description="The change.")],
) -> UpdateObjectiveResult | None:
    async def change() -> UpdateObjectivePayload:
        objective_id = input_id("Objective", input.objective_id, "objectiveId").id
        fields: dict[str, Any] = {}
        if input.title is not strawberry.UNSET:
            fields["title"] = input.title
        if input.description is not strawberry.UNSET:
            fields["description"] = input.description
        if input.kind is not strawberry.UNSET:
            fields["kind"] = ObjectiveKind[input.kind.name] if input.kind else None
        if input.visibility is not strawberry.UNSET:
            fields["visibility"] = Visibility[input.visibility.name] if input.visibility else None
        changed = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.update_objective,
            objective_id,
            body=ObjectiveUpdate.model_construct(**fields),
            version=input.version,
        )
        return UpdateObjectivePayload(objective=Objective.from_record(changed))

    return await mutate(UpdateObjectiveError, change)


@resolver_field("Propose a draft objective for agreement by its owner and their manager.")
async def propose_objective(
    info: Info,
    input: Annotated[ProposeObjectiveInput, strawberry.argument(description="The objective.")],
) -> ProposeObjectiveResult | None:
    async def change() -> ProposeObjectivePayload:
        objective_id = input_id("Objective", input.objective_id, "objectiveId").id
        body = ObjectiveUpdate.model_construct(status=ObjectiveStatus.PROPOSED)
        proposed = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.update_objective,
            objective_id,
            body=body,
            version=input.version,
        )
        return ProposeObjectivePayload(objective=Objective.from_record(proposed))

    return await mutate(ProposeObjectiveError, change)


@resolver_field(
    "Sign a proposed objective for your side (its owner's or its manager's); it is agreed "
    "when both have signed, never by one alone."
)
async def sign_objective(
    info: Info,
    input: Annotated[SignObjectiveInput, strawberry.argument(description="The objective.")],
) -> SignObjectiveResult | None:
    async def change() -> SignObjectivePayload:
        objective_id = input_id("Objective", input.objective_id, "objectiveId").id
        signed = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.sign_objective,
            objective_id,
            idempotency_key=input.idempotency_key,
        )
        return SignObjectivePayload(objective=Objective.from_record(signed))

    return await mutate(SignObjectiveError, change)


@resolver_field("Comment on an objective, e.g. on a draft being agreed.")
async def comment_on_objective(
    info: Info,
    input: Annotated[CommentOnObjectiveInput, strawberry.argument(description="The comment.")],
) -> CommentOnObjectiveResult | None:
    async def change() -> CommentOnObjectivePayload:
        objective_id = input_id("Objective", input.objective_id, "objectiveId").id
        made = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.comment,
            objective_id,
            body=CommentCreate.model_construct(body=input.body),
            idempotency_key=input.idempotency_key,
        )
        return CommentOnObjectivePayload(comment=Comment.from_record(made))

    return await mutate(CommentOnObjectiveError, change)


@resolver_field("Add a person who works on an objective with its owner.")
async def add_contributor(
    info: Info,
    input: Annotated[AddContributorInput, strawberry.argument(description="Who, and on what.")],
) -> AddContributorResult | None:
    async def change() -> AddContributorPayload:
        objective_id = input_id("Objective", input.objective_id, "objectiveId").id
        person_id = input_id("Person", input.person_id, "personId").id
        changed = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.add_contributor,
            objective_id,
            body=ContributorAdd.model_construct(person_id=person_id),
            idempotency_key=input.idempotency_key,
        )
        prime_objective(info, changed)
        return AddContributorPayload(objective=Objective.from_record(changed))

    return await mutate(AddContributorError, change)


@resolver_field("Take a contributor off an objective.")
async def remove_contributor(
    info: Info,
    input: Annotated[RemoveContributorInput, strawberry.argument(description="Who, and off what.")],
) -> RemoveContributorResult | None:
    async def change() -> RemoveContributorPayload:
        objective_id = input_id("Objective", input.objective_id, "objectiveId").id
        person_id = input_id("Person", input.person_id, "personId").id
        await info.context.clients.goals.remove(
            info.context.caller,
            GoalsClient.contributor_path,
            objective_id,
            person_id,
        )
        forget_objective(info, objective_id)
        return RemoveContributorPayload(objective_id=objective_id)

    return await mutate(RemoveContributorError, change)
