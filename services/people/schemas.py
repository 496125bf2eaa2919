"""The directory's API contract: what callers send (strict) and what they read back."""

from __future__ import annotations

import re
import uuid
import zoneinfo
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)
from pydantic import Strict as _Strict

from kit.fields import DateTimeText, WholeNumber, omitted


class AccessRole(StrEnum):
    """What a person may do in Inspire, apart from their relations to others."""

    EMPLOYEE = "employee"
    HR_ADMIN = "hr_admin"


class PersonStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"


class TeamKind(StrEnum):
    TEAM = "team"
    DEPARTMENT = "department"
    GROUP = "group"


# --- Field types -----------------------------------------------------------------------------

# Bodies are strict (no `false` for a number, no number for a text), but JSON has no native
# UUID, datetime or enum: these accept their ordinary string form.
Lax = _Strict(False)
Id = Annotated[uuid.UUID, Lax]

_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
# language[-Script][-REGION], the part of BCP 47 that formats dates and numbers.
_LOCALE = re.compile(r"(?P<lang>[a-z]{2,3})(-(?P<script>[a-z]{4}))?(-(?P<region>[a-z]{2}|\d{3}))?")


def _email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise ValueError("not an email address")
    return value


def _locale(value: str) -> str:
    match = _LOCALE.fullmatch(value.lower().replace("_", "-"))
    if match is None:
        raise ValueError("not a locale tag such as `en-GB`")
    tag = match["lang"]
    if match["script"]:
        tag += "-" + match["script"].title()
    if match["region"]:
        tag += "-" + match["region"].upper()
    return tag


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _time_zone(value: str) -> str:
    if value not in _time_zones():
        raise ValueError("not an IANA time zone such as `Europe/London`")
    return value


def _in_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00+01:00, before the first representable instant
        raise ValueError("out of range") from None


# An instant with its offset, kept in UTC.
Moment = Annotated[AwareDatetime, DateTimeText, Lax, AfterValidator(_in_utc)]
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=254), AfterValidator(_email)
]
Locale = Annotated[str, StringConstraints(max_length=35), AfterValidator(_locale)]
TimeZone = Annotated[str, StringConstraints(max_length=64), AfterValidator(_time_zone)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=2000)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
ExternalId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
Source = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Level = Annotated[int, WholeNumber, Field(ge=0, le=100)]


class StrictInput(BaseModel):
    """Base of request bodies: exact JSON types, unknown fields refused."""

    model_config = ConfigDict(strict=True, extra="forbid")


def _refuse_null(value: Any) -> Any:
    # Validators run only for values sent: an omitted field stays unchanged, a `null` is refused.
    if value is None:
        raise ValueError("may not be null")
    return value


# --- People ----------------------------------------------------------------------------------


class PersonCreate(StrictInput):
    email: Email
    name: Name
    title: ShortText | None = None
    employee_number: Code | None = None
    external_id: ExternalId | None = Field(
        default=None, description="The person's id in the HRIS named by `source`."
    )
    source: Source | None = Field(default=None, description="The HRIS `external_id` comes from.")
    access_role: Annotated[AccessRole, Lax] = AccessRole.EMPLOYEE
    role_id: Id | None = Field(default=None, description="Job profile.")
    manager_id: Id | None = None
    locale: Locale = "en"
    time_zone: TimeZone = "UTC"


class PersonUpdate(StrictInput):
    """Only the fields sent change; `null` clears an optional field."""

    email: Email | None = omitted()
    name: Name | None = omitted()
    title: ShortText | None = None
    employee_number: Code | None = None
    external_id: ExternalId | None = None
    source: Source | None = None
    access_role: Annotated[AccessRole, Lax] | None = omitted()
    role_id: Id | None = None
    manager_id: Id | None = None
    locale: Locale | None = omitted()
    time_zone: TimeZone | None = omitted()

    _not_null = field_validator("email", "name", "access_role", "locale", "time_zone")(_refuse_null)


class PersonRead(BaseModel):
    id: uuid.UUID
    external_id: str | None
    source: str | None
    employee_number: str | None
    email: str
    name: str
    title: str | None
    access_role: AccessRole
    role_id: uuid.UUID | None
    manager_id: uuid.UUID | None
    status: PersonStatus
    locale: str
    time_zone: str
    team_ids: list[uuid.UUID]
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Changes on every update; the `ETag` of single reads.")


class PersonQuery(BaseModel):
    """Narrows `GET /v1/people`; all given filters apply together."""

    status: PersonStatus | None = None
    team_id: uuid.UUID | None = Field(default=None, description="Members of this team.")
    manager_id: uuid.UUID | None = Field(default=None, description="Direct reports of them.")
    q: str | None = Field(default=None, max_length=200, description="Part of a name or email.")
    updated_since: Moment | None = Field(
        default=None, description="Changed at or after this moment (with its time zone)."
    )


class ManagerReportsRead(BaseModel):
    """One manager's share of a batch read of reports: the first of them, oldest first;
    `next_cursor` continues at `GET /v1/people/{manager_id}/reports`."""

    manager_id: uuid.UUID
    items: list[PersonRead]
    has_more: bool = Field(description="More reports exist than the per-manager limit returned.")
    next_cursor: str | None = Field(
        description="Where the manager's own list continues (its `cursor`), or null at the end."
    )


class ReportsByManagerRead(BaseModel):
    """One group per manager asked, in the order asked; an unknown id has an empty group."""

    groups: list[ManagerReportsRead]


class ChangerKind(StrEnum):
    PERSON = "person"
    INTEGRATION = "integration"
    # Changes recorded before Inspire kept who made them, when the directory could not tell.
    UNKNOWN = "unknown"


class ChangedByRead(BaseModel):
    """Who made a change, as the directory knows them (never what their token said)."""

    kind: ChangerKind
    person_id: uuid.UUID | None = Field(description="The person, when a person made it.")
    name: str | None = Field(
        description="The person's name as the directory has it now, or the integration's name "
        "(e.g. `hris`); null when unknown."
    )


class ReportingLineRead(BaseModel):
    """One entry of a person's reporting-line history."""

    id: uuid.UUID
    person_id: uuid.UUID
    manager_id: uuid.UUID | None
    effective_at: datetime
    changed_by: ChangedByRead


# --- Teams -----------------------------------------------------------------------------------


class TeamCreate(StrictInput):
    name: Name
    kind: Annotated[TeamKind, Lax] = TeamKind.TEAM
    parent_id: Id | None = None
    lead_id: Id | None = None


class TeamUpdate(StrictInput):
    """Only the fields sent change; `null` clears `parent_id` or `lead_id`."""

    name: Name | None = omitted()
    kind: Annotated[TeamKind, Lax] | None = omitted()
    parent_id: Id | None = None
    lead_id: Id | None = None

    _not_null = field_validator("name", "kind")(_refuse_null)


class TeamQuery(BaseModel):
    kind: TeamKind | None = None
    parent_id: uuid.UUID | None = Field(default=None, description="Sub-teams of this team.")
    q: str | None = Field(default=None, max_length=200, description="Part of the name.")


class TeamRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    kind: TeamKind
    parent_id: uuid.UUID | None
    lead_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    version: int


class MembershipCreate(StrictInput):
    person_id: Id
    since: Moment | None = Field(default=None, description="When they joined; now if omitted.")


class MembershipRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    team_id: uuid.UUID
    person_id: uuid.UUID
    since: datetime


# --- Job roles and skills --------------------------------------------------------------------


class RoleCreate(StrictInput):
    name: Name
    description: LongText | None = None
    level: Level | None = None


class RoleUpdate(StrictInput):
    name: Name | None = omitted()
    description: LongText | None = None
    level: Level | None = None

    _not_null = field_validator("name")(_refuse_null)


class RoleRead(BaseModel):
    """A job profile."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str | None
    level: int | None
    created_at: datetime
    updated_at: datetime
    version: int


class CatalogueQuery(BaseModel):
    """Narrows lists of job roles and skills."""

    q: str | None = Field(default=None, max_length=200, description="Part of the name.")


class SkillQuery(CatalogueQuery):
    category: str | None = Field(default=None, max_length=200)


class SkillCreate(StrictInput):
    name: Name
    category: ShortText | None = None
    description: LongText | None = None


class SkillUpdate(StrictInput):
    name: Name | None = omitted()
    category: ShortText | None = None
    description: LongText | None = None

    _not_null = field_validator("name")(_refuse_null)


class SkillRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    category: str | None
    description: str | None
    created_at: datetime
    updated_at: datetime
    version: int
