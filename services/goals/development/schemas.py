"""The development goals API contract: a person's goal for their own growth, the skills it
builds (ids of the directory's skills catalogue), who it is shared with, and its learning
plan of items, each with a status and evidence."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, Field, StringConstraints, field_validator, model_validator

from kit.fields import omitted
from services.goals.schemas import (
    BatchQuery,
    Day,
    Id,
    Lax,
    LongText,
    StrictInput,
    Title,
    broken_rule,
    refuse_null,
)

MAX_SKILLS = 20
MAX_SHARED_WITH = 50
MAX_ITEMS_PER_GOAL = 100
Link = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=2000, pattern=r"^https?://\S+$"),
    Field(description="An `http(s)` address."),
]


class DevelopmentGoalStatus(StrEnum):
    """`active` until its person marks it `completed` (final)."""

    ACTIVE = "active"
    COMPLETED = "completed"


class Sharing(StrEnum):
    """Who reads it beyond the person, their management chain and HR admins: nobody
    (`private`), the people named in `shared_with` (`people`), or everyone signed in
    (`organisation`)."""

    PRIVATE = "private"
    PEOPLE = "people"
    ORGANISATION = "organisation"


class LearningKind(StrEnum):
    COURSE = "course"
    MENTORING = "mentoring"
    STRETCH_ASSIGNMENT = "stretch_assignment"
    ON_THE_JOB = "on_the_job"
    READING = "reading"


class LearningStatus(StrEnum):
    """`planned` → `in_progress` → `done`; or `dropped`. Any may be set again."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


SkillIds = Annotated[
    list[Id],
    Field(
        max_length=MAX_SKILLS,
        description="Skills of the directory's catalogue that it builds (their ids, each "
        "once; 422 `unknown_skill` for an id the catalogue does not hold).",
    ),
]
SharedWith = Annotated[
    list[Id],
    Field(max_length=MAX_SHARED_WITH, description="People who read it (with `sharing: people`)."),
]


def _shared_with_named(sharing: Sharing | None, shared_with: list[uuid.UUID] | None) -> None:
    if sharing == Sharing.PEOPLE and not shared_with:
        raise broken_rule("name_people", "`sharing: people` needs people in `shared_with`")
    if sharing is not None and sharing != Sharing.PEOPLE and shared_with:
        raise broken_rule("shared_with_needs_people", "`shared_with` goes with `sharing: people`")


class LearningItemCreate(StrictInput):
    kind: Annotated[LearningKind, Lax]
    title: Title = Field(description="What to learn from, e.g. a course or a book.")
    status: Annotated[LearningStatus, Lax] = LearningStatus.PLANNED
    evidence: LongText | None = Field(default=None, description="What shows it was done.")
    evidence_url: Link | None = None


class LearningItemUpdate(StrictInput):
    """Only the fields sent change; `null` clears the evidence."""

    kind: Annotated[LearningKind, Lax] | None = omitted()
    title: Title | None = omitted()
    status: Annotated[LearningStatus, Lax] | None = omitted()
    evidence: LongText | None = None
    evidence_url: Link | None = None

    _not_null = field_validator("kind", "title", "status")(refuse_null)


class DevelopmentGoalCreate(StrictInput):
    """A goal for your own growth; it starts `active` and `private` unless shared."""

    title: Title
    description: LongText | None = None
    skill_ids: SkillIds = Field(default_factory=list)
    target_date: Day | None = None
    sharing: Annotated[Sharing, Lax] = Sharing.PRIVATE
    shared_with: SharedWith = Field(default_factory=list)
    plan: list[LearningItemCreate] = Field(
        default_factory=list, max_length=MAX_ITEMS_PER_GOAL, description="Its first items."
    )

    @model_validator(mode="after")
    def _sharing(self) -> Self:
        _shared_with_named(self.sharing, self.shared_with)
        return self


class DevelopmentGoalUpdate(StrictInput):
    """Only the fields sent change; `null` clears the description or the date. Changing
    `sharing` away from `people` needs `shared_with: []` (or sent again with people)."""

    title: Title | None = omitted()
    description: LongText | None = None
    skill_ids: SkillIds | None = omitted()
    target_date: Day | None = None
    sharing: Annotated[Sharing, Lax] | None = omitted()
    shared_with: SharedWith | None = omitted()

    _not_null = field_validator("title", "skill_ids", "sharing", "shared_with")(refuse_null)


class DevelopmentGoalComplete(StrictInput):
    note: LongText | None = Field(default=None, description="What came of it.")


class LearningItemRead(BaseModel):
    id: uuid.UUID
    goal_id: uuid.UUID
    kind: LearningKind
    title: str
    status: LearningStatus
    evidence: str | None
    evidence_url: str | None
    created_at: datetime
    updated_at: datetime
    version: int


class DevelopmentGoalRead(BaseModel):
    id: uuid.UUID
    person_id: uuid.UUID
    title: str
    description: str | None
    skill_ids: list[uuid.UUID] = Field(
        description="Ids of skills of the directory's catalogue, each once (checked with the "
        "people service when added)."
    )
    target_date: date | None
    status: DevelopmentGoalStatus
    sharing: Sharing
    shared_with: list[uuid.UUID]
    completion_note: str | None
    completed_at: datetime | None
    plan: list[LearningItemRead] = Field(description="Its learning plan, oldest item first.")
    created_by: uuid.UUID = Field(description="Who created it (always the person).")
    created_at: datetime
    updated_at: datetime
    version: int


class DevelopmentGoalQuery(BatchQuery):
    """Narrows `GET /v1/development-goals`: those you may see, oldest first."""

    person_id: uuid.UUID | None = Field(default=None, description="Only this person's.")
    status: DevelopmentGoalStatus | None = None
