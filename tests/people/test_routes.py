"""The people API as its callers see it: status codes, bodies, headers, events. Who may call,
creating, reading and listing people, and the event catalogue; changes to a person, teams, and roles
and skills have modules of their own."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import mint_token
from kit.errors import PROBLEM_JSON
from services.people.models import Person
from services.people.schemas import PersonStatus
from tests.factories import count_rows
from tests.people.factories import (
    add_member,
    create_hr_admin,
    create_person,
    create_role,
    create_team,
    new_person,
    unknown_id,
)
from tests.support import AUTH, Outbox, Tokens, operations, problem_fields

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
    before = await count_rows(session, Person)

    response = await client.post(
        "/v1/people", json=new_person(email=f"{KELVIN}enji.watanabe@example.com"), headers=as_admin
    )

    assert (response.status_code, response.json()["code"]) == (409, "email_taken")
    assert await count_rows(session, Person) == before


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
    before = await count_rows(session, Person)

    response = await client.post("/v1/people", json=new_person(**duplicate), headers=as_admin)

    assert response.status_code == 409
    assert response.json()["code"] == code
    assert await count_rows(session, Person) == before
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
    before = await count_rows(session, Person)

    first = await client.post("/v1/people", json=new_person(), headers=headers)
    again = await client.post("/v1/people", json=new_person(), headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert await count_rows(session, Person) == before + 1
    assert await outbox.types() == ["person.created"]


async def test_a_key_reused_with_another_body_is_422(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    headers = as_admin | {"Idempotency-Key": "create-1"}
    await client.post("/v1/people", json=new_person(), headers=headers)
    before = await count_rows(session, Person)

    response = await client.post(
        "/v1/people", json=new_person(email="grace@example.com"), headers=headers
    )

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert await count_rows(session, Person) == before


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
    found = operations(response.json())
    assert len(found) > 20
    assert [(path, method) for path, method, op in found if not op.get("description")] == []


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
