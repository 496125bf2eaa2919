"""The check-ins API contract: where a key result stands now (with a confidence), the
check-ins of many key results at once, and whose check-ins are due."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kit.fields import WholeNumber
from services.goals.keyresults.schemas import MAX_MILESTONES, KeyResultRead
from services.goals.schemas import (
    DEFAULT_PER_PARENT,
    BatchIdList,
    CheckInStatus,
    Group,
    Id,
    Lax,
    ListQuery,
    LongText,
    Moment,
    Number,
    PerParent,
    Query,
    StrictInput,
    broken_rule,
)

Confidence = Annotated[
    int, WholeNumber, Field(ge=0, le=10, description="0 (no chance) to 10 (certain).")
]


class MilestoneUpdate(StrictInput):
    id: Id = Field(description="A milestone of the key result.")
    done: bool


class CheckInCreate(StrictInput):
    """Where a key result stands now: a `value` (increase, decrease, stay above or below),
    `done` (binary) or `milestones` marked done or not (milestones)."""

    value: Number | None = Field(default=None, description="Becomes the key result's `current`.")
    done: bool | None = Field(default=None, description="For a `binary` key result.")
    milestones: list[MilestoneUpdate] | None = Field(
        default=None, min_length=1, max_length=MAX_MILESTONES, description="For `milestones`."
    )
    confidence: Confidence
    status: Annotated[CheckInStatus, Lax] | None = Field(
        default=None,
        description="If omitted, from `confidence`: 7-10 `on_track`, 4-6 `at_risk`, 0-3 "
        "`off_track`.",
    )
    note: LongText | None = None
    as_of: Moment | None = Field(
        default=None,
        description="When it was taken, if earlier than now (recorded after the meeting): "
        "with its offset, not in the future, not before the cycle starts nor before the key "
        "result's latest check-in.",
    )

    @model_validator(mode="after")
    def _one_reading(self) -> Self:
        given = [self.value is not None, self.done is not None, self.milestones is not None]
        if sum(given) != 1:
            raise broken_rule("one_reading", "Give one of `value`, `done` or `milestones`")
        if self.milestones is not None and len({m.id for m in self.milestones}) != len(
            self.milestones
        ):
            raise broken_rule("milestone_repeated", "Each milestone at most once")
        return self


class CheckInRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    key_result_id: uuid.UUID
    value: float = Field(description="The key result's `current` after it.")
    confidence: int
    status: CheckInStatus
    milestone_updates: list[MilestoneUpdate] | None = Field(
        default=None, description="The milestones it marked (`milestones` key results)."
    )
    note: str | None
    author_id: uuid.UUID
    created_at: datetime


class CheckInsByKeyResultQuery(Query):
    key_result_id: BatchIdList = Field(description="Key results whose check-ins to read.")
    per_key_result: PerParent = Field(default=DEFAULT_PER_PARENT, description="Per key result.")


class KeyResultCheckInsRead(Group):
    """The check-ins of one key result, oldest first; `next_cursor` continues
    `GET /v1/key-results/{key_result_id}/check-ins`."""

    key_result_id: uuid.UUID
    items: list[CheckInRead]


class CheckInsByKeyResultRead(BaseModel):
    """One group per key result asked, in the order asked; a key result you may not read (or
    that does not exist) has an empty group."""

    groups: list[KeyResultCheckInsRead]


class DueQuery(ListQuery):
    """Whose check-ins are due: one person or one team."""

    person_id: uuid.UUID | None = Field(
        default=None, description="Key results they own, or of objectives they own."
    )
    team_id: uuid.UUID | None = Field(default=None, description="Key results of its objectives.")

    @model_validator(mode="after")
    def _one_subject(self) -> Self:
        if (self.person_id is None) == (self.team_id is None):
            raise broken_rule("one_subject", "Give exactly one of `person_id` and `team_id`")
        return self


class DueCheckInRead(BaseModel):
    """A key result of an active cycle nobody has checked in on for a while."""

    key_result: KeyResultRead
    last_checked_in_at: datetime | None = Field(description="Null if never checked in on.")
    due_since: datetime = Field(description="When the check-in became due.")
