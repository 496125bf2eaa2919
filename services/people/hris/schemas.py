"""The HRIS contract: what an HRIS says of a person or a team (the generic Inspire format),
the roster a sync sends, and the reports it reads back."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, JsonValue

from services.people.schemas import Code as EmployeeNumber
from services.people.schemas import (
    Email,
    ExternalId,
    Lax,
    Locale,
    Moment,
    Name,
    PersonStatus,
    ShortText,
    Source,
    StrictInput,
    TeamKind,
    TimeZone,
)

# The most people a roster may hold in one request.
MAX_ROSTER = 50_000


class PersonRecord(StrictInput):
    """A person as the HRIS has them. Only the fields given are applied; `external_id` is
    their id in the HRIS, `manager_external_id` their manager's."""

    external_id: ExternalId
    email: Email | None = None
    name: Name | None = None
    title: ShortText | None = None
    employee_number: EmployeeNumber | None = None
    manager_external_id: ExternalId | None = Field(
        default=None, description="The manager's id in the HRIS; null: no manager."
    )
    status: Annotated[PersonStatus, Lax] | None = None
    locale: Locale | None = None
    time_zone: TimeZone | None = None


class TeamRecord(StrictInput):
    """A team as the HRIS has it; `parent_external_id` and `lead_external_id` are HRIS ids."""

    external_id: ExternalId
    name: Name | None = None
    kind: Annotated[TeamKind, Lax] | None = None
    parent_external_id: ExternalId | None = None
    lead_external_id: ExternalId | None = None


class RosterPerson(PersonRecord):
    """A person's row of a roster sync: `team_external_id` is the team they belong to among the
    source's teams (a team of the same roster, or one the source sent before)."""

    team_external_id: ExternalId | None = Field(
        default=None, description="Their team's id in the HRIS; null: in none of its teams."
    )


class EventType(StrEnum):
    PERSON_CREATED = "person.created"
    PERSON_UPDATED = "person.updated"
    PERSON_TERMINATED = "person.terminated"
    PERSON_MANAGER_CHANGED = "person.manager_changed"
    TEAM_CREATED = "team.created"
    TEAM_UPDATED = "team.updated"
    TEAM_DELETED = "team.deleted"


class InspireEvent(StrictInput):
    """One change in the generic Inspire format: `person` for the person events, `team` for
    the team events; `effective_at` in the future holds it until then."""

    type: Annotated[EventType, Lax]
    effective_at: Moment | None = None
    person: PersonRecord | None = None
    team: TeamRecord | None = None


class InspireDelivery(StrictInput):
    """A delivery of the generic format: one event, or several under `events`."""

    events: list[InspireEvent] = Field(min_length=1, max_length=1000)


class Change(StrEnum):
    """What reconciliation does to one inbound change."""

    PERSON_UPSERT = "person.upsert"
    PERSON_TERMINATE = "person.terminate"
    TEAM_UPSERT = "team.upsert"
    TEAM_DELETE = "team.delete"


class Inbound(BaseModel):
    """A change as every adapter hands it over: its kind, whose HRIS id, the fields given."""

    change: Change
    external_id: str
    data: dict[str, Any]
    effective_at: datetime | None = None


class DeliveryAccepted(BaseModel):
    accepted: int = Field(description="Changes taken into the inbox by this delivery.")
    duplicate: bool = Field(description="This webhook id was received before; nothing new.")


class RosterSync(StrictInput):
    """The full roster of one source. Rows are checked one by one: a bad row becomes a warning
    in the report and the others go on."""

    source: Source
    people: list[JsonValue] = Field(
        max_length=MAX_ROSTER, description="Objects with the fields of `RosterPerson`."
    )
    teams: list[JsonValue] | None = Field(
        default=None,
        max_length=MAX_ROSTER,
        description="Objects with the fields of `TeamRecord`: the source's whole tree of teams. "
        "Left out, the source's teams are left as they are.",
    )
    apply: bool = Field(default=False, description="Apply the changes; a dry run otherwise.")
    force: bool = Field(default=False, description="Apply even past a guard.")


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DEACTIVATE = "deactivate"
    REACTIVATE = "reactivate"
    UNCHANGED = "unchanged"


class TeamAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    UNCHANGED = "unchanged"


class FieldChange(BaseModel):
    field: str
    old: JsonValue
    new: JsonValue
    overwrites_local_edit: bool = Field(
        default=False,
        description="The value was edited here since the HRIS last set it; the HRIS owns the "
        "field, so its value wins, and this says so.",
    )


class PersonChange(BaseModel):
    external_id: str
    action: Action
    person_id: uuid.UUID | None
    changes: list[FieldChange] = Field(default_factory=list)


class TeamChange(BaseModel):
    external_id: str
    action: TeamAction
    team_id: uuid.UUID | None
    changes: list[FieldChange] = Field(default_factory=list)


Section = Literal["people", "teams"]


class SyncWarning(BaseModel):
    section: Section = Field(default="people", description="Which list of the roster `row` is in.")
    row: int | None = Field(description="1-based position in the roster; null for no row.")
    external_id: str | None
    field: str | None
    code: str
    message: str


RefusalCode = Literal["too_many_deactivations", "too_many_email_changes", "too_many_team_removals"]


class Refusal(BaseModel):
    code: RefusalCode
    message: str
    share: float
    limit: float


class SyncOutcome(StrEnum):
    DRY_RUN = "dry_run"
    APPLIED = "applied"
    REFUSED = "refused"


class SyncSummaryRead(BaseModel):
    """A sync as listed: its report without the per-person lines."""

    id: uuid.UUID
    source: str
    outcome: SyncOutcome
    forced: bool
    requested_by_person_id: uuid.UUID | None
    requested_by_integration: str | None
    created_at: datetime
    counts: dict[str, int]
    refusals: list[Refusal]


class SyncRead(SyncSummaryRead):
    """The report of a sync: counts per action, each person's and each team's field-level
    changes, every warning, the guards it met, who asked and when."""

    changes: list[PersonChange]
    team_changes: list[TeamChange]
    warnings: list[SyncWarning]


class HrisEventRead(BaseModel):
    """A change in the inbox and what became of it."""

    id: uuid.UUID
    integration: str
    webhook_id: str
    kind: Change
    external_id: str
    effective_at: datetime | None
    status: Literal["pending", "held", "applied", "failed"]
    note: str | None = Field(description="What a held change waits for; why one failed.")
    changes: list[FieldChange] | None
    created_at: datetime = Field(description="When it was received.")
    applied_at: datetime | None
