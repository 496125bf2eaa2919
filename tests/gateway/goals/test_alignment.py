"""The alignment graph through the gateway, over the real people and goals services: a cycle's
graph and dependencies, aligning objectives and declaring dependencies, and each objective's
parents and children. The scene is this folder's conftest's."""

from __future__ import annotations

import pytest

from kit.db import Database
from tests.gateway.goals.operations import ACCEPT, DECLARE, align, decide
from tests.gateway.goals.scene import Okrs, Work, global_id
from tests.gateway.support import GraphQL, Recorder
from tests.goals import factories as goals_rows
from tests.goals.alignment.factories import roll_up
from tests.support import Tokens

pytestmark = pytest.mark.e2e


DECLINE = """mutation ($input: DeclineAlignmentInput!) {
  declineAlignment(input: $input) {
    __typename
    ... on DeclineAlignmentPayload { alignment { state weight version parent { progress } } }
    ... on DeclineAlignmentError { code field message }
  }
}"""

REWEIGH = """mutation ($input: UpdateAlignmentInput!) {
  updateAlignment(input: $input) {
    __typename
    ... on UpdateAlignmentPayload { alignment { state weight version parent { progress } } }
    ... on UpdateAlignmentError { code field message }
  }
}"""

GRAPH = """query ($id: ID!) {
  node(id: $id) { ... on Cycle {
    name
    alignment {
      nodes {
        objectiveId title ownerKind level rollsUp ownProgress progress
        owner { __typename ... on Person { name } }
        objective { title }
        keyResults { title weight progress keyResult { current } }
      }
      edges {
        childId parentId parentKeyResultId weight state version
        child { title } parent { title } parentKeyResult { title }
      }
    }
  } }
}"""

DEPENDENCIES = """query ($id: ID!, $state: DependencyState) {
  node(id: $id) { ... on Cycle {
    dependencies(state: $state) {
      edges { cursor node {
        note state objective { title } onObjective { title } onKeyResult { title }
        declaredBy { name }
      } }
      pageInfo { hasNextPage }
    }
  } }
}"""


async def test_aligning_an_objective_to_a_key_result(
    graphql: GraphQL, okrs: Okrs, work: Work, tokens: Tokens
) -> None:
    result = await align(
        graphql,
        tokens.person("bob@example.com"),
        work.bobs,
        parentKeyResultId=global_id("KeyResult", okrs.key_result.id),
    )

    alignment = result["alignment"]
    assert {key: alignment[key] for key in alignment if key != "id"} == {
        "version": 1,
        "weight": 1.0,
        "state": "PENDING",
        "child": {"title": "Learn Rust"},
        "parent": {"title": "Ship search", "progress": 0.25},
        "parentKeyResult": {"title": "Queries served"},
    }


async def test_the_child_side_proposes_and_the_parent_side_decides_and_weighs(
    graphql: GraphQL, okrs: Okrs, work: Work, tokens: Tokens, goals_db: Database
) -> None:
    """Ada's "Ship search" rolls up (0.25 from its key result); Bob's "Learn Rust", done,
    proposes to support it."""
    async with goals_db.sessionmaker() as session:
        await roll_up(session, okrs.public)
        await goals_rows.create_key_result(session, work.bobs, current=100.0)
        await session.commit()
    bob, ada = tokens.person("bob@example.com"), tokens.person("ada@example.com")
    to_search = {"parentObjectiveId": global_id("Objective", okrs.public.id)}

    heavy = await align(graphql, bob, work.bobs, weight=1000, **to_search)
    proposed = (await align(graphql, bob, work.bobs, **to_search))["alignment"]
    link = {"alignmentId": proposed["id"]}
    by_bob = await decide(graphql, ACCEPT, bob, version=1, **link)
    stale = await decide(graphql, ACCEPT, ada, version=7, **link)
    accepted = await decide(graphql, ACCEPT, ada, version=1, weight=2, **link)
    reweighed = await decide(graphql, REWEIGH, ada, version=2, weight=4, **link)
    declined = await decide(graphql, DECLINE, ada, version=3, **link)
    malformed = await decide(graphql, DECLINE, ada, version=3, alignmentId="nope")

    assert (heavy["code"], heavy["field"]) == ("weight_set_by_parent", ["input", "weight"])
    assert (proposed["state"], proposed["parent"]["progress"]) == ("PENDING", 0.25)
    assert (by_bob["__typename"], by_bob["code"]) == ("AcceptAlignmentError", "parent_side_only")
    assert (stale["__typename"], stale["code"]) == ("AcceptAlignmentError", "stale_version")
    assert accepted == {
        "__typename": "AcceptAlignmentPayload",
        # (0.25 * 1 + 1.0 * 2) / 3
        "alignment": {
            "state": "ACCEPTED",
            "weight": 2.0,
            "version": 2,
            "parent": {"progress": 0.75},
        },
    }
    assert reweighed["alignment"] == {
        "state": "ACCEPTED",
        "weight": 4.0,
        "version": 3,
        "parent": {"progress": 0.85},
    }
    assert declined == {
        "__typename": "DeclineAlignmentPayload",
        "alignment": {
            "state": "DECLINED",
            "weight": 4.0,
            "version": 4,
            "parent": {"progress": 0.25},
        },
    }
    assert (malformed["code"], malformed["field"]) == ("invalid_id", ["input", "alignmentId"])


@pytest.mark.usefixtures("aligned")
async def test_the_graph_of_a_cycle_in_one_request(
    graphql: GraphQL,
    okrs: Okrs,
    work: Work,
    tokens: Tokens,
    recorder: Recorder,
    goals_db: Database,
) -> None:
    async with goals_db.sessionmaker() as session:
        await roll_up(session, okrs.public)
        await session.commit()

    body = await graphql(
        GRAPH, {"id": global_id("Cycle", okrs.cycle.id)}, headers=tokens.person("ada@example.com")
    )

    assert "errors" not in body, body
    graph = body["data"]["node"]["alignment"]
    nodes = {node["title"]: node for node in graph["nodes"]}
    assert {title: node["level"] for title, node in nodes.items() if node["level"]} == {
        "Ship search": 1,
        "Grow as a lead": 2,
        "Learn Rust": 2,
    }
    search = nodes["Ship search"]
    assert search["objectiveId"] == global_id("Objective", okrs.public.id)
    assert search["objective"] == {"title": "Ship search"}
    assert search["owner"] == {"__typename": "Person", "name": "Ada"}
    assert search["rollsUp"] is True
    assert search["ownProgress"] == 0.25
    # Bob's objective has no progress, and the private one never counts in a roll-up.
    assert search["progress"] == 0.25
    assert search["keyResults"] == [
        {"title": "Queries served", "weight": 1.0, "progress": 0.25, "keyResult": {"current": 25.0}}
    ]
    assert nodes["Grow"]["owner"] is None
    assert nodes["Grow"]["ownerKind"] == "COMPANY"
    edges = [
        (
            edge["child"]["title"],
            edge["parent"]["title"],
            edge["parentKeyResult"],
            edge["weight"],
            edge["state"],
            edge["version"],
        )
        for edge in graph["edges"]
    ]
    assert edges == [
        ("Learn Rust", "Ship search", {"title": "Queries served"}, 3.0, "ACCEPTED", 2),
        ("Ship search", "Grow", None, 1.0, "ACCEPTED", 2),
        ("Grow as a lead", "Ship search", None, 1.0, "ACCEPTED", 1),
    ]
    assert graph["edges"][0]["childId"] == global_id("Objective", work.bobs.id)
    assert graph["edges"][0]["parentKeyResultId"] == global_id("KeyResult", okrs.key_result.id)
    goals = [sent for sent in recorder.sent if sent.service == "goals"]
    assert [sent.path for sent in goals].count(f"/v1/cycles/{okrs.cycle.id}/alignment") == 1


@pytest.mark.usefixtures("aligned")
async def test_a_private_objective_is_absent_from_an_outsider_s_graph(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    body = await graphql(
        GRAPH, {"id": global_id("Cycle", okrs.cycle.id)}, headers=tokens.person("cy@example.com")
    )

    assert "errors" not in body, body
    graph = body["data"]["node"]["alignment"]
    titles = {node["title"] for node in graph["nodes"]}
    assert "Grow as a lead" not in titles
    assert "Ship search" in titles
    private = global_id("Objective", okrs.private.id)
    assert all(private not in (edge["childId"], edge["parentId"]) for edge in graph["edges"])
    assert [(edge["child"]["title"], edge["parent"]["title"]) for edge in graph["edges"]] == [
        ("Learn Rust", "Ship search"),
        ("Ship search", "Grow"),
    ]


@pytest.mark.usefixtures("aligned")
async def test_a_link_that_would_close_a_loop_is_the_mutation_s_error(
    graphql: GraphQL, okrs: Okrs, work: Work, tokens: Tokens
) -> None:
    result = await align(
        graphql,
        tokens.person("hr@example.com"),
        work.company,
        parentObjectiveId=global_id("Objective", okrs.private.id),
    )

    assert result["__typename"] == "AlignObjectiveError"
    assert result["code"] == "alignment_cycle"
    assert result["field"] == ["input", "parentObjectiveId"]


async def test_a_refused_link_says_why_and_where(
    graphql: GraphQL, okrs: Okrs, work: Work, tokens: Tokens
) -> None:
    bob = tokens.person("bob@example.com")

    wrong_type = await align(
        graphql, bob, work.bobs, parentObjectiveId=global_id("KeyResult", okrs.key_result.id)
    )
    neither = await align(graphql, bob, work.bobs)
    other_cycle = await align(
        graphql, bob, work.bobs, parentObjectiveId=global_id("Objective", work.old.id)
    )
    heavy = await align(
        graphql,
        bob,
        work.bobs,
        parentObjectiveId=global_id("Objective", okrs.public.id),
        weight=5000,
    )
    itself = await align(
        graphql, bob, work.bobs, parentObjectiveId=global_id("Objective", work.bobs.id)
    )

    assert (wrong_type["code"], wrong_type["field"]) == (
        "wrong_id_type",
        ["input", "parentObjectiveId"],
    )
    assert (neither["code"], neither["field"]) == ("one_parent", None)
    assert (other_cycle["code"], other_cycle["field"]) == (
        "cycle_mismatch",
        ["input", "parentObjectiveId"],
    )
    assert (heavy["code"], heavy["field"]) == ("validation_failed", ["input", "weight"])
    assert itself["code"] == "alignment_cycle"


async def test_a_declared_dependency_shows_in_its_cycle(
    graphql: GraphQL, okrs: Okrs, work: Work, tokens: Tokens
) -> None:
    ada = tokens.person("ada@example.com")
    declared = await graphql(
        DECLARE,
        {
            "input": {
                "objectiveId": global_id("Objective", okrs.public.id),
                "onObjectiveId": global_id("Objective", work.team_objective.id),
                "note": "We need Friday deploys by May.",
                "idempotencyKey": "declare-1",
            }
        },
        headers=ada,
    )
    on_key_result = await graphql(
        DECLARE,
        {
            "input": {
                "objectiveId": global_id("Objective", work.bobs.id),
                "onKeyResultId": global_id("KeyResult", okrs.key_result.id),
                "note": "Queries to learn from.",
            }
        },
        headers=tokens.person("bob@example.com"),
    )

    listed = await graphql(DEPENDENCIES, {"id": global_id("Cycle", okrs.cycle.id)}, headers=ada)
    agreed = await graphql(
        DEPENDENCIES, {"id": global_id("Cycle", okrs.cycle.id), "state": "AGREED"}, headers=ada
    )

    first = {
        "note": "We need Friday deploys by May.",
        "state": "OPEN",
        "objective": {"title": "Ship search"},
        "onObjective": {"title": "Deploy on Fridays"},
        "onKeyResult": None,
        "declaredBy": {"name": "Ada"},
    }
    assert declared["data"]["declareDependency"] == {
        "__typename": "DeclareDependencyPayload",
        "dependency": first,
    }
    assert on_key_result["data"]["declareDependency"]["__typename"] == "DeclareDependencyPayload"
    dependencies = listed["data"]["node"]["dependencies"]
    assert [edge["node"] for edge in dependencies["edges"]] == [
        first,
        {
            "note": "Queries to learn from.",
            "state": "OPEN",
            "objective": {"title": "Learn Rust"},
            "onObjective": {"title": "Ship search"},
            "onKeyResult": {"title": "Queries served"},
            "declaredBy": {"name": "Bob"},
        },
    ]
    assert dependencies["pageInfo"] == {"hasNextPage": False}
    assert agreed["data"]["node"]["dependencies"]["edges"] == []


async def test_the_dependencies_of_a_cycle_page_by_cursor(
    graphql: GraphQL, okrs: Okrs, work: Work, tokens: Tokens
) -> None:
    ada = tokens.person("ada@example.com")
    for target in (work.team_objective, work.search_objective):
        variables = {
            "input": {
                "objectiveId": global_id("Objective", okrs.public.id),
                "onObjectiveId": global_id("Objective", target.id),
                "note": "Needed.",
            }
        }
        assert "errors" not in await graphql(DECLARE, variables, headers=ada)
    query = """query ($id: ID!, $after: String) { node(id: $id) { ... on Cycle {
      dependencies(first: 1, after: $after) {
        edges { cursor node { onObjective { title } } } pageInfo { hasNextPage endCursor }
      } } } }"""
    cycle = global_id("Cycle", okrs.cycle.id)

    first = await graphql(query, {"id": cycle}, headers=ada)
    after = first["data"]["node"]["dependencies"]["pageInfo"]["endCursor"]
    second = await graphql(query, {"id": cycle, "after": after}, headers=ada)

    pages = [first["data"]["node"]["dependencies"], second["data"]["node"]["dependencies"]]
    assert [page["edges"][0]["node"]["onObjective"]["title"] for page in pages] == [
        "Deploy on Fridays",
        "Better ranking",
    ]
    assert [page["pageInfo"]["hasNextPage"] for page in pages] == [True, False]


async def test_a_refused_dependency_is_the_mutation_s_error(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    ada = tokens.person("ada@example.com")

    same_owner = await graphql(
        DECLARE,
        {
            "input": {
                "objectiveId": global_id("Objective", okrs.public.id),
                "onObjectiveId": global_id("Objective", okrs.private.id),
                "note": "Mine anyway.",
            }
        },
        headers=ada,
    )
    malformed = await graphql(
        DECLARE,
        {
            "input": {
                "objectiveId": "not-an-id",
                "onObjectiveId": global_id("Objective", okrs.private.id),
                "note": "Mine anyway.",
            }
        },
        headers=ada,
    )

    refused = same_owner["data"]["declareDependency"]
    assert (refused["__typename"], refused["code"], refused["field"]) == (
        "DeclareDependencyError",
        "same_owner",
        ["input", "onObjectiveId"],
    )
    bad = malformed["data"]["declareDependency"]
    assert (bad["code"], bad["field"]) == ("invalid_id", ["input", "objectiveId"])


@pytest.mark.usefixtures("aligned")
async def test_parents_and_children_are_one_batch_request_per_level(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens, recorder: Recorder
) -> None:
    body = await graphql(
        """query ($id: ID!) { person(id: $id) { objectives { edges { node {
              title
              parents { edges { node { weight parent { title } parentKeyResult { title } } } }
              children { edges { node {
                weight
                child { title children { edges { node { child { title } } } } }
              } } }
            } } } } }""",
        {"id": global_id("Person", okrs.ada.id)},
        headers=tokens.person("ada@example.com"),
    )

    assert "errors" not in body, body
    objectives = {
        edge["node"]["title"]: edge["node"]
        for edge in body["data"]["person"]["objectives"]["edges"]
    }
    search = objectives["Ship search"]
    assert [edge["node"]["parent"]["title"] for edge in search["parents"]["edges"]] == ["Grow"]
    assert [
        (edge["node"]["child"]["title"], edge["node"]["weight"])
        for edge in search["children"]["edges"]
    ] == [("Learn Rust", 3.0), ("Grow as a lead", 1.0)]
    lead = objectives["Grow as a lead"]
    assert [edge["node"]["parent"]["title"] for edge in lead["parents"]["edges"]] == ["Ship search"]
    paths = recorder.paths("goals")
    assert paths.count("/v1/alignments/parents") == 1
    assert paths.count("/v1/alignments/children") == 2  # the objectives, then their children
