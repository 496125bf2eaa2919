"""Learnings searched across the organisation: full text over what an experiment says, every
word as the start of a word, oldest first whatever the outcome (a failure with a good learning
is found as a success is), and never a private objective's for those who may not read it."""

from __future__ import annotations

from typing import Any

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from services.goals.models import Cycle
from tests.goals.factories import create_key_result, create_objective
from tests.goals.help.support import Cast


async def _record(client: httpx.AsyncClient, people: Cast, key_result_id: Any, **body: Any) -> str:
    recorded = await client.post(
        f"/v1/key-results/{key_result_id}/experiments",
        json={"hypothesis": "A hypothesis"} | body,
        headers=people.as_(people.ada),
    )
    assert recorded.status_code == 201
    return str(recorded.json()["id"])


async def _search(client: httpx.AsyncClient, headers: dict[str, str], query: str) -> list[str]:
    found = await client.get(f"/v1/learnings{query}", headers=headers)
    assert found.status_code == 200
    return [item["id"] for item in found.json()["items"]]


async def test_learnings_are_found_by_the_start_of_their_words_whatever_the_outcome(
    client: httpx.AsyncClient, people: Cast
) -> None:
    kr = people.key_result.id
    failed = await _record(
        client, people, kr, learning="Onboarding emails go unread", outcome="invalidated"
    )
    won = await _record(
        client, people, kr, learning="Invites from colleagues onboard people", outcome="validated"
    )
    await _record(client, people, kr, learning="Pricing pages confuse", outcome="inconclusive")
    await _record(client, people, kr, tried="Onboarding call")  # no learning yet

    onboard = await _search(client, people.as_(people.pete), "?q=onboard")
    both_words = await _search(client, people.as_(people.pete), "?q=onboarding%20unread")
    everything = await _search(client, people.reader(), "")

    assert onboard == [failed, won]  # oldest first, the failure as findable as the success
    assert both_words == [failed]
    assert len(everything) == 3


async def test_search_finds_the_hypothesis_what_was_tried_and_the_result_too(
    client: httpx.AsyncClient, people: Cast
) -> None:
    found = await _record(
        client,
        people,
        people.key_result.id,
        hypothesis="Shorter forms convert",
        tried="Cut the form to three fields",
        result="Conversions rose",
        learning="Fewer fields, more sign-ups",
    )

    for words in ("shorter", "three", "rose", "sign"):
        assert await _search(client, people.as_(people.pete), f"?q={words}") == [found]


async def test_a_private_objectives_learnings_are_found_only_by_those_who_may_read_it(
    client: httpx.AsyncClient, session: AsyncSession, cycle: Cycle, private: Cast
) -> None:
    public_goal = await create_objective(session, cycle, private.pete)
    public_kr = await create_key_result(session, public_goal)
    hidden = await _record(client, private, private.key_result.id, learning="Secret sauce works")
    shown = await client.post(
        f"/v1/key-results/{public_kr.id}/experiments",
        json={"hypothesis": "Sauce", "learning": "Open sauce works"},
        headers=private.as_(private.pete),
    )

    outsider = await _search(client, private.as_(private.pete), "?q=sauce")
    reader = await _search(client, private.reader(), "?q=sauce")
    manager = await _search(client, private.as_(private.mia), "?q=sauce")

    assert outsider == reader == [shown.json()["id"]]
    assert manager == [hidden, shown.json()["id"]]


async def test_a_search_pages_and_refuses_what_it_cannot_read(
    client: httpx.AsyncClient, people: Cast
) -> None:
    ids = [
        await _record(client, people, people.key_result.id, learning=f"Lesson {n}")
        for n in range(3)
    ]
    headers = people.as_(people.pete)

    first = (await client.get("/v1/learnings?q=lesson&limit=2", headers=headers)).json()
    rest = (
        await client.get(
            f"/v1/learnings?q=lesson&limit=2&cursor={first['next_cursor']}", headers=headers
        )
    ).json()
    no_words = await client.get("/v1/learnings?q=%21%21", headers=headers)
    ranked = await client.get("/v1/learnings?sort=outcome", headers=headers)
    bad_cursor = await client.get("/v1/learnings?cursor=nonsense", headers=headers)
    unscoped = await client.get("/v1/learnings", headers=people.tokens.integration("people:read"))

    assert [item["id"] for item in first["items"] + rest["items"]] == ids
    assert (no_words.status_code, no_words.json()["code"]) == (422, "no_words")
    assert (ranked.status_code, bad_cursor.status_code, unscoped.status_code) == (422, 422, 403)
