"""What the ideas tests share: the body of a new idea and of a review, and a review sent."""

from __future__ import annotations

from typing import Any

import httpx

from kit.orgcopy import OrgPerson
from tests.support import Tokens


def new_idea(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "headline": "Shared test data for every team",
        "problem": "Each team builds its own fixtures; they drift apart.",
        "proposal": "One generated data set, versioned with the schema.",
        "expected_impact": "Fewer broken releases; a day a month saved per team.",
        "resources": {"time_person_days": 15, "budget_amount": "1200.50", "budget_currency": "EUR"},
    }
    return values | overrides


def new_review(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "impact": 4,
        "evidence": 3,
        "feasibility": 5,
        "comment": "Would save us real time.",
    }
    return values | overrides


async def review(
    client: httpx.AsyncClient,
    tokens: Tokens,
    reviewer: OrgPerson,
    idea: dict[str, Any],
    **scores: Any,
) -> httpx.Response:
    return await client.post(
        f"/v1/ideas/{idea['id']}/reviews",
        json=new_review(**scores),
        headers=tokens.person(reviewer.email),
    )
