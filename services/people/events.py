"""The events the directory publishes: what every other service needs for its org copy, and
never any performance data."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from kit.events import EventCatalogue, EventType
from services.people.schemas import AccessRole, PersonStatus, TeamKind


class PersonPayload(BaseModel):
    """A person as the org copies keep them."""

    id: uuid.UUID
    email: str
    employee_number: str | None
    external_id: str | None
    source: str | None
    name: str
    title: str | None
    access_role: AccessRole
    role_id: uuid.UUID | None
    manager_id: uuid.UUID | None
    team_ids: list[uuid.UUID] = Field(
        description="Teams at the time of the event; later moves come as `team.member_*`."
    )
    status: PersonStatus
    locale: str
    time_zone: str


class PersonUpdatedPayload(PersonPayload):
    changed: list[str] = Field(description="Names of the fields that changed.")


class ManagerChangedPayload(BaseModel):
    person_id: uuid.UUID
    old_manager_id: uuid.UUID | None
    new_manager_id: uuid.UUID | None
    effective_at: datetime


class TeamPayload(BaseModel):
    id: uuid.UUID
    name: str
    kind: TeamKind
    parent_id: uuid.UUID | None
    lead_id: uuid.UUID | None


class MembershipPayload(BaseModel):
    team_id: uuid.UUID
    person_id: uuid.UUID
    since: datetime | None = Field(description="When they joined; null on removal.")


class DirectorySnapshot(BaseModel):
    """The whole directory as of feed `position`, for a service starting its org copy: it
    applies this, then follows the feed after `position` (events after it may repeat state
    already in the snapshot; applying them again changes nothing)."""

    position: int
    people: list[PersonPayload]
    teams: list[TeamPayload]
    memberships: list[MembershipPayload]


PERSON_CREATED = EventType("person.created", PersonPayload, "A person joined the directory.")
PERSON_UPDATED = EventType(
    "person.updated",
    PersonUpdatedPayload,
    "A person's details changed; the payload is the whole person after the change.",
)
PERSON_MANAGER_CHANGED = EventType(
    "person.manager_changed",
    ManagerChangedPayload,
    "A person's manager changed (also announced by `person.updated`).",
)
PERSON_DEACTIVATED = EventType(
    "person.deactivated", PersonPayload, "A person left; they can no longer sign in."
)
PERSON_REACTIVATED = EventType("person.reactivated", PersonPayload, "A person is active again.")
TEAM_CREATED = EventType("team.created", TeamPayload, "A team was created.")
TEAM_UPDATED = EventType(
    "team.updated", TeamPayload, "A team's name, kind, parent or lead changed."
)
TEAM_DELETED = EventType("team.deleted", TeamPayload, "An empty team was deleted.")
TEAM_MEMBER_ADDED = EventType("team.member_added", MembershipPayload, "A person joined a team.")
TEAM_MEMBER_REMOVED = EventType("team.member_removed", MembershipPayload, "A person left a team.")

CATALOGUE = EventCatalogue(
    "people",
    [
        PERSON_CREATED,
        PERSON_UPDATED,
        PERSON_MANAGER_CHANGED,
        PERSON_DEACTIVATED,
        PERSON_REACTIVATED,
        TEAM_CREATED,
        TEAM_UPDATED,
        TEAM_DELETED,
        TEAM_MEMBER_ADDED,
        TEAM_MEMBER_REMOVED,
    ],
)
