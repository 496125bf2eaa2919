"""Search: objectives and key results by the words of their text, across cycles; private ones
only for those who may see them; a page at a time, oldest first."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson
from services.goals.models import Cycle
from services.goals.schemas import Visibility
from tests.goals.factories import create_cycle, create_key_result, create_objective, create_person
from tests.support import Tokens, problem_codes, problem_fields


def hits(response: httpx.Response) -> list[tuple[str, str]]:
    """(type, title of what was found) for each hit."""
    return [
        (hit["type"], (hit["key_result"] or hit["objective"])["title"])
        for hit in response.json()["items"]
    ]


async def search(
    client: httpx.AsyncClient, headers: dict[str, str], **params: str
) -> httpx.Response:
    return await client.get("/v1/search", params=params, headers=headers)


async def test_objectives_and_key_results_are_found_by_their_words_across_cycles(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    app = await create_objective(
        session, cycle, ada, title="Ship the mobile app", description="For customers on the go"
    )
    await create_key_result(session, app, title="Crash-free sessions above 99 %")
    later = await create_cycle(session)
    onboarding = await create_objective(session, later, ada, title="Faster onboarding")
    found_kr = await create_key_result(session, onboarding, title="Mobile sign-up in 2 minutes")
    await create_objective(session, cycle, ada, title="Hire two engineers")

    mobile = await search(client, as_ada, q="mobile")
    both_words = await search(client, as_ada, q="MOBILE custom")  # every word, as prefixes
    in_cycle = await search(client, as_ada, q="mobile", cycle_id=str(later.id))

    assert mobile.status_code == 200
    assert hits(mobile) == [
        ("objective", "Ship the mobile app"),
        ("key_result", "Mobile sign-up in 2 minutes"),
    ]
    assert mobile.json()["items"][1]["objective"]["id"] == str(onboarding.id)
    assert mobile.json()["items"][1]["key_result"]["id"] == str(found_kr.id)
    assert hits(both_words) == [("objective", "Ship the mobile app")]
    assert hits(in_cycle) == [("key_result", "Mobile sign-up in 2 minutes")]


async def test_private_objectives_are_found_only_by_those_who_may_see_them(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
    as_admin: dict[str, str],
    tokens: Tokens,
) -> None:
    secret = await create_objective(
        session, cycle, ada, title="Secret pivot", visibility=Visibility.PRIVATE
    )
    await create_key_result(session, secret, title="Secret prototype")
    stranger = tokens.person((await create_person(session)).email)

    own = await search(client, as_ada, q="secret")
    hr = await search(client, as_admin, q="secret")
    outsider = await search(client, stranger, q="secret")
    reader = await search(client, tokens.integration("goals:read"), q="secret")

    assert (
        hits(own)
        == hits(hr)
        == [
            ("objective", "Secret pivot"),
            ("key_result", "Secret prototype"),
        ]
    )
    assert outsider.json()["items"] == reader.json()["items"] == []


async def test_search_results_come_a_page_at_a_time(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
) -> None:
    for n in range(5):
        await create_objective(session, cycle, ada, title=f"Growth {n}")

    pages, cursor = [], None
    while True:
        params = {"q": "growth", "limit": "2"} | ({"cursor": cursor} if cursor else {})
        page = await search(client, as_ada, **params)
        pages.append(hits(page))
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break

    assert [len(page) for page in pages] == [2, 2, 1]
    assert [title for page in pages for _, title in page] == [f"Growth {n}" for n in range(5)]


@pytest.mark.parametrize("text", ["growth & !", "growth:*|!", "'growth'", "(growth)", "growth <->"])
async def test_search_syntax_in_the_words_is_only_words(
    client: httpx.AsyncClient,
    session: AsyncSession,
    cycle: Cycle,
    ada: OrgPerson,
    as_ada: dict[str, str],
    text: str,
) -> None:
    await create_objective(session, cycle, ada, title="Growth")

    response = await search(client, as_ada, q=text)

    assert response.status_code == 200
    assert hits(response)[:1] == [("objective", "Growth")]


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({}, "query.q", "missing"),
        ({"q": "  "}, "query.q", "string_too_short"),
        ({"q": "&&& !!"}, "query.q", "no_words"),
        ({"q": "x" * 201}, "query.q", "string_too_long"),
        ({"q": "x", "cycle_id": "q1"}, "query.cycle_id", "uuid_parsing"),
        ({"q": "x", "limit": "0"}, "query.limit", "greater_than_equal"),
        ({"q": "x", "owner": "ada"}, "query.owner", "extra_forbidden"),
    ],
)
async def test_a_bad_search_is_422(
    client: httpx.AsyncClient,
    as_ada: dict[str, str],
    params: dict[str, str],
    field: str,
    code: str,
) -> None:
    response = await client.get("/v1/search", params=params, headers=as_ada)

    assert response.status_code == 422
    assert (problem_fields(response), problem_codes(response)) == ({field}, {code})
