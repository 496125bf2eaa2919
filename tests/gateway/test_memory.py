"""What a request loaded goes when the request does, by reference counting: nothing of it
waits for the cyclic garbage collector, whose passes over a page's records cost more CPU than
building the page (the team page of the bench spent a third of its time in them)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.people.schemas import PersonRead
from tests.gateway.support import GraphQL
from tests.people.factories import create_person
from tests.support import Tokens

pytestmark = pytest.mark.e2e

TEAM = """{
  viewer { name reports(first: 10) { edges { node { name manager { name }
    reports(first: 10) { edges { node { name } } } } } } }
}"""


def _records_alive() -> int:
    return sum(1 for thing in gc.get_objects() if isinstance(thing, PersonRead))


@pytest.fixture
def collector_off() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def test_records_of_a_page_are_freed_with_the_request(
    graphql: GraphQL, session: AsyncSession, tokens: Tokens, collector_off: None
) -> None:
    # given a lead with reports who have reports of their own
    lead = await create_person(session, name="Lead")
    for n in range(4):
        report = await create_person(session, name=f"Report {n}", manager_id=lead.id)
        for m in range(3):
            await create_person(session, name=f"Member {n}.{m}", manager_id=report.id)
    await session.commit()
    before = _records_alive()
    # when the team page is read with the cyclic collector off
    body = await graphql(TEAM, headers=tokens.person(lead.email))
    # then it read 17 people, and none of their records outlived the request
    reports = body["data"]["viewer"]["reports"]["edges"]
    assert sum(1 + len(edge["node"]["reports"]["edges"]) for edge in reports) == 16
    assert _records_alive() == before
