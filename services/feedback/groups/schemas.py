"""The accountability groups contract: a group and its members, invitations, rounds where each
member posts commitments and progress and the others respond, and the help requests of its
members (ids only: the goals service decides who reads the objective)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from kit.fields import WholeNumber, omitted
from services.feedback.schemas import Body, Id, Lax, StrictInput

DEFAULT_MEMBERS = 4
MAX_MEMBERS = 8


class GroupCadence(StrEnum):
    """How often a round of commitments opens by itself."""

    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"


class RoundKind(StrEnum):
    COMMITMENTS = "commitments"  # each member's commitments and progress, on the cadence
    GOAL_SHARING = "goal_sharing"  # the monthly round where members share their goals


class InvitationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Purpose = Annotated[str, StringConstraints(max_length=1000)]
Size = Annotated[int, WholeNumber, Field(ge=2, le=MAX_MEMBERS)]
Text = Annotated[str, StringConstraints(max_length=5000)]


def _refuse_null(value: Any) -> Any:
    if value is None:
        raise ValueError("may not be null")
    return value


class GroupCreate(StrictInput):
    name: Name
    purpose: Purpose = ""
    cadence: Annotated[GroupCadence, Lax] = GroupCadence.WEEKLY
    max_members: Size = Field(
        default=DEFAULT_MEMBERS,
        description=f"How many members it holds, you included: 2 to {MAX_MEMBERS}.",
    )


class GroupUpdate(StrictInput):
    name: Name | None = omitted()
    purpose: Purpose | None = omitted()
    cadence: Annotated[GroupCadence, Lax] | None = omitted()
    max_members: Size | None = omitted()

    _not_null = field_validator("name", "purpose", "cadence", "max_members")(_refuse_null)


class MemberRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    person_id: uuid.UUID
    joined_at: datetime


class InvitationCreate(StrictInput):
    person_id: Id = Field(description="An active colleague who is not yet a member.")


class InvitationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    group_id: uuid.UUID
    person_id: uuid.UUID = Field(description="Who is invited.")
    invited_by: uuid.UUID
    status: InvitationStatus
    created_at: datetime
    updated_at: datetime


class GroupRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    purpose: str
    cadence: GroupCadence
    max_members: int
    created_by: uuid.UUID
    members: list[MemberRead] = Field(description="In the order they joined.")
    pending_invitations: list[InvitationRead]
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Changes on every update; the `ETag` of single reads.")


class RoundCreate(StrictInput):
    kind: Annotated[RoundKind, Lax] = RoundKind.COMMITMENTS


class RoundSummaryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    group_id: uuid.UUID
    kind: RoundKind
    opened_by: uuid.UUID | None = Field(description="Who opened it; null when the cadence did.")
    created_at: datetime


class PostCreate(StrictInput):
    commitments: Text = Field(description="What you commit to until the next round.")
    progress: Text = Field(default="", description="How the last commitments went.")


class PostUpdate(StrictInput):
    commitments: Text | None = omitted()
    progress: Text | None = omitted()

    _not_null = field_validator("commitments", "progress")(_refuse_null)


class ResponseCreate(StrictInput):
    body: Body


class ResponseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    post_id: uuid.UUID
    author_id: uuid.UUID
    body: str
    created_at: datetime


class PostRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    round_id: uuid.UUID
    author_id: uuid.UUID
    commitments: str
    progress: str
    created_at: datetime
    updated_at: datetime
    version: int
    responses: list[ResponseRead] = Field(description="The others' responses, oldest first.")


class RoundRead(RoundSummaryRead):
    posts: list[PostRead] = Field(description="One per member who posted, oldest first.")


class GroupHelpRequestRead(BaseModel):
    """A member asked for help on an objective: ids only; whether the caller may read the
    objective is the goals service's to say."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    group_id: uuid.UUID
    help_request_id: uuid.UUID
    objective_id: uuid.UUID
    person_id: uuid.UUID = Field(description="The member who asked.")
    created_at: datetime
