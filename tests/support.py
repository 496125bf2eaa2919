"""What the tests of every service share, beside the fixtures of the root conftest: the test
keys and bearer headers, each service's real app in process or behind a real server, and what
a test reads back (the SQL sent, the outbox, a problem's fields and codes)."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from pydantic import SecretStr
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.api import ServiceSpec
from kit.auth import ROLE_CLAIM, mint_service_token, mint_token
from kit.db import Database
from kit.events import OutboxEvent
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


@contextlib.asynccontextmanager
async def rolled_back(shared: Database) -> AsyncIterator[Database]:
    """`shared`'s database, bound to one transaction that is rolled back at the end: commits
    inside become savepoints. The fast tier's fixtures are made with it."""
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


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without any INSPIRE_ variable, plus `extra`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("INSPIRE_")}
    return {**env, **extra}


class Statements:
    """The SQL statements sent to the service's database since the test began, in order."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def __call__(self, *args: Any) -> None:
        self.sent.append(args[2])  # (connection, cursor, statement, ...)

    @property
    def count(self) -> int:
        return len(self.sent)

    @property
    def queries(self) -> list[str]:
        """What was sent, without the savepoints the tests' transaction wraps requests in."""
        return [sql for sql in self.sent if "SAVEPOINT" not in sql]

    async def of_read(self, client: httpx.AsyncClient, path: str, headers: dict[str, str]) -> int:
        """How many statements a successful `GET path` sends (savepoints left out)."""
        self.sent.clear()
        response = await client.get(path, headers=headers)
        assert response.status_code == 200, response.text
        return len(self.queries)


class Outbox:
    """The events written so far in this test, oldest first."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def events(self) -> list[tuple[str, dict[str, Any]]]:
        rows = await self.session.exec(select(OutboxEvent).order_by(col(OutboxEvent.seq)))
        return [(row.type, row.payload) for row in rows.all()]

    async def types(self) -> list[str]:
        return [type_ for type_, _ in await self.events()]


def problem_fields(response: httpx.Response) -> set[str]:
    return {error["field"] for error in response.json()["errors"]}


def problem_codes(response: httpx.Response) -> set[str]:
    return {error["code"] for error in response.json()["errors"]}


def operations(openapi: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """Every operation of an OpenAPI document: its path, its method and itself."""
    return [
        (path, method, operation)
        for path, methods in openapi["paths"].items()
        for method, operation in methods.items()
    ]
