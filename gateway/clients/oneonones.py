"""The feedback service's 1:1s as the gateway calls them: batch and grouped reads for the
loaders, the caller's own lists, and the writes the graph offers. `FeedbackClient` is one."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from pydantic import BaseModel

from gateway.clients.base import Caller, Children, ServiceClient, Write, id_params
from kit.pagination import Page
from services.feedback.oneonones.schemas import (
    ActionItemCreate,
    ActionItemRead,
    ActionItemUpdate,
    AgendaOrder,
    CalendarFeedRead,
    MeetingCompletionRead,
    MeetingCreate,
    MeetingRead,
    MeetingsBySeriesRead,
    MeetingSummaryRead,
    MeetingUpdate,
    PrivateNoteRead,
    PrivateNoteWrite,
    SeriesCreate,
    SeriesRead,
    TalkingPointCreate,
    TalkingPointRead,
    TalkingPointUpdate,
    WillConvert,
)

POINT = "/v1/one-on-one-meetings/{}/talking-points/{}"
CALENDAR = "/v1/one-on-one-calendar"


class OneOnOnesClient(ServiceClient):
    start_series = Write("POST", "/v1/one-on-ones", SeriesCreate, SeriesRead)
    schedule_meeting = Write("POST", "/v1/one-on-ones/{}/meetings", MeetingCreate, MeetingRead)
    change_meeting = Write("PATCH", "/v1/one-on-one-meetings/{}", MeetingUpdate, MeetingRead)
    complete_meeting: Write[BaseModel, MeetingCompletionRead] = Write(
        "POST", "/v1/one-on-one-meetings/{}/complete", None, MeetingCompletionRead
    )
    add_point = Write(
        "POST", "/v1/one-on-one-meetings/{}/talking-points", TalkingPointCreate, TalkingPointRead
    )
    change_point = Write("PATCH", POINT, TalkingPointUpdate, TalkingPointRead)
    reorder_agenda = Write(
        "PUT", "/v1/one-on-one-meetings/{}/agenda-order", AgendaOrder, MeetingRead
    )
    add_action_item = Write(
        "POST", "/v1/one-on-one-meetings/{}/action-items", ActionItemCreate, ActionItemRead
    )
    convert_will = Write(
        "POST", "/v1/one-on-one-meetings/{}/action-items/from-will", WillConvert, MeetingRead
    )
    change_action_item = Write(
        "PATCH", "/v1/one-on-one-action-items/{}", ActionItemUpdate, ActionItemRead
    )
    write_note = Write(
        "PUT", "/v1/one-on-one-meetings/{}/private-note", PrivateNoteWrite, PrivateNoteRead
    )
    create_calendar: Write[BaseModel, CalendarFeedRead] = Write(
        "POST", CALENDAR, None, CalendarFeedRead
    )
    meetings = Children(
        "/v1/one-on-one-meetings/by-series",
        MeetingsBySeriesRead,
        "series",
        "/v1/one-on-ones/{}/meetings",
        Page[MeetingSummaryRead],
    )

    async def series_by_ids(self, caller: Caller, ids: Sequence[uuid.UUID]) -> list[SeriesRead]:
        return await self._by_ids(caller, "/v1/one-on-ones", Page[SeriesRead], ids)

    async def my_series(self, caller: Caller, limit: int, cursor: str | None) -> Page[SeriesRead]:
        """A page of the caller's own series: nobody lists anyone else's."""
        return await self._page(caller, "/v1/one-on-ones", Page[SeriesRead], limit, cursor)

    async def meetings_by_ids(self, caller: Caller, ids: Sequence[uuid.UUID]) -> list[MeetingRead]:
        return await self._by_ids(caller, "/v1/one-on-one-meetings", Page[MeetingRead], ids)

    async def own_notes(
        self, caller: Caller, meeting_ids: Sequence[uuid.UUID]
    ) -> list[PrivateNoteRead]:
        """The caller's own notes on those meetings they wrote one on: the service reads no
        one else's, whoever asks."""
        if not meeting_ids:
            return []
        params = id_params("meeting_id", meeting_ids)
        found = await self._get(
            caller, "/v1/one-on-one-private-notes", Page[PrivateNoteRead], params
        )
        return found.items

    async def my_action_items(
        self, caller: Caller, done: bool | None, limit: int, cursor: str | None
    ) -> Page[ActionItemRead]:
        return await self._page(
            caller,
            "/v1/one-on-one-action-items",
            Page[ActionItemRead],
            limit,
            cursor,
            done=None if done is None else str(done).lower(),
        )

    async def delete_point(
        self, caller: Caller, meeting_id: uuid.UUID, point_id: uuid.UUID, version: int
    ) -> None:
        await self.remove(caller, POINT, meeting_id, point_id, version=version)

    async def revoke_calendar(self, caller: Caller) -> None:
        await self.remove(caller, CALENDAR)
