"""What every route of every service (and the gateway) answers at its edges, walked over the
real apps: unknown query parameters, literal path segments beside ids, trailing slashes,
request bodies over the size limit."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from kit.db import Database
from kit.settings import Environment
from tests.support import AUTH, Tokens, call, rolled_back, service_specs

PROBLEM = "application/problem+json"
SERVICES = sorted(service_specs())
ALL_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
# Words that make a query parameter a figure of OKR performance in the goals service.
FIGURE_PARAMS = [("sort", "progress"), ("min_progress", "0.5"), ("score", "1"), ("rank", "1")]


@dataclass(frozen=True)
class Operation:
    method: str
    template: str  # as OpenAPI writes it: `/v1/people/{person_id}`
    firewalled: bool  # behind the goals service's OKR firewall

    def path(self) -> str:
        return re.sub(r"{[^}]+}", str(uuid.uuid4()), self.template)


def operations(app: FastAPI) -> Iterator[Operation]:
    for context in iter_route_contexts(app.routes):
        if not isinstance(context.original_route, APIRoute):
            continue
        firewalled = any(
            getattr(depends.dependency, "__name__", "") == "okr_firewall"
            for depends in context.dependencies
        )
        for method in sorted((context.methods or set()) - {"HEAD"}):
            yield Operation(method, context.path_format or "", firewalled)


# --- Query strings -----------------------------------------------------------------------------


async def test_every_route_of_every_service_refuses_an_unknown_query_parameter(
    apps: dict[str, FastAPI], tokens: Tokens
) -> None:
    answers = {}
    for name, app in apps.items():
        if name == "gateway":
            continue  # GraphQL: one route, arguments in the query, not in the URL
        for operation in operations(app):
            response = await call(
                app,
                name,
                operation.method,
                operation.path(),
                params={"no_such_parameter": "1"},
                headers=tokens.service(),
            )
            answers[f"{name} {operation.method} {operation.template}"] = (
                response.status_code,
                response.headers.get("content-type"),
                [(error["field"], error["code"]) for error in response.json().get("errors", [])],
            )

    assert len(answers) > 80  # every operation of the four services, the health checks too
    assert {
        operation: answer
        for operation, answer in answers.items()
        if answer != (422, PROBLEM, [("query.no_such_parameter", "extra_forbidden")])
    } == {}


@pytest.mark.parametrize(
    ("service", "path", "name", "value"),
    [
        ("people", "/v1/people", "sort", "progress"),
        ("feedback", "/v1/feedback", "order_by", "score"),
        ("assessment", "/v1/instruments", "score", "1"),
        ("people", "/healthz", "verbose", "1"),
        ("goals", "/internal/events", "since", "0"),
    ],
)
async def test_the_reviews_examples_are_refused(
    apps: dict[str, FastAPI], tokens: Tokens, service: str, path: str, name: str, value: str
) -> None:
    response = await call(
        apps[service], service, "GET", path, params={name: value}, headers=tokens.service()
    )

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": f"query.{name}",
            "message": response.json()["errors"][0]["message"],
            "code": "extra_forbidden",
        }
    ]


async def test_declared_parameters_are_still_taken(
    apps: dict[str, FastAPI], tokens: Tokens
) -> None:
    answers = [
        (await call(apps[name], name, "GET", path, params=params, headers=tokens.service()))
        for name, path, params in [
            ("people", "/v1/people", {"limit": "2"}),
            ("goals", "/internal/events", {"after": "0", "limit": "5"}),
            ("assessment", "/v1/instruments", {"limit": "1", "active": "true", "key": "x"}),
        ]
    ]

    assert [answer.status_code for answer in answers] == [200, 200, 200]


async def test_in_goals_the_okr_firewall_still_speaks_first_for_figures(
    apps: dict[str, FastAPI], tokens: Tokens
) -> None:
    firewalled = [operation for operation in operations(apps["goals"]) if operation.firewalled]
    codes = set()
    for operation in firewalled:
        for name, value in FIGURE_PARAMS:
            response = await call(
                apps["goals"],
                "goals",
                operation.method,
                operation.path(),
                params={name: value},
                headers=tokens.service(),
            )
            codes.add((response.status_code, response.json()["code"]))

    assert len(firewalled) > 20
    assert codes == {(422, "okr_firewall")}


# --- Paths -------------------------------------------------------------------------------------


def literal_paths(app: FastAPI) -> dict[str, set[str]]:
    """Paths whose last segment is a word where a sibling route takes an id (`/people/me`
    beside `/people/{person_id}`), with the methods each has."""
    methods: dict[str, set[str]] = {}
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            template = context.path_format or ""
            methods.setdefault(template, set()).update(context.methods or ())
    with_id = {template.rsplit("/", 1)[0] for template in methods if template.endswith("}")}
    return {
        template: allowed
        for template, allowed in methods.items()
        if not template.endswith("}") and template.rsplit("/", 1)[0] in with_id
    }


@pytest.mark.parametrize("service", SERVICES)
async def test_a_literal_segment_never_falls_into_the_id_route(
    apps: dict[str, FastAPI], tokens: Tokens, service: str
) -> None:
    app = apps[service]
    literals = literal_paths(app)
    answers = {}
    expected = {}
    for template, allowed in literals.items():
        path = Operation("GET", template, firewalled=False).path()
        for method in set(ALL_METHODS) - allowed:
            response = await call(app, service, method, path, headers=tokens.service())
            answers[f"{method} {template}"] = (
                response.status_code,
                response.headers.get("content-type"),
                response.headers.get("allow"),
            )
            expected[f"{method} {template}"] = (405, PROBLEM, ", ".join(sorted(allowed)))

    assert answers == expected
    if service in {"people", "goals"}:
        assert len(literals) >= 2  # /v1/people/me, /v1/objectives/by-owner, …


@pytest.mark.parametrize(
    ("service", "method", "path", "allow"),
    [
        ("people", "PATCH", "/v1/people/me", "GET"),
        ("goals", "PATCH", "/v1/alignments/children", "GET"),
        ("goals", "OPTIONS", "/v1/alignments/children", "GET"),
    ],
)
async def test_the_reviews_wrong_routes_are_405(
    apps: dict[str, FastAPI], tokens: Tokens, service: str, method: str, path: str, allow: str
) -> None:
    response = await call(apps[service], service, method, path, headers=tokens.service())

    assert response.status_code == 405
    assert response.headers["allow"] == allow


async def test_a_malformed_id_is_a_path_that_does_not_exist(
    apps: dict[str, FastAPI], tokens: Tokens
) -> None:
    people = apps["people"]
    response = await call(people, "people", "GET", "/v1/people/12", headers=tokens.service())

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize("service", [*SERVICES, "gateway"])
async def test_a_trailing_slash_is_404_never_a_redirect_to_the_callers_host(
    apps: dict[str, FastAPI], tokens: Tokens, service: str
) -> None:
    app = apps[service]
    path = "/graphql/" if service == "gateway" else "/internal/events/"

    response = await call(
        app, service, "GET", path, headers={**tokens.service(), "Host": "evil.example"}
    )

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert "location" not in response.headers


# --- Request bodies ----------------------------------------------------------------------------


async def _chunks(size: int) -> AsyncIterator[bytes]:
    # No `Content-Length`: the body comes chunked, and is counted as it arrives.
    sent = 0
    while sent < size:
        yield b" " * 65536
        sent += 65536


CREATE_PATHS = {
    "people": "/v1/people",
    "goals": "/v1/objectives",
    "feedback": "/v1/feedback",
    "assessment": "/v1/instruments",
    "webhooks": "/v1/subscriptions",
    "gateway": "/graphql",
}


# The gateway answers the same limit as a GraphQL response: tests/gateway/test_http.py.
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize("service", SERVICES)
async def test_a_body_over_the_limit_is_413_before_anything_reads_it(
    apps: dict[str, FastAPI], service: str, *, chunked: bool
) -> None:
    # Not even signed in: the size is checked before the token.
    app = apps[service]
    path = CREATE_PATHS[service]
    size = 2 * 1024 * 1024
    content = _chunks(size) if chunked else b" " * size

    response = await call(
        app, service, "POST", path, content=content, headers={"content-type": "application/json"}
    )

    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "body_too_large"


async def test_the_limit_is_configurable(fast_databases: dict[str, Database]) -> None:
    async with rolled_back(fast_databases["people"]) as database:
        spec = service_specs()["people"]
        settings = spec.settings_class(
            database_url=database.url.render_as_string(hide_password=False),
            environment=Environment.TEST,
            auth=AUTH,
            max_body_bytes=100,
        )
        app = spec.create_app(settings, database=database)
        small = await call(app, "people", "POST", "/v1/people", json={"name": "x" * 10})
        large = await call(app, "people", "POST", "/v1/people", json={"name": "x" * 200})

    assert small.status_code == 401
    assert large.status_code == 413
