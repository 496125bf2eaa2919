"""The feedback requests API under `/v1`: ask, list, answer, decline, read the answers."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from kit.api import service_router
from kit.auth import Actor
from kit.db import SessionDep
from kit.etag import IfMatch, etag, located
from kit.pagination import OptionalBatchIds, Page, PageDep
from services.feedback.goals import GoalLinksDep
from services.feedback.requests import service
from services.feedback.requests.schemas import (
    AnswerCreate,
    FeedbackRequestCreate,
    FeedbackRequestQuery,
    FeedbackRequestRead,
    FeedbackRequestUpdate,
)
from services.feedback.schemas import FeedbackRead
from services.feedback.service import POLICY

requests = service_router(prefix="/v1", tags=["feedback requests"])


def routers() -> list[APIRouter]:
    return [requests]


@requests.post("/feedback-requests", status_code=201)
async def create_request(
    data: FeedbackRequestCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("feedback_request.create"))],
    goals: GoalLinksDep,
    response: Response,
) -> FeedbackRequestRead:
    """Ask one or more active colleagues for feedback on a topic (optionally about an
    objective or a piece of work) by a date: about yourself, or, as their manager, about a
    direct report (403 `not_your_report` otherwise). Each person asked gets an open part.
    Each is asked once (422 `asked_twice`, naming the repeat); the due date is from your today
    to two years ahead (422 `due_date_past`, `due_date_too_far`); an objective must be one you
    may see in the goals service (422 `unknown_objective`, as for an unknown id)."""
    request = await service.create_request(session, actor, data, goals)
    located(response, f"/v1/feedback-requests/{request.id}", request.version)
    return request


@requests.get("/feedback-requests")
async def list_requests(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("feedback_request.read"))],
    filters: Annotated[FeedbackRequestQuery, Query()],
    page: PageDep,
    goals: GoalLinksDep,
    ids: OptionalBatchIds = None,
) -> Page[FeedbackRequestRead]:
    """Requests you made, are the subject of or were asked in, oldest first, a page at a
    time; `?role=asked&status=open` is what waits for your answer. With `?id=`, exactly those
    requests (others are left out, as unknown ones are). A request's `objective_id` is null
    unless you may see that objective in the goals service."""
    if ids:
        return await service.read_requests(session, actor, ids, goals)
    return await service.list_requests(session, actor, filters, page, goals)


@requests.get("/feedback-requests/{request_id}")
async def get_request(
    request_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("feedback_request.read"))],
    goals: GoalLinksDep,
    response: Response,
) -> FeedbackRequestRead:
    """One request you take part in (404 otherwise, as for an unknown id); the `ETag` header
    is what `PATCH` wants in `If-Match`."""
    request = await service.get_request(session, actor, request_id, goals)
    response.headers["ETag"] = etag(request.version)
    return request


@requests.patch("/feedback-requests/{request_id}")
async def update_request(
    request_id: uuid.UUID,
    data: FeedbackRequestUpdate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("feedback_request.update"))],
    if_match: IfMatch,
    goals: GoalLinksDep,
    response: Response,
) -> FeedbackRequestRead:
    """The requester moves the due date, to a day from their today to two years ahead (422
    `due_date_past`, `due_date_too_far`). Needs `If-Match` (428 without it, 412 when it
    changed since)."""
    request = await service.update_request(session, actor, request_id, data, if_match, goals)
    response.headers["ETag"] = etag(request.version)
    return request


@requests.post("/feedback-requests/{request_id}/answers", status_code=201)
async def answer_request(
    request_id: uuid.UUID,
    data: AnswerCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("feedback_request.answer"))],
    goals: GoalLinksDep,
    response: Response,
) -> FeedbackRead:
    """Answer a request you were asked in: a feedback item to its subject on its topic, with
    the audience you choose, fulfilling your part (409 `request_part_closed` once answered or
    declined). Answers after the due date are welcome."""
    item = await service.answer_request(session, actor, request_id, data, goals)
    located(response, f"/v1/feedback/{item.id}", item.version)
    return item


@requests.get("/feedback-requests/{request_id}/answers")
async def list_answers(
    request_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("feedback_request.read"))],
    goals: GoalLinksDep,
) -> Page[FeedbackRead]:
    """The answers given so far that you may read, each with the audience its giver chose:
    the subject reads them all; the requester and those asked, what that audience allows."""
    return await service.answers(session, actor, request_id, goals)


@requests.post("/feedback-requests/{request_id}/decline")
async def decline_request(
    request_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("feedback_request.decline"))],
    goals: GoalLinksDep,
) -> FeedbackRequestRead:
    """Decline a request you were asked in; your part closes without an answer."""
    return await service.decline_request(session, actor, request_id, goals)
