"""The development goals API under `/v1`: set, list, read, change and complete a goal for
your own growth, and plan its learning."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from kit.auth import Actor
from kit.db import SessionDep
from kit.etag import IfMatch, etag, located
from kit.pagination import Page
from services.goals.development import service
from services.goals.development.schemas import (
    DevelopmentGoalComplete,
    DevelopmentGoalCreate,
    DevelopmentGoalQuery,
    DevelopmentGoalRead,
    DevelopmentGoalUpdate,
    LearningItemCreate,
    LearningItemRead,
    LearningItemUpdate,
)
from services.goals.people import SkillsCatalogueDep
from services.goals.routes import goals_router
from services.goals.service import POLICY

development = goals_router("development goals")


def routers() -> list[APIRouter]:
    return [development]


@development.post("/development-goals", status_code=201)
async def create_goal(
    data: DevelopmentGoalCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("development_goal.create"))],
    skills: SkillsCatalogueDep,
    response: Response,
) -> DevelopmentGoalRead:
    """Set a goal for your own growth: the skills it builds (ids of the directory's skills
    catalogue, each once: 422 `unknown_skill` / `duplicate_skill` naming `body.skill_ids.N`
    otherwise; 503 `people_unavailable` when the people service cannot say, nothing saved), a
    target date, who it is shared with, and its first learning items. It is always the
    caller's own: a service creating one for a person forwards the person's token. With
    `Idempotency-Key`, a retry returns the first answer."""
    goal = await service.create_goal(session, actor, data, skills)
    located(response, f"/v1/development-goals/{goal.id}", goal.version)
    return goal


@development.get("/development-goals")
async def list_goals(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("development_goal.read"))],
    query: Annotated[DevelopmentGoalQuery, Query()],
) -> Page[DevelopmentGoalRead]:
    """Development goals you may read, oldest first, with their learning plans: yours, your
    reports' (at any depth), those shared with you or the organisation (HR admins: all);
    `person_id` narrows to one person. With `?id=`, exactly those (hidden ones are left out,
    as unknown ones are)."""
    return await service.list_goals(session, actor, query)


@development.get("/development-goals/{goal_id}")
async def get_goal(
    goal_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("development_goal.read"))],
    response: Response,
) -> DevelopmentGoalRead:
    """One development goal with its learning plan; one you may not read is 404, as an
    unknown one."""
    goal = await service.get_goal(session, actor, goal_id)
    response.headers["ETag"] = etag(goal.version)
    return goal


@development.patch("/development-goals/{goal_id}")
async def update_goal(
    goal_id: uuid.UUID,
    data: DevelopmentGoalUpdate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("development_goal.update"))],
    if_match: IfMatch,
    skills: SkillsCatalogueDep,
    response: Response,
) -> DevelopmentGoalRead:
    """Change your goal's title, description, skills, target date or sharing (its person
    alone: 403 to the others who read it). Needs `If-Match`. Skills it did not have are
    checked with the directory's catalogue, as at creation; those it has are kept."""
    goal = await service.update_goal(session, actor, goal_id, data, if_match, skills)
    response.headers["ETag"] = etag(goal.version)
    return goal


@development.post("/development-goals/{goal_id}/complete")
async def complete_goal(
    goal_id: uuid.UUID,
    data: DevelopmentGoalComplete,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("development_goal.update"))],
) -> DevelopmentGoalRead:
    """Mark your goal completed, with a note of what came of it (409 `goal_completed` if it
    is already)."""
    return await service.complete_goal(session, actor, goal_id, data)


@development.post("/development-goals/{goal_id}/plan-items", status_code=201)
async def add_item(
    goal_id: uuid.UUID,
    data: LearningItemCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("development_goal.update"))],
    response: Response,
) -> LearningItemRead:
    """Add a learning item to your goal's plan: a course, mentoring, a stretch assignment,
    learning on the job or reading."""
    item = await service.add_item(session, actor, goal_id, data)
    response.headers["ETag"] = etag(item.version)
    return item


@development.patch("/plan-items/{item_id}")
async def update_item(
    item_id: uuid.UUID,
    data: LearningItemUpdate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("development_goal.update"))],
    if_match: IfMatch,
    response: Response,
) -> LearningItemRead:
    """Change a learning item: its status, evidence (text or a link) or words. Needs
    `If-Match` (the item's `version`)."""
    item = await service.update_item(session, actor, item_id, data, if_match)
    response.headers["ETag"] = etag(item.version)
    return item
