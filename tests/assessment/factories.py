"""Rows written straight to the database to set the scene: people of the org copy and
instruments with their questions."""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.models import Instrument, Question
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
