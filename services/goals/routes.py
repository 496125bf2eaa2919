"""The goals REST API under `/v1`: parse, call the service, answer. No parameter here sorts
or filters people by OKR progress or confidence (the OKR firewall)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from kit.api import service_router
from kit.auth import Actor
from kit.db import SessionDep
from kit.etag import IfMatch, etag
from kit.pagination import MAX_BATCH_IDS, BatchIds, Page, PageDep
from services.goals import service
from services.goals.schemas import (
    CheckInCreate,
    CheckInRead,
    CheckInsByKeyResult,
    CycleCreate,
    CycleFilters,
    CycleRead,
    CycleUpdate,
    KeyResultCreate,
    KeyResultRead,
    KeyResultsByObjective,
    ObjectiveCreate,
    ObjectiveFilters,
    ObjectiveRead,
    ObjectivesByOwner,
    ObjectiveUpdate,
)
from services.goals.service import POLICY

# The kit's `?id=` batch parameter, optional here: without it a list is paginated instead.
OptionalBatchIds = Annotated[list[uuid.UUID] | None, *BatchIds.__metadata__]

# How many children of each parent a batch read returns at most.
MAX_PER_PARENT = 100
DEFAULT_PER_PARENT = 20


def _ids(name: str, description: str) -> Any:
    return Query(alias=name, max_length=MAX_BATCH_IDS, description=description)


def _per_parent(description: str) -> Any:
    return Query(ge=1, le=MAX_PER_PARENT, description=description, strict=False)


cycles = service_router(prefix="/v1", tags=["cycles"])
objectives = service_router(prefix="/v1", tags=["objectives"])
key_results = service_router(prefix="/v1", tags=["key results"])
check_ins = service_router(prefix="/v1", tags=["check-ins"])


def routers() -> list[APIRouter]:
    return [cycles, objectives, key_results, check_ins]


def _located(response: Response, path: str, version: int) -> None:
    response.headers["Location"] = path
    response.headers["ETag"] = etag(version)


# --- Cycles ----------------------------------------------------------------------------------


@cycles.post("/cycles", status_code=201)
async def create_cycle(
    data: CycleCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("cycle.create"))],
    response: Response,
) -> CycleRead:
    """Open a period to set objectives for (HR admins). It starts in `planning` unless a
    `status` is given."""
    cycle = await service.create_cycle(session, actor, data)
    _located(response, f"/v1/cycles/{cycle.id}", cycle.version)
    return cycle


@cycles.get("/cycles")
async def list_cycles(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("cycle.read"))],
    filters: Annotated[CycleFilters, Query()],
    page: PageDep,
    ids: OptionalBatchIds = None,
) -> Page[CycleRead]:
    """Cycles, oldest first, a page at a time; or, with `?id=`, exactly those cycles."""
    if ids:
        return await service.read_cycles(session, actor, ids)
    return await service.list_cycles(session, actor, filters, page)


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
    """Rename a cycle, move its dates or change its status (a `closed` cycle takes no more
    objectives, key results or check-ins). Needs `If-Match`."""
    cycle = await service.update_cycle(session, actor, cycle_id, data, if_match)
    response.headers["ETag"] = etag(cycle.version)
    return cycle


# --- Objectives ------------------------------------------------------------------------------


@objectives.post("/objectives", status_code=201)
async def create_objective(
    data: ObjectiveCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("objective.create"))],
    response: Response,
) -> ObjectiveRead:
    """Set an objective for yourself, a team you lead or belong to, or a direct report; HR
    admins for anyone. With `Idempotency-Key`, a retry returns the first answer."""
    objective = await service.create_objective(session, actor, data)
    _located(response, f"/v1/objectives/{objective.id}", objective.version)
    return objective


@objectives.get("/objectives")
async def list_objectives(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("objective.read"))],
    filters: Annotated[ObjectiveFilters, Query()],
    page: PageDep,
    ids: OptionalBatchIds = None,
) -> Page[ObjectiveRead]:
    """Objectives you may see, oldest first, a page at a time; or, with `?id=`, exactly those
    (unknown ids and private objectives of others are left out; filters and paging do not
    apply)."""
    if ids:
        return await service.read_objectives(session, actor, ids)
    return await service.list_objectives(session, actor, filters, page)


@objectives.get("/objectives/by-owner")
async def objectives_by_owner(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("objective.read"))],
    owner_person_ids: Annotated[
        list[uuid.UUID] | None, _ids("owner_person_id", "People whose objectives to read.")
    ] = None,
    owner_team_ids: Annotated[
        list[uuid.UUID] | None, _ids("owner_team_id", "Teams whose objectives to read.")
    ] = None,
    cycle_id: Annotated[uuid.UUID | None, Query(description="Only in this cycle.")] = None,
    per_owner: Annotated[int, _per_parent("Objectives per owner at most.")] = DEFAULT_PER_PARENT,
) -> ObjectivesByOwner:
    """The first objectives of several owners at once (`?owner_person_id=a&owner_person_id=b`,
    at most 100 owners), one group per owner, each oldest first and with its own `has_more`;
    private objectives you may not see are left out."""
    return await service.objectives_by_owner(
        session,
        actor,
        person_ids=owner_person_ids or [],
        team_ids=owner_team_ids or [],
        cycle_id=cycle_id,
        per_owner=per_owner,
    )


@objectives.get("/objectives/{objective_id}")
async def get_objective(
    objective_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("objective.read"))],
    response: Response,
) -> ObjectiveRead:
    """One objective with its progress; the `ETag` header is what `PATCH` wants in
    `If-Match`. A private objective you may not see is 404, as an unknown one."""
    objective = await service.get_objective(session, actor, objective_id)
    response.headers["ETag"] = etag(objective.version)
    return objective


@objectives.patch("/objectives/{objective_id}")
async def update_objective(
    objective_id: uuid.UUID,
    data: ObjectiveUpdate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("objective.update"))],
    if_match: IfMatch,
    response: Response,
) -> ObjectiveRead:
    """Change an objective's title, description or visibility (its owner, the owner's
    management chain, team leads and members, HR admins). Needs `If-Match`."""
    objective = await service.update_objective(session, actor, objective_id, data, if_match)
    response.headers["ETag"] = etag(objective.version)
    return objective


@objectives.get("/objectives/{objective_id}/key-results")
async def list_key_results(
    objective_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("key_result.read"))],
    page: PageDep,
) -> Page[KeyResultRead]:
    """The objective's key results, oldest first."""
    return await service.list_key_results(session, actor, objective_id, page)


@objectives.post("/objectives/{objective_id}/key-results", status_code=201)
async def create_key_result(
    objective_id: uuid.UUID,
    data: KeyResultCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("key_result.create"))],
    response: Response,
) -> KeyResultRead:
    """Add a measurable key result to the objective; `current` starts at `start` unless
    given."""
    key_result = await service.create_key_result(session, actor, objective_id, data)
    _located(response, f"/v1/key-results/{key_result.id}", key_result.version)
    return key_result


# --- Key results -----------------------------------------------------------------------------


@key_results.get("/key-results")
async def read_key_results(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("key_result.read"))],
    ids: BatchIds,
) -> Page[KeyResultRead]:
    """Exactly the key results asked for (`?id=a&id=b`), in that order; unknown ones and those
    of private objectives you may not see are left out."""
    return await service.read_key_results(session, actor, ids)


@key_results.get("/key-results/by-objective")
async def key_results_by_objective(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("key_result.read"))],
    objective_ids: Annotated[
        list[uuid.UUID],
        Query(
            alias="objective_id",
            min_length=1,
            max_length=MAX_BATCH_IDS,
            description="Objectives whose key results to read.",
        ),
    ],
    per_objective: Annotated[
        int, _per_parent("Key results per objective at most.")
    ] = DEFAULT_PER_PARENT,
) -> KeyResultsByObjective:
    """The first key results of several objectives at once, one group per objective, each
    oldest first with its own `has_more`."""
    return await service.key_results_by_objective(session, actor, objective_ids, per_objective)


@key_results.get("/key-results/{key_result_id}")
async def get_key_result(
    key_result_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("key_result.read"))],
) -> KeyResultRead:
    """One key result with its current value and progress."""
    return await service.get_key_result(session, actor, key_result_id)


@key_results.post("/key-results/{key_result_id}/check-ins", status_code=201)
async def check_in(
    key_result_id: uuid.UUID,
    data: CheckInCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("check_in.create"))],
) -> CheckInRead:
    """Say where the key result stands and how confident you are (0 to 10); its value becomes
    the key result's `current`. Refused (409) once the cycle is closed."""
    return await service.check_in(session, actor, key_result_id, data)


@key_results.get("/key-results/{key_result_id}/check-ins")
async def list_check_ins(
    key_result_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("check_in.read"))],
    page: PageDep,
) -> Page[CheckInRead]:
    """The key result's check-ins, oldest first."""
    return await service.list_check_ins(session, actor, key_result_id, page)


# --- Check-ins -------------------------------------------------------------------------------


@check_ins.get("/check-ins/by-key-result")
async def check_ins_by_key_result(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("check_in.read"))],
    key_result_ids: Annotated[
        list[uuid.UUID],
        Query(
            alias="key_result_id",
            min_length=1,
            max_length=MAX_BATCH_IDS,
            description="Key results whose check-ins to read.",
        ),
    ],
    per_key_result: Annotated[
        int, _per_parent("Check-ins per key result at most.")
    ] = DEFAULT_PER_PARENT,
) -> CheckInsByKeyResult:
    """The first check-ins of several key results at once, one group per key result, each
    oldest first with its own `has_more`."""
    return await service.check_ins_by_key_result(session, actor, key_result_ids, per_key_result)
