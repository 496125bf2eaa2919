"""Recognition as its callers see it: values kept by HR admins, public praise tagged with
them, learnings recognised without scores, reactions, the organisation's and a team's feed."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgMembership, OrgTeam
from services.feedback.recognition.models import Recognition
from tests.factories import count_rows, insert
from tests.feedback.factories import Org, create_person, unknown_id
from tests.support import Outbox, Statements


async def add_value(client: httpx.AsyncClient, org: Org, name: str = "Curiosity") -> str:
    response = await client.post(
        "/v1/company-values", json={"name": name}, headers=org.headers("hr_admin")
    )
    assert response.status_code == 201, response.text
    value_id: str = response.json()["id"]
    return value_id


def praise(*recipients: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "recipient_ids": [str(person_id) for person_id in recipients],
        "message": "Your failed pricing test taught us where the demand really is.",
    }
    return body | overrides


async def recognise(
    client: httpx.AsyncClient, org: Org, giver: str, *recipients: uuid.UUID, **overrides: Any
) -> dict[str, Any]:
    response = await client.post(
        "/v1/recognitions", json=praise(*recipients, **overrides), headers=org.headers(giver)
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def ids(response: httpx.Response) -> list[str]:
    return [item["id"] for item in response.json()["items"]]


# --- Company values --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("caller", "status"),
    [("hr_admin", 201), ("manager", 403), ("peer", 403), ("integration", 403), ("service", 403)],
)
async def test_hr_admins_keep_the_values(
    client: httpx.AsyncClient, org: Org, caller: str, status: int
) -> None:
    response = await client.post(
        "/v1/company-values",
        json={"name": "Candour", "description": "Say what you see."},
        headers=org.headers(caller),
    )

    assert response.status_code == status
    listed = await client.get("/v1/company-values", headers=org.headers("peer"))
    assert len(listed.json()["items"]) == (1 if status == 201 else 0)


async def test_value_names_are_unique_whatever_their_case(
    client: httpx.AsyncClient, org: Org
) -> None:
    await add_value(client, org, "Curiosity")

    response = await client.post(
        "/v1/company-values", json={"name": "curiosity"}, headers=org.headers("hr_admin")
    )

    assert response.status_code == 409
    assert response.json()["code"] == "value_name_taken"


async def test_a_value_is_renamed_and_archived_with_the_current_etag(
    client: httpx.AsyncClient, org: Org
) -> None:
    value_id = await add_value(client, org)
    url = f"/v1/company-values/{value_id}"
    hr = org.headers("hr_admin")

    read = await client.get(url, headers=org.headers("peer"))
    missing = await client.patch(url, json={"archived": True}, headers=hr)
    by_employee = await client.patch(
        url, json={"archived": True}, headers=org.headers("peer") | {"If-Match": '"1"'}
    )
    null = await client.patch(url, json={"name": None}, headers=hr | {"If-Match": '"1"'})
    archived = await client.patch(
        url, json={"name": "Learning", "archived": True}, headers=hr | {"If-Match": '"1"'}
    )
    active = await client.get("/v1/company-values", params={"archived": "false"}, headers=hr)

    assert read.headers["etag"] == '"1"'
    assert (missing.status_code, by_employee.status_code, null.status_code) == (428, 403, 422)
    assert archived.status_code == 200
    assert (archived.json()["name"], archived.json()["archived"]) == ("Learning", True)
    assert archived.headers["etag"] == '"2"'
    assert ids(active) == []


async def test_an_unknown_value_is_404(client: httpx.AsyncClient, org: Org) -> None:
    response = await client.get(f"/v1/company-values/{unknown_id()}", headers=org.headers("peer"))

    assert response.status_code == 404
    assert response.json()["code"] == "value_not_found"


# --- Recognising -----------------------------------------------------------------------------


async def test_a_person_recognises_colleagues_with_values_and_a_learning(
    client: httpx.AsyncClient, outbox: Outbox, org: Org
) -> None:
    curiosity = await add_value(client, org, "Curiosity")
    candour = await add_value(client, org, "Candour")
    experiment = str(uuid.uuid4())

    response = await client.post(
        "/v1/recognitions",
        json=praise(
            org.recipient.id,
            org.giver.id,
            value_ids=[curiosity, candour, curiosity],
            learning={"kind": "experiment", "id": experiment},
        ),
        headers=org.headers("peer"),
    )

    assert response.status_code == 201
    created = response.json()
    assert response.headers["location"] == f"/v1/recognitions/{created['id']}"
    assert created["giver_id"] == str(org.peer.id)
    assert created["recipient_ids"] == sorted([str(org.recipient.id), str(org.giver.id)])
    assert created["value_ids"] == sorted([curiosity, candour])
    assert created["learning"] == {"kind": "experiment", "id": experiment}
    assert (created["reactions"], created["my_reactions"]) == ({}, [])
    assert "score" not in json.dumps(created)
    [(type_, payload)] = await outbox.events()
    assert type_ == "recognition.given"
    assert payload["learning_id"] == experiment
    assert "pricing" not in json.dumps(payload)


@pytest.mark.parametrize(
    ("recipient", "status", "code"),
    [
        ("peer", 409, "self_recognition"),
        ("unknown", 422, "unknown_person"),
        ("inactive", 409, "person_inactive"),
    ],
)
async def test_recognition_goes_to_known_active_others(
    client: httpx.AsyncClient,
    session: AsyncSession,
    org: Org,
    recipient: str,
    status: int,
    code: str,
) -> None:
    people = {
        "peer": org.peer.id,
        "unknown": unknown_id(),
        "inactive": (await create_person(session, active=False)).id,
    }

    response = await client.post(
        "/v1/recognitions", json=praise(people[recipient]), headers=org.headers("peer")
    )

    assert response.status_code == status
    assert response.json()["code"] == code
    assert await count_rows(session, Recognition) == 0


async def test_only_known_values_that_are_not_archived_tag_a_recognition(
    client: httpx.AsyncClient, org: Org
) -> None:
    value_id = await add_value(client, org)
    await client.patch(
        f"/v1/company-values/{value_id}",
        json={"archived": True},
        headers=org.headers("hr_admin") | {"If-Match": '"1"'},
    )

    archived = await client.post(
        "/v1/recognitions",
        json=praise(org.recipient.id, value_ids=[value_id]),
        headers=org.headers("peer"),
    )
    unknown = await client.post(
        "/v1/recognitions",
        json=praise(org.recipient.id, value_ids=[str(unknown_id())]),
        headers=org.headers("peer"),
    )

    assert (archived.status_code, archived.json()["code"]) == (409, "value_archived")
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_value")


async def test_a_learning_names_an_experiment_or_an_objective_only(
    client: httpx.AsyncClient, org: Org
) -> None:
    response = await client.post(
        "/v1/recognitions",
        json=praise(org.recipient.id, learning={"kind": "score", "id": str(uuid.uuid4())}),
        headers=org.headers("peer"),
    )

    assert response.status_code == 422
    assert {error["field"] for error in response.json()["errors"]} == {"body.learning.kind"}


@pytest.mark.parametrize("caller", ["integration", "service"])
async def test_only_people_recognise(client: httpx.AsyncClient, org: Org, caller: str) -> None:
    response = await client.post(
        "/v1/recognitions", json=praise(org.recipient.id), headers=org.headers(caller)
    )

    assert response.status_code == 403


# --- Reading the feed ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "caller",
    [
        "recipient",
        "giver",
        "manager",
        "peer",
        "giver_manager",
        "hr_admin",
        "integration",
        "service",
    ],
)
async def test_recognition_is_public(client: httpx.AsyncClient, org: Org, caller: str) -> None:
    created = await recognise(client, org, "peer", org.recipient.id)
    headers = org.headers(caller)

    single = await client.get(f"/v1/recognitions/{created['id']}", headers=headers)
    feed = await client.get("/v1/recognitions", headers=headers)
    batch = await client.get(
        "/v1/recognitions",
        params=[("id", str(unknown_id())), ("id", created["id"])],
        headers=headers,
    )

    assert single.status_code == 200
    assert single.json()["message"] == created["message"]
    assert ids(feed) == ids(batch) == [created["id"]]


async def test_an_integration_reads_recognition_with_the_read_scope_only(
    client: httpx.AsyncClient, org: Org
) -> None:
    response = await client.get("/v1/recognitions", headers=org.tokens.integration())

    assert response.status_code == 403


async def test_a_team_feed_holds_recognitions_of_its_members(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    team = await insert(session, OrgTeam(id=uuid.uuid4(), name="Platform", kind="team"))
    for person in (org.recipient, org.peer):
        await insert(session, OrgMembership(team_id=team.id, person_id=person.id))
    value_id = await add_value(client, org)
    of_member = await recognise(client, org, "giver", org.recipient.id, value_ids=[value_id])
    await recognise(client, org, "peer", org.giver.id)
    by_member = await recognise(client, org, "giver", org.peer.id)

    def feed(**params: str) -> Any:
        return client.get("/v1/recognitions", params=params, headers=org.headers("hr_admin"))

    assert ids(await feed(team_id=str(team.id))) == [of_member["id"], by_member["id"]]
    assert ids(await feed(recipient_id=str(org.peer.id))) == [by_member["id"]]
    assert ids(await feed(value_id=value_id)) == [of_member["id"]]
    assert len(ids(await feed(giver_id=str(org.giver.id)))) == 2
    assert ids(await feed(team_id=str(unknown_id()))) == []


async def test_a_team_feed_holds_recognitions_of_its_sub_teams_too(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    department = await insert(session, OrgTeam(id=uuid.uuid4(), name="Engineering", kind="dept"))
    team = await insert(
        session, OrgTeam(id=uuid.uuid4(), name="Platform", kind="team", parent_id=department.id)
    )
    await insert(session, OrgMembership(team_id=team.id, person_id=org.recipient.id))
    of_member = await recognise(client, org, "giver", org.recipient.id)
    await recognise(client, org, "recipient", org.giver.id)

    response = await client.get(
        "/v1/recognitions", params={"team_id": str(department.id)}, headers=org.headers("peer")
    )

    assert ids(response) == [of_member["id"]]


async def test_the_feed_pages_neither_skip_nor_repeat(client: httpx.AsyncClient, org: Org) -> None:
    made = [(await recognise(client, org, "peer", org.recipient.id))["id"] for _ in range(3)]

    first = await client.get("/v1/recognitions", params={"limit": 2}, headers=org.headers("giver"))
    second = await client.get(
        "/v1/recognitions",
        params={"limit": 2, "cursor": first.json()["next_cursor"]},
        headers=org.headers("giver"),
    )

    assert ids(first) + ids(second) == made
    assert second.json()["next_cursor"] is None


# --- Reactions -------------------------------------------------------------------------------


async def test_people_react_once_per_kind_and_take_it_back(
    client: httpx.AsyncClient, org: Org
) -> None:
    created = await recognise(client, org, "peer", org.recipient.id)
    url = f"/v1/recognitions/{created['id']}/reactions"

    await client.put(f"{url}/applause", headers=org.headers("giver"))
    await client.put(f"{url}/applause", headers=org.headers("giver"))
    await client.put(f"{url}/heart", headers=org.headers("giver"))
    mine = await client.put(f"{url}/applause", headers=org.headers("manager"))
    taken_back = await client.delete(f"{url}/heart", headers=org.headers("giver"))
    again = await client.delete(f"{url}/heart", headers=org.headers("giver"))
    seen_by_hr = await client.get(
        f"/v1/recognitions/{created['id']}", headers=org.headers("hr_admin")
    )

    assert mine.status_code == 200
    assert mine.json()["reactions"] == {"applause": 2, "heart": 1}
    assert mine.json()["my_reactions"] == ["applause"]
    assert taken_back.json()["my_reactions"] == ["applause"]
    assert again.status_code == 200
    assert seen_by_hr.json()["reactions"] == {"applause": 2}
    assert seen_by_hr.json()["my_reactions"] == []


async def test_reactions_need_a_person_a_known_kind_and_recognition(
    client: httpx.AsyncClient, org: Org
) -> None:
    created = await recognise(client, org, "peer", org.recipient.id)

    unknown = await client.put(
        f"/v1/recognitions/{unknown_id()}/reactions/heart", headers=org.headers("giver")
    )
    bad_kind = await client.put(
        f"/v1/recognitions/{created['id']}/reactions/thumbs", headers=org.headers("giver")
    )
    integration = await client.put(
        f"/v1/recognitions/{created['id']}/reactions/heart", headers=org.headers("integration")
    )

    assert (unknown.status_code, unknown.json()["code"]) == (404, "recognition_not_found")
    assert bad_kind.status_code == 422
    assert integration.status_code == 403


async def test_a_page_of_the_feed_costs_the_statements_of_one(
    client: httpx.AsyncClient, org: Org, statements: Statements
) -> None:
    value_id = await add_value(client, org)
    await recognise(client, org, "peer", org.recipient.id, value_ids=[value_id])
    statements.sent.clear()
    await client.get("/v1/recognitions", headers=org.headers("giver"))
    one = statements.count
    for giver in ("giver", "manager", "recipient", "skip_level"):
        made = await recognise(client, org, giver, org.peer.id, value_ids=[value_id])
        await client.put(
            f"/v1/recognitions/{made['id']}/reactions/heart", headers=org.headers("giver")
        )

    statements.sent.clear()
    page = await client.get("/v1/recognitions", headers=org.headers("giver"))

    assert len(ids(page)) == 5
    assert statements.count == one
