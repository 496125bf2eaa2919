"""How the report judges the scales: by each read's latency on one connection."""

from __future__ import annotations

from typing import Any

from bench import report


def _scale(alone_p95: float, loaded_p95: float) -> dict[str, Any]:
    loaded = {"rps": 100.0, "p50_ms": 1.0, "p95_ms": loaded_p95, "p99_ms": 1.0, "requests": 9}
    alone = {**loaded, "p95_ms": alone_p95}
    return {"rest": {"goals_one": {**loaded, "one_connection": alone}}}


def _scale_target(run: report.Report) -> dict[str, Any]:
    [row] = [row for row in report.targets(run) if row["target"].startswith("p95 at")]
    return row


def test_scales_are_compared_on_one_connection_not_under_load() -> None:
    # given a read whose p95 under load doubled at 100 % (the machine was busier then) while
    # its p95 on one connection stayed the same; the scales named largest first
    run: report.Report = {"scales": {"100%": _scale(4.0, 80.0), "1%": _scale(4.0, 40.0)}}
    # when the targets are judged
    row = _scale_target(run)
    # then the larger scale is compared with 1 % on one connection, and the target is met
    assert row["target"].startswith("p95 at 100% <= 1.5 x p95 at 1 %")
    assert row["value"] == {"rest.goals_one.one_connection": 1.0}
    assert row["status"] == "met"


def test_a_read_slower_on_one_connection_at_scale_misses_the_target() -> None:
    # given a read twice as slow on one connection at 10 %
    run: report.Report = {"scales": {"1%": _scale(4.0, 40.0), "10%": _scale(8.0, 40.0)}}
    # when the targets are judged
    row = _scale_target(run)
    # then the target is not met, and the read is named with its ratio
    assert row["value"] == {"rest.goals_one.one_connection": 2.0}
    assert row["status"] == "NOT MET"
