"""The run's figures as a table, the targets of issue 9 as met / not met, and the same in JSON
and a PNG chart beside it."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

Report = dict[str, Any]

# Every read measured with wrk, as (scenario, figure): the rows of the table and the chart.
READS = (
    ("rest", "baseline_hello"),
    ("rest", "baseline_asyncpg"),
    *(
        ("rest", f"{service}_{kind}")
        for service in ("people", "goals", "feedback", "assessment")
        for kind in ("one", "page")
    ),
    ("viewer_home", "gateway"),
    ("team_page", "gateway"),
    ("authorization", "owner"),
    ("authorization", "management_chain"),
    ("alignment_graph", None),
    ("assessment_report", "organisation"),
    ("assessment_report", "heatmap"),
)
WRITES = (("writes", "check_ins"), ("writes", "feedback"))
# The same reads on one connection: what the scales are compared by. A p95 under 16
# connections is mostly time spent queueing for the one CPU the processes share, so it
# measured the machine's load at the moment of each run rather than the data's size.
ALONE = (
    *(
        ("rest", f"{service}_{kind}", "one_connection")
        for service in ("people", "goals", "feedback", "assessment")
        for kind in ("one", "page")
    ),
    ("viewer_home", "gateway_one_connection"),
    ("team_page", "gateway_one_connection"),
    ("authorization", "owner", "one_connection"),
    ("authorization", "management_chain", "one_connection"),
    ("alignment_graph",),
)
# What a run must have produced at each scale (the smoke test checks it): (path, kind).
REQUIRED: tuple[tuple[str, ...], ...] = (
    *((s, f) if f else (s,) for s, f in READS + WRITES),
    *ALONE,
    ("viewer_home", "ratio_to_critical_path"),
    ("viewer_home", "downstream_total"),
    ("team_page", "ratio_to_critical_path"),
    ("team_page", "max_requests_per_service_per_level"),
    ("team_page", "downstream_per_level"),
    ("team_page", "feedback_counts", "items_read"),
    ("authorization", "chain_to_owner_p50"),
    ("events", "people_to_goals_org_copy", "p50_ms"),
    ("idle", "per_second"),
    ("memory_peak_rss_mib", "people"),
    ("memory_peak_rss_mib", "goals"),
    ("memory_peak_rss_mib", "feedback"),
    ("memory_peak_rss_mib", "assessment"),
    ("memory_peak_rss_mib", "gateway"),
)
NOT_AVAILABLE = {
    "7. webhook delivery latency and deliveries/s": "not available yet: no webhooks service",
}


def _get(data: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = data
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def missing(report: Report) -> list[str]:
    """Figures a run should have produced and did not, as `scale: a.b.c`."""
    gaps = []
    for scale, scenarios in report["scales"].items():
        if "error" in scenarios:
            gaps.append(f"{scale}: {scenarios['error']}")
            continue
        for path in REQUIRED:
            value = _get(scenarios, path)
            if isinstance(value, Mapping) and "rps" in value:
                value = value["rps"] if value.get("requests") else None
            if value is None or (isinstance(value, float) and math.isnan(value)):
                gaps.append(f"{scale}: {'.'.join(path)}")
    return gaps


def _status(ok: bool | None) -> str:
    return "n/a" if ok is None else "met" if ok else "NOT MET"


def targets(report: Report) -> list[dict[str, Any]]:
    scales = report["scales"]
    rows: list[dict[str, Any]] = []
    for scale, s in scales.items():
        for query in ("viewer_home", "team_page"):
            ratio = _get(s, (query, "ratio_to_critical_path"))
            rows.append(
                {
                    "target": f"[{scale}] {query}: gateway p50 <= 1.3 x REST critical path",
                    "value": ratio,
                    "status": _status(None if ratio is None else ratio <= 1.3),
                }
            )
        most = _get(s, ("team_page", "max_requests_per_service_per_level"))
        rows.append(
            {
                "target": f"[{scale}] team page: <= 1 downstream request per service per level",
                "value": most,
                "status": _status(None if most is None else most <= 1),
            }
        )
        ratios = {
            service: _get(s, ("rest", f"{service}_one", "ratio_to_baseline"))
            for service in ("people", "goals", "feedback", "assessment")
        }
        lowest = min((r for r in ratios.values() if r is not None), default=None)
        rows.append(
            {
                "target": f"[{scale}] REST single-object read >= 50 % of the asyncpg baseline",
                "value": ratios,
                "status": _status(None if lowest is None else lowest >= 0.5),
            }
        )
        idle = _get(s, ("idle", "per_second"))
        rows.append(
            {
                "target": f"[{scale}] idle stack: a few (<= 5) statements/s to PostgreSQL",
                "value": idle,
                "status": _status(None if idle is None else idle <= 5),
            }
        )
    names = list(scales)
    base = "1%" if "1%" in scales else None
    # The largest scale run, in whatever order they were named.
    top = max(names, key=lambda name: float(name.rstrip("%"))) if names else None
    if base is not None and top is not None and top != base:
        worst: dict[str, float] = {}
        for path in ALONE:
            small = _get(scales[base], (*path, "p95_ms"))
            large = _get(scales[top], (*path, "p95_ms"))
            if small and large is not None:
                worst[".".join(path)] = round(large / small, 2)
        highest = max(worst.values(), default=None)
        rows.append(
            {
                "target": f"p95 at {top} <= 1.5 x p95 at 1 % for every read (one connection)",
                "value": worst,
                "status": _status(None if highest is None else highest <= 1.5),
            }
        )
    else:
        rows.append(
            {
                "target": "p95 at 100 % <= 1.5 x p95 at 1 % for every read",
                "value": "run with --scale 1%,100% (or 1%,10%) to compare",
                "status": "n/a",
            }
        )
    for scale, s in scales.items():
        respondents = _get(s, ("assessment_report", "respondents"))
        p50 = _get(s, ("assessment_report", "organisation", "p50_ms"))
        rows.append(
            {
                "target": f"[{scale}] organisation report on {respondents} respondents < 300 ms "
                "(the target is set for 10 000, at 100 %)",
                "value": p50,
                "status": _status(None if p50 is None else p50 < 300),
            }
        )
    rows.append(
        {
            "target": "webhook dispatch >= 500 deliveries/s",
            "value": "not available yet",
            "status": "n/a",
        }
    )
    return rows


def _rows(scenarios: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any], str]]:
    limit = _get(scenarios, ("rest", "baseline_asyncpg", "rps")) or 0
    for scenario, figure in READS + WRITES:
        path = (scenario, figure) if figure else (scenario,)
        values = _get(scenarios, path)
        if not isinstance(values, Mapping) or "rps" not in values:
            continue
        note = ""
        if "ratio_to_baseline" in values:
            note = f"{values['ratio_to_baseline'] * 100:.1f} % of asyncpg baseline"
            if values.get("database_per_request") is not None:
                kind = values["database_measure"].split()[0]
                note += f"; {values['database_per_request']} {kind} per request"
        elif limit and scenario not in ("writes",):
            note = f"{values['rps'] / limit * 100:.1f} % of asyncpg baseline"
        if "outbox_rows_per_write" in values:
            note = f"{values['outbox_rows_per_write']} outbox rows per write"
        if values.get("errors"):
            note += f" ({values['errors']} errors)"
        alone = values.get("one_connection")
        if isinstance(alone, Mapping) and "p95_ms" in alone:
            note += f"; 1 conn p50 / p95 {alone['p50_ms']:.2f} / {alone['p95_ms']:.2f} ms"
        yield ".".join(path), values, note


def _summary(s: Mapping[str, Any]) -> list[str]:
    """The figures that are not one wrk run, one line each; a scenario that failed says so."""
    lines = []

    def line(key: str, text: Callable[[Any], str]) -> None:
        value = s.get(key)
        if not isinstance(value, Mapping) or "error" in value:
            why = value.get("error") if isinstance(value, Mapping) else "not measured"
            lines.append(f"{key}: FAILED: {why}")
            return
        try:
            lines.append(text(value))
        except (KeyError, TypeError) as exc:
            lines.append(f"{key}: incomplete ({exc})")

    line(
        "viewer_home",
        lambda v: (
            f"viewer home: gateway p50 {v['gateway_one_connection']['p50_ms']} ms "
            f"(1 conn) vs REST critical path {v['rest_critical_path_p50_ms']} ms = "
            f"{v['ratio_to_critical_path']} x; {v['downstream_total']} downstream requests: "
            f"{json.dumps(v['downstream_requests'])}"
        ),
    )
    line(
        "team_page",
        lambda v: (
            f"team page ({v['people_on_page']} people): gateway p50 "
            f"{v['gateway_one_connection']['p50_ms']} ms vs REST critical path "
            f"{v['rest_critical_path_p50_ms']} ms = {v['ratio_to_critical_path']} x; "
            f"requests per level: {json.dumps(v['downstream_per_level'])}; feedback read "
            f"for counts: {json.dumps(v['feedback_counts'])}"
        ),
    )
    line(
        "authorization",
        lambda v: (
            f"authorization: chain of {v['chain_levels']} levels costs "
            f"{v['chain_to_owner_p50']} x the owner's p50"
        ),
    )
    line(
        "events",
        lambda v: (
            "events: people -> goals org copy p50 "
            f"{v['people_to_goals_org_copy']['p50_ms']} ms, max "
            f"{v['people_to_goals_org_copy']['max_ms']} ms; webhooks: not available yet"
        ),
    )
    line(
        "idle",
        lambda v: f"idle: {v['per_second']} {v['measure']} per second over {v['seconds']} s",
    )
    line("memory_peak_rss_mib", lambda v: f"peak RSS (MiB): {json.dumps(v)}")
    return lines


def render(report: Report) -> str:
    lines = [
        "Inspire bench: " + report["meta"]["cpu"],
        f"workers: {report['meta']['workers']}; wrk {report['meta']['wrk']}",
    ]
    for scale, s in report["scales"].items():
        if "error" in s:
            lines += ["", f"== {scale}: FAILED: {s['error']}"]
            continue
        rows = s["rows"]
        lines += [
            "",
            f"== {scale}: {s['people']} people, {rows.get('objective', 0)} objectives, "
            f"{rows.get('key_result', 0)} key results, {rows.get('check_in', 0)} check-ins, "
            f"{rows.get('feedback', 0)} feedback items; loaded in {s['load_seconds']} s; "
            f"machine load average {s['load_average_before']:.1f} before, "
            f"{s.get('load_average_after', float('nan')):.1f} after",
            f"{'scenario':<34}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}  notes",
        ]
        for name, values, note in _rows(s):
            lines.append(
                f"{name:<34}{values['rps']:>10.1f}{values['p50_ms']:>10.2f}"
                f"{values['p95_ms']:>10.2f}{values['p99_ms']:>10.2f}  {note}"
            )
        lines += _summary(s)
    lines += ["", "Targets:"]
    for row in report["targets"]:
        value = row["value"] if isinstance(row["value"], str) else json.dumps(row["value"])
        lines.append(f"  {row['status']:<8} {row['target']}: {value}")
    lines += ["", "Not available yet:"]
    lines += [f"  {name}: {why}" for name, why in NOT_AVAILABLE.items()]
    return "\n".join(lines)


def write(report: Report, out_dir: Path) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    data = out_dir / "bench.json"
    data.write_text(json.dumps(report, indent=2, default=str))
    chart = out_dir / "bench.png"
    _chart(report, chart)
    return data, chart


def _chart(report: Report, path: Path) -> None:
    import matplotlib  # the bench extra; only the chart needs it

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # after choosing the backend

    scales = list(report["scales"])
    names = [".".join(p for p in (s, f) if p) for s, f in READS + WRITES]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(14, 9), sharex=True)
    width = 0.8 / max(1, len(scales))
    for n, scale in enumerate(scales):
        rps, p95 = [], []
        for scenario, figure in READS + WRITES:
            where = (scenario, figure) if figure else (scenario,)
            values = _get(report["scales"][scale], where) or {}
            rps.append(values.get("rps", 0) or 0)
            p95.append(values.get("p95_ms", 0) or 0)
        xs = [i + n * width for i in range(len(names))]
        top.bar(xs, rps, width, label=scale)
        bottom.bar(xs, p95, width, label=scale)
    top.set_yscale("log")
    top.set_ylabel("requests/s (log)")
    bottom.set_yscale("log")
    bottom.set_ylabel("p95 latency, ms (log)")
    bottom.set_xticks([i + width * (len(scales) - 1) / 2 for i in range(len(names))])
    bottom.set_xticklabels(names, rotation=60, ha="right", fontsize=8)
    top.legend(title="data scale")
    top.set_title(f"Inspire bench ({report['meta']['cpu']})", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
