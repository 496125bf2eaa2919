"""The goals REST API under `/v1`, its core: objectives, their contributors. Parse, call the
service, answer. The OKR firewall is here too: the app puts it in front of every route it
serves (`app.py`), so that no parameter sorts, ranks or filters by OKR progress, score or
confidence on any route, those added later included; one that tries is refused as
`okr_firewall`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.security import HTTPBearer

from kit.api import service_router
from kit.auth import Actor, current_actor
from kit.db import SessionDep, get_session
from kit.errors import Unprocessable
from kit.etag import IfMatch, etag
from kit.pagination import Page
from services.goals import service
from services.goals.schemas import (
    ContributorAdd,
    ObjectiveCreate,
    ObjectiveQuery,
    ObjectiveRead,
    ObjectivesByOwnerQuery,
    ObjectivesByOwnerRead,
    ObjectiveUpdate,
)
from services.goals.service import POLICY

# Words in a parameter's name that make it a figure of OKR performance; and words that make
# it an ordering, refused when its value names such a figure.
_FIGURES = ("progress", "score", "confidence", "rating", "rank", "current", "performance")
_ORDERINGS = ("sort", "order", "top", "bottom")
_bearer = HTTPBearer(auto_error=False)


def figure_parameter(request: Request) -> str | None:
    """The first query parameter that names an OKR figure or orders by one, if any."""
    for name, value in request.query_params.multi_items():
        lowered, wanted = name.lower(), value.lower()
        figure = any(word in lowered for word in _FIGURES)
        ordering = any(word in lowered for word in _ORDERINGS)
        if figure or (ordering and any(word in wanted for word in _FIGURES)):
            return name
    return None


async def okr_firewall(request: Request) -> None:
    """Refuse a query that would sort, rank or filter by an OKR figure (DOMAIN.md §4): there
    is no such parameter, and an attempt is told why rather than merely ignored. An app-wide
    dependency: it runs before each route's own, on every route."""
    name = figure_parameter(request)
    if name is None:
        return
    if getattr(request.state, "session", None) is not None:
        # A route of the API: as everywhere, who asks is known before anything is answered.
        await current_actor(request, get_session(request), await _bearer(request))
    raise Unprocessable(
        "OKR figures (progress, scores, confidence) never sort, rank or filter "
        "objectives or people; lists come oldest first. See the OKR firewall.",
        code="okr_firewall",
        field=f"query.{name}",
    )


def goals_router(tag: str) -> APIRouter:
    """A router of this service: `/v1`, unit of work, problem responses (the app adds the
    OKR firewall in front of every route)."""
    return service_router(prefix="/v1", tags=[tag])


def located(response: Response, path: str, version: int) -> None:
    response.headers["Location"] = path
    response.headers["ETag"] = etag(version)


objectives = goals_router("objectives")


def routers() -> list[APIRouter]:
    return [objectives]


# --- Objectives ------------------------------------------------------------------------------


@objectives.post("/objectives", status_code=201)
async def create_objective(
    data: ObjectiveCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("objective.create"))],
    response: Response,
) -> ObjectiveRead:
    """Set an objective for yourself, a team you lead or belong to, or a direct report; HR
    admins for anyone, and for the company (`owner_kind: company`, always public). It starts
    as a `draft`. With `Idempotency-Key`, a retry returns the first answer."""
    objective = await service.create_objective(session, actor, data)
    located(response, f"/v1/objectives/{objective.id}", objective.version)
    return objective


@objectives.get("/objectives")
async def list_objectives(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("objective.read"))],
    query: Annotated[ObjectiveQuery, Query()],
) -> Page[ObjectiveRead]:
    """Objectives you may see, oldest first, a page at a time, narrowed by the filters given;
    or, with `?id=`, exactly those (unknown ids and private objectives of others are left out;
    filters and paging do not apply). An unknown parameter is refused."""
    return await service.list_objectives(session, actor, query)


@objectives.get("/objectives/by-owner")
async def objectives_by_owner(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("objective.read"))],
    query: Annotated[ObjectivesByOwnerQuery, Query()],
) -> ObjectivesByOwnerRead:
    """The first objectives of several owners at once (`?owner_person_id=a&owner_person_id=b`,
    at most 100 owners), one group per owner, each oldest first and with its own `has_more`;
    private objectives you may not see are left out."""
    return await service.objectives_by_owner(session, actor, query)


@objectives.get("/objectives/{objective_id}")
async def get_objective(
    objective_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("objective.read"))],
    response: Response,
) -> ObjectiveRead:
    """One objective with its progress, signatures and closing; the `ETag` header is what
    `PATCH` wants in `If-Match`. A private objective you may not see is 404, as an unknown
    one."""
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
    """Change an objective's title, description, kind or visibility, or propose it
    (`status: proposed`) or take it back to `draft` (its owner, contributors, the owner's
    management chain, team leads and members, HR admins). A change after a signature takes
    the signatures back. Needs `If-Match`."""
    objective = await service.update_objective(session, actor, objective_id, data, if_match)
    response.headers["ETag"] = etag(objective.version)
    return objective


@objectives.post("/objectives/{objective_id}/contributors", status_code=201)
async def add_contributor(
    objective_id: uuid.UUID,
    data: ContributorAdd,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("objective.update"))],
) -> ObjectiveRead:
    """Add a person who works on the objective with its owner: they see it even when it is
    private, change it and check in on it."""
    return await service.add_contributor(session, actor, objective_id, data)


@objectives.delete("/objectives/{objective_id}/contributors/{person_id}", status_code=204)
async def remove_contributor(
    objective_id: uuid.UUID,
    person_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("objective.update"))],
) -> None:
    """Take a contributor off the objective."""
    await service.delete_contributor(session, actor, objective_id, person_id)
