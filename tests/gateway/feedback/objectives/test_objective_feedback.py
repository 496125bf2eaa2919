"""Feedback about objectives through the gateway, over the real people, goals and feedback
services: `Objective.feedback` holds what the caller may see of the feedback, and
`Feedback.objective` what they may see of the objective."""

from __future__ import annotations

import uuid

import pytest

from services.goals.models import Objective
from tests.gateway.feedback.operations import give, given
from tests.gateway.feedback.scene import Org, global_id
from tests.gateway.support import GraphQL, Recorder

pytestmark = pytest.mark.e2e

ABOUT = """query ($ids: [ID!]!) {
  nodes(ids: $ids) { ... on Objective { title feedback { edges { node { id body } } } } }
}"""

LINKED = """query ($id: ID!) { feedback(id: $id) { objective { title } } }"""


async def test_an_objective_shows_the_feedback_about_it_that_one_may_see(
    graphql: GraphQL, org: Org, objectives: tuple[Objective, Objective], recorder: Recorder
) -> None:
    public, private = objectives
    ids = [global_id("Objective", public.id), global_id("Objective", private.id)]
    open_ = await given(graphql, org, "giver", visibility="PUBLIC", objectiveId=ids[0])
    for_managers = await given(graphql, org, "giver", visibility="MANAGER", objectiveId=ids[0])
    # The giver may not see the private objective; the recipient's manager may, and links it.
    mine = await given(graphql, org, "manager", visibility="PRIVATE", objectiveId=ids[1])
    recorder.clear()

    as_recipient = await graphql(ABOUT, {"ids": ids}, headers=org.headers("recipient"))
    as_peer = await graphql(ABOUT, {"ids": ids}, headers=org.headers("peer"))

    def seen(answer: dict[str, object]) -> list[list[str] | None]:
        nodes = answer["data"]["nodes"]  # type: ignore[index]  # the answer's JSON
        return [
            [edge["node"]["id"] for edge in node["feedback"]["edges"]] if node else None
            for node in nodes
        ]

    assert seen(as_recipient) == [[open_["id"], for_managers["id"]], [mine["id"]]]
    # The peer may read the public objective, and only the public feedback about it.
    assert seen(as_peer) == [[open_["id"]], None]
    # One grouped read for the feedback of both objectives.
    assert recorder.paths("feedback").count("/v1/feedback/by-objective") == 2


async def test_feedback_links_to_its_objective_as_far_as_one_may_see_it(
    graphql: GraphQL, org: Org, objectives: tuple[Objective, Objective]
) -> None:
    _, private = objectives
    item = await given(
        graphql,
        org,
        "manager",
        visibility="PUBLIC",
        objectiveId=global_id("Objective", private.id),
    )

    as_recipient = await graphql(LINKED, {"id": item["id"]}, headers=org.headers("recipient"))
    as_peer = await graphql(LINKED, {"id": item["id"]}, headers=org.headers("peer"))

    assert as_recipient["data"]["feedback"] == {"objective": {"title": "Grow as a lead"}}
    assert as_peer["data"]["feedback"] == {"objective": None}


async def test_an_objective_one_may_not_see_is_refused_as_an_unknown_one(
    graphql: GraphQL, org: Org, objectives: tuple[Objective, Objective]
) -> None:
    _, private = objectives

    hidden = await give(graphql, org, "giver", objectiveId=global_id("Objective", private.id))
    unknown = await give(graphql, org, "giver", objectiveId=global_id("Objective", uuid.uuid4()))

    assert hidden == unknown
    assert (hidden["__typename"], hidden["code"], hidden["field"]) == (
        "GiveFeedbackError",
        "unknown_objective",
        ["input", "objectiveId"],
    )
