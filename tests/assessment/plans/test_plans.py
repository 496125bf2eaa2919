"""Action plans: a team's lead adopts a stop / continue / start plan from a closed round's
report, tracks it, and the next round's report shows it."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson, OrgTeam
from services.assessment.models import Instrument
from services.assessment.rounds.models import Round
from tests.assessment.factories import (
    add_responses,
    create_members,
    create_person,
    create_team,
    rated_instrument,
)
from tests.assessment.reports.support import close, open_round
from tests.support import Tokens

ITEMS = [
    {"kind": "stop", "text": "Deciding for the team in the weekly meeting."},
    {"kind": "continue", "text": "Sharing the numbers openly."},
    {"kind": "start", "text": "Letting the team choose its own tools."},
]


@pytest.fixture
async def instrument(session: AsyncSession) -> Instrument:
    return await rated_instrument(session)


@pytest.fixture
async def lead(session: AsyncSession) -> OrgPerson:
    return await create_person(session)


@pytest.fixture
async def team(session: AsyncSession, lead: OrgPerson) -> OrgTeam:
    return await create_team(session, lead_id=lead.id)


@pytest.fixture
async def closed_round(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    instrument: Instrument,
    team: OrgTeam,
) -> Round:
    round_ = await open_round(client, session, as_admin, instrument, team_id=str(team.id))
    await add_responses(session, round_, team, 5, area="culture")
    await close(client, as_admin, round_)
    return round_


def plan_body(round_: Round, team: OrgTeam, **overrides: Any) -> dict[str, Any]:
    return {"round_id": str(round_.id), "team_id": str(team.id), "items": ITEMS} | overrides


async def test_a_lead_adopts_a_plan_and_the_next_round_shows_it(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    tokens: Tokens,
    instrument: Instrument,
    team: OrgTeam,
    lead: OrgPerson,
    closed_round: Round,
) -> None:
    headers = tokens.person(lead.email)

    created = await client.post(
        "/v1/plans",
        json=plan_body(
            closed_round, team, items=[*ITEMS[:2], ITEMS[2] | {"owner_id": str(lead.id)}]
        ),
        headers=headers,
    )
    plan = created.json()
    item = plan["items"][2]
    tracked = await client.patch(
        f"/v1/plans/{plan['id']}/items/{item['id']}",
        json={"status": "in_progress"},
        headers=headers | {"If-Match": created.headers["ETag"]},
    )
    later = await open_round(client, session, as_admin, instrument, team_id=str(team.id))
    await add_responses(session, later, team, 5, area="culture")
    await close(client, as_admin, later)
    report = (
        await client.get(f"/v1/rounds/{later.id}/report?team_id={team.id}", headers=headers)
    ).json()

    assert created.status_code == 201
    assert created.headers["Location"] == f"/v1/plans/{plan['id']}"
    assert [(i["kind"], i["status"], i["position"]) for i in plan["items"]] == [
        ("stop", "open", 1),
        ("continue", "open", 2),
        ("start", "open", 3),
    ]
    assert item["owner_id"] == str(lead.id)
    assert tracked.json()["items"][2]["status"] == "in_progress"
    assert [(p["id"], p["round_id"]) for p in report["plans"]] == [
        (plan["id"], str(closed_round.id))
    ]
    assert report["plans"][0]["items"][2]["status"] == "in_progress"


async def test_a_plan_waits_for_the_round_to_close_and_is_made_once(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    instrument: Instrument,
    team: OrgTeam,
    closed_round: Round,
) -> None:
    still_open = await open_round(client, session, as_admin, instrument, team_id=str(team.id))

    early = await client.post("/v1/plans", json=plan_body(still_open, team), headers=as_admin)
    first = await client.post("/v1/plans", json=plan_body(closed_round, team), headers=as_admin)
    second = await client.post("/v1/plans", json=plan_body(closed_round, team), headers=as_admin)

    assert (early.status_code, early.json()["code"]) == (409, "round_not_closed")
    assert first.status_code == 201
    assert (second.status_code, second.json()["code"]) == (409, "plan_exists")


@pytest.mark.parametrize(
    ("items", "code"),
    [
        ([], "validation_failed"),
        ([{"kind": "pause", "text": "x"}], "validation_failed"),
        ([{"kind": "stop", "text": " "}], "validation_failed"),
        ([{"kind": "stop", "text": "x", "owner_id": str(uuid.UUID(int=7))}], "unknown_owner"),
    ],
)
async def test_a_plan_that_makes_no_sense_is_refused(
    client: httpx.AsyncClient,
    as_admin: dict[str, str],
    team: OrgTeam,
    closed_round: Round,
    items: list[dict[str, Any]],
    code: str,
) -> None:
    response = await client.post(
        "/v1/plans", json=plan_body(closed_round, team, items=items), headers=as_admin
    )

    assert response.status_code == 422
    assert code in {response.json()["code"], *(e["code"] for e in response.json()["errors"])}


async def test_members_read_their_team_s_plan_and_only_leads_and_hr_change_it(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    tokens: Tokens,
    team: OrgTeam,
    lead: OrgPerson,
    closed_round: Round,
) -> None:
    (member,) = await create_members(session, team, 1)
    outsider = await create_person(session)
    by_member = await client.post(
        "/v1/plans", json=plan_body(closed_round, team), headers=tokens.person(member.email)
    )
    created = await client.post("/v1/plans", json=plan_body(closed_round, team), headers=as_admin)
    path = f"/v1/plans/{created.json()['id']}"
    add = {"kind": "start", "text": "Monthly retrospectives."}

    reads = [
        (await client.get(path, headers=h)).status_code
        for h in (
            as_admin,
            tokens.person(lead.email),
            tokens.person(member.email),
            tokens.person(outsider.email),
            tokens.integration("assessment:read"),
        )
    ]
    member_adds = await client.post(f"{path}/items", json=add, headers=tokens.person(member.email))
    lead_adds = await client.post(f"{path}/items", json=add, headers=tokens.person(lead.email))

    assert by_member.status_code == 404
    assert reads == [200, 200, 200, 404, 200]
    assert member_adds.status_code == 404
    assert lead_adds.status_code == 201
    assert [i["position"] for i in lead_adds.json()["items"]] == [1, 2, 3, 4]


async def test_tracking_an_item_needs_the_plan_s_etag(
    client: httpx.AsyncClient, as_admin: dict[str, str], team: OrgTeam, closed_round: Round
) -> None:
    created = await client.post("/v1/plans", json=plan_body(closed_round, team), headers=as_admin)
    item = created.json()["items"][0]
    path = f"/v1/plans/{created.json()['id']}/items/{item['id']}"

    without = await client.patch(path, json={"status": "done"}, headers=as_admin)
    stale = await client.patch(
        path, json={"status": "done"}, headers=as_admin | {"If-Match": '"99"'}
    )
    null = await client.patch(
        path, json={"status": None}, headers=as_admin | {"If-Match": created.headers["ETag"]}
    )
    unknown = await client.patch(
        f"/v1/plans/{created.json()['id']}/items/{uuid.uuid4()}",
        json={"status": "done"},
        headers=as_admin | {"If-Match": created.headers["ETag"]},
    )

    assert [without.status_code, stale.status_code, null.status_code] == [428, 412, 422]
    assert (unknown.status_code, unknown.json()["code"]) == (404, "plan_item_not_found")
