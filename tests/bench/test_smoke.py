"""The benchmark keeps working: its smoke mode loads 1 % data, starts the real processes, runs
every scenario for about a second and produces every figure. Timings are not checked (CI
machines differ); `./inspire bench` is where they are read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import report

ROOT = Path(__file__).resolve().parents[2]
# Well above a smoke run on a busy two-core machine, so that only a hang fails it.
SMOKE_TIMEOUT_SECONDS = 900

pytestmark = pytest.mark.bench


def test_smoke_run_produces_every_figure_and_target(tmp_path: Path) -> None:
    # given an empty output folder
    # when the smoke run runs as a user would start it
    done = subprocess.run(  # noqa: S603  # our own command
        [sys.executable, "-m", "bench", "--smoke", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=SMOKE_TIMEOUT_SECONDS,
        check=False,
    )
    # then it succeeds and prints the table with the targets
    assert done.returncode == 0, done.stderr[-4000:]
    assert "rest.goals_one" in done.stdout
    assert "Targets:" in done.stdout
    # and the JSON beside it holds every figure, every target judged, and the chart is drawn
    data = json.loads((tmp_path / "bench.json").read_text())
    assert report.missing(data) == []
    assert {row["status"] for row in data["targets"]} <= {"met", "NOT MET", "n/a"}
    assert (tmp_path / "bench.png").read_bytes().startswith(b"\x89PNG")


def test_a_run_that_served_nothing_counts_as_missing() -> None:
    # given a run whose goals read completed no request, and which has no events figure
    served = {"rps": 0.0, "p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0, "requests": 0}
    run = {"scales": {"1%": {"rest": {"goals_one": served}}}}
    # when its figures are checked
    gaps = report.missing(run)
    # then both are reported missing
    assert "1%: rest.goals_one" in gaps
    assert "1%: events.people_to_goals_org_copy.p50_ms" in gaps


def test_a_failed_scenario_is_shown_with_its_reason() -> None:
    # given a run whose events scenario failed and whose other figures are absent
    run: report.Report = {
        "meta": {"cpu": "1 CPU", "workers": "1", "wrk": "1 thread"},
        "scales": {
            "1%": {
                "people": 100,
                "rows": {},
                "load_seconds": 1.0,
                "load_average_before": 0.5,
                "events": {"error": "LoadError: the goals org copy did not follow within 30 s"},
            }
        },
    }
    run["targets"] = report.targets(run)
    # when the table is drawn
    table = report.render(run)
    # then the failure and its reason are in it, and the targets it cannot judge are n/a
    assert "events: FAILED: LoadError: the goals org copy did not follow within 30 s" in table
    assert "viewer_home: FAILED: not measured" in table
    assert all(row["status"] == "n/a" for row in run["targets"])
