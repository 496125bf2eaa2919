"""What a 1:1 leaves to do and to keep: action items (agreed, changed, checked off, made from
GROW's Will), the caller's own private note on a meeting, and their secret calendar feed."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry

from gateway.clients import FeedbackClient
from gateway.context import Info
from gateway.errors import mutate
from gateway.types.common import UserError, idempotency_key, input_id, resolver_field
from gateway.types.feedback.contracts import (
    ActionItemCreate,
    ActionItemUpdate,
    PrivateNoteWrite,
    WillConvert,
)
from gateway.types.feedback.mutations.oneonones import ExpectedVersion, MeetingId
from gateway.types.feedback.oneonones import (
    ActionItem,
    OneOnOneMeeting,
    PrivateNote,
    forget_meeting,
    prime_meetings,
)

_RENAMES = {"owner_id": "ownerId"}


@strawberry.input(description="Your own private note on a meeting, in full.")
class WritePrivateNoteInput:
    meeting_id: MeetingId
    text: str = strawberry.field(description="At most 20000 characters; only you read it.")


@strawberry.type(description="Your note is kept, sealed; nobody else reads it.")
class WritePrivateNotePayload:
    note: PrivateNote = strawberry.field(description="Your note as it is now.")


@strawberry.type(
    description="The note was not written: e.g. `meeting_not_found`, `validation_failed`, "
    "`invalid_id`."
)
class WritePrivateNoteError(UserError):
    pass


WritePrivateNoteResult = Annotated[
    WritePrivateNotePayload | WritePrivateNoteError,
    strawberry.union("WritePrivateNoteResult", description="The note, or why not."),
]


@strawberry.input(description="Something one of the two will do.")
class AddActionItemInput:
    meeting_id: MeetingId
    text: str = strawberry.field(description="What will be done (at most 500 characters).")
    owner_id: strawberry.ID = strawberry.field(description="One of the two (a `Person` id).")
    due_on: date | None = strawberry.field(default=None, description="By when.")
    idempotency_key: str | None = idempotency_key("the item is agreed")


@strawberry.input(
    description="A change to an action item at the version you read: reword, reassign, move "
    "the date, or check it off (`done: true`)."
)
class UpdateActionItemInput:
    action_item_id: strawberry.ID = strawberry.field(description="An `ActionItem` id.")
    expected_version: ExpectedVersion
    text: str | None = strawberry.field(default=None, description="The new wording.")
    owner_id: strawberry.ID | None = strawberry.field(
        default=None, description="The other of the two (a `Person` id)."
    )
    due_on: date | None = strawberry.field(default=None, description="A new due date.")
    done: bool | None = strawberry.field(default=None, description="Checked off, or not.")


@strawberry.type(description="The action item as it is now.")
class ActionItemPayload:
    action_item: ActionItem = strawberry.field(description="The item.")


@strawberry.type(
    description="The item was not agreed: e.g. `meeting_not_found`, `not_a_participant` (the "
    "owner), `series_ended`, `validation_failed`, `invalid_id`."
)
class AddActionItemError(UserError):
    pass


@strawberry.type(
    description="The item did not change: e.g. `stale_version`, `action_item_not_found`, "
    "`not_a_participant`, `series_ended`, `validation_failed`, `invalid_id`."
)
class UpdateActionItemError(UserError):
    pass


AddActionItemResult = Annotated[
    ActionItemPayload | AddActionItemError,
    strawberry.union("AddActionItemResult", description="The item, or why not."),
]
UpdateActionItemResult = Annotated[
    ActionItemPayload | UpdateActionItemError,
    strawberry.union("UpdateActionItemResult", description="The item, or why not."),
]


@strawberry.input(description="Every Will entry of a meeting's GROW, each as an action item.")
class ConvertWillToActionItemsInput:
    meeting_id: MeetingId
    owner_id: strawberry.ID = strawberry.field(description="One of the two (a `Person` id).")
    due_on: date | None = strawberry.field(default=None, description="By when, for all.")


@strawberry.type(description="Will is now action items, and empty.")
class ConvertWillToActionItemsPayload:
    meeting: OneOnOneMeeting = strawberry.field(description="The meeting as it is now.")


@strawberry.type(
    description="Nothing was converted: e.g. `will_empty`, `meeting_not_found`, "
    "`not_a_participant`, `series_ended`, `invalid_id`."
)
class ConvertWillToActionItemsError(UserError):
    pass


ConvertWillToActionItemsResult = Annotated[
    ConvertWillToActionItemsPayload | ConvertWillToActionItemsError,
    strawberry.union("ConvertWillToActionItemsResult", description="The meeting, or why not."),
]


@strawberry.type(
    description="Your calendar feed's secret address, shown only now: keep it like a password "
    "(create again to rotate; the old one stops at once)."
)
class CreateCalendarFeedPayload:
    path: str = strawberry.field(
        description="The feed's path on the feedback service (`GET`, no bearer token)."
    )
    token: str = strawberry.field(description="The secret in the path; only its hash is kept.")
    created_at: datetime = strawberry.field(description="When it was made.")


@strawberry.type(description="No feed was made: e.g. `forbidden` (people only).")
class CreateCalendarFeedError(UserError):
    pass


CreateCalendarFeedResult = Annotated[
    CreateCalendarFeedPayload | CreateCalendarFeedError,
    strawberry.union("CreateCalendarFeedResult", description="The feed, or why not."),
]


@strawberry.type(description="Your calendar feed's address answers nothing from now on.")
class RevokeCalendarFeedPayload:
    revoked: bool = strawberry.field(description="Always true.")


@strawberry.type(description="Nothing was revoked: e.g. `forbidden` (people only).")
class RevokeCalendarFeedError(UserError):
    pass


RevokeCalendarFeedResult = Annotated[
    RevokeCalendarFeedPayload | RevokeCalendarFeedError,
    strawberry.union("RevokeCalendarFeedResult", description="Done, or why not."),
]


@resolver_field("Write your own private note on a meeting of yours; only you ever read it.")
async def write_private_note(
    info: Info,
    input: Annotated[WritePrivateNoteInput, strawberry.argument(description="The note.")],
) -> WritePrivateNoteResult | None:
    async def change() -> WritePrivateNotePayload:
        meeting_id = input_id("OneOnOneMeeting", input.meeting_id, "meetingId").id
        written = await info.context.clients.feedback.write(
            info.context.caller,
            FeedbackClient.write_note,
            meeting_id,
            body=PrivateNoteWrite.model_construct(text=input.text),
        )
        info.context.loaders.own_note_by_meeting_id.prime(meeting_id, written, force=True)
        return WritePrivateNotePayload(
            note=PrivateNote(text=written.text, updated_at=written.updated_at)
        )

    return await mutate(WritePrivateNoteError, change)


@resolver_field("Agree on something one of the two will do, in a meeting.")
async def add_action_item(
    info: Info, input: Annotated[AddActionItemInput, strawberry.argument(description="The item.")]
) -> AddActionItemResult | None:
    async def change() -> ActionItemPayload:
        meeting_id = input_id("OneOnOneMeeting", input.meeting_id, "meetingId").id
        owner_id = input_id("Person", input.owner_id, "ownerId").id
        made = await info.context.clients.feedback.write(
            info.context.caller,
            FeedbackClient.add_action_item,
            meeting_id,
            body=ActionItemCreate.model_construct(
                text=input.text, owner_id=owner_id, due_on=input.due_on
            ),
            idempotency_key=input.idempotency_key,
        )
        forget_meeting(info, meeting_id)
        return ActionItemPayload(action_item=ActionItem.from_record(made))

    return await mutate(AddActionItemError, change, _RENAMES)


@resolver_field("Change an action item or check it off, at the version you read.")
async def update_action_item(
    info: Info,
    input: Annotated[UpdateActionItemInput, strawberry.argument(description="The change.")],
) -> UpdateActionItemResult | None:
    async def change() -> ActionItemPayload:
        item_id = input_id("ActionItem", input.action_item_id, "actionItemId").id
        owner_id = None
        if input.owner_id is not None:
            owner_id = input_id("Person", input.owner_id, "ownerId").id
        names = ("text", "owner_id", "due_on", "done")
        given = {name for name in names if getattr(input, name) is not None}
        body = ActionItemUpdate.model_construct(
            given, text=input.text, owner_id=owner_id, due_on=input.due_on, done=input.done
        )
        changed = await info.context.clients.feedback.write(
            info.context.caller,
            FeedbackClient.change_action_item,
            item_id,
            body=body,
            version=input.expected_version,
        )
        forget_meeting(info, changed.meeting_id)
        return ActionItemPayload(action_item=ActionItem.from_record(changed))

    return await mutate(UpdateActionItemError, change, _RENAMES)


@resolver_field("Turn every Will entry of a meeting's GROW into an action item, in one step.")
async def convert_will_to_action_items(
    info: Info,
    input: Annotated[ConvertWillToActionItemsInput, strawberry.argument(description="How.")],
) -> ConvertWillToActionItemsResult | None:
    async def change() -> ConvertWillToActionItemsPayload:
        meeting_id = input_id("OneOnOneMeeting", input.meeting_id, "meetingId").id
        owner_id = input_id("Person", input.owner_id, "ownerId").id
        changed = await info.context.clients.feedback.write(
            info.context.caller,
            FeedbackClient.convert_will,
            meeting_id,
            body=WillConvert.model_construct(owner_id=owner_id, due_on=input.due_on),
        )
        prime_meetings(info, [changed])
        return ConvertWillToActionItemsPayload(meeting=OneOnOneMeeting.from_record(changed))

    return await mutate(ConvertWillToActionItemsError, change, _RENAMES)


@resolver_field(
    "A secret address of a feed of your 1:1 meetings for your calendar app (titles and times "
    "only); shown only in this answer. Calling it again rotates the address."
)
async def create_calendar_feed(info: Info) -> CreateCalendarFeedResult | None:
    async def change() -> CreateCalendarFeedPayload:
        made = await info.context.clients.feedback.write(
            info.context.caller, FeedbackClient.create_calendar
        )
        return CreateCalendarFeedPayload(
            path=made.path, token=made.token, created_at=made.created_at
        )

    return await mutate(CreateCalendarFeedError, change)


@resolver_field("Stop your calendar feed: its address answers nothing from now on.")
async def revoke_calendar_feed(info: Info) -> RevokeCalendarFeedResult | None:
    async def change() -> RevokeCalendarFeedPayload:
        await info.context.clients.feedback.revoke_calendar(info.context.caller)
        return RevokeCalendarFeedPayload(revoked=True)

    return await mutate(RevokeCalendarFeedError, change)
