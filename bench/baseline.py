"""The physical limit, measured in the same run as the services: a raw ASGI "hello" (what
uvicorn alone costs) and a minimal FastAPI endpoint doing one asyncpg query (no ORM, no auth,
no middleware) on the same PostgreSQL and the same rows as `GET /v1/objectives/{id}`."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
from fastapi import FastAPI, HTTPException

DATABASE_ENV = "BENCH_BASELINE_DATABASE_URL"
POOL_SIZE = 10

Scope = dict[str, Any]


async def hello(scope: Scope, receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": b'{"hello":"world"}'})


def create_app() -> FastAPI:
    url = os.environ[DATABASE_ENV]
    pools: list[asyncpg.Pool] = []

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pools.append(await asyncpg.create_pool(url, min_size=POOL_SIZE, max_size=POOL_SIZE))
        yield
        await pools[0].close()

    app = FastAPI(lifespan=lifespan, openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/objectives/{objective_id}")
    async def objective(objective_id: uuid.UUID) -> dict[str, Any]:
        row = await pools[0].fetchrow(
            "SELECT id, cycle_id, title, description, owner_kind, owner_person_id, kind,"
            " status, visibility, created_at, updated_at, version FROM objective WHERE id = $1",
            objective_id,
        )
        if row is None:
            raise HTTPException(404)
        return dict(row)

    return app
