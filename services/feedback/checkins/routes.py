"""The weekly check-ins API under `/v1`: drafts, submitting, the thread with the manager, and
what is due this week."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from kit.api import service_router
from kit.auth import Actor
from kit.db import SessionDep
from kit.etag import IfMatch, etag, located
from kit.pagination import OptionalBatchIds, Page, PageDep
from services.feedback.checkins import service
from services.feedback.checkins.schemas import (
    CheckInReplyCreate,
    CheckInReplyRead,
    DueQuery,
    WeeklyCheckInCreate,
    WeeklyCheckInDueRead,
    WeeklyCheckInQuery,
    WeeklyCheckInRead,
    WeeklyCheckInUpdate,
)
from services.feedback.service import POLICY

checkins = service_router(prefix="/v1", tags=["weekly-check-ins"])


def routers() -> list[APIRouter]:
    return [checkins]


Reader = Annotated[Actor, Depends(POLICY.require("weekly_check_in.read"))]
Writer = Annotated[Actor, Depends(POLICY.require("weekly_check_in.write"))]


@checkins.post("/weekly-check-ins", status_code=201)
async def create_check_in(
    data: WeeklyCheckInCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("weekly_check_in.create"))],
    response: Response,
) -> WeeklyCheckInRead:
    """Start your check-in for an ISO week (by default this week in your time zone) as a
    draft only you read. One per person per week: 409 `check_in_exists` for a second."""
    check_in = await service.create_check_in(session, actor, data)
    located(response, f"/v1/weekly-check-ins/{check_in.id}", check_in.version)
    return check_in


@checkins.get("/weekly-check-ins")
async def list_check_ins(
    session: SessionDep,
    actor: Reader,
    filters: Annotated[WeeklyCheckInQuery, Query()],
    page: PageDep,
    ids: OptionalBatchIds = None,
) -> Page[WeeklyCheckInRead]:
    """Your check-ins and those submitted to you as their manager then, oldest first, a page
    at a time (`?person_id=`, `?week=` narrow it); with `?id=`, exactly those you may read."""
    if ids:
        return await service.read_check_ins(session, actor, ids)
    return await service.list_check_ins(session, actor, filters, page)


@checkins.get("/weekly-check-ins/due")
async def due_check_ins(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("weekly_check_in.due"))],
    query: Annotated[DueQuery, Query()],
) -> WeeklyCheckInDueRead:
    """Whether your check-in of the week is still due, and which of your direct reports have
    not submitted theirs (how many, and who)."""
    return await service.due(session, actor, query)


@checkins.get("/weekly-check-ins/{check_in_id}")
async def get_check_in(
    check_in_id: uuid.UUID, session: SessionDep, actor: Reader, response: Response
) -> WeeklyCheckInRead:
    """A check-in with its thread: yours, or one submitted to you as the person's manager at
    the time (404 for anyone else, a later manager and HR admins included)."""
    check_in = await service.get_check_in(session, actor, check_in_id)
    response.headers["ETag"] = etag(check_in.version)
    return check_in


@checkins.patch("/weekly-check-ins/{check_in_id}")
async def update_check_in(
    check_in_id: uuid.UUID,
    data: WeeklyCheckInUpdate,
    session: SessionDep,
    actor: Writer,
    if_match: IfMatch,
    response: Response,
) -> WeeklyCheckInRead:
    """Change your draft (409 `check_in_submitted` once submitted). Needs `If-Match`."""
    check_in = await service.update_check_in(session, actor, check_in_id, data, if_match)
    response.headers["ETag"] = etag(check_in.version)
    return check_in


@checkins.post("/weekly-check-ins/{check_in_id}/submit")
async def submit_check_in(
    check_in_id: uuid.UUID, session: SessionDep, actor: Writer
) -> WeeklyCheckInRead:
    """Submit your draft (it needs a `mood`: 422 `mood_missing`). Your direct manager of
    today becomes its one other reader, for ever: a later manager never reads it."""
    return await service.submit_check_in(session, actor, check_in_id)


@checkins.post("/weekly-check-ins/{check_in_id}/replies", status_code=201)
async def reply(
    check_in_id: uuid.UUID,
    data: CheckInReplyCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("weekly_check_in.reply"))],
) -> CheckInReplyRead:
    """Answer a submitted check-in: its manager, or the person back (409 `check_in_draft`
    for a draft)."""
    return await service.reply(session, actor, check_in_id, data)
