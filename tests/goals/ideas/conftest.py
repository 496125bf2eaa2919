"""People to propose and review ideas: Ada proposes; Ben, Cleo and Dan review; Mia manages
Ben. HR admins (`admin`) decide."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson
from tests.goals.factories import create_person
from tests.goals.ideas.support import new_idea


@pytest.fixture
async def mia(session: AsyncSession) -> OrgPerson:
    return await create_person(session, email="mia@example.com", name="Mia")


@pytest.fixture
async def reviewers(session: AsyncSession, mia: OrgPerson) -> list[OrgPerson]:
    """Ben (Mia's report), Cleo and Dan."""
    return [
        await create_person(session, email="ben@example.com", name="Ben", manager_id=mia.id),
        await create_person(session, email="cleo@example.com", name="Cleo"),
        await create_person(session, email="dan@example.com", name="Dan"),
    ]


@pytest.fixture
async def idea(client: httpx.AsyncClient, as_ada: dict[str, str]) -> dict[str, Any]:
    """Ada's idea, as proposed through the API."""
    response = await client.post("/v1/ideas", json=new_idea(), headers=as_ada)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result
