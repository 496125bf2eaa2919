"""Experiments through the API: recorded on a key result with their event, changed as they go
(with `If-Match`), read with the key result; as private as their objective."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.goals.help.support import Cast
from tests.support import Outbox, problem_fields

WHO = ["ada", "mia", "cole", "pete", "hana", "reader"]


def _headers(people: Cast, who: str) -> dict[str, str]:
    return people.reader() if who == "reader" else people.as_(getattr(people, who))


def experiment(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "hypothesis": "A checklist email doubles activation",
        "tried": "Sent it to half the sign-ups for two weeks",
        "result": "No difference",
        "learning": "People activate when a colleague invites them, not from email",
        "outcome": "invalidated",
    }
    return body | overrides


async def _record(client: httpx.AsyncClient, people: Cast, **overrides: Any) -> httpx.Response:
    return await client.post(
        f"/v1/key-results/{people.key_result.id}/experiments",
        json=experiment(**overrides),
        headers=people.as_(people.ada),
    )


async def test_an_experiment_is_recorded_with_its_event(
    client: httpx.AsyncClient, outbox: Outbox, people: Cast
) -> None:
    recorded = await _record(client, people)

    assert recorded.status_code == 201
    body = recorded.json()
    assert body | {"id": None, "created_at": None, "updated_at": None} == experiment() | {
        "id": None,
        "objective_id": str(people.objective.id),
        "key_result_id": str(people.key_result.id),
        "recorded_by": str(people.ada.id),
        "created_at": None,
        "updated_at": None,
        "version": 1,
    }
    assert recorded.headers["Location"] == f"/v1/experiments/{body['id']}"
    [(type_, payload)] = await outbox.events()
    assert (type_, payload) == (
        "experiment.recorded",
        {
            "id": body["id"],
            "objective_id": str(people.objective.id),
            "key_result_id": str(people.key_result.id),
            "owner_person_id": str(people.ada.id),
            "owner_team_id": None,
            "visibility": "public",
            "outcome": "invalidated",
            "recorded_by": str(people.ada.id),
        },
    )


async def test_an_experiment_changes_as_it_goes(client: httpx.AsyncClient, people: Cast) -> None:
    started = await _record(client, people, tried=None, result=None, learning=None, outcome=None)
    path = started.headers["Location"]
    body = {"result": "Twice the activations", "outcome": "validated", "learning": "Ask early"}

    without = await client.patch(path, json=body, headers=people.as_(people.cole))
    changed = await client.patch(
        path, json=body, headers=people.as_(people.cole) | {"If-Match": started.headers["ETag"]}
    )
    nulled = await client.patch(
        path, json={"hypothesis": None}, headers=people.as_(people.cole) | {"If-Match": '"2"'}
    )

    assert without.status_code == 428
    assert changed.status_code == 200
    assert (changed.json()["outcome"], changed.json()["version"]) == ("validated", 2)
    assert (nulled.status_code, problem_fields(nulled)) == (422, {"body.hypothesis"})
    read = await client.get(path, headers=people.as_(people.pete))
    assert (read.json()["result"], read.headers["ETag"]) == ("Twice the activations", '"2"')


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"hypothesis": ""}, "body.hypothesis"),
        ({"outcome": "failed"}, "body.outcome"),
        ({"learning": "x" * 2001}, "body.learning"),
        ({"score": 1}, "body.score"),
    ],
)
async def test_a_bad_experiment_is_refused(
    client: httpx.AsyncClient, people: Cast, body: dict[str, Any], field: str
) -> None:
    refused = await _record(client, people, **body)

    assert refused.status_code == 422
    assert field in problem_fields(refused)


async def test_a_key_results_experiments_oldest_first_a_page_at_a_time(
    client: httpx.AsyncClient, people: Cast
) -> None:
    ids = [(await _record(client, people, hypothesis=f"H{n}")).json()["id"] for n in range(3)]
    path = f"/v1/key-results/{people.key_result.id}/experiments"

    first = (await client.get(f"{path}?limit=2", headers=people.reader())).json()
    rest = (
        await client.get(f"{path}?limit=2&cursor={first['next_cursor']}", headers=people.reader())
    ).json()

    assert [item["id"] for item in first["items"] + rest["items"]] == ids
    assert rest["next_cursor"] is None


@pytest.mark.parametrize(
    ("who", "record", "update"),
    [
        ("ada", 201, 200),
        ("mia", 201, 200),
        ("cole", 201, 200),
        ("pete", 403, 403),
        ("hana", 201, 200),
        ("reader", 403, 403),
    ],
)
async def test_those_who_work_on_the_objective_record_experiments(
    client: httpx.AsyncClient, people: Cast, who: str, record: int, update: int
) -> None:
    path = (await _record(client, people)).headers["Location"]
    headers = _headers(people, who)

    recorded = await client.post(
        f"/v1/key-results/{people.key_result.id}/experiments", json=experiment(), headers=headers
    )
    updated = await client.patch(
        path, json={"result": "Later"}, headers=headers | {"If-Match": "*"}
    )

    assert (recorded.status_code, updated.status_code) == (record, update)


@pytest.mark.parametrize("who", WHO)
async def test_a_private_objectives_experiments_are_as_private_as_it(
    client: httpx.AsyncClient, private: Cast, who: str
) -> None:
    path = (await _record(client, private)).headers["Location"]
    headers = _headers(private, who)

    reads = [
        (await client.get(path, headers=headers)).status_code,
        (
            await client.get(
                f"/v1/key-results/{private.key_result.id}/experiments", headers=headers
            )
        ).status_code,
    ]

    insiders = {"ada", "mia", "cole", "hana"}
    assert reads == ([200, 200] if who in insiders else [404, 404])


async def test_a_learning_outlives_its_key_result_a_help_request_does_not(
    client: httpx.AsyncClient, people: Cast
) -> None:
    path = (await _record(client, people)).headers["Location"]
    await client.post(
        "/v1/help-requests",
        json={"key_result_id": str(people.key_result.id)},
        headers=people.as_(people.ada),
    )
    kr_path = f"/v1/key-results/{people.key_result.id}"
    read = await client.get(kr_path, headers=people.as_(people.ada))

    removed = await client.delete(
        kr_path, headers=people.as_(people.ada) | {"If-Match": read.headers["ETag"]}
    )

    assert removed.status_code == 204
    kept = (await client.get(path, headers=people.as_(people.ada))).json()
    assert (kept["key_result_id"], kept["objective_id"]) == (None, str(people.objective.id))
    asked = await client.get(
        f"/v1/objectives/{people.objective.id}/help-requests", headers=people.as_(people.ada)
    )
    assert asked.json()["items"] == []
