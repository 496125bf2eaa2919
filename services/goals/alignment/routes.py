"""The alignment REST API under `/v1`: links between objectives, roll-up, the graph of a cycle
and dependencies. Parse, call the service, answer."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from kit.api import service_router
from kit.auth import Actor
from kit.db import SessionDep
from kit.etag import IfMatch, etag
from kit.pagination import Page
from services.goals.alignment import dependency_service, service
from services.goals.alignment.schemas import (
    AlignmentCreate,
    AlignmentGraphRead,
    AlignmentRead,
    AlignmentsByObjectiveRead,
    AlignmentsQuery,
    AlignmentUpdate,
    DependencyCreate,
    DependencyQuery,
    DependencyRead,
    DependencyUpdate,
    RollUpRead,
)
from services.goals.alignment.service import POLICY
from services.goals.schemas import ListQuery

alignment = service_router(prefix="/v1", tags=["alignment"])
dependencies = service_router(prefix="/v1", tags=["dependencies"])


def routers() -> list[APIRouter]:
    return [alignment, dependencies]


def _located(response: Response, path: str, version: int) -> None:
    response.headers["Location"] = path
    response.headers["ETag"] = etag(version)


# --- Links -----------------------------------------------------------------------------------


@alignment.post("/objectives/{objective_id}/alignments", status_code=201)
async def create_alignment(
    objective_id: uuid.UUID,
    data: AlignmentCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("alignment.create"))],
    response: Response,
) -> AlignmentRead:
    """Say that this objective supports a parent objective, or one of its key results, in
    the same cycle (those who may change this objective; the parent must be one you may
    read). The link is `pending`, counting in no roll-up, until the parent's side accepts it;
    made by someone who may change the parent too, it is `accepted` at once, and only then
    may it name a `weight` (403 `weight_set_by_parent`). Refused (409 `alignment_cycle`) when
    the parent already supports this objective, however indirectly."""
    link = await service.create_alignment(session, actor, objective_id, data)
    _located(response, f"/v1/alignments/{link.id}", link.version)
    return link


@alignment.get("/objectives/{objective_id}/parents")
async def list_parents(
    objective_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("alignment.read"))],
    query: Annotated[ListQuery, Query()],
) -> Page[AlignmentRead]:
    """The links from this objective to what it supports, oldest first; those to a private
    objective you may not read are left out."""
    return await service.list_links(session, actor, objective_id, "parents", query.page())


@alignment.get("/objectives/{objective_id}/children")
async def list_children(
    objective_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("alignment.read"))],
    query: Annotated[ListQuery, Query()],
) -> Page[AlignmentRead]:
    """The links to this objective (or its key results) from the objectives supporting it,
    oldest first; those from a private objective you may not read are left out."""
    return await service.list_links(session, actor, objective_id, "children", query.page())


@alignment.get("/alignments/parents")
async def parents_by_objective(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("alignment.read"))],
    query: Annotated[AlignmentsQuery, Query()],
) -> AlignmentsByObjectiveRead:
    """The first parent links of several objectives at once (`?objective_id=a&objective_id=b`),
    one group per objective, each oldest first with its own `has_more`."""
    return await service.links_by_objective(
        session, actor, query.objective_id, "parents", query.per_objective
    )


@alignment.get("/alignments/children")
async def children_by_objective(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("alignment.read"))],
    query: Annotated[AlignmentsQuery, Query()],
) -> AlignmentsByObjectiveRead:
    """The first child links of several objectives at once, one group per objective."""
    return await service.links_by_objective(
        session, actor, query.objective_id, "children", query.per_objective
    )


@alignment.get("/alignments/{alignment_id}")
async def get_alignment(
    alignment_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("alignment.read"))],
    response: Response,
) -> AlignmentRead:
    """One link; the `ETag` header is what `PATCH` wants in `If-Match`."""
    link = await service.get_alignment(session, actor, alignment_id)
    response.headers["ETag"] = etag(link.version)
    return link


@alignment.patch("/alignments/{alignment_id}")
async def update_alignment(
    alignment_id: uuid.UUID,
    data: AlignmentUpdate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("alignment.update"))],
    if_match: IfMatch,
    response: Response,
) -> AlignmentRead:
    """The parent's side (those who may change the parent objective) accepts the link
    (`state: accepted`; the child then counts in its roll-up), declines it (`declined`), or
    sets its `weight`. Needs `If-Match`."""
    link = await service.update_alignment(session, actor, alignment_id, data, if_match)
    response.headers["ETag"] = etag(link.version)
    return link


@alignment.delete("/alignments/{alignment_id}", status_code=204)
async def delete_alignment(
    alignment_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("alignment.delete"))],
) -> None:
    """Withdraw a link (those who may change the child objective, or the parent)."""
    await service.delete_alignment(session, actor, alignment_id)


# --- Roll-up ---------------------------------------------------------------------------------


@alignment.get("/objectives/{objective_id}/roll-up")
async def get_roll_up(
    objective_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("roll_up.read"))],
) -> RollUpRead:
    """Whether the objective's progress counts the children aligned to it, and its progress
    with and without them."""
    return await service.get_roll_up(session, actor, objective_id)


@alignment.put("/objectives/{objective_id}/roll-up")
async def enable_roll_up(
    objective_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("roll_up.update"))],
) -> RollUpRead:
    """Opt in: the objective's progress also counts the public children aligned to it. A
    switch, not a document: no body, no `If-Match`; sending it twice changes nothing."""
    return await service.set_roll_up(session, actor, objective_id, enabled=True)


@alignment.delete("/objectives/{objective_id}/roll-up", status_code=204)
async def disable_roll_up(
    objective_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("roll_up.update"))],
) -> None:
    """Opt out: the objective's progress is its key results' alone again."""
    await service.set_roll_up(session, actor, objective_id, enabled=False)


# --- The graph of a cycle --------------------------------------------------------------------


@alignment.get("/cycles/{cycle_id}/alignment")
async def get_cycle_alignment(
    cycle_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("alignment.read"))],
) -> AlignmentGraphRead:
    """The alignment graph of a cycle in one request: its objectives you may read (with
    owner, kind, progress and key results) and the links between them."""
    return await service.cycle_alignment(session, actor, cycle_id)


# --- Dependencies ----------------------------------------------------------------------------


@dependencies.post("/objectives/{objective_id}/dependencies", status_code=201)
async def create_dependency(
    objective_id: uuid.UUID,
    data: DependencyCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("dependency.create"))],
    response: Response,
) -> DependencyRead:
    """Declare that this objective depends on another owner's objective or key result in the
    same cycle, with a note (those who may change this objective). It starts `open`."""
    dependency = await dependency_service.create_dependency(session, actor, objective_id, data)
    _located(response, f"/v1/dependencies/{dependency.id}", dependency.version)
    return dependency


@dependencies.get("/objectives/{objective_id}/dependencies")
async def list_dependencies(
    objective_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("dependency.read"))],
    query: Annotated[ListQuery, Query()],
) -> Page[DependencyRead]:
    """The objective's dependencies on either side (what it depends on, what depends on it),
    oldest first."""
    return await dependency_service.dependencies_of(session, actor, objective_id, query.page())


@dependencies.get("/dependencies/{dependency_id}")
async def get_dependency(
    dependency_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("dependency.read"))],
    response: Response,
) -> DependencyRead:
    """One dependency with both its sides; the `ETag` header is what `PATCH` wants."""
    dependency = await dependency_service.get_dependency(session, actor, dependency_id)
    response.headers["ETag"] = etag(dependency.version)
    return dependency


@dependencies.patch("/dependencies/{dependency_id}")
async def update_dependency(
    dependency_id: uuid.UUID,
    data: DependencyUpdate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("dependency.update"))],
    if_match: IfMatch,
    response: Response,
) -> DependencyRead:
    """Agree to a dependency (the side depended on), resolve or reopen it (either side), or
    reword its note (the side that depends). Needs `If-Match`."""
    dependency = await dependency_service.update_dependency(
        session, actor, dependency_id, data, if_match
    )
    response.headers["ETag"] = etag(dependency.version)
    return dependency


@dependencies.delete("/dependencies/{dependency_id}", status_code=204)
async def delete_dependency(
    dependency_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("dependency.delete"))],
) -> None:
    """Withdraw a dependency (the side that depends)."""
    await dependency_service.delete_dependency(session, actor, dependency_id)


@dependencies.get("/cycles/{cycle_id}/dependencies")
async def list_cycle_dependencies(
    cycle_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("dependency.read"))],
    query: Annotated[DependencyQuery, Query()],
) -> Page[DependencyRead]:
    """The alignment event's view: every dependency between owners in the cycle, with its
    state and both sides, oldest first; optionally only those in one `state`. Those with a
    side you may not read are left out."""
    return await dependency_service.cycle_dependencies(session, actor, cycle_id, query)
