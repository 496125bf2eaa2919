"""Nominating a colleague, and opening and closing nomination periods (HR admins)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

import strawberry

from gateway.clients import FeedbackClient
from gateway.context import Info
from gateway.errors import mutate
from gateway.types.common import UserError, input_id, resolver_field
from gateway.types.feedback.contracts import NominationPeriodCreate, NominationSubmit
from gateway.types.feedback.nominations import (
    Nomination,
    NominationPeriod,
    load_nomination_period,
    remember_period,
)

# The service's body fields whose input fields are named otherwise.
_RENAMES = {"nominee_id": "nomineeId"}


def _period_id(value: str) -> uuid.UUID:
    return input_id("NominationPeriod", value, "nominationPeriodId").id


@strawberry.input(description="The colleague who helped you most in an open period.")
class NominateInput:
    nomination_period_id: strawberry.ID = strawberry.field(description="A `NominationPeriod` id.")
    nominee_id: strawberry.ID = strawberry.field(description="An active `Person`, not you.")
    reason: str = strawberry.field(description="Why (at most 1000 characters).")


@strawberry.type(
    description="Your nomination was made, or replaced your earlier one; nobody else reads it."
)
class NominatePayload:
    nomination: Nomination = strawberry.field(description="Your nomination.")
    nomination_period: NominationPeriod | None = strawberry.field(description="The period.")


@strawberry.type(
    description="Nobody was nominated: e.g. `period_closed`, `self_nomination`, "
    "`person_inactive`, `unknown_person`, `period_not_found`, `validation_failed`, "
    "`invalid_id`."
)
class NominateError(UserError):
    pass


NominateResult = Annotated[
    NominatePayload | NominateError,
    strawberry.union("NominateResult", description="Your nomination, or why not."),
]


@strawberry.input(description="A new nomination period.")
class CreateNominationPeriodInput:
    name: str = strawberry.field(description="E.g. `March 2027` (at most 120 characters).")
    starts_on: date = strawberry.field(description="Its first day.")
    ends_on: date = strawberry.field(description="Its last day, not before the first.")


@strawberry.type(description="The period was opened.")
class CreateNominationPeriodPayload:
    nomination_period: NominationPeriod = strawberry.field(description="The new period.")


@strawberry.type(
    description="No period was opened: e.g. `forbidden` (HR admins only), `ends_before_start`, "
    "`validation_failed`."
)
class CreateNominationPeriodError(UserError):
    pass


CreateNominationPeriodResult = Annotated[
    CreateNominationPeriodPayload | CreateNominationPeriodError,
    strawberry.union("CreateNominationPeriodResult", description="The period, or why not."),
]


@strawberry.input(
    description="A period to close for good, at the `NominationPeriod.version` you read."
)
class CloseNominationPeriodInput:
    nomination_period_id: strawberry.ID = strawberry.field(description="A `NominationPeriod` id.")
    version: int = strawberry.field(description="The `NominationPeriod.version` you read.")


@strawberry.type(description="The period was closed and its results revealed.")
class CloseNominationPeriodPayload:
    nomination_period: NominationPeriod = strawberry.field(description="The closed period.")


@strawberry.type(
    description="The period was not closed: e.g. `forbidden` (HR admins only), "
    "`period_closed`, `stale_version`, `period_not_found`, `invalid_id`."
)
class CloseNominationPeriodError(UserError):
    pass


CloseNominationPeriodResult = Annotated[
    CloseNominationPeriodPayload | CloseNominationPeriodError,
    strawberry.union("CloseNominationPeriodResult", description="The period, or why not."),
]


@resolver_field(
    "Name the colleague who helped you most in an open period (again: it replaces your "
    "earlier choice). Nobody else ever reads who you named."
)
async def nominate(
    info: Info,
    input: Annotated[NominateInput, strawberry.argument(description="The nomination.")],
) -> NominateResult | None:
    async def change() -> NominatePayload:
        period_id = input_id(
            "NominationPeriod", input.nomination_period_id, "nominationPeriodId"
        ).id
        nominee_id = input_id("Person", input.nominee_id, "nomineeId").id
        made = await info.context.clients.feedback.write(
            info.context.caller,
            FeedbackClient.nominate,
            period_id,
            body=NominationSubmit.model_construct(nominee_id=nominee_id, reason=input.reason),
        )
        return NominatePayload(
            nomination=Nomination(reason=made.reason, updated_at=made.updated_at, record=made),
            nomination_period=await load_nomination_period(info, period_id),
        )

    return await mutate(NominateError, change, _RENAMES)


@resolver_field("Open a nomination period (HR admins).")
async def create_nomination_period(
    info: Info,
    input: Annotated[CreateNominationPeriodInput, strawberry.argument(description="The period.")],
) -> CreateNominationPeriodResult | None:
    async def change() -> CreateNominationPeriodPayload:
        made = await info.context.clients.feedback.write(
            info.context.caller,
            FeedbackClient.open_period,
            body=NominationPeriodCreate.model_construct(
                name=input.name, starts_on=input.starts_on, ends_on=input.ends_on
            ),
        )
        remember_period(info, made)
        return CreateNominationPeriodPayload(nomination_period=NominationPeriod.from_record(made))

    return await mutate(CreateNominationPeriodError, change)


@resolver_field("Close a nomination period for good and reveal its results (HR admins).")
async def close_nomination_period(
    info: Info,
    input: Annotated[CloseNominationPeriodInput, strawberry.argument(description="Which.")],
) -> CloseNominationPeriodResult | None:
    async def change() -> CloseNominationPeriodPayload:
        period_id = input_id(
            "NominationPeriod", input.nomination_period_id, "nominationPeriodId"
        ).id
        closed = await info.context.clients.feedback.write(
            info.context.caller, FeedbackClient.close_period, period_id, version=input.version
        )
        remember_period(info, closed)
        return CloseNominationPeriodPayload(nomination_period=NominationPeriod.from_record(closed))

    return await mutate(CloseNominationPeriodError, change)
