"""Check-ins by kind of key result: the value each kind accepts, and check-ins recorded after the
fact."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.models import utcnow
from kit.orgcopy import OrgPerson
from services.goals.models import Cycle, Objective
from services.goals.schemas import (
    KeyResultKind,
    Visibility,
)
from tests.goals.factories import (
    add,
    check_in,
    create_cycle,
    create_key_result,
    create_milestones,
    create_objective,
    create_person,
)
from tests.support import Outbox, Tokens, problem_codes, problem_fields

# --- Check-ins by kind -----------------------------------------------------------------------


async def test_a_binary_key_result_is_checked_in_done_or_not(
    client: httpx.AsyncClient, objective: Objective, as_ada: dict[str, str]
) -> None:
    key_result = (await add(client, objective, as_ada, kind="binary")).json()

    done = await check_in(client, key_result["id"], as_ada, done=True)
    read = (await client.get(f"/v1/key-results/{key_result['id']}", headers=as_ada)).json()

    assert (done.status_code, done.json()["value"]) == (201, 1.0)
    assert (read["progress"], read["progress_explanation"]) == (1.0, "Done: 1.")


async def test_milestones_are_marked_by_check_ins(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    objective: Objective,
    as_ada: dict[str, str],
) -> None:
    key_result, (design, build, launch) = await create_milestones(
        session, objective, True, False, False
    )
    marks = [{"id": str(build.id), "done": True}, {"id": str(design.id), "done": False}]

    response = await check_in(client, str(key_result.id), as_ada, milestones=marks)
    again = await check_in(
        client, str(key_result.id), as_ada, milestones=[{"id": str(launch.id), "done": True}]
    )

    assert response.status_code == 201
    assert (response.json()["value"], response.json()["milestone_updates"]) == (1.0, marks)
    read = (await client.get(f"/v1/key-results/{key_result.id}", headers=as_ada)).json()
    assert [m["done"] for m in read["milestones"]] == [False, True, True]
    assert read["progress_explanation"] == "2 of 3 milestones done: 0.6667."
    assert again.json()["value"] == 2.0
    payloads = [payload for _, payload in await outbox.events()]
    assert [(p["previous_value"], p["value"], p["progress"]) for p in payloads] == [
        (1.0, 1.0, 0.3333),
        (1.0, 2.0, 0.6667),
    ]


async def test_a_line_is_checked_in_with_a_value(
    client: httpx.AsyncClient, objective: Objective, as_ada: dict[str, str]
) -> None:
    key_result = (await add(client, objective, as_ada, kind="stay_above", target=95)).json()

    await check_in(client, key_result["id"], as_ada, value=93.5)
    read = (await client.get(f"/v1/key-results/{key_result['id']}", headers=as_ada)).json()

    assert (read["current"], read["progress"]) == (93.5, 0.0)
    assert read["progress_explanation"] == "Staying above 95: no, at 93.5."


@pytest.mark.parametrize(
    ("kind", "reading", "field"),
    [
        ("numeric", {"done": True}, "body.done"),
        ("numeric", {"milestones": [{"id": "MILESTONE", "done": True}]}, "body.milestones"),
        ("binary", {"value": 1}, "body.value"),
        ("binary", {"milestones": [{"id": "MILESTONE", "done": True}]}, "body.milestones"),
        ("milestones", {"value": 2}, "body.value"),
        ("milestones", {"done": True}, "body.done"),
    ],
)
async def test_a_reading_of_the_wrong_kind_is_422_and_changes_nothing(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    objective: Objective,
    as_ada: dict[str, str],
    kind: str,
    reading: dict[str, Any],
    field: str,
) -> None:
    listed, (milestone,) = await create_milestones(session, objective, False)
    key_results = {
        "numeric": await create_key_result(session, objective),
        "binary": await create_key_result(
            session, objective, kind=KeyResultKind.BINARY, start=0.0, target=1.0
        ),
        "milestones": listed,
    }
    if "milestones" in reading:
        reading = {"milestones": [{"id": str(milestone.id), "done": True}]}

    response = await check_in(client, str(key_results[kind].id), as_ada, **reading)

    assert response.status_code == 422
    assert (response.json()["code"], problem_fields(response)) == ("wrong_value_for_kind", {field})
    assert await outbox.events() == []


async def test_an_unknown_or_repeated_milestone_is_422(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    objective: Objective,
    as_ada: dict[str, str],
) -> None:
    key_result, (first, _) = await create_milestones(session, objective, False, False)
    _, (elsewhere,) = await create_milestones(session, objective, False)

    unknown = await check_in(
        client,
        str(key_result.id),
        as_ada,
        milestones=[{"id": str(first.id), "done": True}, {"id": str(elsewhere.id), "done": True}],
    )
    repeated = await check_in(
        client,
        str(key_result.id),
        as_ada,
        milestones=[{"id": str(first.id), "done": True}, {"id": str(first.id), "done": False}],
    )

    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_milestone")
    assert problem_fields(unknown) == {"body.milestones.1.id"}
    assert (repeated.status_code, problem_codes(repeated)) == (422, {"milestone_repeated"})
    read = (await client.get(f"/v1/key-results/{key_result.id}", headers=as_ada)).json()
    assert [m["done"] for m in read["milestones"]] == [False, False]
    assert await outbox.events() == []


@pytest.mark.parametrize(
    ("confidence", "status", "expected"),
    [
        (9, None, "on_track"),
        (7, None, "on_track"),
        (6, None, "at_risk"),
        (4, None, "at_risk"),
        (3, None, "off_track"),
        (0, None, "off_track"),
        (9, "off_track", "off_track"),  # the author's word wins
        (2, "on_track", "on_track"),
    ],
)
async def test_a_check_in_status_is_given_or_follows_confidence(
    client: httpx.AsyncClient,
    session: AsyncSession,
    objective: Objective,
    as_ada: dict[str, str],
    confidence: int,
    status: str | None,
    expected: str,
) -> None:
    key_result = await create_key_result(session, objective)
    fields: dict[str, Any] = {"value": 10, "confidence": confidence}
    if status is not None:
        fields["status"] = status

    response = await check_in(client, str(key_result.id), as_ada, **fields)

    assert response.json()["status"] == expected
    read = (await client.get(f"/v1/key-results/{key_result.id}", headers=as_ada)).json()
    assert (read["status"], read["confidence"]) == (expected, confidence)


async def test_private_key_results_stay_hidden_from_outsiders(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    tokens: Tokens,
) -> None:
    private = await create_objective(session, cycle, ada, visibility=Visibility.PRIVATE)
    key_result, _ = await create_milestones(session, private, False)
    stranger = tokens.person((await create_person(session)).email)

    read = await client.get(f"/v1/key-results/{key_result.id}", headers=stranger)
    checked = await check_in(client, str(key_result.id), stranger, value=1)

    assert [r.json()["code"] for r in (read, checked)] == ["key_result_not_found"] * 2


# --- Check-ins recorded after the fact -------------------------------------------------------


async def test_a_check_in_can_be_recorded_for_a_past_moment_in_order(
    client: httpx.AsyncClient,
    session: AsyncSession,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    started = utcnow().date() - timedelta(days=30)
    cycle = await create_cycle(session, starts_on=started, ends_on=started + timedelta(days=90))
    objective = await create_objective(session, cycle, ada)
    key_result = await create_key_result(session, objective, start=0, target=10)
    two_weeks_ago = (utcnow() - timedelta(days=14)).isoformat()
    a_week_ago = (utcnow() - timedelta(days=7)).isoformat()

    first = await check_in(client, str(key_result.id), as_ada, value=3, as_of=two_weeks_ago)
    second = await check_in(client, str(key_result.id), as_ada, value=5, as_of=a_week_ago)
    # Then a moment before the latest check-in, one in the future, one before the cycle
    out_of_order = await check_in(client, str(key_result.id), as_ada, value=4, as_of=two_weeks_ago)
    future = await check_in(
        client,
        str(key_result.id),
        as_ada,
        value=6,
        as_of=(utcnow() + timedelta(hours=1)).isoformat(),
    )
    before_cycle = await check_in(
        client, str(key_result.id), as_ada, value=6, as_of="2000-01-01T00:00:00+00:00"
    )
    naive = await check_in(client, str(key_result.id), as_ada, value=6, as_of="2026-11-01T10:00:00")

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["created_at"].startswith(two_weeks_ago[:19])
    history = (
        await client.get(f"/v1/key-results/{key_result.id}/check-ins", headers=as_ada)
    ).json()["items"]
    assert [item["value"] for item in history] == [3, 5]
    read = (await client.get(f"/v1/key-results/{key_result.id}", headers=as_ada)).json()
    assert read["current"] == 5
    for refused in (out_of_order, future, before_cycle):
        assert (refused.status_code, problem_codes(refused)) == (422, {"as_of_out_of_range"})
    assert naive.status_code == 422
