"""Nominations as their callers see them: HR admins open and close periods; people name the
colleague who helped them most; nothing is counted before the close, then only nominees named
twice or more are revealed, and nobody ever learns who nominated whom."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.feedback.nominations.models import Nomination
from tests.factories import count_rows
from tests.feedback.factories import Org, create_person, unknown_id
from tests.support import Outbox, Statements

CALLERS = [
    "recipient",
    "peer",
    "manager",
    "skip_level",
    "giver",
    "giver_manager",
    "hr_admin",
    "integration",
]
NOMINATORS = {"recipient": "peer", "manager": "peer", "skip_level": "peer", "giver": "recipient"}


async def open_period(client: httpx.AsyncClient, org: Org) -> dict[str, Any]:
    response = await client.post(
        "/v1/nomination-periods",
        json={"name": "March 2027", "starts_on": "2027-03-01", "ends_on": "2027-03-31"},
        headers=org.headers("hr_admin"),
    )
    assert response.status_code == 201, response.text
    period: dict[str, Any] = response.json()
    return period


async def nominate(
    client: httpx.AsyncClient, org: Org, period: dict[str, Any], nominator: str, nominee: str
) -> httpx.Response:
    return await client.put(
        f"/v1/nomination-periods/{period['id']}/nomination",
        json={
            "nominee_id": str(getattr(org, nominee).id),
            "reason": f"{nominator} says: unblocked my release twice.",
        },
        headers=org.headers(nominator),
    )


async def close(client: httpx.AsyncClient, org: Org, period: dict[str, Any]) -> httpx.Response:
    return await client.post(
        f"/v1/nomination-periods/{period['id']}/close",
        headers=org.headers("hr_admin") | {"If-Match": f'"{period["version"]}"'},
    )


async def nominated_and_closed(client: httpx.AsyncClient, org: Org) -> dict[str, Any]:
    """Peer named three times, recipient once; then closed."""
    period = await open_period(client, org)
    for nominator, nominee in NOMINATORS.items():
        assert (await nominate(client, org, period, nominator, nominee)).status_code == 201
    assert (await close(client, org, period)).status_code == 200
    return period


# --- Periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("caller", "status"),
    [("hr_admin", 201), ("manager", 403), ("peer", 403), ("integration", 403), ("service", 403)],
)
async def test_hr_admins_open_periods(
    client: httpx.AsyncClient, org: Org, caller: str, status: int
) -> None:
    response = await client.post(
        "/v1/nomination-periods",
        json={"name": "March 2027", "starts_on": "2027-03-01", "ends_on": "2027-03-31"},
        headers=org.headers(caller),
    )

    assert response.status_code == status
    if status == 201:
        assert response.json()["status"] == "open"
        assert response.headers["location"] == f"/v1/nomination-periods/{response.json()['id']}"


async def test_a_period_ends_after_it_starts(client: httpx.AsyncClient, org: Org) -> None:
    response = await client.post(
        "/v1/nomination-periods",
        json={"name": "Backwards", "starts_on": "2027-03-31", "ends_on": "2027-03-01"},
        headers=org.headers("hr_admin"),
    )

    assert response.status_code == 422
    assert response.json()["code"] == "ends_before_start"


async def test_periods_are_listed_and_read_by_everyone(client: httpx.AsyncClient, org: Org) -> None:
    period = await open_period(client, org)

    listed = await client.get(
        "/v1/nomination-periods", params={"status": "open"}, headers=org.headers("peer")
    )
    batch = await client.get(
        "/v1/nomination-periods", params={"id": period["id"]}, headers=org.headers("integration")
    )
    single = await client.get(
        f"/v1/nomination-periods/{period['id']}", headers=org.headers("giver")
    )
    unknown = await client.get(
        f"/v1/nomination-periods/{unknown_id()}", headers=org.headers("giver")
    )

    assert [item["id"] for item in listed.json()["items"]] == [period["id"]]
    assert [item["id"] for item in batch.json()["items"]] == [period["id"]]
    assert single.headers["etag"] == '"1"'
    assert (unknown.status_code, unknown.json()["code"]) == (404, "period_not_found")


async def test_only_hr_admins_close_with_the_current_etag_and_only_once(
    client: httpx.AsyncClient, org: Org
) -> None:
    period = await open_period(client, org)
    url = f"/v1/nomination-periods/{period['id']}/close"

    by_employee = await client.post(url, headers=org.headers("manager") | {"If-Match": '"1"'})
    missing = await client.post(url, headers=org.headers("hr_admin"))
    closed = await close(client, org, period)
    again = await client.post(url, headers=org.headers("hr_admin") | {"If-Match": '"2"'})

    assert (by_employee.status_code, missing.status_code) == (403, 428)
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert closed.json()["closed_at"] is not None
    assert (again.status_code, again.json()["code"]) == (409, "period_closed")


# --- Nominating ------------------------------------------------------------------------------


async def test_a_person_nominates_and_may_change_their_mind(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    period = await open_period(client, org)

    first = await nominate(client, org, period, "recipient", "peer")
    second = await nominate(client, org, period, "recipient", "manager")
    own = await client.get(
        f"/v1/nomination-periods/{period['id']}/nomination", headers=org.headers("recipient")
    )
    others = await client.get(
        f"/v1/nomination-periods/{period['id']}/nomination", headers=org.headers("hr_admin")
    )

    assert (first.status_code, second.status_code) == (201, 200)
    assert own.json()["nominee_id"] == str(org.manager.id)
    assert "nominator_id" not in own.json()
    assert (others.status_code, others.json()["code"]) == (404, "no_nomination")
    assert await count_rows(session, Nomination) == 1


@pytest.mark.parametrize(
    ("nominee", "status", "code"),
    [
        ("self", 409, "self_nomination"),
        ("unknown", 422, "unknown_person"),
        ("inactive", 409, "person_inactive"),
    ],
)
async def test_nominees_are_known_active_others(
    client: httpx.AsyncClient,
    session: AsyncSession,
    org: Org,
    nominee: str,
    status: int,
    code: str,
) -> None:
    period = await open_period(client, org)
    people = {
        "self": org.peer.id,
        "unknown": unknown_id(),
        "inactive": (await create_person(session, active=False)).id,
    }

    response = await client.put(
        f"/v1/nomination-periods/{period['id']}/nomination",
        json={"nominee_id": str(people[nominee]), "reason": "Helped."},
        headers=org.headers("peer"),
    )

    assert (response.status_code, response.json()["code"]) == (status, code)


async def test_a_closed_period_takes_no_nominations(client: httpx.AsyncClient, org: Org) -> None:
    period = await nominated_and_closed(client, org)

    response = await nominate(client, org, period, "giver_manager", "peer")

    assert (response.status_code, response.json()["code"]) == (409, "period_closed")


@pytest.mark.parametrize("caller", ["integration", "service"])
async def test_only_people_nominate(client: httpx.AsyncClient, org: Org, caller: str) -> None:
    period = await open_period(client, org)

    response = await client.put(
        f"/v1/nomination-periods/{period['id']}/nomination",
        json={"nominee_id": str(org.peer.id), "reason": "Helped."},
        headers=org.headers(caller),
    )

    assert response.status_code == 403


# --- Revealing -------------------------------------------------------------------------------


@pytest.mark.parametrize("caller", CALLERS)
async def test_nobody_reads_counts_or_reasons_before_the_close(
    client: httpx.AsyncClient, org: Org, caller: str
) -> None:
    period = await open_period(client, org)
    for nominator, nominee in NOMINATORS.items():
        await nominate(client, org, period, nominator, nominee)
    headers = org.headers(caller)

    results = await client.get(f"/v1/nomination-periods/{period['id']}/results", headers=headers)
    read = await client.get(f"/v1/nomination-periods/{period['id']}", headers=headers)

    assert (results.status_code, results.json()["code"]) == (409, "period_open")
    assert str(org.peer.id) not in read.text
    if caller != "integration":
        reasons = await client.get(
            f"/v1/nomination-periods/{period['id']}/my-reasons", headers=headers
        )
        assert (reasons.status_code, reasons.json()["code"]) == (409, "period_open")


@pytest.mark.parametrize("caller", CALLERS)
async def test_a_closed_period_reveals_nominees_named_twice_to_everyone(
    client: httpx.AsyncClient, org: Org, caller: str
) -> None:
    period = await nominated_and_closed(client, org)

    response = await client.get(
        f"/v1/nomination-periods/{period['id']}/results", headers=org.headers(caller)
    )

    assert response.status_code == 200
    assert response.json() == {
        "period_id": period["id"],
        "nominees": [{"nominee_id": str(org.peer.id), "nominations": 3}],
    }


async def test_results_of_several_periods_are_one_read(
    client: httpx.AsyncClient, org: Org, statements: Statements
) -> None:
    closed = await nominated_and_closed(client, org)
    quiet = await open_period(client, org)
    assert (await close(client, org, quiet)).status_code == 200
    still_open = await open_period(client, org)
    await nominate(client, org, still_open, "recipient", "peer")
    await nominate(client, org, still_open, "manager", "peer")
    asked = [quiet["id"], str(unknown_id()), still_open["id"], closed["id"], quiet["id"]]

    response = await client.get(
        "/v1/nomination-periods/results",
        params={"id": asked},
        headers=org.headers("integration"),
    )
    path = "/v1/nomination-periods/results?id="
    one = await statements.of_read(client, path + closed["id"], org.headers("peer"))
    many = await statements.of_read(client, path + "&id=".join(asked), org.headers("peer"))

    assert response.status_code == 200, response.text
    assert response.json() == {
        "items": [
            {"period_id": quiet["id"], "nominees": []},
            {
                "period_id": closed["id"],
                "nominees": [{"nominee_id": str(org.peer.id), "nominations": 3}],
            },
        ],
        "next_cursor": None,
    }
    # The same statements for one period as for five: the closed ones, and their counts.
    assert many == one


async def test_a_nominee_reads_the_reasons_without_names_when_named_twice(
    client: httpx.AsyncClient, org: Org
) -> None:
    period = await nominated_and_closed(client, org)
    url = f"/v1/nomination-periods/{period['id']}/my-reasons"

    peer = await client.get(url, headers=org.headers("peer"))
    lone = await client.get(url, headers=org.headers("recipient"))
    nobody = await client.get(url, headers=org.headers("hr_admin"))

    assert sorted(peer.json()["reasons"]) == sorted(
        f"{nominator} says: unblocked my release twice."
        for nominator, nominee in NOMINATORS.items()
        if nominee == "peer"
    )
    assert peer.json()["reasons"] == sorted(peer.json()["reasons"])
    assert set(peer.json()) == {"period_id", "reasons"}
    assert lone.json()["reasons"] == []
    assert nobody.json()["reasons"] == []


async def test_the_close_is_announced_with_what_it_reveals_only(
    client: httpx.AsyncClient, outbox: Outbox, org: Org
) -> None:
    period = await nominated_and_closed(client, org)

    [(type_, payload)] = await outbox.events()
    assert type_ == "nomination.period_closed"
    assert payload["id"] == period["id"]
    assert payload["nominees"] == [{"nominee_id": str(org.peer.id), "nominations": 3}]


@pytest.mark.parametrize("caller", CALLERS)
async def test_no_answer_ever_tells_who_nominated_whom(
    client: httpx.AsyncClient, outbox: Outbox, org: Org, caller: str
) -> None:
    period = await nominated_and_closed(client, org)
    headers = org.headers(caller)
    base = f"/v1/nomination-periods/{period['id']}"

    answers = [
        await client.get(path, headers=headers)
        for path in (
            "/v1/nomination-periods",
            base,
            f"{base}/results",
            f"/v1/nomination-periods/results?id={period['id']}",
            f"{base}/my-reasons",
            f"{base}/nomination",
        )
    ]
    answers.append(await nominate(client, org, period, "hr_admin", "peer"))

    # Each caller reads at most their own nomination (whose nominee they know); nobody else's
    # nominator appears anywhere.
    known = {caller, NOMINATORS.get(caller)}
    others = {str(getattr(org, nominator).id) for nominator in NOMINATORS if nominator not in known}
    seen = " ".join(answer.text for answer in answers)
    seen += json.dumps(await outbox.events())
    assert not {nominator_id for nominator_id in others if nominator_id in seen}


async def test_no_contract_names_a_nominator(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()

    schemas = document["components"]["schemas"]
    fields = {
        name
        for schema_name, schema in schemas.items()
        if "Nomina" in schema_name or "Reasons" in schema_name or "Nominee" in schema_name
        for name in schema.get("properties", {})
    }
    assert fields
    assert not {field for field in fields if "nominator" in field}
