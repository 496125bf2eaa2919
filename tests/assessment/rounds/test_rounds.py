"""Rounds as HR admins and team leads run them: preparing, opening (the audience fixed then),
closing by hand and at the close date, and the response rate without the respondents."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlmodel import col, delete
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.models import utcnow
from kit.orgcopy import OrgMembership, OrgPerson
from services.assessment.models import Instrument
from services.assessment.reports.service import tick
from tests.assessment.factories import (
    create_members,
    create_person,
    create_team,
    in_days,
    questions,
    rated_instrument,
)
from tests.support import Outbox, Tokens


@pytest.fixture
async def instrument(session: AsyncSession) -> Instrument:
    return await rated_instrument(session)


def round_body(instrument: Instrument, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "instrument_id": str(instrument.id),
        "name": "Spring maturity",
        "closes_at": in_days(14),
    }
    return body | overrides


async def opened(
    client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any]
) -> dict[str, Any]:
    created = await client.post("/v1/rounds", json=body, headers=headers)
    assert created.status_code == 201, created.text
    response = await client.post(f"/v1/rounds/{created.json()['id']}/open", headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def invited_people(session: AsyncSession, round_id: str) -> dict[uuid.UUID, uuid.UUID | None]:
    rows = await session.exec(  # type: ignore[call-overload]  # textual SQL
        text("SELECT person_id, team_id FROM participation WHERE round_id = :r"),
        params={"r": uuid.UUID(round_id)},
    )
    return {row[0]: row[1] for row in rows}


async def test_an_hr_admin_prepares_a_round_for_everyone_and_opens_it(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    admin: OrgPerson,
    instrument: Instrument,
    outbox: Outbox,
) -> None:
    team = await create_team(session)
    members = await create_members(session, team, 3)
    await create_person(session, active=False)

    created = await client.post("/v1/rounds", json=round_body(instrument), headers=as_admin)
    draft = created.json()
    opened_ = await client.post(f"/v1/rounds/{draft['id']}/open", headers=as_admin)

    assert created.status_code == 201
    assert created.headers["Location"] == f"/v1/rounds/{draft['id']}"
    assert (draft["status"], draft["mode"], draft["min_group_size"]) == ("draft", "anonymous", 5)
    assert opened_.json()["status"] == "open"
    invited = await invited_people(session, draft["id"])
    assert invited == {admin.id: None} | {m.id: team.id for m in members}
    events = await outbox.events()
    assert [(t, p["invited"], p["min_group_size"]) for t, p in events] == [
        ("assessment.round_opened", 4, 5)
    ]


async def test_a_team_lead_sends_a_round_to_their_own_team_only(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens, instrument: Instrument
) -> None:
    lead = await create_person(session)
    team = await create_team(session, lead_id=lead.id)
    below = await create_team(session, parent=team)
    other = await create_team(session)
    headers = tokens.person(lead.email)

    own = await client.post(
        "/v1/rounds", json=round_body(instrument, team_id=str(below.id)), headers=headers
    )
    foreign = await client.post(
        "/v1/rounds", json=round_body(instrument, team_id=str(other.id)), headers=headers
    )
    everyone = await client.post("/v1/rounds", json=round_body(instrument), headers=headers)

    assert own.status_code == 201
    assert [foreign.status_code, everyone.status_code] == [403, 403]
    assert foreign.json()["code"] == "not_your_team"


async def test_employees_and_integrations_send_no_rounds(
    client: httpx.AsyncClient, as_employee: dict[str, str], tokens: Tokens, instrument: Instrument
) -> None:
    body = round_body(instrument)

    by_employee = await client.post("/v1/rounds", json=body, headers=as_employee)
    by_integration = await client.post(
        "/v1/rounds", json=body, headers=tokens.integration("assessment:read")
    )

    assert [by_employee.status_code, by_integration.status_code] == [403, 403]


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"min_group_size": 2}, "validation_failed"),
        ({"closes_at": in_days(-1)}, "invalid_dates"),
        ({"instrument_id": str(uuid.uuid4())}, "unknown_instrument"),
        ({"team_id": str(uuid.uuid4())}, "unknown_team"),
        ({"mode": "secret"}, "validation_failed"),
        (
            {
                "attributes": [
                    {"key": "tenure", "name": "Tenure", "options": [{"key": "a", "name": "A"}]}
                ]
            },
            "validation_failed",
        ),
    ],
)
async def test_a_round_that_cannot_work_is_refused(
    client: httpx.AsyncClient,
    as_admin: dict[str, str],
    instrument: Instrument,
    overrides: dict[str, Any],
    code: str,
) -> None:
    response = await client.post(
        "/v1/rounds", json=round_body(instrument, **overrides), headers=as_admin
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert code in {response.json()["code"], *(e["code"] for e in response.json()["errors"])}


async def test_a_reorganisation_during_the_round_changes_nothing_in_it(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    tokens: Tokens,
    instrument: Instrument,
) -> None:
    team = await create_team(session)
    sub = await create_team(session, parent=team)
    stays = await create_members(session, team, 2)
    (mover,) = await create_members(session, sub, 1)
    round_ = await opened(client, as_admin, round_body(instrument, team_id=str(team.id)))
    # the directory changes: the mover leaves for another team, a newcomer joins
    elsewhere = await create_team(session)
    await session.exec(delete(OrgMembership).where(col(OrgMembership.person_id) == mover.id))
    session.add(OrgMembership(team_id=elsewhere.id, person_id=mover.id))
    (newcomer,) = await create_members(session, team, 1)
    (qs) = await questions(session, instrument)
    answers = [{"question_id": str(q.id), "value": 4} for q in qs if q.kind == "rating"]

    headers = tokens.person(mover.email)
    await client.put(
        f"/v1/rounds/{round_['id']}/my-response", json={"answers": answers}, headers=headers
    )
    submitted = await client.post(f"/v1/rounds/{round_['id']}/my-response/submit", headers=headers)
    newcomer_part = await client.get(
        f"/v1/rounds/{round_['id']}/my-response", headers=tokens.person(newcomer.email)
    )

    assert submitted.status_code == 200
    assert newcomer_part.status_code == 404
    invited = await invited_people(session, round_["id"])
    assert invited == {stays[0].id: team.id, stays[1].id: team.id, mover.id: sub.id}
    placed = await session.exec(  # type: ignore[call-overload]  # textual SQL
        text("SELECT team_id FROM response WHERE round_id = :r"),
        params={"r": uuid.UUID(round_["id"])},
    )
    assert [row[0] for row in placed] == [sub.id]


async def test_the_response_rate_is_shown_to_those_who_run_the_round_and_nobody_else(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    tokens: Tokens,
    instrument: Instrument,
) -> None:
    lead = await create_person(session)
    team = await create_team(session, lead_id=lead.id)
    members = await create_members(session, team, 4)
    outsider = await create_person(session)
    round_ = await opened(client, as_admin, round_body(instrument, team_id=str(team.id)))
    path = f"/v1/rounds/{round_['id']}/participation"

    by_admin = await client.get(path, headers=as_admin)
    by_lead = await client.get(path, headers=tokens.person(lead.email))
    by_member = await client.get(path, headers=tokens.person(members[0].email))
    by_outsider = await client.get(path, headers=tokens.person(outsider.email))
    by_integration = await client.get(path, headers=tokens.integration("assessment:read"))

    assert by_admin.json() == {"round_id": round_["id"], "invited": 4, "submitted": 0, "rate": 0.0}
    assert by_lead.status_code == 200
    assert [by_member.status_code, by_outsider.status_code, by_integration.status_code] == [
        403,
        404,
        403,
    ]


async def test_no_endpoint_lists_who_answered(app: FastAPI) -> None:
    document = app.openapi()
    schemas = document["components"]["schemas"]
    round_paths = {p: ops for p, ops in document["paths"].items() if p.startswith("/v1/rounds")}

    def properties(ref: str) -> set[str]:
        return set(schemas[ref.rsplit("/", 1)[1]].get("properties", {}))

    returned = {
        ref
        for ops in round_paths.values()
        for op in ops.values()
        for ref in [op["responses"].get("200", op["responses"].get("201", {}))].__iter__()
        .__next__()
        .get("content", {})
        .get("application/json", {})
        .get("schema", {})
        .values()
        if isinstance(ref, str) and ref.startswith("#/")
    }
    assert returned, "the round endpoints return documented schemas"
    exposed = set().union(*(properties(ref) for ref in returned))
    assert not exposed & {"person_id", "person_ids", "respondents_ids", "participants"}
    assert "submitted" in properties("#/components/schemas/ParticipationRead")


async def test_a_round_closes_by_itself_at_its_close_date(
    client: httpx.AsyncClient,
    app: FastAPI,
    session: AsyncSession,
    as_admin: dict[str, str],
    instrument: Instrument,
    outbox: Outbox,
) -> None:
    await create_members(session, await create_team(session), 2)
    round_ = await opened(client, as_admin, round_body(instrument, closes_at=in_days(1)))
    later = utcnow() + timedelta(days=2)
    app.state.clock = lambda: later

    read = await client.get(f"/v1/rounds/{round_['id']}", headers=as_admin)
    save = await client.put(
        f"/v1/rounds/{round_['id']}/my-response", json={"answers": []}, headers=as_admin
    )
    changed = await tick(session, later)

    assert read.json()["status"] == "closed"
    assert (save.status_code, save.json()["code"]) == (409, "round_not_open")
    assert changed == 1
    events = await outbox.events()
    assert [t for t, _ in events] == [
        "assessment.round_opened",
        "assessment.round_closed",
        "assessment.report_ready",
    ]
    assert events[1][1]["invited"] == 3
    assert events[2][1]["respondents"] is None  # nobody answered: nothing to show


async def test_a_round_with_an_opening_time_opens_by_itself(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    instrument: Instrument,
) -> None:
    created = await client.post(
        "/v1/rounds", json=round_body(instrument, opens_at=in_days(1)), headers=as_admin
    )

    before = await tick(session, utcnow())
    after = await tick(session, utcnow() + timedelta(days=1, minutes=1))

    assert created.json()["status"] == "draft"
    assert (before, after) == (0, 1)
    assert (await client.get(created.headers["Location"], headers=as_admin)).json()[
        "status"
    ] == "open"


async def test_a_round_is_closed_by_hand_once(
    client: httpx.AsyncClient, as_admin: dict[str, str], instrument: Instrument, outbox: Outbox
) -> None:
    round_ = await opened(client, as_admin, round_body(instrument))

    closed = await client.post(f"/v1/rounds/{round_['id']}/close", headers=as_admin)
    again = await client.post(f"/v1/rounds/{round_['id']}/close", headers=as_admin)
    reopened = await client.post(f"/v1/rounds/{round_['id']}/open", headers=as_admin)

    assert closed.json()["status"] == "closed"
    assert (again.status_code, again.json()["code"]) == (409, "round_not_open")
    assert (reopened.status_code, reopened.json()["code"]) == (409, "round_not_draft")
    assert await outbox.types() == [
        "assessment.round_opened",
        "assessment.round_closed",
        "assessment.report_ready",
    ]


async def test_people_see_the_rounds_they_are_asked_in(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    tokens: Tokens,
    instrument: Instrument,
) -> None:
    team = await create_team(session)
    (member,) = await create_members(session, team, 1)
    outsider = await create_person(session)
    round_ = await opened(client, as_admin, round_body(instrument, team_id=str(team.id)))

    mine = await client.get(
        "/v1/rounds?status=open&invited=true", headers=tokens.person(member.email)
    )
    theirs = await client.get("/v1/rounds", headers=tokens.person(outsider.email))
    one = await client.get(f"/v1/rounds/{round_['id']}", headers=tokens.person(outsider.email))

    assert [r["id"] for r in mine.json()["items"]] == [round_["id"]]
    assert theirs.json()["items"] == []
    assert one.status_code == 404
