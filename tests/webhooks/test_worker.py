"""`inspire worker` as a deployment runs it: it delivers what is queued, answers its probes,
exports its metrics, and on SIGTERM stops claiming, gives the attempt in flight its grace
period and releases it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlmodel import select

from kit.db import Database
from services.webhooks.models import Attempt, Message
from services.webhooks.worker import health_app
from tests.support import ROOT, clean_env, served
from tests.webhooks.delivery.support import Receiver
from tests.webhooks.support import VAULT_KEY, publish, subscribe


async def until(condition: Callable[[], Awaitable[bool]], what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not await condition():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def samples(metrics: str, name: str) -> dict[str, float]:
    return {
        json.dumps(sample.labels, sort_keys=True): sample.value
        for family in text_string_to_metric_families(metrics)
        for sample in family.samples
        if sample.name == name
    }


@pytest.mark.e2e
async def test_the_worker_delivers_reports_and_stops_on_sigterm(
    fresh_database: Callable[[str], Awaitable[str]],
) -> None:
    url = await fresh_database("webhooks")
    database = Database(url, pool_size=2)
    gate = asyncio.Event()
    gate.set()
    receiver = Receiver(gate=gate)
    port = free_port()
    env = clean_env(
        INSPIRE_WEBHOOKS_DATABASE_URL=url,
        INSPIRE_WEBHOOKS_ENCRYPTION_KEYS=json.dumps({"test": VAULT_KEY}),
        INSPIRE_WEBHOOKS_ALLOW_LIST='["127.0.0.1"]',
        INSPIRE_WEBHOOKS_DISPATCH_POLL_SECONDS="0.1",
        INSPIRE_WEBHOOKS_DISPATCH_GRACE_SECONDS="1",
    )

    async def statuses() -> list[str]:
        async with database.sessionmaker() as session:
            return sorted((await session.exec(select(Message.status))).all())

    async with served(receiver.app()) as base:
        await subscribe(database, f"{base}/hooks")
        worker = await asyncio.create_subprocess_exec(
            *[sys.executable, "-m", "cli", "worker", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            await publish(database, 3)

            async def delivered() -> bool:
                return await statuses() == ["delivered"] * 3

            await until(delivered, "the worker delivered nothing")
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:

                async def ready() -> bool:
                    with contextlib.suppress(httpx.TransportError):
                        return (await client.get("/readyz")).status_code == 200
                    return False

                await until(ready, "the worker's probes did not answer")
                health = await client.get("/healthz")
                metrics = (await client.get(f"http://127.0.0.1:{port + 1000}/metrics")).text
            gate.clear()
            await publish(database, 1)

            async def in_flight() -> bool:
                return len(receiver.received) == 4

            await until(in_flight, "the fourth message was not attempted")
        finally:
            worker.send_signal(signal.SIGTERM)
            output, _ = await asyncio.wait_for(worker.communicate(), timeout=30)
        gate.set()

    async with database.sessionmaker() as session:
        attempts = len((await session.exec(select(Attempt))).all())
        released = (await session.exec(select(Message).where(Message.status != "delivered"))).one()
    await database.dispose()
    assert health.json() == {"status": "ok"}
    assert samples(metrics, "inspire_webhook_deliveries_total") == {'{"outcome": "delivered"}': 3}
    assert samples(metrics, "inspire_webhook_attempt_duration_seconds_count") == {"{}": 3}
    assert "{}" in samples(metrics, "inspire_webhook_queue_depth")
    assert worker.returncode == 0, output.decode()
    assert attempts == 3
    assert (released.status, released.attempts, released.claim) == ("pending", 0, None)


async def test_the_worker_is_not_ready_without_its_database() -> None:
    database = Database("postgresql://postgres@127.0.0.1:9/nowhere", pool_size=1)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=health_app(database)), base_url="http://worker"
    ) as client:
        health = await client.get("/healthz")
        ready = await client.get("/readyz")
    await database.dispose()

    assert (health.status_code, ready.status_code) == (200, 503)
    assert ready.json() == {"status": "unavailable"}


def test_the_worker_refuses_to_start_without_its_database() -> None:
    result = subprocess.run(  # our own command
        [sys.executable, "-m", "cli", "worker"],
        env=clean_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    assert "INSPIRE_WEBHOOKS_DATABASE_URL" in result.stderr
