"""Help requests through the API: asked by hand, offered on, edited and resolved by those who
may; never listed per person; as private as their objective."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.goals.factories import check_in
from tests.goals.help.support import Cast
from tests.support import Outbox, problem_fields


async def _ask(client: httpx.AsyncClient, people: Cast, **body: Any) -> httpx.Response:
    return await client.post(
        "/v1/help-requests",
        json={"key_result_id": str(people.key_result.id)} | body,
        headers=people.as_(people.ada),
    )


async def test_help_is_asked_offered_and_resolved(
    client: httpx.AsyncClient, outbox: Outbox, people: Cast
) -> None:
    asked = await _ask(client, people, blocked="No test data", help_wanted="A data dump")
    path = asked.headers["Location"]

    offered = await client.post(
        f"{path}/offers", json={"message": "I can export it"}, headers=people.as_(people.pete)
    )
    resolved = await client.post(
        f"{path}/resolution", json={"note": "Pete's export did it"}, headers=people.as_(people.ada)
    )

    assert (asked.status_code, offered.status_code, resolved.status_code) == (201, 201, 200)
    assert asked.json()["source"] == "manual"
    [offer] = offered.json()["offers"]
    assert (offer["person_id"], offer["message"]) == (str(people.pete.id), "I can export it")
    done = resolved.json()
    assert (done["state"], done["resolution_note"], done["resolved_by"]) == (
        "resolved",
        "Pete's export did it",
        str(people.ada.id),
    )
    assert await outbox.types() == ["help_request.opened", "help_request.resolved"]
    resolved_event = (await outbox.events())[1][1]
    assert resolved_event == {
        "id": done["id"],
        "objective_id": str(people.objective.id),
        "key_result_id": str(people.key_result.id),
        "owner_person_id": str(people.ada.id),
        "owner_team_id": None,
        "visibility": "public",
        "resolved_by": str(people.ada.id),
    }


async def test_one_open_request_per_key_result_and_per_objective(
    client: httpx.AsyncClient, people: Cast
) -> None:
    await _ask(client, people)
    on_objective = {"objective_id": str(people.objective.id)}

    again = await _ask(client, people)
    whole = await client.post(
        "/v1/help-requests", json=on_objective, headers=people.as_(people.ada)
    )
    whole_again = await client.post(
        "/v1/help-requests", json=on_objective, headers=people.as_(people.cole)
    )

    assert (again.status_code, again.json()["code"]) == (409, "help_request_open")
    assert whole.status_code == 201
    assert whole_again.json()["code"] == "help_request_open"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body"),
        ({"objective_id": "x"}, "body.objective_id"),
        ({"key_result_id": None, "blocked": 3}, "body.blocked"),
        ({"key_result_id": None, "extra": 1}, "body.extra"),
    ],
)
async def test_a_bad_request_for_help_is_refused(
    client: httpx.AsyncClient, people: Cast, body: dict[str, Any], field: str
) -> None:
    refused = await client.post("/v1/help-requests", json=body, headers=people.as_(people.ada))

    assert refused.status_code == 422
    assert field in problem_fields(refused)


async def test_nobody_offers_on_their_own_request_nor_on_a_resolved_one(
    client: httpx.AsyncClient, people: Cast
) -> None:
    path = (await _ask(client, people)).headers["Location"]
    own = await client.post(
        f"{path}/offers", json={"message": "me"}, headers=people.as_(people.ada)
    )
    await client.post(f"{path}/resolution", json={"note": "ok"}, headers=people.as_(people.ada))

    late = await client.post(
        f"{path}/offers", json={"message": "late"}, headers=people.as_(people.pete)
    )
    twice = await client.post(
        f"{path}/resolution", json={"note": "again"}, headers=people.as_(people.ada)
    )

    assert own.json()["code"] == "own_help_request"
    assert (late.status_code, late.json()["code"]) == (409, "help_request_resolved")
    assert twice.json()["code"] == "help_request_resolved"


async def test_what_is_blocked_and_wanted_is_said_with_if_match(
    client: httpx.AsyncClient, people: Cast
) -> None:
    await check_in(client, str(people.key_result.id), people.as_(people.ada), value=1, confidence=1)
    [opened] = (await client.get("/v1/help-requests", headers=people.as_(people.ada))).json()[
        "items"
    ]
    path = f"/v1/help-requests/{opened['id']}"
    body = {"help_wanted": "An hour with someone from data"}

    without = await client.patch(path, json=body, headers=people.as_(people.ada))
    changed = await client.patch(
        path, json=body, headers=people.as_(people.ada) | {"If-Match": '"1"'}
    )
    stale = await client.patch(
        path, json=body, headers=people.as_(people.ada) | {"If-Match": '"1"'}
    )

    assert (without.status_code, stale.status_code) == (428, 412)
    assert changed.status_code == 200
    assert (changed.json()["help_wanted"], changed.headers["ETag"]) == (body["help_wanted"], '"2"')


async def test_nothing_lists_help_requests_per_person(
    client: httpx.AsyncClient, people: Cast
) -> None:
    await _ask(client, people)

    by_person = await client.get(
        f"/v1/help-requests?person_id={people.ada.id}", headers=people.as_(people.mia)
    )
    by_reader = await client.get("/v1/help-requests", headers=people.reader())
    peers_own = await client.get("/v1/help-requests", headers=people.as_(people.pete))

    assert (by_person.status_code, problem_fields(by_person)) == (422, {"query.person_id"})
    assert by_reader.status_code == 403
    assert peers_own.json()["items"] == []


async def test_lists_of_the_addressed_and_of_the_objective(
    client: httpx.AsyncClient, people: Cast
) -> None:
    asked = (await _ask(client, people)).json()

    mias = await client.get(
        "/v1/help-requests?role=addressed&state=open", headers=people.as_(people.mia)
    )
    mias_own = await client.get("/v1/help-requests?role=mine", headers=people.as_(people.mia))
    of_objective = await client.get(
        f"/v1/objectives/{people.objective.id}/help-requests?state=open",
        headers=people.reader(),
    )

    assert [item["id"] for item in mias.json()["items"]] == [asked["id"]]
    assert mias_own.json()["items"] == []
    assert [item["id"] for item in of_objective.json()["items"]] == [asked["id"]]


async def test_the_event_catalogue_lists_help_and_experiment_events(
    client: httpx.AsyncClient, people: Cast
) -> None:
    response = await client.get("/v1/event-types", headers=people.as_(people.ada))

    names = [event["name"] for event in response.json()]
    assert [name for name in names if name.startswith(("help_request.", "experiment."))] == [
        "experiment.recorded",
        "help_request.opened",
        "help_request.resolved",
    ]
