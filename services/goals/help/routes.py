"""The help requests API under `/v1`: ask for help, read what you asked and were asked, offer
help, resolve. No route counts help requests per person or lists people by them."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from kit.auth import Actor
from kit.db import SessionDep
from kit.etag import IfMatch, etag
from kit.pagination import Page
from services.goals.help import service
from services.goals.help.schemas import (
    HelpOfferCreate,
    HelpRequestCreate,
    HelpRequestQuery,
    HelpRequestRead,
    HelpRequestResolve,
    HelpRequestUpdate,
    ObjectiveHelpRequestQuery,
)
from services.goals.routes import goals_router, located
from services.goals.service import POLICY

help_requests = goals_router("help requests")


def routers() -> list[APIRouter]:
    return [help_requests]


@help_requests.post("/help-requests", status_code=201)
async def open_help_request(
    data: HelpRequestCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("help_request.open"))],
    response: Response,
) -> HelpRequestRead:
    """Ask for help on an objective (`objective_id`) or one of its key results
    (`key_result_id`): what is blocked, what help is wanted. Those who work on the objective;
    it is addressed to the owner's manager (for a team, its lead and the lead's manager), the
    contributors and the owner. An `off_track` check-in, or one with a confidence of 3 or
    less, opens one by itself. One open request per key result and per objective: 409
    `help_request_open`."""
    request = await service.open_request(session, actor, data)
    located(response, f"/v1/help-requests/{request.id}", request.version)
    return request


@help_requests.get("/help-requests")
async def my_help_requests(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("help_request.read"))],
    query: Annotated[HelpRequestQuery, Query()],
) -> Page[HelpRequestRead]:
    """Your own help requests, oldest first: those you asked (`role=mine`) and those you were
    asked to help with (`role=addressed`); both without `role`. Nobody lists anyone else's."""
    return await service.my_requests(session, actor, query)


@help_requests.get("/help-requests/{help_request_id}")
async def get_help_request(
    help_request_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("help_request.read"))],
    response: Response,
) -> HelpRequestRead:
    """One help request with the help offered. Seen by whoever may read its objective, who
    asked and who was asked; otherwise 404, as an unknown id."""
    request = await service.get_request(session, actor, help_request_id)
    response.headers["ETag"] = etag(request.version)
    return request


@help_requests.patch("/help-requests/{help_request_id}")
async def update_help_request(
    help_request_id: uuid.UUID,
    data: HelpRequestUpdate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("help_request.update"))],
    if_match: IfMatch,
    response: Response,
) -> HelpRequestRead:
    """Say what is blocked and what help is wanted (a request a check-in opened starts with
    the check-in's note as what is blocked). Those who work on the objective, while it is
    open (409 `help_request_resolved`). Needs `If-Match`."""
    request = await service.update_request(session, actor, help_request_id, data, if_match)
    response.headers["ETag"] = etag(request.version)
    return request


@help_requests.post("/help-requests/{help_request_id}/offers", status_code=201)
async def offer_help(
    help_request_id: uuid.UUID,
    data: HelpOfferCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("help_request.offer"))],
) -> HelpRequestRead:
    """Offer help with a message, on an open request you see; answers the request with your
    offer in it. Not on your own (409 `own_help_request`), not once resolved (409
    `help_request_resolved`)."""
    return await service.offer_help(session, actor, help_request_id, data)


@help_requests.post("/help-requests/{help_request_id}/resolution")
async def resolve_help_request(
    help_request_id: uuid.UUID,
    data: HelpRequestResolve,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("help_request.resolve"))],
) -> HelpRequestRead:
    """Resolve an open request with a note on what helped (those who work on the objective);
    a new one may then be asked for the same key result or objective."""
    return await service.resolve_request(session, actor, help_request_id, data)


@help_requests.get("/objectives/{objective_id}/help-requests")
async def objective_help_requests(
    objective_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("help_request.read"))],
    query: Annotated[ObjectiveHelpRequestQuery, Query()],
) -> Page[HelpRequestRead]:
    """The objective's help requests, open and resolved (or `state`), oldest first, for
    whoever may read the objective (a private one's: 404 to others)."""
    return await service.objective_requests(session, actor, objective_id, query)
