from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from cli.devdb import drop_database, recreate_database
from gateway.app import create_app as create_gateway
from gateway.clients import open_clients
from gateway.config import GatewaySettings
from kit.db import Database, async_url
from kit.models import KitModel
from kit.orgcopy import ORG_METADATA
from kit.settings import Environment, ServiceSettings
from tests.conftest import AUTH, RUN_ID, asgi_client, rolled_back, service_app
from tests.kit.toy import Member, ToyModel, create_toy_app


async def _create_schema(url: str) -> None:
    engine = create_async_engine(async_url(url), poolclass=NullPool)
    async with engine.begin() as connection:
        await connection.run_sync(KitModel.metadata.create_all)
        await connection.run_sync(ToyModel.metadata.create_all)
        await connection.run_sync(ORG_METADATA.create_all)
    await engine.dispose()


@pytest.fixture(scope="session")
async def toy_template(pg_server: str) -> AsyncIterator[str]:
    name = f"inspire_tpl_toy_{RUN_ID}"
    await _create_schema(await recreate_database(pg_server, name))
    yield name
    await drop_database(pg_server, name)


@pytest.fixture(scope="session")
async def toy_shared(pg_server: str, toy_template: str) -> AsyncIterator[Database]:
    name = f"inspire_fast_toy_{RUN_ID}"
    database = Database(await recreate_database(pg_server, name, template=toy_template))
    yield database
    await database.dispose()
    await drop_database(pg_server, name)


def toy_settings(url: str) -> ServiceSettings:
    return ServiceSettings(database_url=url, environment=Environment.TEST, auth=AUTH)


@pytest.fixture
async def toy_db(toy_shared: Database) -> AsyncIterator[Database]:
    async with rolled_back(toy_shared) as database:
        yield database


@pytest.fixture
async def toy_client(toy_db: Database) -> AsyncIterator[httpx.AsyncClient]:
    app = create_toy_app(toy_settings(toy_db.url.render_as_string(False)), toy_db)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://toy"
    ) as client:
        yield client


async def add_member(database: Database, email: str, **fields: object) -> Member:
    async with database.sessionmaker() as session:
        member = Member(email=email, **fields)  # type: ignore[arg-type]  # test overrides
        session.add(member)
        await session.commit()
        return member


@pytest.fixture
async def fresh_toy(
    pg_server: str, toy_template: str
) -> AsyncIterator[Callable[[], Awaitable[Database]]]:
    """Databases with committed data, for what needs real commits."""
    made: list[tuple[str, Database]] = []

    async def make() -> Database:
        name = f"inspire_e2e_toy_{uuid.uuid4().hex[:12]}"
        database = Database(await recreate_database(pg_server, name, template=toy_template))
        made.append((name, database))
        return database

    yield make
    for name, database in made:
        await database.dispose()
        await drop_database(pg_server, name)


@pytest.fixture
async def apps(fast_databases: dict[str, Database]) -> AsyncIterator[dict[str, FastAPI]]:
    """Each service's app, and the gateway (its clients pointed at nothing: no request here
    gets as far as calling a service)."""
    async with contextlib.AsyncExitStack() as stack:
        apps = {
            name: service_app(name, await stack.enter_async_context(rolled_back(database)))
            for name, database in fast_databases.items()
        }
        settings = GatewaySettings(environment=Environment.TEST, auth=AUTH)
        clients = await stack.enter_async_context(open_clients(settings))
        yield apps | {"gateway": create_gateway(settings, clients)}


async def call(app: FastAPI, name: str, method: str, path: str, **kwargs: object) -> httpx.Response:
    async with asgi_client(app, name) as client:
        return await client.request(method, path, **kwargs)  # type: ignore[arg-type]  # httpx kwargs
