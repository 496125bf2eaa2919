"""Answering a round: save answers so far, submit them (final), or both at once."""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway.clients import AssessmentClient
from gateway.context import Info
from gateway.errors import InvalidInput, Refusal, mutate
from gateway.types.assessment.contracts import AnswerGiven, Answers, MyResponseRead
from gateway.types.assessment.rounds import MyRoundResponse
from gateway.types.common import UserError, idempotency_key, input_id, resolver_field


@strawberry.input(description="An answer to one question of the round.")
class RoundAnswerInput:
    question_id: strawberry.ID = strawberry.field(description="A `Question` id.")
    value: int | None = strawberry.field(
        default=None, description="For a rating question: a point of the scale."
    )
    comment: str | None = strawberry.field(
        default=None, description="For a comment question (at most 2000 characters)."
    )


@strawberry.input(description="One option of one of the round's declared attributes.")
class DeclaredAttributeInput:
    attribute: str = strawberry.field(description="The attribute's key.")
    option: str = strawberry.field(description="The option's key.")


@strawberry.input(
    description="Answers to a round you are asked in: `answers` (and `attributes`) replace what "
    "was saved; `submit: true` then makes them final."
)
class AnswerRoundInput:
    round_id: strawberry.ID = strawberry.field(description="An `AssessmentRound` id.")
    answers: list[RoundAnswerInput] | None = strawberry.field(
        default=None, description="Answers so far; null keeps those saved."
    )
    attributes: list[DeclaredAttributeInput] | None = strawberry.field(
        default=None, description="Declared attributes; with `answers` only."
    )
    submit: bool = strawberry.field(
        default=False,
        description="Make the saved answers final (every rating question answered).",
    )
    idempotency_key: str | None = idempotency_key("the answers are submitted")


@strawberry.type(description="Your answers were saved (and submitted, when asked).")
class AnswerRoundPayload:
    my_response: MyRoundResponse = strawberry.field(
        description="Your part now; once submitted in an anonymous round it shows no answers."
    )


@strawberry.type(
    description="Nothing was saved: e.g. `round_not_found` (not asked in it), `round_not_open`, "
    "`already_submitted`, `unknown_question`, `invalid_answer`, `unknown_attribute`, "
    "`answers_incomplete`, `nothing_to_do`, `validation_failed`, `invalid_id`."
)
class AnswerRoundError(UserError):
    pass


AnswerRoundResult = Annotated[
    AnswerRoundPayload | AnswerRoundError,
    strawberry.union("AnswerRoundResult", description="Your part, or why not."),
]


@resolver_field("Save answers to a round you are asked in, submit them, or both.")
async def answer_round(
    info: Info,
    input: Annotated[AnswerRoundInput, strawberry.argument(description="The answers.")],
) -> AnswerRoundResult | None:
    async def change() -> AnswerRoundPayload:
        round_id = input_id("AssessmentRound", input.round_id, "roundId").id
        client, caller = info.context.clients.assessment, info.context.caller
        mine: MyResponseRead | None = None
        if input.answers is not None:
            answers = [
                AnswerGiven.model_construct(
                    question_id=input_id(
                        "Question", answer.question_id, "answers", str(index), "questionId"
                    ).id,
                    value=answer.value,
                    comment=answer.comment,
                )
                for index, answer in enumerate(input.answers)
            ]
            body = Answers.model_construct(
                answers=answers,
                attributes={a.attribute: a.option for a in input.attributes or []},
            )
            mine = await client.write(caller, AssessmentClient.save_answers, round_id, body=body)
        if input.submit:
            mine = await client.write(
                caller,
                AssessmentClient.submit,
                round_id,
                idempotency_key=input.idempotency_key,
            )
        if mine is None:
            raise InvalidInput(
                Refusal("Send answers, or submit: true.", "nothing_to_do", ["input"])
            )
        info.context.loaders.my_response_by_round_id.prime(round_id, mine, force=True)
        return AnswerRoundPayload(my_response=MyRoundResponse.from_record(mine))

    return await mutate(AnswerRoundError, change)
