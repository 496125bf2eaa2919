"""The reports API under `/v1`: a closed round's figures, as the anonymity rules allow."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from kit.api import service_router
from kit.auth import Actor
from kit.db import SessionDep
from kit.pagination import MAX_BATCH_IDS, Page
from services.assessment.instruments.routes import AcceptLanguage
from services.assessment.instruments.service import content_language
from services.assessment.reports import service
from services.assessment.reports.schemas import BreakdownRead, GroupReport, HeatmapRead, TrendRead
from services.assessment.rounds.clock import Now
from services.assessment.rounds.service import POLICY

reports = service_router(prefix="/v1", tags=["reports"])

TeamQuery = Annotated[
    uuid.UUID | None,
    Query(description="A team of the round's audience (with its sub-teams); none: all of it."),
]


def routers() -> list[APIRouter]:
    return [reports]


@reports.get("/rounds/{round_id}/report")
async def get_report(
    round_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("report.read"))],
    now: Now,
    response: Response,
    team_id: TeamQuery = None,
    accept_language: AcceptLanguage = None,
) -> GroupReport:
    """A closed round's report for its whole audience or one team: per area the mean, level,
    distributions and the Management 1.0 / 2.0 shares; comments in a random order; the plans
    of the group. A group the anonymity rules withhold shows `null` figures and why. For HR
    admins, the round's sender and the leads of the team or a team above it (404 otherwise);
    409 `round_not_closed` before it closes. `recommendations`: the model's next steps for the
    group's level and weak areas (levels 1-3, lowest first), in the language of
    `Accept-Language`, else the reader's directory locale, else English."""
    report = await service.group_report(session, actor, round_id, team_id, now, accept_language)
    if report.recommendations is not None:
        response.headers["Content-Language"] = content_language([report.recommendations.language])
    response.headers["Vary"] = "Accept-Language"
    return report


@reports.get("/rounds/{round_id}/reports")
async def list_reports(
    round_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("report.read"))],
    now: Now,
    team_ids: Annotated[
        list[uuid.UUID],
        Query(
            alias="team_id",
            min_length=1,
            max_length=MAX_BATCH_IDS,
            description=f"Teams of the round's audience (`?team_id=a&team_id=b`, at most "
            f"{MAX_BATCH_IDS}).",
        ),
    ],
    accept_language: AcceptLanguage = None,
) -> Page[GroupReport]:
    """Several teams' reports of a closed round at once, each as `GET
    /v1/rounds/{id}/report?team_id=` gives it, the anonymity rules applied alike; teams you may
    not read, or not in the round's audience, are left out. 409 `round_not_closed` before it
    closes."""
    found = await service.group_reports(session, actor, round_id, team_ids, now, accept_language)
    return Page(items=found, next_cursor=None)


@reports.get("/rounds/{round_id}/heatmap")
async def get_heatmap(
    round_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("report.read"))],
    now: Now,
) -> HeatmapRead:
    """Every team of the round's audience by every area: mean and level where shown, `null`
    and the reason where withheld. For those who run the whole round."""
    return await service.heatmap(session, actor, round_id, now)


@reports.get("/rounds/{round_id}/breakdown")
async def get_breakdown(
    round_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("report.read"))],
    now: Now,
    attribute: Annotated[str, Query(max_length=64, description="A declared attribute's key.")],
    team_id: TeamQuery = None,
) -> BreakdownRead:
    """A group's area means by the options of one declared attribute (and `undeclared`),
    shown all together or not at all."""
    return await service.breakdown(session, actor, round_id, team_id, attribute, now)


@reports.get("/rounds/{round_id}/trend")
async def get_trend(
    round_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("report.read"))],
    now: Now,
    team_id: TeamQuery = None,
) -> TrendRead:
    """The group's area means in each closed round of the same instrument up to this one,
    oldest first."""
    return await service.trend(session, actor, round_id, team_id, now)
