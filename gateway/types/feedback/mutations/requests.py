"""Asking for feedback, and answering or declining what one was asked."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from gateway.clients import FeedbackClient
from gateway.context import Info
from gateway.errors import mutate
from gateway.types.common import UserError, idempotency_key, input_id, resolver_field
from gateway.types.feedback.contracts import (
    AnswerCreate,
    FeedbackKind,
    FeedbackRequestCreate,
    FeedbackRequestUpdate,
    Visibility,
)
from gateway.types.feedback.enums import FeedbackKindEnum, FeedbackVisibilityEnum
from gateway.types.feedback.feedback import Feedback, prime_feedback
from gateway.types.feedback.requests import (
    FeedbackRequest,
    forget_request,
    load_feedback_request,
    prime_requests,
)

# The service's body fields whose input fields are named otherwise.
_RENAMES = {"asked_ids": "askedIds"}


@strawberry.input(description="Feedback to ask colleagues for.")
class RequestFeedbackInput:
    asked_ids: list[strawberry.ID] = strawberry.field(
        description="The active people asked (1 to 20 `Person` ids); neither you nor the subject."
    )
    topic: str = strawberry.field(description="What you want feedback on.")
    due_on: date = strawberry.field(description="When answers are wanted.")
    subject_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Whom it is about (a `Person` id): yourself (the default) or, as their "
        "manager, a direct report.",
    )
    objective_id: strawberry.ID | None = strawberry.field(
        default=None, description="An `Objective` it is about."
    )
    work: str | None = strawberry.field(
        default=None, description="A piece of work it is about (a title or a link)."
    )
    idempotency_key: str | None = idempotency_key("the request is made")


@strawberry.type(description="The request was made; each person asked has an open part.")
class RequestFeedbackPayload:
    feedback_request: FeedbackRequest = strawberry.field(description="The new request.")


@strawberry.type(
    description="The request was not made: e.g. `not_your_report`, `asked_self`, "
    "`asked_twice`, `unknown_person`, `due_date_past`, `due_date_too_far`, "
    "`unknown_objective` (one you may not see, as an unknown one), `validation_failed`, "
    "`invalid_id`."
)
class RequestFeedbackError(UserError):
    pass


RequestFeedbackResult = Annotated[
    RequestFeedbackPayload | RequestFeedbackError,
    strawberry.union("RequestFeedbackResult", description="The request, or why not."),
]


@strawberry.input(
    description="An answer to a request you were asked in: a feedback to its subject on its topic."
)
class AnswerFeedbackRequestInput:
    feedback_request_id: strawberry.ID = strawberry.field(description="A `FeedbackRequest` id.")
    kind: FeedbackKindEnum = strawberry.field(description="Praise, suggestion, peer or upward.")
    body: str = strawberry.field(description="What you want to say (at most 5000 characters).")
    visibility: FeedbackVisibilityEnum = strawberry.field(
        description="Who reads it besides you; it can later be narrowed, never widened."
    )
    idempotency_key: str | None = idempotency_key("the answer is given")


@strawberry.type(description="The answer was given and your part closed.")
class AnswerFeedbackRequestPayload:
    feedback: Feedback = strawberry.field(description="The answer, a feedback to the subject.")
    feedback_request: FeedbackRequest | None = strawberry.field(
        description="The request as it is now."
    )


@strawberry.type(
    description="The answer was not given: e.g. `feedback_request_not_found`, "
    "`request_part_closed` (answered or declined already), `validation_failed`, `invalid_id`."
)
class AnswerFeedbackRequestError(UserError):
    pass


AnswerFeedbackRequestResult = Annotated[
    AnswerFeedbackRequestPayload | AnswerFeedbackRequestError,
    strawberry.union("AnswerFeedbackRequestResult", description="The answer, or why not."),
]


@strawberry.input(description="A request you were asked in and will not answer.")
class DeclineFeedbackRequestInput:
    feedback_request_id: strawberry.ID = strawberry.field(description="A `FeedbackRequest` id.")


@strawberry.type(description="Your part closed without an answer.")
class DeclineFeedbackRequestPayload:
    feedback_request: FeedbackRequest = strawberry.field(description="The request as it is now.")


@strawberry.type(
    description="Nothing was declined: e.g. `feedback_request_not_found`, "
    "`request_part_closed`, `invalid_id`."
)
class DeclineFeedbackRequestError(UserError):
    pass


DeclineFeedbackRequestResult = Annotated[
    DeclineFeedbackRequestPayload | DeclineFeedbackRequestError,
    strawberry.union("DeclineFeedbackRequestResult", description="The request, or why not."),
]


@strawberry.input(
    description="A new due date for a request you made, at the `FeedbackRequest.version` you read."
)
class ChangeFeedbackRequestDueDateInput:
    feedback_request_id: strawberry.ID = strawberry.field(description="A `FeedbackRequest` id.")
    version: int = strawberry.field(description="The `FeedbackRequest.version` you read.")
    due_on: date = strawberry.field(
        description="From today (in your time zone) to two years ahead."
    )


@strawberry.type(description="The due date moved.")
class ChangeFeedbackRequestDueDatePayload:
    feedback_request: FeedbackRequest = strawberry.field(description="The request as it is now.")


@strawberry.type(
    description="The due date did not move: e.g. `forbidden` (the requester only), "
    "`feedback_request_not_found`, `stale_version`, `due_date_past`, `due_date_too_far`, "
    "`invalid_id`."
)
class ChangeFeedbackRequestDueDateError(UserError):
    pass


ChangeFeedbackRequestDueDateResult = Annotated[
    ChangeFeedbackRequestDueDatePayload | ChangeFeedbackRequestDueDateError,
    strawberry.union("ChangeFeedbackRequestDueDateResult", description="The request, or why not."),
]


@resolver_field("Ask colleagues for feedback about yourself or, as their manager, a direct report.")
async def request_feedback(
    info: Info,
    input: Annotated[RequestFeedbackInput, strawberry.argument(description="The request.")],
) -> RequestFeedbackResult | None:
    async def change() -> RequestFeedbackPayload:
        asked = [
            input_id("Person", value, "askedIds", str(index)).id
            for index, value in enumerate(input.asked_ids)
        ]
        subject_id = (
            input_id("Person", input.subject_id, "subjectId").id
            if input.subject_id is not None
            else None
        )
        objective_id = (
            input_id("Objective", input.objective_id, "objectiveId").id
            if input.objective_id is not None
            else None
        )
        # Sent as written: the service checks the other fields (and says which is wrong).
        body = FeedbackRequestCreate.model_construct(
            asked_ids=asked,
            topic=input.topic,
            due_on=input.due_on,
            subject_id=subject_id,
            objective_id=objective_id,
            work=input.work,
        )
        made = await info.context.clients.feedback.write(
            info.context.caller,
            FeedbackClient.ask,
            body=body,
            idempotency_key=input.idempotency_key,
        )
        prime_requests(info, [made])
        return RequestFeedbackPayload(feedback_request=FeedbackRequest.from_record(made))

    return await mutate(RequestFeedbackError, change, _RENAMES)


@resolver_field("Answer a feedback request you were asked in, with a feedback to its subject.")
async def answer_feedback_request(
    info: Info,
    input: Annotated[AnswerFeedbackRequestInput, strawberry.argument(description="The answer.")],
) -> AnswerFeedbackRequestResult | None:
    async def change() -> AnswerFeedbackRequestPayload:
        request_id = input_id("FeedbackRequest", input.feedback_request_id, "feedbackRequestId").id
        made = await info.context.clients.feedback.write(
            info.context.caller,
            FeedbackClient.answer,
            request_id,
            body=AnswerCreate.model_construct(
                body=input.body,
                kind=FeedbackKind[input.kind.name],
                visibility=Visibility[input.visibility.name],
            ),
            idempotency_key=input.idempotency_key,
        )
        prime_feedback(info, [made])
        forget_request(info, request_id)
        return AnswerFeedbackRequestPayload(
            feedback=Feedback.from_record(made),
            feedback_request=await load_feedback_request(info, request_id),
        )

    return await mutate(AnswerFeedbackRequestError, change)


@resolver_field("Decline a feedback request you were asked in; your part closes unanswered.")
async def decline_feedback_request(
    info: Info,
    input: Annotated[DeclineFeedbackRequestInput, strawberry.argument(description="Which.")],
) -> DeclineFeedbackRequestResult | None:
    async def change() -> DeclineFeedbackRequestPayload:
        request_id = input_id("FeedbackRequest", input.feedback_request_id, "feedbackRequestId").id
        changed = await info.context.clients.feedback.write(
            info.context.caller, FeedbackClient.decline, request_id
        )
        prime_requests(info, [changed])
        return DeclineFeedbackRequestPayload(feedback_request=FeedbackRequest.from_record(changed))

    return await mutate(DeclineFeedbackRequestError, change)


@resolver_field("Move the due date of a feedback request you made.")
async def change_feedback_request_due_date(
    info: Info,
    input: Annotated[
        ChangeFeedbackRequestDueDateInput, strawberry.argument(description="The new date.")
    ],
) -> ChangeFeedbackRequestDueDateResult | None:
    async def change() -> ChangeFeedbackRequestDueDatePayload:
        request_id = input_id("FeedbackRequest", input.feedback_request_id, "feedbackRequestId").id
        changed = await info.context.clients.feedback.write(
            info.context.caller,
            FeedbackClient.move_due,
            request_id,
            body=FeedbackRequestUpdate.model_construct(due_on=input.due_on),
            version=input.version,
        )
        prime_requests(info, [changed])
        return ChangeFeedbackRequestDueDatePayload(
            feedback_request=FeedbackRequest.from_record(changed)
        )

    return await mutate(ChangeFeedbackRequestDueDateError, change)
