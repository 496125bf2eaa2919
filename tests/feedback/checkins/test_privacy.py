"""Who reads a weekly check-in: the person, and once submitted the manager they had then; not
their manager now, not a peer, not HR admins, not integrations, not an outsider."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.feedback.checkins.support import WORDS, draft, submitted
from tests.feedback.factories import Org

# recipient: the person; manager: their manager when they wrote it; giver_manager: their
# manager now; giver: an outsider.
OTHERS = ("giver_manager", "peer", "hr_admin", "giver", "skip_level")


@pytest.fixture
async def check_in(client: httpx.AsyncClient, org: Org, session: AsyncSession) -> dict[str, Any]:
    """Submitted to the manager, who replied; then the person moved to another manager."""
    sent = await submitted(client, org)
    reply = await client.post(
        f"/v1/weekly-check-ins/{sent['id']}/replies",
        json={"body": WORDS},
        headers=org.headers("manager"),
    )
    assert reply.status_code == 201, reply.text
    org.recipient.manager_id = org.giver_manager.id
    session.add(org.recipient)
    await session.flush()
    return sent


ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/v1/weekly-check-ins/{id}", None),
    ("PATCH", "/v1/weekly-check-ins/{id}", {"mood": 1}),
    ("POST", "/v1/weekly-check-ins/{id}/submit", None),
    ("POST", "/v1/weekly-check-ins/{id}/replies", {"body": "x"}),
]
# What each of the two gets (the check-in is submitted: it changes no more).
ALLOWED = {
    ("recipient", "GET"): 200,
    ("recipient", "PATCH"): 409,
    ("recipient", "POST /submit"): 409,
    ("recipient", "POST /replies"): 201,
    ("manager", "GET"): 200,
    ("manager", "PATCH"): 403,
    ("manager", "POST /submit"): 403,
    ("manager", "POST /replies"): 201,
}


def _key(caller: str, method: str, template: str) -> tuple[str, str]:
    return caller, method if method != "POST" else f"POST /{template.rsplit('/', 1)[1]}"


@pytest.mark.parametrize(("method", "template", "body"), ROUTES)
@pytest.mark.parametrize("caller", ["recipient", "manager", *OTHERS, "integration"])
async def test_only_the_person_and_their_manager_then_reach_a_check_in(
    client: httpx.AsyncClient,
    org: Org,
    check_in: dict[str, Any],
    caller: str,
    method: str,
    template: str,
    body: dict[str, Any] | None,
) -> None:
    response = await client.request(
        method,
        template.format(id=check_in["id"]),
        json=body,
        headers=org.headers(caller) | {"If-Match": "*"},
    )

    if caller == "integration":
        assert response.status_code == 403, response.text
    elif caller in OTHERS:
        assert response.status_code == 404, response.text
        assert response.json()["code"] == "check_in_not_found"
    else:
        assert response.status_code == ALLOWED[_key(caller, method, template)], response.text
    if caller not in ("recipient", "manager"):
        assert WORDS not in response.text


@pytest.mark.parametrize("caller", OTHERS)
async def test_lists_and_batch_reads_show_others_nothing(
    client: httpx.AsyncClient, org: Org, check_in: dict[str, Any], caller: str
) -> None:
    listed = await client.get("/v1/weekly-check-ins", headers=org.headers(caller))
    batch = await client.get(
        f"/v1/weekly-check-ins?id={check_in['id']}", headers=org.headers(caller)
    )
    by_person = await client.get(
        f"/v1/weekly-check-ins?person_id={org.recipient.id}", headers=org.headers(caller)
    )

    assert listed.json()["items"] == batch.json()["items"] == by_person.json()["items"] == []


async def test_the_manager_then_lists_it_and_the_new_one_gets_the_next(
    client: httpx.AsyncClient, org: Org, check_in: dict[str, Any]
) -> None:
    later = await submitted(client, org, week="2026-W50")

    old_manager = await client.get("/v1/weekly-check-ins", headers=org.headers("manager"))
    new_manager = await client.get("/v1/weekly-check-ins", headers=org.headers("giver_manager"))
    due = await client.get(
        "/v1/weekly-check-ins/due?week=2026-W49", headers=org.headers("giver_manager")
    )

    assert [item["id"] for item in old_manager.json()["items"]] == [check_in["id"]]
    assert [item["id"] for item in new_manager.json()["items"]] == [later["id"]]
    assert later["manager_id"] == str(org.giver_manager.id)
    # The new manager's reports are counted by who reports to them today.
    assert due.json()["reports_total"] == 2


async def test_a_manager_never_reads_a_draft(client: httpx.AsyncClient, org: Org) -> None:
    written = await draft(client, org)

    one = await client.get(f"/v1/weekly-check-ins/{written['id']}", headers=org.headers("manager"))
    listed = await client.get("/v1/weekly-check-ins", headers=org.headers("manager"))

    assert one.status_code == 404
    assert listed.json()["items"] == []


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/weekly-check-ins"),
        ("GET", "/v1/weekly-check-ins/due"),
        ("POST", "/v1/weekly-check-ins"),
    ],
)
async def test_integrations_reach_no_check_in(
    client: httpx.AsyncClient, org: Org, method: str, path: str
) -> None:
    response = await client.request(method, path, json={}, headers=org.headers("integration"))

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"


async def test_an_hr_admin_sees_only_their_own(
    client: httpx.AsyncClient, org: Org, check_in: dict[str, Any]
) -> None:
    mine = await draft(client, org, by="hr_admin")

    listed = await client.get("/v1/weekly-check-ins", headers=org.headers("hr_admin"))

    assert [item["id"] for item in listed.json()["items"]] == [mine["id"]]
