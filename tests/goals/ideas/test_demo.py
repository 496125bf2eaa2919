"""The demo's ideas and growth load through the goals API: three reviewed ideas, one of them
allocated, and the viewer's development goal with its learning plan."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from services.demo.data import HR_ADMIN, VIEWER, email
from services.demo.growth import DEVELOPMENT_GOAL, IDEAS, load_growth
from tests.goals.factories import create_hr_admin, create_person
from tests.support import Tokens


async def test_the_demo_loads_ideas_reviews_an_allocation_and_a_development_goal(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    names = {VIEWER} | {idea.proposer for idea in IDEAS}
    names |= {review[0] for idea in IDEAS for review in idea.reviews}
    for name in sorted(names):
        await create_person(session, email=email(name), name=name)
    await create_hr_admin(session, email=email(HR_ADMIN), name=HR_ADMIN)

    async def post(url: str, body: Mapping[str, Any], headers: Mapping[str, str]) -> Any:
        response = await client.post(url, json=dict(body), headers=dict(headers))
        assert response.status_code == 201, response.text
        return response.json()

    await load_growth(post, lambda name: tokens.person(email(name)), "")

    viewer = tokens.person(email(VIEWER))
    ideas = (await client.get("/v1/ideas", headers=viewer)).json()["items"]
    goals = (await client.get("/v1/development-goals", headers=viewer)).json()["items"]
    assert [(i["status"], i["standing"]["review_count"]) for i in ideas] == [
        ("allocated", 3),
        ("under_review", 3),
        ("under_review", 1),
    ]
    assert ideas[0]["allocation"]["granted"]["time_person_days"] == 10.0
    assert ideas[1]["standing"]["overall"] is not None
    [goal] = goals
    assert goal["title"] == DEVELOPMENT_GOAL["title"]
    assert [item["status"] for item in goal["plan"]] == [
        "done",
        "in_progress",
        "planned",
        "planned",
    ]
