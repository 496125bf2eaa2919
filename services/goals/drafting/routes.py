"""The drafting API under `/v1`: signing an objective, and comments on it."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from kit.auth import Actor
from kit.db import SessionDep
from kit.etag import etag
from kit.pagination import Page
from services.goals.drafting import service
from services.goals.drafting.schemas import CommentCreate, CommentRead
from services.goals.routes import goals_router
from services.goals.schemas import ListQuery, ObjectiveRead
from services.goals.service import POLICY

drafting = goals_router("drafting")


def routers() -> list[APIRouter]:
    return [drafting]


@drafting.post("/objectives/{objective_id}/signatures", status_code=201)
async def sign(
    objective_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("objective.sign"))],
    response: Response,
) -> ObjectiveRead:
    """Sign a proposed objective for your side: its owner's (the person; for a team, a member;
    for the company, an HR admin) or its manager's (the owner's manager; for a team, its lead;
    for the company, a second HR admin). It is agreed when both sides have signed."""
    objective = await service.sign(session, actor, objective_id)
    response.headers["ETag"] = etag(objective.version)
    return objective


@drafting.post("/objectives/{objective_id}/comments", status_code=201)
async def add_comment(
    objective_id: uuid.UUID,
    data: CommentCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("objective.comment"))],
) -> CommentRead:
    """Comment on an objective you may read, while its cycle is open."""
    return await service.add_comment(session, actor, objective_id, data)


@drafting.get("/objectives/{objective_id}/comments")
async def list_comments(
    objective_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("comment.read"))],
    query: Annotated[ListQuery, Query()],
) -> Page[CommentRead]:
    """The objective's comments, oldest first; for whoever may read the objective."""
    return await service.list_comments(session, actor, objective_id, query.page())
