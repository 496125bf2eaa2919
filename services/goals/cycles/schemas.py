"""The cycles API contract: a cycle and how it moves on, the report of a cycle by team (never
by person), and an objective's closing score."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kit.fields import omitted
from services.goals.schemas import (
    BatchQuery,
    CycleStatus,
    Day,
    Lax,
    Name,
    Remark,
    Score,
    StrictInput,
    broken_rule,
    refuse_null,
)


class CycleCreate(StrictInput):
    name: Name
    starts_on: Day
    ends_on: Day = Field(description="After `starts_on`.")
    status: Annotated[CycleStatus, Lax] = Field(
        default=CycleStatus.PLANNING, description="`planning` (default) or `active`."
    )

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.ends_on <= self.starts_on:
            raise broken_rule("end_not_after_start", "`ends_on` must be after `starts_on`")
        if self.status == CycleStatus.CLOSED:
            raise broken_rule(
                "created_closed", "A cycle starts `planning` or `active`; close it later"
            )
        return self


class CycleUpdate(StrictInput):
    """Only the fields sent change. `status` moves a cycle on (`planning` → `active` →
    `closed`) or reopens a closed one (`active`)."""

    name: Name | None = omitted()
    starts_on: Day | None = omitted()
    ends_on: Day | None = omitted()
    status: Annotated[CycleStatus, Lax] | None = omitted()

    _not_null = field_validator("name", "starts_on", "ends_on", "status")(refuse_null)


class CycleRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    starts_on: date
    ends_on: date
    status: CycleStatus
    closed_at: datetime | None = Field(default=None, description="When it was last closed.")
    closed_by: uuid.UUID | None = Field(default=None, description="Who closed it.")
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Changes on every update; the `ETag` of single reads.")


class CycleQuery(BatchQuery):
    status: CycleStatus | None = None


class TeamScoresRead(BaseModel):
    """The objectives a team and its sub-teams own in a cycle, taken together (or the
    company's own); never a person's."""

    team_id: uuid.UUID | None = Field(description="Null for the company's own objectives.")
    objectives: int = Field(
        description="How many objectives it and its sub-teams (however deep) own in the cycle."
    )
    progress: float | None = Field(description="Mean progress of those with key results.")
    final_score: float | None = Field(description="Mean final score, once the cycle closed.")
    at_risk: int = Field(description="Objectives with a key result at risk or off track.")


class CycleReportRead(BaseModel):
    """A cycle by team: scores are aggregated per team (and for the company), never per
    person; objectives owned by people are counted, never scored."""

    cycle_id: uuid.UUID
    status: CycleStatus
    people_objectives: int = Field(description="Objectives owned by people (not scored here).")
    teams: list[TeamScoresRead] = Field(description="The company first, then teams by id.")


class ClosingSubmit(StrictInput):
    """An objective's final score and what was learnt, before or when its cycle closes."""

    score: Score = Field(description="0.0 to 1.0.")
    retrospective: Remark = Field(description="What went well, what was learnt.")
