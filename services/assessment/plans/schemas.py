"""The action plans contract: a team's stop / continue / start items after a round."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from kit.fields import omitted
from services.assessment.rounds.schemas import Id, Lax
from services.assessment.schemas import StrictInput

ItemText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class ItemKind(StrEnum):
    STOP = "stop"
    CONTINUE = "continue"
    START = "start"


class ItemStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class PlanItemCreate(StrictInput):
    kind: Annotated[ItemKind, Lax]
    text: ItemText
    owner_id: Id | None = Field(default=None, description="Who sees to it, if anyone.")


class PlanCreate(StrictInput):
    round_id: Id = Field(description="The closed round whose report the plan answers.")
    team_id: Id | None = Field(
        default=None, description="The team planning; none for the round's whole audience."
    )
    items: list[PlanItemCreate] = Field(min_length=1, max_length=30)


def _refuse_null(value: Any) -> Any:
    if value is None:
        raise ValueError("may not be null")
    return value


class PlanItemUpdate(StrictInput):
    status: Annotated[ItemStatus, Lax] | None = omitted()
    owner_id: Id | None = None

    _not_null = field_validator("status")(_refuse_null)


class PlanItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: ItemKind
    text: str
    owner_id: uuid.UUID | None
    status: ItemStatus
    position: int


class PlanRead(BaseModel):
    id: uuid.UUID
    round_id: uuid.UUID
    team_id: uuid.UUID | None
    items: list[PlanItemRead]
    created_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    version: int
