"""The goals service's event catalogue lists the events of ideas and development goals."""

from __future__ import annotations

import httpx


async def test_the_event_catalogue_lists_the_events_of_ideas_and_growth(
    client: httpx.AsyncClient, as_ada: dict[str, str]
) -> None:
    response = await client.get("/v1/event-types", headers=as_ada)

    names = [event["name"] for event in response.json()]
    assert [name for name in names if name.startswith(("idea.", "development_goal."))] == [
        "development_goal.completed",
        "development_goal.created",
        "idea.allocated",
        "idea.proposed",
        "idea.reviewed",
    ]
