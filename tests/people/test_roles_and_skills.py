"""Job roles and skills as callers see them: HR admins keep the lists, everyone reads them."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.errors import PROBLEM_JSON
from tests.people.factories import (
    create_person,
    create_skill,
    create_team,
    unknown_id,
)
from tests.support import Outbox, Tokens, problem_fields

# --- Job roles and skills ----------------------------------------------------------------


async def test_job_roles_are_created_read_and_updated(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    created = await client.post(
        "/v1/roles", json={"name": "Senior engineer", "level": 3}, headers=as_admin
    )
    role_url = created.headers["location"]
    duplicate = await client.post("/v1/roles", json={"name": "SENIOR ENGINEER"}, headers=as_admin)
    not_a_number = await client.post(
        "/v1/roles", json={"name": "Staff engineer", "level": False}, headers=as_admin
    )
    updated = await client.patch(
        role_url, json={"description": "Leads by example."}, headers=as_admin | {"If-Match": '"1"'}
    )
    listed = await client.get("/v1/roles", params={"q": "senior"}, headers=as_admin)

    assert created.status_code == 201
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "role_name_taken")
    assert not_a_number.status_code == 422
    assert problem_fields(not_a_number) == {"body.level"}
    assert updated.json()["description"] == "Leads by example."
    assert updated.json()["version"] == 2
    assert [role["name"] for role in listed.json()["items"]] == ["Senior engineer"]


async def test_the_skills_catalogue(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    python = await create_skill(session, name="Python", category="Engineering")
    await create_skill(session, name="Negotiation", category="Sales")

    created = await client.post(
        "/v1/skills", json={"name": "Rust", "category": "Engineering"}, headers=as_admin
    )
    duplicate = await client.post("/v1/skills", json={"name": "python"}, headers=as_admin)
    wrong_type = await client.post("/v1/skills", json={"name": 42}, headers=as_admin)
    by_category = await client.get(
        "/v1/skills", params={"category": "engineering"}, headers=as_admin
    )
    by_name = await client.get("/v1/skills", params={"q": "yth"}, headers=as_admin)
    by_id = await client.get("/v1/skills", params={"id": str(python.id)}, headers=as_admin)
    renamed = await client.patch(
        f"/v1/skills/{python.id}", json={"name": "Python 3"}, headers=as_admin | {"If-Match": '"1"'}
    )
    taken = await client.patch(
        f"/v1/skills/{python.id}", json={"name": "RUST"}, headers=as_admin | {"If-Match": '"2"'}
    )

    assert created.status_code == 201
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "skill_name_taken")
    assert problem_fields(wrong_type) == {"body.name"}
    assert [skill["name"] for skill in by_category.json()["items"]] == ["Python", "Rust"]
    assert [skill["name"] for skill in by_name.json()["items"]] == ["Python"]
    assert [skill["id"] for skill in by_id.json()["items"]] == [str(python.id)]
    assert renamed.json()["name"] == "Python 3"
    assert (taken.status_code, taken.json()["code"]) == (409, "skill_name_taken")


@pytest.mark.parametrize("collection", ["teams", "roles", "skills"])
async def test_unknown_ids_are_404_everywhere(
    client: httpx.AsyncClient, as_admin: dict[str, str], collection: str
) -> None:
    response = await client.get(f"/v1/{collection}/{unknown_id()}", headers=as_admin)

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_JSON


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v1/teams", {"name": "Core"}),
        ("POST", "/v1/roles", {"name": "Engineer"}),
        ("POST", "/v1/skills", {"name": "Python"}),
        ("POST", "/v1/people/{person}/deactivate", None),
        ("PATCH", "/v1/people/{person}", {"name": "X"}),
        ("POST", "/v1/teams/{team}/members", {"person_id": "{person}"}),
        ("DELETE", "/v1/teams/{team}", None),
    ],
)
async def test_employees_may_not_change_the_directory(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    tokens: Tokens,
    method: str,
    path: str,
    body: dict[str, str] | None,
) -> None:
    employee = await create_person(session)
    team = await create_team(session)

    def fill(text: str) -> str:
        return text.format(person=employee.id, team=team.id)

    response = await client.request(
        method,
        fill(path),
        json={key: fill(value) for key, value in body.items()} if body else None,
        headers=tokens.person(employee.email) | {"If-Match": '"1"'},
    )

    assert response.status_code == 403
    assert await outbox.events() == []
