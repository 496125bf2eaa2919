"""Errors as clients see them: a code in `extensions`, a path, and only the failing field
emptied; refusals come from the services, the gateway only checks that a token is genuine."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import socket
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.app import create_app as create_gateway
from gateway.clients import (
    Conflict,
    NotAllowed,
    NotAuthenticated,
    NotFound,
    Rejected,
    ServiceError,
    Unavailable,
)
from gateway.errors import Refusal, refusal
from kit.auth import mint_token
from kit.errors import FieldError
from kit.settings import Environment, ServiceUrls
from services.goals.app import create_app as create_goals
from services.goals.config import GoalsSettings
from services.people.models import Person
from services.people.schemas import PersonStatus
from tests.gateway.support import GraphQL, Recorder, codes, gateway_settings
from tests.people.factories import create_person
from tests.support import AUTH, Tokens

pytestmark = pytest.mark.e2e

VIEWER = "{ viewer { name } }"


@pytest.fixture
async def ada(session: AsyncSession) -> Person:
    ada = await create_person(session, email="ada@example.com", name="Ada")
    await create_person(session, name="Bob", manager_id=ada.id)
    await session.commit()
    return ada


# --- Who may ask -----------------------------------------------------------------------------


async def test_without_a_token_there_is_an_error_and_no_data(graphql: GraphQL, ada: Person) -> None:
    body = await graphql(VIEWER)

    assert body["data"] is None
    assert codes(body) == [("UNAUTHENTICATED", "missing_token")]


@pytest.mark.parametrize(
    ("authorization", "reason"),
    [
        ("Bearer not-a-jwt", "unauthorized"),
        ("Basic YWRhOnNlY3JldA==", "missing_token"),
        (
            f"Bearer {mint_token(AUTH, claims={'email': 'ada@example.com'}, ttl_seconds=-60)}",
            "token_expired",
        ),
    ],
)
async def test_a_bad_token_is_refused_before_any_service_is_asked(
    graphql: GraphQL, ada: Person, recorder: Recorder, authorization: str, reason: str
) -> None:
    body = await graphql(VIEWER, headers={"Authorization": authorization})

    assert body["data"] is None
    assert codes(body) == [("UNAUTHENTICATED", reason)]
    assert recorder.sent == []


async def test_a_token_signed_with_another_key_is_refused(graphql: GraphQL, ada: Person) -> None:
    forged = AUTH.model_copy(update={"jwt_secret": AUTH.service_secret})
    token = mint_token(forged, claims={"email": "ada@example.com"})

    body = await graphql(VIEWER, headers={"Authorization": f"Bearer {token}"})

    assert codes(body) == [("UNAUTHENTICATED", "invalid_token")]


async def test_the_schema_itself_is_public(graphql: GraphQL) -> None:
    body = await graphql("{ __schema { queryType { name } } __typename }")

    assert body == {"data": {"__schema": {"queryType": {"name": "Query"}}, "__typename": "Query"}}


async def test_data_beside_introspection_still_needs_a_token(graphql: GraphQL) -> None:
    body = await graphql("{ __typename viewer { name } }")

    assert body["data"] is None
    assert codes(body) == [("UNAUTHENTICATED", "missing_token")]


async def test_who_a_genuine_token_names_is_for_the_service_to_say(
    graphql: GraphQL, ada: Person, tokens: Tokens
) -> None:
    body = await graphql(VIEWER, headers=tokens.person("nobody@example.com"))

    assert body["data"] == {"viewer": None}
    assert codes(body) == [("UNAUTHENTICATED", "unknown_person")]
    assert body["errors"][0]["extensions"]["service"] == "people"
    assert body["errors"][0]["path"] == ["viewer"]


async def test_an_inactive_employee_is_forbidden_by_the_people_service(
    graphql: GraphQL, session: AsyncSession, tokens: Tokens
) -> None:
    await create_person(session, email="gone@example.com", status=PersonStatus.INACTIVE)
    await session.commit()

    body = await graphql(VIEWER, headers=tokens.person("gone@example.com"))

    assert body["data"] == {"viewer": None}
    assert codes(body) == [("FORBIDDEN", "inactive_person")]


async def test_an_integration_without_the_read_scope_is_forbidden(
    graphql: GraphQL, ada: Person, tokens: Tokens
) -> None:
    body = await graphql("{ people { edges { node { name } } } }", headers=tokens.integration())

    assert body["data"] == {"people": None}
    assert codes(body) == [("FORBIDDEN", "forbidden")]
    assert body["errors"][0]["path"] == ["people"]


async def test_an_integration_has_no_viewer(graphql: GraphQL, tokens: Tokens) -> None:
    body = await graphql(VIEWER, headers=tokens.integration("people:read"))

    assert body["data"] == {"viewer": None}
    assert codes(body) == [("FORBIDDEN", "not_a_person")]


# --- What is asked ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("id_", "reason"),
    [
        ("not base64!", "invalid_id"),
        (base64.b64encode(b"Person:not-a-uuid").decode(), "invalid_id"),
        (base64.b64encode(f"Planet:{uuid.uuid4()}".encode()).decode(), "invalid_id"),
        (base64.b64encode(b"\xff\xfe").decode(), "invalid_id"),
    ],
)
async def test_a_malformed_id_is_bad_input(
    graphql: GraphQL, ada: Person, tokens: Tokens, id_: str, reason: str
) -> None:
    body = await graphql(
        "query ($id: ID!) { node(id: $id) { id } }",
        {"id": id_},
        headers=tokens.person("ada@example.com"),
    )

    assert body["data"] == {"node": None}
    assert codes(body) == [("BAD_USER_INPUT", reason)]
    assert body["errors"][0]["path"] == ["node"]


async def test_an_id_of_another_type_is_bad_input(
    graphql: GraphQL, ada: Person, tokens: Tokens
) -> None:
    team_id = base64.b64encode(f"Team:{uuid.uuid4()}".encode()).decode()

    body = await graphql(
        "query ($id: ID!) { person(id: $id) { name } }",
        {"id": team_id},
        headers=tokens.person("ada@example.com"),
    )

    assert codes(body) == [("BAD_USER_INPUT", "wrong_id_type")]


async def test_pages_are_at_most_100(graphql: GraphQL, ada: Person, tokens: Tokens) -> None:
    headers = tokens.person("ada@example.com")

    too_many = await graphql("{ people(first: 101) { edges { cursor } } }", headers=headers)
    none = await graphql("{ viewer { reports(first: 0) { edges { cursor } } } }", headers=headers)

    assert codes(too_many) == [("BAD_USER_INPUT", "first_out_of_range")]
    assert codes(none) == [("BAD_USER_INPUT", "first_out_of_range")]
    assert none["data"] == {"viewer": {"reports": None}}


async def test_too_many_ids_at_once_is_bad_input(
    graphql: GraphQL, ada: Person, tokens: Tokens
) -> None:
    ids = [base64.b64encode(f"Person:{uuid.uuid4()}".encode()).decode() for _ in range(101)]

    body = await graphql(
        "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        {"ids": ids},
        headers=tokens.person("ada@example.com"),
    )

    assert codes(body) == [("BAD_USER_INPUT", "too_many_ids")]


async def test_a_cursor_the_api_never_gave_is_bad_input(
    graphql: GraphQL, ada: Person, tokens: Tokens
) -> None:
    headers = tokens.person("ada@example.com")

    listed = await graphql('{ people(after: "garbage") { edges { cursor } } }', headers=headers)
    held = await graphql(
        '{ viewer { teams(after: "garbage") { edges { cursor } } } }', headers=headers
    )

    assert codes(listed) == [("BAD_USER_INPUT", "invalid_cursor")]
    assert listed["errors"][0]["extensions"]["service"] == "people"
    assert codes(held) == [("BAD_USER_INPUT", "invalid_cursor")]


async def test_a_query_that_does_not_fit_the_schema_says_so(
    graphql: GraphQL, tokens: Tokens
) -> None:
    body = await graphql("{ viewer { salary } }", headers=tokens.person("ada@example.com"))

    assert body["data"] is None
    assert codes(body) == [("GRAPHQL_VALIDATION_FAILED", None)]


# --- A slow or absent service ----------------------------------------------------------------


class SlowReports:
    """The people app behind a real HTTP server, whose batch of reports takes too long."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        # Held until the test ends: slower than any timeout, however busy the machine.
        self.released = asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/v1/people/by-manager":
            await self.released.wait()
        await self.app(scope, receive, send)


@contextlib.asynccontextmanager
async def served(app: ASGIApp) -> AsyncIterator[str]:
    """`app` behind a real HTTP server on a free port; its URL."""
    # Listening before the server starts: connections wait in the backlog until it accepts.
    listening = socket.create_server(("127.0.0.1", 0))
    config = uvicorn.Config(app, lifespan="off", log_config=None, log_level="warning", ws="none")
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve(sockets=[listening]))
    try:
        yield f"http://127.0.0.1:{listening.getsockname()[1]}"
    finally:
        server.should_exit = True
        await serving
        listening.close()


@pytest.fixture
async def slow_people_url(people_app: FastAPI) -> AsyncIterator[str]:
    slow = SlowReports(people_app)
    async with served(slow) as url:
        yield url
        slow.released.set()


async def _ask_over_http(
    base_url: str,
    query: str,
    headers: dict[str, str],
    *,
    goals_url: str = "http://127.0.0.1:9",
    service_timeout: float = 2.0,
) -> dict[str, Any]:
    """A gateway as `serve` runs it: its lifespan opens one client per service, over HTTP."""
    urls = ServiceUrls(people_url=base_url, goals_url=goals_url)
    app = create_gateway(gateway_settings(service_timeout_seconds=service_timeout, urls=urls))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://gateway"
        ) as client,
    ):
        response = await client.post("/graphql", json={"query": query}, headers=headers)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


async def test_a_slow_field_fails_alone_the_rest_of_the_answer_comes(
    slow_people_url: str, ada: Person, tokens: Tokens
) -> None:
    query = "{ viewer { name teams { edges { cursor } } reports { edges { node { name } } } } }"
    headers = tokens.person("ada@example.com")
    # A first request opens the service's database pool, which may itself take longer than
    # the short timeout of this test on a busy machine.
    async with httpx.AsyncClient(base_url=slow_people_url) as warm:
        assert (await warm.get("/v1/people/me", headers=headers)).status_code == 200

    body = await _ask_over_http(slow_people_url, query, headers)

    assert body["data"] == {"viewer": {"name": "Ada", "teams": {"edges": []}, "reports": None}}
    assert codes(body) == [("SERVICE_UNAVAILABLE", "timeout")]
    assert body["errors"][0]["path"] == ["viewer", "reports"]


async def test_one_service_down_does_not_sink_the_fields_of_another(
    graphql: GraphQL, ada: Person, tokens: Tokens
) -> None:
    # The goals service is not running in this module: only its fields fail.
    body = await graphql(
        "{ viewer { name reports { edges { node { name } } } objectives { edges { cursor } } } }",
        headers=tokens.person("ada@example.com"),
    )

    assert body["data"] == {
        "viewer": {
            "name": "Ada",
            "reports": {"edges": [{"node": {"name": "Bob"}}]},
            "objectives": None,
        }
    }
    assert codes(body) == [("SERVICE_UNAVAILABLE", "unreachable")]
    assert body["errors"][0]["extensions"]["service"] == "goals"
    assert body["errors"][0]["path"] == ["viewer", "objectives"]


async def test_a_service_that_cannot_be_reached_fails_its_fields(tokens: Tokens) -> None:
    body = await _ask_over_http("http://127.0.0.1:9", VIEWER, tokens.person("ada@example.com"))

    assert body["data"] == {"viewer": None}
    assert codes(body) == [("SERVICE_UNAVAILABLE", "unreachable")]


def _port_nobody_listens_on() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
async def goals_without_database() -> AsyncIterator[str]:
    """The real goals app, whose database is at a port nobody listens on, over HTTP."""
    url = f"postgresql://postgres@127.0.0.1:{_port_nobody_listens_on()}/inspire_goals"
    settings = GoalsSettings(database_url=url, environment=Environment.TEST, auth=AUTH)
    async with served(create_goals(settings)) as served_url:
        yield served_url


async def test_a_service_whose_database_is_down_fails_its_fields_alone(
    people_app: FastAPI, ada: Person, tokens: Tokens, goals_without_database: str
) -> None:
    query = "{ viewer { name objectives { edges { cursor } } } }"

    async with served(people_app) as people_url:
        body = await _ask_over_http(
            people_url,
            query,
            tokens.person("ada@example.com"),
            goals_url=goals_without_database,
            service_timeout=5,
        )

    assert body["data"] == {"viewer": {"name": "Ada", "objectives": None}}
    [error] = body["errors"]
    assert error["path"] == ["viewer", "objectives"]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert error["extensions"]["service"] == "goals"
    assert error["message"] == "The goals service is unavailable right now; try again shortly."


async def test_a_service_that_says_when_to_retry_is_passed_on(tokens: Tokens) -> None:
    # What a service answers while its database is down (kit's problem+json, `Retry-After`).
    async def database_down(scope: Scope, receive: Receive, send: Send) -> None:
        problem = {
            "type": "about:blank",
            "title": "Service Unavailable",
            "status": 503,
            "code": "database_unavailable",
            "detail": "The database does not answer.",
        }
        await JSONResponse(
            problem,
            status_code=503,
            media_type="application/problem+json",
            headers={"Retry-After": "5"},
        )(scope, receive, send)

    async with served(database_down) as url:
        body = await _ask_over_http(
            url, VIEWER, tokens.person("ada@example.com"), service_timeout=5
        )

    assert body["data"] == {"viewer": None}
    assert body["errors"][0]["extensions"] == {
        "code": "SERVICE_UNAVAILABLE",
        "reason": "database_unavailable",
        "service": "people",
        "retryAfter": 5,
    }
    assert body["errors"][0]["message"] == (
        "The people service is unavailable right now; try again shortly."
    )


# --- What a mutation returns instead ---------------------------------------------------------


def _problem(kind: type[ServiceError], field: str | None = None) -> ServiceError:
    fields = [FieldError(field=field, message="no", code="bad")] if field else []
    return kind("goals", status=0, code="some_code", detail="Not like this.", fields=fields)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (_problem(Conflict), Refusal("Not like this.", "some_code", None)),
        (_problem(NotFound), Refusal("Not like this.", "some_code", None)),
        (_problem(NotAllowed), Refusal("Not like this.", "some_code", None)),
        (
            _problem(Rejected, "body.owner_person_id"),
            Refusal("Not like this.", "some_code", ["input", "ownerPersonId"]),
        ),
        (_problem(Rejected, "query.cursor"), Refusal("Not like this.", "some_code", None)),
        (_problem(NotAuthenticated), None),
        (_problem(Unavailable), None),
    ],
)
def test_a_refusal_the_caller_can_fix_becomes_a_user_error(
    error: ServiceError, expected: Refusal | None
) -> None:
    assert refusal(error) == expected
