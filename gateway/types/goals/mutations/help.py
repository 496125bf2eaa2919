"""Asking for help by hand, offering help, resolving a help request."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from gateway.clients import GoalsClient
from gateway.context import Info
from gateway.errors import mutate
from gateway.types.common import UserError, idempotency_key, input_id, resolver_field
from gateway.types.goals.contracts import HelpOfferCreate, HelpRequestCreate, HelpRequestResolve
from gateway.types.goals.help import HelpRequest


@strawberry.type(description="The help request as it is now.")
class HelpRequestPayload:
    help_request: HelpRequest = strawberry.field(description="The help request.")


@strawberry.input(
    description="Ask for help on an objective, or on one of its key results (give one): those "
    "who work on the objective. An off-track or low-confidence check-in asks by itself."
)
class OpenHelpRequestInput:
    objective_id: strawberry.ID | None = strawberry.field(
        default=None, description="An `Objective` id."
    )
    key_result_id: strawberry.ID | None = strawberry.field(
        default=None, description="A `KeyResult` id."
    )
    blocked: str | None = strawberry.field(default=None, description="What is in the way.")
    help_wanted: str | None = strawberry.field(default=None, description="What help would do.")
    idempotency_key: str | None = idempotency_key("help is asked for")


@strawberry.type(
    description="Help was not asked for: e.g. `help_request_open`, `objective_not_found`, "
    "`key_result_not_found`, `cycle_closed`, `one_subject`, `forbidden`, `validation_failed`, "
    "`invalid_id`."
)
class OpenHelpRequestError(UserError):
    pass


OpenHelpRequestResult = Annotated[
    HelpRequestPayload | OpenHelpRequestError,
    strawberry.union("OpenHelpRequestResult", description="The help request, or why not."),
]


@strawberry.input(description="Help you offer on an open help request you see.")
class OfferHelpInput:
    help_request_id: strawberry.ID = strawberry.field(description="A `HelpRequest.id`.")
    message: str = strawberry.field(description="What you can do, or whom to ask.")
    idempotency_key: str | None = idempotency_key("the offer is made")


@strawberry.type(
    description="The offer was not made: e.g. `own_help_request`, `help_request_resolved`, "
    "`help_request_not_found`, `validation_failed`, `invalid_id`."
)
class OfferHelpError(UserError):
    pass


OfferHelpResult = Annotated[
    HelpRequestPayload | OfferHelpError,
    strawberry.union("OfferHelpResult", description="The help request with the offer, or why not."),
]


@strawberry.input(description="Resolve an open help request with a note (those who work on it).")
class ResolveHelpRequestInput:
    help_request_id: strawberry.ID = strawberry.field(description="A `HelpRequest.id`.")
    note: str = strawberry.field(description="What helped, what was learnt.")


@strawberry.type(
    description="The help request was not resolved: e.g. `help_request_resolved`, "
    "`help_request_not_found`, `forbidden`, `validation_failed`, `invalid_id`."
)
class ResolveHelpRequestError(UserError):
    pass


ResolveHelpRequestResult = Annotated[
    HelpRequestPayload | ResolveHelpRequestError,
    strawberry.union("ResolveHelpRequestResult", description="The help request, or why not."),
]


@resolver_field("Ask for help on an objective or a key result.")
async def open_help_request(
    info: Info,
    input: Annotated[OpenHelpRequestInput, strawberry.argument(description="What help.")],
) -> OpenHelpRequestResult | None:
    async def change() -> HelpRequestPayload:
        fields: dict[str, Any] = {"blocked": input.blocked, "help_wanted": input.help_wanted}
        if input.objective_id is not None:
            fields["objective_id"] = input_id("Objective", input.objective_id, "objectiveId").id
        if input.key_result_id is not None:
            fields["key_result_id"] = input_id("KeyResult", input.key_result_id, "keyResultId").id
        opened = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.open_help_request,
            body=HelpRequestCreate.model_construct(**fields),
            idempotency_key=input.idempotency_key,
        )
        return HelpRequestPayload(help_request=HelpRequest.from_record(opened))

    return await mutate(OpenHelpRequestError, change)


@resolver_field("Offer help on a help request.")
async def offer_help(
    info: Info,
    input: Annotated[OfferHelpInput, strawberry.argument(description="The offer.")],
) -> OfferHelpResult | None:
    async def change() -> HelpRequestPayload:
        help_request_id = input_id("HelpRequest", input.help_request_id, "helpRequestId").id
        offered = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.offer_help,
            help_request_id,
            body=HelpOfferCreate.model_construct(message=input.message),
            idempotency_key=input.idempotency_key,
        )
        return HelpRequestPayload(help_request=HelpRequest.from_record(offered))

    return await mutate(OfferHelpError, change)


@resolver_field("Resolve a help request with a note.")
async def resolve_help_request(
    info: Info,
    input: Annotated[ResolveHelpRequestInput, strawberry.argument(description="Which, and how.")],
) -> ResolveHelpRequestResult | None:
    async def change() -> HelpRequestPayload:
        help_request_id = input_id("HelpRequest", input.help_request_id, "helpRequestId").id
        resolved = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.resolve_help_request,
            help_request_id,
            body=HelpRequestResolve.model_construct(note=input.note),
        )
        return HelpRequestPayload(help_request=HelpRequest.from_record(resolved))

    return await mutate(ResolveHelpRequestError, change)
