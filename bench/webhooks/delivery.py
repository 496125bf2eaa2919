"""Deliveries per second from one dispatcher to a receiver on this machine, over real sockets,
each message signed and sent through the SSRF guard as in production; the target of issue 12
is at least 500 a second.

The receiver runs in its own process (uvicorn, one worker, no access log) so that it does not
share the dispatcher's event loop; on a machine with two CPUs or more each gets a CPU of its own.
The queue is kept in memory: this measures the dispatcher, the signing and the HTTP client, not
the tables the service will keep its messages in.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter, deque
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from services.webhooks.delivery.dispatch import Dispatcher, Job
from services.webhooks.delivery.schedule import Settlement
from services.webhooks.delivery.sender import Sender, delivery_client
from services.webhooks.delivery.signing import body, new_secret
from services.webhooks.delivery.ssrf import AllowList, Guard

TARGET = 500.0


class Backlog:
    """A queue of jobs all due now, in memory; it counts what it is told."""

    def __init__(self, jobs: Sequence[Job]) -> None:
        self.due = deque(jobs)
        self.statuses: Counter[str] = Counter()
        self.latencies: list[float] = []

    async def claim(self, batch: int, lease: timedelta) -> list[Job]:
        return [self.due.popleft() for _ in range(min(batch, len(self.due)))]

    async def record(self, job: Job, settlement: Settlement) -> None:
        self.statuses[settlement.status] += 1
        self.latencies.append(settlement.outcome.latency_ms)

    async def release(self, job: Job) -> None:
        self.due.append(job)


def jobs(url: str, count: int, secrets: tuple[str, ...]) -> list[Job]:
    endpoint = uuid.uuid4()
    occurred = datetime.now(UTC)
    return [
        Job(
            message_id=f"msg_{uuid.uuid4().hex}",
            endpoint_id=endpoint,
            url=url,
            payload=body(
                "goals.objective.created",
                occurred,
                {"objective_id": str(uuid.uuid4()), "owner_id": str(uuid.uuid4()), "n": n},
            ),
            secrets=secrets,
            attempt=1,
            failing_since=None,
            claim=str(n),
        )
        for n in range(count)
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_receiver(port: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.webhooks.receiver:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    receiver = subprocess.Popen(command)  # noqa: S603  # our own interpreter and module
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        except OSError:
            time.sleep(0.1)
        else:
            return receiver
    receiver.kill()
    raise RuntimeError("the receiver did not start")


def pin(receiver: subprocess.Popen[bytes]) -> str:
    """The receiver on CPU 0 and this process on CPU 1, when there are two CPUs."""
    if (os.cpu_count() or 1) < 2 or not hasattr(os, "sched_setaffinity"):
        return "not pinned (one CPU)"
    os.sched_setaffinity(receiver.pid, {0})
    os.sched_setaffinity(0, {1})
    return "receiver on CPU 0, dispatcher on CPU 1"


async def measure(
    url: str, count: int, concurrency: int, secrets: tuple[str, ...]
) -> dict[str, Any]:
    guard = Guard(allow=AllowList.parse(["127.0.0.1"]))
    async with delivery_client(guard, max_connections=concurrency) as client:
        sender = Sender(client)
        # A first round opens the connections and warms the code paths.
        await Dispatcher(Backlog(jobs(url, concurrency * 4, secrets)), sender).drain()
        backlog = Backlog(jobs(url, count, secrets))
        dispatcher = Dispatcher(backlog, sender, concurrency=concurrency)
        started, cpu = time.perf_counter(), time.process_time()
        await dispatcher.drain()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    latencies = sorted(backlog.latencies)
    return {
        "deliveries": count,
        "seconds": round(seconds, 3),
        "per_second": round(count / seconds, 1),
        # The dispatcher's own CPU: what a busy machine changes least.
        "cpu_ms_each": round(cpu * 1000 / count, 3),
        "per_cpu_second": round(count / cpu, 1),
        "delivered": backlog.statuses["delivered"],
        "p50_ms": round(statistics.median(latencies), 2),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 2),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.webhooks", description=__doc__)
    parser.add_argument("--deliveries", type=int, default=10_000, help="per run")
    parser.add_argument(
        "--concurrency",
        default="16,64",
        help="attempts in flight, one run each (comma-separated; 64 is the dispatcher's default)",
    )
    parser.add_argument(
        "--secrets", type=int, default=1, choices=(1, 2), help="2: a rotation, two signatures"
    )
    options = parser.parse_args(argv)
    levels = [int(level) for level in options.concurrency.split(",")]
    port = free_port()
    receiver = start_receiver(port)
    url = f"http://127.0.0.1:{port}/hooks"
    secrets = tuple(new_secret() for _ in range(options.secrets))
    try:
        pinning = pin(receiver)
        load = os.getloadavg()[0]
        runs = [
            (level, asyncio.run(measure(url, options.deliveries, level, secrets)))
            for level in levels
        ]
    finally:
        receiver.terminate()
        receiver.wait(timeout=10)
    out = sys.stdout
    busy = " (a busy machine: not a final figure)" if load > 1 else ""
    out.write(f"webhook delivery: {pinning}; load average before the runs {load:.2f}{busy}\n")
    out.write(
        f"{options.deliveries} deliveries a run, {options.secrets} signature(s) each, "
        "to one local receiver\n"
    )
    out.write(
        f"{'in flight':>9} {'deliveries/s':>13} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'CPU ms each':>12} {'per CPU-s':>10}  target >= {TARGET:g}/s\n"
    )
    for level, figures in runs:
        met = figures["per_second"] >= TARGET and figures["delivered"] == figures["deliveries"]
        out.write(
            f"{level:>9} {figures['per_second']:>13} {figures['p50_ms']:>8} "
            f"{figures['p95_ms']:>8} {figures['cpu_ms_each']:>12} "
            f"{figures['per_cpu_second']:>10}  {'met' if met else 'NOT MET'}\n"
        )
    return 0
