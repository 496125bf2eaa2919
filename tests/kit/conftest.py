"""The kit's own tests: the toy service in process (its databases come from
`tests.kit.toy_databases`), and every service's app beside the gateway."""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from fastapi import FastAPI

from gateway.app import create_app as create_gateway
from gateway.clients import open_clients
from gateway.config import GatewaySettings
from kit.db import Database
from kit.settings import Environment
from tests.kit.toy_databases import toy_app
from tests.support import AUTH, asgi_client, rolled_back, service_app


@pytest.fixture
async def toy_client(toy_db: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(toy_app(toy_db), "toy") as client:
        yield client


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


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    """Where `configure_logging` writes in these tests; the logging set-up is put back after."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    access = logging.getLogger("uvicorn.access")
    access_disabled = access.disabled
    yield io.StringIO()
    root.handlers[:] = handlers
    root.setLevel(level)
    access.disabled = access_disabled
