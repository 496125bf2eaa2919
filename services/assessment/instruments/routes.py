"""The instruments API under `/v1`: read the bank in your language, add, change, import and
export instruments, and read the next steps the 5-level model recommends."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response

from kit.api import service_router
from kit.auth import Actor
from kit.db import SessionDep
from kit.etag import IfMatch, etag, located
from kit.pagination import OptionalBatchIds, Page, PageDep
from services.assessment.instruments import service
from services.assessment.instruments.schemas import (
    InstrumentCreate,
    InstrumentExportRead,
    InstrumentImport,
    InstrumentQuery,
    InstrumentRead,
    InstrumentUpdate,
    RecommendationQuery,
    RecommendationsRead,
)
from services.assessment.service import POLICY

instruments = service_router(prefix="/v1", tags=["instruments"])
recommendations = service_router(prefix="/v1", tags=["recommendations"])

AcceptLanguage = Annotated[
    str | None,
    Header(
        max_length=500,
        description="The languages wanted, e.g. `sv-SE;q=0.9,en;q=0.8`; without it, the "
        "person's locale in the directory; English when neither has a translation.",
    ),
]


def routers() -> list[APIRouter]:
    return [instruments, recommendations]


def _languages(response: Response, *reads: InstrumentRead) -> None:
    response.headers["Content-Language"] = service.content_language([r.language for r in reads])
    response.headers["Vary"] = "Accept-Language"


@instruments.post("/instruments", status_code=201)
async def create_instrument(
    data: InstrumentCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("instrument.create"))],
    response: Response,
    accept_language: AcceptLanguage = None,
) -> InstrumentRead:
    """Add an instrument your organisation wrote or has licensed: its areas, answer scale,
    level thresholds and questions (asked in the order sent; `rating` or free-text `comment`),
    its texts in English and, in `translations`, other locales. Keys are unique. With
    `Idempotency-Key`, a retry returns the first answer instead of adding it twice."""
    instrument = await service.create_instrument(session, actor, data, accept_language)
    located(response, f"/v1/instruments/{instrument.id}", instrument.version)
    _languages(response, instrument)
    return instrument


@instruments.post("/instruments/import", status_code=201)
async def import_instrument(
    data: InstrumentImport,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("instrument.import"))],
    response: Response,
    accept_language: AcceptLanguage = None,
) -> InstrumentRead:
    """Import an instrument exported from this or another Inspire (`format`
    `inspire.instrument/1`) as a new instrument: everything is checked as for `POST
    /v1/instruments`; a key already used is 409 `instrument_key_taken` (change `key` to import
    it again). With `Idempotency-Key`, a retry returns the first answer."""
    instrument = await service.create_instrument(session, actor, data, accept_language)
    located(response, f"/v1/instruments/{instrument.id}", instrument.version)
    _languages(response, instrument)
    return instrument


@instruments.get("/instruments")
async def list_instruments(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("instrument.read"))],
    filters: Annotated[InstrumentQuery, Query()],
    page: PageDep,
    response: Response,
    ids: OptionalBatchIds = None,
    accept_language: AcceptLanguage = None,
) -> Page[InstrumentRead]:
    """Instruments with their questions, oldest first (the built-in ones lead); or, with
    `?id=`, exactly those instruments (unknown ids are left out, filters and paging do not
    apply). Texts are in the language chosen by `Accept-Language`, else your locale in the
    directory, else English; each instrument's `language` says what was served."""
    if ids:
        found = await service.read_instruments(session, actor, ids, accept_language)
    else:
        found = await service.list_instruments(session, actor, filters, page, accept_language)
    _languages(response, *found.items)
    return found


@instruments.get("/instruments/{instrument_id}")
async def get_instrument(
    instrument_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("instrument.read"))],
    response: Response,
    accept_language: AcceptLanguage = None,
) -> InstrumentRead:
    """One instrument with its questions in order, in your language where a translation
    exists (`Content-Language` and `language` say which; what is missing falls back to
    English); the `ETag` header is what `PATCH` wants in `If-Match`."""
    instrument = await service.get_instrument(session, actor, instrument_id, accept_language)
    response.headers["ETag"] = etag(instrument.version)
    _languages(response, instrument)
    return instrument


@instruments.get("/instruments/{instrument_id}/export")
async def export_instrument(
    instrument_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("instrument.export"))],
) -> InstrumentExportRead:
    """The whole instrument as a JSON document for `POST /v1/instruments/import`: areas, scale,
    level thresholds, questions with their kinds, and its texts in every locale. HR admins
    only."""
    return await service.export_instrument(session, actor, instrument_id)


@instruments.patch("/instruments/{instrument_id}")
async def update_instrument(
    instrument_id: uuid.UUID,
    data: InstrumentUpdate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("instrument.update"))],
    if_match: IfMatch,
    response: Response,
    accept_language: AcceptLanguage = None,
) -> InstrumentRead:
    """Rename an instrument, change its description, or retire it (`active: false`) so that new
    surveys no longer offer it; these are its English texts. Questions never change. Needs
    `If-Match` (428 without it, 412 when it changed since)."""
    instrument = await service.update_instrument(
        session, actor, instrument_id, data, if_match, accept_language
    )
    response.headers["ETag"] = etag(instrument.version)
    _languages(response, instrument)
    return instrument


@recommendations.get("/recommendations")
async def get_recommendations(
    query: Annotated[RecommendationQuery, Query()],
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("recommendation.read"))],
    response: Response,
    accept_language: AcceptLanguage = None,
) -> RecommendationsRead:
    """Concrete next steps from the 5-level model for a group at `level` of an instrument:
    what the level looks like and how to move up, and for each weak `area` (repeatable) what
    to do; in English or Swedish (`Accept-Language`, else your locale in the directory). An
    unknown instrument is 404 `instrument_not_found`; an area it does not have is 422
    `unknown_area`."""
    found = await service.recommend(session, actor, query, accept_language)
    response.headers["Content-Language"] = found.language.served
    response.headers["Vary"] = "Accept-Language"
    return found
