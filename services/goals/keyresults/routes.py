"""The key results API under `/v1`: adding them to an objective, reading, changing and
removing them."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from kit.auth import Actor
from kit.db import SessionDep
from kit.etag import IfMatch, etag
from kit.pagination import Page
from services.goals.keyresults import service
from services.goals.keyresults.schemas import (
    KeyResultBatchQuery,
    KeyResultCreate,
    KeyResultRead,
    KeyResultsByObjectiveQuery,
    KeyResultsByObjectiveRead,
    KeyResultUpdate,
)
from services.goals.routes import goals_router, located
from services.goals.schemas import ListQuery
from services.goals.service import POLICY

key_results = goals_router("key results")


def routers() -> list[APIRouter]:
    return [key_results]


@key_results.get("/objectives/{objective_id}/key-results")
async def list_key_results(
    objective_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("key_result.read"))],
    query: Annotated[ListQuery, Query()],
) -> Page[KeyResultRead]:
    """The objective's key results, oldest first."""
    return await service.list_key_results(session, actor, objective_id, query.page())


@key_results.post("/objectives/{objective_id}/key-results", status_code=201)
async def create_key_result(
    objective_id: uuid.UUID,
    data: KeyResultCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("key_result.create"))],
    response: Response,
) -> KeyResultRead:
    """Add a key result of one `kind` to the objective (see the body's description for the
    figures each kind takes). Signatures given so far are taken back."""
    key_result = await service.create_key_result(session, actor, objective_id, data)
    located(response, f"/v1/key-results/{key_result.id}", key_result.version)
    return key_result


@key_results.get("/key-results")
async def read_key_results(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("key_result.read"))],
    query: Annotated[KeyResultBatchQuery, Query()],
) -> Page[KeyResultRead]:
    """Exactly the key results asked for (`?id=a&id=b`), in that order; unknown ones and those
    of private objectives you may not see are left out."""
    return await service.read_key_results(session, actor, query.id)


@key_results.get("/key-results/by-objective")
async def key_results_by_objective(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("key_result.read"))],
    query: Annotated[KeyResultsByObjectiveQuery, Query()],
) -> KeyResultsByObjectiveRead:
    """The first key results of several objectives at once, one group per objective, each
    oldest first with its own `has_more`."""
    return await service.key_results_by_objective(
        session, actor, query.objective_id, query.per_objective
    )


@key_results.get("/key-results/{key_result_id}")
async def get_key_result(
    key_result_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("key_result.read"))],
    response: Response,
) -> KeyResultRead:
    """One key result with its current value, its progress and what it came from, and the
    progress a steady pace would have reached today; the `ETag` header is what `PATCH` and
    `DELETE` want in `If-Match`."""
    key_result = await service.get_key_result(session, actor, key_result_id)
    response.headers["ETag"] = etag(key_result.version)
    return key_result


@key_results.patch("/key-results/{key_result_id}")
async def update_key_result(
    key_result_id: uuid.UUID,
    data: KeyResultUpdate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("key_result.update"))],
    if_match: IfMatch,
    response: Response,
) -> KeyResultRead:
    """Change a key result's title, figures (as its kind takes them), unit, owner or weight
    (those who may add key results to its objective). Needs `If-Match`. Signatures given so
    far are taken back, unless only its owner changed."""
    key_result = await service.update_key_result(session, actor, key_result_id, data, if_match)
    response.headers["ETag"] = etag(key_result.version)
    return key_result


@key_results.delete("/key-results/{key_result_id}", status_code=204)
async def delete_key_result(
    key_result_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("key_result.delete"))],
    if_match: IfMatch,
) -> None:
    """Remove a key result with its check-ins (those who may add key results to its
    objective). Needs `If-Match`. Links and dependencies naming it are withdrawn; signatures
    given so far are taken back."""
    await service.delete_key_result(session, actor, key_result_id, if_match)
