"""Reading comments on objectives and searching objectives through the gateway, over the real
people and goals services. The scene is this folder's conftest's."""

from __future__ import annotations

from typing import Any

import pytest

from tests.gateway.goals.operations import COMMENT
from tests.gateway.goals.scene import Okrs, global_id
from tests.gateway.support import GraphQL, codes
from tests.support import Tokens

pytestmark = pytest.mark.e2e


COMMENTS = """query ($id: ID!, $first: Int!, $after: String) {
  objective(id: $id) {
    comments(first: $first, after: $after) {
      edges { cursor node { id body createdAt author { name } } }
      pageInfo { hasNextPage hasPreviousPage endCursor }
    }
  }
}"""

SEARCH = """query ($q: String!, $first: Int!, $after: String) {
  searchObjectives(q: $q, first: $first, after: $after) {
    edges { node { type objective { id title } keyResult { id title } } }
    pageInfo { hasNextPage hasPreviousPage }
  }
}"""


async def comment(graphql: GraphQL, headers: dict[str, str], objective: str, body: str) -> None:
    said = await graphql(
        COMMENT, {"input": {"objectiveId": objective, "body": body}}, headers=headers
    )
    assert said["data"]["commentOnObjective"]["__typename"] == "CommentOnObjectivePayload"


def bodies(answer: dict[str, Any]) -> list[str]:
    edges = answer["data"]["objective"]["comments"]["edges"]
    return [edge["node"]["body"] for edge in edges]


async def test_comments_are_listed_oldest_first_page_by_page(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    bob, cy = tokens.person("bob@example.com"), tokens.person("cy@example.com")
    public = global_id("Objective", okrs.public.id)
    await comment(graphql, bob, public, "First")
    await comment(graphql, cy, public, "Second")
    await comment(graphql, bob, public, "Third")

    first = await graphql(COMMENTS, {"id": public, "first": 2}, headers=cy)
    page = first["data"]["objective"]["comments"]
    rest = await graphql(
        COMMENTS, {"id": public, "first": 2, "after": page["pageInfo"]["endCursor"]}, headers=cy
    )
    from_an_edge = await graphql(
        COMMENTS, {"id": public, "first": 5, "after": page["edges"][0]["cursor"]}, headers=cy
    )

    assert "errors" not in first
    assert [(e["node"]["body"], e["node"]["author"]["name"]) for e in page["edges"]] == [
        ("First", "Bob"),
        ("Second", "Cy"),
    ]
    assert page["pageInfo"]["hasNextPage"] is True
    assert page["pageInfo"]["hasPreviousPage"] is False
    ids = [edge["node"]["id"] for edge in page["edges"]]
    assert len(set(ids)) == 2
    assert all(not id_.startswith("Comment:") for id_ in ids)
    assert bodies(rest) == ["Third"]
    assert rest["data"]["objective"]["comments"]["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "endCursor": rest["data"]["objective"]["comments"]["edges"][0]["cursor"],
    }
    assert bodies(from_an_edge) == ["Second", "Third"]


async def test_an_outsider_gets_nothing_of_a_private_objective_s_comments(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    ada, cy = tokens.person("ada@example.com"), tokens.person("cy@example.com")
    private = global_id("Objective", okrs.private.id)
    await comment(graphql, ada, private, "Note to self")

    owner = await graphql(COMMENTS, {"id": private, "first": 10}, headers=ada)
    outsider = await graphql(COMMENTS, {"id": private, "first": 10}, headers=cy)
    too_many = await graphql(COMMENTS, {"id": private, "first": 101}, headers=ada)

    assert bodies(owner) == ["Note to self"]
    # Null, without an error: a private objective looks like one that does not exist.
    assert outsider["data"] == {"objective": None}
    assert "errors" not in outsider
    # Refused before anything runs, whatever the objective.
    assert too_many["data"] is None
    assert codes(too_many) == [("BAD_USER_INPUT", "first_out_of_range")]


async def test_search_finds_a_public_objective_and_not_a_private_one_for_an_outsider(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    ada, cy = tokens.person("ada@example.com"), tokens.person("cy@example.com")
    public = {"id": global_id("Objective", okrs.public.id), "title": "Ship search"}

    found = await graphql(SEARCH, {"q": "ship sea", "first": 10}, headers=cy)
    private_for_cy = await graphql(SEARCH, {"q": "grow", "first": 10}, headers=cy)
    private_for_ada = await graphql(SEARCH, {"q": "grow", "first": 10}, headers=ada)
    key_result = await graphql(SEARCH, {"q": "queries", "first": 10}, headers=cy)

    assert found["data"]["searchObjectives"] == {
        "edges": [{"node": {"type": "OBJECTIVE", "objective": public, "keyResult": None}}],
        "pageInfo": {"hasNextPage": False, "hasPreviousPage": False},
    }
    assert private_for_cy["data"]["searchObjectives"]["edges"] == []
    assert [
        edge["node"]["objective"]["title"]
        for edge in private_for_ada["data"]["searchObjectives"]["edges"]
    ] == ["Grow as a lead"]
    assert key_result["data"]["searchObjectives"]["edges"] == [
        {
            "node": {
                "type": "KEY_RESULT",
                "objective": public,
                "keyResult": {
                    "id": global_id("KeyResult", okrs.key_result.id),
                    "title": "Queries served",
                },
            }
        }
    ]


async def test_search_pages_with_any_edge_s_cursor_and_refuses_no_words(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    ada = tokens.person("ada@example.com")
    paged = """query ($q: String!, $first: Int!, $after: String) {
      searchObjectives(q: $q, first: $first, after: $after) {
        edges { cursor node { type objective { title } } }
        pageInfo { hasNextPage endCursor }
      }
    }"""

    first = await graphql(paged, {"q": "s", "first": 1}, headers=ada)
    page = first["data"]["searchObjectives"]
    rest = await graphql(
        paged, {"q": "s", "first": 10, "after": page["pageInfo"]["endCursor"]}, headers=ada
    )
    no_words = await graphql(paged, {"q": "!!", "first": 10}, headers=ada)

    assert [edge["node"]["type"] for edge in page["edges"]] == ["OBJECTIVE"]
    assert page["pageInfo"]["hasNextPage"] is True
    assert [edge["node"]["type"] for edge in rest["data"]["searchObjectives"]["edges"]] == [
        "KEY_RESULT"
    ]
    assert no_words["data"] == {"searchObjectives": None}
    assert codes(no_words)[0][0] == "BAD_USER_INPUT"
