"""Writing a weekly check-in: a draft, then submitted once; one per person and week; the thread
with the manager; what is due; events without words."""

from __future__ import annotations

import json

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.models import utcnow
from services.feedback.checkins.schemas import week_of
from tests.feedback.checkins.support import WORDS, draft, form, submitted
from tests.feedback.factories import Org
from tests.support import Outbox


async def test_a_draft_is_written_then_submitted_to_the_manager(
    client: httpx.AsyncClient, org: Org, outbox: Outbox
) -> None:
    written = await draft(client, org, mood=None)
    changed = await client.patch(
        f"/v1/weekly-check-ins/{written['id']}",
        json={"mood": 2, "priorities": "fix the pipeline"},
        headers=org.headers("recipient") | {"If-Match": f'"{written["version"]}"'},
    )
    sent = await client.post(
        f"/v1/weekly-check-ins/{written['id']}/submit", headers=org.headers("recipient")
    )

    assert written["status"] == "draft"
    assert written["manager_id"] is None
    assert changed.json()["priorities"] == "fix the pipeline"
    assert sent.status_code == 200, sent.text
    assert sent.json()["status"] == "submitted"
    assert sent.json()["manager_id"] == str(org.manager.id)
    assert sent.json()["answers"] == [{"question": "What did you learn?", "answer": WORDS}]
    assert await outbox.types() == ["weekly_check_in.submitted"]
    assert WORDS not in json.dumps(await outbox.events())


async def test_submitting_needs_a_mood(client: httpx.AsyncClient, org: Org) -> None:
    written = await draft(client, org, mood=None)

    response = await client.post(
        f"/v1/weekly-check-ins/{written['id']}/submit", headers=org.headers("recipient")
    )

    assert response.status_code == 422
    assert response.json()["code"] == "mood_missing"


async def test_a_submitted_check_in_changes_no_more(client: httpx.AsyncClient, org: Org) -> None:
    sent = await submitted(client, org)

    again = await client.post(
        f"/v1/weekly-check-ins/{sent['id']}/submit", headers=org.headers("recipient")
    )
    changed = await client.patch(
        f"/v1/weekly-check-ins/{sent['id']}",
        json={"mood": 1},
        headers=org.headers("recipient") | {"If-Match": "*"},
    )

    assert (again.status_code, again.json()["code"]) == (409, "check_in_submitted")
    assert (changed.status_code, changed.json()["code"]) == (409, "check_in_submitted")


async def test_one_check_in_per_person_and_week(client: httpx.AsyncClient, org: Org) -> None:
    await draft(client, org)

    twin = await client.post("/v1/weekly-check-ins", json=form(), headers=org.headers("recipient"))
    next_week = await client.post(
        "/v1/weekly-check-ins", json=form(week="2026-W50"), headers=org.headers("recipient")
    )
    someone_else = await client.post(
        "/v1/weekly-check-ins", json=form(), headers=org.headers("peer")
    )

    assert (twin.status_code, twin.json()["code"]) == (409, "check_in_exists")
    assert (next_week.status_code, someone_else.status_code) == (201, 201)


async def test_the_week_defaults_to_this_one(client: httpx.AsyncClient, org: Org) -> None:
    body = form()
    del body["week"]

    response = await client.post("/v1/weekly-check-ins", json=body, headers=org.headers("peer"))

    assert response.json()["week"] == week_of(utcnow().date())


async def test_a_week_that_does_not_exist_is_refused(client: httpx.AsyncClient, org: Org) -> None:
    # 2026 has 53 ISO weeks, 2025 has 52.
    fine = await client.post(
        "/v1/weekly-check-ins", json=form(week="2026-W53"), headers=org.headers("recipient")
    )
    bad = await client.post(
        "/v1/weekly-check-ins", json=form(week="2025-W53"), headers=org.headers("recipient")
    )
    mood = await client.post(
        "/v1/weekly-check-ins", json=form(week="2026-W01", mood=6), headers=org.headers("recipient")
    )

    assert fine.status_code == 201
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert [error["field"] for error in bad.json()["errors"]] == ["body.week"]
    assert [error["field"] for error in mood.json()["errors"]] == ["body.mood"]


async def test_the_manager_replies_and_the_thread_goes_on(
    client: httpx.AsyncClient, org: Org, outbox: Outbox
) -> None:
    sent = await submitted(client, org)
    path = f"/v1/weekly-check-ins/{sent['id']}"

    answer = await client.post(
        f"{path}/replies", json={"body": "Let's fix access."}, headers=org.headers("manager")
    )
    back = await client.post(
        f"{path}/replies", json={"body": "Thanks!"}, headers=org.headers("recipient")
    )
    read = await client.get(path, headers=org.headers("recipient"))

    assert (answer.status_code, back.status_code) == (201, 201)
    assert [(reply["author_id"], reply["body"]) for reply in read.json()["replies"]] == [
        (str(org.manager.id), "Let's fix access."),
        (str(org.recipient.id), "Thanks!"),
    ]
    events = await outbox.events()
    assert [name for name, _ in events].count("weekly_check_in.replied") == 2
    assert "fix access" not in json.dumps(events)


async def test_a_draft_has_no_thread(client: httpx.AsyncClient, org: Org) -> None:
    written = await draft(client, org)

    response = await client.post(
        f"/v1/weekly-check-ins/{written['id']}/replies",
        json={"body": "early"},
        headers=org.headers("recipient"),
    )

    assert (response.status_code, response.json()["code"]) == (409, "check_in_draft")


async def test_due_check_ins_for_a_person_and_their_manager(
    client: httpx.AsyncClient, org: Org
) -> None:
    before = await client.get(
        "/v1/weekly-check-ins/due?week=2026-W49", headers=org.headers("manager")
    )
    await submitted(client, org)
    mine = await client.get(
        "/v1/weekly-check-ins/due?week=2026-W49", headers=org.headers("recipient")
    )
    peer = await client.get("/v1/weekly-check-ins/due?week=2026-W49", headers=org.headers("peer"))
    after = await client.get(
        "/v1/weekly-check-ins/due?week=2026-W49", headers=org.headers("manager")
    )

    assert before.json()["reports_total"] == 2
    assert {report["name"] for report in before.json()["reports_due"]} == {
        "Rita Recipient",
        "Pete Peer",
    }
    assert (mine.json()["due"], peer.json()["due"]) == (False, True)
    assert (after.json()["reports_submitted"], after.json()["reports_due"]) == (
        1,
        [{"person_id": str(org.peer.id), "name": "Pete Peer"}],
    )


async def test_a_draft_is_still_due(client: httpx.AsyncClient, org: Org) -> None:
    written = await draft(client, org)

    response = await client.get(
        "/v1/weekly-check-ins/due?week=2026-W49", headers=org.headers("recipient")
    )

    assert response.json()["due"] is True
    assert response.json()["check_in_id"] == written["id"]


async def test_a_retried_create_makes_one_check_in(client: httpx.AsyncClient, org: Org) -> None:
    headers = org.headers("recipient") | {"Idempotency-Key": "week-49"}

    first = await client.post("/v1/weekly-check-ins", json=form(), headers=headers)
    again = await client.post("/v1/weekly-check-ins", json=form(), headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]


async def test_check_ins_come_in_keyset_pages(
    client: httpx.AsyncClient, org: Org, session: AsyncSession
) -> None:
    made = [(await draft(client, org, week=f"2026-W{week:02d}"))["id"] for week in (1, 2, 3)]

    first = await client.get("/v1/weekly-check-ins?limit=2", headers=org.headers("recipient"))
    rest = await client.get(
        f"/v1/weekly-check-ins?limit=2&cursor={first.json()['next_cursor']}",
        headers=org.headers("recipient"),
    )
    one_week = await client.get(
        "/v1/weekly-check-ins?week=2026-W02", headers=org.headers("recipient")
    )

    assert [item["id"] for item in first.json()["items"] + rest.json()["items"]] == made
    assert rest.json()["next_cursor"] is None
    assert [item["id"] for item in one_week.json()["items"]] == [made[1]]
