"""An organisation to read development goals in: ceo ─ mia ─ ada; ceo ─ kai (Ada's peer's
manager) ─ ben (Ada's peer); olga alone (an outsider); HR admin `admin`. Ada's private goal,
made through the API. The goals app reaches the real people app, on its own fast-tier
database rolled back at the end, for the directory's skills catalogue."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.db import Database
from kit.orgcopy import OrgPerson
from services.people.models import Skill
from tests.goals.development.support import goals_beside_people, new_goal
from tests.goals.factories import create_person
from tests.people import factories as people_rows
from tests.support import rolled_back


@pytest.fixture
async def people_db(fast_databases: dict[str, Database]) -> AsyncIterator[Database]:
    async with rolled_back(fast_databases["people"]) as database:
        yield database


@pytest.fixture
def app(service_db: Database, people_db: Database) -> FastAPI:
    return goals_beside_people(service_db, people_db)


@pytest.fixture
async def skills(people_db: Database, ada: OrgPerson) -> list[Skill]:
    """Two skills of the directory's catalogue; Ada is in the directory, as she is in the goals
    service's copy of it (the people service knows her token)."""
    async with people_db.sessionmaker() as session:
        await people_rows.create_person(session, id=ada.id, email=ada.email, name=ada.name)
        made = [
            await people_rows.create_skill(session, name="Facilitation"),
            await people_rows.create_skill(session, name="Coaching"),
        ]
        # Within the test's transaction, which is rolled back at the end.
        await session.commit()
        return made


@pytest.fixture
async def people(session: AsyncSession, ada: OrgPerson) -> dict[str, OrgPerson]:
    ceo = await create_person(session, email="ceo@example.com", name="Cecilia")
    mia = await create_person(session, email="mia@example.com", name="Mia", manager_id=ceo.id)
    ada.manager_id = mia.id
    session.add(ada)
    await session.flush()
    kai = await create_person(session, email="kai@example.com", name="Kai", manager_id=ceo.id)
    ben = await create_person(session, email="ben@example.com", name="Ben", manager_id=kai.id)
    olga = await create_person(session, email="olga@example.com", name="Olga")
    return {"ada": ada, "mia": mia, "ceo": ceo, "kai": kai, "ben": ben, "olga": olga}


@pytest.fixture
async def goal(
    client: httpx.AsyncClient, people: dict[str, OrgPerson], as_ada: dict[str, str]
) -> dict[str, Any]:
    response = await client.post("/v1/development-goals", json=new_goal(), headers=as_ada)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result
