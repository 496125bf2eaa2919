"""Two tiers on real PostgreSQL. Fast tests run inside a transaction rolled back at the end;
end-to-end tests get fresh databases cloned from a migrated template. Also the fixtures every
service's tests share: each service's conftest names its service in `service_name`."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import event
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from cli.devdb import drop_database, find_server, recreate_database
from kit.api import ServiceSpec
from kit.auth import ROLE_CLAIM, mint_service_token, mint_token
from kit.db import Database
from kit.events import OutboxEvent
from kit.migrations import migrate
from kit.settings import AuthSettings, Environment

# The kit's test service and its databases, for the kit's tests and the end-to-end ones.
pytest_plugins = ["tests.kit.toy_databases"]

ROOT = Path(__file__).resolve().parent.parent
RUN_ID = f"{os.getpid()}"

AUTH = AuthSettings(
    jwt_secret=SecretStr("test-jwt-secret-that-is-long-enough-for-hs256"),
    service_secret=SecretStr("test-service-secret-long-enough-for-hs256"),
    identity_claim="email",
)


def service_specs() -> dict[str, ServiceSpec]:
    return {ep.name: ep.load() for ep in entry_points(group="inspire.services")}


class Tokens:
    """Bearer headers for each kind of caller."""

    def person(self, email: str) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {mint_token(AUTH, claims={'sub': email, 'email': email})}"
        }

    def integration(self, *scopes: str) -> dict[str, str]:
        claims = {"sub": "hris", ROLE_CLAIM: "integration", "scope": " ".join(scopes)}
        return {"Authorization": f"Bearer {mint_token(AUTH, claims=claims)}"}

    def service(self, name: str = "tests") -> dict[str, str]:
        return {"Authorization": f"Bearer {mint_service_token(AUTH, name)}"}


@pytest.fixture(scope="session")
def tokens() -> Tokens:
    return Tokens()


@pytest.fixture(scope="session")
async def pg_server() -> str:
    return await find_server("INSPIRE_TEST_DATABASE_URL", ROOT / ".inspire" / "test-pg")


@pytest.fixture(scope="session")
async def templates(pg_server: str) -> AsyncIterator[dict[str, str]]:
    """A migrated template database per service; never connected to after migration."""
    names = {name: f"inspire_tpl_{name}_{RUN_ID}" for name in service_specs()}
    urls = {}
    for name, spec in service_specs().items():
        urls[name] = await recreate_database(pg_server, names[name])
        await migrate(spec, urls[name])
    yield names
    for database in names.values():
        await drop_database(pg_server, database)


@pytest.fixture(scope="session")
async def fast_databases(
    pg_server: str, templates: dict[str, str]
) -> AsyncIterator[dict[str, Database]]:
    """One database per service for the fast tier; each test rolls its work back."""
    databases = {}
    for name, template in templates.items():
        url = await recreate_database(pg_server, f"inspire_fast_{name}_{RUN_ID}", template=template)
        databases[name] = Database(url, pool_size=2)
    yield databases
    for name, database in databases.items():
        await database.dispose()
        await drop_database(pg_server, f"inspire_fast_{name}_{RUN_ID}")


@contextlib.asynccontextmanager
async def rolled_back(shared: Database) -> AsyncIterator[Database]:
    """`shared`'s database, bound to one transaction that is rolled back at the end: commits
    inside become savepoints. Each service's conftest makes its fast-tier fixture with it."""
    async with shared.engine.connect() as connection:
        transaction = await connection.begin()
        database = Database(shared.url.render_as_string(hide_password=False), pool_size=1)
        database.bind(connection)
        try:
            yield database
        finally:
            await transaction.rollback()
            await database.dispose()


def service_app(name: str, database: Database, **settings_overrides: Any) -> FastAPI:
    """Service `name`'s real app on `database`, with the test keys."""
    spec = service_specs()[name]
    settings = spec.settings_class(
        database_url=database.url.render_as_string(hide_password=False),
        environment=Environment.TEST,
        auth=AUTH,
        **settings_overrides,
    )
    return spec.create_app(settings, database=database)


def asgi_client(app: FastAPI, name: str) -> httpx.AsyncClient:
    """A client that calls `app` in process (no lifespan: no relay, no consumers)."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{name}")


async def call(app: FastAPI, name: str, method: str, path: str, **kwargs: object) -> httpx.Response:
    """One request to `app`, in process."""
    async with asgi_client(app, name) as client:
        return await client.request(method, path, **kwargs)  # type: ignore[arg-type]  # httpx kwargs


@pytest.fixture
async def empty_database(pg_server: str) -> AsyncIterator[str]:
    """URL of a new database with nothing in it (not cloned from a migrated template), dropped
    after."""
    name = f"inspire_e2e_empty_{uuid.uuid4().hex[:12]}"
    yield await recreate_database(pg_server, name)
    await drop_database(pg_server, name)


@pytest.fixture
async def fresh_database(
    pg_server: str, templates: dict[str, str]
) -> AsyncIterator[Callable[[str], Awaitable[str]]]:
    """`await fresh_database("people")`: URL of a new, migrated, empty database, dropped after."""
    created: list[str] = []

    async def make(service: str) -> str:
        name = f"inspire_e2e_{service}_{uuid.uuid4().hex[:12]}"
        created.append(name)
        return await recreate_database(pg_server, name, template=templates[service])

    yield make
    for name in created:
        await drop_database(pg_server, name)


# --- One service on the fast tier ------------------------------------------------------------


@pytest.fixture
async def service_db(
    service_name: str, fast_databases: dict[str, Database]
) -> AsyncIterator[Database]:
    async with rolled_back(fast_databases[service_name]) as database:
        yield database


@pytest.fixture
def app(service_name: str, service_db: Database) -> FastAPI:
    return service_app(service_name, service_db)


@pytest.fixture
async def client(service_name: str, app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(app, service_name) as client:
        yield client


@pytest.fixture
async def session(service_db: Database) -> AsyncIterator[AsyncSession]:
    """Where factories write; requests see it, being on the same connection."""
    async with service_db.sessionmaker() as session:
        yield session


class Statements:
    """The SQL statements sent to the service's database since the test began, in order."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def __call__(self, *args: Any) -> None:
        self.sent.append(args[2])  # (connection, cursor, statement, ...)

    @property
    def count(self) -> int:
        return len(self.sent)


@pytest.fixture
def statements(service_name: str, fast_databases: dict[str, Database]) -> Iterator[Statements]:
    recorder = Statements()
    engine = fast_databases[service_name].engine.sync_engine
    event.listen(engine, "before_cursor_execute", recorder)
    yield recorder
    event.remove(engine, "before_cursor_execute", recorder)


class Outbox:
    """The events written so far in this test, oldest first."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def events(self) -> list[tuple[str, dict[str, Any]]]:
        rows = await self.session.exec(select(OutboxEvent).order_by(col(OutboxEvent.seq)))
        return [(row.type, row.payload) for row in rows.all()]

    async def types(self) -> list[str]:
        return [type_ for type_, _ in await self.events()]


@pytest.fixture
def outbox(session: AsyncSession) -> Outbox:
    return Outbox(session)


def problem_fields(response: httpx.Response) -> set[str]:
    return {error["field"] for error in response.json()["errors"]}


def problem_codes(response: httpx.Response) -> set[str]:
    return {error["code"] for error in response.json()["errors"]}


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without any INSPIRE_ variable, plus `extra`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("INSPIRE_")}
    return {**env, **extra}


def operations(openapi: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """Every operation of an OpenAPI document: its path, its method and itself."""
    return [
        (path, method, operation)
        for path, methods in openapi["paths"].items()
        for method, operation in methods.items()
    ]


@contextlib.asynccontextmanager
async def served(app: FastAPI) -> AsyncIterator[str]:
    """`app` behind a real uvicorn server on a free port of 127.0.0.1, lifespan and all; its
    base URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None, lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.ensure_future(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=15)
