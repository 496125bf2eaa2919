"""The HRIS REST API under `/v1/hris`: signed deliveries into the inbox, roster syncs and
their reports."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel

from kit.api import service_router
from kit.auth import Actor
from kit.db import SessionDep, UnitOfWorkRoute
from kit.edge import refuse_unknown_query
from kit.errors import PROBLEM_RESPONSES
from kit.idempotency import authorized
from kit.models import utcnow
from kit.pagination import Page, PageDep
from services.people.hris import adapters, service, sync
from services.people.hris.schemas import (
    DeliveryAccepted,
    HrisEventRead,
    RosterSync,
    SyncRead,
    SyncSummaryRead,
)
from services.people.hris.service import POLICY
from services.people.hris.settings import HrisSettings, Integration
from services.people.schemas import Source

syncs = service_router(prefix="/v1", tags=["hris"])
# Deliveries carry no bearer token: HRIS senders sign their bodies instead (a shared secret per
# integration, checked over the raw bytes), which also proves the body was not changed on the
# way. Hence a route class without the bearer-keyed `Idempotency-Key` guard of `service_router`:
# the webhook id is the idempotency key.
inbox = APIRouter(
    prefix="/v1",
    tags=["hris"],
    route_class=UnitOfWorkRoute,
    responses=PROBLEM_RESPONSES,
    dependencies=[Depends(refuse_unknown_query)],
)


def routers() -> list[APIRouter]:
    return [inbox, syncs]


def _settings(request: Request) -> HrisSettings:
    settings: HrisSettings = request.app.state.settings.hris
    return settings


class _Delivery(BaseModel):
    name: str
    integration: Integration
    webhook_id: str
    body: bytes


async def signed_delivery(request: Request) -> _Delivery:
    """The delivery, once a configured integration's signature over its raw body checks out;
    401 otherwise (also for a timestamp more than the tolerance away from now)."""
    settings = _settings(request)
    body = await request.body()
    name, webhook_id = adapters.verify(
        settings.integrations, request.headers, body, utcnow(), settings.tolerance_seconds
    )
    authorized(request)
    return _Delivery(
        name=name, integration=settings.integrations[name], webhook_id=webhook_id, body=body
    )


signed_delivery.policy_action = "hris.deliver"  # type: ignore[attr-defined]  # read by route_actions

_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"type": "object"}}},
        "description": "As the integration's format has it: the generic Inspire events, a "
        "unified-API `{Model}.added/changed/removed` hook, or a BambooHR webhook.",
    }
}


@inbox.post("/hris/events", status_code=202, openapi_extra=_BODY)
async def receive_hris_events(
    session: SessionDep, delivery: Annotated[_Delivery, Depends(signed_delivery)]
) -> DeliveryAccepted:
    """Take a signed delivery from an HRIS into the inbox and answer 202; the changes are
    applied in the background. Signed with Standard Webhooks headers (`webhook-id`,
    `webhook-timestamp`, `webhook-signature`) or, for BambooHR, `X-BambooHR-Signature` and
    `X-BambooHR-Timestamp`; no bearer token. A webhook id received before is accepted again
    and changes nothing."""
    changes = adapters.read_delivery(delivery.integration, delivery.body, utcnow())
    return await service.accept_delivery(
        session, delivery.name, delivery.integration.source, delivery.webhook_id, changes
    )


@syncs.get("/hris/events")
async def list_hris_events(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("hris.read_events"))],
    page: PageDep,
    status: Annotated[
        Literal["pending", "held", "applied", "failed"] | None,
        Query(description="Only changes in this state (`held`: waiting for someone)."),
    ] = None,
) -> Page[HrisEventRead]:
    """The inbox, oldest first: each change an HRIS sent, and what became of it (applied, held
    with what it waits for, failed with why, or pending until its date)."""
    return await service.list_events(session, actor, page, status)


@syncs.post("/hris/sync", status_code=201)
async def sync_roster(
    request: Request,
    data: RosterSync,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("hris.sync"))],
    response: Response,
) -> SyncRead:
    """Compare the full roster of a source (its people and, when `teams` is sent, its tree of
    teams) with the directory: by default a dry run (what would be created, updated,
    deactivated or deleted, or left unchanged, field by field); with `apply: true` the changes
    are made, unless a guard refuses (more than 40 % of the source's active people deactivated,
    more than 5 % changing email, or more than 40 % of its teams removed) and `force` is not
    set. Each call leaves a report, at `Location`."""
    report = await sync.sync_roster(session, actor, _settings(request), data)
    response.headers["Location"] = f"/v1/hris/syncs/{report.id}"
    return report


@syncs.get("/hris/syncs")
async def list_syncs(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("hris.read_syncs"))],
    page: PageDep,
    source: Annotated[Source | None, Query(description="Only this source's syncs.")] = None,
) -> Page[SyncSummaryRead]:
    """The sync reports, oldest first: outcome, counts, guards met, who and when."""
    return await sync.list_syncs(session, actor, page, source)


@syncs.get("/hris/syncs/{sync_id}")
async def get_sync(
    sync_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("hris.read_syncs"))],
) -> SyncRead:
    """One sync's whole report: every person's field-level changes and every warning."""
    return await sync.get_sync(session, actor, sync_id)
