"""Proposing ideas, reviewing them and allocating resources to them."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import strawberry

from gateway.clients import GoalsClient
from gateway.context import Info
from gateway.errors import InvalidInput, Refusal, mutate
from gateway.types.common import UserError, idempotency_key, input_id, resolver_field
from gateway.types.goals.ideas import Idea, IdeaReview
from services.goals.ideas.schemas import (
    AllocationCreate,
    IdeaCreate,
    Resources,
    ReviewCreate,
    ReviewUpdate,
)
from services.goals.schemas import ObjectiveCreate


@strawberry.input(description="Time (person-days), money (an amount in a currency), or both.")
class ResourcesInput:
    time_person_days: float | None = strawberry.field(default=None, description="Person-days.")
    budget_amount: str | None = strawberry.field(
        default=None, description="Decimal text with at most two decimals, e.g. `1200.50`."
    )
    budget_currency: str | None = strawberry.field(
        default=None, description="ISO 4217 code, e.g. `EUR`; with `budgetAmount`."
    )


def _resources(given: ResourcesInput, *path: str) -> Resources:
    fields: dict[str, Any] = {}
    if given.time_person_days is not None:
        fields["time_person_days"] = given.time_person_days
    if given.budget_amount is not None:
        try:
            fields["budget_amount"] = Decimal(given.budget_amount)
        except InvalidOperation:
            refused = Refusal(
                "An amount is decimal text, e.g. `1200.50`.",
                "invalid_amount",
                ["input", *path, "budgetAmount"],
            )
            raise InvalidInput(refused) from None
    if given.budget_currency is not None:
        fields["budget_currency"] = given.budget_currency
    return Resources.model_construct(**fields)


@strawberry.input(description="An idea: what is wrong, what to do, what it would bring and take.")
class ProposeIdeaInput:
    headline: str = strawberry.field(description="The idea in a few words (up to 200).")
    problem: str = strawberry.field(description="What is wrong, or missed, today.")
    proposal: str = strawberry.field(description="What to do about it.")
    expected_impact: str = strawberry.field(description="What would be better, for whom.")
    resources: ResourcesInput = strawberry.field(description="What it asks for.")
    idempotency_key: str | None = idempotency_key("the idea is proposed")


@strawberry.type(description="The idea was proposed.")
class ProposeIdeaPayload:
    idea: Idea = strawberry.field(description="The new idea, `PROPOSED`.")


@strawberry.type(
    description="The idea was not proposed: e.g. `resources_required`, `budget_needs_currency`, "
    "`invalid_amount`, `forbidden`, `validation_failed`."
)
class ProposeIdeaError(UserError):
    pass


ProposeIdeaResult = Annotated[
    ProposeIdeaPayload | ProposeIdeaError,
    strawberry.union("ProposeIdeaResult", description="The idea, or why not."),
]


@strawberry.input(description="A review on the three criteria, 1 to 5 each, with a comment.")
class ReviewIdeaInput:
    idea_id: strawberry.ID = strawberry.field(description="An `Idea` id (not your own).")
    impact: int = strawberry.field(description="How much better things would be, 1 to 5.")
    evidence: int = strawberry.field(description="How well it is shown, 1 to 5.")
    feasibility: int = strawberry.field(description="How likely it works, 1 to 5.")
    comment: str = strawberry.field(description="Why (shown to others without your name).")
    idempotency_key: str | None = idempotency_key("the review is made")


@strawberry.type(description="The review was made.")
class ReviewIdeaPayload:
    review: IdeaReview = strawberry.field(description="Your review.")


@strawberry.type(
    description="The review was not made: e.g. `own_idea`, `already_reviewed`, `idea_decided`, "
    "`idea_not_found`, `forbidden`, `validation_failed`, `invalid_id`."
)
class ReviewIdeaError(UserError):
    pass


ReviewIdeaResult = Annotated[
    ReviewIdeaPayload | ReviewIdeaError,
    strawberry.union("ReviewIdeaResult", description="The review, or why not."),
]


@strawberry.input(description="A change to your review: only the fields given change.")
class UpdateIdeaReviewInput:
    review_id: strawberry.ID = strawberry.field(description="An `IdeaReview.id` of yours.")
    version: int = strawberry.field(description="The `IdeaReview.version` you read.")
    impact: int | None = strawberry.field(default=strawberry.UNSET, description="1 to 5.")
    evidence: int | None = strawberry.field(default=strawberry.UNSET, description="1 to 5.")
    feasibility: int | None = strawberry.field(default=strawberry.UNSET, description="1 to 5.")
    comment: str | None = strawberry.field(default=strawberry.UNSET, description="Why.")


@strawberry.type(description="The review was changed.")
class UpdateIdeaReviewPayload:
    review: IdeaReview = strawberry.field(description="Your review as it is now.")


@strawberry.type(
    description="The review was not changed: e.g. `stale_version`, `idea_decided`, "
    "`review_not_found`, `validation_failed`, `invalid_id`."
)
class UpdateIdeaReviewError(UserError):
    pass


UpdateIdeaReviewResult = Annotated[
    UpdateIdeaReviewPayload | UpdateIdeaReviewError,
    strawberry.union("UpdateIdeaReviewResult", description="The review, or why not."),
]


@strawberry.input(description="An objective to create with an allocation.")
class SpawnObjectiveInput:
    cycle_id: strawberry.ID = strawberry.field(description="A `Cycle` id.")
    title: str = strawberry.field(description="The objective's title.")
    owner_id: strawberry.ID = strawberry.field(description="The `Person` who owns it.")


@strawberry.input(
    description="Resources granted to a reviewed idea (HR admins), and what it starts: an "
    "experiment by id, or a new objective; at most one."
)
class AllocateIdeaInput:
    idea_id: strawberry.ID = strawberry.field(description="An `Idea` id.")
    granted: ResourcesInput = strawberry.field(description="What is granted.")
    note: str | None = strawberry.field(default=None, description="A word for the proposer.")
    experiment_id: strawberry.ID | None = strawberry.field(
        default=None, description="An `Experiment` it starts."
    )
    objective: SpawnObjectiveInput | None = strawberry.field(
        default=None, description="An objective to create for it."
    )
    idempotency_key: str | None = idempotency_key("the idea is allocated")


@strawberry.type(description="The idea was allocated.")
class AllocateIdeaPayload:
    idea: Idea = strawberry.field(description="The idea, `ALLOCATED`, with its allocation.")


@strawberry.type(
    description="The idea was not allocated: e.g. `not_reviewed`, `idea_decided`, `one_spawn`, "
    "`unknown_cycle`, `idea_not_found`, `forbidden`, `validation_failed`, `invalid_id`."
)
class AllocateIdeaError(UserError):
    pass


AllocateIdeaResult = Annotated[
    AllocateIdeaPayload | AllocateIdeaError,
    strawberry.union("AllocateIdeaResult", description="The idea, or why not."),
]


@resolver_field("Propose an idea; anyone signed in may.")
async def propose_idea(
    info: Info,
    input: Annotated[ProposeIdeaInput, strawberry.argument(description="The idea.")],
) -> ProposeIdeaResult | None:
    async def change() -> ProposeIdeaPayload:
        body = IdeaCreate.model_construct(
            headline=input.headline,
            problem=input.problem,
            proposal=input.proposal,
            expected_impact=input.expected_impact,
            resources=_resources(input.resources, "resources"),
        )
        made = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.propose_idea,
            body=body,
            idempotency_key=input.idempotency_key,
        )
        return ProposeIdeaPayload(idea=Idea.from_record(made))

    return await mutate(ProposeIdeaError, change)


@resolver_field("Review a peer's idea on impact, evidence and feasibility, once.")
async def review_idea(
    info: Info,
    input: Annotated[ReviewIdeaInput, strawberry.argument(description="The review.")],
) -> ReviewIdeaResult | None:
    async def change() -> ReviewIdeaPayload:
        idea_id = input_id("Idea", input.idea_id, "ideaId").id
        body = ReviewCreate.model_construct(
            impact=input.impact,
            evidence=input.evidence,
            feasibility=input.feasibility,
            comment=input.comment,
        )
        made = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.review_idea,
            idea_id,
            body=body,
            idempotency_key=input.idempotency_key,
        )
        return ReviewIdeaPayload(review=IdeaReview.from_record(made))

    return await mutate(ReviewIdeaError, change)


@resolver_field("Change your review of an idea while it is open, at the version you read.")
async def update_idea_review(
    info: Info,
    input: Annotated[UpdateIdeaReviewInput, strawberry.argument(description="The change.")],
) -> UpdateIdeaReviewResult | None:
    async def change() -> UpdateIdeaReviewPayload:
        review_id = input_id("IdeaReview", input.review_id, "reviewId").id
        names = ("impact", "evidence", "feasibility", "comment")
        fields = {
            name: getattr(input, name)
            for name in names
            if getattr(input, name) is not strawberry.UNSET
        }
        changed = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.update_idea_review,
            review_id,
            body=ReviewUpdate.model_construct(**fields),
            version=input.version,
        )
        return UpdateIdeaReviewPayload(review=IdeaReview.from_record(changed))

    return await mutate(UpdateIdeaReviewError, change)


@resolver_field(
    "Grant a reviewed idea resources (HR admins), starting an experiment or a new objective."
)
async def allocate_idea(
    info: Info,
    input: Annotated[AllocateIdeaInput, strawberry.argument(description="The allocation.")],
) -> AllocateIdeaResult | None:
    async def change() -> AllocateIdeaPayload:
        idea_id = input_id("Idea", input.idea_id, "ideaId").id
        fields: dict[str, Any] = {"granted": _resources(input.granted, "granted")}
        if input.note is not None:
            fields["note"] = input.note
        if input.experiment_id is not None:
            experiment = input_id("Experiment", input.experiment_id, "experimentId")
            fields["experiment_id"] = experiment.id
        if input.objective is not None:
            spawn = input.objective
            fields["objective"] = ObjectiveCreate.model_construct(
                cycle_id=input_id("Cycle", spawn.cycle_id, "objective", "cycleId").id,
                title=spawn.title,
                owner_person_id=input_id("Person", spawn.owner_id, "objective", "ownerId").id,
            )
        made = await info.context.clients.goals.write(
            info.context.caller,
            GoalsClient.allocate_idea,
            idea_id,
            body=AllocationCreate.model_construct(**fields),
            idempotency_key=input.idempotency_key,
        )
        return AllocateIdeaPayload(idea=Idea.from_record(made))

    return await mutate(AllocateIdeaError, change, {"experiment_id": "experimentId"})
