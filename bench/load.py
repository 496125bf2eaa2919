"""`wrk` (Debian's package, compiled, so that the load generator does not eat the CPU being
measured), driven by a Lua script written per run: the requests (headers and bodies) go round
in turn, and `done()` prints the figures as one JSON line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

MARKER = "BENCH-RESULT "
MAX_RETRY_SECONDS = 30.0
# A request slower than this is timed one at a time, not under wrk.
SLOW_SECONDS = 5.0
SLOW_BUDGET_SECONDS = 60.0
# One thread: the load generator has one CPU of its own.
THREADS = 1


class LoadError(RuntimeError):
    """The load generator is missing or a run failed; the message says what to do."""


def ensure_wrk() -> str:
    """The path of `wrk`, installed with apt-get when missing and we are root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-q", "wrk"]

        def apt(command: list[str]) -> int:
            return subprocess.call(  # noqa: S603  # a fixed command
                command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
            )

        if apt(install) != 0:
            apt(["apt-get", "update", "-q"])
            apt(install)
        found = shutil.which("wrk")
        if found:
            return found
    raise LoadError(
        "wrk is not installed and could not be installed here: run "
        "`sudo apt-get install wrk` (Debian/Ubuntu) and try again"
    )


@dataclass(frozen=True)
class Request:
    path: str
    method: str = "GET"
    headers: Mapping[str, str] = field(default_factory=dict)
    body: str | None = None


@dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    connections: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def figures(self) -> dict[str, float]:
        return {
            "rps": round(self.rps, 1),
            "p50_ms": round(self.p50_ms, 2),
            "p95_ms": round(self.p95_ms, 2),
            "p99_ms": round(self.p99_ms, 2),
            "requests": self.requests,
            "errors": self.errors,
            "connections": self.connections,
        }


def _lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid Lua string for our ASCII content


def _script(requests: Sequence[Request]) -> str:
    rows = []
    for request in requests:
        headers = ", ".join(
            f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in request.headers.items()
        )
        body = "nil" if request.body is None else _lua_string(request.body)
        rows.append(
            f"  {{{_lua_string(request.method)}, {_lua_string(request.path)}, {{{headers}}}, "
            f"{body}}},"
        )
    return (
        "local specs = {\n" + "\n".join(rows) + "\n}\n"
        "local formatted = {}\n"
        "local i = 0\n"
        "init = function(args)\n"
        "  for k, s in ipairs(specs) do formatted[k] = wrk.format(s[1], s[2], s[3], s[4]) end\n"
        "end\n"
        "request = function()\n"
        "  i = i % #formatted + 1\n"
        "  return formatted[i]\n"
        "end\n"
        "done = function(summary, latency, requests)\n"
        "  local e = summary.errors\n"
        f'  io.write(string.format("{MARKER}{{\\"requests\\": %d, \\"duration_us\\": %d, '
        '\\"errors\\": %d, \\"p50\\": %d, \\"p95\\": %d, \\"p99\\": %d}\\n", '
        "summary.requests, summary.duration, e.connect + e.read + e.write + e.status + "
        "e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99)))\n"
        "end\n"
    )


def check(base_url: str, requests: Sequence[Request]) -> float:
    """Each request once before the load, so that a wrong route fails loudly, not as a
    fast stream of 4xx that would look like a great figure. The seconds it took."""
    request = requests[0]
    with httpx.Client(base_url=base_url, timeout=60.0) as client:
        started = time.perf_counter()
        response = client.request(
            request.method, request.path, headers=dict(request.headers), content=request.body
        )
        elapsed = time.perf_counter() - started
    if response.status_code >= 400:
        raise LoadError(
            f"{request.method} {base_url}{request.path} answered "
            f"{response.status_code}: {response.text[:300]}"
        )
    return elapsed


def run(
    wrk: str,
    base_url: str,
    requests: Sequence[Request],
    *,
    seconds: float,
    connections: int,
    cpu: str | None,
    script_dir: Path,
    name: str,
) -> Result:
    once = check(base_url, requests)
    if once > max(seconds, SLOW_SECONDS):
        # Slower than the run itself: wrk would leave its requests running in the server
        # after it stops, and they would slow every scenario after this one.
        return _one_by_one(base_url, requests[0], once)
    script = script_dir / f"{name}.lua"
    script.write_text(_script(requests))
    result = _wrk(wrk, base_url, script, seconds, connections, cpu, name)
    if result.requests == 0:
        # Nothing finished within a short run (a slow path, a busy machine): one connection,
        # long enough for a few requests at the pace of the check.
        longer = min(MAX_RETRY_SECONDS, max(5.0, 4 * once))
        result = _wrk(wrk, base_url, script, longer, 1, cpu, name)
    if result.requests == 0:
        # Still nothing (a machine this busy): the check answered, so time a few in turn.
        result = _one_by_one(base_url, requests[0], once)
    return result


def _one_by_one(base_url: str, request: Request, first: float) -> Result:
    """A few requests in turn (as many as fit in the budget, at least one more), timed."""
    times = [first]
    with httpx.Client(base_url=base_url, timeout=600.0) as client:
        while len(times) < 5 and (len(times) == 1 or sum(times) + first < SLOW_BUDGET_SECONDS):
            started = time.perf_counter()
            client.request(
                request.method, request.path, headers=dict(request.headers), content=request.body
            )
            times.append(time.perf_counter() - started)
    ordered = sorted(times)

    def percentile(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    return Result(
        requests=len(times),
        seconds=sum(times),
        errors=0,
        p50_ms=percentile(0.5),
        p95_ms=percentile(0.95),
        p99_ms=percentile(0.99),
        connections=1,
    )


def _wrk(
    wrk: str,
    base_url: str,
    script: Path,
    seconds: float,
    connections: int,
    cpu: str | None,
    name: str,
) -> Result:
    command = [wrk, "-t", str(THREADS), "-c", str(connections), "-d", f"{max(1, round(seconds))}s"]
    command += ["--timeout", "30s", "-s", str(script), base_url]
    if cpu is not None:
        command = ["taskset", "-c", cpu, *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)  # noqa: S603  # our own command
    line = next((row for row in done.stdout.splitlines() if row.startswith(MARKER)), None)
    if done.returncode != 0 or line is None:
        raise LoadError(f"wrk failed for {name}: {done.stderr.strip() or done.stdout.strip()}")
    raw = json.loads(line[len(MARKER) :])
    return Result(
        requests=raw["requests"],
        seconds=raw["duration_us"] / 1e6,
        errors=raw["errors"],
        p50_ms=raw["p50"] / 1000,
        p95_ms=raw["p95"] / 1000,
        p99_ms=raw["p99"] / 1000,
        connections=connections,
    )
