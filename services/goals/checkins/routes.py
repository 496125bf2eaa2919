"""The check-ins API under `/v1`: checking in, reading check-ins, and those due."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from kit.auth import Actor
from kit.db import SessionDep
from kit.pagination import Page
from services.goals.checkins import service
from services.goals.checkins.schemas import (
    CheckInCreate,
    CheckInRead,
    CheckInsByKeyResultQuery,
    CheckInsByKeyResultRead,
    DueCheckInRead,
    DueQuery,
)
from services.goals.routes import goals_router
from services.goals.schemas import ListQuery
from services.goals.service import POLICY

check_ins = goals_router("check-ins")


def routers() -> list[APIRouter]:
    return [check_ins]


@check_ins.post("/key-results/{key_result_id}/check-ins", status_code=201)
async def check_in(
    key_result_id: uuid.UUID,
    data: CheckInCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("check_in.create"))],
) -> CheckInRead:
    """Say where the key result stands (`value`; `done` for binary; `milestones` for
    milestones), how confident you are (0 to 10) and how it goes (`status`). Refused (409)
    once the cycle is closed."""
    return await service.check_in(session, actor, key_result_id, data)


@check_ins.get("/key-results/{key_result_id}/check-ins")
async def list_check_ins(
    key_result_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("check_in.read"))],
    query: Annotated[ListQuery, Query()],
) -> Page[CheckInRead]:
    """The key result's check-ins, oldest first."""
    return await service.list_check_ins(session, actor, key_result_id, query.page())


@check_ins.get("/check-ins/by-key-result")
async def check_ins_by_key_result(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("check_in.read"))],
    query: Annotated[CheckInsByKeyResultQuery, Query()],
) -> CheckInsByKeyResultRead:
    """The first check-ins of several key results at once, one group per key result, each
    oldest first with its own `has_more`."""
    return await service.check_ins_by_key_result(
        session, actor, query.key_result_id, query.per_key_result
    )


@check_ins.get("/check-ins/due")
async def due_check_ins(
    request: Request,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("check_in.read"))],
    query: Annotated[DueQuery, Query()],
) -> Page[DueCheckInRead]:
    """Key results of active cycles nobody has checked in on for a while (7 days unless the
    service is configured otherwise): of a person (`person_id`: theirs, or of their
    objectives) or of a team's objectives (`team_id`). Oldest key result first."""
    due_days: int = request.app.state.settings.check_in_due_days
    return await service.due_check_ins(session, actor, query, due_days)
