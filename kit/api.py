"""How every service app is assembled: routers, error handlers, request context, health,
the event feed and the relay, all the same way."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, params
from fastapi.responses import JSONResponse
from sqlalchemy import MetaData

from kit import consumer as _consumer_tables  # noqa: F401  # registers the consumer tables
from kit.auth import Directory, TokenVerifier
from kit.db import Database, UnitOfWorkRoute
from kit.edge import BodySizeLimit, refuse_unknown_query, typed_path
from kit.errors import PROBLEM_RESPONSES, install_error_handlers
from kit.etag import document_if_match_required
from kit.events import EventCatalogue
from kit.feed import feed_router, first_of, listen_for_commits, run_relay
from kit.idempotency import idempotency_guard
from kit.models import KitModel
from kit.observability import RequestContextMiddleware
from kit.settings import ServiceSettings


class ServiceRoute(UnitOfWorkRoute):
    """A unit-of-work route that refuses query parameters it does not declare, matches ids as
    UUIDs only, and whose POSTs honour `Idempotency-Key`."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        # After the router's and the app's own dependencies: a specific refusal (such as the
        # goals service's OKR firewall) speaks before this generic one.
        dependencies = [*(kwargs.get("dependencies") or []), Depends(refuse_unknown_query)]
        if "POST" in (kwargs.get("methods") or ()):
            dependencies.append(Depends(idempotency_guard))
        kwargs["dependencies"] = dependencies
        super().__init__(typed_path(path, endpoint), endpoint, **kwargs)


def service_router(**kwargs: Any) -> APIRouter:
    return APIRouter(route_class=ServiceRoute, responses=PROBLEM_RESPONSES, **kwargs)


Worker = Callable[[FastAPI, asyncio.Event], Coroutine[Any, Any, None]]


@dataclass
class Shutdown:
    """How a process stops (SIGTERM, `cli.production`): first `draining` (readiness fails,
    requests are still taken, so that load balancers move away), then `closing` (the server
    takes no more requests, feed long-polls answer at once, background loops stop and release
    their locks while the requests in flight finish)."""

    draining: bool = False
    closing: asyncio.Event = field(default_factory=asyncio.Event)


def shutdown_of(app: FastAPI) -> Shutdown:
    shutdown: Shutdown = app.state.shutdown
    return shutdown


# Allocations between two passes of the cyclic garbage collector over its youngest objects
# (CPython's default: 700), then the passes over the older generations. A request frees what
# it made by reference counting; at 700, a read of a page ran the collector a dozen times over
# objects still in use.
GC_THRESHOLDS = (50_000, 20, 10)


@functools.cache
def settle_heap() -> None:
    """Once a process has started (once per process: frozen objects are never collected):
    what lives as long as it does (modules, the app, schemas, compiled statements; a few
    hundred thousand objects) is set outside the collector's passes (`gc.freeze`), which
    otherwise walked all of it on every pass over the oldest generation, and the collector
    runs less often (`GC_THRESHOLDS`). Garbage in cycles is still found."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


@dataclass(frozen=True)
class ServiceSpec:
    """What the `inspire` command needs to know to migrate and run a service (or the gateway,
    which has no database: `metadata` and `migrations` are None)."""

    name: str
    settings_class: type[ServiceSettings]
    create_app: Callable[..., FastAPI]
    metadata: MetaData | None
    migrations: Path | None
    dev_port: int
    # Tables of other kinds this service keeps too (e.g. the org copy), besides the kit's.
    extra_metadata: tuple[MetaData, ...] = ()

    @property
    def has_database(self) -> bool:
        return self.metadata is not None

    @property
    def target_metadata(self) -> list[MetaData]:
        own = [self.metadata] if self.metadata is not None else []
        return [*own, *self.extra_metadata, KitModel.metadata]

    def settings(self) -> ServiceSettings:
        return self.settings_class()


@dataclass
class AppParts:
    name: str
    settings: ServiceSettings
    directory: Directory
    catalogue: EventCatalogue
    routers: Sequence[APIRouter]
    description: str = ""
    # Background loops (consumers…) started with the app and stopped with it.
    workers: Sequence[Worker] = field(default_factory=tuple)
    # Run before every route of the app, those of routers added later included.
    dependencies: Sequence[params.Depends] = field(default_factory=tuple)


async def _set_when(stop: asyncio.Event, closing: asyncio.Event) -> None:
    await first_of(closing, stop, within=None)
    stop.set()


def create_service_app(parts: AppParts, database: Database | None = None) -> FastAPI:
    settings = parts.settings
    if database is None:
        if not settings.database_url:
            raise ValueError(f"{parts.name}: no database URL")
        database = Database(settings.database_url, pool_size=settings.pool_size)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop = asyncio.Event()
        shutdown = shutdown_of(app)
        loops = [
            # Stop the loops when the server starts closing, not after the last request.
            asyncio.create_task(_set_when(stop, shutdown.closing)),
            asyncio.create_task(listen_for_commits(database, stop)),
            asyncio.create_task(run_relay(database, parts.name, stop)),
        ]
        loops += [asyncio.create_task(worker(app, stop)) for worker in parts.workers]
        settle_heap()
        try:
            yield
        finally:
            stop.set()
            await asyncio.gather(*loops, return_exceptions=True)
            await database.dispose()

    app = FastAPI(
        title=f"Inspire {parts.name}",
        description=parts.description,
        version="0.1.0",
        lifespan=lifespan,
        dependencies=list(parts.dependencies),
        openapi_url="/openapi.json" if settings.serves_api_docs else None,
        docs_url="/docs" if settings.serves_api_docs else None,
        redoc_url="/redoc" if settings.serves_api_docs else None,
        # A redirect would echo the request's `Host` into `Location`: a path is exact or 404.
        redirect_slashes=False,
    )
    app.state.name = parts.name
    app.state.shutdown = Shutdown()
    app.state.settings = settings
    app.state.database = database
    app.state.token_verifier = TokenVerifier(settings.auth)
    app.state.directory = parts.directory
    app.state.catalogue = parts.catalogue
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestContextMiddleware, service=parts.name)
    strict_query = [Depends(refuse_unknown_query)]

    @app.get("/healthz", tags=["health"], include_in_schema=False, dependencies=strict_query)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"], include_in_schema=False, dependencies=strict_query)
    async def readyz() -> JSONResponse:
        if shutdown_of(app).draining:
            return JSONResponse({"status": "draining"}, status_code=503)
        # Only our own database: another service being down must not take this one out.
        try:
            await asyncio.wait_for(database.ping(), timeout=2)
        except Exception:
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse({"status": "ok"})

    app.include_router(feed_router(), dependencies=strict_query)
    for router in parts.routers:
        app.include_router(router)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document_if_match_required(FastAPI.openapi(app))
        return app.openapi_schema  # type: ignore[return-value]  # set by FastAPI.openapi

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented override
    return app
