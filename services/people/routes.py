"""The directory's REST API under `/v1`: parse, call the service, answer."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from kit.api import service_router
from kit.auth import Actor
from kit.db import SessionDep
from kit.etag import IfMatch, etag, located
from kit.pagination import MAX_BATCH_IDS, OptionalBatchIds, Page, PageDep
from services.people import service
from services.people.catalogue import routes as catalogue
from services.people.events import DirectorySnapshot
from services.people.hris import routes as hris
from services.people.schemas import (
    MembershipCreate,
    MembershipRead,
    PersonCreate,
    PersonQuery,
    PersonRead,
    PersonUpdate,
    ReportingLineRead,
    ReportsByManagerRead,
    TeamCreate,
    TeamQuery,
    TeamRead,
    TeamUpdate,
)
from services.people.service import POLICY

# How many children of each parent a batch read returns at most.
MAX_PER_PARENT = 100
DEFAULT_PER_PARENT = 20
ManagerIds = Annotated[
    list[uuid.UUID],
    Query(
        alias="manager_id",
        min_length=1,
        max_length=MAX_BATCH_IDS,
        description=f"Managers whose reports to read (`?manager_id=a&manager_id=b`, at most "
        f"{MAX_BATCH_IDS}).",
    ),
]

people = service_router(prefix="/v1", tags=["people"])
teams = service_router(prefix="/v1", tags=["teams"])


def routers() -> list[APIRouter]:
    return [people, teams, *catalogue.routers(), *hris.routers(), internal]


# --- People ----------------------------------------------------------------------------------


@people.post("/people", status_code=201)
async def create_person(
    data: PersonCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("person.create"))],
    response: Response,
) -> PersonRead:
    """Add a person to the directory. With `Idempotency-Key`, a retry returns the first answer
    instead of adding them twice."""
    person = await service.create_person(session, actor, data)
    located(response, f"/v1/people/{person.id}", person.version)
    return person


@people.get("/people")
async def list_people(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("person.read"))],
    filters: Annotated[PersonQuery, Query()],
    page: PageDep,
    ids: OptionalBatchIds = None,
) -> Page[PersonRead]:
    """People, oldest first, a page at a time; or, with `?id=`, exactly those people (unknown
    ids are left out, filters and paging do not apply)."""
    if ids:
        return await service.read_people(session, actor, ids)
    return await service.list_people(session, actor, filters, page)


# Declared before `/people/{person_id}`, which would otherwise take `me` and `by-manager` for ids.
@people.get("/people/me")
async def get_me(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("person.read"))],
) -> PersonRead:
    """The person the bearer token names (403 `not_a_person` for an integration's token)."""
    return await service.get_me(session, actor)


@people.get("/people/by-manager")
async def reports_by_manager(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("person.read"))],
    manager_ids: ManagerIds,
    per_manager: Annotated[
        int,
        Query(ge=1, le=MAX_PER_PARENT, description="Reports per manager at most.", strict=False),
    ] = DEFAULT_PER_PARENT,
) -> ReportsByManagerRead:
    """The first direct reports of several managers at once (`?manager_id=a&manager_id=b`, at
    most 100), one group per manager in the order asked, each oldest first with its own
    `has_more` (an unknown id has an empty group)."""
    return await service.reports_by_manager(session, actor, manager_ids, per_manager)


@people.get("/people/{person_id}")
async def get_person(
    person_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("person.read"))],
    response: Response,
) -> PersonRead:
    """One person; the `ETag` header is what `PATCH` wants in `If-Match`."""
    person = await service.get_person(session, actor, person_id)
    response.headers["ETag"] = etag(person.version)
    return person


@people.patch("/people/{person_id}")
async def update_person(
    person_id: uuid.UUID,
    data: PersonUpdate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("person.update"))],
    if_match: IfMatch,
    response: Response,
) -> PersonRead:
    """Change some of a person's details; a new manager is recorded in the reporting-line
    history. Needs `If-Match` (428 without it, 412 when someone changed them since)."""
    person = await service.update_person(session, actor, person_id, data, if_match)
    response.headers["ETag"] = etag(person.version)
    return person


@people.post("/people/{person_id}/deactivate")
async def deactivate_person(
    person_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("person.deactivate"))],
    response: Response,
) -> PersonRead:
    """The person left: they can no longer sign in, manage someone new or lead a team."""
    person = await service.deactivate_person(session, actor, person_id)
    response.headers["ETag"] = etag(person.version)
    return person


@people.post("/people/{person_id}/reactivate")
async def reactivate_person(
    person_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("person.reactivate"))],
    response: Response,
) -> PersonRead:
    """The person is back."""
    person = await service.reactivate_person(session, actor, person_id)
    response.headers["ETag"] = etag(person.version)
    return person


@people.get("/people/{person_id}/reports")
async def list_reports(
    person_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("person.read"))],
    page: PageDep,
) -> Page[PersonRead]:
    """The person's direct reports."""
    return await service.list_reports(session, actor, person_id, page)


@people.get("/people/{person_id}/management-chain")
async def management_chain(
    person_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("person.read"))],
) -> list[PersonRead]:
    """The person's manager first, then that manager's manager, up to the top."""
    return await service.management_chain(session, actor, person_id)


@people.get("/people/{person_id}/reporting-lines")
async def reporting_lines(
    person_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("person.read"))],
    page: PageDep,
) -> Page[ReportingLineRead]:
    """Who the person reported to over time, oldest first."""
    return await service.reporting_lines(session, actor, person_id, page)


# --- Teams -----------------------------------------------------------------------------------


@teams.post("/teams", status_code=201)
async def create_team(
    data: TeamCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("team.create"))],
    response: Response,
) -> TeamRead:
    """Create a team, department or group, optionally under a parent."""
    team = await service.create_team(session, actor, data)
    located(response, f"/v1/teams/{team.id}", team.version)
    return team


@teams.get("/teams")
async def list_teams(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("team.read"))],
    filters: Annotated[TeamQuery, Query()],
    page: PageDep,
    ids: OptionalBatchIds = None,
) -> Page[TeamRead]:
    """Teams, oldest first; or, with `?id=`, exactly those teams."""
    if ids:
        return await service.read_teams(session, actor, ids)
    return await service.list_teams(session, actor, filters, page)


@teams.get("/teams/{team_id}")
async def get_team(
    team_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("team.read"))],
    response: Response,
) -> TeamRead:
    """One team, with its `ETag`."""
    team = await service.get_team(session, actor, team_id)
    response.headers["ETag"] = etag(team.version)
    return team


@teams.patch("/teams/{team_id}")
async def update_team(
    team_id: uuid.UUID,
    data: TeamUpdate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("team.update"))],
    if_match: IfMatch,
    response: Response,
) -> TeamRead:
    """Rename a team, change its kind, lead or parent (never under itself). Needs `If-Match`."""
    team = await service.update_team(session, actor, team_id, data, if_match)
    response.headers["ETag"] = etag(team.version)
    return team


@teams.delete("/teams/{team_id}", status_code=204)
async def delete_team(
    team_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("team.delete"))],
) -> None:
    """Delete a team that has no members and no sub-teams."""
    await service.delete_team(session, actor, team_id)


@teams.get("/teams/{team_id}/members")
async def list_members(
    team_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("team.read"))],
    page: PageDep,
) -> Page[PersonRead]:
    """The people in the team."""
    return await service.list_members(session, actor, team_id, page)


@teams.post("/teams/{team_id}/members", status_code=201)
async def add_member(
    team_id: uuid.UUID,
    data: MembershipCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("team.manage_members"))],
) -> MembershipRead:
    """Put an active person in the team (they stay in their other teams)."""
    return await service.add_member(session, actor, team_id, data)


@teams.delete("/teams/{team_id}/members/{person_id}", status_code=204)
async def remove_member(
    team_id: uuid.UUID,
    person_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("team.manage_members"))],
) -> None:
    """Take a person out of the team."""
    await service.delete_member(session, actor, team_id, person_id)


@teams.get("/teams/{team_id}/sub-teams")
async def list_sub_teams(
    team_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("team.read"))],
    page: PageDep,
) -> Page[TeamRead]:
    """The teams directly under this one."""
    return await service.list_sub_teams(session, actor, team_id, page)


# --- Between services --------------------------------------------------------------------------

internal = service_router(tags=["internal"])


@internal.get("/internal/directory-snapshot")
async def directory_snapshot(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("directory.snapshot"))],
) -> DirectorySnapshot:
    """The whole directory and the feed position it matches; other services load it once to
    start their org copy, then follow the feed."""
    return await service.directory_snapshot(session, actor)
