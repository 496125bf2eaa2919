"""One bench run: for each scale, fresh databases loaded with a generated organisation, the
real processes and the scenarios; then the table, the targets, the JSON and the chart."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import assessment, load, orgdata, report, scenarios, stack
from bench.cli import ROOT, SCALES
from bench.scenarios import Runner

SMOKE_CONNECTIONS = 4


def _git_commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607  # git from PATH
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    return done.stdout.strip() or "unknown"


_STARTED = time.monotonic()


def _say(message: str) -> None:
    print(f"bench [{time.monotonic() - _STARTED:5.0f} s]: {message}", file=sys.stderr, flush=True)


def run_scale(
    scale: str, *, smoke: bool, seconds: float, out_dir: Path, wrk: str
) -> dict[str, Any]:
    server_cpus, wrk_cpu, _plan = stack.cpu_plan()
    # Throwaway names in smoke mode: several checkouts may run the suite on one server.
    prefix = f"inspire_bench_smoke_{os.getpid()}" if smoke else "inspire_bench"
    _say(f"{scale}: generating the organisation")
    org = orgdata.build_org(SCALES[scale])
    the_stack = asyncio.run(stack.open_stack(prefix, out_dir, server_cpus))
    started = time.perf_counter()
    _say(f"{scale}: creating, migrating and loading {prefix}_<service>")
    rows = asyncio.run(stack.prepare_data(the_stack, org))
    load_seconds = round(time.perf_counter() - started, 1)
    _say(f"{scale}: loaded in {load_seconds} s; starting the processes")
    connections = SMOKE_CONNECTIONS if smoke else scenarios.CONNECTIONS
    runner = Runner(the_stack, org, wrk, seconds, wrk_cpu, out_dir, connections)
    figures: dict[str, Any] = {
        "people": len(org.people),
        "rows": rows,
        "load_seconds": load_seconds,
        # Other work on the machine shows here: figures taken under a high load are noisy.
        "load_average_before": os.getloadavg()[0],
        "not_generated_yet": list(orgdata.LATER),
    }
    try:
        stack.start_stack(the_stack)
        stack.start_baselines(the_stack)
        stack.wait_ready(the_stack)
        time.sleep(1.0)  # let start-up work (first relay runs, consumers connecting) settle
        _say(f"{scale}: idle stack")
        figures["idle"] = asyncio.run(scenarios.idle_load(runner, 3.0 if smoke else 5.0))
        steps: tuple[tuple[str, str, Callable[[Runner], Any]], ...] = (
            ("rest", "1. REST reads", scenarios.rest_reads),
            ("viewer_home", "2. viewer home query", scenarios.viewer_home),
            ("team_page", "3. team page", scenarios.team_page),
            ("authorization", "3. authorization cost", scenarios.authorization_cost),
            ("alignment_graph", "4. alignment graph", scenarios.alignment_graph),
            ("writes", "5. writes", scenarios.writes),
            ("events", "7. events", lambda r: scenarios.events(r, 3 if smoke else 20)),
            ("assessment_report", "6. assessment report", assessment.report_latency),
        )
        for key, title, step in steps:
            _say(f"{scale}: {title}")
            try:
                figures[key] = step(runner)
            except Exception as exc:
                # One scenario failing must not cost the others' figures: it is reported as
                # missing, with the reason.
                _say(f"{scale}: {title} failed: {exc}")
                figures[key] = {"error": f"{type(exc).__name__}: {exc}"}
            if key == "rest":
                stack.stop(the_stack, ["baseline-hello", "baseline-asyncpg"])
        figures["memory_peak_rss_mib"] = scenarios.peak_rss(runner)
        figures["load_average_after"] = os.getloadavg()[0]
    finally:
        stack.stop(the_stack)
        if smoke:
            asyncio.run(stack.drop_data(the_stack))
    return figures


def run(*, scales: Sequence[str], smoke: bool, seconds: float, out_dir: Path) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        wrk = load.ensure_wrk()
    except load.LoadError as exc:
        _say(str(exc))
        return 2
    _servers, _wrk_cpu, plan = stack.cpu_plan()
    result: report.Report = {
        "meta": {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": _git_commit(),
            "cpu": plan,
            "cpus": os.cpu_count(),
            "workers": f"{stack.WORKERS} uvicorn worker per service, gateway and baseline",
            "wrk": f"{load.THREADS} thread, "
            f"{SMOKE_CONNECTIONS if smoke else scenarios.CONNECTIONS} connections "
            f"(1 for latency-only runs, {scenarios.HEAVY_CONNECTIONS} for the alignment graph), "
            f"{seconds:g} s per run",
            "smoke": smoke,
        },
        "scales": {},
    }
    for scale in scales:
        try:
            result["scales"][scale] = run_scale(
                scale, smoke=smoke, seconds=seconds, out_dir=out_dir, wrk=wrk
            )
        except (load.LoadError, RuntimeError, OSError) as exc:
            _say(f"{scale} failed: {exc}")
            result["scales"][scale] = {"error": f"{type(exc).__name__}: {exc}"}
    result["targets"] = report.targets(result)
    result["not_available"] = report.NOT_AVAILABLE
    data, chart = report.write(result, out_dir)
    print(report.render(result))
    print(f"\nbench: wrote {data} and {chart}")
    if gaps := report.missing(result):
        _say("figures missing: " + "; ".join(gaps))
        return 1
    return 0
