"""The action plans API under `/v1`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from kit.api import service_router
from kit.auth import Actor
from kit.db import SessionDep
from kit.etag import IfMatch, etag, located
from services.assessment.plans import service
from services.assessment.plans.schemas import PlanCreate, PlanItemCreate, PlanItemUpdate, PlanRead
from services.assessment.rounds.clock import Now
from services.assessment.rounds.service import POLICY

plans = service_router(prefix="/v1", tags=["plans"])


def routers() -> list[APIRouter]:
    return [plans]


@plans.post("/plans", status_code=201)
async def create_plan(
    data: PlanCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("plan.create"))],
    response: Response,
    now: Now,
) -> PlanRead:
    """Adopt a stop / continue / start plan for a team (or a round's whole audience) from a
    closed round's report: one per team and round (409 `plan_exists`). For the team's lead
    and HR admins; the next round's report of the team shows it."""
    plan = await service.create_plan(session, actor, data, now)
    located(response, f"/v1/plans/{plan.id}", plan.version)
    return plan


@plans.get("/plans/{plan_id}")
async def get_plan(
    plan_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("plan.read"))],
    response: Response,
) -> PlanRead:
    """A plan with its items, for the team's members and leads and HR admins."""
    plan = await service.get_plan(session, actor, plan_id)
    response.headers["ETag"] = etag(plan.version)
    return plan


@plans.post("/plans/{plan_id}/items", status_code=201)
async def add_plan_item(
    plan_id: uuid.UUID,
    data: PlanItemCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("plan.update"))],
    response: Response,
) -> PlanRead:
    """Add an item to a plan."""
    plan = await service.add_item(session, actor, plan_id, data)
    response.headers["ETag"] = etag(plan.version)
    return plan


@plans.patch("/plans/{plan_id}/items/{item_id}")
async def update_plan_item(
    plan_id: uuid.UUID,
    item_id: uuid.UUID,
    data: PlanItemUpdate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("plan.update"))],
    if_match: IfMatch,
    response: Response,
) -> PlanRead:
    """Track an item: its status (`open`, `in_progress`, `done`, `dropped`) or owner. Needs
    the plan's `If-Match` (428 without it, 412 when it changed since)."""
    plan = await service.update_item(session, actor, plan_id, item_id, data, if_match)
    response.headers["ETag"] = etag(plan.version)
    return plan
