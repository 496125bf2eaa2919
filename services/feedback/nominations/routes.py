"""The nominations API under `/v1`: periods, one's own nomination, what a closed period
reveals."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from kit.api import service_router
from kit.auth import Actor
from kit.db import SessionDep
from kit.etag import IfMatch, etag, located
from kit.pagination import BatchIds, OptionalBatchIds, Page, PageDep
from services.feedback.nominations import service
from services.feedback.nominations.schemas import (
    NominationPeriodCreate,
    NominationPeriodQuery,
    NominationPeriodRead,
    NominationRead,
    NominationResultsRead,
    NominationSubmit,
    ReasonsRead,
)
from services.feedback.service import POLICY

nominations = service_router(prefix="/v1", tags=["nominations"])


def routers() -> list[APIRouter]:
    return [nominations]


@nominations.post("/nomination-periods", status_code=201)
async def create_period(
    data: NominationPeriodCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("nomination_period.manage"))],
    response: Response,
) -> NominationPeriodRead:
    """Open a nomination period (HR admins), e.g. a month."""
    period = await service.create_period(session, actor, data)
    located(response, f"/v1/nomination-periods/{period.id}", period.version)
    return period


@nominations.get("/nomination-periods")
async def list_periods(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("nomination_period.read"))],
    filters: Annotated[NominationPeriodQuery, Query()],
    page: PageDep,
    ids: OptionalBatchIds = None,
) -> Page[NominationPeriodRead]:
    """Nomination periods, oldest first (`?status=open` for those taking nominations); with
    `?id=`, exactly those periods. A period never shows counts: see its results once closed."""
    return await service.list_periods(session, actor, filters, page, ids)


@nominations.get("/nomination-periods/results")
async def results_of_periods(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("nomination.results"))],
    ids: BatchIds,
) -> Page[NominationResultsRead]:
    """The results of several periods at once (`?id=a&id=b`, at most 100): one entry per
    closed period among them, in the order asked, as `GET …/{id}/results` gives it; open and
    unknown periods are left out."""
    return await service.results_of(session, actor, ids)


@nominations.get("/nomination-periods/{period_id}")
async def get_period(
    period_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("nomination_period.read"))],
    response: Response,
) -> NominationPeriodRead:
    """One period; the `ETag` header is what closing wants in `If-Match`."""
    period = await service.get_period(session, actor, period_id)
    response.headers["ETag"] = etag(period.version)
    return period


@nominations.post("/nomination-periods/{period_id}/close")
async def close_period(
    period_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("nomination_period.manage"))],
    if_match: IfMatch,
    response: Response,
) -> NominationPeriodRead:
    """Close a period for good (HR admins): it takes no more nominations and its results
    are revealed. Needs `If-Match`; 409 `period_closed` when closed already."""
    period = await service.close_period(session, actor, period_id, if_match)
    response.headers["ETag"] = etag(period.version)
    return period


@nominations.put("/nomination-periods/{period_id}/nomination")
async def nominate(
    period_id: uuid.UUID,
    data: NominationSubmit,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("nomination.give"))],
    response: Response,
) -> NominationRead:
    """Name the colleague who helped you most in an open period, with a reason: 201 the
    first time, 200 when it replaces your earlier choice. Nobody else ever reads it."""
    nomination, made = await service.nominate(session, actor, period_id, data)
    if made:
        response.status_code = 201
    return nomination


@nominations.get("/nomination-periods/{period_id}/nomination")
async def my_nomination(
    period_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("nomination.read_own"))],
) -> NominationRead:
    """Your own nomination in the period (404 `no_nomination` when you made none)."""
    return await service.my_nomination(session, actor, period_id)


@nominations.get("/nomination-periods/{period_id}/results")
async def results(
    period_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("nomination.results"))],
) -> NominationResultsRead:
    """Once the period is closed, the nominees named at least twice with their counts
    (409 `period_open` before, for everyone, HR admins included). Never who named whom."""
    return await service.results(session, actor, period_id)


@nominations.get("/nomination-periods/{period_id}/my-reasons")
async def my_reasons(
    period_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("nomination.reasons"))],
) -> ReasonsRead:
    """Once the period is closed, the reasons you were nominated for, without names, if you
    were named at least twice (none otherwise)."""
    return await service.my_reasons(session, actor, period_id)
