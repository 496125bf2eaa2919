"""The reads the gateway batches: who the token names, and the first reports of many managers
in one request."""

from __future__ import annotations

import uuid

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from services.people.models import Person
from tests.people.factories import add_member, create_person, create_team, unknown_id
from tests.support import Tokens


def ids(items: list[dict[str, object]]) -> list[str]:
    return [str(item["id"]) for item in items]


def reports_url(*managers: uuid.UUID, per_manager: int | None = None) -> str:
    query = "&".join(f"manager_id={manager}" for manager in managers)
    if per_manager is not None:
        query += f"&per_manager={per_manager}"
    return f"/v1/people/by-manager?{query}"


# --- Who the token names ---------------------------------------------------------------------


async def test_me_is_the_person_the_token_names(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    team = await create_team(session)
    ada = await create_person(session, email="ada@example.com", name="Ada")
    await add_member(session, team, ada)

    response = await client.get("/v1/people/me", headers=tokens.person("ADA@example.com"))

    assert response.status_code == 200
    assert response.json()["id"] == str(ada.id)
    assert response.json()["name"] == "Ada"
    assert response.json()["team_ids"] == [str(team.id)]


async def test_an_integration_token_names_no_person(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    response = await client.get("/v1/people/me", headers=tokens.integration("people:read"))

    assert response.status_code == 403
    assert response.json()["code"] == "not_a_person"


async def test_me_needs_a_token(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/people/me")

    assert response.status_code == 401
    assert response.json()["code"] == "missing_token"


async def test_a_person_is_still_read_by_id_beside_me_and_reports(
    client: httpx.AsyncClient, admin: Person, as_admin: dict[str, str]
) -> None:
    response = await client.get(f"/v1/people/{admin.id}", headers=as_admin)

    assert response.status_code == 200
    assert response.json()["id"] == str(admin.id)


# --- Reports of many managers ----------------------------------------------------------------


async def test_reports_of_several_managers_come_grouped_in_the_order_asked(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    lead, other, idle = [await create_person(session) for _ in range(3)]
    first = await create_person(session, manager_id=lead.id)
    second = await create_person(session, manager_id=lead.id)
    third = await create_person(session, manager_id=other.id)
    missing = unknown_id()

    response = await client.get(reports_url(other.id, lead.id, idle.id, missing), headers=as_admin)

    assert response.status_code == 200
    groups = response.json()["groups"]
    assert [group["manager_id"] for group in groups] == [
        str(other.id),
        str(lead.id),
        str(idle.id),
        str(missing),
    ]
    assert [ids(group["items"]) for group in groups] == [
        [str(third.id)],
        [str(first.id), str(second.id)],
        [],
        [],
    ]
    assert [(group["has_more"], group["next_cursor"]) for group in groups] == [(False, None)] * 4


async def test_each_manager_gets_at_most_per_manager_reports_and_a_cursor_for_the_rest(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    big, small = await create_person(session), await create_person(session)
    big_reports = [await create_person(session, manager_id=big.id) for _ in range(5)]
    small_reports = [await create_person(session, manager_id=small.id) for _ in range(2)]

    response = await client.get(reports_url(big.id, small.id, per_manager=2), headers=as_admin)

    assert response.status_code == 200
    big_group, small_group = response.json()["groups"]
    assert ids(big_group["items"]) == [str(person.id) for person in big_reports[:2]]
    assert ids(small_group["items"]) == [str(person.id) for person in small_reports]
    assert (big_group["has_more"], small_group["has_more"]) == (True, False)
    assert small_group["next_cursor"] is None
    rest = await client.get(
        f"/v1/people/{big.id}/reports",
        params={"cursor": big_group["next_cursor"], "limit": 10},
        headers=as_admin,
    )
    assert ids(rest.json()["items"]) == [str(person.id) for person in big_reports[2:]]


async def test_reports_read_in_a_batch_carry_their_teams(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    lead = await create_person(session)
    report = await create_person(session, manager_id=lead.id)
    team = await create_team(session)
    await add_member(session, team, report)

    response = await client.get(reports_url(lead.id), headers=as_admin)

    (group,) = response.json()["groups"]
    assert group["items"][0]["team_ids"] == [str(team.id)]


async def test_a_manager_asked_twice_is_answered_once(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    lead = await create_person(session)
    await create_person(session, manager_id=lead.id)

    response = await client.get(reports_url(lead.id, lead.id), headers=as_admin)

    assert [group["manager_id"] for group in response.json()["groups"]] == [str(lead.id)]


async def test_an_employee_reads_reports_in_a_batch(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    lead = await create_person(session, email="lead@example.com")
    report = await create_person(session, manager_id=lead.id)

    response = await client.get(reports_url(lead.id), headers=tokens.person("lead@example.com"))

    assert response.status_code == 200
    assert ids(response.json()["groups"][0]["items"]) == [str(report.id)]


async def test_a_writing_integration_without_read_scope_is_refused(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    writer = tokens.integration("people:write")

    response = await client.get(reports_url(unknown_id()), headers=writer)

    assert response.status_code == 403


async def test_bad_batch_parameters_are_422(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    too_many = reports_url(*(unknown_id() for _ in range(101)))
    answers = [
        await client.get("/v1/people/by-manager", headers=as_admin),
        await client.get(too_many, headers=as_admin),
        await client.get("/v1/people/by-manager?manager_id=nope", headers=as_admin),
        await client.get(reports_url(unknown_id(), per_manager=0), headers=as_admin),
        await client.get(reports_url(unknown_id(), per_manager=101), headers=as_admin),
    ]

    assert [response.status_code for response in answers] == [422] * 5
    assert [response.json()["code"] for response in answers] == ["validation_failed"] * 5
