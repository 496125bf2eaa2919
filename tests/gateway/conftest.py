"""The gateway over the real services: a fresh, committed people database per test (the
gateway sends requests in parallel, which one rolled-back connection cannot serve), the
gateway's real clients pointed at the service apps, and every request it sends recorded.
The goals and feedback services are absent unless a folder's conftest provides them
(`goals_http`, `feedback_http`), as `tests/gateway/goals` and `tests/gateway/feedback` do.
What the fixtures are made of is in `tests.gateway.support`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from gateway.app import create_app as create_gateway
from gateway.clients import AssessmentClient, Clients, FeedbackClient, GoalsClient, PeopleClient
from kit.db import Database
from kit.settings import Environment
from services.people.app import create_app as create_people
from services.people.config import PeopleSettings
from tests.gateway.support import (
    GraphQL,
    Recorder,
    gateway_client,
    gateway_settings,
    recorded_client,
)
from tests.support import AUTH


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
async def feedback_http() -> AsyncIterator[httpx.AsyncClient]:
    """Nothing listens there either, unless a folder's conftest provides it."""
    async with httpx.AsyncClient(base_url="http://127.0.0.1:9") as http:
        yield http


@pytest.fixture
async def assessment_http() -> AsyncIterator[httpx.AsyncClient]:
    """Nowhere too, unless a folder's conftest provides it (`tests/gateway/assessment`)."""
    async with httpx.AsyncClient(base_url="http://127.0.0.1:9") as http:
        yield http


@pytest.fixture
def clients(
    people_http: httpx.AsyncClient,
    goals_http: httpx.AsyncClient,
    feedback_http: httpx.AsyncClient,
    assessment_http: httpx.AsyncClient,
) -> Clients:
    return Clients(
        people=PeopleClient(people_http),
        goals=GoalsClient(goals_http),
        feedback=FeedbackClient(feedback_http),
        assessment=AssessmentClient(assessment_http),
    )


@pytest.fixture
def gateway_app(clients: Clients) -> FastAPI:
    return create_gateway(gateway_settings(), clients=clients)


@pytest.fixture
async def gateway(gateway_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with gateway_client(gateway_app) as client:
        yield client


@pytest.fixture
def graphql(gateway: httpx.AsyncClient) -> GraphQL:
    return GraphQL(gateway)
