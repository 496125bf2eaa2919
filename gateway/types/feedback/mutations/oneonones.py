"""Starting a 1:1 series, scheduling its meetings, the shared agenda (add, edit, check off,
delete, reorder: each at the version read, so that two people editing at once never lose a
change), GROW and shared notes, and completing a meeting (what it left open moves on)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated

import strawberry

from gateway.clients import FeedbackClient
from gateway.context import Info
from gateway.errors import mutate
from gateway.types.common import UserError, idempotency_key, input_id, resolver_field
from gateway.types.feedback.contracts import (
    AgendaOrder,
    Cadence,
    Grow,
    MeetingCreate,
    MeetingUpdate,
    RefKind,
    Relationship,
    SeriesCreate,
    TalkingPointCreate,
    TalkingPointUpdate,
    Weekday,
)
from gateway.types.feedback.oneonone_enums import (
    CadenceEnum,
    RefKindEnum,
    RelationshipEnum,
    WeekdayEnum,
)
from gateway.types.feedback.oneonones import (
    REF_TYPES,
    OneOnOne,
    OneOnOneMeeting,
    TalkingPoint,
    forget_meeting,
    load_meeting,
    prime_meetings,
    prime_series,
)

MeetingId = Annotated[strawberry.ID, strawberry.field(description="A `OneOnOneMeeting` id.")]
ExpectedVersion = Annotated[
    int,
    strawberry.field(
        description="The `version` you read; `stale_version` when it changed since (read again "
        "and reapply, so that neither of you loses a change)."
    ),
]
_RENAMES = {"with_id": "withId", "ids": "talkingPointIds"}


# --- Inputs, payloads, errors ----------------------------------------------------------------


@strawberry.input(description="A 1:1 series to start with a colleague.")
class StartOneOnOneInput:
    with_id: strawberry.ID = strawberry.field(description="The other person (a `Person` id).")
    relationship: RelationshipEnum = strawberry.field(
        description="`MANAGER` when one of you is the other's direct manager."
    )
    cadence: CadenceEnum = strawberry.field(description="How often you meet.")
    weekday: WeekdayEnum = strawberry.field(description="On which day.")
    at: time = strawberry.field(description="Local time of day, without an offset.")
    time_zone: str = strawberry.field(description="IANA time zone, e.g. `Europe/London`.")
    title: str = strawberry.field(default="1:1", description="What calendars show.")
    duration_minutes: int = strawberry.field(default=30, description="From 5 to 480.")
    first_meeting_at: datetime | None = strawberry.field(
        default=None, description="When the first meeting starts; by default from the cadence."
    )
    idempotency_key: str | None = idempotency_key("the series is started")


@strawberry.type(description="The series was started, with its first meeting.")
class StartOneOnOnePayload:
    one_on_one: OneOnOne = strawberry.field(description="The new series.")


@strawberry.type(
    description="No series was started: e.g. `with_self`, `not_manager_and_report`, "
    "`unknown_person`, `person_inactive`, `validation_failed`, `invalid_id`."
)
class StartOneOnOneError(UserError):
    pass


@strawberry.input(description="A further meeting of a series.")
class ScheduleOneOnOneMeetingInput:
    one_on_one_id: strawberry.ID = strawberry.field(description="A `OneOnOne` id.")
    starts_at: datetime | None = strawberry.field(
        default=None, description="When; by default the next time the cadence gives."
    )
    idempotency_key: str | None = idempotency_key("the meeting is made")


@strawberry.type(description="The meeting was made.")
class ScheduleOneOnOneMeetingPayload:
    meeting: OneOnOneMeeting = strawberry.field(description="The new meeting.")


@strawberry.type(
    description="No meeting was made: e.g. `one_on_one_not_found`, `series_ended`, "
    "`validation_failed`, `invalid_id`."
)
class ScheduleOneOnOneMeetingError(UserError):
    pass


@strawberry.input(description="A talking point to add at the end of a meeting's agenda.")
class AddTalkingPointInput:
    meeting_id: MeetingId
    text: str = strawberry.field(description="What to talk about (at most 500 characters).")
    ref_kind: RefKindEnum | None = strawberry.field(
        default=None, description="What it is about, with `refId`."
    )
    ref_id: strawberry.ID | None = strawberry.field(
        default=None, description="The id of that thing (an `Objective` id…), with `refKind`."
    )
    idempotency_key: str | None = idempotency_key("the point is added")


@strawberry.input(
    description="A new wording of a talking point, or its check mark, at the version you read."
)
class EditTalkingPointInput:
    meeting_id: MeetingId
    talking_point_id: strawberry.ID = strawberry.field(description="A `TalkingPoint` id.")
    expected_version: ExpectedVersion
    text: str | None = strawberry.field(default=None, description="The new wording.")
    done: bool | None = strawberry.field(default=None, description="Checked off, or not.")


@strawberry.type(description="The agenda changed.")
class TalkingPointPayload:
    talking_point: TalkingPoint = strawberry.field(description="The point as it is now.")
    meeting: OneOnOneMeeting | None = strawberry.field(description="Its meeting as it is now.")


@strawberry.type(
    description="The point was not added: e.g. `meeting_not_found`, `series_ended`, "
    "`agenda_full`, `validation_failed`, `invalid_id`."
)
class AddTalkingPointError(UserError):
    pass


@strawberry.type(
    description="The point did not change: e.g. `stale_version` (the other participant "
    "changed it since you read it), `talking_point_not_found`, `series_ended`, "
    "`validation_failed`, `invalid_id`."
)
class EditTalkingPointError(UserError):
    pass


@strawberry.input(description="A talking point to take off the agenda, at the version you read.")
class DeleteTalkingPointInput:
    meeting_id: MeetingId
    talking_point_id: strawberry.ID = strawberry.field(description="A `TalkingPoint` id.")
    expected_version: ExpectedVersion


@strawberry.type(description="The point is off the agenda.")
class DeleteTalkingPointPayload:
    deleted_talking_point_id: strawberry.ID = strawberry.field(description="Its id.")
    meeting: OneOnOneMeeting | None = strawberry.field(description="Its meeting as it is now.")


@strawberry.type(
    description="Nothing was deleted: e.g. `stale_version`, `talking_point_not_found`, "
    "`series_ended`, `invalid_id`."
)
class DeleteTalkingPointError(UserError):
    pass


@strawberry.input(description="A meeting's agenda in a new order, at the meeting's version.")
class ReorderAgendaInput:
    meeting_id: MeetingId
    talking_point_ids: list[strawberry.ID] = strawberry.field(
        description="Every point of the agenda (`TalkingPoint` ids), once each, in the new order."
    )
    expected_version: ExpectedVersion


@strawberry.input(description="The GROW sections, written in full.")
class GrowInput:
    goal: str = strawberry.field(default="", description="What the person wants to reach.")
    reality: str = strawberry.field(default="", description="Where they stand now.")
    options: str = strawberry.field(default="", description="What they could do.")
    will: list[str] = strawberry.field(
        default_factory=list, description="What will be done (at most 20 entries)."
    )


@strawberry.input(
    description="A change to what the two share of a meeting, at the meeting's version: its "
    "time, GROW sections or shared notes (those given)."
)
class UpdateOneOnOneMeetingInput:
    meeting_id: MeetingId
    expected_version: ExpectedVersion
    starts_at: datetime | None = strawberry.field(default=None, description="A new time.")
    grow: GrowInput | None = strawberry.field(default=None, description="The GROW sections.")
    shared_notes: str | None = strawberry.field(
        default=None, description="The shared notes, in full (at most 20000 characters)."
    )


@strawberry.type(description="The meeting changed.")
class MeetingPayload:
    meeting: OneOnOneMeeting = strawberry.field(description="The meeting as it is now.")


@strawberry.type(
    description="The agenda was not reordered: e.g. `stale_version`, "
    "`agenda_order_mismatch`, `meeting_not_found`, `series_ended`, `invalid_id`."
)
class ReorderAgendaError(UserError):
    pass


@strawberry.type(
    description="The meeting did not change: e.g. `stale_version`, `meeting_not_found`, "
    "`series_ended`, `validation_failed`, `invalid_id`."
)
class UpdateOneOnOneMeetingError(UserError):
    pass


@strawberry.input(description="A meeting to mark held.")
class CompleteOneOnOneMeetingInput:
    meeting_id: MeetingId


@strawberry.type(
    description="The meeting is held; its unchecked points and open action items moved to the "
    "next meeting."
)
class CompleteOneOnOneMeetingPayload:
    completed: OneOnOneMeeting = strawberry.field(description="The meeting just held.")
    next: OneOnOneMeeting = strawberry.field(description="Where what it left open now is.")


@strawberry.type(
    description="The meeting was not completed: e.g. `meeting_completed` (already), "
    "`meeting_not_found`, `series_ended`, `invalid_id`."
)
class CompleteOneOnOneMeetingError(UserError):
    pass


StartOneOnOneResult = Annotated[
    StartOneOnOnePayload | StartOneOnOneError,
    strawberry.union("StartOneOnOneResult", description="The change, or why not."),
]
ScheduleOneOnOneMeetingResult = Annotated[
    ScheduleOneOnOneMeetingPayload | ScheduleOneOnOneMeetingError,
    strawberry.union("ScheduleOneOnOneMeetingResult", description="The change, or why not."),
]
AddTalkingPointResult = Annotated[
    TalkingPointPayload | AddTalkingPointError,
    strawberry.union("AddTalkingPointResult", description="The change, or why not."),
]
EditTalkingPointResult = Annotated[
    TalkingPointPayload | EditTalkingPointError,
    strawberry.union("EditTalkingPointResult", description="The change, or why not."),
]
DeleteTalkingPointResult = Annotated[
    DeleteTalkingPointPayload | DeleteTalkingPointError,
    strawberry.union("DeleteTalkingPointResult", description="The change, or why not."),
]
ReorderAgendaResult = Annotated[
    MeetingPayload | ReorderAgendaError,
    strawberry.union("ReorderAgendaResult", description="The change, or why not."),
]
UpdateOneOnOneMeetingResult = Annotated[
    MeetingPayload | UpdateOneOnOneMeetingError,
    strawberry.union("UpdateOneOnOneMeetingResult", description="The change, or why not."),
]
CompleteOneOnOneMeetingResult = Annotated[
    CompleteOneOnOneMeetingPayload | CompleteOneOnOneMeetingError,
    strawberry.union("CompleteOneOnOneMeetingResult", description="The change, or why not."),
]


# --- Mutations -------------------------------------------------------------------------------


@resolver_field("Start a 1:1 series with a colleague; its first meeting is made at once.")
async def start_one_on_one(
    info: Info, input: Annotated[StartOneOnOneInput, strawberry.argument(description="The series.")]
) -> StartOneOnOneResult | None:
    async def change() -> StartOneOnOnePayload:
        with_id = input_id("Person", input.with_id, "withId").id
        body = SeriesCreate.model_construct(
            with_id=with_id,
            relationship=Relationship[input.relationship.name],
            title=input.title,
            cadence=Cadence[input.cadence.name],
            weekday=Weekday[input.weekday.name],
            at=input.at,
            time_zone=input.time_zone,
            duration_minutes=input.duration_minutes,
            first_meeting_at=input.first_meeting_at,
        )
        made = await info.context.clients.feedback.write(
            info.context.caller,
            FeedbackClient.start_series,
            body=body,
            idempotency_key=input.idempotency_key,
        )
        prime_series(info, [made])
        return StartOneOnOnePayload(one_on_one=OneOnOne.from_record(made))

    return await mutate(StartOneOnOneError, change, _RENAMES)


@resolver_field("Add a meeting to a series: at a time, or the next the cadence gives.")
async def schedule_one_on_one_meeting(
    info: Info,
    input: Annotated[ScheduleOneOnOneMeetingInput, strawberry.argument(description="Which.")],
) -> ScheduleOneOnOneMeetingResult | None:
    async def change() -> ScheduleOneOnOneMeetingPayload:
        series_id = input_id("OneOnOne", input.one_on_one_id, "oneOnOneId").id
        made = await info.context.clients.feedback.write(
            info.context.caller,
            FeedbackClient.schedule_meeting,
            series_id,
            body=MeetingCreate.model_construct(starts_at=input.starts_at),
            idempotency_key=input.idempotency_key,
        )
        prime_meetings(info, [made])
        return ScheduleOneOnOneMeetingPayload(meeting=OneOnOneMeeting.from_record(made))

    return await mutate(ScheduleOneOnOneMeetingError, change)


@resolver_field("Add a talking point at the end of a meeting's agenda.")
async def add_talking_point(
    info: Info,
    input: Annotated[AddTalkingPointInput, strawberry.argument(description="The point.")],
) -> AddTalkingPointResult | None:
    async def change() -> TalkingPointPayload:
        meeting_id = input_id("OneOnOneMeeting", input.meeting_id, "meetingId").id
        kind = None if input.ref_kind is None else RefKind[input.ref_kind.name]
        ref_id = None
        if input.ref_id is not None:
            kinds = [REF_TYPES[input.ref_kind]] if input.ref_kind else list(REF_TYPES.values())
            ref_id = input_id(kinds, input.ref_id, "refId").id
        made = await info.context.clients.feedback.write(
            info.context.caller,
            FeedbackClient.add_point,
            meeting_id,
            body=TalkingPointCreate.model_construct(text=input.text, ref_kind=kind, ref_id=ref_id),
            idempotency_key=input.idempotency_key,
        )
        forget_meeting(info, meeting_id)
        return TalkingPointPayload(
            talking_point=TalkingPoint.from_record(made),
            meeting=await load_meeting(info, meeting_id),
        )

    return await mutate(AddTalkingPointError, change)


@resolver_field(
    "Reword a talking point or check it off, at the version you read (`stale_version` when the "
    "other participant changed it meanwhile)."
)
async def edit_talking_point(
    info: Info,
    input: Annotated[EditTalkingPointInput, strawberry.argument(description="The edit.")],
) -> EditTalkingPointResult | None:
    async def change() -> TalkingPointPayload:
        meeting_id = input_id("OneOnOneMeeting", input.meeting_id, "meetingId").id
        point_id = input_id("TalkingPoint", input.talking_point_id, "talkingPointId").id
        given = {name for name in ("text", "done") if getattr(input, name) is not None}
        body = TalkingPointUpdate.model_construct(given, text=input.text, done=input.done)
        changed = await info.context.clients.feedback.write(
            info.context.caller,
            FeedbackClient.change_point,
            meeting_id,
            point_id,
            body=body,
            version=input.expected_version,
        )
        forget_meeting(info, meeting_id)
        return TalkingPointPayload(
            talking_point=TalkingPoint.from_record(changed),
            meeting=await load_meeting(info, meeting_id),
        )

    return await mutate(EditTalkingPointError, change)


@resolver_field("Take a talking point off the agenda, at the version you read.")
async def delete_talking_point(
    info: Info, input: Annotated[DeleteTalkingPointInput, strawberry.argument(description="Which.")]
) -> DeleteTalkingPointResult | None:
    async def change() -> DeleteTalkingPointPayload:
        meeting_id = input_id("OneOnOneMeeting", input.meeting_id, "meetingId").id
        point_id = input_id("TalkingPoint", input.talking_point_id, "talkingPointId").id
        await info.context.clients.feedback.delete_point(
            info.context.caller, meeting_id, point_id, input.expected_version
        )
        forget_meeting(info, meeting_id)
        return DeleteTalkingPointPayload(
            deleted_talking_point_id=input.talking_point_id,
            meeting=await load_meeting(info, meeting_id),
        )

    return await mutate(DeleteTalkingPointError, change)


@resolver_field("Put a meeting's agenda in a new order, at the meeting's version.")
async def reorder_agenda(
    info: Info, input: Annotated[ReorderAgendaInput, strawberry.argument(description="The order.")]
) -> ReorderAgendaResult | None:
    async def change() -> MeetingPayload:
        meeting_id = input_id("OneOnOneMeeting", input.meeting_id, "meetingId").id
        ids = [
            input_id("TalkingPoint", value, "talkingPointIds", str(index)).id
            for index, value in enumerate(input.talking_point_ids)
        ]
        changed = await info.context.clients.feedback.write(
            info.context.caller,
            FeedbackClient.reorder_agenda,
            meeting_id,
            body=AgendaOrder.model_construct(ids=ids),
            version=input.expected_version,
        )
        prime_meetings(info, [changed])
        return MeetingPayload(meeting=OneOnOneMeeting.from_record(changed))

    return await mutate(ReorderAgendaError, change, _RENAMES)


@resolver_field(
    "Change what the two share of a meeting (its time, GROW sections, shared notes), at the "
    "meeting's version."
)
async def update_one_on_one_meeting(
    info: Info,
    input: Annotated[UpdateOneOnOneMeetingInput, strawberry.argument(description="The change.")],
) -> UpdateOneOnOneMeetingResult | None:
    async def change() -> MeetingPayload:
        meeting_id = input_id("OneOnOneMeeting", input.meeting_id, "meetingId").id
        given = {
            name
            for name in ("starts_at", "grow", "shared_notes")
            if getattr(input, name) is not None
        }
        grow = input.grow
        body = MeetingUpdate.model_construct(
            given,
            starts_at=input.starts_at,
            shared_notes=input.shared_notes,
            grow=None
            if grow is None
            else Grow.model_construct(
                goal=grow.goal, reality=grow.reality, options=grow.options, will=grow.will
            ),
        )
        changed = await info.context.clients.feedback.write(
            info.context.caller,
            FeedbackClient.change_meeting,
            meeting_id,
            body=body,
            version=input.expected_version,
        )
        prime_meetings(info, [changed])
        return MeetingPayload(meeting=OneOnOneMeeting.from_record(changed))

    return await mutate(UpdateOneOnOneMeetingError, change)


@resolver_field(
    "Mark a meeting held: its unchecked talking points and open action items move to the next "
    "meeting (made from the cadence when there is none)."
)
async def complete_one_on_one_meeting(
    info: Info,
    input: Annotated[CompleteOneOnOneMeetingInput, strawberry.argument(description="Which.")],
) -> CompleteOneOnOneMeetingResult | None:
    async def change() -> CompleteOneOnOneMeetingPayload:
        meeting_id = input_id("OneOnOneMeeting", input.meeting_id, "meetingId").id
        done = await info.context.clients.feedback.write(
            info.context.caller, FeedbackClient.complete_meeting, meeting_id
        )
        forget_meeting(info, meeting_id)
        prime_meetings(info, [done.next])
        return CompleteOneOnOneMeetingPayload(
            completed=OneOnOneMeeting.from_record(done.completed),
            next=OneOnOneMeeting.from_record(done.next),
        )

    return await mutate(CompleteOneOnOneMeetingError, change)
