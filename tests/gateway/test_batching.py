"""What the gateway sends to the people service: one batch request per field of each nesting
level whatever the page size, nothing twice, and the caller's token and request id along."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.people.models import Person
from tests.gateway.support import GraphQL, Recorder, Sent
from tests.people.factories import create_person
from tests.support import Tokens

pytestmark = pytest.mark.e2e

PEOPLE_WITH_MANAGERS_AND_REPORTS = """query ($first: Int!) {
  people(first: $first) {
    edges { node { manager { name } reports { edges { node { name } } } } }
  }
}"""


@dataclass
class Staff:
    """30 people listed first; 3 managers created after them (so outside the first page) who
    manage them all, and the first of the 30 also manages the next 5."""

    people: list[Person]
    managers: list[Person]


@pytest.fixture
async def staff(session: AsyncSession) -> Staff:
    people = [await create_person(session, name=f"Staff {n:02}") for n in range(30)]
    managers = [await create_person(session, name=f"Manager {n}") for n in range(3)]
    for n, person in enumerate(people):
        person.manager_id = people[0].id if 1 <= n <= 5 else managers[n % 3].id
        session.add(person)
    await session.commit()
    return Staff(people, managers)


def ids_sent(sent: Sent, name: str) -> list[uuid.UUID]:
    return [uuid.UUID(value) for key, value in sent.params if key == name]


async def test_each_level_is_one_batch_request_per_field(
    graphql: GraphQL, staff: Staff, recorder: Recorder, tokens: Tokens
) -> None:
    body = await graphql(
        PEOPLE_WITH_MANAGERS_AND_REPORTS,
        {"first": 30},
        headers=tokens.person(staff.people[0].email),
    )

    assert "errors" not in body
    assert len(body["data"]["people"]["edges"]) == 30
    # Level 1: the page of people.
    listing, *level_two = recorder.sent
    assert (listing.path, dict(listing.params)) == ("/v1/people", {"limit": "30"})
    # Level 2, in parallel: the managers not already on the page, and every reports list.
    assert sorted(sent.path for sent in level_two) == ["/v1/people", "/v1/people/by-manager"]
    by_id = next(sent for sent in level_two if sent.path == "/v1/people")
    reports = next(sent for sent in level_two if sent.path == "/v1/people/by-manager")
    assert sorted(ids_sent(by_id, "id")) == sorted(manager.id for manager in staff.managers)
    assert ids_sent(reports, "manager_id") == [person.id for person in staff.people]
    assert ("per_manager", "20") in reports.params


async def test_the_answer_is_the_same_as_asking_one_by_one(
    graphql: GraphQL, staff: Staff, tokens: Tokens
) -> None:
    body = await graphql(
        PEOPLE_WITH_MANAGERS_AND_REPORTS,
        {"first": 30},
        headers=tokens.person(staff.people[0].email),
    )

    nodes = [edge["node"] for edge in body["data"]["people"]["edges"]]
    managers = [node["manager"]["name"] for node in nodes]
    assert managers[0] == "Manager 0"
    assert managers[1:6] == ["Staff 00"] * 5
    assert managers[6:9] == ["Manager 0", "Manager 1", "Manager 2"]
    first_reports = [edge["node"]["name"] for edge in nodes[0]["reports"]["edges"]]
    assert first_reports == [f"Staff {n:02}" for n in range(1, 6)]
    assert all(node["reports"]["edges"] == [] for node in nodes[1:])


async def test_the_number_of_requests_does_not_grow_with_the_page(
    graphql: GraphQL, staff: Staff, recorder: Recorder, tokens: Tokens
) -> None:
    headers = tokens.person(staff.people[0].email)
    counts = []
    for first in (3, 10, 30):
        recorder.clear()
        await graphql(PEOPLE_WITH_MANAGERS_AND_REPORTS, {"first": first}, headers=headers)
        counts.append(len(recorder.sent))

    assert counts == [3, 3, 3]


async def test_people_already_read_are_not_read_again(
    graphql: GraphQL, session: AsyncSession, recorder: Recorder, tokens: Tokens
) -> None:
    # Given managers listed on the same page as their reports
    boss = await create_person(session, name="Boss")
    for n in range(5):
        await create_person(session, name=f"Report {n}", manager_id=boss.id)
    await session.commit()

    await graphql(
        PEOPLE_WITH_MANAGERS_AND_REPORTS, {"first": 30}, headers=tokens.person(boss.email)
    )

    # Then each level costs exactly one request: the managers came with the page
    assert recorder.paths() == ["/v1/people", "/v1/people/by-manager"]


async def test_deeper_levels_add_one_request_each(
    graphql: GraphQL, session: AsyncSession, recorder: Recorder, tokens: Tokens
) -> None:
    # Given a top manager, three middle managers under them, and two people under each
    top = await create_person(session, name="Top")
    middles = [await create_person(session, manager_id=top.id) for _ in range(3)]
    for middle in middles:
        for _ in range(2):
            await create_person(session, manager_id=middle.id)
    await session.commit()

    body = await graphql(
        """{ people(first: 1) { edges { node {
              reports { edges { node {
                reports { edges { node { name } } }
              } } }
            } } } }""",
        headers=tokens.person(top.email),
    )

    assert "errors" not in body
    (top_node,) = [edge["node"] for edge in body["data"]["people"]["edges"]]
    middle_nodes = [edge["node"] for edge in top_node["reports"]["edges"]]
    assert [len(middle["reports"]["edges"]) for middle in middle_nodes] == [2, 2, 2]
    assert recorder.paths() == ["/v1/people", "/v1/people/by-manager", "/v1/people/by-manager"]
    assert len(ids_sent(recorder.sent[2], "manager_id")) == 3


async def test_the_request_id_and_the_token_go_along(
    graphql: GraphQL, staff: Staff, recorder: Recorder, tokens: Tokens
) -> None:
    headers = {**tokens.person(staff.people[0].email), "X-Request-ID": "trace-4711"}

    await graphql(PEOPLE_WITH_MANAGERS_AND_REPORTS, {"first": 5}, headers=headers)

    assert len(recorder.sent) == 3
    assert {sent.request_id for sent in recorder.sent} == {"trace-4711"}
    assert {sent.answered_request_id for sent in recorder.sent} == {"trace-4711"}


async def test_the_gateway_answers_with_the_request_id(
    graphql: GraphQL, staff: Staff, tokens: Tokens
) -> None:
    response = await graphql.client.post(
        "/graphql",
        json={"query": "{ viewer { name } }"},
        headers={**tokens.person(staff.people[0].email), "X-Request-ID": "trace-4712"},
    )

    assert response.headers["x-request-id"] == "trace-4712"
