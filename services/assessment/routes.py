"""The assessment REST API under `/v1`: parse, call the service, answer."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from kit.api import service_router
from kit.auth import Actor
from kit.db import SessionDep
from kit.etag import IfMatch, etag, located
from kit.pagination import OptionalBatchIds, Page, PageDep
from services.assessment import service
from services.assessment.rounds.routes import survey_routers
from services.assessment.schemas import (
    InstrumentCreate,
    InstrumentQuery,
    InstrumentRead,
    InstrumentUpdate,
)
from services.assessment.service import POLICY

instruments = service_router(prefix="/v1", tags=["instruments"])


def routers() -> list[APIRouter]:
    return [instruments, *survey_routers()]


@instruments.post("/instruments", status_code=201)
async def create_instrument(
    data: InstrumentCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("instrument.create"))],
    response: Response,
) -> InstrumentRead:
    """Add an instrument your organisation wrote or has licensed: its areas, answer scale and
    questions (asked in the order sent). Keys are unique. With `Idempotency-Key`, a retry
    returns the first answer instead of adding it twice."""
    instrument = await service.create_instrument(session, actor, data)
    located(response, f"/v1/instruments/{instrument.id}", instrument.version)
    return instrument


@instruments.get("/instruments")
async def list_instruments(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("instrument.read"))],
    filters: Annotated[InstrumentQuery, Query()],
    page: PageDep,
    ids: OptionalBatchIds = None,
) -> Page[InstrumentRead]:
    """Instruments with their questions, oldest first (the built-in ones lead); or, with
    `?id=`, exactly those instruments (unknown ids are left out, filters and paging do not
    apply)."""
    if ids:
        return await service.read_instruments(session, actor, ids)
    return await service.list_instruments(session, actor, filters, page)


@instruments.get("/instruments/{instrument_id}")
async def get_instrument(
    instrument_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("instrument.read"))],
    response: Response,
) -> InstrumentRead:
    """One instrument with its questions in order; the `ETag` header is what `PATCH` wants in
    `If-Match`."""
    instrument = await service.get_instrument(session, actor, instrument_id)
    response.headers["ETag"] = etag(instrument.version)
    return instrument


@instruments.patch("/instruments/{instrument_id}")
async def update_instrument(
    instrument_id: uuid.UUID,
    data: InstrumentUpdate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("instrument.update"))],
    if_match: IfMatch,
    response: Response,
) -> InstrumentRead:
    """Rename an instrument, change its description, or retire it (`active: false`) so that new
    surveys no longer offer it. Questions never change. Needs `If-Match` (428 without it, 412
    when it changed since)."""
    instrument = await service.update_instrument(session, actor, instrument_id, data, if_match)
    response.headers["ETag"] = etag(instrument.version)
    return instrument
