"""The key results API contract: adding a key result of one kind with its figures, changing it,
reading it with its progress, and batch reads of the key results of many objectives."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kit.fields import no_null, omitted
from kit.pagination import MAX_BATCH_IDS
from services.goals.schemas import (
    DEFAULT_PER_PARENT,
    BatchIdList,
    CheckInStatus,
    Group,
    Id,
    KeyResultKind,
    Lax,
    Number,
    PerParent,
    Query,
    StrictInput,
    Title,
    Unit,
    Weight,
    broken_rule,
    refuse_null,
)

NUMERIC_KINDS = frozenset({KeyResultKind.INCREASE_TO, KeyResultKind.DECREASE_TO})
LINE_KINDS = frozenset({KeyResultKind.STAY_ABOVE, KeyResultKind.STAY_BELOW})

MAX_MILESTONES = 50


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


class ObjectiveKeyResultsRead(Group):
    """The key results of one objective, oldest first; `next_cursor` continues
    `GET /v1/objectives/{objective_id}/key-results`."""

    objective_id: uuid.UUID
    items: list[KeyResultRead]


class KeyResultsByObjectiveRead(BaseModel):
    """One group per objective asked, in the order asked; an objective you may not read (or
    that does not exist) has an empty group."""

    groups: list[ObjectiveKeyResultsRead]


class KeyResultUpdate(StrictInput):
    """Only the fields sent change; `unit` and `owner_person_id` are cleared with `null`.
    `start` and `target` as the kind takes them: both for `increase_to` / `decrease_to` (in
    its direction), `target` (the line) and `start` for `stay_above` / `stay_below`, neither
    for `binary` and `milestones`. Its kind and its milestones stay as they are; where it
    stands changes by check-ins."""

    title: Title | None = omitted()
    start: Number | None = omitted()
    target: Number | None = omitted()
    unit: Unit | None = Field(default=None, description="E.g. `%`; `null` clears it.")
    owner_person_id: Id | None = Field(
        default=None,
        description="Who sees to it: someone who may check in on the objective; `null` for "
        "nobody named.",
    )
    weight: Weight | None = Field(
        default=None,
        description="Its share in the objective's progress.",
        json_schema_extra=no_null,
    )

    _not_null = field_validator("title", "start", "target", "weight")(refuse_null)
