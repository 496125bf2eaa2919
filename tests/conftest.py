"""Two tiers on real PostgreSQL. Fast tests run inside a transaction rolled back at the end;
end-to-end tests get fresh databases cloned from a migrated template. Also the fixtures every
service's tests share: each service's conftest names its service in `service_name`. What they
are made of is in `tests.support`."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event
from sqlmodel.ext.asyncio.session import AsyncSession

from cli.devdb import drop_database, find_server, recreate_database
from kit.db import Database
from kit.migrations import migrate
from tests.support import (
    ROOT,
    RUN_ID,
    Outbox,
    Statements,
    Tokens,
    asgi_client,
    rolled_back,
    service_app,
    service_specs,
)

# The kit's test service and its databases, for the kit's tests and the end-to-end ones.
pytest_plugins = ["tests.kit.toy_databases"]


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


@pytest.fixture
def statements(service_name: str, fast_databases: dict[str, Database]) -> Iterator[Statements]:
    recorder = Statements()
    engine = fast_databases[service_name].engine.sync_engine
    event.listen(engine, "before_cursor_execute", recorder)
    yield recorder
    event.remove(engine, "before_cursor_execute", recorder)


@pytest.fixture
def outbox(session: AsyncSession) -> Outbox:
    return Outbox(session)
