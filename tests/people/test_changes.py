"""A person changed as callers see it: updates with the current ETag, managers and reporting lines
without loops, and deactivation."""

from __future__ import annotations

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import mint_token
from services.people.models import Person
from services.people.schemas import PersonStatus
from tests.people.factories import (
    create_hr_admin,
    create_person,
    new_person,
)
from tests.support import AUTH, Outbox, Tokens, problem_fields

# --- Updating people ---------------------------------------------------------------------


async def test_an_update_needs_the_current_etag(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    person = await create_person(session)
    url = f"/v1/people/{person.id}"
    etag = (await client.get(url, headers=as_admin)).headers["etag"]

    missing = await client.patch(url, json={"title": "Lead"}, headers=as_admin)
    updated = await client.patch(url, json={"title": "Lead"}, headers=as_admin | {"If-Match": etag})
    stale = await client.patch(url, json={"title": "Chief"}, headers=as_admin | {"If-Match": etag})

    assert missing.status_code == 428
    assert missing.json()["code"] == "if_match_required"
    assert updated.status_code == 200
    assert updated.json()["title"] == "Lead"
    assert updated.json()["version"] == 2
    assert updated.headers["etag"] == '"2"'
    assert stale.status_code == 412
    assert stale.json()["code"] == "stale_version"
    assert (await client.get(url, headers=as_admin)).json()["title"] == "Lead"


async def test_an_update_changes_only_what_is_sent(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, as_admin: dict[str, str]
) -> None:
    person = await create_person(session, title="Engineer", employee_number="E-7")

    response = await client.patch(
        f"/v1/people/{person.id}",
        json={"title": None, "time_zone": "America/New_York"},
        headers=as_admin | {"If-Match": '"1"'},
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["time_zone"], body["employee_number"]) == (
        None,
        "America/New_York",
        "E-7",
    )
    [(type_, payload)] = await outbox.events()
    assert type_ == "person.updated"
    assert payload["changed"] == ["time_zone", "title"]
    assert payload["time_zone"] == "America/New_York"


async def test_an_update_that_changes_nothing_keeps_the_version(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, as_admin: dict[str, str]
) -> None:
    person = await create_person(session, name="Ada")

    response = await client.patch(
        f"/v1/people/{person.id}", json={"name": "Ada"}, headers=as_admin | {"If-Match": '"1"'}
    )

    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert await outbox.events() == []


async def test_required_fields_cannot_be_cleared(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    person = await create_person(session)

    response = await client.patch(
        f"/v1/people/{person.id}",
        json={"email": None, "name": None, "level": 3},
        headers=as_admin | {"If-Match": '"1"'},
    )

    assert response.status_code == 422
    assert problem_fields(response) == {"body.email", "body.name", "body.level"}


async def test_an_email_taken_by_someone_else_is_409_on_update(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, as_admin: dict[str, str]
) -> None:
    await create_person(session, email="taken@example.com")
    person = await create_person(session, email="mine@example.com")

    taken = await client.patch(
        f"/v1/people/{person.id}",
        json={"email": "Taken@example.com"},
        headers=as_admin | {"If-Match": '"1"'},
    )
    own_in_capitals = await client.patch(
        f"/v1/people/{person.id}",
        json={"email": "Mine@Example.com"},
        headers=as_admin | {"If-Match": '"1"'},
    )

    assert taken.status_code == 409
    assert taken.json()["errors"] == [
        {
            "field": "body.email",
            "message": "Another person has this email address.",
            "code": "email_taken",
        }
    ]
    assert own_in_capitals.status_code == 200
    assert await outbox.types() == ["person.updated"]


# --- Managers and reporting lines ----------------------------------------------------------


async def test_a_manager_change_is_recorded_in_the_history(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    admin: Person,
    as_admin: dict[str, str],
) -> None:
    first, second = await create_person(session), await create_person(session)
    created = await client.post(
        "/v1/people", json=new_person(manager_id=str(first.id)), headers=as_admin
    )
    person_id = created.json()["id"]

    moved = await client.patch(
        f"/v1/people/{person_id}",
        json={"manager_id": str(second.id)},
        headers=as_admin | {"If-Match": created.headers["etag"]},
    )
    history = await client.get(f"/v1/people/{person_id}/reporting-lines", headers=as_admin)

    assert moved.status_code == 200
    assert moved.json()["manager_id"] == str(second.id)
    lines = history.json()["items"]
    assert [line["manager_id"] for line in lines] == [str(first.id), str(second.id)]
    assert [line["changed_by"] for line in lines] == [
        {"kind": "person", "person_id": str(admin.id), "name": "Hana HR"}
    ] * 2
    assert await outbox.types() == [
        "person.created",
        "person.manager_changed",
        "person.updated",
        "person.manager_changed",
    ]
    _, change = (await outbox.events())[-1]
    assert change | {"effective_at": None} == {
        "person_id": person_id,
        "old_manager_id": str(first.id),
        "new_manager_id": str(second.id),
        "effective_at": None,
    }


async def test_the_history_names_whoever_changed_it_never_their_token(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    hana = await create_hr_admin(session, email="hana@example.com", name="Hana Hoshino")
    # Her identity provider's subject: an account id, not something colleagues should see.
    hanas_token = mint_token(AUTH, claims={"sub": "idp|8f3a-hana", "email": hana.email})
    first, second = await create_person(session), await create_person(session)
    person = await create_person(session)
    etag = '"1"'
    for manager, headers in [
        (first, {"Authorization": f"Bearer {hanas_token}"}),
        (second, tokens.integration("people:write")),
    ]:
        moved = await client.patch(
            f"/v1/people/{person.id}",
            json={"manager_id": str(manager.id)},
            headers=headers | {"If-Match": etag},
        )
        etag = moved.headers["etag"]

    history = await client.get(
        f"/v1/people/{person.id}/reporting-lines", headers=tokens.person(first.email)
    )

    assert history.status_code == 200
    assert [line["changed_by"] for line in history.json()["items"]] == [
        {"kind": "person", "person_id": str(hana.id), "name": "Hana Hoshino"},
        {"kind": "integration", "person_id": None, "name": "hris"},
    ]
    assert "idp|" not in history.text


async def test_reports_and_management_chain(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    ceo = await create_person(session, name="Ceo")
    cto = await create_person(session, name="Cto", manager_id=ceo.id)
    lead = await create_person(session, name="Lead", manager_id=cto.id)
    engineer = await create_person(session, name="Engineer", manager_id=lead.id)
    designer = await create_person(session, name="Designer", manager_id=lead.id)

    chain = await client.get(f"/v1/people/{engineer.id}/management-chain", headers=as_admin)
    reports = await client.get(f"/v1/people/{lead.id}/reports", headers=as_admin)
    top = await client.get(f"/v1/people/{ceo.id}/management-chain", headers=as_admin)

    assert [person["name"] for person in chain.json()] == ["Lead", "Cto", "Ceo"]
    assert [person["id"] for person in reports.json()["items"]] == [
        str(engineer.id),
        str(designer.id),
    ]
    assert top.json() == []


async def test_no_one_manages_themselves_or_their_own_managers(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, as_admin: dict[str, str]
) -> None:
    top = await create_person(session)
    middle = await create_person(session, manager_id=top.id)
    bottom = await create_person(session, manager_id=middle.id)

    themselves = await client.patch(
        f"/v1/people/{top.id}",
        json={"manager_id": str(top.id)},
        headers=as_admin | {"If-Match": '"1"'},
    )
    loop = await client.patch(
        f"/v1/people/{top.id}",
        json={"manager_id": str(bottom.id)},
        headers=as_admin | {"If-Match": '"1"'},
    )

    assert (themselves.status_code, themselves.json()["code"]) == (409, "own_manager")
    assert (loop.status_code, loop.json()["code"]) == (409, "management_cycle")
    assert problem_fields(loop) == {"body.manager_id"}
    assert (await client.get(f"/v1/people/{top.id}", headers=as_admin)).json()["manager_id"] is None
    assert await outbox.events() == []


async def test_a_deactivated_person_cannot_become_a_manager(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    person = await create_person(session)
    leaver = await create_person(session, status=PersonStatus.INACTIVE)

    response = await client.patch(
        f"/v1/people/{person.id}",
        json={"manager_id": str(leaver.id)},
        headers=as_admin | {"If-Match": '"1"'},
    )

    assert response.status_code == 409
    assert response.json()["code"] == "manager_inactive"


# --- Deactivation ------------------------------------------------------------------------


async def test_a_deactivated_person_can_no_longer_sign_in_until_reactivated(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    tokens: Tokens,
    as_admin: dict[str, str],
) -> None:
    person = await create_person(session)

    deactivated = await client.post(f"/v1/people/{person.id}/deactivate", headers=as_admin)
    refused = await client.get("/v1/people", headers=tokens.person(person.email))
    twice = await client.post(f"/v1/people/{person.id}/deactivate", headers=as_admin)
    reactivated = await client.post(f"/v1/people/{person.id}/reactivate", headers=as_admin)
    welcome = await client.get("/v1/people", headers=tokens.person(person.email))

    assert deactivated.status_code == 200
    assert deactivated.json()["status"] == "inactive"
    assert deactivated.headers["etag"] == '"2"'
    assert refused.status_code == 403
    assert (twice.status_code, twice.json()["code"]) == (409, "already_inactive")
    assert reactivated.json()["status"] == "active"
    assert welcome.status_code == 200
    assert await outbox.types() == ["person.deactivated", "person.reactivated"]
    _, payload = (await outbox.events())[0]
    assert (payload["id"], payload["status"]) == (str(person.id), "inactive")


async def test_an_hr_admin_cannot_deactivate_themselves(
    client: httpx.AsyncClient, admin: Person, as_admin: dict[str, str]
) -> None:
    response = await client.post(f"/v1/people/{admin.id}/deactivate", headers=as_admin)

    assert (response.status_code, response.json()["code"]) == (409, "self_deactivation")
