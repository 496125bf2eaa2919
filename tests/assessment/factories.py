"""Rows written straight to the database to set the scene: people of the org copy and
instruments with their questions."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.models import new_id
from kit.orgcopy import OrgPerson
from services.assessment.models import Instrument, Question

_numbers = itertools.count(1)


async def create_person(session: AsyncSession, **overrides: Any) -> OrgPerson:
    number = next(_numbers)
    values: dict[str, Any] = {
        "id": new_id(),
        "email": f"person{number}@example.com",
        "name": f"Person {number}",
        "active": True,
        "is_hr_admin": False,
    }
    person = OrgPerson(**(values | overrides))
    session.add(person)
    await session.flush()
    return person


async def create_instrument(
    session: AsyncSession, questions: int = 2, **overrides: Any
) -> Instrument:
    number = next(_numbers)
    values: dict[str, Any] = {
        "key": f"instrument_{number}",
        "name": f"Instrument {number}",
        "areas": [{"key": "focus", "name": "Focus"}],
        "scale_min": 1,
        "scale_max": 5,
        "scale_labels": [],
    }
    instrument = Instrument(**(values | overrides))
    session.add(instrument)
    await session.flush()
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


def unknown_id() -> uuid.UUID:
    return uuid.uuid4()
