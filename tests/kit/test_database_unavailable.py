"""When PostgreSQL goes away, a service says so: 503 problem+json with `Retry-After`, and one
WARNING line in its log rather than a traceback per request. Real servers, no fakes: one
database URL that refuses connections, one database terminated and dropped mid-run."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import asyncpg
import httpx
import pytest

from cli.devdb import drop_database
from kit.db import Database
from tests.people.factories import create_hr_admin
from tests.support import Tokens, asgi_client, service_app

PROBLEM = "application/problem+json"


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["retry-after"] == "5"
    assert response.json()["code"] == "database_unavailable"


def logged(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [
        f"{record.name}: {record.getMessage()}"
        for record in caplog.records
        if record.levelno == level and record.name != "inspire.http"
    ]


async def test_a_database_that_refuses_connections_is_503_and_one_warning(
    tokens: Tokens, caplog: pytest.LogCaptureFixture
) -> None:
    # Port 1: nothing listens there, the connection is refused.
    database = Database("postgresql://postgres@127.0.0.1:1/inspire_people", pool_size=1)
    app = service_app("people", database)
    caplog.set_level(logging.INFO)

    async with asgi_client(app, "people") as client:
        answers = [
            await client.get("/v1/people/me", headers=tokens.person("ada@example.com"))
            for _ in range(3)
        ]
        write = await client.post(
            "/v1/people",
            json={"email": "ada@example.com", "name": "Ada"},
            headers=tokens.person("ada@example.com"),
        )
    await database.dispose()

    for response in [*answers, write]:
        assert_unavailable(response)
    assert logged(caplog, logging.WARNING) == [
        "inspire.db: database unavailable; requests answer 503 until it is back"
    ]
    assert logged(caplog, logging.ERROR) == []
    assert not any(record.exc_info for record in caplog.records)


@pytest.mark.e2e
async def test_a_database_dropped_mid_run_is_503_and_one_warning(
    pg_server: str,
    fresh_database: Callable[[str], Awaitable[str]],
    tokens: Tokens,
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = await fresh_database("people")
    name = url.rsplit("/", 1)[1]
    database = Database(url, pool_size=2)
    async with database.sessionmaker() as session:
        admin = await create_hr_admin(session, email="hana.hr@example.com")
        await session.commit()
    app = service_app("people", database)
    as_admin = tokens.person(admin.email)
    caplog.set_level(logging.INFO)

    async with asgi_client(app, "people") as client:
        before = await client.get("/v1/people/me", headers=as_admin)
        # The server ends every session on the database, then the database goes.
        server = await asyncpg.connect(pg_server)
        try:
            await server.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
            )
        finally:
            await server.close()
        await drop_database(pg_server, name)
        after = [await client.get("/v1/people/me", headers=as_admin) for _ in range(3)]
        write = await client.post("/v1/teams", json={"name": "Platform"}, headers=as_admin)
    await database.dispose()

    assert before.status_code == 200
    for response in [*after, write]:
        assert_unavailable(response)
    assert logged(caplog, logging.WARNING) == [
        "inspire.db: database unavailable; requests answer 503 until it is back"
    ]
    assert logged(caplog, logging.ERROR) == []
    assert not any(record.exc_info for record in caplog.records)
