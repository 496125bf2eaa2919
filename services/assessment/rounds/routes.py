"""The rounds API under `/v1`: send, open, close, count answers, and answer one's own."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from kit.api import service_router
from kit.auth import Actor
from kit.db import SessionDep
from kit.etag import located
from kit.pagination import BatchIds, Page, PageDep
from services.assessment.instruments.routes import AcceptLanguage
from services.assessment.instruments.schemas import InstrumentRead
from services.assessment.instruments.service import content_language
from services.assessment.plans import routes as plans
from services.assessment.reports import routes as reports
from services.assessment.reports import service as reporting
from services.assessment.rounds import service
from services.assessment.rounds.clock import Now
from services.assessment.rounds.schemas import (
    Answers,
    MyResponseRead,
    ParticipationRead,
    RoundCreate,
    RoundQuery,
    RoundRead,
)
from services.assessment.rounds.service import POLICY

rounds = service_router(prefix="/v1", tags=["rounds"])


def survey_routers() -> list[APIRouter]:
    """Rounds, their reports and the plans made from them."""
    return [rounds, *reports.routers(), *plans.routers()]


@rounds.post("/rounds", status_code=201)
async def create_round(
    data: RoundCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("round.create"))],
    response: Response,
    now: Now,
) -> RoundRead:
    """Prepare a round (a draft): an instrument for an audience (a team and its sub-teams, or
    everyone) with a close date, a mode (`anonymous` by default) and a minimum group size
    (default 5, never below 3). HR admins send to anyone; a team's lead to their own team
    (403 `not_your_team` otherwise). It opens at `opens_at`, or when someone opens it."""
    created = await service.create_round(session, actor, data, now)
    located(response, f"/v1/rounds/{created.id}", created.version)
    return created


@rounds.get("/rounds")
async def list_rounds(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("round.read"))],
    filters: Annotated[RoundQuery, Query()],
    page: PageDep,
    now: Now,
) -> Page[RoundRead]:
    """Rounds you are asked to answer, sent, or sent to a team you lead (HR admins and
    integrations: all), oldest first; `?status=open&invited=true` is what waits for you."""
    return await service.list_rounds(session, actor, filters, page, now)


@rounds.get("/rounds/{round_id}")
async def get_round(
    round_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("round.read"))],
    now: Now,
) -> RoundRead:
    """One round you may see (404 otherwise, as for an unknown id)."""
    return await service.get_round(session, actor, round_id, now)


@rounds.post("/rounds/{round_id}/open")
async def open_round(
    round_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("round.update"))],
    now: Now,
) -> RoundRead:
    """Open a draft now: its audience and each person's team are copied from the directory as
    they stand (a later reorganisation changes nothing) and its minimum group size is locked.
    409 `round_not_draft` when it has opened already."""
    return await service.open_round(session, actor, round_id, now)


@rounds.post("/rounds/{round_id}/close")
async def close_round(
    round_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("round.update"))],
    now: Now,
) -> RoundRead:
    """Close an open round before its close date (it closes by itself at that date); its
    report is then ready. 409 `round_not_open` otherwise."""
    return await reporting.close_round(session, actor, round_id, now)


@rounds.get("/rounds/{round_id}/participation")
async def get_participation(
    round_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("participation.read"))],
) -> ParticipationRead:
    """How many were asked and how many submitted, for those who run the round. Who answered
    is not shown anywhere."""
    return await service.participation(session, actor, round_id)


@rounds.get("/rounds/{round_id}/my-response")
async def get_my_response(
    round_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("response.answer"))],
) -> MyResponseRead:
    """Your part in a round you are asked in: its mode (read it before answering: in an
    `identified` round your answers keep your name), your status and the answers saved so far.
    Once submitted, an anonymous round shows none: nothing links them to you any more."""
    return await service.my_response(session, actor, round_id)


@rounds.get("/my-responses")
async def list_my_responses(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("response.answer"))],
    ids: BatchIds,
) -> Page[MyResponseRead]:
    """Your part in several rounds at once (`?id=a&id=b`, round ids, at most 100): as `GET
    /v1/rounds/{id}/my-response` gives it, for those you are asked in (the others left out)."""
    return Page(items=await service.my_responses(session, actor, ids), next_cursor=None)


@rounds.get("/rounds/{round_id}/questions")
async def get_round_questions(
    round_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("response.answer"))],
    response: Response,
    accept_language: AcceptLanguage = None,
) -> InstrumentRead:
    """The questions of a round you are asked in (its instrument, questions in order), in your
    language: `Accept-Language`, else your locale in the directory, else English; a missing
    translation falls back to English and `language` says so (`Content-Language` too). 404 for
    those not asked."""
    instrument = await service.round_questions(session, actor, round_id, accept_language)
    response.headers["Content-Language"] = content_language([instrument.language])
    response.headers["Vary"] = "Accept-Language"
    return instrument


@rounds.put("/rounds/{round_id}/my-response")
async def save_my_response(
    round_id: uuid.UUID,
    data: Answers,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("response.answer"))],
    now: Now,
) -> MyResponseRead:
    """Save your answers so far (replacing those saved before) and the attributes you
    declare, to submit later. 409 `round_not_open`, or `already_submitted` once final."""
    return await service.save_answers(session, actor, round_id, data, now)


@rounds.post("/rounds/{round_id}/my-response/submit")
async def submit_my_response(
    round_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("response.answer"))],
    now: Now,
) -> MyResponseRead:
    """Make your saved answers final (every rating question answered, else 422
    `answers_incomplete`); after this they cannot change (409 `already_submitted`). Takes no
    body and returns no answer, so that a retried request (`Idempotency-Key`) keeps nothing
    that links you to them."""
    return await service.submit(session, actor, round_id, now)
