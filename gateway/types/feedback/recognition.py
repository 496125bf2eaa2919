"""Recognition: public thanks from one person to others, tagged with company values (which HR
admins keep), with reactions counted by kind; the feed of the organisation or of a team."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import strawberry

from gateway.context import Info
from gateway.types.common import (
    DEFAULT_PAGE_SIZE,
    After,
    Connection,
    First,
    GlobalId,
    Node,
    load_one,
    page_connection,
    page_size,
    resolver_field,
)
from gateway.types.feedback.contracts import (
    CompanyValueRead,
    Learning,
    LearningKind,
    RecognitionRead,
)
from gateway.types.feedback.enums import LearningKindEnum, ReactionKindEnum
from gateway.types.feedback.feedback import LazyObjective, objective_of
from gateway.types.people import Person, load_person


@strawberry.type(description="A value of the company that recognitions (and feedback) are about.")
class CompanyValue(Node):
    name: str = strawberry.field(description="Unique among the values, archived ones included.")
    description: str | None = strawberry.field(description="What it means, in a few lines.")
    archived: bool = strawberry.field(description="An archived value tags no new recognition.")
    created_at: datetime = strawberry.field(description="When it was added.")
    version: int = strawberry.field(
        description="Changes on every update; `updateCompanyValue` takes it."
    )

    @classmethod
    def from_record(cls, record: CompanyValueRead) -> CompanyValue:
        return cls(
            id=GlobalId("CompanyValue", record.id).encode(),
            name=record.name,
            description=record.description,
            archived=record.archived,
            created_at=record.created_at,
            version=record.version,
        )


@strawberry.type(description="How many people reacted to a recognition in one way.")
class ReactionCount:
    kind: ReactionKindEnum = strawberry.field(description="The reaction.")
    count: int = strawberry.field(description="How many people reacted so.")


@strawberry.type(
    description="A learning a recognition honours: an experiment or an objective of the goals "
    "service. The lesson is recognised, never the score: no figure of it is here."
)
class RecognizedLearning:
    kind: LearningKindEnum = strawberry.field(description="An experiment or an objective.")
    experiment_id: str | None = strawberry.field(
        description="The experiment's id in the goals service; null for an objective."
    )
    record: strawberry.Private[Learning]

    @classmethod
    def from_record(cls, record: Learning) -> RecognizedLearning:
        experiment = record.kind is LearningKind.EXPERIMENT
        return cls(
            kind=LearningKindEnum(record.kind.value),
            experiment_id=str(record.id) if experiment else None,
            record=record,
        )

    @resolver_field("The objective; null for an experiment, or an objective you may not see.")
    async def objective(self, info: Info) -> LazyObjective | None:
        if self.record.kind is not LearningKind.OBJECTIVE:
            return None
        return await objective_of(info, self.record.id)


@strawberry.type(
    description="Public thanks from one person to one or more colleagues, with the company "
    "values it shows; everyone signed in reads it."
)
class Recognition(Node):
    message: str = strawberry.field(description="What the giver wrote.")
    reactions: list[ReactionCount] = strawberry.field(
        description="How many people reacted, by kind (kinds nobody used left out)."
    )
    my_reactions: list[ReactionKindEnum] = strawberry.field(description="Your own reactions.")
    learning: RecognizedLearning | None = strawberry.field(
        description="The learning it recognises, if any."
    )
    created_at: datetime = strawberry.field(description="When it was given.")
    record: strawberry.Private[RecognitionRead]

    @classmethod
    def from_record(cls, record: RecognitionRead) -> Recognition:
        return cls(
            id=GlobalId("Recognition", record.id).encode(),
            message=record.message,
            reactions=[
                ReactionCount(kind=ReactionKindEnum(kind.value), count=count)
                for kind, count in record.reactions.items()
                if count
            ],
            my_reactions=[ReactionKindEnum(kind.value) for kind in record.my_reactions],
            learning=None
            if record.learning is None
            else RecognizedLearning.from_record(record.learning),
            created_at=record.created_at,
            record=record,
        )

    @resolver_field("Who gave it.")
    async def giver(self, info: Info) -> Person | None:
        return await load_person(info, self.record.giver_id)

    @resolver_field("Whom it recognises (those you may see).")
    async def recipients(self, info: Info) -> list[Person]:
        found = await info.context.loaders.person_by_id.load_many(self.record.recipient_ids)
        return [Person.from_record(record) for record in found if record is not None]

    @resolver_field("The company values it shows.")
    async def values(self, info: Info) -> list[CompanyValue]:
        records = await info.context.loaders.company_value_by_id.load_many(self.record.value_ids)
        return [CompanyValue.from_record(record) for record in records if record is not None]


async def load_recognition(info: Info, recognition_id: uuid.UUID | None) -> Recognition | None:
    return await load_one(
        info.context.loaders.recognition_by_id, recognition_id, Recognition.from_record
    )


async def load_company_value(info: Info, value_id: uuid.UUID | None) -> CompanyValue | None:
    return await load_one(
        info.context.loaders.company_value_by_id, value_id, CompanyValue.from_record
    )


def remember(info: Info, record: RecognitionRead | CompanyValueRead) -> None:
    """A changed recognition or value is what this request reads of it from now on."""
    if isinstance(record, RecognitionRead):
        info.context.loaders.recognition_by_id.prime(record.id, record, force=True)
    else:
        info.context.loaders.company_value_by_id.prime(record.id, record, force=True)


@resolver_field("A recognition by id; null when there is none by this id.")
async def recognition(
    info: Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="A `Recognition` id.")],
) -> Recognition | None:
    return await load_recognition(info, GlobalId.decode_as("Recognition", id))


@resolver_field(
    "The organisation's recognition feed, oldest first; with `team`, recognitions of members "
    "of that team or a team below it."
)
async def recognition_feed(
    info: Info,
    first: First = DEFAULT_PAGE_SIZE,
    after: After = None,
    team: Annotated[strawberry.ID | None, strawberry.argument(description="A `Team` id.")] = None,
) -> Connection[Recognition] | None:
    team_id = None if team is None else GlobalId.decode_as("Team", team)
    page = await info.context.clients.feedback.recognition_feed(
        info.context.caller, team_id, page_size(first), after
    )
    info.context.loaders.recognition_by_id.prime_many({r.id: r for r in page.items})
    return page_connection(page, Recognition.from_record, after)


@resolver_field("The company's values, oldest first.")
async def company_values(
    info: Info,
    first: First = DEFAULT_PAGE_SIZE,
    after: After = None,
    archived: Annotated[
        bool | None,
        strawberry.argument(description="Only archived values (true), or only current (false)."),
    ] = None,
) -> Connection[CompanyValue] | None:
    page = await info.context.clients.feedback.company_values(
        info.context.caller, archived, page_size(first), after
    )
    info.context.loaders.company_value_by_id.prime_many({v.id: v for v in page.items})
    return page_connection(page, CompanyValue.from_record, after)
