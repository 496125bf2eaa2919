"""The 1:1s contract: a series between two people, its meetings with their shared agenda, GROW
sections, shared notes and action items, each person's private note, and their calendar feed."""

from __future__ import annotations

import uuid
import zoneinfo
from datetime import UTC, date, datetime, time
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

from kit.fields import DateText, DateTimeText, WholeNumber, omitted
from services.feedback.schemas import (
    DEFAULT_PER_PARENT,
    Id,
    Lax,
    ParentIds,
    PerParent,
    StrictInput,
)

MAX_TALKING_POINTS = 100
MAX_WILL = 20
FIRST_YEAR, LAST_YEAR = 2000, 2200


class Relationship(StrEnum):
    """How the two stand to each other; `manager` needs one to be the other's direct manager."""

    MANAGER = "manager"
    MENTORING = "mentoring"
    PEERS = "peers"


class Cadence(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"  # every other week
    MONTHLY = "monthly"  # the first chosen weekday of each month


class Weekday(StrEnum):
    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"
    SATURDAY = "saturday"
    SUNDAY = "sunday"

    @property
    def number(self) -> int:
        """As `date.weekday()` counts: Monday is 0."""
        return list(Weekday).index(self)


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    COMPLETED = "completed"


class RefKind(StrEnum):
    """What a talking point may be about, in another service (kept as given, not checked)."""

    OBJECTIVE = "objective"
    KEY_RESULT = "key_result"
    HELP_REQUEST = "help_request"
    DEVELOPMENT_GOAL = "development_goal"


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _time_zone(value: str) -> str:
    if value not in _time_zones():
        raise ValueError("not an IANA time zone such as `Europe/London`")
    return value


def _in_utc(value: datetime) -> datetime:
    try:
        moment = value.astimezone(UTC)
    except OverflowError:  # before the first representable instant
        raise ValueError("out of range") from None
    # Meetings are held in this world: the cadence and calendars count on from them.
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"a meeting is held between the years {FIRST_YEAR} and {LAST_YEAR}")
    return moment


def _local(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("a local time such as `09:30`, without an offset (see `time_zone`)")
    return value


def _refuse_null(value: Any) -> Any:
    # Validators run only for values sent: an omitted field stays unchanged, a `null` is refused.
    if value is None:
        raise ValueError("may not be null")
    return value


Moment = Annotated[AwareDatetime, DateTimeText, Lax, AfterValidator(_in_utc)]
Day = Annotated[date, DateText, Lax]
LocalTime = Annotated[time, Lax, AfterValidator(_local)]
TimeZone = Annotated[str, StringConstraints(max_length=64), AfterValidator(_time_zone)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Point = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Section = Annotated[str, StringConstraints(max_length=5000)]
Notes = Annotated[str, StringConstraints(max_length=20000)]
Minutes = Annotated[int, WholeNumber, Field(ge=5, le=480)]


class SeriesCreate(StrictInput):
    with_id: Id = Field(description="The other person: an active colleague, not you.")
    relationship: Annotated[Relationship, Lax] = Field(
        description="`manager` when one of you is the other's direct manager (409 "
        "`not_manager_and_report` otherwise); `mentoring` or `peers` with anyone."
    )
    title: Title = Field(default="1:1", description="What calendars show; no agenda in it.")
    cadence: Annotated[Cadence, Lax]
    weekday: Annotated[Weekday, Lax]
    at: LocalTime = Field(description="Local time of day, `HH:MM`.")
    time_zone: TimeZone = Field(description="IANA time zone the weekday and time are in.")
    duration_minutes: Minutes = 30
    first_meeting_at: Moment | None = Field(
        default=None,
        description="When the first meeting starts; by default the next time the cadence gives.",
    )


class SeriesUpdate(StrictInput):
    """A new title or cadence; later generated meetings follow it, scheduled ones stay."""

    title: Title | None = omitted()
    cadence: Annotated[Cadence, Lax] | None = omitted()
    weekday: Annotated[Weekday, Lax] | None = omitted()
    at: LocalTime | None = omitted()
    time_zone: TimeZone | None = omitted()
    duration_minutes: Minutes | None = omitted()

    _not_null = field_validator(
        "title", "cadence", "weekday", "at", "time_zone", "duration_minutes"
    )(_refuse_null)


class MeetingSummaryRead(BaseModel):
    """A meeting in a list: when, and where it stands; its content is read one at a time."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    series_id: uuid.UUID
    starts_at: datetime
    status: MeetingStatus
    completed_at: datetime | None
    created_at: datetime
    version: int


class SeriesRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    organizer_id: uuid.UUID = Field(description="Who started the series.")
    invitee_id: uuid.UUID
    relationship: Relationship
    title: str
    cadence: Cadence
    weekday: Weekday
    at: time
    time_zone: str
    duration_minutes: int
    next_meeting: MeetingSummaryRead | None = Field(
        description="The earliest meeting not yet completed: the one to prepare for (none "
        "once the series has ended)."
    )
    ended_at: datetime | None = Field(
        description="When one of the two ended the series; it changes no more after."
    )
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Changes on every update; the `ETag` of single reads.")


class MeetingCreate(StrictInput):
    starts_at: Moment | None = Field(
        default=None,
        description="When it starts; by default the next time the cadence gives after the "
        "series' latest meeting.",
    )


class Grow(StrictInput):
    """The GROW sections of a meeting (Goal, Reality, Options, Will); `will` is a list of what
    will be done, each of which can become an action item."""

    goal: Section = ""
    reality: Section = ""
    options: Section = ""
    will: list[Point] = Field(default_factory=list, max_length=MAX_WILL)


class MeetingUpdate(StrictInput):
    """What both participants edit together; needs `If-Match` with the meeting's `ETag`."""

    starts_at: Moment | None = omitted()
    grow: Grow | None = omitted()
    shared_notes: Notes | None = omitted()

    _not_null = field_validator("starts_at", "grow", "shared_notes")(_refuse_null)


class TalkingPointCreate(StrictInput):
    text: Point
    ref_kind: Annotated[RefKind, Lax] | None = Field(
        default=None, description="What it is about, with `ref_id`."
    )
    ref_id: Id | None = Field(default=None, description="The id of that thing, with `ref_kind`.")


class TalkingPointUpdate(StrictInput):
    text: Point | None = omitted()
    done: bool | None = omitted()

    _not_null = field_validator("text", "done")(_refuse_null)


class AgendaOrder(StrictInput):
    """Every talking point of the meeting, once each, in the new order."""

    ids: list[Id] = Field(max_length=MAX_TALKING_POINTS)


class ActionItemCreate(StrictInput):
    text: Point
    owner_id: Id = Field(description="One of the two participants.")
    due_on: Day | None = None


class ActionItemUpdate(StrictInput):
    text: Point | None = omitted()
    owner_id: Id | None = omitted()
    due_on: Day | None = None
    done: bool | None = omitted()

    _not_null = field_validator("text", "owner_id", "done")(_refuse_null)


class WillConvert(StrictInput):
    """Turn the meeting's Will list into action items, all with this owner and due date."""

    owner_id: Id = Field(description="One of the two participants.")
    due_on: Day | None = None


class ActionItemQuery(BaseModel):
    """Narrows `GET /v1/one-on-one-action-items`, within your own series."""

    done: bool | None = Field(default=None, description="Only done ones, or only open ones.")
    owner_id: uuid.UUID | None = Field(default=None, description="Only those this person owns.")
    series_id: uuid.UUID | None = Field(default=None, description="Only those of this series.")


class PrivateNoteWrite(StrictInput):
    text: Notes


class TalkingPointRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    meeting_id: uuid.UUID
    author_id: uuid.UUID
    text: str
    ref_kind: RefKind | None
    ref_id: uuid.UUID | None
    done: bool
    carried_over: bool = Field(description="Brought over unchecked from an earlier meeting.")
    version: int = Field(description="The `ETag` a `PATCH` of this point wants in `If-Match`.")


class ActionItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    series_id: uuid.UUID
    meeting_id: uuid.UUID = Field(description="The meeting it belongs to now.")
    origin_meeting_id: uuid.UUID = Field(description="The meeting it was agreed in.")
    owner_id: uuid.UUID
    text: str
    due_on: date | None
    done: bool
    completed_at: datetime | None
    created_at: datetime
    version: int = Field(description="The `ETag` a `PATCH` of this item wants in `If-Match`.")


class MeetingRead(MeetingSummaryRead):
    """A meeting as its two participants share it (never anyone's private note)."""

    grow: Grow
    shared_notes: str
    agenda: list[TalkingPointRead] = Field(description="In the agreed order.")
    action_items: list[ActionItemRead] = Field(description="Open ones carried over included.")


class MeetingsBySeriesQuery(BaseModel):
    series_id: ParentIds = Field(description="Series of yours whose meetings to read.")
    per_series: PerParent = Field(default=DEFAULT_PER_PARENT, description="Per series.")


class SeriesMeetingsRead(BaseModel):
    """One series' share of a grouped read of meetings."""

    series_id: uuid.UUID
    items: list[MeetingSummaryRead]
    has_more: bool = Field(description="More meetings exist than the per-series limit returned.")
    next_cursor: str | None = Field(
        description="Where the series' own list continues (`GET /v1/one-on-ones/{id}/meetings` "
        "with this `cursor`), or null at the end."
    )


class MeetingsBySeriesRead(BaseModel):
    groups: list[SeriesMeetingsRead]


class MeetingCompletionRead(BaseModel):
    """A meeting marked held, and the next one, where what it left open now is."""

    completed: MeetingSummaryRead
    next: MeetingRead


class PrivateNoteRead(BaseModel):
    meeting_id: uuid.UUID
    text: str
    updated_at: datetime


class CalendarFeedRead(BaseModel):
    """Shown once: the feed's secret address. Keep it like a password; rotate it if shared."""

    path: str = Field(description="The feed's path on this service (`GET`, no bearer token).")
    token: str = Field(description="The secret in the path; only a hash of it is kept.")
    created_at: datetime
