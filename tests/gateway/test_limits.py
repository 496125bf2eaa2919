"""What one operation may ask, since anyone may send one: its document's size and tokens, its
depth, aliases, page sizes and estimated cost, each refused before anything runs with an error
that names the limit; what errors reveal of the schema; repeated root fields read once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.app import create_app as create_gateway
from gateway.clients import AssessmentClient, Clients, FeedbackClient, GoalsClient, PeopleClient
from gateway.types.common import GlobalId
from kit.settings import Environment
from tests.gateway.support import GraphQL, Recorder, codes, gateway_client, gateway_settings
from tests.people.factories import create_person
from tests.support import Tokens

# Nothing listens there: an operation that runs fails with SERVICE_UNAVAILABLE, one refused
# before it runs has only the limit's error.
NOWHERE = "http://127.0.0.1:9"

NESTED_REPORTS = """{ viewer { manager { reports(first: 100) { edges { node {
  reports(first: 100) { edges { node { reports(first: 100) { edges { node { name } } } } } }
} } } } } }"""


@asynccontextmanager
async def offline_gateway(**settings: Any) -> AsyncIterator[GraphQL]:
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
        app = create_gateway(gateway_settings(**settings), clients=clients)
        async with gateway_client(app) as client:
            yield GraphQL(client)


def limit(body: dict[str, Any]) -> int:
    value: int = body["errors"][0]["extensions"]["limit"]
    return value


# --- Cost ------------------------------------------------------------------------------------


async def test_pages_that_multiply_are_refused_before_anything_runs(tokens: Tokens) -> None:
    async with offline_gateway() as graphql:
        body = await graphql(NESTED_REPORTS, headers=tokens.person("ada@example.com"))

    assert body["data"] is None
    assert codes(body) == [("QUERY_TOO_COMPLEX", "max_cost")]
    assert limit(body) == 50_000
    assert "50000" in body["errors"][0]["message"]


async def test_the_cost_counts_the_variables_given(tokens: Tokens) -> None:
    query = """query ($n: Int!) { people(first: $n) { edges { node {
      reports(first: $n) { edges { node { reports(first: $n) { edges { node { name } } } } } }
    } } } }"""
    headers = tokens.person("ada@example.com")

    async with offline_gateway() as graphql:
        large = await graphql(query, {"n": 100}, headers=headers)
        # JSON has one kind of number: GraphQL takes `100.0` as the Int 100, and so must the cost.
        large_as_float = await graphql(query, {"n": 100.0}, headers=headers)
        small = await graphql(query, {"n": 5}, headers=headers)

    assert codes(large) == [("QUERY_TOO_COMPLEX", "max_cost")]
    assert codes(large_as_float) == [("QUERY_TOO_COMPLEX", "max_cost")]
    # Small pages run (and fail here only because no service listens).
    assert codes(small) == [("SERVICE_UNAVAILABLE", "unreachable")]


async def test_the_cost_limit_is_a_setting(tokens: Tokens) -> None:
    query = "{ people { edges { node { name manager { name } } } } }"  # 20 people by default

    async with offline_gateway(max_cost=40) as graphql:
        body = await graphql(query, headers=tokens.person("ada@example.com"))

    assert codes(body) == [("QUERY_TOO_COMPLEX", "max_cost")]
    assert limit(body) == 40


async def test_fragments_spread_again_and_again_are_measured_once(tokens: Tokens) -> None:
    # Each fragment spreads the next twice: four million aliased fields once expanded.
    fragments = "".join(
        f"fragment F{n} on Query {{ a{n}: __typename ...F{n + 1} ...F{n + 1} }}\n"
        for n in range(22)
    )
    query = "{ ...F0 }\n" + fragments + "fragment F22 on Query { __typename }"

    async with offline_gateway() as graphql:
        body = await graphql(query)

    assert ("TOO_MANY_ALIASES", "max_aliases") in codes(body)
    assert ("QUERY_TOO_COMPLEX", "max_cost") in codes(body)


# --- Depth, aliases, pages -------------------------------------------------------------------


def managers(levels: int) -> str:
    return "{ viewer { " + "manager { " * levels + "name" + " }" * levels + " } }"


async def test_fields_nested_too_deep_are_refused(tokens: Tokens) -> None:
    headers = tokens.person("ada@example.com")

    async with offline_gateway() as graphql:
        deep = await graphql(managers(15), headers=headers)  # 17 levels with viewer and name
    async with offline_gateway(max_depth=20) as graphql:
        allowed = await graphql(managers(15), headers=headers)

    assert deep["data"] is None
    assert codes(deep) == [("QUERY_TOO_DEEP", "max_depth")]
    assert limit(deep) == 15
    assert codes(allowed) == [("SERVICE_UNAVAILABLE", "unreachable")]


async def test_too_many_aliases_are_refused(tokens: Tokens) -> None:
    query = "{ " + " ".join(f"v{n}: viewer {{ name }}" for n in range(100)) + " }"

    async with offline_gateway() as graphql:
        body = await graphql(query, headers=tokens.person("ada@example.com"))

    assert body["data"] is None
    assert codes(body) == [("TOO_MANY_ALIASES", "max_aliases")]
    assert limit(body) == 30


async def test_the_largest_page_is_a_setting(tokens: Tokens) -> None:
    async with offline_gateway(max_page_size=10) as graphql:
        body = await graphql(
            "{ people(first: 11) { edges { cursor } } }", headers=tokens.person("ada@example.com")
        )

    assert body["data"] is None
    assert codes(body) == [("BAD_USER_INPUT", "first_out_of_range")]
    assert limit(body) == 10


async def test_repeated_viewers_and_people_are_each_one_request(
    clients: Clients, session: AsyncSession, recorder: Recorder, tokens: Tokens
) -> None:
    ada = await create_person(session, email="ada@example.com", name="Ada")
    bob = await create_person(session, name="Bob", manager_id=ada.id)
    await session.commit()
    bob_id = GlobalId("Person", bob.id).encode()
    viewers = " ".join(f"v{n}: viewer {{ name }}" for n in range(40))
    people = " ".join(f"p{n}: person(id: $bob) {{ name }}" for n in range(40))
    app = create_gateway(gateway_settings(max_aliases=100), clients=clients)

    async with gateway_client(app) as client:
        body = await GraphQL(client)(
            f"query ($bob: ID!) {{ {viewers} {people} }}",
            {"bob": bob_id},
            headers=tokens.person("ada@example.com"),
        )

    assert "errors" not in body
    assert {body["data"][f"v{n}"]["name"] for n in range(40)} == {"Ada"}
    assert {body["data"][f"p{n}"]["name"] for n in range(40)} == {"Bob"}
    assert sorted(recorder.paths()) == ["/v1/people", "/v1/people/me"]


# --- The document ----------------------------------------------------------------------------


async def test_a_document_of_too_many_tokens_is_refused_even_without_a_token() -> None:
    query = "{ " + "__typename " * 2_001 + "}"

    async with offline_gateway() as graphql:
        body = await graphql(query)

    assert body["data"] is None
    assert codes(body) == [("QUERY_TOO_LARGE", "max_tokens")]
    assert limit(body) == 2_000


async def test_a_document_of_too_many_bytes_is_refused_before_it_is_parsed() -> None:
    # Comments are not tokens: only the bytes can refuse this one.
    query = "#" + "x" * 40_000 + "\n{ __typename }"

    async with offline_gateway() as graphql:
        body = await graphql(query)
    async with offline_gateway(max_document_bytes=50_000) as graphql:
        allowed = await graphql(query)

    assert codes(body) == [("QUERY_TOO_LARGE", "max_document_bytes")]
    assert limit(body) == 32_768
    assert allowed == {"data": {"__typename": "Query"}}


async def test_a_syntax_error_is_a_parse_failure() -> None:
    async with offline_gateway() as graphql:
        body = await graphql("{ viewer { name ")

    assert body["data"] is None
    assert codes(body) == [("GRAPHQL_PARSE_FAILED", None)]


# --- What errors reveal ----------------------------------------------------------------------


async def test_introspection_can_be_switched_off() -> None:
    query = "{ __schema { queryType { name } } }"

    async with offline_gateway(introspection=False) as graphql:
        refused = await graphql(query)
        typename = await graphql("{ __typename }")
    async with offline_gateway() as graphql:
        allowed = await graphql(query)

    assert refused["data"] is None
    assert {code for code, _ in codes(refused)} == {"GRAPHQL_VALIDATION_FAILED"}
    assert "introspection has been disabled" in refused["errors"][0]["message"]
    assert typename == {"data": {"__typename": "Query"}}
    assert allowed == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


@pytest.mark.parametrize(
    ("environment", "setting", "suggested"),
    [
        (Environment.TEST, None, True),
        (Environment.PRODUCTION, None, False),
        (Environment.PRODUCTION, True, True),
        (Environment.DEVELOPMENT, False, False),
    ],
)
async def test_suggestions_are_off_in_production_unless_asked(
    tokens: Tokens, environment: Environment, setting: bool | None, suggested: bool
) -> None:
    dependencies = """query ($state: DependencyState) { cycles { edges { node {
      dependencies(state: $state) { edges { cursor } }
    } } } }"""

    async with offline_gateway(environment=environment, field_suggestions=setting) as graphql:
        field = await graphql("{ viewr { name } }")
        argument = await graphql("{ people(frist: 2) { edges { cursor } } }")
        variable = await graphql(
            dependencies, {"state": "AGRED"}, headers=tokens.person("ada@example.com")
        )

    messages = [body["errors"][0]["message"] for body in (field, argument, variable)]
    assert [("Did you mean" in message) for message in messages] == [suggested] * 3, messages
    assert codes(field) == codes(argument) == [("GRAPHQL_VALIDATION_FAILED", None)]
    assert codes(variable) == [("BAD_USER_INPUT", None)]
