"""The SQL of rounds: the snapshot taken when a round opens, who may see which round, and the
counts of participation. Statements decide nothing."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, exists, false, func, or_, text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.pagination import PageParams, paginate
from services.assessment.rounds.models import Participation, Round
from services.assessment.rounds.schemas import ParticipationStatus, RoundStatus

# Far deeper than any real hierarchy; stops a corrupt copy from looping.
MAX_DEPTH = 64

# The audience as the org copy has it now: the round's team and everything below it (or every
# team, from the top ones down, for everyone), with each team's line of teams above it.
_TREE = """
WITH RECURSIVE tree(id, parent_id, name, line) AS (
    SELECT t.id, CAST(NULL AS uuid), t.name, ARRAY[t.id]
    FROM org_team t
    WHERE (CAST(:root AS uuid) IS NOT NULL AND t.id = CAST(:root AS uuid))
       OR (CAST(:root AS uuid) IS NULL
           AND NOT EXISTS (SELECT 1 FROM org_team p WHERE p.id = t.parent_id))
    UNION ALL
    SELECT c.id, c.parent_id, c.name, tree.line || c.id
    FROM org_team c JOIN tree ON c.parent_id = tree.id
    WHERE cardinality(tree.line) < :max_depth AND NOT c.id = ANY(tree.line)
)"""

# One statement: the teams, their lines, and one participation per active person in the
# audience, placed in their deepest team of it (ties: the smallest team id).
_SNAPSHOT = text(
    _TREE  # noqa: S608  # constant fragments, no input
    + """,
teams AS (
    INSERT INTO round_team (round_id, team_id, parent_id, name)
    SELECT :round_id, id, parent_id, name FROM tree
    RETURNING 1
),
lines AS (
    INSERT INTO round_team_line (round_id, team_id, ancestor_id)
    SELECT :round_id, id, unnest(line) FROM tree
    RETURNING 1
),
invited AS (
    INSERT INTO participation (round_id, person_id, team_id, status)
    SELECT :round_id, p.id, placed.team_id, 'invited'
    FROM org_person p
    LEFT JOIN LATERAL (
        SELECT m.team_id FROM org_membership m JOIN tree ON tree.id = m.team_id
        WHERE m.person_id = p.id
        ORDER BY cardinality(tree.line) DESC, m.team_id
        LIMIT 1
    ) placed ON true
    WHERE p.active AND (CAST(:root AS uuid) IS NULL OR placed.team_id IS NOT NULL)
    RETURNING 1
)
SELECT (SELECT count(*) FROM teams), (SELECT count(*) FROM lines), (SELECT count(*) FROM invited)
"""
)


async def snapshot(session: AsyncSession, round_id: uuid.UUID, root: uuid.UUID | None) -> int:
    """Copies the audience into the round; how many people were invited."""
    connection = await session.connection()
    row = (
        await connection.execute(
            _SNAPSHOT, {"round_id": round_id, "root": root, "max_depth": MAX_DEPTH}
        )
    ).one()
    return int(row[2])


_LED = text(
    """
WITH RECURSIVE led(id, depth) AS (
    SELECT id, 1 FROM org_team WHERE lead_id = :person_id
    UNION
    SELECT c.id, led.depth + 1 FROM org_team c JOIN led ON c.parent_id = led.id
    WHERE led.depth < :max_depth
)
SELECT DISTINCT id FROM led
"""
)


async def teams_led(session: AsyncSession, person_id: uuid.UUID) -> list[uuid.UUID]:
    """The teams the person leads and every team below them, as the org copy has it now."""
    connection = await session.connection()
    rows = await connection.execute(_LED, {"person_id": person_id, "max_depth": MAX_DEPTH})
    return [row[0] for row in rows]


def _invited(person_id: uuid.UUID) -> ColumnElement[bool]:
    return exists(
        select(Participation).where(
            col(Participation.round_id) == col(Round.id),
            col(Participation.person_id) == person_id,
        )
    )


def seen_by(person_id: uuid.UUID, led: Collection[uuid.UUID]) -> ColumnElement[bool]:
    """A person sees the rounds they are asked in, sent, or sent to a team they lead."""
    return or_(
        _invited(person_id),
        col(Round.created_by) == person_id,
        col(Round.team_id).in_(list(led)) if led else false(),
    )


async def list_rounds(
    session: AsyncSession,
    params: PageParams,
    visible: ColumnElement[bool] | None,
    *,
    status: RoundStatus | None,
    invited_person: uuid.UUID | None,
    instrument_id: uuid.UUID | None,
    now: datetime,
) -> tuple[Sequence[Round], str | None]:
    statement = select(Round)
    if visible is not None:
        statement = statement.where(visible)
    if invited_person is not None:
        statement = statement.where(_invited(invited_person))
    if instrument_id is not None:
        statement = statement.where(col(Round.instrument_id) == instrument_id)
    # A round past its close date is closed, whether or not the clock worker has written it.
    if status is RoundStatus.OPEN:
        statement = statement.where(
            col(Round.status) == RoundStatus.OPEN, col(Round.closes_at) > now
        )
    elif status is RoundStatus.CLOSED:
        statement = statement.where(
            or_(
                col(Round.status) == RoundStatus.CLOSED,
                (col(Round.status) == RoundStatus.OPEN) & (col(Round.closes_at) <= now),
            )
        )
    elif status is RoundStatus.DRAFT:
        statement = statement.where(col(Round.status) == RoundStatus.DRAFT)
    return await paginate(session, statement, Round, params)


async def round_seen(
    session: AsyncSession, round_id: uuid.UUID, visible: ColumnElement[bool] | None
) -> Round | None:
    statement = select(Round).where(col(Round.id) == round_id)
    if visible is not None:
        statement = statement.where(visible)
    return (await session.exec(statement)).first()


async def my_parts(
    session: AsyncSession, person_id: uuid.UUID, round_ids: Collection[uuid.UUID]
) -> Sequence[tuple[Round, Participation]]:
    """The person's own participations in those of `round_ids` they are asked in, in one
    statement."""
    statement = (
        select(Round, Participation)
        .join(Participation, col(Participation.round_id) == col(Round.id))
        .where(col(Round.id).in_(round_ids), col(Participation.person_id) == person_id)
    )
    return [(round_, part) for round_, part in (await session.exec(statement)).all()]


async def participation_counts(session: AsyncSession, round_id: uuid.UUID) -> tuple[int, int]:
    """How many were invited, how many submitted."""
    statement = select(
        func.count(),
        func.count().filter(col(Participation.status) == ParticipationStatus.SUBMITTED),
    ).where(col(Participation.round_id) == round_id)
    invited, submitted = (await session.exec(statement)).one()
    return int(invited), int(submitted)


async def due(session: AsyncSession, now: datetime) -> Sequence[Round]:
    """Drafts whose opening time has come and open rounds whose close date has passed, locked
    for this worker only (other replicas skip them)."""
    statement = (
        select(Round)
        .where(
            or_(
                (col(Round.status) == RoundStatus.DRAFT)
                & (col(Round.opens_at) <= now)
                & (col(Round.closes_at) > now),
                (col(Round.status) == RoundStatus.OPEN) & (col(Round.closes_at) <= now),
            )
        )
        .order_by(col(Round.closes_at))
        .limit(100)
        .with_for_update(skip_locked=True)
    )
    return (await session.exec(statement)).all()


_SCORE_AREAS = text(
    """
    INSERT INTO area_score (response_id, area, mean)
    SELECT response_id, area, avg(score) FROM answer
    WHERE response_id = ANY(:ids) AND score IS NOT NULL
    GROUP BY response_id, area
    """
)


async def score_areas(session: AsyncSession, response_ids: Collection[uuid.UUID]) -> None:
    """Writes each response's mean per area from its answers."""
    connection = await session.connection()
    await connection.execute(_SCORE_AREAS, {"ids": list(response_ids)})
