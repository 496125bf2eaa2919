"""The SQL of reports: every figure is an aggregate computed by PostgreSQL (counts, means,
distributions, levels by the instrument's thresholds), for the groups the service asks about;
no statement returns a person's answers."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.rounds.models import Response, Round, RoundTeam

UNDECLARED = "undeclared"


async def teams(session: AsyncSession, round_id: uuid.UUID) -> Sequence[RoundTeam]:
    statement = (
        select(RoundTeam).where(col(RoundTeam.round_id) == round_id).order_by(col(RoundTeam.name))
    )
    return (await session.exec(statement)).all()


async def placed_counts(session: AsyncSession, round_id: uuid.UUID) -> dict[uuid.UUID | None, int]:
    """Respondents per snapshotted team they were placed in (`None`: in no team)."""
    statement = (
        select(col(Response.team_id), text("count(*)"))
        .where(col(Response.round_id) == round_id)
        .group_by(col(Response.team_id))
    )
    return {team_id: int(count) for team_id, count in (await session.exec(statement)).all()}


# Respondents per placed team and profile: their option of each of `:keys`, in that order.
_PLACED_BY_PROFILE = text(
    """
    SELECT team_id,
           ARRAY(SELECT coalesce(attributes ->> k.key, :undeclared)
                 FROM unnest(CAST(:keys AS text[])) WITH ORDINALITY AS k(key, position)
                 ORDER BY k.position) AS profile,
           count(*)
    FROM response WHERE round_id = :round_id
    GROUP BY 1, 2
    """
)


async def placed_counts_by_profile(
    session: AsyncSession, round_id: uuid.UUID, keys: Sequence[str]
) -> dict[uuid.UUID | None, dict[tuple[str, ...], int]]:
    connection = await session.connection()
    rows = await connection.execute(
        _PLACED_BY_PROFILE, {"round_id": round_id, "keys": list(keys), "undeclared": UNDECLARED}
    )
    found: dict[uuid.UUID | None, dict[tuple[str, ...], int]] = {}
    for team_id, profile, count in rows:
        found.setdefault(team_id, {})[tuple(profile)] = int(count)
    return found


# The chosen responses of the round: all, or those who declared one option of an attribute.
_CHOSEN = """
WITH chosen AS (
    SELECT r.id, r.team_id FROM response r
    WHERE r.round_id = :round_id
      AND (CAST(:key AS text) IS NULL
           OR coalesce(r.attributes ->> CAST(:key AS text), :undeclared) = :option)
)"""

# Figures are summed per snapshotted team first, then rolled up to the asked groups (each team
# with its sub-teams, through the snapshotted lines; the whole audience, `group_id` NULL, when
# asked): a few rows per team to roll up, whatever the number of respondents.
_ROLL_UP = """
grouped AS (
    SELECT l.ancestor_id AS group_id, t.*
    FROM per_team t
    JOIN round_team_line l ON l.round_id = :round_id AND l.team_id = t.team_id
    WHERE l.ancestor_id = ANY(:groups)
    UNION ALL
    SELECT CAST(NULL AS uuid), t.* FROM per_team t WHERE :whole
)"""

# Per group and area: respondents, the mean of respondents' area means (each written with its
# response from its answers), its level, and how many respondents' own area means fall at each
# level (the instrument's thresholds, in SQL).
_AREAS = text(
    _CHOSEN  # noqa: S608  # constant fragments, no input
    + """,
thresholds AS (
    SELECT i.level_thresholds AS t FROM round ro JOIN instrument i ON i.id = ro.instrument_id
    WHERE ro.id = :round_id
),
per_team AS (
    SELECT c.team_id, p.area, count(*) AS n, sum(p.mean) AS total,
           count(*) FILTER (WHERE width_bucket(p.mean, th.t) = 0) AS l1,
           count(*) FILTER (WHERE width_bucket(p.mean, th.t) = 1) AS l2,
           count(*) FILTER (WHERE width_bucket(p.mean, th.t) = 2) AS l3,
           count(*) FILTER (WHERE width_bucket(p.mean, th.t) = 3) AS l4,
           count(*) FILTER (WHERE width_bucket(p.mean, th.t) = 4) AS l5
    FROM chosen c JOIN area_score p ON p.response_id = c.id CROSS JOIN thresholds th
    GROUP BY c.team_id, p.area
),"""
    + _ROLL_UP
    + """
SELECT g.group_id, g.area, sum(g.n), sum(g.total) / sum(g.n),
       width_bucket(sum(g.total) / sum(g.n), (SELECT t FROM thresholds)) + 1,
       sum(g.l1), sum(g.l2), sum(g.l3), sum(g.l4), sum(g.l5)
FROM grouped g
GROUP BY g.group_id, g.area
"""
)

# Per group, area and scored answer (reverse-scored items already turned): how many answers.
_DISTRIBUTION = text(
    _CHOSEN  # noqa: S608  # constant fragments, no input
    + """,
per_team AS (
    SELECT c.team_id, a.area, a.score, count(*) AS n
    FROM chosen c JOIN answer a ON a.response_id = c.id
    WHERE a.score IS NOT NULL
    GROUP BY c.team_id, a.area, a.score
),"""
    + _ROLL_UP
    + """
SELECT g.group_id, g.area, g.score, sum(g.n)
FROM grouped g
GROUP BY g.group_id, g.area, g.score
"""
)

# The comments of one group, in an order drawn afresh on every read (not that of the rows).
_COMMENTS = text(
    _CHOSEN  # noqa: S608  # constant fragments, no input
    + """
SELECT a.question_id, a.comment
FROM chosen c JOIN answer a ON a.response_id = c.id
WHERE a.comment IS NOT NULL
  AND (:whole OR EXISTS (
      SELECT 1 FROM round_team_line l
      WHERE l.round_id = :round_id AND l.team_id = c.team_id AND l.ancestor_id = ANY(:groups)))
ORDER BY random()
LIMIT :limit
"""
)


@dataclass(frozen=True)
class AreaFigures:
    group_id: uuid.UUID | None
    area: str
    respondents: int
    mean: Decimal
    level: int
    levels: tuple[int, int, int, int, int]


def _params(
    round_id: uuid.UUID,
    groups: Collection[uuid.UUID],
    whole: bool,
    attribute: tuple[str, str] | None,
) -> dict[str, Any]:
    key, option = attribute if attribute is not None else (None, None)
    return {
        "round_id": round_id,
        "groups": list(groups),
        "whole": whole,
        "key": key,
        "option": option,
        "undeclared": UNDECLARED,
    }


async def area_figures(
    session: AsyncSession,
    round_id: uuid.UUID,
    groups: Collection[uuid.UUID],
    *,
    whole: bool,
    attribute: tuple[str, str] | None = None,
) -> list[AreaFigures]:
    connection = await session.connection()
    rows = await connection.execute(_AREAS, _params(round_id, groups, whole, attribute))
    return [
        AreaFigures(
            group_id=row[0],
            area=row[1],
            respondents=int(row[2]),
            mean=row[3],
            level=int(row[4]),
            levels=(int(row[5]), int(row[6]), int(row[7]), int(row[8]), int(row[9])),
        )
        for row in rows
    ]


async def distributions(
    session: AsyncSession,
    round_id: uuid.UUID,
    groups: Collection[uuid.UUID],
    *,
    whole: bool,
    attribute: tuple[str, str] | None = None,
) -> dict[tuple[uuid.UUID | None, str], dict[int, int]]:
    connection = await session.connection()
    rows = await connection.execute(_DISTRIBUTION, _params(round_id, groups, whole, attribute))
    found: dict[tuple[uuid.UUID | None, str], dict[int, int]] = {}
    for group_id, area, score, count in rows:
        found.setdefault((group_id, area), {})[int(score)] = int(count)
    return found


async def comments(
    session: AsyncSession, round_id: uuid.UUID, group_id: uuid.UUID | None, limit: int
) -> list[tuple[uuid.UUID, str]]:
    connection = await session.connection()
    params = _params(round_id, [] if group_id is None else [group_id], group_id is None, None)
    rows = await connection.execute(_COMMENTS, {**params, "limit": limit})
    return [(row[0], row[1]) for row in rows]


async def earlier_rounds(session: AsyncSession, round_: Round, limit: int) -> Sequence[Round]:
    """Closed or open rounds of the same instrument opened up to this one, newest first."""
    statement = (
        select(Round)
        .where(
            col(Round.instrument_id) == round_.instrument_id,
            col(Round.opened_at).is_not(None),
            col(Round.opened_at) <= round_.opened_at,
        )
        .order_by(col(Round.opened_at).desc())
        .limit(limit)
    )
    return (await session.exec(statement)).all()
