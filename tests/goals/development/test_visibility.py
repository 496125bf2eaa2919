"""Who reads a development goal: its person, their management chain and HR admins; others
only when the person shares it (by name, or with the organisation). To everyone else a
hidden goal does not exist: 404 on every path, and left out of lists and batches."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kit.orgcopy import OrgPerson
from tests.support import Tokens

# Who reads Ada's private goal: herself, Mia (her manager), Cecilia (skip-level), HR.
READERS = ["ada", "mia", "ceo", "admin"]
OTHERS = ["ben", "kai", "olga", "integration", "service"]


def headers_of(
    name: str, people: dict[str, OrgPerson], admin: OrgPerson, tokens: Tokens
) -> dict[str, str]:
    if name == "integration":
        return tokens.integration("goals:read")
    if name == "service":
        return tokens.service()
    return tokens.person((admin if name == "admin" else people[name]).email)


async def reads(
    client: httpx.AsyncClient, goal: dict[str, Any], headers: dict[str, str]
) -> tuple[int, bool, bool, int]:
    """What one caller gets from every path: the goal, the list, a batch, a plan item."""
    one = await client.get(f"/v1/development-goals/{goal['id']}", headers=headers)
    listed = await client.get("/v1/development-goals", headers=headers)
    batch = await client.get(f"/v1/development-goals?id={goal['id']}", headers=headers)
    item = await client.patch(
        f"/v1/plan-items/{goal['plan'][0]['id']}",
        json={"status": "done"},
        headers={**headers, "If-Match": '"1"'},
    )
    return (
        one.status_code,
        goal["id"] in [g["id"] for g in listed.json()["items"]],
        goal["id"] in [g["id"] for g in batch.json()["items"]],
        item.status_code,
    )


@pytest.mark.parametrize("name", READERS)
async def test_the_person_their_chain_and_hr_read_a_private_goal(
    client: httpx.AsyncClient,
    tokens: Tokens,
    people: dict[str, OrgPerson],
    admin: OrgPerson,
    goal: dict[str, Any],
    name: str,
) -> None:
    got = await reads(client, goal, headers_of(name, people, admin, tokens))

    # Only Ada changes her plan; the others read it, and are refused the change.
    assert got == (200, True, True, 200 if name == "ada" else 403)


@pytest.mark.parametrize("name", OTHERS)
async def test_a_private_goal_is_404_to_everyone_else_on_every_path(
    client: httpx.AsyncClient,
    tokens: Tokens,
    people: dict[str, OrgPerson],
    admin: OrgPerson,
    goal: dict[str, Any],
    name: str,
) -> None:
    headers = headers_of(name, people, admin, tokens)
    unknown = "0192b1c4-0000-7000-8000-0000000000ff"

    got = await reads(client, goal, headers)
    hidden = await client.get(f"/v1/development-goals/{goal['id']}", headers=headers)
    missing = await client.get(f"/v1/development-goals/{unknown}", headers=headers)

    if name in ("integration", "service"):
        # They change no plan at all: refused before any goal is looked for.
        assert got == (404, False, False, 403)
    else:
        assert got == (404, False, False, 404)
    assert hidden.json() == missing.json() | {"instance": hidden.json()["instance"]}


async def test_a_goal_shared_by_name_is_read_by_those_named_only(
    client: httpx.AsyncClient,
    tokens: Tokens,
    people: dict[str, OrgPerson],
    goal: dict[str, Any],
    as_ada: dict[str, str],
) -> None:
    path = f"/v1/development-goals/{goal['id']}"
    body = {"sharing": "people", "shared_with": [str(people["ben"].id)]}

    shared = await client.patch(path, json=body, headers={**as_ada, "If-Match": '"1"'})
    as_ben = await client.get(path, headers=tokens.person(people["ben"].email))
    as_kai = await client.get(path, headers=tokens.person(people["kai"].email))

    assert shared.status_code == 200, shared.text
    assert (as_ben.status_code, as_kai.status_code) == (200, 404)


async def test_a_goal_shared_with_the_organisation_is_read_by_everyone(
    client: httpx.AsyncClient,
    tokens: Tokens,
    people: dict[str, OrgPerson],
    goal: dict[str, Any],
    as_ada: dict[str, str],
) -> None:
    path = f"/v1/development-goals/{goal['id']}"

    await client.patch(
        path, json={"sharing": "organisation"}, headers={**as_ada, "If-Match": '"1"'}
    )
    as_olga = await client.get(path, headers=tokens.person(people["olga"].email))
    as_reader = await client.get(path, headers=tokens.integration("goals:read"))
    back = await client.patch(
        path, json={"sharing": "private"}, headers={**as_ada, "If-Match": '"2"'}
    )
    hidden_again = await client.get(path, headers=tokens.person(people["olga"].email))

    assert (as_olga.status_code, as_reader.status_code) == (200, 200)
    assert back.status_code == 200
    assert hidden_again.status_code == 404


async def test_a_manager_reads_but_does_not_change_a_reports_goal(
    client: httpx.AsyncClient, tokens: Tokens, people: dict[str, OrgPerson], goal: dict[str, Any]
) -> None:
    as_mia = tokens.person(people["mia"].email)
    path = f"/v1/development-goals/{goal['id']}"

    changed = await client.patch(
        path, json={"title": "Hers"}, headers={**as_mia, "If-Match": '"1"'}
    )
    completed = await client.post(f"{path}/complete", json={}, headers=as_mia)
    added = await client.post(
        f"{path}/plan-items", json={"kind": "reading", "title": "A book"}, headers=as_mia
    )

    assert [changed.status_code, completed.status_code, added.status_code] == [403] * 3
