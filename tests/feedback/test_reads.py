"""Reads are fast by shape: whatever they return, each read of feedback (with the threads)
costs the same few SQL statements."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.feedback.models import Reply
from services.feedback.schemas import Visibility
from tests.factories import insert
from tests.feedback.factories import Org, create_feedback, create_person
from tests.support import Statements


# Grouped by objective: tests/feedback/links/test_shown_links.py, beside the goals service.
@pytest.mark.parametrize("read", ["list", "batch", "by-person", "get"])
async def test_a_read_costs_the_same_whatever_it_returns(
    client: httpx.AsyncClient,
    session: AsyncSession,
    org: Org,
    statements: Statements,
    read: str,
) -> None:
    people = [await create_person(session, manager_id=org.manager.id) for _ in range(30)]
    items = []
    for person in people:
        for visibility in Visibility:
            item = await create_feedback(session, org.giver, person, visibility=visibility)
            await insert(session, Reply(feedback_id=item.id, author_id=person.id, body="Thanks"))
            items.append(item)
    headers = org.headers("manager")

    async def cost(count: int) -> int:
        every: dict[str, dict[str, Any]] = {
            "list": {"limit": count * 3},
            "batch": {"id": [str(item.id) for item in items[: count * 3]]},
            "by-person": {"person_id": [str(p.id) for p in people[:count]]},
            "get": {},
        }
        params = every[read]
        path = {
            "list": "/v1/feedback",
            "batch": "/v1/feedback",
            "by-person": "/v1/feedback/by-person",
            "get": f"/v1/feedback/{items[3 * (count - 1) + 1].id}",  # a `manager` one
        }[read]
        before = statements.count
        response = await client.get(path, params=params, headers=headers)
        assert response.status_code == 200, response.text
        return statements.count - before

    assert await cost(1) == await cost(30)
