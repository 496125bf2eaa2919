"""Giving feedback, replying in its thread, and narrowing who sees it."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from gateway.clients import FeedbackClient
from gateway.context import Info
from gateway.errors import InvalidInput, Refusal, mutate
from gateway.types.common import UserError, idempotency_key, input_id, resolver_field
from gateway.types.feedback.contracts import (
    FeedbackCreate,
    FeedbackKind,
    FeedbackUpdate,
    ReplyCreate,
    Visibility,
)
from gateway.types.feedback.enums import FeedbackKindEnum, FeedbackVisibilityEnum
from gateway.types.feedback.feedback import (
    Feedback,
    Reply,
    forget_feedback,
    load_feedback,
    prime_feedback,
)

# The service's body fields whose input fields are named otherwise.
_RENAMES = {"value_id": "companyValueId"}


def _catalogue_id(value: str | None, field: str) -> uuid.UUID | None:
    """An id of another catalogue (skills, company values): the service keeps it as given."""
    if value is None:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        refused = Refusal("This is not an id of the catalogue.", "invalid_id", ["input", field])
        raise InvalidInput(refused) from None


@strawberry.input(description="Feedback to give.")
class GiveFeedbackInput:
    recipient_id: strawberry.ID = strawberry.field(description="To whom: a `Person` id.")
    kind: FeedbackKindEnum = strawberry.field(
        description="Praise, suggestion, peer, or upward (to your own manager only)."
    )
    body: str = strawberry.field(description="What you want to say (at most 5000 characters).")
    visibility: FeedbackVisibilityEnum = strawberry.field(
        description="Who reads it besides you; it can later be narrowed, never widened."
    )
    topic: str | None = strawberry.field(default=None, description="What it is about.")
    objective_id: strawberry.ID | None = strawberry.field(
        default=None, description="An `Objective` it is about."
    )
    key_result_id: strawberry.ID | None = strawberry.field(
        default=None, description="A `KeyResult` it is about."
    )
    skill_id: str | None = strawberry.field(
        default=None, description="A skill of the catalogue it is about (its id)."
    )
    company_value_id: str | None = strawberry.field(
        default=None, description="A company value it is about (its id)."
    )
    idempotency_key: str | None = idempotency_key("the feedback is given")


@strawberry.type(description="The feedback was given.")
class GiveFeedbackPayload:
    feedback: Feedback = strawberry.field(description="The new feedback.")


@strawberry.type(
    description="The feedback was not given: e.g. `self_feedback`, `unknown_recipient`, "
    "`recipient_inactive`, `upward_not_to_manager`, `unknown_objective` and "
    "`unknown_key_result` (one you may not see, as an unknown one), `forbidden`, "
    "`validation_failed`, `invalid_id`."
)
class GiveFeedbackError(UserError):
    pass


GiveFeedbackResult = Annotated[
    GiveFeedbackPayload | GiveFeedbackError,
    strawberry.union("GiveFeedbackResult", description="The feedback, or why not."),
]


@strawberry.input(description="A reply in a feedback's thread.")
class ReplyToFeedbackInput:
    feedback_id: strawberry.ID = strawberry.field(description="A `Feedback` id.")
    body: str = strawberry.field(description="What you answer (at most 5000 characters).")
    idempotency_key: str | None = idempotency_key("the reply is added")


@strawberry.type(description="The reply was added.")
class ReplyToFeedbackPayload:
    reply: Reply = strawberry.field(description="The new reply.")
    feedback: Feedback | None = strawberry.field(description="The feedback with its thread.")


@strawberry.type(
    description="The reply was not added: e.g. `feedback_not_found`, `forbidden` (only the "
    "giver and the recipient reply), `validation_failed`, `invalid_id`."
)
class ReplyToFeedbackError(UserError):
    pass


ReplyToFeedbackResult = Annotated[
    ReplyToFeedbackPayload | ReplyToFeedbackError,
    strawberry.union("ReplyToFeedbackResult", description="The reply, or why not."),
]


@strawberry.input(
    description="A narrower visibility, at the `Feedback.version` you read; the change is "
    "refused (`stale_version`) if it changed since."
)
class NarrowFeedbackVisibilityInput:
    feedback_id: strawberry.ID = strawberry.field(description="A `Feedback` id.")
    version: int = strawberry.field(description="The `Feedback.version` you read.")
    visibility: FeedbackVisibilityEnum = strawberry.field(
        description="No wider than it is now (`visibility_cannot_widen`)."
    )


@strawberry.type(description="Who sees the feedback was narrowed (or left as it was).")
class NarrowFeedbackVisibilityPayload:
    feedback: Feedback = strawberry.field(description="The feedback as it is now.")


@strawberry.type(
    description="The visibility was not changed: e.g. `visibility_cannot_widen`, "
    "`stale_version`, `feedback_not_found`, `forbidden`, `invalid_id`."
)
class NarrowFeedbackVisibilityError(UserError):
    pass


NarrowFeedbackVisibilityResult = Annotated[
    NarrowFeedbackVisibilityPayload | NarrowFeedbackVisibilityError,
    strawberry.union("NarrowFeedbackVisibilityResult", description="The feedback, or why not."),
]


@resolver_field("Give feedback to a colleague.")
async def give_feedback(
    info: Info,
    input: Annotated[GiveFeedbackInput, strawberry.argument(description="The feedback.")],
) -> GiveFeedbackResult | None:
    async def change() -> GiveFeedbackPayload:
        recipient_id = input_id("Person", input.recipient_id, "recipientId").id
        objective_id = (
            input_id("Objective", input.objective_id, "objectiveId").id
            if input.objective_id is not None
            else None
        )
        key_result_id = (
            input_id("KeyResult", input.key_result_id, "keyResultId").id
            if input.key_result_id is not None
            else None
        )
        # Sent as written: the service checks the other fields (and says which is wrong).
        body = FeedbackCreate.model_construct(
            recipient_id=recipient_id,
            kind=FeedbackKind[input.kind.name],
            body=input.body,
            visibility=Visibility[input.visibility.name],
            topic=input.topic,
            objective_id=objective_id,
            key_result_id=key_result_id,
            skill_id=_catalogue_id(input.skill_id, "skillId"),
            value_id=_catalogue_id(input.company_value_id, "companyValueId"),
        )
        made = await info.context.clients.feedback.write(
            info.context.caller,
            FeedbackClient.give,
            body=body,
            idempotency_key=input.idempotency_key,
        )
        prime_feedback(info, [made])
        return GiveFeedbackPayload(feedback=Feedback.from_record(made))

    return await mutate(GiveFeedbackError, change, _RENAMES)


@resolver_field("Answer in a feedback's thread: its giver or its recipient.")
async def reply_to_feedback(
    info: Info,
    input: Annotated[ReplyToFeedbackInput, strawberry.argument(description="The reply.")],
) -> ReplyToFeedbackResult | None:
    async def change() -> ReplyToFeedbackPayload:
        feedback_id = input_id("Feedback", input.feedback_id, "feedbackId").id
        made = await info.context.clients.feedback.write(
            info.context.caller,
            FeedbackClient.reply,
            feedback_id,
            body=ReplyCreate.model_construct(body=input.body),
            idempotency_key=input.idempotency_key,
        )
        forget_feedback(info, feedback_id)
        return ReplyToFeedbackPayload(
            reply=Reply.from_record(made), feedback=await load_feedback(info, feedback_id)
        )

    return await mutate(ReplyToFeedbackError, change)


@resolver_field("Narrow who sees a feedback (its giver or its recipient); never widen it.")
async def narrow_feedback_visibility(
    info: Info,
    input: Annotated[
        NarrowFeedbackVisibilityInput, strawberry.argument(description="The new visibility.")
    ],
) -> NarrowFeedbackVisibilityResult | None:
    async def change() -> NarrowFeedbackVisibilityPayload:
        feedback_id = input_id("Feedback", input.feedback_id, "feedbackId").id
        changed = await info.context.clients.feedback.write(
            info.context.caller,
            FeedbackClient.narrow,
            feedback_id,
            body=FeedbackUpdate.model_construct(visibility=Visibility[input.visibility.name]),
            version=input.version,
        )
        forget_feedback(info, feedback_id)
        prime_feedback(info, [changed])
        return NarrowFeedbackVisibilityPayload(feedback=Feedback.from_record(changed))

    return await mutate(NarrowFeedbackVisibilityError, change)
