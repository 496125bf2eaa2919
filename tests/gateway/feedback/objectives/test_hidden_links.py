"""Public feedback about a private objective, through the gateway over the real people, goals
and feedback services: those who may see the objective find it on the feedback (by `node`, in
lists, and the feedback on `Objective.feedback`); a reader outside the objective's audience
reads the feedback about nothing. The feedback service itself hides the link, so the gateway
never even asks the goals service about that objective for them."""

from __future__ import annotations

from typing import Any

import pytest

from services.goals.models import Objective
from tests.gateway.feedback.operations import given
from tests.gateway.feedback.scene import Org, global_id
from tests.gateway.support import GraphQL, Recorder

pytestmark = pytest.mark.e2e

LINK = "id body objective { title }"

FEEDBACK = f"""
  node(id: $feedback) {{ ... on Feedback {{ {LINK} }} }}
  nodes(ids: [$feedback]) {{ ... on Feedback {{ {LINK} }} }}
  feedback(id: $feedback) {{ {LINK} }}
  person: node(id: $recipient) {{
    ... on Person {{ feedbackReceived {{ edges {{ node {{ {LINK} }} }} }} }}
  }}
"""

READ = f"""query ($feedback: ID!, $recipient: ID!, $objective: ID!) {{
  {FEEDBACK}
  objective: node(id: $objective) {{
    ... on Objective {{ feedback {{ edges {{ node {{ {LINK} }} }} }} }}
  }}
}}"""

# The same without asking for the objective itself.
READ_FEEDBACK = f"""query ($feedback: ID!, $recipient: ID!) {{ {FEEDBACK} }}"""

# Inside the private objective's audience: its owner (the recipient), her chain (the manager
# gave the feedback), HR admins. Outside: her peer, and people elsewhere.
INSIDE = ["recipient", "manager", "skip", "hr"]
OUTSIDE = ["peer", "giver", "outsider"]


@pytest.mark.parametrize("caller", INSIDE + OUTSIDE)
async def test_public_feedback_shows_a_private_objective_only_to_its_audience(
    graphql: GraphQL,
    org: Org,
    objectives: tuple[Objective, Objective],
    recorder: Recorder,
    caller: str,
) -> None:
    _, private = objectives
    objective = global_id("Objective", private.id)
    item = await given(graphql, org, "manager", visibility="PUBLIC", objectiveId=objective)
    recorder.clear()

    answer = await graphql(
        READ,
        {"feedback": item["id"], "recipient": org.id("recipient"), "objective": objective},
        headers=org.headers(caller),
    )

    assert "errors" not in answer, answer
    data: dict[str, Any] = answer["data"]
    inside = caller in INSIDE
    seen = {"id": item["id"], "body": item["body"]} | {
        "objective": {"title": "Grow as a lead"} if inside else None
    }
    assert data["node"] == data["feedback"] == seen
    assert data["nodes"] == [seen]
    assert [edge["node"] for edge in data["person"]["feedbackReceived"]["edges"]] == [seen]
    if inside:
        assert [edge["node"] for edge in data["objective"]["feedback"]["edges"]] == [seen]
    else:
        assert data["objective"] is None

    recorder.clear()
    again = await graphql(
        READ_FEEDBACK,
        {"feedback": item["id"], "recipient": org.id("recipient")},
        headers=org.headers(caller),
    )

    assert {name: again["data"][name] for name in ("node", "feedback")} == {
        "node": seen,
        "feedback": seen,
    }
    # For an outsider the feedback service names no objective: the gateway looks none up.
    asked = [value for sent in recorder.sent for _, value in sent.params]
    assert (str(private.id) in asked) is inside
