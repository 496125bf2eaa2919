"""The ideas API contract: an idea and the resources it asks, a peer's review on the three
stated criteria, the idea's standing (from the reviews alone) and its allocation. Nothing
here names the proposer's position: no job title, level or rank is in any idea, and none
orders or filters ideas."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, Field, StringConstraints, field_validator, model_validator

from kit.fields import WholeNumber, omitted
from services.goals.schemas import (
    BatchQuery,
    Id,
    Lax,
    LongText,
    ObjectiveCreate,
    Remark,
    StrictInput,
    Title,
    broken_rule,
    refuse_null,
)

CENT = Decimal("0.01")
# Fewer reviews than this show no means: with one or two, a mean is one reviewer's scores.
MIN_REVIEWS_FOR_STANDING = 3
# The comments of an idea's reviews read at once, at most.
MAX_COMMENTS = 500


class IdeaStatus(StrEnum):
    """`proposed` → `under_review` (its first review) → `allocated` or `declined` (HR
    admins); its proposer may withdraw it (`withdrawn`) until then. The last three are final."""

    PROPOSED = "proposed"
    UNDER_REVIEW = "under_review"
    ALLOCATED = "allocated"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


OPEN_STATUSES = (IdeaStatus.PROPOSED, IdeaStatus.UNDER_REVIEW)


class SpawnedKind(StrEnum):
    """What an allocation started: an experiment (of the experiments sub-domain, by id) or an
    objective (created with the allocation)."""

    EXPERIMENT = "experiment"
    OBJECTIVE = "objective"


Currency = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z]{3}$"),
    Field(description="ISO 4217 code, e.g. `EUR`."),
]
PersonDays = Annotated[
    float,
    Field(gt=0, le=100_000, allow_inf_nan=False, description="Working days of people's time."),
]
Amount = Annotated[
    Decimal,
    Lax,
    Field(
        gt=0,
        max_digits=14,
        decimal_places=2,
        allow_inf_nan=False,
        description="An amount of money, at most two decimals (sent as a number or text).",
    ),
]
Criterion = Annotated[int, WholeNumber, Field(ge=1, le=5, description="1 (weak) to 5 (strong).")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class Resources(StrictInput):
    """Time (person-days), money (an amount in a currency), or both; at least one."""

    time_person_days: PersonDays | None = None
    budget_amount: Amount | None = None
    budget_currency: Currency | None = None

    @model_validator(mode="after")
    def _something_in_one_currency(self) -> Self:
        if (self.budget_amount is None) != (self.budget_currency is None):
            raise broken_rule(
                "budget_needs_currency", "Give `budget_amount` and `budget_currency` together"
            )
        if self.time_person_days is None and self.budget_amount is None:
            raise broken_rule("resources_required", "Give `time_person_days`, a budget, or both")
        if self.budget_amount is not None:
            # In cents, however it was written: `800` is `800.00`.
            self.budget_amount = self.budget_amount.quantize(CENT)
        return self


class ResourcesRead(BaseModel):
    time_person_days: float | None
    budget_amount: Decimal | None
    budget_currency: str | None


class IdeaCreate(StrictInput):
    """What the idea is about and what it would take."""

    headline: Title = Field(description="The idea in a few words.")
    problem: Text = Field(description="What is wrong, or missed, today.")
    proposal: Text = Field(description="What to do about it.")
    expected_impact: Text = Field(description="What would be better, and for whom.")
    resources: Resources = Field(description="What it asks for.")


class StandingRead(BaseModel):
    """Where an idea stands with its reviewers: the reviews alone decide it. Means show once
    `MIN_REVIEWS_FOR_STANDING` (3) reviewers have reviewed it, null before."""

    review_count: int
    impact: float | None = Field(description="Mean of the reviews' `impact`, 1 to 5.")
    evidence: float | None = Field(description="Mean of the reviews' `evidence`, 1 to 5.")
    feasibility: float | None = Field(description="Mean of the reviews' `feasibility`, 1 to 5.")
    overall: float | None = Field(description="Mean of the three criteria over all reviews.")


class AllocationRead(BaseModel):
    granted: ResourcesRead
    note: str | None
    allocated_by: uuid.UUID = Field(description="The HR admin who allocated it.")
    spawned_kind: SpawnedKind | None
    spawned_id: uuid.UUID | None = Field(description="The experiment or objective it started.")
    allocated_at: datetime


class IdeaRead(BaseModel):
    id: uuid.UUID
    headline: str
    problem: str
    proposal: str
    expected_impact: str
    resources: ResourcesRead = Field(description="What it asks for.")
    status: IdeaStatus
    proposer_id: uuid.UUID
    standing: StandingRead
    allocation: AllocationRead | None
    closing_note: str | None = Field(description="Why it was declined or withdrawn.")
    created_at: datetime
    updated_at: datetime
    version: int


class IdeaQuery(BatchQuery):
    """Narrows `GET /v1/ideas`: oldest first, the only order there is."""

    status: IdeaStatus | None = None
    proposer_id: uuid.UUID | None = None


class IdeaClose(StrictInput):
    note: LongText | None = Field(default=None, description="Why, for the proposer.")


class ReviewCreate(StrictInput):
    """A review on the stated criteria, each 1 to 5, with a comment."""

    impact: Criterion = Field(description="How much better things would be.")
    evidence: Criterion = Field(description="How well the problem and the remedy are shown.")
    feasibility: Criterion = Field(description="How likely it is to work with what it asks.")
    comment: Remark = Field(description="Why, for the proposer (shown without your name).")


class ReviewUpdate(StrictInput):
    """Only the fields sent change; none may be null."""

    impact: Criterion | None = omitted()
    evidence: Criterion | None = omitted()
    feasibility: Criterion | None = omitted()
    comment: Remark | None = omitted()

    _not_null = field_validator("impact", "evidence", "feasibility", "comment")(refuse_null)


class ReviewRead(BaseModel):
    """Your own review: only its reviewer ever reads it whole."""

    id: uuid.UUID
    idea_id: uuid.UUID
    reviewer_id: uuid.UUID
    impact: int
    evidence: int
    feasibility: int
    comment: str
    created_at: datetime
    updated_at: datetime
    version: int


class IdeaReviewsRead(BaseModel):
    """An idea's reviews as the caller may read them: their own whole, and the comments of
    all, without names or scores, in an order that tells nothing of who or when."""

    idea_id: uuid.UUID
    standing: StandingRead
    mine: ReviewRead | None
    comments: list[str]


class AllocationCreate(StrictInput):
    """The resources granted, and what the idea starts: an existing experiment
    (`experiment_id`) or a new objective (`objective`), or neither."""

    granted: Resources
    note: LongText | None = None
    experiment_id: Id | None = Field(default=None, description="An experiment it starts.")
    objective: ObjectiveCreate | None = Field(
        default=None, description="An objective to create for it, as `POST /v1/objectives`."
    )

    @model_validator(mode="after")
    def _one_spawn(self) -> Self:
        if self.experiment_id is not None and self.objective is not None:
            raise broken_rule("one_spawn", "Give `experiment_id` or `objective`, not both")
        return self
