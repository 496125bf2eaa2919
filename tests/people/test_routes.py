"""The people API as its callers see it: status codes, bodies, headers, events."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import mint_token
from kit.errors import PROBLEM_JSON
from services.people.models import Person
from services.people.schemas import PersonStatus
from tests.conftest import AUTH, Tokens
from tests.people.conftest import Outbox
from tests.people.factories import (
    add_member,
    create_hr_admin,
    create_person,
    create_role,
    create_skill,
    create_team,
    unknown_id,
)


def new_person(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email": "ada.lovelace@example.com",
        "name": "Ada Lovelace",
        "title": "Engineer",
        "locale": "en-GB",
        "time_zone": "Europe/London",
    }
    return body | overrides


def problem_fields(response: httpx.Response) -> set[str]:
    return {error["field"] for error in response.json()["errors"]}


async def people_count(session: AsyncSession) -> int:
    return (await session.exec(select(func.count()).select_from(Person))).one()


# --- Who may call ----------------------------------------------------------------------------


async def test_without_a_token_the_answer_is_401_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/people")

    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["code"] == "missing_token"


@pytest.mark.parametrize(
    ("token", "code"),
    [
        ("not-a-jwt", "unauthorized"),
        (
            mint_token(AUTH, claims={"email": "hana.hr@example.com"}, ttl_seconds=-3600),
            "token_expired",
        ),
    ],
)
async def test_a_bad_token_is_401_problem(
    client: httpx.AsyncClient, admin: Person, token: str, code: str
) -> None:
    response = await client.get("/v1/people", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["code"] == code


async def test_a_token_signed_with_another_key_is_401(
    client: httpx.AsyncClient, admin: Person
) -> None:
    forged = AUTH.model_copy(update={"jwt_secret": AUTH.service_secret})
    token = mint_token(forged, claims={"email": admin.email})

    response = await client.get("/v1/people", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


async def test_a_token_naming_nobody_in_the_directory_is_401(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    response = await client.get("/v1/people", headers=tokens.person("stranger@example.com"))

    assert response.status_code == 401
    assert response.json()["code"] == "unknown_person"


async def test_an_inactive_person_is_refused_with_403(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    leaver = await create_person(session, status=PersonStatus.INACTIVE)

    response = await client.get("/v1/people", headers=tokens.person(leaver.email))

    assert response.status_code == 403
    assert response.json()["code"] == "inactive_person"


async def test_the_email_claim_matches_whatever_its_case(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    await create_person(session, email="mixed.case@example.com")

    response = await client.get("/v1/people", headers=tokens.person("Mixed.Case@Example.COM"))

    assert response.status_code == 200


KELVIN = "\u212a"  # KELVIN SIGN: `str.lower()` and PostgreSQL's `lower()` fold it to "k"


@pytest.mark.parametrize(
    "look_alike",
    [
        f"{KELVIN}enji.watanabe@example.com",
        "kenji.watanabe@example.co\u1e3f",  # m with acute: no fold, but a look-alike anyway
        "\u212bnna@example.com",  # ANGSTROM SIGN, which `lower()` folds to the å below
    ],
)
async def test_a_look_alike_email_claim_names_nobody(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens, look_alike: str
) -> None:
    await create_hr_admin(session, email="kenji.watanabe@example.com", name="Kenji Watanabe")
    await create_hr_admin(session, email="\u00e5nna@example.com", name="Anna")

    response = await client.get("/v1/people/me", headers=tokens.person(look_alike))

    assert (response.status_code, response.json()["code"]) == (401, "unknown_person")


async def test_a_look_alike_of_a_taken_email_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    await create_person(session, email="kenji.watanabe@example.com")
    before = await people_count(session)

    response = await client.post(
        "/v1/people", json=new_person(email=f"{KELVIN}enji.watanabe@example.com"), headers=as_admin
    )

    assert (response.status_code, response.json()["code"]) == (409, "email_taken")
    assert await people_count(session) == before


async def test_a_non_ascii_email_signs_in_exactly_as_written(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    await create_person(session, email="\u00c9milie@example.com", name="\u00c9milie")

    exact = await client.get("/v1/people/me", headers=tokens.person("\u00c9milie@EXAMPLE.com"))
    folded = await client.get("/v1/people/me", headers=tokens.person("\u00e9milie@example.com"))

    assert (exact.status_code, exact.json()["name"]) == (200, "\u00c9milie")
    assert (folded.status_code, folded.json()["code"]) == (401, "unknown_person")


async def test_an_employee_reads_but_may_not_write(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    employee = await create_person(session)
    headers = tokens.person(employee.email)

    read = await client.get(f"/v1/people/{employee.id}", headers=headers)
    write = await client.post("/v1/people", json=new_person(), headers=headers)

    assert read.status_code == 200
    assert write.status_code == 403
    assert write.headers["content-type"] == PROBLEM_JSON
    assert write.json()["code"] == "forbidden"


@pytest.mark.parametrize(
    ("scopes", "read_status", "write_status"),
    [
        ((), 403, 403),
        (("people:read",), 200, 403),
        (("people:write",), 403, 201),
        (("people:read", "people:write"), 200, 201),
    ],
)
async def test_an_integration_needs_the_scope_of_what_it_does(
    client: httpx.AsyncClient,
    tokens: Tokens,
    scopes: tuple[str, ...],
    read_status: int,
    write_status: int,
) -> None:
    headers = tokens.integration(*scopes)

    read = await client.get("/v1/teams", headers=headers)
    write = await client.post("/v1/people", json=new_person(), headers=headers)

    assert (read.status_code, write.status_code) == (read_status, write_status)


async def test_our_services_read_but_do_not_write(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    read = await client.get("/v1/people", headers=tokens.service("goals"))
    write = await client.post("/v1/teams", json={"name": "Core"}, headers=tokens.service("goals"))

    assert (read.status_code, write.status_code) == (200, 403)


# --- Creating and reading people ---------------------------------------------------------


async def test_an_hr_admin_adds_a_person(
    client: httpx.AsyncClient, session: AsyncSession, admin: Person, as_admin: dict[str, str]
) -> None:
    role = await create_role(session, name="Engineer")
    body = new_person(
        manager_id=str(admin.id),
        role_id=str(role.id),
        access_role="employee",
        employee_number="E-042",
        external_id="4711",
        source="personio",
        locale="en_gb",
    )

    created = await client.post("/v1/people", json=body, headers=as_admin)

    assert created.status_code == 201
    person = created.json()
    assert person | {"id": None, "created_at": None, "updated_at": None} == {
        "id": None,
        "email": "ada.lovelace@example.com",
        "name": "Ada Lovelace",
        "title": "Engineer",
        "employee_number": "E-042",
        "external_id": "4711",
        "source": "personio",
        "access_role": "employee",
        "role_id": str(role.id),
        "manager_id": str(admin.id),
        "status": "active",
        "locale": "en-GB",
        "time_zone": "Europe/London",
        "team_ids": [],
        "created_at": None,
        "updated_at": None,
        "version": 1,
    }
    assert created.headers["location"] == f"/v1/people/{person['id']}"
    assert created.headers["etag"] == '"1"'
    fetched = await client.get(created.headers["location"], headers=as_admin)
    assert fetched.json() == person


async def test_a_person_reads_with_their_teams_and_etag(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    person = await create_person(session)
    first, second = await create_team(session), await create_team(session)
    await add_member(session, first, person)
    await add_member(session, second, person)

    response = await client.get(f"/v1/people/{person.id}", headers=as_admin)

    assert response.status_code == 200
    assert response.headers["etag"] == '"1"'
    assert sorted(response.json()["team_ids"]) == sorted([str(first.id), str(second.id)])


async def test_an_unknown_person_is_404(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    missing = unknown_id()

    responses = [
        await client.get(f"/v1/people/{missing}", headers=as_admin),
        await client.patch(
            f"/v1/people/{missing}", json={"name": "X"}, headers=as_admin | {"If-Match": '"1"'}
        ),
        await client.post(f"/v1/people/{missing}/deactivate", headers=as_admin),
        await client.get(f"/v1/people/{missing}/reports", headers=as_admin),
        await client.get(f"/v1/people/{missing}/management-chain", headers=as_admin),
        await client.get(f"/v1/people/{missing}/reporting-lines", headers=as_admin),
    ]

    assert {response.status_code for response in responses} == {404}
    assert {response.json()["code"] for response in responses} == {"person_not_found"}
    assert responses[0].headers["content-type"] == PROBLEM_JSON


async def test_an_id_that_is_no_uuid_is_a_path_that_does_not_exist(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    response = await client.get("/v1/people/42", headers=as_admin)

    # Ids are matched as UUIDs, so that `/…/me` or `/…/by-owner` never reach an id's route.
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_JSON


async def test_each_bad_field_is_listed(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    body = {
        "email": "not-an-email",
        "name": False,
        "locale": 12,
        "time_zone": "Mars/Olympus_Mons",
        "access_role": "boss",
        "manager_id": 7,
        "nickname": "Ada",
    }

    response = await client.post("/v1/people", json=body, headers=as_admin)

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["code"] == "validation_failed"
    assert problem_fields(response) == {
        "body.email",
        "body.name",
        "body.locale",
        "body.time_zone",
        "body.access_role",
        "body.manager_id",
        "body.nickname",
    }


async def test_a_body_that_is_no_json_is_422(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    response = await client.post(
        "/v1/people",
        content=b'{"email": ',
        headers=as_admin | {"Content-Type": "application/json"},
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON


async def test_an_external_id_needs_its_source(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    response = await client.post(
        "/v1/people", json=new_person(external_id="4711"), headers=as_admin
    )

    assert response.status_code == 422
    assert response.json()["code"] == "external_id_without_source"
    assert problem_fields(response) == {"body.source"}


@pytest.mark.parametrize(
    ("existing", "duplicate", "code"),
    [
        ({"email": "ada@example.com"}, {"email": "ADA@example.com"}, "email_taken"),
        ({"employee_number": "E-1"}, {"employee_number": "E-1"}, "employee_number_taken"),
        (
            {"external_id": "4711", "source": "personio"},
            {"external_id": "4711", "source": "personio"},
            "external_id_taken",
        ),
    ],
)
async def test_a_duplicate_is_409_and_nothing_is_saved(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    as_admin: dict[str, str],
    existing: dict[str, str],
    duplicate: dict[str, str],
    code: str,
) -> None:
    await create_person(session, **existing)
    before = await people_count(session)

    response = await client.post("/v1/people", json=new_person(**duplicate), headers=as_admin)

    assert response.status_code == 409
    assert response.json()["code"] == code
    assert await people_count(session) == before
    assert await outbox.events() == []


async def test_the_same_hris_id_from_another_source_is_someone_else(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    await create_person(session, external_id="4711", source="personio")

    response = await client.post(
        "/v1/people", json=new_person(external_id="4711", source="workday"), headers=as_admin
    )

    assert response.status_code == 201


async def test_a_manager_must_exist_and_be_active(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    leaver = await create_person(session, status=PersonStatus.INACTIVE)

    unknown = await client.post(
        "/v1/people", json=new_person(manager_id=str(unknown_id())), headers=as_admin
    )
    inactive = await client.post(
        "/v1/people", json=new_person(manager_id=str(leaver.id)), headers=as_admin
    )

    assert unknown.status_code == 422
    assert unknown.json()["code"] == "unknown_manager"
    assert problem_fields(unknown) == {"body.manager_id"}
    assert inactive.status_code == 409
    assert inactive.json()["code"] == "manager_inactive"


# --- Idempotent creation -----------------------------------------------------------------


async def test_a_retried_creation_is_replayed_not_repeated(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, as_admin: dict[str, str]
) -> None:
    headers = as_admin | {"Idempotency-Key": "create-ada-1"}
    before = await people_count(session)

    first = await client.post("/v1/people", json=new_person(), headers=headers)
    again = await client.post("/v1/people", json=new_person(), headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert await people_count(session) == before + 1
    assert await outbox.types() == ["person.created"]


async def test_a_key_reused_with_another_body_is_422(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    headers = as_admin | {"Idempotency-Key": "create-1"}
    await client.post("/v1/people", json=new_person(), headers=headers)
    before = await people_count(session)

    response = await client.post(
        "/v1/people", json=new_person(email="grace@example.com"), headers=headers
    )

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert await people_count(session) == before


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


# --- Listing people ----------------------------------------------------------------------


async def test_pages_cover_everyone_once(
    client: httpx.AsyncClient, session: AsyncSession, admin: Person, as_admin: dict[str, str]
) -> None:
    people = [admin] + [await create_person(session) for _ in range(25)]

    seen: list[str] = []
    pages = 0
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 7} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/v1/people", params=params, headers=as_admin)).json()
        seen += [person["id"] for person in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert seen == [str(person.id) for person in people]
    assert pages == 4


async def test_a_batch_read_returns_the_people_asked_for(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    first, _, third = [await create_person(session) for _ in range(3)]

    response = await client.get(
        "/v1/people",
        params={"id": [str(third.id), str(unknown_id()), str(first.id)]},
        headers=as_admin,
    )

    assert response.status_code == 200
    assert [person["id"] for person in response.json()["items"]] == [str(third.id), str(first.id)]
    assert response.json()["next_cursor"] is None


async def test_a_batch_of_more_than_100_ids_is_422(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    ids = [str(unknown_id()) for _ in range(101)]

    response = await client.get("/v1/people", params={"id": ids}, headers=as_admin)

    assert response.status_code == 422
    assert problem_fields(response) == {"query.id"}


async def test_people_are_filtered(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    boss = await create_person(session, name="Boss")
    await create_person(session, name="Ada Lovelace", manager_id=boss.id)
    grace = await create_person(session, name="Grace Hopper", email="grace_h@navy.example")
    await create_person(session, name="Leaver", status=PersonStatus.INACTIVE)
    team = await create_team(session)
    await add_member(session, team, grace)

    async def names(**params: str) -> list[str]:
        response = await client.get("/v1/people", params=params, headers=as_admin)
        assert response.status_code == 200
        return [person["name"] for person in response.json()["items"]]

    assert await names(manager_id=str(boss.id)) == ["Ada Lovelace"]
    assert await names(team_id=str(team.id)) == ["Grace Hopper"]
    assert await names(status="inactive") == ["Leaver"]
    assert await names(q="LOVELACE") == ["Ada Lovelace"]
    assert await names(q="navy.example") == ["Grace Hopper"]
    assert await names(q="_h@") == ["Grace Hopper"]
    assert await names(q="%") == []


async def test_people_updated_since(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    await create_person(session, name="Old", updated_at=long_ago)
    await create_person(session, name="Recent")
    since = (datetime.now(UTC) - timedelta(hours=1)).isoformat()

    response = await client.get("/v1/people", params={"updated_since": since}, headers=as_admin)
    naive = await client.get(
        "/v1/people", params={"updated_since": "2024-01-01T00:00:00"}, headers=as_admin
    )

    names = [person["name"] for person in response.json()["items"]]
    assert "Recent" in names
    assert "Old" not in names
    assert naive.status_code == 422
    assert problem_fields(naive) == {"query.updated_since"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "0"}, "query.limit"),
        ({"limit": "false"}, "query.limit"),
        ({"limit": "201"}, "query.limit"),
        ({"cursor": "not-a-cursor"}, "query.cursor"),
        ({"status": "retired"}, "query.status"),
    ],
)
async def test_bad_list_parameters_are_422(
    client: httpx.AsyncClient, as_admin: dict[str, str], params: dict[str, str], field: str
) -> None:
    response = await client.get("/v1/people", params=params, headers=as_admin)

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    assert problem_fields(response) == {field}


# --- Teams -------------------------------------------------------------------------------


async def test_teams_are_created_nested_and_listed(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, as_admin: dict[str, str]
) -> None:
    lead = await create_person(session)

    department = await client.post(
        "/v1/teams", json={"name": "Engineering", "kind": "department"}, headers=as_admin
    )
    team = await client.post(
        "/v1/teams",
        json={"name": "Core", "parent_id": department.json()["id"], "lead_id": str(lead.id)},
        headers=as_admin,
    )
    sub_teams = await client.get(f"/v1/teams/{department.json()['id']}/sub-teams", headers=as_admin)
    batch = await client.get(
        "/v1/teams",
        params={"id": [team.json()["id"], department.json()["id"]]},
        headers=as_admin,
    )

    assert (department.status_code, team.status_code) == (201, 201)
    assert team.json() | {"id": None, "created_at": None, "updated_at": None} == {
        "id": None,
        "name": "Core",
        "kind": "team",
        "parent_id": department.json()["id"],
        "lead_id": str(lead.id),
        "created_at": None,
        "updated_at": None,
        "version": 1,
    }
    assert team.headers["location"] == f"/v1/teams/{team.json()['id']}"
    assert [sub["name"] for sub in sub_teams.json()["items"]] == ["Core"]
    assert [found["name"] for found in batch.json()["items"]] == ["Core", "Engineering"]
    assert await outbox.events() == [
        (
            "team.created",
            {
                "id": department.json()["id"],
                "name": "Engineering",
                "kind": "department",
                "parent_id": None,
                "lead_id": None,
            },
        ),
        (
            "team.created",
            {
                "id": team.json()["id"],
                "name": "Core",
                "kind": "team",
                "parent_id": department.json()["id"],
                "lead_id": str(lead.id),
            },
        ),
    ]


async def test_a_team_cannot_sit_under_itself(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    top = await create_team(session)
    middle = await create_team(session, parent_id=top.id)
    bottom = await create_team(session, parent_id=middle.id)

    itself = await client.patch(
        f"/v1/teams/{top.id}",
        json={"parent_id": str(top.id)},
        headers=as_admin | {"If-Match": '"1"'},
    )
    loop = await client.patch(
        f"/v1/teams/{top.id}",
        json={"parent_id": str(bottom.id)},
        headers=as_admin | {"If-Match": '"1"'},
    )
    unknown = await client.patch(
        f"/v1/teams/{top.id}",
        json={"parent_id": str(unknown_id())},
        headers=as_admin | {"If-Match": '"1"'},
    )

    assert (itself.status_code, itself.json()["code"]) == (409, "team_cycle")
    assert (loop.status_code, loop.json()["code"]) == (409, "team_cycle")
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_parent")


async def test_a_team_update_needs_if_match_and_announces_itself(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, as_admin: dict[str, str]
) -> None:
    team = await create_team(session, name="Core")
    lead = await create_person(session)

    missing = await client.patch(
        f"/v1/teams/{team.id}", json={"name": "Platform"}, headers=as_admin
    )
    updated = await client.patch(
        f"/v1/teams/{team.id}",
        json={"name": "Platform", "lead_id": str(lead.id), "kind": "group"},
        headers=as_admin | {"If-Match": '"1"'},
    )

    assert missing.status_code == 428
    assert updated.status_code == 200
    assert (updated.json()["name"], updated.json()["kind"], updated.json()["version"]) == (
        "Platform",
        "group",
        2,
    )
    assert updated.headers["etag"] == '"2"'
    assert await outbox.types() == ["team.updated"]


async def test_a_deactivated_person_cannot_lead_a_team(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    leaver = await create_person(session, status=PersonStatus.INACTIVE)

    response = await client.post(
        "/v1/teams", json={"name": "Core", "lead_id": str(leaver.id)}, headers=as_admin
    )

    assert (response.status_code, response.json()["code"]) == (409, "lead_inactive")


async def test_members_join_and_leave(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, as_admin: dict[str, str]
) -> None:
    team = await create_team(session)
    person = await create_person(session)
    members_url = f"/v1/teams/{team.id}/members"

    added = await client.post(
        members_url,
        json={"person_id": str(person.id), "since": "2024-03-01T09:00:00+01:00"},
        headers=as_admin,
    )
    twice = await client.post(members_url, json={"person_id": str(person.id)}, headers=as_admin)
    members = await client.get(members_url, headers=as_admin)
    removed = await client.delete(f"{members_url}/{person.id}", headers=as_admin)
    gone = await client.delete(f"{members_url}/{person.id}", headers=as_admin)
    after = await client.get(members_url, headers=as_admin)

    assert added.status_code == 201
    assert added.json() == {
        "team_id": str(team.id),
        "person_id": str(person.id),
        "since": "2024-03-01T08:00:00Z",
    }
    assert (twice.status_code, twice.json()["code"]) == (409, "already_member")
    assert [member["id"] for member in members.json()["items"]] == [str(person.id)]
    assert removed.status_code == 204
    assert (gone.status_code, gone.json()["code"]) == (404, "membership_not_found")
    assert after.json()["items"] == []
    assert await outbox.types() == ["team.member_added", "team.member_removed"]


async def test_an_inactive_or_unknown_person_cannot_join_a_team(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    team = await create_team(session)
    leaver = await create_person(session, status=PersonStatus.INACTIVE)
    url = f"/v1/teams/{team.id}/members"

    inactive = await client.post(url, json={"person_id": str(leaver.id)}, headers=as_admin)
    unknown = await client.post(url, json={"person_id": str(unknown_id())}, headers=as_admin)
    no_team = await client.post(
        f"/v1/teams/{unknown_id()}/members", json={"person_id": str(leaver.id)}, headers=as_admin
    )

    assert (inactive.status_code, inactive.json()["code"]) == (409, "person_inactive")
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_person")
    assert (no_team.status_code, no_team.json()["code"]) == (404, "team_not_found")


async def test_only_an_empty_team_is_deleted(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, as_admin: dict[str, str]
) -> None:
    with_member = await create_team(session)
    await add_member(session, with_member, await create_person(session))
    with_sub_team = await create_team(session)
    await create_team(session, parent_id=with_sub_team.id)
    empty = await create_team(session, name="Empty")

    refused = [
        await client.delete(f"/v1/teams/{with_member.id}", headers=as_admin),
        await client.delete(f"/v1/teams/{with_sub_team.id}", headers=as_admin),
    ]
    deleted = await client.delete(f"/v1/teams/{empty.id}", headers=as_admin)
    gone = await client.get(f"/v1/teams/{empty.id}", headers=as_admin)

    assert [(r.status_code, r.json()["code"]) for r in refused] == [(409, "team_not_empty")] * 2
    assert deleted.status_code == 204
    assert gone.status_code == 404
    assert await outbox.events() == [
        (
            "team.deleted",
            {
                "id": str(empty.id),
                "name": "Empty",
                "kind": "team",
                "parent_id": None,
                "lead_id": None,
            },
        )
    ]


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


# --- Events and the catalogue ------------------------------------------------------------


async def test_a_new_person_is_announced_with_what_org_copies_need(
    client: httpx.AsyncClient,
    session: AsyncSession,
    outbox: Outbox,
    admin: Person,
    as_admin: dict[str, str],
) -> None:
    created = await client.post(
        "/v1/people",
        json=new_person(manager_id=str(admin.id), employee_number="E-9"),
        headers=as_admin,
    )

    events = await outbox.events()
    assert [type_ for type_, _ in events] == ["person.created", "person.manager_changed"]
    assert events[0][1] == {
        "id": created.json()["id"],
        "email": "ada.lovelace@example.com",
        "employee_number": "E-9",
        "external_id": None,
        "source": None,
        "name": "Ada Lovelace",
        "title": "Engineer",
        "access_role": "employee",
        "role_id": None,
        "manager_id": str(admin.id),
        "team_ids": [],
        "status": "active",
        "locale": "en-GB",
        "time_zone": "Europe/London",
    }


async def test_the_event_catalogue_lists_what_the_directory_publishes(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    response = await client.get("/v1/event-types", headers=as_admin)

    assert response.status_code == 200
    assert [event["name"] for event in response.json()] == [
        "person.created",
        "person.deactivated",
        "person.manager_changed",
        "person.reactivated",
        "person.updated",
        "team.created",
        "team.deleted",
        "team.member_added",
        "team.member_removed",
        "team.updated",
    ]


async def test_the_openapi_document_describes_every_operation(client: httpx.AsyncClient) -> None:
    response = await client.get("/openapi.json")

    assert response.status_code == 200
    operations = [
        (path, method, operation)
        for path, methods in response.json()["paths"].items()
        for method, operation in methods.items()
    ]
    assert len(operations) > 20
    assert [(path, method) for path, method, op in operations if not op.get("description")] == []


async def test_a_uuid_string_in_a_body_is_ordinary_json(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    team = await create_team(session)
    person = await create_person(session)

    response = await client.post(
        f"/v1/teams/{team.id}/members",
        content=f'{{"person_id": "{person.id}", "since": "2025-01-02T03:04:05Z"}}'.encode(),
        headers=as_admin | {"Content-Type": "application/json"},
    )

    assert response.status_code == 201
    assert uuid.UUID(response.json()["person_id"]) == person.id
