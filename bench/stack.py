"""The stack under measurement: fresh `inspire_bench_<service>` databases migrated with the
services' own migrations and filled by `bench.orgdata`, then each service, the gateway and the
two baselines as real uvicorn processes on 127.0.0.1, pinned to the servers' CPU."""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import socket
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import asyncpg
from pydantic import SecretStr

from bench import assessment, orgdata
from cli.devdb import drop_database, find_server, recreate_database
from cli.devstack import ROOT, STATE_DIR, NotReady, Starting, wait_until_ready
from kit.auth import ROLE_CLAIM, mint_token
from kit.migrations import migrate
from kit.settings import AuthSettings
from services.assessment.app import SPEC as ASSESSMENT
from services.feedback.app import SPEC as FEEDBACK
from services.goals.app import SPEC as GOALS
from services.people.app import SPEC as PEOPLE

HOST = "127.0.0.1"
SERVER_ENV = "INSPIRE_BENCH_DATABASE_URL"
SERVICES = (PEOPLE, GOALS, FEEDBACK, ASSESSMENT)
# The dev stack uses 8000-8006 (+1000 for metrics); the bench starts well above both.
FIRST_PORT = 18000
# Importing an app costs about 5 s of CPU; on a busy two-core machine seven start together.
READY_TIMEOUT_SECONDS = 300.0
# The gateway gives up on a slow service after 5 s by default; the bench measures slow paths
# rather than failing them (a timeout would turn the answer into a partial error).
GATEWAY_SERVICE_TIMEOUT_SECONDS = "120"
# One uvicorn worker per process, as `inspire serve` runs them; replicas scale out.
WORKERS = 1


def cpu_plan() -> tuple[str | None, str | None, str]:
    """Which CPUs the servers and `wrk` get, and a sentence saying so."""
    count = os.cpu_count() or 1
    if count < 2:
        return None, None, "1 CPU: servers, wrk and PostgreSQL share it (no pinning)"
    servers = ",".join(str(cpu) for cpu in range(count - 1))
    return (
        servers,
        str(count - 1),
        f"taskset: services, gateway and baselines on CPU {servers}, wrk on CPU {count - 1}; "
        "PostgreSQL unpinned (it is shared)",
    )


def _free_port(start: int, taken: set[int]) -> int:
    """The first port from `start` on that nobody listens on, nor its metrics port (+1000)."""
    port = start
    while True:
        if port not in taken and all(_bindable(p) for p in (port, port + 1000)):
            taken.add(port)
            return port
        port += 1


def _bindable(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


@dataclass
class Process:
    name: str
    port: int
    popen: subprocess.Popen[bytes]
    log: IO[bytes]

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def metrics_url(self) -> str:
        return f"http://{HOST}:{self.port + 1000}/metrics"

    def peak_rss_mib(self) -> float:
        """VmHWM: the resident set's high-water mark since the process started."""
        status = Path(f"/proc/{self.popen.pid}/status").read_text()
        match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        return int(match.group(1)) / 1024 if match else float("nan")


@dataclass
class Stack:
    server_url: str
    prefix: str
    jwt_secret: str
    service_secret: str
    cpus: str | None
    out_dir: Path
    processes: dict[str, Process] = field(default_factory=dict)
    database_urls: dict[str, str] = field(default_factory=dict)

    def database(self, service: str) -> str:
        return f"{self.prefix}_{service}"

    def token(self, email: str) -> str:
        auth = AuthSettings(jwt_secret=SecretStr(self.jwt_secret))
        return mint_token(auth, claims={"sub": email, "email": email}, ttl_seconds=6 * 3600)

    def integration_token(self) -> str:
        auth = AuthSettings(jwt_secret=SecretStr(self.jwt_secret))
        scopes = " ".join(f"{s.name}:{a}" for s in SERVICES for a in ("read", "write"))
        claims = {"sub": "bench", ROLE_CLAIM: "integration", "scope": scopes}
        return mint_token(auth, claims=claims, ttl_seconds=6 * 3600)

    def url(self, name: str) -> str:
        return self.processes[name].url


async def open_stack(prefix: str, out_dir: Path, cpus: str | None) -> Stack:
    server = await find_server(SERVER_ENV, STATE_DIR / "bench-pg")
    return Stack(
        server_url=server,
        prefix=prefix,
        jwt_secret=secrets.token_urlsafe(32),
        service_secret=secrets.token_urlsafe(32),
        cpus=cpus,
        out_dir=out_dir,
    )


async def prepare_data(stack: Stack, org: orgdata.Org) -> dict[str, int]:
    """Fresh databases, migrated, then filled; returns the rows written per table."""
    counts: dict[str, int] = {}
    for spec in SERVICES:
        url = await recreate_database(stack.server_url, stack.database(spec.name))
        stack.database_urls[spec.name] = url
        await migrate(spec, url)
    loaders = {
        "people": [orgdata.load_people],
        "goals": [orgdata.load_org_copy, orgdata.load_goals],
        "feedback": [orgdata.load_org_copy, orgdata.load_feedback],
        # 1:1s go here when their tables exist (orgdata.LATER).
        "assessment": [orgdata.load_org_copy, assessment.load_assessment],
    }
    for service, steps in loaders.items():
        connection = await asyncpg.connect(stack.database_urls[service])
        try:
            for step in steps:
                for table, rows in (await step(connection, org)).items():
                    counts[table] = counts.get(table, 0) + rows
            await connection.execute("ANALYZE")
        finally:
            await connection.close()
    return counts


async def drop_data(stack: Stack) -> None:
    for spec in SERVICES:
        await drop_database(stack.server_url, stack.database(spec.name))


def _pin(process: Process, cpus: str | None) -> None:
    """Every thread of the process onto the servers' CPUs, away from the load generator's."""
    if cpus:
        subprocess.run(  # noqa: S603  # a fixed command
            ["taskset", "-a", "-p", "-c", cpus, str(process.popen.pid)],  # noqa: S607  # taskset from PATH
            check=True,
            stdout=subprocess.DEVNULL,
        )


def _environment(stack: Stack, urls: Mapping[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env.update({f"INSPIRE_{name.upper()}_URL": url for name, url in urls.items()})
    for spec in SERVICES:
        env[f"INSPIRE_{spec.name.upper()}_DATABASE_URL"] = stack.database_urls[spec.name]
    env["INSPIRE_AUTH_JWT_SECRET"] = stack.jwt_secret
    env["INSPIRE_AUTH_SERVICE_SECRET"] = stack.service_secret
    # A fresh key per run, as production has its own: private 1:1 notes are sealed with it.
    note_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    env["INSPIRE_FEEDBACK_NOTE_KEYS"] = json.dumps({"bench": note_key})
    env["INSPIRE_FEEDBACK_NOTE_KEY_ID"] = "bench"
    env["INSPIRE_GATEWAY_SERVICE_TIMEOUT_SECONDS"] = GATEWAY_SERVICE_TIMEOUT_SECONDS
    return env


def start_stack(stack: Stack) -> None:
    """Each service and the gateway as `inspire serve` runs them in production (one uvicorn
    worker each, JSON request logs to a file beside the results)."""
    taken: set[int] = set()
    names = [spec.name for spec in SERVICES] + ["gateway"]
    ports = {name: _free_port(FIRST_PORT + offset, taken) for offset, name in enumerate(names)}
    urls = {name: f"http://{HOST}:{port}" for name, port in ports.items()}
    env = _environment(stack, urls)
    for name in names:
        command = [sys.executable, "-m", "cli", "serve", name, "--host", HOST]
        command += ["--port", str(ports[name]), "--metrics-port", str(ports[name] + 1000)]
        _spawn(stack, name, ports[name], command, env)


def start_baselines(stack: Stack) -> None:
    """The physical limit: a raw ASGI "hello", and FastAPI with one asyncpg query."""
    taken = {process.port for process in stack.processes.values()}
    env = dict(os.environ)
    env["BENCH_BASELINE_DATABASE_URL"] = stack.database_urls["goals"]
    for name, target, factory in (
        ("baseline-hello", "bench.baseline:hello", False),
        ("baseline-asyncpg", "bench.baseline:create_app", True),
    ):
        port = _free_port(FIRST_PORT + 50, taken)
        command = [sys.executable, "-m", "uvicorn", target, "--host", HOST, "--port", str(port)]
        command += ["--no-access-log", "--log-level", "warning", "--workers", str(WORKERS)]
        command += ["--factory"] if factory else []
        _spawn(stack, name, port, command, env)


def _spawn(stack: Stack, name: str, port: int, command: list[str], env: Mapping[str, str]) -> None:
    log = (stack.out_dir / f"{name}.log").open("ab")
    # Started on every CPU (importing the apps is the slow part of a start), pinned once ready.
    popen = subprocess.Popen(  # noqa: S603  # our own command
        command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
    )
    stack.processes[name] = Process(name=name, port=port, popen=popen, log=log)


def wait_ready(stack: Stack) -> None:
    """Until each process answers (services on `/readyz`), pinning each as it does."""
    starting = [
        Starting(
            name,
            process.popen,
            process.url + ("/healthz" if name.startswith("baseline") else "/readyz"),
        )
        for name, process in stack.processes.items()
    ]
    try:
        wait_until_ready(
            starting,
            READY_TIMEOUT_SECONDS,
            on_ready=lambda name: _pin(stack.processes[name], stack.cpus),
        )
    except NotReady as exc:
        raise RuntimeError(f"{exc}; see {stack.out_dir / (exc.name + '.log')}") from exc


def stop(stack: Stack, names: Sequence[str] | None = None) -> None:
    chosen = [stack.processes[n] for n in (names or list(stack.processes))]
    for process in chosen:
        if process.popen.poll() is None:
            process.popen.terminate()
    for process in chosen:
        try:
            process.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.popen.kill()
            process.popen.wait()
        process.log.close()
        stack.processes.pop(process.name, None)


async def pg_connect(stack: Stack, service: str | None = None) -> asyncpg.Connection:
    url = stack.database_urls[service] if service else stack.server_url
    return await asyncpg.connect(url)
