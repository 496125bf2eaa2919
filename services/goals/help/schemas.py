"""The help requests API contract: asking for help on an objective or one of its key results,
offering help, resolving it, and the caller's own list. Nothing here counts help requests per
person: a request for help is never a mark against anyone."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.goals.schemas import (
    Id,
    Lax,
    ListQuery,
    LongText,
    Remark,
    StrictInput,
    broken_rule,
)


class HelpRequestState(StrEnum):
    """`open` until the one who asked (or someone working on the objective) resolves it."""

    OPEN = "open"
    RESOLVED = "resolved"


class HelpRequestSource(StrEnum):
    """`check_in`: opened by an `off_track` check-in or one with a confidence of 3 or less;
    `manual`: asked for by hand."""

    CHECK_IN = "check_in"
    MANUAL = "manual"


class HelpRequestRole(StrEnum):
    """The caller's part in a help request: they asked (`mine`) or were asked (`addressed`)."""

    MINE = "mine"
    ADDRESSED = "addressed"


class HelpRequestCreate(StrictInput):
    """Ask for help on an objective, or on one of its key results (give one of the two)."""

    objective_id: Id | None = Field(default=None, description="The objective as a whole.")
    key_result_id: Id | None = Field(default=None, description="One key result of it.")
    blocked: LongText | None = Field(default=None, description="What is in the way.")
    help_wanted: LongText | None = Field(default=None, description="What help would do.")

    @model_validator(mode="after")
    def _one_subject(self) -> Self:
        if (self.objective_id is None) == (self.key_result_id is None):
            raise broken_rule("one_subject", "Give exactly one of `objective_id`, `key_result_id`")
        return self


class HelpRequestUpdate(StrictInput):
    """Say (or say again) what is blocked and what help is wanted; `null` clears one."""

    blocked: LongText | None = None
    help_wanted: LongText | None = None


class HelpOfferCreate(StrictInput):
    message: Remark = Field(description="What you can do, or whom to ask.")


class HelpRequestResolve(StrictInput):
    note: Remark = Field(description="How it was resolved: what helped, what was learnt.")


class HelpOfferRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    person_id: uuid.UUID = Field(description="Who offered.")
    message: str
    created_at: datetime


class HelpRequestRead(BaseModel):
    id: uuid.UUID
    objective_id: uuid.UUID
    key_result_id: uuid.UUID | None = Field(description="Null when asked on the objective.")
    check_in_id: uuid.UUID | None = Field(description="The check-in that opened it, if one did.")
    source: HelpRequestSource
    state: HelpRequestState
    blocked: str | None = Field(description="What is in the way.")
    help_wanted: str | None = Field(description="What help would do.")
    opened_by: uuid.UUID = Field(description="Who asked.")
    addressee_ids: list[uuid.UUID] = Field(
        description="Who was asked: the owner's manager (for a team: its lead and the lead's "
        "manager), the objective's contributors, and its owner when someone else asked."
    )
    offers: list[HelpOfferRead] = Field(description="Help offered, oldest first.")
    resolution_note: str | None
    resolved_by: uuid.UUID | None
    resolved_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="The `ETag` of single reads; `PATCH` sends it back.")


class HelpRequestQuery(ListQuery):
    """The caller's own help requests: those they asked, or were asked to help with."""

    role: Annotated[HelpRequestRole, Lax] | None = Field(
        default=None, description="Only those you asked (`mine`) or were asked (`addressed`)."
    )
    state: Annotated[HelpRequestState, Lax] | None = Field(default=None, description="Only these.")


class ObjectiveHelpRequestQuery(ListQuery):
    state: Annotated[HelpRequestState, Lax] | None = Field(default=None, description="Only these.")
