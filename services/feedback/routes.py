"""The feedback REST API under `/v1`: parse, call the service, answer."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from kit.api import service_router
from kit.auth import Actor
from kit.db import SessionDep
from kit.etag import IfMatch, etag, located
from kit.pagination import OptionalBatchIds, Page, PageDep
from services.feedback import service
from services.feedback.goals import GoalLinksDep
from services.feedback.schemas import (
    FeedbackByObjectiveQuery,
    FeedbackByObjectiveRead,
    FeedbackByPersonQuery,
    FeedbackByPersonRead,
    FeedbackCreate,
    FeedbackQuery,
    FeedbackRead,
    FeedbackUpdate,
    ReplyCreate,
    ReplyRead,
)
from services.feedback.service import POLICY

feedback = service_router(prefix="/v1", tags=["feedback"])


def routers() -> list[APIRouter]:
    return [feedback]


@feedback.post("/feedback", status_code=201)
async def give_feedback(
    data: FeedbackCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("feedback.give"))],
    goals: GoalLinksDep,
    response: Response,
) -> FeedbackRead:
    """Give feedback to an active colleague: `praise`, `suggestion`, `peer`, or `upward` (to
    your own manager only: 409 `upward_not_to_manager` otherwise), optionally about an
    objective, key result, skill or company value. The visibility chosen now can later be
    narrowed, never widened: `private` (the recipient), `manager` (the recipient and their
    management chain as it stands now, recorded with the item for ever) or `public` (everyone
    signed in). With `Idempotency-Key`, a retry returns the first answer instead of giving it
    twice. An objective or key result linked must be one you may see in the goals service
    (422 `unknown_objective` / `unknown_key_result` otherwise, as for an unknown id)."""
    item = await service.give_feedback(session, actor, data, goals)
    located(response, f"/v1/feedback/{item.id}", item.version)
    return item


@feedback.get("/feedback")
async def list_feedback(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("feedback.read"))],
    filters: Annotated[FeedbackQuery, Query()],
    page: PageDep,
    goals: GoalLinksDep,
    ids: OptionalBatchIds = None,
) -> Page[FeedbackRead]:
    """Feedback you may see, oldest first, a page at a time; or, with `?id=`, exactly those
    items (ids you may not see are left out, as unknown ones are; filters and paging do not
    apply). Integrations and services see public feedback only. A linked `objective_id` or
    `key_result_id` is null unless you may see that objective or key result in the goals
    service; filtered by an objective you may not see, the page is empty, as for an unknown
    one."""
    if ids:
        return await service.read_feedback(session, actor, ids, goals)
    return await service.list_feedback(session, actor, filters, page, goals)


@feedback.get("/feedback/by-person")
async def feedback_by_person(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("feedback.read"))],
    query: Annotated[FeedbackByPersonQuery, Query()],
    goals: GoalLinksDep,
) -> FeedbackByPersonRead:
    """The first feedback several people received (`role=received`), gave (`given`) or either
    (the default), one group per person, each oldest first with its own `has_more`; only what
    you may see. A group continues at `GET /v1/feedback` with `recipient_id`, `giver_id` or
    `person_id`."""
    return await service.feedback_by_person(session, actor, query, goals)


@feedback.get("/feedback/by-objective")
async def feedback_by_objective(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("feedback.read"))],
    query: Annotated[FeedbackByObjectiveQuery, Query()],
    goals: GoalLinksDep,
) -> FeedbackByObjectiveRead:
    """The first feedback about several objectives, one group per objective, each oldest first
    with its own `has_more`; only what you may see. An objective you may not see in the goals
    service has an empty group, as an unknown one."""
    return await service.feedback_by_objective(session, actor, query, goals)


@feedback.get("/feedback/{feedback_id}")
async def get_feedback(
    feedback_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("feedback.read"))],
    goals: GoalLinksDep,
    response: Response,
) -> FeedbackRead:
    """One item, if you may see it (404 otherwise, as for an unknown id); the `ETag` header is
    what `PATCH` wants in `If-Match`. Links to objectives and key results you may not see are
    null."""
    item = await service.get_feedback(session, actor, feedback_id, goals)
    response.headers["ETag"] = etag(item.version)
    return item


@feedback.patch("/feedback/{feedback_id}")
async def narrow_visibility(
    feedback_id: uuid.UUID,
    data: FeedbackUpdate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("feedback.narrow"))],
    if_match: IfMatch,
    goals: GoalLinksDep,
    response: Response,
) -> FeedbackRead:
    """The giver or the recipient narrows who sees an item (`public` → `manager` →
    `private`); widening is 409 `visibility_cannot_widen`. The words never change. Needs
    `If-Match` (428 without it, 412 when it changed since)."""
    item = await service.narrow_visibility(session, actor, feedback_id, data, if_match, goals)
    response.headers["ETag"] = etag(item.version)
    return item


@feedback.post("/feedback/{feedback_id}/replies", status_code=201)
async def reply(
    feedback_id: uuid.UUID,
    data: ReplyCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("feedback.reply"))],
    response: Response,
) -> ReplyRead:
    """Add to an item's thread: its giver and its recipient only (403 for others who can see
    it, 404 for those who cannot). Replies have the item's audience and come with it in every
    read."""
    message = await service.reply(session, actor, feedback_id, data)
    response.headers["Location"] = f"/v1/feedback/{feedback_id}"
    return message
