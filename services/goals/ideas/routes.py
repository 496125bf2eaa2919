"""The ideas API under `/v1`: propose, list and read ideas, review them, read their reviews
as allowed, and decide them (allocate, decline, withdraw)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from kit.auth import Actor
from kit.db import SessionDep
from kit.etag import IfMatch, etag, located
from kit.pagination import Page
from services.goals.ideas import service
from services.goals.ideas.schemas import (
    AllocationCreate,
    IdeaClose,
    IdeaCreate,
    IdeaQuery,
    IdeaRead,
    IdeaReviewsRead,
    IdeaStatus,
    ReviewCreate,
    ReviewRead,
    ReviewUpdate,
)
from services.goals.routes import goals_router
from services.goals.service import POLICY

ideas = goals_router("ideas")


def routers() -> list[APIRouter]:
    return [ideas]


@ideas.post("/ideas", status_code=201)
async def propose_idea(
    data: IdeaCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("idea.propose"))],
    response: Response,
) -> IdeaRead:
    """Propose an idea: the problem, what to do, the impact expected and what it asks
    (person-days, a budget in a currency, or both). Anyone signed in; it starts `proposed`.
    With `Idempotency-Key`, a retry returns the first answer."""
    idea = await service.propose_idea(session, actor, data)
    located(response, f"/v1/ideas/{idea.id}", idea.version)
    return idea


@ideas.get("/ideas")
async def list_ideas(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("idea.read"))],
    query: Annotated[IdeaQuery, Query()],
) -> Page[IdeaRead]:
    """Every idea, oldest first (never by standing or by who proposed it), narrowed by
    `status` or `proposer_id`; with `?id=`, exactly those. Each carries its standing: the
    count of reviews and, from three reviews on, the means per criterion and overall."""
    return await service.list_ideas(session, actor, query)


@ideas.get("/ideas/{idea_id}")
async def get_idea(
    idea_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("idea.read"))],
    response: Response,
) -> IdeaRead:
    """One idea with its standing and, once allocated, its allocation."""
    idea = await service.get_idea(session, actor, idea_id)
    response.headers["ETag"] = etag(idea.version)
    return idea


@ideas.post("/ideas/{idea_id}/reviews", status_code=201)
async def review_idea(
    idea_id: uuid.UUID,
    data: ReviewCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("idea.review"))],
    response: Response,
) -> ReviewRead:
    """Review an idea on impact, evidence and feasibility (1 to 5 each) with a comment: once
    per idea (409 `already_reviewed`; change it with `PATCH /v1/idea-reviews/{id}`), never
    your own (403 `own_idea`), while it is open (409 `idea_decided`). Its first review puts
    the idea `under_review`."""
    review = await service.review_idea(session, actor, idea_id, data)
    located(response, f"/v1/idea-reviews/{review.id}", review.version)
    return review


@ideas.get("/ideas/{idea_id}/reviews")
async def idea_reviews(
    idea_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("idea.read"))],
) -> IdeaReviewsRead:
    """An idea's reviews as you may read them: its standing, your own review whole (`mine`),
    and every review's comment without its reviewer or scores, in an order that follows
    neither time nor reviewer. Nobody else (the proposer, HR admins, your manager) ever
    reads how you scored it."""
    return await service.idea_reviews(session, actor, idea_id)


@ideas.patch("/idea-reviews/{review_id}")
async def update_review(
    review_id: uuid.UUID,
    data: ReviewUpdate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("idea.review"))],
    if_match: IfMatch,
    response: Response,
) -> ReviewRead:
    """Change your review while the idea is open (409 `idea_decided` once allocated,
    declined or withdrawn); someone else's review is 404. Needs `If-Match`."""
    review = await service.update_review(session, actor, review_id, data, if_match)
    response.headers["ETag"] = etag(review.version)
    return review


@ideas.post("/ideas/{idea_id}/allocation", status_code=201)
async def allocate_idea(
    idea_id: uuid.UUID,
    data: AllocationCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("idea.allocate"))],
) -> IdeaRead:
    """Grant a reviewed idea resources (HR admins): what is granted, by whom, and what it
    starts, an experiment (`experiment_id`) or a new objective (`objective`, created as
    `POST /v1/objectives` creates one, in the same transaction). 409 `not_reviewed` without
    a review, `idea_decided` once decided."""
    return await service.allocate_idea(session, actor, idea_id, data)


@ideas.post("/ideas/{idea_id}/decline")
async def decline_idea(
    idea_id: uuid.UUID,
    data: IdeaClose,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("idea.decline"))],
) -> IdeaRead:
    """Decline an open idea, with a note for its proposer (HR admins)."""
    return await service.close_idea(session, actor, idea_id, data, IdeaStatus.DECLINED)


@ideas.post("/ideas/{idea_id}/withdraw")
async def withdraw_idea(
    idea_id: uuid.UUID,
    data: IdeaClose,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("idea.withdraw"))],
) -> IdeaRead:
    """Withdraw your open idea (its proposer only: 403 `not_proposer`)."""
    return await service.close_idea(session, actor, idea_id, data, IdeaStatus.WITHDRAWN)
