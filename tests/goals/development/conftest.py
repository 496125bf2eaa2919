"""An organisation to read development goals in: ceo ─ mia ─ ada; ceo ─ kai (Ada's peer's
manager) ─ ben (Ada's peer); olga alone (an outsider); HR admin `admin`. Ada's private goal,
made through the API."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson
from tests.goals.development.support import new_goal
from tests.goals.factories import create_person


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
