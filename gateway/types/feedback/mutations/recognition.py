"""Recognising colleagues, reacting to recognitions, and keeping the company values (HR
admins)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import strawberry

from gateway.clients import FeedbackClient
from gateway.context import Info
from gateway.errors import InvalidInput, Refusal, mutate
from gateway.types.common import UserError, idempotency_key, input_id, resolver_field
from gateway.types.feedback.contracts import (
    CompanyValueCreate,
    CompanyValueUpdate,
    Learning,
    LearningKind,
    ReactionKind,
    RecognitionCreate,
)
from gateway.types.feedback.enums import LearningKindEnum, ReactionKindEnum
from gateway.types.feedback.recognition import CompanyValue, Recognition, remember

# The service's body fields whose input fields are named otherwise.
_RENAMES = {"recipient_ids": "recipientIds", "value_ids": "valueIds"}


@strawberry.input(
    description="A learning to recognise: the lesson of an experiment or an objective, never "
    "its score."
)
class LearningInput:
    kind: LearningKindEnum = strawberry.field(description="An experiment or an objective.")
    id: strawberry.ID = strawberry.field(
        description="An `Objective` id, or an experiment's id in the goals service."
    )


def _experiment_id(value: str) -> uuid.UUID:
    # The goals service has no experiments in the graph yet: their ids are its own, as they are.
    try:
        return uuid.UUID(value)
    except ValueError:
        raise InvalidInput(
            Refusal("Not an experiment's id.", "invalid_id", ["input", "learning", "id"])
        ) from None


def _learning(value: LearningInput) -> Learning:
    kind = LearningKind[value.kind.name]
    if kind is LearningKind.OBJECTIVE:
        learning_id = input_id("Objective", value.id, "learning", "id").id
    else:
        learning_id = _experiment_id(value.id)
    return Learning.model_construct(kind=kind, id=learning_id)


@strawberry.input(description="Public thanks to one or more colleagues.")
class RecognizeInput:
    recipient_ids: list[strawberry.ID] = strawberry.field(
        description="Whom (1 to 20 active `Person` ids, not you)."
    )
    message: str = strawberry.field(description="What you thank them for (at most 2000).")
    value_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Up to 5 `CompanyValue` ids, not archived."
    )
    learning: LearningInput | None = strawberry.field(
        default=None, description="A learning it recognises, if any."
    )
    idempotency_key: str | None = idempotency_key("the recognition is given")


@strawberry.type(description="The recognition was given.")
class RecognizePayload:
    recognition: Recognition = strawberry.field(description="The new recognition.")


@strawberry.type(
    description="Nothing was given: e.g. `self_recognition`, `unknown_recipient`, "
    "`unknown_value`, `value_archived`, `unknown_objective` (a learning's objective you may not "
    "see, as an unknown one), `validation_failed`, `invalid_id`."
)
class RecognizeError(UserError):
    pass


RecognizeResult = Annotated[
    RecognizePayload | RecognizeError,
    strawberry.union("RecognizeResult", description="The recognition, or why not."),
]


@strawberry.input(description="A reaction to a recognition.")
class ReactionInput:
    recognition_id: strawberry.ID = strawberry.field(description="A `Recognition` id.")
    kind: ReactionKindEnum = strawberry.field(description="Which reaction.")


@strawberry.type(description="The reaction is there (react) or gone (unreact).")
class ReactPayload:
    recognition: Recognition = strawberry.field(description="The recognition, counts updated.")


@strawberry.type(description="No reaction changed: e.g. `recognition_not_found`, `invalid_id`.")
class ReactError(UserError):
    pass


ReactResult = Annotated[
    ReactPayload | ReactError,
    strawberry.union("ReactResult", description="The recognition, or why not."),
]


@strawberry.type(description="The reaction is gone (or there was none).")
class UnreactPayload:
    recognition: Recognition = strawberry.field(description="The recognition, counts updated.")


@strawberry.type(description="No reaction changed: e.g. `recognition_not_found`, `invalid_id`.")
class UnreactError(UserError):
    pass


UnreactResult = Annotated[
    UnreactPayload | UnreactError,
    strawberry.union("UnreactResult", description="The recognition, or why not."),
]


@strawberry.input(description="A new company value.")
class CreateCompanyValueInput:
    name: str = strawberry.field(description="Unique among the values (at most 80).")
    description: str | None = strawberry.field(default=None, description="What it means.")


@strawberry.type(description="The value was added.")
class CreateCompanyValuePayload:
    company_value: CompanyValue = strawberry.field(description="The new value.")


@strawberry.type(
    description="No value was added: e.g. `forbidden` (HR admins only), `value_name_taken`, "
    "`validation_failed`."
)
class CreateCompanyValueError(UserError):
    pass


CreateCompanyValueResult = Annotated[
    CreateCompanyValuePayload | CreateCompanyValueError,
    strawberry.union("CreateCompanyValueResult", description="The value, or why not."),
]


@strawberry.input(
    description="Changes to a company value, at the `CompanyValue.version` you read; fields "
    "left out stay as they are."
)
class UpdateCompanyValueInput:
    company_value_id: strawberry.ID = strawberry.field(description="A `CompanyValue` id.")
    version: int = strawberry.field(description="The `CompanyValue.version` you read.")
    name: str | None = strawberry.field(default=None, description="A new name.")
    description: str | None = strawberry.field(default=None, description="A new description.")
    archived: bool | None = strawberry.field(
        default=None, description="Archive it (true) or bring it back (false)."
    )


@strawberry.type(description="The value was changed.")
class UpdateCompanyValuePayload:
    company_value: CompanyValue = strawberry.field(description="The value as it is now.")


@strawberry.type(
    description="The value was not changed: e.g. `forbidden` (HR admins only), "
    "`stale_version`, `value_name_taken`, `company_value_not_found`, `invalid_id`."
)
class UpdateCompanyValueError(UserError):
    pass


UpdateCompanyValueResult = Annotated[
    UpdateCompanyValuePayload | UpdateCompanyValueError,
    strawberry.union("UpdateCompanyValueResult", description="The value, or why not."),
]


@resolver_field("Recognise colleagues publicly, optionally with company values.")
async def recognize(
    info: Info,
    input: Annotated[RecognizeInput, strawberry.argument(description="The recognition.")],
) -> RecognizeResult | None:
    async def change() -> RecognizePayload:
        recipients = [
            input_id("Person", value, "recipientIds", str(index)).id
            for index, value in enumerate(input.recipient_ids)
        ]
        values = [
            input_id("CompanyValue", value, "valueIds", str(index)).id
            for index, value in enumerate(input.value_ids)
        ]
        fields: dict[str, Any] = {
            "recipient_ids": recipients,
            "message": input.message,
            "value_ids": values,
        }
        if input.learning is not None:
            fields["learning"] = _learning(input.learning)
        body = RecognitionCreate.model_construct(**fields)
        made = await info.context.clients.feedback.write(
            info.context.caller,
            FeedbackClient.recognize,
            body=body,
            idempotency_key=input.idempotency_key,
        )
        remember(info, made)
        return RecognizePayload(recognition=Recognition.from_record(made))

    return await mutate(RecognizeError, change, _RENAMES)


async def _react(info: Info, input: ReactionInput, present: bool) -> Recognition:
    recognition_id = input_id("Recognition", input.recognition_id, "recognitionId").id
    write = FeedbackClient.reaction(ReactionKind[input.kind.name], present)
    changed = await info.context.clients.feedback.write(info.context.caller, write, recognition_id)
    remember(info, changed)
    return Recognition.from_record(changed)


@resolver_field("React to a recognition; reacting twice the same way counts once.")
async def react(
    info: Info,
    input: Annotated[ReactionInput, strawberry.argument(description="The reaction.")],
) -> ReactResult | None:
    async def change() -> ReactPayload:
        return ReactPayload(recognition=await _react(info, input, present=True))

    return await mutate(ReactError, change)


@resolver_field("Take your reaction to a recognition back.")
async def unreact(
    info: Info,
    input: Annotated[ReactionInput, strawberry.argument(description="The reaction.")],
) -> UnreactResult | None:
    async def change() -> UnreactPayload:
        return UnreactPayload(recognition=await _react(info, input, present=False))

    return await mutate(UnreactError, change)


@resolver_field("Add a company value (HR admins).")
async def create_company_value(
    info: Info,
    input: Annotated[CreateCompanyValueInput, strawberry.argument(description="The value.")],
) -> CreateCompanyValueResult | None:
    async def change() -> CreateCompanyValuePayload:
        fields = {"name": input.name, "description": input.description}
        body = CompanyValueCreate.model_construct(
            **{name: value for name, value in fields.items() if value is not None}  # type: ignore[arg-type]
        )
        made = await info.context.clients.feedback.write(
            info.context.caller, FeedbackClient.create_value, body=body
        )
        remember(info, made)
        return CreateCompanyValuePayload(company_value=CompanyValue.from_record(made))

    return await mutate(CreateCompanyValueError, change)


@resolver_field("Rename, describe, archive or restore a company value (HR admins).")
async def update_company_value(
    info: Info,
    input: Annotated[UpdateCompanyValueInput, strawberry.argument(description="The changes.")],
) -> UpdateCompanyValueResult | None:
    async def change() -> UpdateCompanyValuePayload:
        value_id = input_id("CompanyValue", input.company_value_id, "companyValueId").id
        fields = {"name": input.name, "description": input.description, "archived": input.archived}
        body = CompanyValueUpdate.model_construct(
            **{name: value for name, value in fields.items() if value is not None}  # type: ignore[arg-type]
        )
        changed = await info.context.clients.feedback.write(
            info.context.caller,
            FeedbackClient.update_value,
            value_id,
            body=body,
            version=input.version,
        )
        remember(info, changed)
        return UpdateCompanyValuePayload(company_value=CompanyValue.from_record(changed))

    return await mutate(UpdateCompanyValueError, change)
