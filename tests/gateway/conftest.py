"""The gateway over the real services: a fresh, committed people database per test (the
gateway sends requests in parallel, which one rolled-back connection cannot serve), the
gateway's real clients pointed at the service apps, and every request it sends recorded.
The goals service is absent unless a test module provides it (`goals_http`)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.app import create_app as create_gateway
from gateway.clients import Clients, GoalsClient, PeopleClient
from gateway.config import GatewaySettings
from kit.db import Database
from kit.observability import client_hooks
from kit.settings import Environment
from services.people.app import create_app as create_people
from services.people.config import PeopleSettings
from tests.conftest import AUTH


@dataclass(frozen=True)
class Sent:
    """One request the gateway sent to a service, and the request id the service answered
    with (it echoes the one it used)."""

    service: str
    method: str
    path: str
    params: list[tuple[str, str]]
    request_id: str | None
    answered_request_id: str | None = None


@dataclass
class Recorder:
    """What the gateway sent to the services, in order."""

    sent: list[Sent] = field(default_factory=list)

    async def on_response(self, response: httpx.Response) -> None:
        request = response.request
        self.sent.append(
            Sent(
                service=request.url.host,
                method=request.method,
                path=request.url.path,
                params=list(request.url.params.multi_items()),
                request_id=request.headers.get("x-request-id"),
                answered_request_id=response.headers.get("x-request-id"),
            )
        )

    def paths(self, service: str = "people") -> list[str]:
        return [sent.path for sent in self.sent if sent.service == service]

    def clear(self) -> None:
        self.sent.clear()


def gateway_settings(**overrides: Any) -> GatewaySettings:
    return GatewaySettings(**{"environment": Environment.TEST, "auth": AUTH, **overrides})


@pytest.fixture
async def people_db(
    fresh_database: Callable[[str], Awaitable[str]],
) -> AsyncIterator[Database]:
    database = Database(await fresh_database("people"), pool_size=5)
    yield database
    await database.dispose()


@pytest.fixture
def people_app(people_db: Database) -> FastAPI:
    settings = PeopleSettings(
        database_url=people_db.url.render_as_string(hide_password=False),
        environment=Environment.TEST,
        auth=AUTH,
    )
    return create_people(settings, database=people_db)


@pytest.fixture
async def session(people_db: Database) -> AsyncIterator[AsyncSession]:
    """Where the scene is written; commit it before asking the gateway."""
    async with people_db.sessionmaker() as session:
        yield session


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


def recorded_client(app: FastAPI, service: str, recorder: Recorder) -> httpx.AsyncClient:
    hooks = client_hooks()
    hooks["response"] = [recorder.on_response]
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=f"http://{service}", event_hooks=hooks
    )


@pytest.fixture
async def people_http(people_app: FastAPI, recorder: Recorder) -> AsyncIterator[httpx.AsyncClient]:
    async with recorded_client(people_app, "people", recorder) as http:
        yield http


@pytest.fixture
async def goals_http() -> AsyncIterator[httpx.AsyncClient]:
    """Nothing listens there: fields of the goals service fail alone."""
    async with httpx.AsyncClient(base_url="http://127.0.0.1:9") as http:
        yield http


@pytest.fixture
def clients(people_http: httpx.AsyncClient, goals_http: httpx.AsyncClient) -> Clients:
    return Clients(people=PeopleClient(people_http), goals=GoalsClient(goals_http))


@pytest.fixture
def gateway_app(clients: Clients) -> FastAPI:
    return create_gateway(gateway_settings(), clients=clients)


def gateway_client(app: FastAPI) -> httpx.AsyncClient:
    """A client of the gateway app, as a frontend calls it."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")


@pytest.fixture
async def gateway(gateway_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with gateway_client(gateway_app) as client:
        yield client


class GraphQL:
    """Posts operations to the gateway as a client would, with the headers given."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def __call__(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
def graphql(gateway: httpx.AsyncClient) -> GraphQL:
    return GraphQL(gateway)


def codes(body: dict[str, Any]) -> list[tuple[str, str | None]]:
    """Each error's `extensions.code` and `reason`."""
    return [
        (error["extensions"]["code"], error["extensions"].get("reason"))
        for error in body.get("errors", [])
    ]
