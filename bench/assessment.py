"""The assessment service's data and scenario: a closed round of the built-in maturity
instrument for everyone, answered by every person (10 000 respondents at 100 %), written with
`COPY`; and the latency of its organisation report and heatmap on one connection."""

from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import asyncpg

from bench.load import Request
from bench.orgdata import Org

if TYPE_CHECKING:  # the scenarios import the stack, which loads this module's data
    from bench.scenarios import Figures, Runner

# Latency on one connection: the path's own cost, without queueing.
CONNECTIONS = 1

ROUND_ID = uuid.UUID("0b5e7a1c-0000-4000-8000-000000000001")
_CLOSED = datetime(2025, 6, 1, tzinfo=UTC)
TENURE = {
    "key": "tenure",
    "name": "Tenure",
    "options": [{"key": "new", "name": "Under a year"}, {"key": "settled", "name": "Longer"}],
}

# The audience as opening a round copies it (services/assessment/rounds/repository.py).
_SNAPSHOT = """
INSERT INTO round_team (round_id, team_id, parent_id, name)
SELECT $1, id, parent_id, name FROM org_team;
"""
_LINES = """
WITH RECURSIVE line(team_id, ancestor_id, depth) AS (
    SELECT id, id, 1 FROM org_team
    UNION ALL
    SELECT line.team_id, t.parent_id, line.depth + 1
    FROM line JOIN org_team t ON t.id = line.ancestor_id
    WHERE t.parent_id IS NOT NULL AND line.depth < 64
)
INSERT INTO round_team_line (round_id, team_id, ancestor_id)
SELECT $1, team_id, ancestor_id FROM line
"""


async def load_assessment(
    connection: asyncpg.Connection, org: Org, seed: int = 9
) -> dict[str, int]:
    rng = random.Random(seed)  # noqa: S311  # repeatable data, not secrets
    instrument_id = await connection.fetchval("SELECT id FROM instrument WHERE key = 'maturity'")
    questions = await connection.fetch(
        "SELECT id, area, reverse_scored FROM question WHERE instrument_id = $1 AND kind = 'rating'"
        " ORDER BY position",
        instrument_id,
    )
    await connection.execute(
        "INSERT INTO round (id, instrument_id, name, team_id, mode, min_group_size, attributes,"
        " status, opens_at, closes_at, opened_at, closed_at, created_by, created_at, updated_at,"
        " version) VALUES ($1, $2, 'Maturity 2025', NULL, 'anonymous', 5, $3, 'closed', NULL,"
        " $4, $5, $4, $6, $5, $4, 1)",
        ROUND_ID,
        instrument_id,
        json.dumps([TENURE]),
        _CLOSED,
        _CLOSED - timedelta(days=14),
        org.hr_admin().id,
    )
    await connection.execute(_SNAPSHOT, ROUND_ID)
    await connection.execute(_LINES, ROUND_ID)
    teams = await connection.fetchval("SELECT count(*) FROM round_team")
    lines = await connection.fetchval("SELECT count(*) FROM round_team_line")
    # Each team leans somewhere on the scale, so that levels differ from team to team.
    leaning = [rng.uniform(1.8, 4.6) for _ in org.team_ids]
    responses: list[tuple[Any, ...]] = []
    answers: list[tuple[Any, ...]] = []
    for person in org.people:
        response_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        tenure = rng.choice(["new", "settled", "settled", None])
        responses.append(
            (
                response_id,
                ROUND_ID,
                org.team_ids[person.team],
                json.dumps({} if tenure is None else {"tenure": tenure}),
            )
        )
        for question in questions:
            score = min(5, max(1, round(rng.gauss(leaning[person.team], 0.9))))
            answers.append((response_id, question["id"], question["area"], score))
    return {
        "round_team": int(teams),
        "round_team_line": int(lines),
        "participation": await _copy(
            connection,
            "participation",
            ("round_id", "person_id", "team_id", "status"),
            ((ROUND_ID, p.id, org.team_ids[p.team], "submitted") for p in org.people),
        ),
        "response": await _copy(
            connection, "response", ("id", "round_id", "team_id", "attributes"), responses
        ),
        "answer": await _copy(
            connection, "answer", ("response_id", "question_id", "area", "score"), answers
        ),
        "area_score": int(
            (
                await connection.execute(
                    "INSERT INTO area_score (response_id, area, mean)"
                    " SELECT response_id, area, avg(score) FROM answer GROUP BY 1, 2"
                )
            ).split()[-1]
        ),
    }


async def _copy(
    connection: asyncpg.Connection, table: str, columns: tuple[str, ...], rows: Any
) -> int:
    records = list(rows)
    await connection.copy_records_to_table(table, records=records, columns=list(columns))
    return len(records)


def report_latency(runner: Runner) -> Figures:
    """The organisation report and the heatmap of the round, one request at a time, as an HR
    admin reads them."""
    auth = runner.bearer(runner.org.hr_admin())
    figures: Figures = {"respondents": len(runner.org.people)}
    for name, path in (
        ("organisation", f"/v1/rounds/{ROUND_ID}/report"),
        ("heatmap", f"/v1/rounds/{ROUND_ID}/heatmap"),
    ):
        result = runner.run(
            "assessment",
            f"assessment-{name}",
            [Request(path, headers=auth)],
            connections=CONNECTIONS,
        )
        figures[name] = result.figures()
    return figures
