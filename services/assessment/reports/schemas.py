"""The reports contract. A figure the anonymity rules withhold is `null` with the reason beside
it (`below_threshold`, `could_be_inferred`), never 0."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from services.assessment.instruments.schemas import RecommendationsRead
from services.assessment.plans.schemas import PlanRead
from services.assessment.reports.anonymity import Reason


class ManagementShare(BaseModel):
    """Of every respondent's area means (one per respondent and area), the share at levels 1-3
    (Management 1.0) and at levels 4-5 (Management 2.0)."""

    management_1_0: float
    management_2_0: float


class AreaReport(BaseModel):
    key: str
    name: str
    mean: float | None = Field(description="Mean of respondents' own means in this area, 1-5.")
    level: int | None = Field(description="The level of `mean` by the instrument's thresholds.")
    level_counts: dict[str, int] | None = Field(
        description="Respondents whose own mean in this area is at each level, `1` to `5`."
    )
    distribution: dict[str, int] | None = Field(
        description="Answers at each point of the scale (reverse-scored items turned)."
    )
    share: ManagementShare | None
    withheld: Reason | None


class CommentRead(BaseModel):
    """A comment, in an order drawn afresh on every read; no date, no author."""

    question_id: uuid.UUID
    text: str


class GroupReport(BaseModel):
    round_id: uuid.UUID
    team_id: uuid.UUID | None = Field(description="None: the round's whole audience.")
    name: str
    respondents: int | None
    withheld: Reason | None = Field(description="Why this group shows no figures, if it does not.")
    areas: list[AreaReport]
    share: ManagementShare | None = Field(description="Over all areas together.")
    comments: list[CommentRead] | None = Field(description="Only for a group shown.")
    plans: list[PlanRead] = Field(
        description="This group's plans from earlier rounds of the instrument, and this one's."
    )
    recommendations: RecommendationsRead | None = Field(
        description="Next steps from the 5-level model for the group's level (that of the mean "
        "of its area means) and its weak areas (levels 1-3, lowest mean first, at most three), "
        "in the reader's language; null for a group withheld."
    )


class HeatCell(BaseModel):
    area: str
    mean: float | None
    level: int | None


class HeatRow(BaseModel):
    team_id: uuid.UUID | None
    parent_id: uuid.UUID | None
    name: str
    respondents: int | None
    withheld: Reason | None
    cells: list[HeatCell]


class HeatmapRead(BaseModel):
    """Teams by areas; the first row is the whole audience."""

    round_id: uuid.UUID
    areas: list[str]
    rows: list[HeatRow]


class OptionReport(BaseModel):
    option: str = Field(description="An option's key, or `undeclared`.")
    respondents: int | None
    withheld: Reason | None
    cells: list[HeatCell]


class BreakdownRead(BaseModel):
    round_id: uuid.UUID
    team_id: uuid.UUID | None
    attribute: str
    options: list[OptionReport]


class TrendPoint(BaseModel):
    round_id: uuid.UUID
    name: str
    closes_at: datetime
    respondents: int | None
    withheld: Reason | None
    cells: list[HeatCell]


class TrendRead(BaseModel):
    """One group's area means round after round of the same instrument, oldest first."""

    instrument_id: uuid.UUID
    team_id: uuid.UUID | None
    points: list[TrendPoint]
