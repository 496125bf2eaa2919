"""Experiments and learnings through the gateway: recorded on a key result, changed at the
version read, listed with the key result, and found by `learnings(search)` across the
organisation, the invalidated as readily as the validated; never a private objective's for
outsiders."""

from __future__ import annotations

from typing import Any

import pytest

from kit.db import Database
from tests.gateway.goals.scene import Okrs, global_id
from tests.gateway.support import GraphQL
from tests.goals import factories as goals_rows
from tests.support import Tokens

pytestmark = pytest.mark.e2e

EXPERIMENT = "id hypothesis learning outcome version recordedBy { name } keyResult { title }"

RECORD = f"""mutation ($input: RecordExperimentInput!) {{
  recordExperiment(input: $input) {{
    __typename
    ... on ExperimentPayload {{ experiment {{ {EXPERIMENT} }} }}
    ... on UserError {{ code field }}
  }}
}}"""

UPDATE = f"""mutation ($input: UpdateExperimentInput!) {{
  updateExperiment(input: $input) {{
    __typename
    ... on ExperimentPayload {{ experiment {{ {EXPERIMENT} }} }}
    ... on UserError {{ code field }}
  }}
}}"""

LEARNINGS = """query ($search: String, $first: Int, $after: String) {
  learnings(search: $search, first: $first, after: $after) {
    edges { node { learning outcome } }
    pageInfo { hasNextPage endCursor }
  }
}"""


async def _record(
    graphql: GraphQL, headers: dict[str, str], key_result_id: Any, **fields: Any
) -> dict[str, Any]:
    body = await graphql(
        RECORD,
        {"input": {"keyResultId": global_id("KeyResult", key_result_id)} | fields},
        headers=headers,
    )
    result: dict[str, Any] = body["data"]["recordExperiment"]
    return result


async def test_experiments_are_recorded_changed_and_read_with_their_key_result(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    ada = tokens.person("ada@example.com")
    failed = await _record(
        graphql,
        ada,
        okrs.key_result.id,
        hypothesis="Caching doubles throughput",
        learning="The bottleneck is the index, not the cache",
        outcome="INVALIDATED",
    )
    running = await _record(graphql, ada, okrs.key_result.id, hypothesis="Sharding helps")

    changed = await graphql(
        UPDATE,
        {
            "input": {
                "experimentId": running["experiment"]["id"],
                "version": 1,
                "outcome": "VALIDATED",
                "learning": "Shard by tenant",
            }
        },
        headers=ada,
    )
    stale = await graphql(
        UPDATE,
        {"input": {"experimentId": running["experiment"]["id"], "version": 1, "tried": "x"}},
        headers=ada,
    )
    listed = await graphql(
        "query ($id: ID!) { objective(id: $id) { keyResults { edges { node { "
        "experiments { edges { node { hypothesis outcome } } } } } } } }",
        {"id": global_id("Objective", okrs.public.id)},
        headers=tokens.person("cy@example.com"),
    )

    assert failed["experiment"] | {"id": None} == {
        "id": None,
        "hypothesis": "Caching doubles throughput",
        "learning": "The bottleneck is the index, not the cache",
        "outcome": "INVALIDATED",
        "version": 1,
        "recordedBy": {"name": "Ada"},
        "keyResult": {"title": "Queries served"},
    }
    assert changed["data"]["updateExperiment"]["experiment"]["outcome"] == "VALIDATED"
    assert stale["data"]["updateExperiment"]["code"] == "stale_version"
    [key_result] = listed["data"]["objective"]["keyResults"]["edges"]
    assert key_result["node"]["experiments"]["edges"] == [
        {"node": {"hypothesis": "Caching doubles throughput", "outcome": "INVALIDATED"}},
        {"node": {"hypothesis": "Sharding helps", "outcome": "VALIDATED"}},
    ]


async def test_a_peer_cannot_record_and_a_bad_one_says_which_field(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    refused = await _record(
        graphql, tokens.person("cy@example.com"), okrs.key_result.id, hypothesis="Mine"
    )
    empty = await _record(
        graphql, tokens.person("ada@example.com"), okrs.key_result.id, hypothesis=""
    )

    assert refused["code"] == "forbidden"
    assert (empty["code"], empty["field"]) == ("validation_failed", ["input", "hypothesis"])


async def test_learnings_are_searched_across_the_organisation_but_not_into_private_objectives(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens, goals_db: Database
) -> None:
    async with goals_db.sessionmaker() as session:
        hidden_result = await goals_rows.create_key_result(session, okrs.private, title="Trust")
        await session.commit()
    ada, cy = tokens.person("ada@example.com"), tokens.person("cy@example.com")
    await _record(
        graphql,
        ada,
        okrs.key_result.id,
        hypothesis="Bigger machines",
        learning="Latency comes from the index layout",
        outcome="INVALIDATED",
    )
    await _record(
        graphql,
        ada,
        okrs.key_result.id,
        hypothesis="Rebuild the index",
        learning="Index rebuilds halve latency",
        outcome="VALIDATED",
    )
    await _record(
        graphql, ada, hidden_result.id, hypothesis="Weekly 1:1s", learning="Index cards help"
    )

    cys = await graphql(LEARNINGS, {"search": "index", "first": 1}, headers=cy)
    cys_next = await graphql(
        LEARNINGS,
        {"search": "index", "after": cys["data"]["learnings"]["pageInfo"]["endCursor"]},
        headers=cy,
    )
    adas = await graphql(LEARNINGS, {"search": "index"}, headers=ada)

    first_page = cys["data"]["learnings"]
    assert first_page["edges"] == [
        {"node": {"learning": "Latency comes from the index layout", "outcome": "INVALIDATED"}}
    ]
    assert first_page["pageInfo"]["hasNextPage"] is True
    assert cys_next["data"]["learnings"]["edges"] == [
        {"node": {"learning": "Index rebuilds halve latency", "outcome": "VALIDATED"}}
    ]
    assert len(adas["data"]["learnings"]["edges"]) == 3
