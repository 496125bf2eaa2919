"""Changing cycles, contributors, roll-up, dependencies and links through the gateway, over the
real people and goals services. The scene and the links are this folder's conftest's."""

from __future__ import annotations

from typing import Any

import pytest

from tests.gateway.goals.operations import DECLARE
from tests.gateway.goals.scene import Okrs, Work, global_id
from tests.gateway.support import GraphQL
from tests.support import Tokens

pytestmark = pytest.mark.e2e


CREATE_CYCLE = """mutation ($input: CreateCycleInput!) {
  createCycle(input: $input) {
    __typename
    ... on CreateCyclePayload { cycle { id name startsOn endsOn status version } }
    ... on UserError { code field }
  }
}"""

UPDATE_CYCLE = """mutation ($input: UpdateCycleInput!) {
  updateCycle(input: $input) {
    __typename
    ... on UpdateCyclePayload { cycle { name status version } }
    ... on UserError { code field }
  }
}"""


async def test_hr_creates_a_cycle_then_opens_it_at_the_version_read(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    hr, ada = tokens.person("hr@example.com"), tokens.person("ada@example.com")
    q2 = {"name": "2026 Q2", "startsOn": "2026-04-01", "endsOn": "2026-06-30"}

    created = await graphql(CREATE_CYCLE, {"input": q2 | {"idempotencyKey": "q2-1"}}, headers=hr)
    not_hr = await graphql(CREATE_CYCLE, {"input": q2 | {"name": "Mine"}}, headers=ada)
    backwards = await graphql(CREATE_CYCLE, {"input": q2 | {"endsOn": "2026-03-01"}}, headers=hr)
    cycle = created["data"]["createCycle"]["cycle"]
    opened = await graphql(
        UPDATE_CYCLE,
        {"input": {"cycleId": cycle["id"], "version": cycle["version"], "status": "ACTIVE"}},
        headers=hr,
    )
    stale = await graphql(
        UPDATE_CYCLE,
        {"input": {"cycleId": cycle["id"], "version": cycle["version"], "name": "Q2"}},
        headers=hr,
    )
    wrong_id = await graphql(
        UPDATE_CYCLE,
        {"input": {"cycleId": global_id("Objective", okrs.public.id), "version": 1}},
        headers=hr,
    )

    assert cycle | {"id": None, "version": None} == {
        "id": None,
        "name": "2026 Q2",
        "startsOn": "2026-04-01",
        "endsOn": "2026-06-30",
        "status": "PLANNING",
        "version": None,
    }
    assert not_hr["data"]["createCycle"] == {
        "__typename": "CreateCycleError",
        "code": "forbidden",
        "field": None,
    }
    assert backwards["data"]["createCycle"]["code"] == "end_not_after_start"
    assert opened["data"]["updateCycle"]["cycle"]["status"] == "ACTIVE"
    assert opened["data"]["updateCycle"]["cycle"]["version"] > cycle["version"]
    assert stale["data"]["updateCycle"]["code"] == "stale_version"
    assert wrong_id["data"]["updateCycle"] == {
        "__typename": "UpdateCycleError",
        "code": "wrong_id_type",
        "field": ["input", "cycleId"],
    }


ADD_CONTRIBUTOR = """mutation ($input: AddContributorInput!) {
  addContributor(input: $input) {
    __typename
    ... on AddContributorPayload { objective { contributors { edges { node { name } } } } }
    ... on UserError { code field }
  }
}"""

REMOVE_CONTRIBUTOR = """mutation ($input: RemoveContributorInput!) {
  removeContributor(input: $input) {
    __typename
    ... on RemoveContributorPayload { objective { contributors { edges { node { name } } } } }
    ... on UserError { code field }
  }
}"""


def names(objective: dict[str, Any]) -> list[str]:
    return [edge["node"]["name"] for edge in objective["contributors"]["edges"]]


async def test_contributors_are_added_and_taken_off(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    ada = tokens.person("ada@example.com")
    cy_on_public = {
        "objectiveId": global_id("Objective", okrs.public.id),
        "personId": global_id("Person", okrs.cy.id),
    }

    added = await graphql(ADD_CONTRIBUTOR, {"input": cy_on_public}, headers=ada)
    again = await graphql(ADD_CONTRIBUTOR, {"input": cy_on_public}, headers=ada)
    removed = await graphql(REMOVE_CONTRIBUTOR, {"input": cy_on_public}, headers=ada)
    gone = await graphql(REMOVE_CONTRIBUTOR, {"input": cy_on_public}, headers=ada)

    assert added["data"]["addContributor"]["__typename"] == "AddContributorPayload"
    assert names(added["data"]["addContributor"]["objective"]) == ["Cy"]
    assert again["data"]["addContributor"]["__typename"] == "AddContributorError"
    assert again["data"]["addContributor"]["code"] == "already_contributor"
    assert removed["data"]["removeContributor"]["__typename"] == "RemoveContributorPayload"
    assert names(removed["data"]["removeContributor"]["objective"]) == []
    assert gone["data"]["removeContributor"] == {
        "__typename": "RemoveContributorError",
        "code": "contributor_not_found",
        "field": None,
    }


SET_ROLL_UP = """mutation ($input: SetRollUpInput!) {
  setRollUp(input: $input) {
    __typename
    ... on SetRollUpPayload { enabled ownProgress progress objective { progress } }
    ... on UserError { code }
  }
}"""


@pytest.mark.usefixtures("aligned")
async def test_an_owner_opts_in_and_out_of_roll_up(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    ada, cy = tokens.person("ada@example.com"), tokens.person("cy@example.com")
    public = global_id("Objective", okrs.public.id)

    on = await graphql(
        SET_ROLL_UP, {"input": {"objectiveId": public, "enabled": True}}, headers=ada
    )
    off = await graphql(
        SET_ROLL_UP, {"input": {"objectiveId": public, "enabled": False}}, headers=ada
    )
    hidden = await graphql(
        SET_ROLL_UP,
        {"input": {"objectiveId": global_id("Objective", okrs.private.id), "enabled": True}},
        headers=cy,
    )

    rolled = on["data"]["setRollUp"]
    assert rolled["__typename"] == "SetRollUpPayload"
    assert rolled["enabled"] is True
    assert rolled["ownProgress"] == 0.25
    assert rolled["objective"] == {"progress": rolled["progress"]}
    assert off["data"]["setRollUp"] == {
        "__typename": "SetRollUpPayload",
        "enabled": False,
        "ownProgress": 0.25,
        "progress": 0.25,
        "objective": {"progress": 0.25},
    }
    assert hidden["data"]["setRollUp"] == {
        "__typename": "SetRollUpError",
        "code": "objective_not_found",
    }


UPDATE_DEPENDENCY = """mutation ($input: UpdateDependencyInput!) {
  updateDependency(input: $input) {
    __typename
    ... on UpdateDependencyPayload { dependency { id state note version } }
    ... on UserError { code field }
  }
}"""


async def test_a_dependency_is_agreed_then_resolved_at_the_version_read(
    graphql: GraphQL, okrs: Okrs, work: Work, tokens: Tokens
) -> None:
    ada, bob = tokens.person("ada@example.com"), tokens.person("bob@example.com")
    declared = await graphql(
        DECLARE.replace("note state", "id version note state"),
        {
            "input": {
                "objectiveId": global_id("Objective", work.bobs.id),
                "onObjectiveId": global_id("Objective", okrs.public.id),
                "note": "Queries to learn from.",
            }
        },
        headers=bob,
    )
    dependency = declared["data"]["declareDependency"]["dependency"]
    first = {"dependencyId": dependency["id"], "version": dependency["version"]}

    by_the_wrong_side = await graphql(
        UPDATE_DEPENDENCY, {"input": first | {"state": "AGREED"}}, headers=bob
    )
    agreed = await graphql(UPDATE_DEPENDENCY, {"input": first | {"state": "AGREED"}}, headers=ada)
    stale = await graphql(UPDATE_DEPENDENCY, {"input": first | {"note": "Sooner"}}, headers=bob)
    version = agreed["data"]["updateDependency"]["dependency"]["version"]
    resolved = await graphql(
        UPDATE_DEPENDENCY,
        {"input": first | {"version": version, "state": "RESOLVED", "note": "Got them."}},
        headers=bob,
    )

    assert by_the_wrong_side["data"]["updateDependency"]["code"] == "forbidden"
    assert agreed["data"]["updateDependency"]["dependency"]["state"] == "AGREED"
    assert agreed["data"]["updateDependency"]["dependency"]["id"] == dependency["id"]
    assert stale["data"]["updateDependency"]["code"] == "stale_version"
    assert resolved["data"]["updateDependency"]["dependency"] | {"version": None} == {
        "id": dependency["id"],
        "state": "RESOLVED",
        "note": "Got them.",
        "version": None,
    }


PARENTS = """query ($id: ID!) {
  objective(id: $id) { parents { edges { node { id parent { title } } } } }
}"""

WITHDRAW = """mutation ($input: WithdrawAlignmentInput!) {
  withdrawAlignment(input: $input) {
    __typename
    ... on WithdrawAlignmentPayload { alignmentId }
    ... on UserError { code field }
  }
}"""


@pytest.mark.usefixtures("aligned")
async def test_a_link_is_withdrawn_by_its_child_s_side(
    graphql: GraphQL, work: Work, tokens: Tokens
) -> None:
    bob, cy = tokens.person("bob@example.com"), tokens.person("cy@example.com")
    learn_rust = global_id("Objective", work.bobs.id)
    before = await graphql(PARENTS, {"id": learn_rust}, headers=bob)
    [edge] = before["data"]["objective"]["parents"]["edges"]
    link = edge["node"]["id"]

    outsider = await graphql(WITHDRAW, {"input": {"alignmentId": link}}, headers=cy)
    withdrawn = await graphql(WITHDRAW, {"input": {"alignmentId": link}}, headers=bob)
    after = await graphql(PARENTS, {"id": learn_rust}, headers=bob)
    not_a_link = await graphql(WITHDRAW, {"input": {"alignmentId": learn_rust}}, headers=bob)

    assert edge["node"]["parent"] == {"title": "Ship search"}
    assert outsider["data"]["withdrawAlignment"]["__typename"] == "WithdrawAlignmentError"
    assert outsider["data"]["withdrawAlignment"]["code"] in {"forbidden", "alignment_not_found"}
    assert withdrawn["data"]["withdrawAlignment"] == {
        "__typename": "WithdrawAlignmentPayload",
        "alignmentId": link,
    }
    assert after["data"]["objective"]["parents"]["edges"] == []
    assert not_a_link["data"]["withdrawAlignment"] == {
        "__typename": "WithdrawAlignmentError",
        "code": "wrong_id_type",
        "field": ["input", "alignmentId"],
    }
