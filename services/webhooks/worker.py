"""The dispatcher process (`inspire worker`): a dispatcher on the service's database, with
`/healthz` (the process) and `/readyz` (its database) on its port and Prometheus metrics
(deliveries by outcome, attempt latency, queue depth). Stopped, it claims nothing more, lets
the attempts in flight finish within the grace period and releases the rest."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from datetime import timedelta

import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from prometheus_client import Counter, Gauge, Histogram

from kit.db import Database
from services.webhooks.config import WebhooksSettings
from services.webhooks.delivery.dispatch import Dispatcher, Job
from services.webhooks.delivery.schedule import Settlement
from services.webhooks.delivery.sender import Clock, Sender, delivery_client, utcnow
from services.webhooks.delivery.ssrf import AllowList, Guard, Resolver, system_resolver
from services.webhooks.queue import PostgresQueue, outcome_name
from services.webhooks.vault import Vault

log = logging.getLogger("inspire.webhooks.dispatcher")

DELIVERIES = Counter(
    "inspire_webhook_deliveries_total",
    "Webhook delivery attempts recorded, by outcome (delivered, gone, failed).",
    ["outcome"],
)
ATTEMPT_SECONDS = Histogram(
    "inspire_webhook_attempt_duration_seconds",
    "How long a webhook delivery attempt took, from the request to the answer's first KiB.",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15),
)
QUEUE_DEPTH = Gauge(
    "inspire_webhook_queue_depth", "Webhook messages waiting for an attempt or in one."
)
DEPTH_INTERVAL = 5.0


class MeteredQueue:
    """The queue, counting each recorded attempt by outcome and timing it."""

    def __init__(self, queue: PostgresQueue) -> None:
        self.queue = queue

    async def claim(self, batch: int, lease: timedelta) -> list[Job]:
        return await self.queue.claim(batch, lease)

    async def record(self, job: Job, settlement: Settlement) -> None:
        await self.queue.record(job, settlement)
        DELIVERIES.labels(outcome_name(settlement)).inc()
        ATTEMPT_SECONDS.observe(settlement.outcome.latency_ms / 1000)

    async def release(self, job: Job) -> None:
        await self.queue.release(job)


def health_app(database: Database) -> FastAPI:
    """The probes' app: it takes no other request."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        try:
            await asyncio.wait_for(database.ping(), timeout=2)
        except Exception:
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse({"status": "ok"})

    return app


class _ProbeServer(uvicorn.Server):
    """uvicorn without its signal handlers: the worker's own stop the dispatcher first."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def _measure_depth(queue: PostgresQueue, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            QUEUE_DEPTH.set(await queue.depth())
        except Exception:
            log.warning("webhook queue depth not measured", exc_info=True)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=DEPTH_INTERVAL)


def dispatcher_of(
    settings: WebhooksSettings,
    database: Database,
    sender: Sender,
    clock: Clock = utcnow,
) -> tuple[Dispatcher, PostgresQueue]:
    current, keys = settings.vault_keys()
    queue = PostgresQueue(database, Vault(current, keys), clock)
    dispatcher = Dispatcher(
        MeteredQueue(queue),
        sender,
        concurrency=settings.dispatch_concurrency,
        lease=timedelta(seconds=settings.dispatch_lease_seconds),
        poll=settings.dispatch_poll_seconds,
    )
    return dispatcher, queue


async def run(
    settings: WebhooksSettings,
    stop: asyncio.Event,
    *,
    host: str,
    port: int,
    resolver: Resolver = system_resolver,
) -> None:
    """Deliver until `stop` is set, serving the probes on `host:port`."""
    database = Database(str(settings.database_url), pool_size=4)
    guard = Guard(allow=AllowList.parse(settings.allowed()), resolve=resolver)
    probes = _ProbeServer(
        uvicorn.Config(
            health_app(database),
            host=host,
            port=port,
            access_log=False,
            log_config=None,
            lifespan="off",
        )
    )
    try:
        async with delivery_client(guard, max_connections=settings.dispatch_concurrency) as client:
            dispatcher, queue = dispatcher_of(settings, database, Sender(client), utcnow)
            serving = asyncio.create_task(probes.serve(), name="probes")
            depth = asyncio.create_task(_measure_depth(queue, stop), name="queue depth")
            delivering = asyncio.create_task(
                dispatcher.run(settings.dispatch_grace_seconds), name="dispatcher"
            )
            log.info("webhook dispatcher started", extra={"port": port})
            await stop.wait()
            dispatcher.stop()
            await delivering
            await depth
            probes.should_exit = True
            await serving
            log.info("webhook dispatcher stopped", extra={"delivered": dispatcher.recorded})
    finally:
        await database.dispose()
