"""GraphQL over HTTP: `application/graphql-response+json` and its status codes for clients
that accept it, `application/json` as before for the others; requests that are not GraphQL at
all (too big, JSON nested too deep, not JSON) answered with a GraphQL error, never a 500."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from gateway.app import create_app as create_gateway
from gateway.clients import AssessmentClient, Clients, FeedbackClient, GoalsClient, PeopleClient
from tests.gateway.support import gateway_client, gateway_settings
from tests.support import Tokens

NOWHERE = "http://127.0.0.1:9"
MODERN = {"Accept": "application/graphql-response+json, application/json;q=0.9"}
LEGACY = {"Accept": "application/json"}


@pytest.fixture
async def gateway() -> AsyncIterator[httpx.AsyncClient]:
    """The gateway with no service behind it: what is tested here happens before any call."""
    async with (
        httpx.AsyncClient(base_url=NOWHERE) as people,
        httpx.AsyncClient(base_url=NOWHERE) as goals,
    ):
        clients = Clients(
            people=PeopleClient(people),
            goals=GoalsClient(goals),
            feedback=FeedbackClient(goals),
            assessment=AssessmentClient(goals),
        )
        app = create_gateway(gateway_settings(), clients=clients)
        async with gateway_client(app) as client:
            yield client


def code(response: httpx.Response) -> str:
    body: dict[str, Any] = response.json()
    value: str = body["errors"][0]["extensions"]["code"]
    return value


# --- Media types and status codes ------------------------------------------------------------


async def test_a_client_that_accepts_graphql_responses_gets_them(
    gateway: httpx.AsyncClient,
) -> None:
    response = await gateway.post("/graphql", json={"query": "{ __typename }"}, headers=MODERN)

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/graphql-response+json"
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    ("query", "variables", "expected"),
    [
        ("{ viewer { name ", None, "GRAPHQL_PARSE_FAILED"),
        ("{ viewer { salary } }", None, "GRAPHQL_VALIDATION_FAILED"),
        (
            "query ($n: Int!) { people(first: $n) { edges { cursor } } }",
            {"n": "twenty"},
            "BAD_USER_INPUT",
        ),
        ("query ($n: Int!) { people(first: $n) { edges { cursor } } }", {}, "BAD_USER_INPUT"),
    ],
)
async def test_a_request_error_is_400_without_data(
    gateway: httpx.AsyncClient,
    tokens: Tokens,
    query: str,
    variables: dict[str, Any] | None,
    expected: str,
) -> None:
    headers = {**MODERN, **tokens.person("ada@example.com")}

    modern = await gateway.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    legacy = await gateway.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={**headers, **LEGACY},
    )

    assert modern.status_code == 400
    assert modern.headers["content-type"] == "application/graphql-response+json"
    assert "data" not in modern.json()
    assert code(modern) == expected
    # Older clients get what they always did: 200, `"data": null`, the same error.
    assert legacy.status_code == 200
    assert legacy.headers["content-type"] == "application/json"
    assert legacy.json()["data"] is None
    assert code(legacy) == expected


async def test_an_operation_refused_for_want_of_a_token_is_401(
    gateway: httpx.AsyncClient,
) -> None:
    response = await gateway.post("/graphql", json={"query": "{ viewer { name } }"}, headers=MODERN)

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "data" not in response.json()
    assert code(response) == "UNAUTHENTICATED"


async def test_a_field_error_is_200_with_data(gateway: httpx.AsyncClient, tokens: Tokens) -> None:
    response = await gateway.post(
        "/graphql",
        json={"query": "{ __typename viewer { name } }"},
        headers={**MODERN, **tokens.person("ada@example.com")},
    )

    assert response.status_code == 200
    assert response.json()["data"] == {"__typename": "Query", "viewer": None}
    assert code(response) == "SERVICE_UNAVAILABLE"


async def test_a_mutation_over_get_is_not_allowed(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get(
        "/graphql",
        params={"query": 'mutation { closeCycle(input: {id: "x", version: 1}) { __typename } }'},
        headers=MODERN,
    )

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert code(response) == "BAD_REQUEST"


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"{not json", "application/json"),
        (b'{"query": 42}', "application/json"),
        (b"query=%7B__typename%7D", "application/x-www-form-urlencoded"),
    ],
)
async def test_a_body_that_is_not_a_graphql_request_is_400_in_json(
    gateway: httpx.AsyncClient, content: bytes, content_type: str
) -> None:
    response = await gateway.post(
        "/graphql", content=content, headers={"Content-Type": content_type, **LEGACY}
    )

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert code(response) == "BAD_REQUEST"


# --- Bounds on the request itself ------------------------------------------------------------


@pytest.mark.parametrize("depth", [1_000, 100_000])
async def test_variables_nested_too_deep_are_400(gateway: httpx.AsyncClient, depth: int) -> None:
    variables = "[" * depth + "]" * depth
    content = '{"query": "{ __typename }", "variables": {"v": ' + variables + "}}"

    response = await gateway.post(
        "/graphql", content=content, headers={"Content-Type": "application/json", **LEGACY}
    )

    assert response.status_code == 400
    assert code(response) == "BAD_REQUEST"
    assert "32" in response.json()["errors"][0]["message"]


async def test_json_nested_within_the_limit_is_read(gateway: httpx.AsyncClient) -> None:
    # Brackets inside strings do not count.
    variables = {"v": [[[["[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["]]]]}
    response = await gateway.post(
        "/graphql", json={"query": "{ __typename }", "variables": variables}, headers=LEGACY
    )

    assert response.json() == {"data": {"__typename": "Query"}}


async def test_nested_variables_in_a_get_are_400(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get(
        "/graphql",
        params={
            "query": "{ __typename }",
            "variables": json.dumps({"v": [[[[]]]]}).replace("[[[[]]]]", "[" * 5_000 + "]" * 5_000),
        },
        headers=LEGACY,
    )

    assert response.status_code == 400
    assert code(response) == "BAD_REQUEST"


async def test_a_body_over_the_limit_is_413_before_it_is_read(gateway: httpx.AsyncClient) -> None:
    query = "{ " + "__typename " * 200_000 + "}"  # 2.2 MB

    declared = await gateway.post("/graphql", json={"query": query}, headers=MODERN)

    async def chunks() -> AsyncIterator[bytes]:
        body = json.dumps({"query": query}).encode()
        for start in range(0, len(body), 65_536):
            yield body[start : start + 65_536]

    streamed = await gateway.post(
        "/graphql",
        content=chunks(),
        headers={"Content-Type": "application/json", **MODERN},
    )

    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/graphql-response+json"
        assert code(response) == "PAYLOAD_TOO_LARGE"
        assert response.json()["errors"][0]["extensions"]["limit"] == 262_144
