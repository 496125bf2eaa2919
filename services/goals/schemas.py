"""The goals API contract at the core: the enums and field types every part shares, the bases
of bodies and query strings, and objectives; each sub-domain keeps its own beside it
(`cycles/schemas.py`, `keyresults/schemas.py`, …). No field sorts, ranks or filters people by
OKR progress, score or confidence (the OKR firewall), and every list's query string is
closed: an unknown parameter is refused, not ignored."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import (
    AliasChoices,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic import Strict as _Strict
from pydantic_core import PydanticCustomError

from kit.fields import DateText, DateTimeText, omitted
from kit.pagination import DEFAULT_PAGE_SIZE, MAX_BATCH_IDS, MAX_PAGE_SIZE, PageParams


class CycleStatus(StrEnum):
    """`planning` → `active` → `closed`; HR admins may reopen a closed cycle (→ `active`)."""

    PLANNING = "planning"
    ACTIVE = "active"
    CLOSED = "closed"


class Visibility(StrEnum):
    """`public`: everyone signed in reads it. `private`: its owner, its contributors, the
    owner's management chain (for a team: its members, leads and the lead's chain) and HR
    admins."""

    PUBLIC = "public"
    PRIVATE = "private"


class OwnerKind(StrEnum):
    """Whose objective it is: a person, a team, or the whole company (always public)."""

    PERSON = "person"
    TEAM = "team"
    COMPANY = "company"


class ObjectiveKind(StrEnum):
    """`committed`: meant to be met in full (success is 1.0). `aspirational`: a stretch, where
    about 0.7 is success."""

    COMMITTED = "committed"
    ASPIRATIONAL = "aspirational"


class ObjectiveStatus(StrEnum):
    """`draft` → `proposed` → `agreed`: agreed once its owner and the owner's manager have
    both signed."""

    DRAFT = "draft"
    PROPOSED = "proposed"
    AGREED = "agreed"


class KeyResultKind(StrEnum):
    INCREASE_TO = "increase_to"
    DECREASE_TO = "decrease_to"
    STAY_ABOVE = "stay_above"
    STAY_BELOW = "stay_below"
    BINARY = "binary"
    MILESTONES = "milestones"


class CheckInStatus(StrEnum):
    """How the author judges it: an `off_track` (or `at_risk`) check-in asks for help."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


class SignatureRole(StrEnum):
    """The two sides of an agreement: the owner's and the manager's."""

    OWNER = "owner"
    MANAGER = "manager"


class ClosingSource(StrEnum):
    """`submitted` by someone working on the objective; or taken from its `progress` when
    its cycle closed without one."""

    SUBMITTED = "submitted"
    PROGRESS = "progress"


# --- Field types -----------------------------------------------------------------------------

# Bodies are strict (no `false` for a number, no number for a text), but JSON has no native
# UUID, date or enum: these accept their ordinary string form.
Lax = _Strict(False)
Id = Annotated[uuid.UUID, Lax]


# A lax date would also take a number of seconds since 1970; only ISO text is a date here.
Day = Annotated[date, DateText, Lax]
Moment = Annotated[AwareDatetime, DateTimeText, Lax]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=2000)]
Remark = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Unit = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
# Finite and bounded, so that differences and ratios of two values stay finite too.
MAX_MAGNITUDE = 1e15
Number = Annotated[float, Field(ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE, allow_inf_nan=False)]
Weight = Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)]
Score = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
MAX_CONTRIBUTORS = 50


class StrictInput(BaseModel):
    """Base of request bodies: exact JSON types, unknown fields refused."""

    model_config = ConfigDict(strict=True, extra="forbid")


def refuse_null(value: Any) -> Any:
    # Validators run only for values sent: an omitted field stays unchanged, a `null` is refused.
    if value is None:
        raise ValueError("may not be null")
    return value


def broken_rule(code: str, message: str) -> PydanticCustomError:
    """A rule on the body as a whole; its code is what `errors[].code` says."""
    return PydanticCustomError(code, message)


class Group(BaseModel):
    """One parent's share of a batch read with a per-parent limit."""

    has_more: bool = Field(description="More items exist than the per-parent limit returned.")
    next_cursor: str | None = Field(
        description="Where the parent's own list continues (its `cursor`), or null at the end."
    )


# --- Query strings ---------------------------------------------------------------------------

# How many children of each parent a batch read returns at most.
MAX_PER_PARENT = 100
DEFAULT_PER_PARENT = 20

BatchIdList = Annotated[list[uuid.UUID], Field(min_length=1, max_length=MAX_BATCH_IDS)]
PerParent = Annotated[int, Field(ge=1, le=MAX_PER_PARENT)]


class Query(BaseModel):
    """Base of every query string: a parameter it does not name is refused (422
    `extra_forbidden`), so that nothing is silently ignored; one that would sort, rank or
    filter by an OKR figure is refused as `okr_firewall` before it gets here."""

    model_config = ConfigDict(extra="forbid")


class ListQuery(Query):
    """A page of a list, oldest first (`created_at`, then `id`): the only order there is."""

    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Per page.")
    cursor: str | None = Field(default=None, max_length=200, description="From `next_cursor`.")

    def page(self) -> PageParams:
        return PageParams(limit=self.limit, cursor=self.cursor)


class BatchQuery(ListQuery):
    """A list that also reads exactly the ids asked (`?id=a&id=b`), in that order; filters
    and paging do not apply then."""

    id: list[uuid.UUID] | None = Field(
        default=None,
        max_length=MAX_BATCH_IDS,
        description=f"Ids to read at once (at most {MAX_BATCH_IDS}).",
    )


# --- Objectives ------------------------------------------------------------------------------


class ObjectiveCreate(StrictInput):
    """An objective belongs to one cycle and one owner: a person, a team or the company."""

    cycle_id: Id
    title: Title
    description: LongText | None = None
    owner_kind: Annotated[OwnerKind, Lax] | None = Field(
        default=None, description="`person`, `team` or `company`; follows the id given if omitted."
    )
    owner_person_id: Id | None = Field(default=None, description="For a person's objective.")
    owner_team_id: Id | None = Field(default=None, description="For a team's objective.")
    kind: Annotated[ObjectiveKind, Lax] = ObjectiveKind.COMMITTED
    visibility: Annotated[Visibility, Lax] = Visibility.PUBLIC
    contributor_ids: list[Id] = Field(
        default_factory=list,
        max_length=MAX_CONTRIBUTORS,
        description="People who work on it with its owner.",
    )

    @model_validator(mode="after")
    def _one_owner(self) -> Self:
        person, team = self.owner_person_id is not None, self.owner_team_id is not None
        kind = self.owner_kind
        if kind is None and person != team:
            kind = OwnerKind.PERSON if person else OwnerKind.TEAM
        expected = {
            OwnerKind.PERSON: (True, False),
            OwnerKind.TEAM: (False, True),
            OwnerKind.COMPANY: (False, False),
        }
        if kind is None or expected[kind] != (person, team):
            raise broken_rule(
                "one_owner",
                "Give exactly one owner: `owner_person_id`, `owner_team_id`, or "
                "`owner_kind: company` without an id",
            )
        self.owner_kind = kind
        if kind == OwnerKind.COMPANY and self.visibility == Visibility.PRIVATE:
            raise broken_rule("company_objectives_are_public", "Company objectives are public")
        return self


class ObjectiveUpdate(StrictInput):
    """Only the fields sent change; `null` clears the description. `status` moves a draft
    to `proposed` or back to `draft`; it becomes `agreed` only by signatures."""

    title: Title | None = omitted()
    description: LongText | None = None
    kind: Annotated[ObjectiveKind, Lax] | None = omitted()
    visibility: Annotated[Visibility, Lax] | None = omitted()
    status: Annotated[ObjectiveStatus, Lax] | None = omitted()

    _not_null = field_validator("title", "kind", "visibility", "status")(refuse_null)


class SignatureRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    signer_id: uuid.UUID
    role: SignatureRole = Field(description="The side signed for: `owner` or `manager`.")
    # Read from the row's `created_at`, and from its own JSON by its name.
    signed_at: datetime = Field(validation_alias=AliasChoices("created_at", "signed_at"))


class ClosingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    objective_id: uuid.UUID
    score: float = Field(description="The final score, 0 to 1.")
    retrospective: str | None
    source: ClosingSource
    submitted_by: uuid.UUID | None = Field(description="Null when taken from progress.")
    updated_at: datetime
    version: int = Field(description="The `ETag` a replacing `PUT` sends in `If-Match`.")


class ObjectiveRead(BaseModel):
    id: uuid.UUID
    cycle_id: uuid.UUID
    title: str
    description: str | None
    owner_kind: OwnerKind
    owner_person_id: uuid.UUID | None
    owner_team_id: uuid.UUID | None
    kind: ObjectiveKind
    success_threshold: float = Field(
        description="The score that counts as success: 1.0 committed, 0.7 aspirational."
    )
    success_explanation: str = Field(description="What `success_threshold` means, in words.")
    status: ObjectiveStatus
    visibility: Visibility
    contributor_ids: list[uuid.UUID] = Field(description="Who works on it with its owner.")
    signatures: list[SignatureRead] = Field(description="Who signed it so far, and for whom.")
    closing: ClosingRead | None = Field(description="Its final score, once submitted.")
    created_by: uuid.UUID = Field(description="The person who created it.")
    progress: float | None = Field(
        description="Weighted mean of its key results' progress, 0 to 1; null without any."
    )
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Changes on every update; the `ETag` of single reads.")


class ObjectiveQuery(BatchQuery):
    """Narrows `GET /v1/objectives`; all given filters apply together."""

    cycle_id: uuid.UUID | None = None
    owner_kind: OwnerKind | None = None
    owner_person_id: uuid.UUID | None = None
    owner_team_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = Field(
        default=None, description="The team's objectives and those of its members."
    )
    status: ObjectiveStatus | None = None
    kind: ObjectiveKind | None = None
    at_risk: bool | None = Field(
        default=None,
        description="`true`: with a key result whose latest check-in is `at_risk` or "
        "`off_track`; `false`: with none.",
    )
    updated_since: Annotated[AwareDatetime, DateTimeText] | None = Field(
        default=None, description="Changed at or after this moment (with its offset)."
    )


class ObjectivesByOwnerQuery(Query):
    owner_person_id: list[uuid.UUID] | None = Field(
        default=None, max_length=MAX_BATCH_IDS, description="People whose objectives to read."
    )
    owner_team_id: list[uuid.UUID] | None = Field(
        default=None, max_length=MAX_BATCH_IDS, description="Teams whose objectives to read."
    )
    cycle_id: uuid.UUID | None = Field(default=None, description="Only in this cycle.")
    per_owner: PerParent = Field(default=DEFAULT_PER_PARENT, description="Per owner at most.")


class OwnerObjectivesRead(Group):
    """The objectives of one owner, oldest first; `next_cursor` continues
    `GET /v1/objectives` filtered by this owner (and the same `cycle_id`)."""

    owner_person_id: uuid.UUID | None
    owner_team_id: uuid.UUID | None
    items: list[ObjectiveRead]


class ObjectivesByOwnerRead(BaseModel):
    """One group per owner asked, in the order asked (people first, then teams)."""

    groups: list[OwnerObjectivesRead]


class ContributorAdd(StrictInput):
    person_id: Id
