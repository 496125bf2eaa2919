"""`inspire consumer parked|retry`: the events a service's consumers parked, and their replay."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC

from cli.registry import SERVICES_GROUP, CommandError, Commands, add_command, specs
from kit.consumer import ParkedEvent, await_retry, list_parked, request_retry
from kit.db import Database


def _database_of(service: str) -> Database:
    [spec] = specs([service], SERVICES_GROUP)
    url = spec.settings().database_url
    if not url:
        raise CommandError(f"missing configuration: INSPIRE_{spec.name.upper()}_DATABASE_URL")
    return Database(url, pool_size=1)


def _describe(row: ParkedEvent) -> str:
    entity = f"  {row.entity}" if row.entity else ""
    parked_at = row.parked_at.astimezone(UTC)
    return (
        f"{row.consumer}  {row.feed} #{row.position}  {row.event_type}  event {row.event_id}"
        f"{entity}\n    {row.attempts} attempts, parked {parked_at:%Y-%m-%d %H:%M}Z: {row.error}"
    )


def parked(args: argparse.Namespace) -> int:
    """list a service's parked events

    List the events SERVICE's consumers have parked, oldest first, with why.
    """

    async def run() -> list[ParkedEvent]:
        database = _database_of(args.service)
        try:
            return await list_parked(database, args.consumer)
        finally:
            await database.dispose()

    rows = asyncio.run(run())
    if not rows:
        print(f"{args.service}: no parked events")
        return 0
    print(f"{args.service}: {len(rows)} parked event(s), oldest first")
    for row in rows:
        print(f"  {_describe(row)}")
    return 0


def retry(args: argparse.Namespace) -> int:
    """replay a service's parked events

    Ask SERVICE's running consumers to replay their parked events, oldest first (a parked
    event leaves the list when it succeeds), and wait for the outcome. Exit 1 when some are
    still parked or were not tried in time.
    """

    async def run() -> int:
        database = _database_of(args.service)
        try:
            requested = await request_retry(database, args.consumer)
            if not requested:
                print(f"{args.service}: no parked events")
                return 0
            print(
                f"{args.service}: asked its consumers to replay {len(requested)} parked "
                f"event(s); waiting up to {args.wait:g} s",
                flush=True,
            )
            outcome = await await_retry(database, requested, args.wait)
        finally:
            await database.dispose()
        for row in outcome.replayed:
            print(f"  replayed: {row.consumer}  {row.feed} #{row.position}  {row.event_type}")
        for row in outcome.still_parked:
            print(f"  still parked: {_describe(row)}")
        if outcome.pending:
            print(
                f"  {len(outcome.pending)} not tried yet: is {args.service} running? Its "
                "consumers replay them when they next read their feed.",
            )
        return 0 if not outcome.still_parked and not outcome.pending else 1

    return asyncio.run(run())


def add_commands(commands: Commands) -> None:
    consumer = commands.add_parser(
        "consumer",
        help="list and replay parked events",
        description="A consumer parks an event of another service's feed when its handler "
        "fails every attempt, and moves on; the events of the same person or team wait "
        "behind it. These commands read INSPIRE_<SERVICE>_DATABASE_URL.",
    )
    consumer_commands = consumer.add_subparsers(
        dest="consumer_command", required=True, metavar="COMMAND"
    )
    listing = add_command(consumer_commands, "parked", parked)
    replay = add_command(consumer_commands, "retry", retry)
    replay.add_argument(
        "--wait",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="how long to wait for the outcome (default: %(default)s)",
    )
    for sub in (listing, replay):
        sub.add_argument("service", metavar="SERVICE", help="a service name, e.g. goals")
        sub.add_argument("--consumer", metavar="NAME", help="only this consumer, e.g. org-copy")
