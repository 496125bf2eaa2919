"""The goals API contract: what callers send (strict) and what they read back. No field here
sorts, ranks or filters people by OKR progress, score or confidence (the OKR firewall), and
every list's query string is closed: an unknown parameter is refused, not ignored."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

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

from kit.fields import DateText, DateTimeText, WholeNumber, omitted
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


NUMERIC_KINDS = frozenset({KeyResultKind.INCREASE_TO, KeyResultKind.DECREASE_TO})
LINE_KINDS = frozenset({KeyResultKind.STAY_ABOVE, KeyResultKind.STAY_BELOW})


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
Confidence = Annotated[
    int, WholeNumber, Field(ge=0, le=10, description="0 (no chance) to 10 (certain).")
]
MAX_MILESTONES = 50
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


# --- Cycles ----------------------------------------------------------------------------------


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


class TeamScores(BaseModel):
    """The objectives a team and its sub-teams own in a cycle, taken together (or the
    company's own); never a person's."""

    team_id: uuid.UUID | None = Field(description="Null for the company's own objectives.")
    objectives: int = Field(
        description="How many objectives it and its sub-teams (however deep) own in the cycle."
    )
    progress: float | None = Field(description="Mean progress of those with key results.")
    final_score: float | None = Field(description="Mean final score, once the cycle closed.")
    at_risk: int = Field(description="Objectives with a key result at risk or off track.")


class CycleReport(BaseModel):
    """A cycle by team: scores are aggregated per team (and for the company), never per
    person; objectives owned by people are counted, never scored."""

    cycle_id: uuid.UUID
    status: CycleStatus
    people_objectives: int = Field(description="Objectives owned by people (not scored here).")
    teams: list[TeamScores] = Field(description="The company first, then teams by id.")


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


class ClosingSubmit(StrictInput):
    """An objective's final score and what was learnt, before or when its cycle closes."""

    score: Score = Field(description="0.0 to 1.0.")
    retrospective: Remark = Field(description="What went well, what was learnt.")


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


class OwnerObjectives(Group):
    """The objectives of one owner, oldest first; `next_cursor` continues
    `GET /v1/objectives` filtered by this owner (and the same `cycle_id`)."""

    owner_person_id: uuid.UUID | None
    owner_team_id: uuid.UUID | None
    items: list[ObjectiveRead]


class ObjectivesByOwner(BaseModel):
    """One group per owner asked, in the order asked (people first, then teams)."""

    groups: list[OwnerObjectives]


class ContributorAdd(StrictInput):
    person_id: Id


# --- Drafting: comments ----------------------------------------------------------------------


class CommentCreate(StrictInput):
    body: Remark


class CommentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    objective_id: uuid.UUID
    author_id: uuid.UUID
    body: str
    created_at: datetime


# --- Key results -----------------------------------------------------------------------------


class MilestoneCreate(StrictInput):
    title: Title
    done: bool = False


class MilestoneRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    position: int = Field(description="Its place in the list, from 1.")
    title: str
    done: bool
    done_at: datetime | None


class KeyResultCreate(StrictInput):
    """A key result of one `kind`, each with its own figures:

    - `increase_to` / `decrease_to`: from `start` to `target` (above / below it); `current`
      defaults to `start`. Without `kind`, the direction of `start` → `target` decides.
    - `stay_above` / `stay_below`: `target` is the line to hold; `current` (default: the
      line) is where it stands; `start` defaults to `current`.
    - `binary`: done or not (`done`, default false); no numbers, or `start` 0 and `target` 1.
    - `milestones`: an ordered list of `milestones`, each done or not; no numbers.
    """

    title: Title
    kind: Annotated[KeyResultKind, Lax] | None = None
    start: Number | None = None
    target: Number | None = None
    current: Number | None = Field(default=None, description="Where it stands now.")
    done: bool | None = Field(default=None, description="`binary` only.")
    milestones: list[MilestoneCreate] | None = Field(
        default=None, min_length=1, max_length=MAX_MILESTONES, description="`milestones` only."
    )
    unit: Unit | None = Field(default=None, description="E.g. `%`, `EUR`, `customers`.")
    owner_person_id: Id | None = Field(
        default=None, description="Who sees to it: its objective's owner or a contributor."
    )
    weight: Weight = Field(default=1.0, description="Its share in the objective's progress.")

    @model_validator(mode="after")
    def _figures_fit_the_kind(self) -> Self:
        kind = self.kind
        if kind is None:
            kind = self._inferred_kind()
        if kind != KeyResultKind.BINARY and self.done is not None:
            raise broken_rule("not_for_this_kind", "`done` is for `binary` key results")
        if kind != KeyResultKind.MILESTONES and self.milestones is not None:
            raise broken_rule("not_for_this_kind", "`milestones` is for `milestones` key results")
        if kind in NUMERIC_KINDS:
            self._check_direction(kind)
        elif kind in LINE_KINDS:
            if self.target is None:
                raise broken_rule(
                    "threshold_required", "`target` is the line to stay above or below"
                )
        elif kind == KeyResultKind.BINARY:
            self._check_binary()
        elif self.milestones is None or {self.start, self.target, self.current} != {None}:
            raise broken_rule(
                "milestones_only",
                "A `milestones` key result takes `milestones` and no `start`, `target` or "
                "`current`",
            )
        self.kind = kind
        return self

    def _inferred_kind(self) -> KeyResultKind:
        if self.start is None or self.target is None:
            raise broken_rule("kind_required", "Give a `kind`, or a `start` and a `target`")
        if self.start == self.target:
            raise broken_rule("start_equals_target", "`target` must differ from `start`")
        return KeyResultKind.INCREASE_TO if self.target > self.start else KeyResultKind.DECREASE_TO

    def _check_direction(self, kind: KeyResultKind) -> None:
        if self.start is None or self.target is None:
            raise broken_rule(
                "start_and_target_required", f"`{kind}` needs a `start` and a `target`"
            )
        if kind == KeyResultKind.INCREASE_TO and not self.target > self.start:
            raise broken_rule(
                "target_not_above_start", "To increase, `target` must be above `start`"
            )
        if kind == KeyResultKind.DECREASE_TO and not self.target < self.start:
            raise broken_rule(
                "target_not_below_start", "To decrease, `target` must be below `start`"
            )

    def _check_binary(self) -> None:
        if self.done is not None and self.current is not None:
            raise broken_rule("binary_is_0_or_1", "Give `done`, or `current` 0 or 1, not both")
        if (self.start, self.target) not in {(None, None), (0, 1)} or self.current not in {
            None,
            0,
            1,
        }:
            raise broken_rule(
                "binary_is_0_or_1",
                "A `binary` key result takes `done`; numbers, if any, are `start` 0, `target` 1",
            )


class KeyResultRead(BaseModel):
    id: uuid.UUID
    objective_id: uuid.UUID
    title: str
    kind: KeyResultKind
    start: float = Field(description="0 for `binary` and `milestones`.")
    target: float = Field(
        description="The line for `stay_above` / `stay_below`; 1 for `binary`; the number "
        "of milestones for `milestones`."
    )
    current: float = Field(description="Where it stands; milestones done for `milestones`.")
    unit: str | None
    owner_person_id: uuid.UUID | None = Field(description="Who sees to it, if anyone named.")
    weight: float
    milestones: list[MilestoneRead] | None = Field(description="In order; `milestones` only.")
    progress: float = Field(description="0 to 1, computed from its figures.")
    progress_explanation: str = Field(description="What `progress` came from, in words.")
    expected_progress: float | None = Field(
        description="Where a steady pace through its cycle would be today, 0 to 1 (1 for "
        "`stay_above` / `stay_below`); null for `binary`."
    )
    confidence: int | None = Field(description="From the latest check-in; null before any.")
    status: CheckInStatus | None = Field(description="From the latest check-in.")
    checked_in_at: datetime | None = Field(description="When the latest check-in was made.")
    created_at: datetime
    updated_at: datetime
    version: int


class KeyResultBatchQuery(Query):
    id: BatchIdList = Field(description=f"Ids to read at once (at most {MAX_BATCH_IDS}).")


class KeyResultsByObjectiveQuery(Query):
    objective_id: BatchIdList = Field(description="Objectives whose key results to read.")
    per_objective: PerParent = Field(default=DEFAULT_PER_PARENT, description="Per objective.")


class ObjectiveKeyResults(Group):
    """The key results of one objective, oldest first; `next_cursor` continues
    `GET /v1/objectives/{objective_id}/key-results`."""

    objective_id: uuid.UUID
    items: list[KeyResultRead]


class KeyResultsByObjective(BaseModel):
    """One group per objective asked, in the order asked; an objective you may not read (or
    that does not exist) has an empty group."""

    groups: list[ObjectiveKeyResults]


# --- Check-ins -------------------------------------------------------------------------------


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


class KeyResultCheckIns(Group):
    """The check-ins of one key result, oldest first; `next_cursor` continues
    `GET /v1/key-results/{key_result_id}/check-ins`."""

    key_result_id: uuid.UUID
    items: list[CheckInRead]


class CheckInsByKeyResult(BaseModel):
    """One group per key result asked, in the order asked; a key result you may not read (or
    that does not exist) has an empty group."""

    groups: list[KeyResultCheckIns]


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


class DueCheckIn(BaseModel):
    """A key result of an active cycle nobody has checked in on for a while."""

    key_result: KeyResultRead
    last_checked_in_at: datetime | None = Field(description="Null if never checked in on.")
    due_since: datetime = Field(description="When the check-in became due.")


# --- Search ----------------------------------------------------------------------------------


class SearchQuery(ListQuery):
    q: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] = (
        Field(description="Words to find (each as a prefix) in titles and descriptions.")
    )
    cycle_id: uuid.UUID | None = Field(default=None, description="Only in this cycle.")


class SearchHit(BaseModel):
    """An objective, or a key result with its objective, whose text matches."""

    type: Literal["objective", "key_result"]
    objective: ObjectiveRead
    key_result: KeyResultRead | None = Field(description="The key result found, if one was.")
