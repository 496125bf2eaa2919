"""`inspire serve` stopping on SIGTERM as a pod does: readiness fails first while requests are
still served, the request in flight (a feed long-poll) is answered, the process exits 0 within
the grace the manifests give, and leaves no lock or connection behind in its database."""

from __future__ import annotations

import asyncio
import signal
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest
from fastapi import FastAPI

from kit.api import shutdown_of
from tests.support import AUTH, ROOT, Tokens, asgi_client, clean_env

# The manifests' terminationGracePeriodSeconds (30) less their preStop sleep (10).
GRACE_SECONDS = 20
DRAIN_SECONDS = 1.5


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Served:
    base: str
    database: str
    process: asyncio.subprocess.Process


@pytest.fixture
async def serving(
    fresh_database: Callable[[str], Awaitable[str]], tmp_path: Path
) -> AsyncIterator[Served]:
    database = await fresh_database("assessment")
    port = free_port()
    secrets = {
        "INSPIRE_AUTH_JWT_SECRET": AUTH.jwt_secret.get_secret_value() if AUTH.jwt_secret else "",
        "INSPIRE_AUTH_SERVICE_SECRET": (
            AUTH.service_secret.get_secret_value() if AUTH.service_secret else ""
        ),
    }
    env = clean_env(
        INSPIRE_ASSESSMENT_DATABASE_URL=database,
        INSPIRE_ASSESSMENT_DRAIN_SECONDS=str(DRAIN_SECONDS),
        # The services it reads feeds from answer nothing: its consumers keep retrying.
        INSPIRE_PEOPLE_URL=f"http://127.0.0.1:{free_port()}",
        INSPIRE_GOALS_URL=f"http://127.0.0.1:{free_port()}",
        **secrets,
    )
    with (tmp_path / "serve.log").open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            ROOT / ".venv" / "bin" / "inspire",
            "serve",
            "assessment",
            "--host=127.0.0.1",
            f"--port={port}",
            f"--metrics-port={free_port()}",
            env=env,
            stdout=log,
            stderr=asyncio.subprocess.STDOUT,
        )
    try:
        yield Served(f"http://127.0.0.1:{port}", database, process)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def until_ready(http: httpx.AsyncClient, url: str) -> None:
    for _ in range(300):
        try:
            if (await http.get(url)).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError(f"{url} never became ready")


async def held_by_others(database: str) -> tuple[int, int]:
    """Advisory locks and connections on `database`, this connection's aside."""
    connection = await asyncpg.connect(database)
    try:
        locks = await connection.fetchval(
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database"
            " WHERE l.locktype = 'advisory' AND d.datname = current_database()"
            " AND l.pid <> pg_backend_pid()"
        )
        backends = await connection.fetchval(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return int(locks), int(backends)
    finally:
        await connection.close()


@pytest.mark.e2e
async def test_sigterm_fails_readiness_then_finishes_requests_and_exits(
    serving: Served, tokens: Tokens
) -> None:
    async with httpx.AsyncClient(timeout=GRACE_SECONDS + 10) as http:
        await until_ready(http, f"{serving.base}/readyz")
        # given a consumer's long-poll of the event feed, waiting for an event that never comes
        poll = asyncio.ensure_future(
            http.get(
                f"{serving.base}/internal/events",
                params={"after": 0, "wait": 25},
                headers=tokens.service("people"),
            )
        )
        await asyncio.sleep(0.5)
        assert not poll.done()

        # when the pod is told to stop
        serving.process.send_signal(signal.SIGTERM)
        stopped_at = time.monotonic()
        await asyncio.sleep(0.3)
        ready = await http.get(f"{serving.base}/readyz")

        # then readiness fails at once while the long-poll is still being served
        assert (ready.status_code, ready.json()) == (503, {"status": "draining"})
        assert not poll.done()
        # and the long-poll is answered when the server starts closing, long before its wait
        answered = await poll
        assert answered.status_code == 200
        assert answered.json()["events"] == []
        assert time.monotonic() - stopped_at < 10

    # and the process exits cleanly within the pod's grace
    code = await asyncio.wait_for(serving.process.wait(), timeout=GRACE_SECONDS)
    assert code == 0
    assert time.monotonic() - stopped_at < GRACE_SECONDS
    # leaving no advisory lock and no connection behind
    assert await held_by_others(serving.database) == (0, 0)


async def test_every_app_fails_readiness_while_it_drains(apps: dict[str, FastAPI]) -> None:
    for name, app in apps.items():
        async with asgi_client(app, name) as client:
            before = await client.get("/readyz")
            shutdown_of(app).draining = True
            during = await client.get("/readyz")

        assert before.status_code == 200, name
        assert (during.status_code, during.json()) == (503, {"status": "draining"}), name
