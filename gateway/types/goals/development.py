"""Development goals: a person's goals for their own growth and their learning plans. Read by
the person, their management chain and HR admins, and by whom the person shares them with;
to anyone else they do not exist (null, as an unknown id)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import Enum

import strawberry

from gateway.context import Info
from gateway.loaders import PageKey
from gateway.types.common import (
    Connection,
    GlobalId,
    Node,
    load_one,
    page_connection,
    page_size,
    resolver_field,
)
from gateway.types.people import Person, load_person
from services.goals.development.schemas import DevelopmentGoalRead, LearningItemRead


@strawberry.enum(name="DevelopmentGoalStatus", description="Whether a goal is still worked on.")
class DevelopmentGoalStatusEnum(Enum):
    ACTIVE = strawberry.enum_value("active", description="Worked on.")
    COMPLETED = strawberry.enum_value("completed", description="Completed by its person.")


@strawberry.enum(
    name="Sharing",
    description="Who reads a development goal beyond its person, their management chain and "
    "HR admins.",
)
class SharingEnum(Enum):
    PRIVATE = strawberry.enum_value("private", description="Nobody else.")
    PEOPLE = strawberry.enum_value("people", description="The people named in `sharedWith`.")
    ORGANISATION = strawberry.enum_value("organisation", description="Everyone signed in.")


@strawberry.enum(name="PlanItemKind", description="How one learns from a plan item.")
class PlanItemKindEnum(Enum):
    COURSE = strawberry.enum_value("course", description="A course or training.")
    MENTORING = strawberry.enum_value("mentoring", description="Time with a mentor.")
    STRETCH_ASSIGNMENT = strawberry.enum_value(
        "stretch_assignment", description="Work a step beyond one's role."
    )
    ON_THE_JOB = strawberry.enum_value("on_the_job", description="Learning while working.")
    READING = strawberry.enum_value("reading", description="A book or an article.")


@strawberry.enum(name="LearningStatus", description="Where a plan item stands.")
class LearningStatusEnum(Enum):
    PLANNED = strawberry.enum_value("planned", description="Not started.")
    IN_PROGRESS = strawberry.enum_value("in_progress", description="Under way.")
    DONE = strawberry.enum_value("done", description="Done.")
    DROPPED = strawberry.enum_value("dropped", description="Given up.")


@strawberry.type(description="One step of a learning plan, with its status and evidence.")
class LearningItem:
    id: strawberry.ID = strawberry.field(description="Opaque id, for `updatePlanItem`.")
    kind: PlanItemKindEnum = strawberry.field(description="How one learns from it.")
    title: str = strawberry.field(description="What to learn from.")
    status: LearningStatusEnum = strawberry.field(description="Where it stands.")
    evidence: str | None = strawberry.field(description="What shows it was done.")
    evidence_url: str | None = strawberry.field(description="A link to the evidence.")
    version: int = strawberry.field(description="`updatePlanItem` takes the one read.")

    @classmethod
    def from_record(cls, record: LearningItemRead) -> LearningItem:
        return cls(
            id=GlobalId("LearningItem", record.id).encode(),
            kind=PlanItemKindEnum(record.kind.value),
            title=record.title,
            status=LearningStatusEnum(record.status.value),
            evidence=record.evidence,
            evidence_url=record.evidence_url,
            version=record.version,
        )


@strawberry.type(description="A person's goal for their own growth, with its learning plan.")
class DevelopmentGoal(Node):
    title: str = strawberry.field(description="What they want to grow in.")
    description: str | None = strawberry.field(description="More about it.")
    skill_ids: list[str] = strawberry.field(
        description="Ids of the directory's skills it builds (as the people service gives them)."
    )
    target_date: date | None = strawberry.field(description="By when, if they set a date.")
    status: DevelopmentGoalStatusEnum = strawberry.field(description="Active or completed.")
    sharing: SharingEnum = strawberry.field(description="Who else reads it.")
    completion_note: str | None = strawberry.field(description="What came of it.")
    completed_at: datetime | None = strawberry.field(description="When it was completed.")
    plan: list[LearningItem] = strawberry.field(description="Its learning plan, oldest first.")
    created_at: datetime = strawberry.field(description="When it was set.")
    version: int = strawberry.field(description="`updateDevelopmentGoal` takes the one read.")
    record: strawberry.Private[DevelopmentGoalRead]

    @classmethod
    def from_record(cls, record: DevelopmentGoalRead) -> DevelopmentGoal:
        return cls(
            id=GlobalId("DevelopmentGoal", record.id).encode(),
            title=record.title,
            description=record.description,
            skill_ids=[str(skill_id) for skill_id in record.skill_ids],
            target_date=record.target_date,
            status=DevelopmentGoalStatusEnum(record.status.value),
            sharing=SharingEnum(record.sharing.value),
            completion_note=record.completion_note,
            completed_at=record.completed_at,
            plan=[LearningItem.from_record(item) for item in record.plan],
            created_at=record.created_at,
            version=record.version,
            record=record,
        )

    @resolver_field("Whose goal it is.")
    async def person(self, info: Info) -> Person | None:
        return await load_person(info, self.record.person_id)

    @resolver_field("The people it is shared with by name (those you may see).")
    async def shared_with(self, info: Info) -> list[Person]:
        found = await info.context.loaders.person_by_id.load_many(self.record.shared_with)
        return [Person.from_record(person) for person in found if person is not None]


async def load_development_goal(info: Info, goal_id: uuid.UUID | None) -> DevelopmentGoal | None:
    return await load_one(
        info.context.loaders.development_goal_by_id, goal_id, DevelopmentGoal.from_record
    )


async def development_goals_of(
    info: Info, person_id: uuid.UUID, first: int, after: str | None
) -> Connection[DevelopmentGoal]:
    """A person's development goals that the caller may read, oldest first."""
    key = PageKey(person_id, page_size(first), after)
    page = await info.context.loaders.development_goals_by_person.load(key)
    info.context.loaders.development_goal_by_id.prime_many({g.id: g for g in page.items})
    return page_connection(page, DevelopmentGoal.from_record, after)
