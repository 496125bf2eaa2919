"""`./inspire bench` (or `python -m bench`): for each scale, fresh databases loaded with a
generated organisation, the real processes, the scenarios; then the table, JSON and chart."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCALES = {"1%": 0.01, "10%": 0.1, "100%": 1.0}
DEFAULT_OUT = ROOT / ".inspire" / "bench"


def _scales(value: str) -> list[str]:
    chosen = [part.strip() for part in value.split(",") if part.strip()]
    if not chosen or any(part not in SCALES for part in chosen):
        raise argparse.ArgumentTypeError(f"choose from {', '.join(SCALES)}, comma-separated")
    return sorted(set(chosen), key=lambda part: SCALES[part])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inspire bench",
        description="Load a generated organisation into fresh inspire_bench_<service> "
        "databases, start each service and the gateway (one uvicorn worker each) and two "
        "baselines, drive them with wrk, print the figures and targets, and write bench.json "
        "and bench.png. PostgreSQL: INSPIRE_BENCH_DATABASE_URL, else 127.0.0.1:5432, else an "
        "embedded one in .inspire/bench-pg.",
    )
    parser.add_argument(
        "--scale",
        type=_scales,
        default=["1%"],
        help="data scales, comma-separated: 1%%, 10%%, 100%% (default: 1%%)",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="CI mode: 1%% data, about a second per run, throwaway databases; checks that every "
        "figure was produced (exit 1 if not), not the timings",
    )
    parser.add_argument(
        "--seconds", type=float, default=10.0, help="length of each wrk run (default: 10)"
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="where bench.json and bench.png go"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Imported once the options are understood: the services' modules are slow to import.
    from bench.run import run

    return run(
        scales=["1%"] if args.smoke else args.scale,
        smoke=args.smoke,
        seconds=1.0 if args.smoke else args.seconds,
        out_dir=args.out,
    )
