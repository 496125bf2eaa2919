"""Rows written straight to the database to set the scene: people of the org copy and
instruments with their questions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.models import new_id, utcnow
from kit.orgcopy import OrgMembership, OrgPerson, OrgTeam
from services.assessment.models import Instrument, Question
from services.assessment.rounds.models import Answer, Response, Round
from services.assessment.rounds.repository import score_areas
from tests.factories import create_hr_admin as create_hr_admin
from tests.factories import create_person as create_person
from tests.factories import insert, numbers
from tests.factories import unknown_id as unknown_id


async def create_instrument(
    session: AsyncSession, questions: int = 2, **overrides: Any
) -> Instrument:
    number = next(numbers)
    values: dict[str, Any] = {
        "key": f"instrument_{number}",
        "name": f"Instrument {number}",
        "areas": [{"key": "focus", "name": "Focus"}],
        "scale_min": 1,
        "scale_max": 5,
        "scale_labels": [],
    }
    instrument = await insert(session, Instrument(**(values | overrides)))
    session.add_all(
        Question(
            instrument_id=instrument.id,
            position=position,
            area="focus",
            text=f"Question {position} of instrument {number}.",
        )
        for position in range(1, questions + 1)
    )
    await session.flush()
    return instrument


# --- Teams, rounds and responses ---------------------------------------------------------------


async def create_team(
    session: AsyncSession, parent: OrgTeam | None = None, **overrides: Any
) -> OrgTeam:
    number = next(numbers)
    values: dict[str, Any] = {
        "id": new_id(),
        "name": f"Team {number}",
        "kind": "team",
        "parent_id": None if parent is None else parent.id,
    }
    return await insert(session, OrgTeam(**(values | overrides)))


async def create_members(session: AsyncSession, team: OrgTeam, count: int) -> list[OrgPerson]:
    people = [await create_person(session) for _ in range(count)]
    session.add_all(OrgMembership(team_id=team.id, person_id=person.id) for person in people)
    await session.flush()
    return people


async def create_round(session: AsyncSession, instrument: Instrument, **overrides: Any) -> Round:
    values: dict[str, Any] = {
        "instrument_id": instrument.id,
        "name": f"Round {next(numbers)}",
        "closes_at": utcnow() + timedelta(days=14),
    }
    return await insert(session, Round(**(values | overrides)))


async def add_responses(
    session: AsyncSession,
    round_: Round,
    team: OrgTeam | None,
    count: int,
    score: int = 3,
    area: str = "focus",
    attributes: dict[str, str] | None = None,
) -> None:
    """`count` submitted responses placed in `team`, each scoring `score` on every rating
    question of `area`, as a submit writes them."""
    questions = (
        await session.exec(
            select(Question).where(
                col(Question.instrument_id) == round_.instrument_id,
                col(Question.area) == area,
                col(Question.kind) == "rating",
            )
        )
    ).all()
    written = []
    for _ in range(count):
        response = await insert(
            session,
            Response(
                round_id=round_.id,
                team_id=None if team is None else team.id,
                attributes=attributes or {},
            ),
        )
        session.add_all(
            Answer(response_id=response.id, question_id=q.id, area=area, score=score)
            for q in questions
        )
        written.append(response.id)
    await session.flush()
    await score_areas(session, written)


def in_days(days: float) -> str:
    """An instant `days` from now, as JSON carries it."""
    return (utcnow() + timedelta(days=days)).isoformat()


async def rated_instrument(session: AsyncSession) -> Instrument:
    """Two areas on a 1-5 scale: `culture` (two items, the second reverse-scored) and `systems`
    (one item), and a comment question."""
    instrument = await create_instrument(
        session,
        questions=0,
        areas=[{"key": "culture", "name": "Culture"}, {"key": "systems", "name": "Systems"}],
    )
    session.add_all(
        [
            Question(instrument_id=instrument.id, position=1, area="culture", text="We trust."),
            Question(
                instrument_id=instrument.id,
                position=2,
                area="culture",
                text="We blame.",
                reverse_scored=True,
            ),
            Question(instrument_id=instrument.id, position=3, area="systems", text="Tools work."),
            Question(
                instrument_id=instrument.id,
                position=4,
                area="culture",
                text="Anything else?",
                kind="comment",
            ),
        ]
    )
    await session.flush()
    return instrument


async def questions(session: AsyncSession, instrument: Instrument) -> list[Question]:
    rows = await session.exec(
        select(Question)
        .where(col(Question.instrument_id) == instrument.id)
        .order_by(col(Question.position))
    )
    return list(rows.all())
