"""The kit as a client of any service sees it: auth, errors, pagination, ETags, idempotency,
events. Fast tier: each test's writes are rolled back."""

from __future__ import annotations

import logging
import time
import uuid

import httpx
import jwt
import pytest
from prometheus_client import REGISTRY
from sqlmodel import select

from kit.auth import ROLE_CLAIM, mint_token
from kit.db import Database
from kit.events import OutboxEvent
from kit.observability import client_hooks, request_id_var
from kit.policies import route_actions, unguarded_routes
from kit.settings import ServiceSettings
from tests.kit.toy import create_toy_app
from tests.kit.toy_databases import add_member, toy_app
from tests.support import AUTH, Tokens

PROBLEM = "application/problem+json"


@pytest.fixture
async def alice(toy_db: Database, tokens: Tokens) -> dict[str, str]:
    await add_member(toy_db, "alice@example.com")
    return tokens.person("alice@example.com")


async def test_no_token_is_401_problem(toy_client: httpx.AsyncClient) -> None:
    response = await toy_client.get("/v1/notes")

    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["code"] == "missing_token"


@pytest.mark.parametrize(
    ("token", "code"),
    [
        ("not-a-jwt", "unauthorized"),
        (
            jwt.encode({"email": "alice@example.com"}, "wrong-secret-wrong-secret-wrong-secret"),
            "invalid_token",
        ),
        (
            mint_token(AUTH, claims={"email": "alice@example.com"}, ttl_seconds=-3600),
            "token_expired",
        ),
        (
            mint_token(AUTH, claims={"email": "alice@example.com", "aud": "someone-else"}),
            "invalid_token",
        ),
        (
            jwt.encode(
                {
                    "email": "alice@example.com",
                    "iss": "inspire",
                    "aud": "inspire",
                    "exp": time.time() + 60,
                },
                key="",
                algorithm="none",
            ),
            "invalid_token",
        ),
    ],
)
async def test_bad_tokens_are_401(
    toy_client: httpx.AsyncClient, alice: dict[str, str], token: str, code: str
) -> None:
    response = await toy_client.get("/v1/notes", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 401
    assert response.json()["code"] == code


async def test_unknown_person_is_401_and_inactive_person_403(
    toy_client: httpx.AsyncClient, toy_db: Database, tokens: Tokens
) -> None:
    await add_member(toy_db, "gone@example.com", active=False)

    unknown = await toy_client.get("/v1/notes", headers=tokens.person("nobody@example.com"))
    inactive = await toy_client.get("/v1/notes", headers=tokens.person("gone@example.com"))

    assert (unknown.status_code, unknown.json()["code"]) == (401, "unknown_person")
    assert (inactive.status_code, inactive.json()["code"]) == (403, "inactive_person")


async def test_validation_errors_list_each_field(
    toy_client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    response = await toy_client.post(
        "/v1/notes", json={"title": "", "count": False, "extra": 1}, headers=alice
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"body.title", "body.count", "body.extra"}


async def test_unparsable_json_is_422_not_400(
    toy_client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    response = await toy_client.post(
        "/v1/notes", content=b"{nope", headers={**alice, "Content-Type": "application/json"}
    )

    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"


async def test_unknown_route_and_method_are_problems(
    toy_client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    missing = await toy_client.get("/v1/nothing-here", headers=alice)
    wrong_method = await toy_client.put("/v1/notes", headers=alice)

    on_one_note = await toy_client.put(f"/v1/notes/{uuid.uuid4()}", headers=alice)

    assert (missing.status_code, missing.headers["content-type"]) == (404, PROBLEM)
    assert (wrong_method.status_code, wrong_method.headers["content-type"]) == (405, PROBLEM)
    # Every method the path takes, though they come from two routes
    assert wrong_method.headers["allow"] == "GET, POST"
    assert on_one_note.headers["allow"] == "GET, PATCH"


async def test_unexpected_error_is_a_500_problem_without_internals(
    toy_db: Database, alice: dict[str, str]
) -> None:
    app = toy_app(toy_db)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://toy") as client:
        response = await client.get("/v1/boom", headers=alice)

    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    assert "RuntimeError" not in response.text


async def test_pages_have_no_gaps_or_duplicates(
    toy_client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    created = set()
    for n in range(23):
        response = await toy_client.post("/v1/notes", json={"title": f"note {n}"}, headers=alice)
        created.add(response.json()["id"])

    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 5}
        if cursor:
            params["cursor"] = cursor
        page = (await toy_client.get("/v1/notes", params=params, headers=alice)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert len(seen) == len(set(seen)) == 23
    assert set(seen) == created


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 201}, {"limit": "many"}, {"cursor": "garbage!"}]
)
async def test_bad_page_parameters_are_422(
    toy_client: httpx.AsyncClient, alice: dict[str, str], params: dict[str, object]
) -> None:
    response = await toy_client.get("/v1/notes", params=params, headers=alice)  # type: ignore[arg-type]

    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM


async def test_batch_read_by_ids(toy_client: httpx.AsyncClient, alice: dict[str, str]) -> None:
    ids = [
        (await toy_client.post("/v1/notes", json={"title": t}, headers=alice)).json()["id"]
        for t in ("a", "b", "c")
    ]

    response = await toy_client.get(
        "/v1/notes/batch", params=[("id", ids[0]), ("id", ids[2])], headers=alice
    )
    too_many = await toy_client.get(
        "/v1/notes/batch", params=[("id", str(uuid.uuid4())) for _ in range(101)], headers=alice
    )

    assert {note["title"] for note in response.json()} == {"a", "c"}
    assert too_many.status_code == 422


async def test_etag_guards_concurrent_edits(
    toy_client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    note = (await toy_client.post("/v1/notes", json={"title": "draft"}, headers=alice)).json()
    url = f"/v1/notes/{note['id']}"
    read = await toy_client.get(url, headers=alice)
    tag = read.headers["etag"]

    missing = await toy_client.patch(url, json={"title": "x"}, headers=alice)
    first = await toy_client.patch(url, json={"title": "one"}, headers={**alice, "If-Match": tag})
    stale = await toy_client.patch(url, json={"title": "two"}, headers={**alice, "If-Match": tag})

    assert (missing.status_code, missing.json()["code"]) == (428, "if_match_required"), missing.text
    assert first.status_code == 200
    assert first.headers["etag"] != tag
    assert (stale.status_code, stale.json()["code"]) == (412, "stale_version")


async def test_object_level_policy(
    toy_client: httpx.AsyncClient, toy_db: Database, tokens: Tokens, alice: dict[str, str]
) -> None:
    await add_member(toy_db, "bob@example.com")
    await add_member(toy_db, "hr@example.com", hr_admin=True)
    note = (await toy_client.post("/v1/notes", json={"title": "mine"}, headers=alice)).json()
    url = f"/v1/notes/{note['id']}"

    def edit(headers: dict[str, str]) -> dict[str, str]:
        return {**headers, "If-Match": "*"}

    by_bob = await toy_client.patch(
        url, json={"title": "b"}, headers=edit(tokens.person("bob@example.com"))
    )
    by_hr = await toy_client.patch(
        url, json={"title": "h"}, headers=edit(tokens.person("hr@example.com"))
    )
    by_service = await toy_client.patch(url, json={"title": "s"}, headers=edit(tokens.service()))

    assert by_bob.status_code == 403
    assert by_hr.status_code == 200
    assert by_service.status_code == 403


async def test_integration_needs_its_scope(toy_client: httpx.AsyncClient, tokens: Tokens) -> None:
    without = await toy_client.post(
        "/v1/notes", json={"title": "x"}, headers=tokens.integration("other")
    )
    with_scope = await toy_client.post(
        "/v1/notes", json={"title": "x"}, headers=tokens.integration("notes:write")
    )

    assert without.status_code == 403
    assert with_scope.status_code == 201


async def test_idempotent_replay(
    toy_client: httpx.AsyncClient, toy_db: Database, alice: dict[str, str]
) -> None:
    headers = {**alice, "Idempotency-Key": "create-note-1"}

    first = await toy_client.post("/v1/notes", json={"title": "once"}, headers=headers)
    again = await toy_client.post("/v1/notes", json={"title": "once"}, headers=headers)
    other_body = await toy_client.post("/v1/notes", json={"title": "twice"}, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert (other_body.status_code, other_body.json()["code"]) == (422, "idempotency_key_reused")
    listed = (await toy_client.get("/v1/notes", headers=alice)).json()["items"]
    assert [note["title"] for note in listed] == ["once"]


def without_sub(email: str) -> dict[str, str]:
    """A person's token that names them by email and carries no `sub` (the claim is optional)."""
    return {"Authorization": f"Bearer {mint_token(AUTH, claims={'email': email})}"}


async def test_an_idempotency_key_never_replays_another_persons_response(
    toy_client: httpx.AsyncClient, toy_db: Database
) -> None:
    await add_member(toy_db, "alice@example.com")
    await add_member(toy_db, "bob@example.com")
    key = {"Idempotency-Key": "note-1"}

    alices = await toy_client.post(
        "/v1/notes", json={"title": "mine"}, headers=without_sub("alice@example.com") | key
    )
    bobs = await toy_client.post(
        "/v1/notes", json={"title": "mine"}, headers=without_sub("bob@example.com") | key
    )

    assert alices.status_code == bobs.status_code == 201
    assert "idempotent-replayed" not in bobs.headers
    assert bobs.json()["id"] != alices.json()["id"]


def integration(sub: str, *scopes: str) -> dict[str, str]:
    claims = {"sub": sub, ROLE_CLAIM: "integration", "scope": " ".join(scopes)}
    return {"Authorization": f"Bearer {mint_token(AUTH, claims=claims)}"}


@pytest.mark.parametrize("replayer", ["hris", "another-tool"])
async def test_an_idempotency_key_replays_only_to_whom_may_make_the_request(
    toy_client: httpx.AsyncClient, replayer: str
) -> None:
    key = {"Idempotency-Key": "sync-1"}
    written = await toy_client.post(
        "/v1/notes", json={"title": "synced"}, headers=integration("hris", "notes:write") | key
    )

    replayed = await toy_client.post(
        "/v1/notes", json={"title": "synced"}, headers=integration(replayer) | key
    )

    assert written.status_code == 201
    assert replayed.status_code == 403
    assert written.json()["id"] not in replayed.text


async def test_an_integration_token_without_a_subject_is_refused(
    toy_client: httpx.AsyncClient,
) -> None:
    claims = {ROLE_CLAIM: "integration", "scope": "notes:write"}
    headers = {"Authorization": f"Bearer {mint_token(AUTH, claims=claims)}"}

    response = await toy_client.post("/v1/notes", json={"title": "x"}, headers=headers)

    assert (response.status_code, response.json()["code"]) == (401, "invalid_token")


async def test_a_failing_statement_logs_and_answers_no_parameter_values(
    toy_client: httpx.AsyncClient, alice: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    personal = "kenji.watanabe@example.com"

    with caplog.at_level(logging.DEBUG):
        response = await toy_client.get(
            "/v1/notes/slow-search", params={"title": personal}, headers=alice
        )

    assert response.status_code == 500
    assert response.headers["content-type"] == PROBLEM
    assert personal not in response.text
    # The service's own log lines (not the test client's): the failure, without its values.
    written = [caplog.handler.format(r) for r in caplog.records if r.name != "httpx"]
    assert any("statement timeout" in line for line in written)
    assert not [line for line in written if personal in line]


async def test_events_commit_with_the_change_and_not_without(
    toy_client: httpx.AsyncClient, toy_db: Database, alice: dict[str, str]
) -> None:
    await toy_client.post("/v1/notes", json={"title": "kept"}, headers=alice)
    await toy_client.post("/v1/notes", json={"title": ""}, headers=alice)

    async with toy_db.sessionmaker() as session:
        events = (await session.exec(select(OutboxEvent))).all()
    assert [(e.type, e.payload["title"]) for e in events] == [("note.created", "kept")]


async def test_event_catalogue_lists_types_with_schemas(
    toy_client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    response = await toy_client.get("/v1/event-types", headers=alice)

    [entry] = response.json()
    assert entry["name"] == "note.created"
    assert set(entry["payload_schema"]["properties"]) == {"id", "title"}


async def test_feed_is_for_services_only(
    toy_client: httpx.AsyncClient, tokens: Tokens, alice: dict[str, str]
) -> None:
    await toy_client.post("/v1/notes", json={"title": "n"}, headers=alice)

    as_person = await toy_client.get("/internal/events", headers=alice)
    as_integration = await toy_client.get(
        "/internal/events", headers=tokens.integration("notes:write")
    )
    as_service = await toy_client.get("/internal/events", headers=tokens.service())

    assert as_person.status_code == as_integration.status_code == 403
    assert [e["type"] for e in as_service.json()["events"]] == ["note.created"]
    assert as_service.json()["events"][0]["position"] == 1


async def test_request_id_is_echoed_or_made(
    toy_client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    given = await toy_client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    made = await toy_client.get("/healthz")
    hostile = await toy_client.get("/healthz", headers={"X-Request-ID": "bad id\n"})

    assert given.headers["x-request-id"] == "abc-123"
    assert len(made.headers["x-request-id"]) == 32
    assert hostile.headers["x-request-id"] != "bad id\n"


async def test_health_needs_no_token(toy_client: httpx.AsyncClient) -> None:
    assert (await toy_client.get("/healthz")).json() == {"status": "ok"}
    assert (await toy_client.get("/readyz")).json() == {"status": "ok"}


def test_every_route_declares_a_policy_action(toy_db: Database) -> None:
    app = toy_app(toy_db)

    assert unguarded_routes(app) == []
    assert route_actions(app)["PATCH /v1/notes/{note_id}"] == {"note.update"}


async def test_metrics_count_requests_by_route_template(
    toy_client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    labels = {"service": "toy", "method": "GET", "route": "/v1/notes/{note_id}", "status": "404"}
    before = REGISTRY.get_sample_value("inspire_http_requests_total", labels) or 0

    await toy_client.get(f"/v1/notes/{uuid.uuid4()}", headers=alice)

    assert REGISTRY.get_sample_value("inspire_http_requests_total", labels) == before + 1


@pytest.mark.parametrize("body", [{"title": "nul\u0000byte"}, {"title": "big", "count": 2**40}])
async def test_values_the_database_cannot_store_are_422(
    toy_client: httpx.AsyncClient, alice: dict[str, str], body: dict[str, object]
) -> None:
    response = await toy_client.post("/v1/notes", json=body, headers=alice)

    assert (response.status_code, response.json()["code"]) == (422, "invalid_value")


async def test_request_id_travels_to_downstream_calls(toy_db: Database) -> None:
    app = toy_app(toy_db)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://toy", event_hooks=client_hooks()
    ) as downstream:
        token = request_id_var.set("upstream-42")
        try:
            response = await downstream.get("/healthz")
        finally:
            request_id_var.reset(token)

    assert response.headers["x-request-id"] == "upstream-42"


async def test_an_unreadable_body_is_a_declared_400_problem(
    toy_client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    response = await toy_client.post(
        "/v1/notes", content=b"\xff\xfe\x00", headers={**alice, "Content-Type": "application/json"}
    )
    declared = (await toy_client.get("/openapi.json")).json()["paths"]["/v1/notes"]["post"]

    assert (response.status_code, response.headers["content-type"]) == (400, PROBLEM)
    assert "400" in declared["responses"]


async def test_api_docs_are_off_in_production_unless_asked_for(toy_db: Database) -> None:
    url = toy_db.url.render_as_string(False)
    production = ServiceSettings(database_url=url, auth=AUTH)
    asked = ServiceSettings(database_url=url, auth=AUTH, api_docs=True)

    for settings, expected in ((production, 404), (asked, 200)):
        app = create_toy_app(settings, toy_db)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://toy"
        ) as client:
            assert (await client.get("/openapi.json")).status_code == expected
