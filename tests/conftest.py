"""Two tiers on real PostgreSQL. Fast tests run inside a transaction rolled back at the end;
end-to-end tests get fresh databases cloned from a migrated template."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from importlib.metadata import entry_points
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from cli.devdb import drop_database, find_server, recreate_database
from kit.api import ServiceSpec
from kit.auth import ROLE_CLAIM, mint_service_token, mint_token
from kit.db import Database
from kit.migrations import migrate
from kit.settings import AuthSettings, Environment

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


def service_app(name: str, database: Database) -> FastAPI:
    """Service `name`'s real app on `database`, with the test keys."""
    spec = service_specs()[name]
    settings = spec.settings_class(
        database_url=database.url.render_as_string(hide_password=False),
        environment=Environment.TEST,
        auth=AUTH,
    )
    return spec.create_app(settings, database=database)


def asgi_client(app: FastAPI, name: str) -> httpx.AsyncClient:
    """A client that calls `app` in process (no lifespan: no relay, no consumers)."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{name}")


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
