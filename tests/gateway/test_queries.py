"""Reading the directory through the gateway: the viewer, people by global id, pages of
people without gaps, reports, teams and `node`/`nodes`."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.people.models import Person, Team
from tests.gateway.support import GraphQL, codes
from tests.people.factories import add_member, create_person, create_team
from tests.support import Tokens

pytestmark = pytest.mark.e2e


def global_id(type_name: str, id_: uuid.UUID) -> str:
    return base64.b64encode(f"{type_name}:{id_}".encode()).decode()


@dataclass
class Org:
    boss: Person
    lead: Person
    reports: list[Person]
    platform: Team
    company: Team


@pytest.fixture
async def org(session: AsyncSession) -> Org:
    boss = await create_person(session, email="boss@example.com", name="Bea Boss")
    lead = await create_person(
        session, email="lead@example.com", name="Leo Lead", title="Lead", manager_id=boss.id
    )
    reports = [
        await create_person(session, name=name, manager_id=lead.id) for name in ("Ada", "Bob", "Cy")
    ]
    company = await create_team(session, name="Company", kind="department")
    platform = await create_team(session, name="Platform", parent_id=company.id, lead_id=lead.id)
    await add_member(session, platform, lead)
    await add_member(session, company, lead)
    await session.commit()
    return Org(boss, lead, reports, platform, company)


async def test_the_viewer_is_the_person_the_token_names(
    graphql: GraphQL, org: Org, tokens: Tokens
) -> None:
    body = await graphql(
        "{ viewer { id name email title timeZone locale status manager { name } } }",
        headers=tokens.person("lead@example.com"),
    )

    assert "errors" not in body
    assert body["data"]["viewer"] == {
        "id": global_id("Person", org.lead.id),
        "name": "Leo Lead",
        "email": "lead@example.com",
        "title": "Lead",
        "timeZone": "Europe/London",
        "locale": "en-GB",
        "status": "ACTIVE",
        "manager": {"name": "Bea Boss"},
    }


async def test_a_person_by_global_id_with_reports_and_teams(
    graphql: GraphQL, org: Org, tokens: Tokens
) -> None:
    body = await graphql(
        """query ($id: ID!) {
          person(id: $id) {
            name
            reports { edges { node { name manager { name } } } pageInfo { hasNextPage } }
            teams { edges { node { name kind parent { name } lead { name } } } }
          }
        }""",
        {"id": global_id("Person", org.lead.id)},
        headers=tokens.person("boss@example.com"),
    )

    assert "errors" not in body
    person = body["data"]["person"]
    assert person["name"] == "Leo Lead"
    assert [edge["node"] for edge in person["reports"]["edges"]] == [
        {"name": name, "manager": {"name": "Leo Lead"}} for name in ("Ada", "Bob", "Cy")
    ]
    assert person["reports"]["pageInfo"] == {"hasNextPage": False}
    assert [edge["node"] for edge in person["teams"]["edges"]] == [
        {"name": "Company", "kind": "DEPARTMENT", "parent": None, "lead": None},
        {
            "name": "Platform",
            "kind": "TEAM",
            "parent": {"name": "Company"},
            "lead": {"name": "Leo Lead"},
        },
    ]


async def test_nobody_by_a_well_formed_id_is_null_without_error(
    graphql: GraphQL, org: Org, tokens: Tokens
) -> None:
    body = await graphql(
        "query ($id: ID!) { person(id: $id) { name } }",
        {"id": global_id("Person", uuid.uuid4())},
        headers=tokens.person("boss@example.com"),
    )

    assert body == {"data": {"person": None}}


async def test_pages_of_people_cover_everyone_once_in_order(
    graphql: GraphQL, org: Org, tokens: Tokens
) -> None:
    everyone = [org.boss.name, org.lead.name, *(person.name for person in org.reports)]
    seen: list[str] = []
    after = None
    pages = 0

    while True:
        body = await graphql(
            """query ($after: String) {
              people(first: 2, after: $after) {
                edges { cursor node { name } }
                pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
              }
            }""",
            {"after": after},
            headers=tokens.person("boss@example.com"),
        )
        assert "errors" not in body
        page = body["data"]["people"]
        pages += 1
        seen += [edge["node"]["name"] for edge in page["edges"]]
        info = page["pageInfo"]
        assert info["hasPreviousPage"] is (after is not None)
        assert info["startCursor"] == page["edges"][0]["cursor"]
        assert info["endCursor"] == page["edges"][-1]["cursor"]
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]

    assert seen == everyone
    assert pages == 3


async def test_any_edge_cursor_continues_right_after_its_item(
    graphql: GraphQL, org: Org, tokens: Tokens
) -> None:
    query = """query ($after: String) {
      people(first: 3, after: $after) { edges { cursor node { name } } }
    }"""
    headers = tokens.person("boss@example.com")
    first = await graphql(query, headers=headers)
    second_edge = first["data"]["people"]["edges"][1]

    body = await graphql(query, {"after": second_edge["cursor"]}, headers=headers)

    assert [edge["node"]["name"] for edge in body["data"]["people"]["edges"]] == [
        "Ada",
        "Bob",
        "Cy",
    ]


async def test_reports_and_teams_page_too(graphql: GraphQL, org: Org, tokens: Tokens) -> None:
    query = """query ($id: ID!, $after: String) {
      person(id: $id) {
        reports(first: 2, after: $after) {
          edges { node { name } } pageInfo { hasNextPage endCursor }
        }
        teams(first: 1, after: $after) { edges { node { name } } pageInfo { hasNextPage } }
      }
    }"""
    variables = {"id": global_id("Person", org.lead.id)}
    headers = tokens.person("boss@example.com")

    first = await graphql(query, variables, headers=headers)
    reports = first["data"]["person"]["reports"]
    teams = first["data"]["person"]["teams"]
    assert [edge["node"]["name"] for edge in reports["edges"]] == ["Ada", "Bob"]
    assert reports["pageInfo"]["hasNextPage"] is True
    assert [edge["node"]["name"] for edge in teams["edges"]] == ["Company"]
    assert teams["pageInfo"]["hasNextPage"] is True

    rest = await graphql(
        query, {**variables, "after": reports["pageInfo"]["endCursor"]}, headers=headers
    )
    assert [edge["node"]["name"] for edge in rest["data"]["person"]["reports"]["edges"]] == ["Cy"]
    assert rest["data"]["person"]["reports"]["pageInfo"]["hasNextPage"] is False


async def test_node_fetches_any_type_by_its_global_id(
    graphql: GraphQL, org: Org, tokens: Tokens
) -> None:
    body = await graphql(
        """query ($person: ID!, $team: ID!) {
          person: node(id: $person) { __typename id ... on Person { name } }
          team: node(id: $team) { __typename id ... on Team { name } }
        }""",
        {"person": global_id("Person", org.boss.id), "team": global_id("Team", org.platform.id)},
        headers=tokens.person("boss@example.com"),
    )

    assert "errors" not in body
    assert body["data"] == {
        "person": {
            "__typename": "Person",
            "id": global_id("Person", org.boss.id),
            "name": "Bea Boss",
        },
        "team": {
            "__typename": "Team",
            "id": global_id("Team", org.platform.id),
            "name": "Platform",
        },
    }


async def test_nodes_answer_in_order_with_an_error_only_where_an_id_is_malformed(
    graphql: GraphQL, org: Org, tokens: Tokens
) -> None:
    ids = [
        global_id("Person", org.boss.id),
        "not-an-id",
        global_id("Team", org.company.id),
        global_id("Person", uuid.uuid4()),
    ]

    body = await graphql(
        "query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Person { name } ... on Team { name } } }",
        {"ids": ids},
        headers=tokens.person("boss@example.com"),
    )

    assert body["data"]["nodes"] == [{"name": "Bea Boss"}, None, {"name": "Company"}, None]
    assert codes(body) == [("BAD_USER_INPUT", "invalid_id")]
    assert body["errors"][0]["path"] == ["nodes", 1]
