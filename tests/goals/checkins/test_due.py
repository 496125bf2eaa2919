"""Due check-ins: key results of active cycles nobody has checked in on for N days (7 unless
configured), of a person (theirs or of their objectives) or of a team's objectives."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.db import Database
from kit.models import utcnow
from kit.orgcopy import OrgPerson
from services.goals.config import GoalsSettings
from services.goals.models import Cycle, KeyResult, Objective
from services.goals.schemas import CycleStatus, Visibility
from tests.goals.factories import (
    add_member,
    create_cycle,
    create_key_result,
    create_objective,
    create_person,
    create_team,
)
from tests.support import Tokens, asgi_client, problem_codes, problem_fields, service_app


@pytest.fixture
async def running(session: AsyncSession, today: date) -> Cycle:
    """An active cycle under way."""
    return await create_cycle(
        session, starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=60)
    )


async def quiet_for(
    session: AsyncSession,
    objective: Objective,
    days: int,
    *,
    checked_in: bool = True,
    **fields: object,
) -> KeyResult:
    """A key result last checked in on (or created, if never) `days` days ago."""
    then = utcnow() - timedelta(days=days)
    if checked_in:
        return await create_key_result(
            session, objective, checked_in_at=then, created_at=then - timedelta(days=1), **fields
        )
    return await create_key_result(session, objective, created_at=then, **fields)


def due_ids(response: httpx.Response) -> list[str]:
    return [item["key_result"]["id"] for item in response.json()["items"]]


async def test_a_persons_key_results_are_due_after_seven_quiet_days(
    client: httpx.AsyncClient,
    session: AsyncSession,
    running: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    mine = await create_objective(session, running, ada)
    stale = await quiet_for(session, mine, 8)
    never = await quiet_for(session, mine, 10, checked_in=False)
    await quiet_for(session, mine, 6)  # checked in recently
    await quiet_for(session, mine, 3, checked_in=False)  # new
    bea = await create_person(session)
    owned_elsewhere = await quiet_for(
        session, await create_objective(session, running, bea), 9, owner_person_id=ada.id
    )
    await quiet_for(session, await create_objective(session, running, bea), 20)  # bea's alone

    response = await client.get(
        "/v1/check-ins/due", params={"person_id": str(ada.id)}, headers=as_ada
    )

    assert response.status_code == 200
    assert sorted(due_ids(response)) == sorted(str(k.id) for k in (stale, never, owned_elsewhere))
    first = next(i for i in response.json()["items"] if i["key_result"]["id"] == str(stale.id))
    assert first["last_checked_in_at"] is not None
    assert first["key_result"]["progress_explanation"]
    never_item = next(i for i in response.json()["items"] if i["key_result"]["id"] == str(never.id))
    assert never_item["last_checked_in_at"] is None


async def test_a_teams_key_results_are_due_too(
    client: httpx.AsyncClient,
    session: AsyncSession,
    running: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    team = await create_team(session)
    await add_member(session, team, ada)
    ours = await quiet_for(session, await create_objective(session, running, team), 8)
    await quiet_for(session, await create_objective(session, running, ada), 8)  # a member's own

    response = await client.get(
        "/v1/check-ins/due", params={"team_id": str(team.id)}, headers=as_ada
    )

    assert due_ids(response) == [str(ours.id)]


@pytest.fixture
def elsewhere(now: datetime) -> tuple[str, date]:
    """A time zone whose date is not UTC's right now, and that date there: a day ahead from
    10:00 UTC on, a day behind before noon UTC (the wider margin of the two)."""
    zone = "Pacific/Kiritimati" if now.hour >= 11 else "Etc/GMT+12"  # UTC+14, UTC-12
    return zone, now.astimezone(ZoneInfo(zone)).date()


@pytest.mark.parametrize("owner", ["person", "team"])
async def test_a_cycle_is_under_way_from_its_first_day_where_the_person_is(
    client: httpx.AsyncClient,
    session: AsyncSession,
    now: datetime,
    elsewhere: tuple[str, date],
    as_admin: dict[str, str],
    owner: str,
) -> None:
    zone, their_today = elsewhere
    first_day = max(their_today, now.date())  # begun on one calendar of the two, not the other
    cycle = await create_cycle(session, starts_on=first_day, ends_on=first_day + timedelta(days=90))
    away = await create_person(session, time_zone=zone)
    home = await create_person(session)  # UTC
    lists = {}
    for person in (away, home):
        if owner == "team":
            team = await create_team(session, lead_id=person.id)
            key_result = await quiet_for(session, await create_objective(session, cycle, team), 8)
            params = {"team_id": str(team.id)}
        else:
            key_result = await quiet_for(session, await create_objective(session, cycle, person), 8)
            params = {"person_id": str(person.id)}
        response = await client.get("/v1/check-ins/due", params=params, headers=as_admin)
        lists[person.time_zone] = due_ids(response) == [str(key_result.id)]

    assert lists == {zone: their_today == first_day, "UTC": now.date() == first_day}


@pytest.mark.parametrize(
    "cycle_fields",
    [
        {"status": CycleStatus.PLANNING},
        {"status": CycleStatus.CLOSED},
        {"starts_on_in_days": 5},  # active, but not under way yet
    ],
)
async def test_only_active_cycles_under_way_have_due_check_ins(
    client: httpx.AsyncClient,
    session: AsyncSession,
    ada: OrgPerson,
    as_ada: dict[str, str],
    today: date,
    cycle_fields: dict[str, Any],
) -> None:
    starts_in = int(cycle_fields.pop("starts_on_in_days", -30))
    cycle = await create_cycle(
        session,
        starts_on=today + timedelta(days=starts_in),
        ends_on=today + timedelta(days=90),
        **cycle_fields,
    )
    await quiet_for(session, await create_objective(session, cycle, ada), 20)

    response = await client.get(
        "/v1/check-ins/due", params={"person_id": str(ada.id)}, headers=as_ada
    )

    assert response.json() == {"items": [], "next_cursor": None}


async def test_due_check_ins_of_private_objectives_are_for_those_who_may_see_them(
    client: httpx.AsyncClient,
    session: AsyncSession,
    running: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
    tokens: Tokens,
) -> None:
    private = await create_objective(session, running, ada, visibility=Visibility.PRIVATE)
    key_result = await quiet_for(session, private, 8)
    stranger = tokens.person((await create_person(session)).email)
    params = {"person_id": str(ada.id)}

    own = await client.get("/v1/check-ins/due", params=params, headers=as_ada)
    other = await client.get("/v1/check-ins/due", params=params, headers=stranger)

    assert due_ids(own) == [str(key_result.id)]
    assert due_ids(other) == []


async def test_due_check_ins_come_a_page_at_a_time(
    client: httpx.AsyncClient,
    session: AsyncSession,
    running: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    objective = await create_objective(session, running, ada)
    key_results = [await quiet_for(session, objective, 10 + n) for n in range(3)]
    params = {"person_id": str(ada.id), "limit": "2"}

    first = await client.get("/v1/check-ins/due", params=params, headers=as_ada)
    rest = await client.get(
        "/v1/check-ins/due",
        params=params | {"cursor": first.json()["next_cursor"]},
        headers=as_ada,
    )

    assert sorted(due_ids(first) + due_ids(rest)) == sorted(str(k.id) for k in key_results)
    assert rest.json()["next_cursor"] is None


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({}, "query", "one_subject"),
        ({"person_id": "PERSON", "team_id": "PERSON"}, "query", "one_subject"),
        ({"person_id": "ada"}, "query.person_id", "uuid_parsing"),
        ({"person_id": "PERSON", "days": "3"}, "query.days", "extra_forbidden"),
    ],
)
async def test_due_check_ins_need_one_person_or_one_team(
    client: httpx.AsyncClient,
    ada: OrgPerson,
    as_ada: dict[str, str],
    params: dict[str, str],
    field: str,
    code: str,
) -> None:
    query = {key: str(ada.id) if value == "PERSON" else value for key, value in params.items()}

    response = await client.get("/v1/check-ins/due", params=query, headers=as_ada)

    assert response.status_code == 422
    assert (problem_fields(response), problem_codes(response)) == ({field}, {code})


@pytest.fixture
async def impatient(service_db: Database) -> AsyncIterator[httpx.AsyncClient]:
    """The goals service configured to want a check-in every three days."""
    async with asgi_client(
        service_app("goals", service_db, check_in_due_days=3), "goals"
    ) as client:
        yield client


async def test_the_number_of_days_is_a_setting(
    impatient: httpx.AsyncClient,
    session: AsyncSession,
    running: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    objective = await create_objective(session, running, ada)
    four_days = await quiet_for(session, objective, 4)
    await quiet_for(session, objective, 2)

    response = await impatient.get(
        "/v1/check-ins/due", params={"person_id": str(ada.id)}, headers=as_ada
    )

    assert due_ids(response) == [str(four_days.id)]
    [item] = response.json()["items"]
    assert four_days.checked_in_at is not None
    due_since = datetime.fromisoformat(item["due_since"])
    assert due_since == four_days.checked_in_at + timedelta(days=3)


def test_the_setting_comes_from_the_environment_and_is_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("INSPIRE_GOALS_CHECK_IN_DUE_DAYS", "14")
    assert GoalsSettings().check_in_due_days == 14

    monkeypatch.setenv("INSPIRE_GOALS_CHECK_IN_DUE_DAYS", "0")
    with pytest.raises(ValidationError):
        GoalsSettings()

    monkeypatch.delenv("INSPIRE_GOALS_CHECK_IN_DUE_DAYS")
    assert GoalsSettings().check_in_due_days == 7
