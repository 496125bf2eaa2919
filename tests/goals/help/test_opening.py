"""A check-in that is off track, or whose author is not confident (3 or less), asks for help by
itself, in the check-in's own transaction: one open request per key result, addressed to the
owner's manager and the contributors."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.goals.models import Cycle
from tests.goals.factories import (
    add_member,
    check_in,
    create_key_result,
    create_objective,
    create_team,
)
from tests.goals.help.support import Cast
from tests.support import Outbox


async def test_an_off_track_check_in_opens_a_help_request_with_its_note(
    client: httpx.AsyncClient, outbox: Outbox, people: Cast
) -> None:
    made = await check_in(
        client,
        str(people.key_result.id),
        people.as_(people.ada),
        value=5,
        confidence=5,
        status="off_track",
        note="Blocked on data access",
    )

    assert made.status_code == 201
    mine = await client.get("/v1/help-requests?role=mine", headers=people.as_(people.ada))
    [request] = mine.json()["items"]
    assert request | {"id": None, "created_at": None, "updated_at": None} == {
        "id": None,
        "objective_id": str(people.objective.id),
        "key_result_id": str(people.key_result.id),
        "check_in_id": made.json()["id"],
        "source": "check_in",
        "state": "open",
        "blocked": "Blocked on data access",
        "help_wanted": None,
        "opened_by": str(people.ada.id),
        "addressee_ids": sorted([str(people.mia.id), str(people.cole.id)]),
        "offers": [],
        "resolution_note": None,
        "resolved_by": None,
        "resolved_at": None,
        "created_at": None,
        "updated_at": None,
        "version": 1,
    }
    types = await outbox.types()
    assert types == ["key_result.checked_in", "help_request.opened"]
    opened = (await outbox.events())[1][1]
    assert opened == {
        "id": request["id"],
        "objective_id": str(people.objective.id),
        "key_result_id": str(people.key_result.id),
        "owner_person_id": str(people.ada.id),
        "owner_team_id": None,
        "visibility": "public",
        "source": "check_in",
        "check_in_id": made.json()["id"],
        "opened_by": str(people.ada.id),
        "addressee_ids": request["addressee_ids"],
    }


@pytest.mark.parametrize(
    ("confidence", "status", "opens"),
    [
        (3, None, True),  # off track, from the confidence
        (2, "on_track", True),  # not confident, whatever the status says
        (4, None, False),  # at risk: a conversation, not yet a request
        (6, "at_risk", False),
        (9, "off_track", True),
    ],
)
async def test_help_is_asked_for_off_track_or_at_a_confidence_of_3_or_less(
    client: httpx.AsyncClient, people: Cast, confidence: int, status: str | None, opens: bool
) -> None:
    fields = {"value": 5, "confidence": confidence} | ({"status": status} if status else {})

    await check_in(client, str(people.key_result.id), people.as_(people.ada), **fields)

    found = await client.get("/v1/help-requests", headers=people.as_(people.ada))
    assert len(found.json()["items"]) == (1 if opens else 0)


async def test_a_second_low_check_in_keeps_the_one_open_request(
    client: httpx.AsyncClient, people: Cast
) -> None:
    headers = people.as_(people.ada)
    await check_in(client, str(people.key_result.id), headers, value=5, confidence=2, note="one")

    await check_in(client, str(people.key_result.id), headers, value=6, confidence=1, note="two")

    [request] = (await client.get("/v1/help-requests", headers=headers)).json()["items"]
    assert request["blocked"] == "one"


async def test_once_resolved_a_new_low_check_in_asks_again(
    client: httpx.AsyncClient, people: Cast
) -> None:
    headers = people.as_(people.ada)
    await check_in(client, str(people.key_result.id), headers, value=5, confidence=2)
    [first] = (await client.get("/v1/help-requests", headers=headers)).json()["items"]
    await client.post(
        f"/v1/help-requests/{first['id']}/resolution", json={"note": "Sorted"}, headers=headers
    )

    await check_in(client, str(people.key_result.id), headers, value=6, confidence=1)

    states = [
        item["state"]
        for item in (await client.get("/v1/help-requests", headers=headers)).json()["items"]
    ]
    assert states == ["resolved", "open"]


async def test_a_refused_check_in_opens_nothing(client: httpx.AsyncClient, people: Cast) -> None:
    refused = await check_in(
        client, str(people.key_result.id), people.as_(people.pete), value=5, confidence=1
    )

    assert refused.status_code == 403
    found = await client.get(
        f"/v1/objectives/{people.objective.id}/help-requests", headers=people.as_(people.ada)
    )
    assert found.json()["items"] == []


async def test_a_contributors_low_check_in_asks_the_owner_too(
    client: httpx.AsyncClient, people: Cast
) -> None:
    await check_in(
        client, str(people.key_result.id), people.as_(people.cole), value=5, confidence=1
    )

    [request] = (
        await client.get("/v1/help-requests?role=mine", headers=people.as_(people.cole))
    ).json()["items"]
    assert sorted(request["addressee_ids"]) == sorted([str(people.ada.id), str(people.mia.id)])


async def test_a_team_objective_asks_its_lead(
    client: httpx.AsyncClient, session: AsyncSession, cycle: Cycle, people: Cast
) -> None:
    team = await create_team(session, name="Growth", lead_id=people.mia.id)
    objective = await create_objective(session, cycle, team)
    key_result = await create_key_result(session, objective)

    await add_member(session, team, people.ada)

    await check_in(client, str(key_result.id), people.as_(people.ada), value=1, confidence=0)

    [request] = (
        await client.get("/v1/help-requests?role=addressed", headers=people.as_(people.mia))
    ).json()["items"]
    assert request["addressee_ids"] == [str(people.mia.id)]
