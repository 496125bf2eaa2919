"""The `inspire` command as an operator runs it: in a process of its own, with only the
environment it is given."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Mapping

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from kit.auth import ROLE_CLAIM, TokenVerifier
from kit.errors import Unauthorized
from kit.settings import AuthSettings
from tests.support import AUTH, ROOT, Tokens, clean_env

SECRET = "a-jwt-secret-for-the-token-command-test"  # noqa: S105  # a test key


def inspire(
    *args: str, env: Mapping[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  # our own command
        [sys.executable, "-m", "cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_help_lists_every_command() -> None:
    result = inspire("--help", env=clean_env())

    assert result.returncode == 0
    for command in ("serve", "migrate", "token", "dev", "test"):
        assert command in result.stdout


def test_serve_refuses_without_database_url_and_keys() -> None:
    result = inspire("serve", "people", env=clean_env())

    assert result.returncode == 2
    assert "INSPIRE_PEOPLE_DATABASE_URL" in result.stderr
    assert "INSPIRE_AUTH_JWT_SECRET or INSPIRE_AUTH_JWKS_URL" in result.stderr
    assert "INSPIRE_AUTH_SERVICE_SECRET" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_with_a_database_still_refuses_without_keys() -> None:
    env = clean_env(INSPIRE_PEOPLE_DATABASE_URL="postgresql://postgres@127.0.0.1/nowhere")

    result = inspire("serve", "people", env=env)

    assert result.returncode == 2
    assert "INSPIRE_PEOPLE_DATABASE_URL" not in result.stderr
    assert "INSPIRE_AUTH_SERVICE_SECRET" in result.stderr


@pytest.mark.parametrize("variable", ["INSPIRE_AUTH_JWT_SECRET", "INSPIRE_AUTH_SERVICE_SECRET"])
def test_serve_refuses_a_secret_too_short_for_hs256(variable: str) -> None:
    keys = {
        "INSPIRE_AUTH_JWT_SECRET": "j" * 32,
        "INSPIRE_AUTH_SERVICE_SECRET": "s" * 32,
        variable: "x" * 31,
    }
    env = clean_env(INSPIRE_PEOPLE_DATABASE_URL="postgresql://postgres@127.0.0.1/nowhere", **keys)

    result = inspire("serve", "people", env=env)

    assert result.returncode == 2
    assert f"{variable} is shorter than 32 bytes" in result.stderr
    assert "x" * 31 not in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_names_the_unknown_service() -> None:
    result = inspire("serve", "nobody", env=clean_env())

    assert result.returncode == 2
    assert "unknown service nobody" in result.stderr
    assert "people" in result.stderr


async def test_person_token_authenticates_with_the_secret() -> None:
    result = inspire("token", "ada@example.com", env=clean_env(INSPIRE_AUTH_JWT_SECRET=SECRET))

    assert result.returncode == 0
    verifier = TokenVerifier(AuthSettings(jwt_secret=SecretStr(SECRET)))
    claims = await verifier.verify(result.stdout.strip())
    assert claims["email"] == "ada@example.com"
    assert claims["sub"] == "ada@example.com"
    assert claims["exp"] - claims["iat"] == 3600


async def test_integration_token_carries_its_scopes() -> None:
    args = ("token", "hris", "--integration", "--scope", "people:read", "--scope", "people:write")

    result = inspire(*args, "--ttl", "60", env=clean_env(INSPIRE_AUTH_JWT_SECRET=SECRET))

    assert result.returncode == 0
    verifier = TokenVerifier(AuthSettings(jwt_secret=SecretStr(SECRET)))
    claims = await verifier.verify(result.stdout.strip())
    assert claims[ROLE_CLAIM] == "integration"
    assert claims["scope"] == "people:read people:write"
    assert claims["exp"] - claims["iat"] == 60


async def test_token_signed_with_another_secret_is_refused() -> None:
    result = inspire("token", "ada@example.com", env=clean_env(INSPIRE_AUTH_JWT_SECRET=SECRET))

    verifier = TokenVerifier(
        AuthSettings(jwt_secret=SecretStr("another-secret-that-is-long-enough-for-hs256"))
    )
    with pytest.raises(Unauthorized):
        await verifier.verify(result.stdout.strip())


@pytest.mark.e2e
async def test_serve_answers_exposes_metrics_and_stops_on_sigterm(
    fresh_database: Callable[[str], Awaitable[str]], tokens: Tokens
) -> None:
    assert AUTH.jwt_secret is not None
    assert AUTH.service_secret is not None
    port, metrics_port = free_port(), free_port()
    env = clean_env(
        INSPIRE_PEOPLE_DATABASE_URL=await fresh_database("people"),
        INSPIRE_AUTH_JWT_SECRET=AUTH.jwt_secret.get_secret_value(),
        INSPIRE_AUTH_SERVICE_SECRET=AUTH.service_secret.get_secret_value(),
    )
    server = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "cli", "serve", "people", "--host", "127.0.0.1"],
        *["--port", str(port), "--metrics-port", str(metrics_port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            deadline = time.monotonic() + 30
            while True:
                assert server.returncode is None, "people exited before it was ready"
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get("/readyz")).status_code == 200:
                        break
                assert time.monotonic() < deadline, "people did not become ready"
                await asyncio.sleep(0.1)
            events = await client.get("/internal/events", headers=tokens.service())
            metrics = await client.get(f"http://127.0.0.1:{metrics_port}/metrics")
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(server.communicate(), timeout=30)

    assert events.status_code == 200
    served = {
        (sample.labels["route"], sample.labels["status"])
        for family in text_string_to_metric_families(metrics.text)
        for sample in family.samples
        if sample.name == "inspire_http_requests_total" and sample.labels["service"] == "people"
    }
    assert ("/readyz", "200") in served
    # Uvicorn shuts down gracefully, then re-raises the signal so the exit status tells why.
    assert server.returncode in (0, -signal.SIGTERM)
    logs = [json.loads(line) for line in output.decode().splitlines() if line.startswith("{")]
    request = next(log for log in logs if log.get("route") == "/internal/events")
    assert request["service"] == "people"
    assert request["request_id"] == events.headers["x-request-id"]
    assert all(log.get("logger") != "uvicorn.access" for log in logs)
    assert any(log["message"] == "Application shutdown complete." for log in logs)
