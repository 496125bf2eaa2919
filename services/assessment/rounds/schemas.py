"""The rounds contract: sending an instrument to an audience, answering it, counting answers."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic import Strict as _Strict

from kit.fields import DateTimeText, WholeNumber
from services.assessment.instruments.schemas import Name
from services.assessment.schemas import Key, StrictInput

# Bodies are strict, but JSON has no native UUID, enum or instant: these accept their text.
Lax = _Strict(False)
Id = Annotated[uuid.UUID, Lax]
Instant = Annotated[datetime, DateTimeText, Lax]
Comment = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]

MIN_GROUP_FLOOR = 3
DEFAULT_MIN_GROUP = 5
MAX_ATTRIBUTES = 3


class RoundMode(StrEnum):
    """`anonymous`: who answered and what they answered are stored apart; `identified`: each
    response keeps its person (said to respondents before they answer)."""

    ANONYMOUS = "anonymous"
    IDENTIFIED = "identified"


class RoundStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class ParticipationStatus(StrEnum):
    """Where one invited person stands: not started, answers saved, or submitted (final)."""

    INVITED = "invited"
    SAVED = "saved"
    SUBMITTED = "submitted"


class AttributeOption(StrictInput):
    key: Key
    name: Name


class Attribute(StrictInput):
    """A demographic attribute respondents may declare, e.g. tenure band; declaring is
    optional, and undeclared answers form a group of their own in breakdowns."""

    key: Key
    name: Name
    options: list[AttributeOption] = Field(min_length=2, max_length=12)


class RoundCreate(StrictInput):
    instrument_id: Id
    name: Name
    team_id: Id | None = Field(
        default=None,
        description="The audience: this team and its sub-teams; none for everyone. A team's "
        "lead may send a round to their own team; HR admins to any audience.",
    )
    mode: Annotated[RoundMode, Lax] = RoundMode.ANONYMOUS
    min_group_size: Annotated[int, WholeNumber] = Field(
        default=DEFAULT_MIN_GROUP,
        ge=MIN_GROUP_FLOOR,
        le=100,
        description="No figure of a smaller group is ever shown; locked when the round opens.",
    )
    attributes: list[Attribute] = Field(default_factory=list, max_length=MAX_ATTRIBUTES)
    opens_at: Instant | None = Field(
        default=None,
        description="When it opens by itself; without it, it opens when someone opens it.",
    )
    closes_at: Instant = Field(description="When it closes by itself.")


class RoundRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    instrument_id: uuid.UUID
    name: str
    team_id: uuid.UUID | None = Field(description="The audience's team; none for everyone.")
    mode: RoundMode
    min_group_size: int
    attributes: list[Attribute]
    status: RoundStatus = Field(description="`open` turns `closed` at `closes_at` by itself.")
    opens_at: datetime | None
    closes_at: datetime
    opened_at: datetime | None
    closed_at: datetime | None
    created_by: uuid.UUID | None
    created_at: datetime
    version: int


class RoundQuery(BaseModel):
    """Narrows `GET /v1/rounds`, within the rounds the caller sees."""

    status: RoundStatus | None = None
    invited: bool | None = Field(
        default=None, description="`true`: only the rounds you are asked to answer."
    )
    instrument_id: uuid.UUID | None = None


class ParticipationRead(BaseModel):
    """How many were asked and how many answered; never who."""

    round_id: uuid.UUID
    invited: int
    submitted: int
    rate: float = Field(description="submitted / invited, 0 to 1.")


# --- One person's answers --------------------------------------------------------------------


class AnswerGiven(StrictInput):
    question_id: Id
    value: Annotated[int, WholeNumber] | None = Field(
        default=None, description="For a `rating` question: a point of the scale."
    )
    comment: Comment | None = Field(default=None, description="For a `comment` question.")


class Answers(StrictInput):
    """Answers so far (saving replaces those saved before) and declared attributes."""

    answers: list[AnswerGiven] = Field(default_factory=list, max_length=200)
    attributes: dict[str, str] = Field(
        default_factory=dict,
        description="Attribute key → option key, for the round's declared attributes only.",
    )


class MyResponseRead(BaseModel):
    """The caller's own part in a round. In an anonymous round the answers are shown only
    until submitted: after that nothing links them to you."""

    round_id: uuid.UUID
    mode: RoundMode
    status: ParticipationStatus
    answers: list[AnswerGiven]
    attributes: dict[str, str]
