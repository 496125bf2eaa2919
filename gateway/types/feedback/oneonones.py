"""1:1s in the graph: a series between two people, its meetings with their shared agenda, GROW
sections, shared notes and action items, and each person's own private note. Only the two
participants reach a series or anything in it, and a private note its author alone (the
service decides, in the statement that finds the rows); the viewer's lists are reached from
`gateway.types.people`."""

from __future__ import annotations

import contextlib
import uuid
from datetime import date, datetime, time
from typing import Annotated

import strawberry

from gateway.clients import ServiceError
from gateway.context import Info
from gateway.loaders import PageKey
from gateway.types.common import (
    After,
    Connection,
    First,
    GlobalId,
    Node,
    children_of,
    load_one,
    page_connection,
    page_size,
    resolver_field,
)
from gateway.types.feedback.contracts import (
    ActionItemRead,
    MeetingRead,
    MeetingSummaryRead,
    SeriesRead,
    TalkingPointRead,
)
from gateway.types.feedback.oneonone_enums import (
    CadenceEnum,
    MeetingStatusEnum,
    RefKindEnum,
    RelationshipEnum,
    WeekdayEnum,
)
from gateway.types.people import Person, load_person
from kit.pagination import DEFAULT_PAGE_SIZE

# The graph's type of what a talking point may be about, by kind (its `refId` is such an id).
REF_TYPES = {
    RefKindEnum.OBJECTIVE: "Objective",
    RefKindEnum.KEY_RESULT: "KeyResult",
    RefKindEnum.HELP_REQUEST: "HelpRequest",
    RefKindEnum.DEVELOPMENT_GOAL: "DevelopmentGoal",
}


@strawberry.type(description="A point on a meeting's shared agenda.")
class TalkingPoint:
    id: strawberry.ID = strawberry.field(description="Opaque id; pass it to agenda changes.")
    text: str = strawberry.field(description="What to talk about.")
    ref_kind: RefKindEnum | None = strawberry.field(description="What it is about, if anything.")
    ref_id: strawberry.ID | None = strawberry.field(
        description="The id of that thing (an `Objective`, `KeyResult`, … id), kept as given: "
        "it may since be gone or hidden from you."
    )
    done: bool = strawberry.field(description="Checked off.")
    carried_over: bool = strawberry.field(
        description="Brought over unchecked from an earlier meeting."
    )
    version: int = strawberry.field(
        description="Pass it as `expectedVersion` to edit or delete this point; it changes with "
        "every change of the point."
    )
    record: strawberry.Private[TalkingPointRead]

    @classmethod
    def from_record(cls, record: TalkingPointRead) -> TalkingPoint:
        kind = None if record.ref_kind is None else RefKindEnum(record.ref_kind.value)
        return cls(
            id=GlobalId("TalkingPoint", record.id).encode(),
            text=record.text,
            ref_kind=kind,
            ref_id=(
                None
                if kind is None or record.ref_id is None
                else GlobalId(REF_TYPES[kind], record.ref_id).encode()
            ),
            done=record.done,
            carried_over=record.carried_over,
            version=record.version,
            record=record,
        )

    @resolver_field("Who added it.")
    async def author(self, info: Info) -> Person | None:
        return await load_person(info, self.record.author_id)


@strawberry.type(description="Something one of the two agreed to do, optionally by a date.")
class ActionItem:
    id: strawberry.ID = strawberry.field(description="Opaque id; pass it to action item changes.")
    text: str = strawberry.field(description="What will be done.")
    due_on: date | None = strawberry.field(description="By when, if agreed.")
    done: bool = strawberry.field(description="Checked off.")
    completed_at: datetime | None = strawberry.field(description="When it was checked off.")
    created_at: datetime = strawberry.field(description="When it was agreed.")
    version: int = strawberry.field(description="Pass it as `expectedVersion` to change this item.")
    record: strawberry.Private[ActionItemRead]

    @classmethod
    def from_record(cls, record: ActionItemRead) -> ActionItem:
        return cls(
            id=GlobalId("ActionItem", record.id).encode(),
            text=record.text,
            due_on=record.due_on,
            done=record.done,
            completed_at=record.completed_at,
            created_at=record.created_at,
            version=record.version,
            record=record,
        )

    @resolver_field("Whose it is: one of the two.")
    async def owner(self, info: Info) -> Person | None:
        return await load_person(info, self.record.owner_id)

    @resolver_field("The meeting it belongs to now (open items move on with the agenda).")
    async def meeting(self, info: Info) -> OneOnOneMeeting | None:
        return await load_meeting(info, self.record.meeting_id)

    @resolver_field("The meeting it was agreed in.")
    async def origin_meeting(self, info: Info) -> OneOnOneMeeting | None:
        return await load_meeting(info, self.record.origin_meeting_id)


@strawberry.type(description="A meeting's GROW sections: Goal, Reality, Options and Will.")
class GrowSections:
    goal: str = strawberry.field(description="What the person wants to reach.")
    reality: str = strawberry.field(description="Where they stand now.")
    options: str = strawberry.field(description="What they could do.")
    will: list[str] = strawberry.field(
        description="What will be done; `convertWillToActionItems` makes each an action item."
    )


@strawberry.type(description="Your own note on a meeting; nobody else ever reads it.")
class PrivateNote:
    text: str = strawberry.field(description="What you wrote.")
    updated_at: datetime = strawberry.field(description="When you last wrote it.")


@strawberry.type(
    description="A meeting of a 1:1 series, as its two participants share it; a private note "
    "only as `myPrivateNote`, the caller's own."
)
class OneOnOneMeeting(Node):
    starts_at: datetime = strawberry.field(description="When it starts.")
    status: MeetingStatusEnum = strawberry.field(description="Scheduled or completed.")
    completed_at: datetime | None = strawberry.field(description="When it was marked held.")
    created_at: datetime = strawberry.field(description="When it was made.")
    version: int = strawberry.field(
        description="The shared meeting's version: pass it as `expectedVersion` to change its "
        "time, GROW or shared notes or to reorder its agenda; it changes with each of those."
    )
    record: strawberry.Private[MeetingSummaryRead]

    @classmethod
    def from_record(cls, record: MeetingSummaryRead) -> OneOnOneMeeting:
        return cls(
            id=GlobalId("OneOnOneMeeting", record.id).encode(),
            starts_at=record.starts_at,
            status=MeetingStatusEnum(record.status.value),
            completed_at=record.completed_at,
            created_at=record.created_at,
            version=record.version,
            record=record,
        )

    async def _shared(self, info: Info) -> MeetingRead:
        if isinstance(self.record, MeetingRead):
            return self.record
        found = await info.context.loaders.meeting_by_id.load(self.record.id)
        if found is None:  # gone since it was listed, or ended out of reach
            raise LookupError("The meeting is no longer there.")
        return found

    @resolver_field("The series it belongs to.")
    async def one_on_one(self, info: Info) -> OneOnOne | None:
        return await load_one_on_one(info, self.record.series_id)

    @resolver_field("The shared agenda, in the agreed order.")
    async def agenda(self, info: Info) -> list[TalkingPoint]:
        return [TalkingPoint.from_record(point) for point in (await self._shared(info)).agenda]

    @resolver_field("The GROW sections.")
    async def grow(self, info: Info) -> GrowSections:
        grow = (await self._shared(info)).grow
        return GrowSections(
            goal=grow.goal, reality=grow.reality, options=grow.options, will=list(grow.will)
        )

    @resolver_field("The notes both participants write together.")
    async def shared_notes(self, info: Info) -> str:
        return (await self._shared(info)).shared_notes

    @resolver_field("Its action items, open ones carried over from earlier meetings included.")
    async def action_items(self, info: Info) -> list[ActionItem]:
        return [ActionItem.from_record(item) for item in (await self._shared(info)).action_items]

    @resolver_field(
        "Your own private note on it; null when you wrote none. Never anyone else's, whoever "
        "asks: the other participant's note is theirs alone."
    )
    async def my_private_note(self, info: Info) -> PrivateNote | None:
        note = await info.context.loaders.own_note_by_meeting_id.load(self.record.id)
        if note is None:
            return None
        return PrivateNote(text=note.text, updated_at=note.updated_at)


@strawberry.type(
    description="A series of 1:1 meetings between two people on a cadence; seen by the two "
    "alone (not their managers, not HR admins)."
)
class OneOnOne(Node):
    title: str = strawberry.field(description="What calendars show.")
    relationship: RelationshipEnum = strawberry.field(description="How the two stand.")
    cadence: CadenceEnum = strawberry.field(description="How often they meet.")
    weekday: WeekdayEnum = strawberry.field(description="On which day.")
    at: time = strawberry.field(description="Local time of day, in `timeZone`.")
    time_zone: str = strawberry.field(description="IANA time zone of the weekday and time.")
    duration_minutes: int = strawberry.field(description="How long a meeting lasts.")
    ended_at: datetime | None = strawberry.field(
        description="When one of the two ended it; it changes no more after."
    )
    created_at: datetime = strawberry.field(description="When it was started.")
    version: int = strawberry.field(description="Changes on every change of the series.")
    record: strawberry.Private[SeriesRead]

    @classmethod
    def from_record(cls, record: SeriesRead) -> OneOnOne:
        return cls(
            id=GlobalId("OneOnOne", record.id).encode(),
            title=record.title,
            relationship=RelationshipEnum(record.relationship.value),
            cadence=CadenceEnum(record.cadence.value),
            weekday=WeekdayEnum(record.weekday.value),
            at=record.at,
            time_zone=record.time_zone,
            duration_minutes=record.duration_minutes,
            ended_at=record.ended_at,
            created_at=record.created_at,
            version=record.version,
            record=record,
        )

    @resolver_field("Who started it.")
    async def organizer(self, info: Info) -> Person | None:
        return await load_person(info, self.record.organizer_id)

    @resolver_field("The other participant.")
    async def invitee(self, info: Info) -> Person | None:
        return await load_person(info, self.record.invitee_id)

    @resolver_field("The earliest meeting not yet held: the one to prepare for.")
    async def next_meeting(self) -> OneOnOneMeeting | None:
        upcoming = self.record.next_meeting
        return None if upcoming is None else OneOnOneMeeting.from_record(upcoming)

    @resolver_field("Its meetings, in the order they were made.")
    async def meetings(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[OneOnOneMeeting]:
        loader = info.context.loaders.meetings_by_one_on_one_id
        return await children_of(loader, self.record.id, first, after, OneOnOneMeeting.from_record)


async def load_one_on_one(info: Info, series_id: uuid.UUID | None) -> OneOnOne | None:
    return await load_one(info.context.loaders.one_on_one_by_id, series_id, OneOnOne.from_record)


async def load_meeting(info: Info, meeting_id: uuid.UUID | None) -> OneOnOneMeeting | None:
    return await load_one(
        info.context.loaders.meeting_by_id, meeting_id, OneOnOneMeeting.from_record
    )


def prime_series(info: Info, records: list[SeriesRead]) -> None:
    """Series read in a list (or just changed) need no second read by id."""
    info.context.loaders.one_on_one_by_id.prime_many(
        {record.id: record for record in records}, force=True
    )


def prime_meetings(info: Info, records: list[MeetingRead]) -> None:
    """A meeting just changed is read as the change left it."""
    info.context.loaders.meeting_by_id.prime_many(
        {record.id: record for record in records}, force=True
    )


def forget_meeting(info: Info, meeting_id: uuid.UUID) -> None:
    """A meeting changed through one of its parts is read again if asked for later."""
    with contextlib.suppress(KeyError):
        info.context.loaders.meeting_by_id.clear(meeting_id)


async def _viewer_is(info: Info, person_id: uuid.UUID) -> bool:
    try:
        viewer = await info.context.loaders.viewer_by_caller.load(info.context.caller)
    except ServiceError:  # a token that names nobody (an integration's)
        return False
    return viewer.id == person_id


class OneOnOnesOf:
    """The one way the people types reach 1:1s (lazily): the viewer's own, nobody else's."""

    @staticmethod
    async def viewer(
        info: Info, person_id: uuid.UUID, first: int, after: str | None
    ) -> Connection[OneOnOne] | None:
        if not await _viewer_is(info, person_id):
            return None
        key: PageKey[None] = PageKey(None, page_size(first), after)
        page = await info.context.loaders.one_on_ones_by_caller.load(key)
        prime_series(info, page.items)
        return page_connection(page, OneOnOne.from_record, after)

    @staticmethod
    async def action_items(
        info: Info, person_id: uuid.UUID, done: bool | None, first: int, after: str | None
    ) -> Connection[ActionItem] | None:
        if not await _viewer_is(info, person_id):
            return None
        key = PageKey(done, page_size(first), after)
        page = await info.context.loaders.action_items_by_caller.load(key)
        return page_connection(page, ActionItem.from_record, after)


@resolver_field("A 1:1 series by id; null unless you are one of its two participants.")
async def one_on_one(
    info: Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="A `OneOnOne` id.")],
) -> OneOnOne | None:
    return await load_one_on_one(info, GlobalId.decode_as("OneOnOne", id))


@resolver_field("A 1:1 meeting by id; null unless you are one of its two participants.")
async def one_on_one_meeting(
    info: Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="A `OneOnOneMeeting` id.")],
) -> OneOnOneMeeting | None:
    return await load_meeting(info, GlobalId.decode_as("OneOnOneMeeting", id))
