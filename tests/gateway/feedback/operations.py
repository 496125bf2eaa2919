"""The GraphQL operations the feedback tests send through the gateway, and the calls that send
them."""

from __future__ import annotations

from typing import Any

from tests.gateway.feedback.scene import Org
from tests.gateway.support import GraphQL

FIELDS = (
    "id kind body visibility version giver { name } recipient { name } "
    "replies { body author { name } }"
)

GIVE = f"""mutation ($input: GiveFeedbackInput!) {{
  giveFeedback(input: $input) {{
    __typename
    ... on GiveFeedbackPayload {{ feedback {{ {FIELDS} }} }}
    ... on GiveFeedbackError {{ code field message }}
  }}
}}"""

REPLY = f"""mutation ($input: ReplyToFeedbackInput!) {{
  replyToFeedback(input: $input) {{
    __typename
    ... on ReplyToFeedbackPayload {{ reply {{ body author {{ name }} }} feedback {{ {FIELDS} }} }}
    ... on ReplyToFeedbackError {{ code field message }}
  }}
}}"""

NARROW = f"""mutation ($input: NarrowFeedbackVisibilityInput!) {{
  narrowFeedbackVisibility(input: $input) {{
    __typename
    ... on NarrowFeedbackVisibilityPayload {{ feedback {{ {FIELDS} }} }}
    ... on NarrowFeedbackVisibilityError {{ code field message }}
  }}
}}"""


async def give(graphql: GraphQL, org: Org, giver: str, **fields: Any) -> dict[str, Any]:
    """Gives feedback as `giver` (to the recipient, as praise for their manager chain, unless
    `fields` say otherwise); the mutation's result."""
    values = {
        "recipientId": org.id("recipient"),
        "kind": "PRAISE",
        "body": "Your demo was clear.",
        "visibility": "MANAGER",
    }
    answer = await graphql(GIVE, {"input": values | fields}, headers=org.headers(giver))
    result: dict[str, Any] = answer["data"]["giveFeedback"]
    return result


async def given(graphql: GraphQL, org: Org, giver: str, **fields: Any) -> dict[str, Any]:
    result = await give(graphql, org, giver, **fields)
    assert result["__typename"] == "GiveFeedbackPayload", result
    feedback: dict[str, Any] = result["feedback"]
    return feedback


async def reply(
    graphql: GraphQL, org: Org, caller: str, feedback: str, body: str
) -> dict[str, Any]:
    answer = await graphql(
        REPLY, {"input": {"feedbackId": feedback, "body": body}}, headers=org.headers(caller)
    )
    result: dict[str, Any] = answer["data"]["replyToFeedback"]
    return result
