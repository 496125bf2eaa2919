"""The 1:1s API under `/v1`: series, meetings, the shared agenda, action items, private notes
and each person's calendar feed."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from kit.api import service_router
from kit.auth import Actor
from kit.db import SessionDep
from kit.etag import IfMatch, etag, located
from kit.pagination import MAX_BATCH_IDS, BatchIds, OptionalBatchIds, Page, PageDep
from services.feedback.oneonones import service
from services.feedback.oneonones.schemas import (
    ActionItemCreate,
    ActionItemQuery,
    ActionItemRead,
    ActionItemUpdate,
    AgendaOrder,
    CalendarFeedRead,
    MeetingCompletionRead,
    MeetingCreate,
    MeetingRead,
    MeetingsBySeriesQuery,
    MeetingsBySeriesRead,
    MeetingSummaryRead,
    MeetingUpdate,
    PrivateNoteRead,
    PrivateNoteWrite,
    SeriesCreate,
    SeriesRead,
    SeriesUpdate,
    TalkingPointCreate,
    TalkingPointRead,
    TalkingPointUpdate,
    WillConvert,
)
from services.feedback.oneonones.sealing import NoteSealer
from services.feedback.service import POLICY

oneonones = service_router(prefix="/v1", tags=["one-on-ones"])


def routers() -> list[APIRouter]:
    return [oneonones]


def _sealer(request: Request) -> NoteSealer:
    return NoteSealer(*request.app.state.settings.sealing_keys())


Sealer = Annotated[NoteSealer, Depends(_sealer)]
Reader = Annotated[Actor, Depends(POLICY.require("one_on_one.read"))]
Writer = Annotated[Actor, Depends(POLICY.require("one_on_one.write"))]
NoteAuthor = Annotated[Actor, Depends(POLICY.require("one_on_one.private_note"))]
CalendarKeeper = Annotated[Actor, Depends(POLICY.require("one_on_one.calendar"))]


# --- Series ----------------------------------------------------------------------------------


@oneonones.post("/one-on-ones", status_code=201)
async def create_series(
    data: SeriesCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("one_on_one.create"))],
    response: Response,
) -> SeriesRead:
    """Start a 1:1 series with an active colleague, on a cadence (`weekly`, `biweekly` or
    `monthly`: the first such weekday of each month) at a local time in a time zone. A
    `manager` series is between a person and their direct manager, started by either;
    `mentoring` and `peers` series with anyone. Its first meeting is made at once
    (`first_meeting_at`, or the next time the cadence gives)."""
    series = await service.create_series(session, actor, data)
    located(response, f"/v1/one-on-ones/{series.id}", series.version)
    return series


@oneonones.get("/one-on-ones")
async def list_series(
    session: SessionDep, actor: Reader, page: PageDep, ids: OptionalBatchIds = None
) -> Page[SeriesRead]:
    """Your 1:1 series, oldest first, a page at a time; with `?id=`, exactly those (others'
    are left out, as unknown ones are). Nobody else's, whatever their role."""
    if ids:
        return await service.read_series(session, actor, ids)
    return await service.list_series(session, actor, page)


@oneonones.get("/one-on-ones/{series_id}")
async def get_series(
    series_id: uuid.UUID, session: SessionDep, actor: Reader, response: Response
) -> SeriesRead:
    """One of your series (404 for anyone else's, as for an unknown id)."""
    series = await service.get_series(session, actor, series_id)
    response.headers["ETag"] = etag(series.version)
    return series


@oneonones.patch("/one-on-ones/{series_id}")
async def update_series(
    series_id: uuid.UUID,
    data: SeriesUpdate,
    session: SessionDep,
    actor: Writer,
    if_match: IfMatch,
    response: Response,
) -> SeriesRead:
    """Change the title or cadence (either participant); meetings already made keep their
    time. Needs `If-Match` (428 without it, 412 when it changed since)."""
    series = await service.update_series(session, actor, series_id, data, if_match)
    response.headers["ETag"] = etag(series.version)
    return series


@oneonones.post("/one-on-ones/{series_id}/end")
async def end_series(series_id: uuid.UUID, session: SessionDep, actor: Writer) -> SeriesRead:
    """End the series (either participant; 409 `series_ended` the second time). It is kept,
    readable by both, and changes no more (409 `series_ended` for any change to it or its
    meetings); calendars drop its meetings to come. Private notes stay their authors'."""
    return await service.end_series(session, actor, series_id)


# --- Meetings --------------------------------------------------------------------------------


@oneonones.get("/one-on-ones/{series_id}/meetings")
async def list_meetings(
    series_id: uuid.UUID, session: SessionDep, actor: Reader, page: PageDep
) -> Page[MeetingSummaryRead]:
    """The meetings of one of your series, in the order they were made, a page at a time."""
    return await service.list_meetings(session, actor, series_id, page)


@oneonones.post("/one-on-ones/{series_id}/meetings", status_code=201)
async def create_meeting(
    series_id: uuid.UUID,
    data: MeetingCreate,
    session: SessionDep,
    actor: Writer,
    response: Response,
) -> MeetingRead:
    """Add a meeting: at `starts_at`, or the next time the cadence gives after the series'
    latest meeting."""
    meeting = await service.create_meeting(session, actor, series_id, data)
    located(response, f"/v1/one-on-one-meetings/{meeting.id}", meeting.version)
    return meeting


@oneonones.get("/one-on-one-meetings")
async def read_meetings(session: SessionDep, actor: Reader, ids: BatchIds) -> Page[MeetingRead]:
    """Several meetings of yours at once (`?id=a&id=b`), as `GET /v1/one-on-one-meetings/{id}`
    reads each: agenda, GROW, shared notes, action items. Others' are left out, as unknown
    ones are."""
    return await service.read_meetings(session, actor, ids)


@oneonones.get("/one-on-one-meetings/by-series")
async def meetings_by_series(
    session: SessionDep, actor: Reader, query: Annotated[MeetingsBySeriesQuery, Query()]
) -> MeetingsBySeriesRead:
    """The first meetings of several of your series, one group per series, each in the order
    they were made with its own `has_more`; a series not yours reads as an empty group."""
    return await service.meetings_by_series(session, actor, query)


@oneonones.get("/one-on-one-private-notes")
async def read_private_notes(
    session: SessionDep,
    actor: NoteAuthor,
    sealer: Sealer,
    meeting_id: Annotated[
        list[uuid.UUID],
        Query(min_length=1, max_length=MAX_BATCH_IDS, description="Meetings of yours."),
    ],
) -> Page[PrivateNoteRead]:
    """Your own notes on several meetings at once (`?meeting_id=a&meeting_id=b`): only those
    you wrote; nobody else's, whoever asks."""
    return await service.read_own_notes(session, actor, meeting_id, sealer)


@oneonones.get("/one-on-one-meetings/{meeting_id}")
async def get_meeting(
    meeting_id: uuid.UUID, session: SessionDep, actor: Reader, response: Response
) -> MeetingRead:
    """A meeting of yours as both participants share it: agenda, GROW, shared notes, action
    items (never a private note). The `ETag` is what writes to the meeting want in
    `If-Match`; it changes with every change to the agenda, GROW or notes."""
    meeting = await service.get_meeting(session, actor, meeting_id)
    response.headers["ETag"] = etag(meeting.version)
    return meeting


@oneonones.patch("/one-on-one-meetings/{meeting_id}")
async def update_meeting(
    meeting_id: uuid.UUID,
    data: MeetingUpdate,
    session: SessionDep,
    actor: Writer,
    if_match: IfMatch,
    response: Response,
) -> MeetingRead:
    """Move the meeting, or write its GROW sections or shared notes (either participant).
    Needs `If-Match`: when the other changed it since your read, 412 `stale_version`; read
    again and reapply, so neither loses a change."""
    meeting = await service.update_meeting(session, actor, meeting_id, data, if_match)
    response.headers["ETag"] = etag(meeting.version)
    return meeting


@oneonones.post("/one-on-one-meetings/{meeting_id}/complete")
async def complete_meeting(
    meeting_id: uuid.UUID, session: SessionDep, actor: Writer
) -> MeetingCompletionRead:
    """Mark the meeting held (409 `meeting_completed` the second time). Its unchecked talking
    points and open action items move to the next scheduled meeting, made from the cadence
    when there is none; both are returned."""
    return await service.complete_meeting(session, actor, meeting_id)


# --- The agenda ------------------------------------------------------------------------------


@oneonones.post("/one-on-one-meetings/{meeting_id}/talking-points", status_code=201)
async def add_talking_point(
    meeting_id: uuid.UUID,
    data: TalkingPointCreate,
    session: SessionDep,
    actor: Writer,
    response: Response,
) -> TalkingPointRead:
    """Add a point at the end of the agenda, optionally about an objective, key result, help
    request or development goal (`ref_kind` and `ref_id`, kept as given)."""
    point = await service.add_talking_point(session, actor, meeting_id, data)
    response.headers["ETag"] = etag(point.version)
    return point


@oneonones.patch("/one-on-one-meetings/{meeting_id}/talking-points/{point_id}")
async def update_talking_point(
    meeting_id: uuid.UUID,
    point_id: uuid.UUID,
    data: TalkingPointUpdate,
    session: SessionDep,
    actor: Writer,
    if_match: IfMatch,
    response: Response,
) -> TalkingPointRead:
    """Reword a point or check it off. Needs `If-Match` with the point's `version`."""
    point = await service.update_talking_point(session, actor, meeting_id, point_id, data, if_match)
    response.headers["ETag"] = etag(point.version)
    return point


@oneonones.delete("/one-on-one-meetings/{meeting_id}/talking-points/{point_id}", status_code=204)
async def delete_talking_point(
    meeting_id: uuid.UUID,
    point_id: uuid.UUID,
    session: SessionDep,
    actor: Writer,
    if_match: IfMatch,
) -> None:
    """Take a point off the agenda. Needs `If-Match` with the point's `version`."""
    await service.delete_talking_point(session, actor, meeting_id, point_id, if_match)


@oneonones.put("/one-on-one-meetings/{meeting_id}/agenda-order")
async def reorder_agenda(
    meeting_id: uuid.UUID,
    data: AgendaOrder,
    session: SessionDep,
    actor: Writer,
    if_match: IfMatch,
    response: Response,
) -> MeetingRead:
    """Reorder the agenda: every point's id once, in the new order (422
    `agenda_order_mismatch` otherwise). Needs `If-Match` with the meeting's `ETag`."""
    meeting = await service.reorder_agenda(session, actor, meeting_id, data, if_match)
    response.headers["ETag"] = etag(meeting.version)
    return meeting


# --- Action items ----------------------------------------------------------------------------


@oneonones.post("/one-on-one-meetings/{meeting_id}/action-items", status_code=201)
async def add_action_item(
    meeting_id: uuid.UUID,
    data: ActionItemCreate,
    session: SessionDep,
    actor: Writer,
    response: Response,
) -> ActionItemRead:
    """Agree on something one of the two will do, optionally by a date."""
    item = await service.add_action_item(session, actor, meeting_id, data)
    response.headers["ETag"] = etag(item.version)
    return item


@oneonones.post("/one-on-one-meetings/{meeting_id}/action-items/from-will")
async def convert_will(
    meeting_id: uuid.UUID, data: WillConvert, session: SessionDep, actor: Writer
) -> MeetingRead:
    """Turn every entry of the meeting's GROW Will into an action item, in one step (409
    `will_empty` when there is none); Will is emptied."""
    return await service.convert_will(session, actor, meeting_id, data)


@oneonones.get("/one-on-one-action-items")
async def list_action_items(
    session: SessionDep,
    actor: Reader,
    filters: Annotated[ActionItemQuery, Query()],
    page: PageDep,
) -> Page[ActionItemRead]:
    """The action items of your 1:1s, oldest first, a page at a time: `?done=false` is what
    is still to do, `&owner_id=` whose it is, `&series_id=` of which series."""
    return await service.list_action_items(session, actor, filters, page)


@oneonones.patch("/one-on-one-action-items/{item_id}")
async def update_action_item(
    item_id: uuid.UUID,
    data: ActionItemUpdate,
    session: SessionDep,
    actor: Writer,
    if_match: IfMatch,
    response: Response,
) -> ActionItemRead:
    """Reword, reassign (to one of the two), set the due date, or check off. Needs
    `If-Match` with the item's `version`."""
    item = await service.update_action_item(session, actor, item_id, data, if_match)
    response.headers["ETag"] = etag(item.version)
    return item


# --- Private notes ---------------------------------------------------------------------------


@oneonones.put("/one-on-one-meetings/{meeting_id}/private-note")
async def write_private_note(
    meeting_id: uuid.UUID,
    data: PrivateNoteWrite,
    session: SessionDep,
    actor: NoteAuthor,
    sealer: Sealer,
) -> PrivateNoteRead:
    """Write your own note on a meeting of yours. Only you ever read it: not the other
    participant, not HR admins, no list, export or event; it is stored encrypted."""
    return await service.write_private_note(session, actor, meeting_id, data, sealer)


@oneonones.get("/one-on-one-meetings/{meeting_id}/private-note")
async def get_private_note(
    meeting_id: uuid.UUID, session: SessionDep, actor: NoteAuthor, sealer: Sealer
) -> PrivateNoteRead:
    """Your own note on a meeting (404 `private_note_not_found` when you wrote none; 409
    `private_note_unreadable` when its key is gone or its stored row was altered)."""
    return await service.get_private_note(session, actor, meeting_id, sealer)


@oneonones.delete("/one-on-one-meetings/{meeting_id}/private-note", status_code=204)
async def delete_private_note(
    meeting_id: uuid.UUID, session: SessionDep, actor: NoteAuthor
) -> None:
    """Delete your own note on a meeting."""
    await service.delete_private_note(session, actor, meeting_id)


# --- The calendar feed -----------------------------------------------------------------------


@oneonones.post("/one-on-one-calendar", status_code=201)
async def rotate_calendar(session: SessionDep, actor: CalendarKeeper) -> CalendarFeedRead:
    """A secret address of a feed of your 1:1 meetings for your calendar app; the previous
    address, if any, stops working. The secret is shown only now."""
    return await service.rotate_calendar(session, actor)


@oneonones.delete("/one-on-one-calendar", status_code=204)
async def revoke_calendar(session: SessionDep, actor: CalendarKeeper) -> None:
    """Stop your calendar feed: its address answers 404 from now on."""
    await service.revoke_calendar(session, actor)


async def _feed_owner(
    token: Annotated[str, Path(min_length=20, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")],
    session: SessionDep,
) -> uuid.UUID:
    # Calendar apps cannot send a bearer token: the secret in the address is the credential.
    return await service.calendar_owner(session, token)


_feed_owner.policy_action = "one_on_one.calendar_feed"  # type: ignore[attr-defined]  # read by route_actions


@oneonones.get(
    "/one-on-one-calendar/{token}",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {"schema": {"type": "string"}}}}},
)
async def calendar_feed(
    session: SessionDep, person_id: Annotated[uuid.UUID, Depends(_feed_owner)]
) -> Response:
    """Your 1:1 meetings as an iCalendar (RFC 5545) feed, from 90 days ago on: each meeting's
    title and time, nothing of what is discussed. No bearer token: the secret address is
    the credential (404 for an unknown or revoked one, or once its owner has left)."""
    return Response(
        content=await service.calendar_feed(session, person_id),
        media_type="text/calendar",
        headers={"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"},
    )
