"""Ideas: proposed by anyone, reviewed by peers on stated criteria, resourced on their quality.
An idea carries its standing (from its reviews alone) and nothing of its proposer's position;
a review is read whole by its reviewer alone."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum
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
from gateway.types.people import Person, load_person
from services.goals.ideas.schemas import (
    AllocationRead,
    IdeaRead,
    IdeaReviewsRead,
    IdeaStatus,
    ResourcesRead,
    ReviewRead,
    StandingRead,
)


@strawberry.enum(name="IdeaStatus", description="Where an idea is in its life.")
class IdeaStatusEnum(Enum):
    PROPOSED = strawberry.enum_value("proposed", description="Proposed; no review yet.")
    UNDER_REVIEW = strawberry.enum_value("under_review", description="Peers review it.")
    ALLOCATED = strawberry.enum_value("allocated", description="Granted resources (final).")
    DECLINED = strawberry.enum_value("declined", description="Declined by HR (final).")
    WITHDRAWN = strawberry.enum_value("withdrawn", description="Withdrawn by its proposer.")


@strawberry.enum(name="SpawnedKind", description="What an allocation started.")
class SpawnedKindEnum(Enum):
    EXPERIMENT = strawberry.enum_value("experiment", description="An experiment.")
    OBJECTIVE = strawberry.enum_value("objective", description="An objective.")


@strawberry.type(description="Time (person-days) and money (an amount in a currency).")
class Resources:
    time_person_days: float | None = strawberry.field(description="Working days of people.")
    budget_amount: str | None = strawberry.field(
        description="An amount of money as decimal text, e.g. `1200.50`."
    )
    budget_currency: str | None = strawberry.field(description="ISO 4217 code, e.g. `EUR`.")

    @classmethod
    def from_record(cls, record: ResourcesRead) -> Resources:
        amount = record.budget_amount
        return cls(
            time_person_days=record.time_person_days,
            budget_amount=str(amount) if amount is not None else None,
            budget_currency=record.budget_currency,
        )


@strawberry.type(
    description="Where an idea stands with its reviewers, from the reviews alone: their count, "
    "and from three reviews on the means (1 to 5) per criterion and overall."
)
class IdeaStanding:
    review_count: int = strawberry.field(description="How many peers reviewed it.")
    impact: float | None = strawberry.field(description="Mean impact; null under three reviews.")
    evidence: float | None = strawberry.field(description="Mean evidence; null under three.")
    feasibility: float | None = strawberry.field(description="Mean feasibility; null under three.")
    overall: float | None = strawberry.field(description="Mean of all three; null under three.")

    @classmethod
    def from_record(cls, record: StandingRead) -> IdeaStanding:
        return cls(
            review_count=record.review_count,
            impact=record.impact,
            evidence=record.evidence,
            feasibility=record.feasibility,
            overall=record.overall,
        )


@strawberry.type(description="Your own review of an idea: nobody else ever reads it whole.")
class IdeaReview:
    id: strawberry.ID = strawberry.field(description="Opaque id, for `updateIdeaReview`.")
    impact: int = strawberry.field(description="1 to 5.")
    evidence: int = strawberry.field(description="1 to 5.")
    feasibility: int = strawberry.field(description="1 to 5.")
    comment: str = strawberry.field(description="Why (shown to others without your name).")
    version: int = strawberry.field(description="`updateIdeaReview` takes the one read.")

    @classmethod
    def from_record(cls, record: ReviewRead) -> IdeaReview:
        return cls(
            id=GlobalId("IdeaReview", record.id).encode(),
            impact=record.impact,
            evidence=record.evidence,
            feasibility=record.feasibility,
            comment=record.comment,
            version=record.version,
        )


@strawberry.type(
    description="An idea's reviews as you may read them: your own whole, and every review's "
    "comment without its reviewer or scores, in an order that tells nothing of who or when."
)
class IdeaReviews:
    mine: IdeaReview | None = strawberry.field(description="Your review; null if none.")
    comments: list[str] = strawberry.field(description="Every review's comment, unsigned.")

    @classmethod
    def from_record(cls, record: IdeaReviewsRead) -> IdeaReviews:
        mine = IdeaReview.from_record(record.mine) if record.mine is not None else None
        return cls(mine=mine, comments=record.comments)


@strawberry.type(description="The resources an idea was granted, by whom, and what it started.")
class IdeaAllocation:
    granted: Resources = strawberry.field(description="What was granted.")
    note: str | None = strawberry.field(description="A word from who allocated it.")
    spawned_kind: SpawnedKindEnum | None = strawberry.field(description="What it started.")
    spawned_id: strawberry.ID | None = strawberry.field(
        description="The global id of the `Objective` or `Experiment` it started."
    )
    allocated_at: datetime = strawberry.field(description="When.")
    record: strawberry.Private[AllocationRead]

    @classmethod
    def from_record(cls, record: AllocationRead) -> IdeaAllocation:
        kind, spawned = record.spawned_kind, record.spawned_id
        spawned_id = None
        if kind is not None and spawned is not None:
            spawned_id = GlobalId(kind.value.title(), spawned).encode()
        return cls(
            granted=Resources.from_record(record.granted),
            note=record.note,
            spawned_kind=SpawnedKindEnum(kind.value) if kind is not None else None,
            spawned_id=spawned_id,
            allocated_at=record.allocated_at,
            record=record,
        )

    @resolver_field("The HR admin who allocated it.")
    async def allocated_by(self, info: Info) -> Person | None:
        return await load_person(info, self.record.allocated_by)


@strawberry.type(
    description="A proposal anyone makes; its standing comes from its peers' reviews, never "
    "from who proposed it."
)
class Idea(Node):
    headline: str = strawberry.field(description="The idea in a few words.")
    problem: str = strawberry.field(description="What is wrong, or missed, today.")
    proposal: str = strawberry.field(description="What to do about it.")
    expected_impact: str = strawberry.field(description="What would be better, for whom.")
    resources: Resources = strawberry.field(description="What it asks for.")
    status: IdeaStatusEnum = strawberry.field(description="Where it is in its life.")
    standing: IdeaStanding = strawberry.field(description="Where it stands with its reviewers.")
    allocation: IdeaAllocation | None = strawberry.field(description="Once allocated.")
    closing_note: str | None = strawberry.field(description="Why declined or withdrawn.")
    created_at: datetime = strawberry.field(description="When it was proposed.")
    version: int = strawberry.field(description="Changes with every change of the idea.")
    record: strawberry.Private[IdeaRead]

    @classmethod
    def from_record(cls, record: IdeaRead) -> Idea:
        allocation = record.allocation
        return cls(
            id=GlobalId("Idea", record.id).encode(),
            headline=record.headline,
            problem=record.problem,
            proposal=record.proposal,
            expected_impact=record.expected_impact,
            resources=Resources.from_record(record.resources),
            status=IdeaStatusEnum(record.status.value),
            standing=IdeaStanding.from_record(record.standing),
            allocation=IdeaAllocation.from_record(allocation) if allocation else None,
            closing_note=record.closing_note,
            created_at=record.created_at,
            version=record.version,
            record=record,
        )

    @resolver_field("Who proposed it.")
    async def proposer(self, info: Info) -> Person | None:
        return await load_person(info, self.record.proposer_id)

    @resolver_field("Its reviews as you may read them (one request per idea: ask it of few ideas).")
    async def reviews(self, info: Info) -> IdeaReviews | None:
        found = await info.context.loaders.reviews_by_idea_id.load(self.record.id)
        return IdeaReviews.from_record(found)


async def load_idea(info: Info, idea_id: uuid.UUID | None) -> Idea | None:
    return await load_one(info.context.loaders.idea_by_id, idea_id, Idea.from_record)


@resolver_field("Ideas, oldest first (never by standing or proposer), in one status or all.")
async def ideas(
    info: Info,
    first: First = DEFAULT_PAGE_SIZE,
    after: After = None,
    status: Annotated[
        IdeaStatusEnum | None, strawberry.argument(description="Only those in this status.")
    ] = None,
) -> Connection[Idea] | None:
    page = await info.context.clients.goals.list_ideas(
        info.context.caller,
        limit=page_size(first),
        cursor=after,
        status=IdeaStatus[status.name] if status is not None else None,
    )
    info.context.loaders.idea_by_id.prime_many({item.id: item for item in page.items})
    return page_connection(page, Idea.from_record, after)
