"""Assessment rounds as a respondent meets them: the open rounds they are asked in, with their
own part (status, saved answers) and the questions in their language. Who else answered is
not in the graph at all."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry

from gateway.clients import ServiceError
from gateway.context import Info
from gateway.types.assessment.contracts import MyResponseRead, RoundRead
from gateway.types.assessment.enums import (
    ParticipationStatusEnum,
    RoundModeEnum,
    RoundStatusEnum,
)
from gateway.types.assessment.instruments import Instrument, load_instrument
from gateway.types.common import Connection, GlobalId, page_connection, page_size, resolver_field


@strawberry.type(description="An answer saved so far (before submitting).")
class SavedAnswer:
    question_id: strawberry.ID = strawberry.field(description="A `Question` id.")
    value: int | None = strawberry.field(description="For a rating question.")
    comment: str | None = strawberry.field(description="For a comment question.")


@strawberry.type(description="A declared attribute's chosen option.")
class DeclaredAttribute:
    attribute: str = strawberry.field(description="The attribute's key.")
    option: str = strawberry.field(description="The option's key.")


@strawberry.type(
    description="Your own part in a round. In an anonymous round, answers show only until "
    "submitted: after that nothing links them to you."
)
class MyRoundResponse:
    status: ParticipationStatusEnum = strawberry.field(description="Invited, saved, submitted.")
    mode: RoundModeEnum = strawberry.field(description="Read it before answering.")
    answers: list[SavedAnswer] = strawberry.field(description="Saved so far.")
    attributes: list[DeclaredAttribute] = strawberry.field(description="Declared so far.")

    @classmethod
    def from_record(cls, record: MyResponseRead) -> MyRoundResponse:
        return cls(
            status=ParticipationStatusEnum(record.status.value),
            mode=RoundModeEnum(record.mode.value),
            answers=[
                SavedAnswer(
                    question_id=GlobalId("Question", a.question_id).encode(),
                    value=a.value,
                    comment=a.comment,
                )
                for a in record.answers
            ],
            attributes=[
                DeclaredAttribute(attribute=key, option=option)
                for key, option in record.attributes.items()
            ],
        )


@strawberry.type(description="An instrument sent to an audience between two dates.")
class AssessmentRound:
    id: strawberry.ID = strawberry.field(description="An `AssessmentRound` id.")
    name: str = strawberry.field(description="The round's name.")
    status: RoundStatusEnum = strawberry.field(description="Draft, open or closed.")
    mode: RoundModeEnum = strawberry.field(description="Anonymous or identified.")
    min_group_size: int = strawberry.field(description="No smaller group's figures are shown.")
    opens_at: datetime | None = strawberry.field(description="When it opens by itself.")
    closes_at: datetime = strawberry.field(description="When it closes by itself.")
    record: strawberry.Private[RoundRead]

    @classmethod
    def from_record(cls, record: RoundRead) -> AssessmentRound:
        return cls(
            id=GlobalId("AssessmentRound", record.id).encode(),
            name=record.name,
            status=RoundStatusEnum(record.status.value),
            mode=RoundModeEnum(record.mode.value),
            min_group_size=record.min_group_size,
            opens_at=record.opens_at,
            closes_at=record.closes_at,
            record=record,
        )

    @resolver_field("The instrument asked, with its questions in your language.")
    async def instrument(self, info: Info) -> Instrument | None:
        return await load_instrument(info, self.record.instrument_id)

    @resolver_field("Your own part in it; null when you are not asked in it.")
    async def my_response(self, info: Info) -> MyRoundResponse | None:
        found = await info.context.loaders.my_response_by_round_id.load(self.record.id)
        return None if found is None else MyRoundResponse.from_record(found)


class RoundsOf:
    """The one way the people types reach rounds (lazily)."""

    @staticmethod
    async def open_for_viewer(
        info: Info, person_id: uuid.UUID, first: int, after: str | None
    ) -> Connection[AssessmentRound] | None:
        """The open rounds `person_id` is asked in when they are the viewer; None for anyone
        else."""
        try:
            viewer = await info.context.loaders.viewer_by_caller.load(info.context.caller)
        except ServiceError:  # a token that names nobody (an integration's)
            return None
        if viewer.id != person_id:
            return None
        page = await info.context.clients.assessment.open_rounds(
            info.context.caller, page_size(first), after
        )
        return page_connection(page, AssessmentRound.from_record, after)
