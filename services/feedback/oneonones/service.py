"""The rules of 1:1s. A series is between two people and belongs to both: each reads and edits
its meetings, nobody else does (HR admins, managers of either, integrations: 404 or 403, never
the words). A private note is its author's alone: no route, list or event reads another's.
Shared documents change under `If-Match`; what a meeting leaves open moves to the next one when
it is completed."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event
from sqlmodel.ext.asyncio.session import AsyncSession

from kit import orgcopy
from kit.auth import Actor
from kit.errors import Conflict, Forbidden, NotFound, Unprocessable
from kit.etag import check_if_match
from kit.events import record_event
from kit.models import utcnow
from kit.pagination import Page, PageParams, encode_cursor
from kit.policies import Relation
from kit.repository import apply_patch, delete, get, save
from services.feedback.colleagues import active_colleagues
from services.feedback.oneonones import repository
from services.feedback.oneonones.cadence import next_start
from services.feedback.oneonones.events import (
    ACTION_ITEM_COMPLETED,
    ACTION_ITEM_CREATED,
    MEETING_COMPLETED,
    ActionItemCompletedPayload,
    ActionItemPayload,
    MeetingCompletedPayload,
)
from services.feedback.oneonones.models import (
    ActionItem,
    CalendarToken,
    Meeting,
    PrivateNote,
    Series,
    TalkingPoint,
)
from services.feedback.oneonones.schemas import (
    MAX_TALKING_POINTS,
    ActionItemCreate,
    ActionItemQuery,
    ActionItemRead,
    ActionItemUpdate,
    AgendaOrder,
    CalendarFeedRead,
    Grow,
    MeetingCompletionRead,
    MeetingCreate,
    MeetingRead,
    MeetingsBySeriesQuery,
    MeetingsBySeriesRead,
    MeetingStatus,
    MeetingSummaryRead,
    MeetingUpdate,
    PrivateNoteRead,
    PrivateNoteWrite,
    Relationship,
    SeriesCreate,
    SeriesMeetingsRead,
    SeriesRead,
    SeriesUpdate,
    TalkingPointCreate,
    TalkingPointRead,
    TalkingPointUpdate,
    WillConvert,
)
from services.feedback.oneonones.sealing import NoteSealer, Sealed, UnsealableNote

CALENDAR_PATH = "/v1/one-on-one-calendar"
CALENDAR_PAST = timedelta(days=90)
CALENDAR_MAX_EVENTS = 500


def _person_of(actor: Actor) -> uuid.UUID:
    if actor.person_id is None:  # the policy lets only people through; this keeps types honest
        raise Forbidden("Only people take part in 1:1s.")
    return actor.person_id


def _series_not_found() -> NotFound:
    # The same answer for an unknown id and someone else's 1:1.
    return NotFound("No 1:1 series has this id.", code="one_on_one_not_found")


def _meeting_not_found() -> NotFound:
    return NotFound("No 1:1 meeting has this id.", code="meeting_not_found")


def participants(series: Series) -> list[uuid.UUID]:
    return [series.organizer_id, series.invitee_id]


# --- Series ----------------------------------------------------------------------------------


async def _series_reads(session: AsyncSession, rows: Sequence[Series]) -> list[SeriesRead]:
    upcoming = await repository.next_meetings(session, [series.id for series in rows])
    return [
        SeriesRead.model_validate(
            {
                **series.model_dump(),
                "next_meeting": (
                    MeetingSummaryRead.model_validate(upcoming[series.id])
                    if series.id in upcoming and series.ended_at is None
                    else None
                ),
            }
        )
        for series in rows
    ]


async def _series_read(session: AsyncSession, series: Series) -> SeriesRead:
    (read,) = await _series_reads(session, [series])
    return read


async def _check_relationship(
    session: AsyncSession, actor: Actor, me: uuid.UUID, other: uuid.UUID
) -> None:
    relations = await orgcopy.relations_to_person(session, actor, other)
    my_chain = await orgcopy.management_chain(session, me)
    if Relation.MANAGER not in relations and my_chain[:1] != [other]:
        raise Conflict(
            "A `manager` 1:1 is between a person and their direct manager.",
            code="not_manager_and_report",
            field="body.relationship",
        )


async def create_series(session: AsyncSession, actor: Actor, data: SeriesCreate) -> SeriesRead:
    me = _person_of(actor)
    if data.with_id == me:
        raise Conflict("A 1:1 is with someone else.", code="with_self", field="body.with_id")
    await active_colleagues(session, [data.with_id], field="body.with_id")
    if data.relationship is Relationship.MANAGER:
        await _check_relationship(session, actor, me, data.with_id)
    series = Series.model_validate(
        {
            **data.model_dump(exclude={"with_id", "first_meeting_at"}),
            "organizer_id": me,
            "invitee_id": data.with_id,
        }
    )
    await save(session, series)
    starts_at = data.first_meeting_at or next_start(series, None, utcnow())
    await save(session, Meeting(series_id=series.id, starts_at=starts_at))
    return await _series_read(session, series)


def _check_going_on(series: Series) -> None:
    if series.ended_at is not None:
        raise Conflict("This 1:1 series has ended; it changes no more.", code="series_ended")


async def _series(
    session: AsyncSession, me: uuid.UUID, series_id: uuid.UUID, *, lock: bool = False
) -> Series:
    """The series, if `me` takes part in it; locked, for a change, once checked still going."""
    series = await repository.series_seen(session, me, series_id, lock=lock)
    if series is None:
        raise _series_not_found()
    if lock:
        _check_going_on(series)
    return series


async def get_series(session: AsyncSession, actor: Actor, series_id: uuid.UUID) -> SeriesRead:
    return await _series_read(session, await _series(session, _person_of(actor), series_id))


async def list_series(session: AsyncSession, actor: Actor, params: PageParams) -> Page[SeriesRead]:
    rows, cursor = await repository.list_series(session, _person_of(actor), params)
    return Page(items=await _series_reads(session, rows), next_cursor=cursor)


async def read_series(
    session: AsyncSession, actor: Actor, ids: list[uuid.UUID]
) -> Page[SeriesRead]:
    rows = await repository.series_by_ids(session, _person_of(actor), ids)
    return Page(items=await _series_reads(session, rows), next_cursor=None)


async def update_series(
    session: AsyncSession,
    actor: Actor,
    series_id: uuid.UUID,
    data: SeriesUpdate,
    if_match: str | None,
) -> SeriesRead:
    series = await _series(session, _person_of(actor), series_id, lock=True)
    check_if_match(if_match, series.version)
    apply_patch(series, data.model_dump(exclude_unset=True))
    await save(session, series)
    return await _series_read(session, series)


async def end_series(session: AsyncSession, actor: Actor, series_id: uuid.UUID) -> SeriesRead:
    """Either participant ends the series: it stays, readable by both (private notes too, each
    by its author), and nothing of it changes after; calendars drop its meetings to come."""
    series = await _series(session, _person_of(actor), series_id, lock=True)
    apply_patch(series, {"ended_at": utcnow()})
    await save(session, series)
    return await _series_read(session, series)


# --- Meetings --------------------------------------------------------------------------------


async def _meeting_reads(session: AsyncSession, meetings: Sequence[Meeting]) -> list[MeetingRead]:
    """The shared meetings, their agendas and action items read in one statement each."""
    ids = [meeting.id for meeting in meetings]
    points: dict[uuid.UUID, list[TalkingPointRead]] = {id_: [] for id_ in ids}
    for point in await repository.agendas(session, ids) if ids else []:
        points[point.meeting_id].append(_point_read(point))
    items: dict[uuid.UUID, list[ActionItemRead]] = {id_: [] for id_ in ids}
    for item in await repository.action_items_of(session, ids) if ids else []:
        items[item.meeting_id].append(ActionItemRead.model_validate(item))
    return [
        MeetingRead.model_validate(
            {
                **meeting.model_dump(),
                "grow": Grow(
                    goal=meeting.grow_goal,
                    reality=meeting.grow_reality,
                    options=meeting.grow_options,
                    will=meeting.grow_will,
                ),
                "agenda": points[meeting.id],
                "action_items": items[meeting.id],
            }
        )
        for meeting in meetings
    ]


async def _meeting_read(session: AsyncSession, meeting: Meeting) -> MeetingRead:
    (read,) = await _meeting_reads(session, [meeting])
    return read


def _point_read(point: TalkingPoint) -> TalkingPointRead:
    return TalkingPointRead.model_validate(
        {**point.model_dump(), "carried_over": point.origin_meeting_id != point.meeting_id}
    )


async def _meeting(
    session: AsyncSession, actor: Actor, meeting_id: uuid.UUID, *, lock: bool = False
) -> tuple[Meeting, Series]:
    """The meeting and its series, if the caller takes part; locked, for a change to what the
    two share, once checked still going (a private note is the author's, ended or not)."""
    found = await repository.meeting_seen(session, _person_of(actor), meeting_id, lock=lock)
    if found is None:
        raise _meeting_not_found()
    if lock:
        _check_going_on(found[1])
    return found


async def _new_meeting(
    session: AsyncSession, series: Series, starts_at: datetime | None = None
) -> Meeting:
    if starts_at is None:
        latest = await repository.latest_meeting(session, series.id)
        starts_at = next_start(series, latest.starts_at if latest else None, utcnow())
    meeting = Meeting(series_id=series.id, starts_at=starts_at)
    await save(session, meeting)
    return meeting


async def create_meeting(
    session: AsyncSession, actor: Actor, series_id: uuid.UUID, data: MeetingCreate
) -> MeetingRead:
    # Locked so that two generated meetings of the same series do not land on the same time.
    series = await _series(session, _person_of(actor), series_id, lock=True)
    return await _meeting_read(session, await _new_meeting(session, series, data.starts_at))


async def list_meetings(
    session: AsyncSession, actor: Actor, series_id: uuid.UUID, params: PageParams
) -> Page[MeetingSummaryRead]:
    series = await _series(session, _person_of(actor), series_id)
    rows, cursor = await repository.list_meetings(session, series.id, params)
    return Page(items=[MeetingSummaryRead.model_validate(row) for row in rows], next_cursor=cursor)


async def read_meetings(
    session: AsyncSession, actor: Actor, ids: Sequence[uuid.UUID]
) -> Page[MeetingRead]:
    """The meetings among `ids` the caller takes part in, in the order asked; others are left
    out, as unknown ids are."""
    rows = await repository.meetings_by_ids(session, _person_of(actor), ids)
    return Page(items=await _meeting_reads(session, rows), next_cursor=None)


async def meetings_by_series(
    session: AsyncSession, actor: Actor, query: MeetingsBySeriesQuery
) -> MeetingsBySeriesRead:
    """The first meetings of each of several of the caller's series (someone else's series
    reads as an empty group, as an unknown one does)."""
    series_ids = list(dict.fromkeys(query.series_id))
    found = await repository.first_meetings(
        session, _person_of(actor), series_ids, query.per_series
    )
    groups = []
    for series_id in series_ids:
        rows = found[series_id]
        kept = rows[: query.per_series]
        more = len(rows) > query.per_series
        groups.append(
            SeriesMeetingsRead(
                series_id=series_id,
                items=[MeetingSummaryRead.model_validate(row) for row in kept],
                has_more=more,
                next_cursor=encode_cursor(kept[-1].created_at, kept[-1].id) if more else None,
            )
        )
    return MeetingsBySeriesRead(groups=groups)


async def get_meeting(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID) -> MeetingRead:
    meeting, _ = await _meeting(session, actor, meeting_id)
    return await _meeting_read(session, meeting)


async def update_meeting(
    session: AsyncSession,
    actor: Actor,
    meeting_id: uuid.UUID,
    data: MeetingUpdate,
    if_match: str | None,
) -> MeetingRead:
    meeting, _ = await _meeting(session, actor, meeting_id, lock=True)
    check_if_match(if_match, meeting.version)
    changes = data.model_dump(exclude_unset=True, exclude={"grow"})
    if data.grow is not None:
        changes |= {f"grow_{name}": value for name, value in data.grow.model_dump().items()}
    apply_patch(meeting, changes)
    await save(session, meeting)
    return await _meeting_read(session, meeting)


async def complete_meeting(
    session: AsyncSession, actor: Actor, meeting_id: uuid.UUID
) -> MeetingCompletionRead:
    """Mark a meeting held; its unchecked talking points and open action items move to the
    next meeting of the series (made from the cadence when none is scheduled)."""
    meeting, series = await _meeting(session, actor, meeting_id, lock=True)
    if meeting.status is MeetingStatus.COMPLETED:
        raise Conflict("This meeting is already completed.", code="meeting_completed")
    following = await repository.next_scheduled(session, series.id, meeting)
    if following is None:
        following = await _new_meeting(session, series)
    else:
        following = await get(session, Meeting, following.id, lock=True) or following
    await repository.carry_over(
        session, meeting.id, following.id, await repository.next_position(session, following.id)
    )
    apply_patch(meeting, {"status": MeetingStatus.COMPLETED, "completed_at": utcnow()})
    apply_patch(following, {})
    await save(session, meeting, following)
    if meeting.completed_at is None:  # set just above; this keeps types honest
        raise Conflict("This meeting is not completed.")
    await record_event(
        session,
        MEETING_COMPLETED,
        MeetingCompletedPayload(
            id=meeting.id,
            series_id=series.id,
            participant_ids=participants(series),
            starts_at=meeting.starts_at,
            completed_at=meeting.completed_at,
            next_meeting_id=following.id,
        ),
    )
    return MeetingCompletionRead(
        completed=MeetingSummaryRead.model_validate(meeting),
        next=await _meeting_read(session, following),
    )


# --- The agenda ------------------------------------------------------------------------------


async def add_talking_point(
    session: AsyncSession, actor: Actor, meeting_id: uuid.UUID, data: TalkingPointCreate
) -> TalkingPointRead:
    if (data.ref_kind is None) != (data.ref_id is None):
        raise Unprocessable(
            "Give `ref_kind` and `ref_id` together, or neither.",
            code="ref_incomplete",
            field="body.ref_id",
        )
    # The meeting is locked: two points added at once get distinct positions.
    meeting, _ = await _meeting(session, actor, meeting_id, lock=True)
    position = await repository.next_position(session, meeting.id)
    if len(await repository.agendas(session, [meeting.id])) >= MAX_TALKING_POINTS:
        raise Conflict(f"An agenda holds at most {MAX_TALKING_POINTS} points.", code="agenda_full")
    point = TalkingPoint.model_validate(
        {
            **data.model_dump(),
            "meeting_id": meeting.id,
            "origin_meeting_id": meeting.id,
            "author_id": _person_of(actor),
            "position": position,
        }
    )
    apply_patch(meeting, {})
    await save(session, point, meeting)
    return _point_read(point)


async def _point(
    session: AsyncSession, actor: Actor, meeting_id: uuid.UUID, point_id: uuid.UUID
) -> tuple[Meeting, TalkingPoint]:
    meeting, _ = await _meeting(session, actor, meeting_id, lock=True)
    point = await repository.talking_point(session, meeting.id, point_id)
    if point is None:
        raise NotFound("This meeting has no such talking point.", code="talking_point_not_found")
    return meeting, point


async def update_talking_point(
    session: AsyncSession,
    actor: Actor,
    meeting_id: uuid.UUID,
    point_id: uuid.UUID,
    data: TalkingPointUpdate,
    if_match: str | None,
) -> TalkingPointRead:
    """Reword or check off a point (either participant)."""
    meeting, point = await _point(session, actor, meeting_id, point_id)
    check_if_match(if_match, point.version)
    apply_patch(point, data.model_dump(exclude_unset=True))
    apply_patch(meeting, {})
    await save(session, point, meeting)
    return _point_read(point)


async def delete_talking_point(
    session: AsyncSession,
    actor: Actor,
    meeting_id: uuid.UUID,
    point_id: uuid.UUID,
    if_match: str | None,
) -> None:
    meeting, point = await _point(session, actor, meeting_id, point_id)
    check_if_match(if_match, point.version)
    await delete(session, point)
    apply_patch(meeting, {})
    await save(session, meeting)


async def reorder_agenda(
    session: AsyncSession,
    actor: Actor,
    meeting_id: uuid.UUID,
    data: AgendaOrder,
    if_match: str | None,
) -> MeetingRead:
    """Put the agenda in a new order: needs the meeting's `ETag`, so that an order made before
    someone else's change to the agenda is refused rather than applied over it."""
    meeting, _ = await _meeting(session, actor, meeting_id, lock=True)
    check_if_match(if_match, meeting.version)
    points = {point.id: point for point in await repository.agendas(session, [meeting.id])}
    if len(data.ids) != len(points) or set(data.ids) != set(points):
        raise Unprocessable(
            "Name every talking point of the meeting once.",
            code="agenda_order_mismatch",
            field="body.ids",
        )
    for position, point_id in enumerate(data.ids):
        points[point_id].position = position
    apply_patch(meeting, {})
    await save(session, meeting, *points.values())
    return await _meeting_read(session, meeting)


# --- Action items ----------------------------------------------------------------------------


def _check_owner(series: Series, owner_id: uuid.UUID) -> None:
    if owner_id not in participants(series):
        raise Unprocessable(
            "An action item's owner is one of the two.",
            code="owner_not_participant",
            field="body.owner_id",
        )


def _item_payload(item: ActionItem, series: Series) -> ActionItemPayload:
    return ActionItemPayload(
        id=item.id,
        series_id=series.id,
        meeting_id=item.meeting_id,
        owner_id=item.owner_id,
        participant_ids=participants(series),
        due_on=item.due_on,
    )


async def _add_action_items(
    session: AsyncSession,
    actor: Actor,
    meeting: Meeting,
    series: Series,
    texts: list[str],
    owner_id: uuid.UUID,
    due_on: date | None,
) -> list[ActionItem]:
    _check_owner(series, owner_id)
    items = [
        ActionItem(
            series_id=series.id,
            meeting_id=meeting.id,
            origin_meeting_id=meeting.id,
            owner_id=owner_id,
            created_by=_person_of(actor),
            text=text,
            due_on=due_on,
        )
        for text in texts
    ]
    await save(session, *items)
    for item in items:
        await record_event(session, ACTION_ITEM_CREATED, _item_payload(item, series))
    return items


async def add_action_item(
    session: AsyncSession, actor: Actor, meeting_id: uuid.UUID, data: ActionItemCreate
) -> ActionItemRead:
    meeting, series = await _meeting(session, actor, meeting_id, lock=True)
    (item,) = await _add_action_items(
        session, actor, meeting, series, [data.text], data.owner_id, data.due_on
    )
    apply_patch(meeting, {})
    await save(session, meeting)
    return ActionItemRead.model_validate(item)


async def convert_will(
    session: AsyncSession, actor: Actor, meeting_id: uuid.UUID, data: WillConvert
) -> MeetingRead:
    """Every entry of the meeting's Will becomes an action item, in one step; Will empties."""
    meeting, series = await _meeting(session, actor, meeting_id, lock=True)
    if not meeting.grow_will:
        raise Conflict("This meeting's Will is empty.", code="will_empty")
    await _add_action_items(
        session, actor, meeting, series, list(meeting.grow_will), data.owner_id, data.due_on
    )
    apply_patch(meeting, {"grow_will": []})
    await save(session, meeting)
    return await _meeting_read(session, meeting)


async def list_action_items(
    session: AsyncSession, actor: Actor, filters: ActionItemQuery, params: PageParams
) -> Page[ActionItemRead]:
    """The action items of the caller's own series, oldest first."""
    rows, cursor = await repository.list_action_items(
        session, _person_of(actor), params, **filters.model_dump()
    )
    return Page(items=[ActionItemRead.model_validate(row) for row in rows], next_cursor=cursor)


async def update_action_item(
    session: AsyncSession,
    actor: Actor,
    item_id: uuid.UUID,
    data: ActionItemUpdate,
    if_match: str | None,
) -> ActionItemRead:
    found = await repository.action_item_seen(session, _person_of(actor), item_id)
    if found is None:
        raise NotFound("No action item has this id.", code="action_item_not_found")
    item, series = found
    _check_going_on(series)
    check_if_match(if_match, item.version)
    changes = data.model_dump(exclude_unset=True)
    if data.owner_id is not None:
        _check_owner(series, data.owner_id)
    completing = changes.get("done") is True and not item.done
    if "done" in changes and changes["done"] != item.done:
        changes["completed_at"] = utcnow() if changes["done"] else None
    # The item alone is locked and versioned: locking its meeting too, after the item, could
    # deadlock with a completion, which locks the meeting before moving its items.
    apply_patch(item, changes)
    await save(session, item)
    if completing and item.completed_at is not None:
        await record_event(
            session,
            ACTION_ITEM_COMPLETED,
            ActionItemCompletedPayload(
                **_item_payload(item, series).model_dump(), completed_at=item.completed_at
            ),
        )
    return ActionItemRead.model_validate(item)


# --- Private notes ---------------------------------------------------------------------------


async def write_private_note(
    session: AsyncSession,
    actor: Actor,
    meeting_id: uuid.UUID,
    data: PrivateNoteWrite,
    sealer: NoteSealer,
) -> PrivateNoteRead:
    """Write (or rewrite) the caller's own note on a meeting, sealed with the current key."""
    me = _person_of(actor)
    meeting, _ = await _meeting(session, actor, meeting_id)
    note = await repository.private_note(session, meeting.id, me, lock=True)
    if note is None:
        note = PrivateNote(meeting_id=meeting.id, author_id=me, key_id="", ciphertext=b"")
    sealed = sealer.seal(data.text, note.id, me)
    note.key_id, note.ciphertext, note.updated_at = sealed.key_id, sealed.ciphertext, utcnow()
    await save(session, note)
    return PrivateNoteRead(meeting_id=meeting.id, text=data.text, updated_at=note.updated_at)


async def _own_note(
    session: AsyncSession, actor: Actor, meeting_id: uuid.UUID, *, lock: bool = False
) -> PrivateNote:
    meeting, _ = await _meeting(session, actor, meeting_id)
    note = await repository.private_note(session, meeting.id, _person_of(actor), lock=lock)
    if note is None:
        raise NotFound("You have no private note on this meeting.", code="private_note_not_found")
    return note


async def get_private_note(
    session: AsyncSession, actor: Actor, meeting_id: uuid.UUID, sealer: NoteSealer
) -> PrivateNoteRead:
    note = await _own_note(session, actor, meeting_id)
    try:
        text = sealer.open(Sealed(note.key_id, note.ciphertext), note.id, note.author_id)
    except UnsealableNote as exc:
        # Its key is gone, or the stored row was altered: never someone else's words instead.
        raise Conflict(
            "This note cannot be opened any more; write it again or delete it.",
            code="private_note_unreadable",
        ) from exc
    return PrivateNoteRead(meeting_id=note.meeting_id, text=text, updated_at=note.updated_at)


async def delete_private_note(session: AsyncSession, actor: Actor, meeting_id: uuid.UUID) -> None:
    await delete(session, await _own_note(session, actor, meeting_id, lock=True))


async def read_own_notes(
    session: AsyncSession, actor: Actor, meeting_ids: Sequence[uuid.UUID], sealer: NoteSealer
) -> Page[PrivateNoteRead]:
    """The caller's own notes on those of `meeting_ids` they wrote one on; nobody else's
    note is ever read, whoever asks."""
    notes = await repository.own_notes(session, _person_of(actor), meeting_ids)
    return Page(
        items=[
            PrivateNoteRead(
                meeting_id=note.meeting_id,
                text=sealer.open(Sealed(note.key_id, note.ciphertext), note.id, note.author_id),
                updated_at=note.updated_at,
            )
            for note in notes
        ],
        next_cursor=None,
    )


# --- The calendar feed -----------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def rotate_calendar(session: AsyncSession, actor: Actor) -> CalendarFeedRead:
    """A new secret address for the caller's feed; the previous one stops working at once."""
    me = _person_of(actor)
    token = secrets.token_urlsafe(32)
    row = await get(session, CalendarToken, me, lock=True)
    if row is None:
        row = CalendarToken(person_id=me, token_hash="")
    row.token_hash, row.created_at = _token_hash(token), utcnow()
    await save(session, row)
    return CalendarFeedRead(path=f"{CALENDAR_PATH}/{token}", token=token, created_at=row.created_at)


async def revoke_calendar(session: AsyncSession, actor: Actor) -> None:
    row = await get(session, CalendarToken, _person_of(actor), lock=True)
    if row is not None:
        await delete(session, row)


async def calendar_owner(session: AsyncSession, token: str) -> uuid.UUID:
    person_id = await repository.calendar_person(session, _token_hash(token))
    if person_id is None:
        raise NotFound("No calendar feed has this address.", code="calendar_not_found")
    return person_id


async def calendar_feed(session: AsyncSession, person_id: uuid.UUID) -> bytes:
    """The person's meetings from 90 days ago on as an iCalendar (RFC 5545) document: each
    with its series' title and its time, nothing of what is discussed."""
    since = utcnow() - CALENDAR_PAST
    calendar = Calendar()
    calendar.add("prodid", "-//Inspire//1:1s//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "1:1s")
    for meeting, series in await repository.calendar_meetings(
        session, person_id, since, CALENDAR_MAX_EVENTS
    ):
        event = Event()
        event.add("uid", f"{meeting.id}@inspire")
        event.add("dtstamp", meeting.updated_at)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.starts_at + timedelta(minutes=series.duration_minutes))
        event.add("summary", series.title)
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
