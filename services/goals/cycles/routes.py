"""The cycles API under `/v1`: cycles and their course, final scores, the report by team."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from kit.auth import Actor
from kit.db import SessionDep
from kit.etag import IfMatch, etag
from kit.pagination import Page
from services.goals.cycles import service
from services.goals.cycles.schemas import (
    ClosingSubmit,
    CycleCreate,
    CycleQuery,
    CycleRead,
    CycleReportRead,
    CycleUpdate,
)
from services.goals.routes import goals_router, located
from services.goals.schemas import ClosingRead
from services.goals.service import POLICY

cycles = goals_router("cycles")


def routers() -> list[APIRouter]:
    return [cycles]


@cycles.post("/cycles", status_code=201)
async def create_cycle(
    data: CycleCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("cycle.create"))],
    response: Response,
) -> CycleRead:
    """Open a period to set objectives for (HR admins). It starts in `planning` unless
    `status: active` is given."""
    cycle = await service.create_cycle(session, actor, data)
    located(response, f"/v1/cycles/{cycle.id}", cycle.version)
    return cycle


@cycles.get("/cycles")
async def list_cycles(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("cycle.read"))],
    query: Annotated[CycleQuery, Query()],
) -> Page[CycleRead]:
    """Cycles, oldest first, a page at a time; or, with `?id=`, exactly those cycles."""
    return await service.list_cycles(session, actor, query)


@cycles.get("/cycles/{cycle_id}")
async def get_cycle(
    cycle_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("cycle.read"))],
    response: Response,
) -> CycleRead:
    """One cycle; the `ETag` header is what `PATCH` wants in `If-Match`."""
    cycle = await service.get_cycle(session, actor, cycle_id)
    response.headers["ETag"] = etag(cycle.version)
    return cycle


@cycles.patch("/cycles/{cycle_id}")
async def update_cycle(
    cycle_id: uuid.UUID,
    data: CycleUpdate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("cycle.update"))],
    if_match: IfMatch,
    response: Response,
) -> CycleRead:
    """Rename a cycle, move its dates, or move it on (HR admins): `status: active` opens it
    (or reopens a closed one), `status: closed` closes it: every objective without a
    submitted final score takes its progress as one, and the cycle takes no more work.
    Needs `If-Match`."""
    cycle = await service.update_cycle(session, actor, cycle_id, data, if_match)
    response.headers["ETag"] = etag(cycle.version)
    return cycle


@cycles.get("/cycles/{cycle_id}/report")
async def cycle_report(
    cycle_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("cycle.report"))],
) -> CycleReportRead:
    """The cycle by team and for the company: objectives, mean progress, mean final score,
    how many at risk. Never by person: people's own objectives are only counted."""
    return await service.cycle_report(session, actor, cycle_id)


@cycles.put("/objectives/{objective_id}/closing")
async def submit_closing(
    objective_id: uuid.UUID,
    data: ClosingSubmit,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("closing.submit"))],
    if_match: IfMatch,
    response: Response,
) -> ClosingRead:
    """Give the objective its final score (0 to 1) and a short retrospective, while its cycle
    is active (whoever works on it). 201 the first time; replacing it needs `If-Match`."""
    closing, created = await service.submit_closing(session, actor, objective_id, data, if_match)
    if created:
        response.status_code = 201
    response.headers["ETag"] = etag(closing.version)
    return closing


@cycles.get("/objectives/{objective_id}/closing")
async def get_closing(
    objective_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("objective.read"))],
    response: Response,
) -> ClosingRead:
    """The objective's final score and retrospective (also part of the objective)."""
    closing = await service.get_closing(session, actor, objective_id)
    response.headers["ETag"] = etag(closing.version)
    return closing
