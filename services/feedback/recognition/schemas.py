"""The recognition contract: company values (kept by HR admins), recognitions and reactions."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from kit.fields import omitted
from services.feedback.schemas import Id, Lax, StrictInput

MAX_RECIPIENTS = 20
MAX_VALUES = 5

ValueName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Message = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class LearningKind(StrEnum):
    """What a learning recognised is, in the goals service: the lesson, never its score."""

    EXPERIMENT = "experiment"
    OBJECTIVE = "objective"


class ReactionKind(StrEnum):
    APPLAUSE = "applause"
    HEART = "heart"
    CELEBRATE = "celebrate"
    INSIGHTFUL = "insightful"


def _refuse_null(value: Any) -> Any:
    # Runs only for values sent: an omitted field stays as it is, a `null` is refused.
    if value is None:
        raise ValueError("may not be null")
    return value


class CompanyValueCreate(StrictInput):
    name: ValueName = Field(description="Unique among the values, archived ones included.")
    description: Description | None = None


class CompanyValueUpdate(StrictInput):
    """Only the fields sent change; an archived value tags no new recognition."""

    name: ValueName | None = omitted()
    description: Description | None = Field(default=None, description="`null` clears it.")
    archived: bool | None = omitted()

    _not_null = field_validator("name", "archived")(_refuse_null)


class CompanyValueRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str | None
    archived: bool
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Changes on every update; the `ETag` of single reads.")


class CompanyValueQuery(BaseModel):
    archived: bool | None = Field(default=None, description="Only archived values, or only not.")


class Learning(StrictInput):
    """An experiment or an objective of the goals service whose lesson is recognised."""

    kind: Annotated[LearningKind, Lax]
    id: Id


class RecognitionCreate(StrictInput):
    recipient_ids: list[Id] = Field(
        min_length=1, max_length=MAX_RECIPIENTS, description="Active people other than you."
    )
    message: Message
    value_ids: list[Id] = Field(
        default_factory=list, max_length=MAX_VALUES, description="Company values, not archived."
    )
    learning: Learning | None = Field(
        default=None, description="A learning recognised: the lesson, not the score."
    )


class RecognitionRead(BaseModel):
    id: uuid.UUID
    giver_id: uuid.UUID
    recipient_ids: list[uuid.UUID]
    message: str
    value_ids: list[uuid.UUID]
    learning: Learning | None = Field(
        description="The learning recognised; null too when it is an objective you may not see."
    )
    reactions: dict[ReactionKind, int] = Field(description="How many people reacted, by kind.")
    my_reactions: list[ReactionKind] = Field(description="Your own reactions.")
    created_at: datetime


class RecognitionQuery(BaseModel):
    """Narrows the feed (`GET /v1/recognitions`); given filters apply together."""

    team_id: uuid.UUID | None = Field(
        default=None, description="Recognitions of a member of this team or a team below it."
    )
    recipient_id: uuid.UUID | None = Field(default=None, description="Recognitions of this person.")
    giver_id: uuid.UUID | None = Field(default=None, description="Recognitions from this person.")
    value_id: uuid.UUID | None = Field(default=None, description="Recognitions with this value.")
