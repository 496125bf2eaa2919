"""The GraphQL operations more than one module of the goals tests sends through the gateway,
and the calls that send them."""

from __future__ import annotations

from typing import Any

from tests.gateway.goals.scene import global_id
from tests.gateway.support import GraphQL

ALIGN = """mutation ($input: AlignObjectiveInput!) {
  alignObjective(input: $input) {
    __typename
    ... on AlignObjectivePayload { alignment {
      id version weight state child { title } parent { title progress } parentKeyResult { title }
    } }
    ... on AlignObjectiveError { code field message }
  }
}"""


ACCEPT = """mutation ($input: AcceptAlignmentInput!) {
  acceptAlignment(input: $input) {
    __typename
    ... on AcceptAlignmentPayload { alignment { state weight version parent { progress } } }
    ... on AcceptAlignmentError { code field message }
  }
}"""


DECLARE = """mutation ($input: DeclareDependencyInput!) {
  declareDependency(input: $input) {
    __typename
    ... on DeclareDependencyPayload { dependency {
      note state objective { title } onObjective { title } onKeyResult { title }
      declaredBy { name }
    } }
    ... on DeclareDependencyError { code field message }
  }
}"""


async def align(
    graphql: GraphQL, headers: dict[str, str], child: Any, **parent: Any
) -> dict[str, Any]:
    variables = {"input": {"objectiveId": global_id("Objective", child.id), **parent}}
    body = await graphql(ALIGN, variables, headers=headers)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["alignObjective"]
    return result


async def decide(
    graphql: GraphQL, mutation: str, headers: dict[str, str], **input: Any
) -> dict[str, Any]:
    body = await graphql(mutation, {"input": input}, headers=headers)
    assert "errors" not in body, body
    result: dict[str, Any] = next(iter(body["data"].values()))
    return result


COMMENT = """mutation ($input: CommentOnObjectiveInput!) {
  commentOnObjective(input: $input) {
    __typename
    ... on CommentOnObjectivePayload { comment { body author { name } objective { title } } }
    ... on UserError { code }
  }
}"""


CHECK_IN_MILESTONES = """mutation ($input: CheckInInput!) {
  checkIn(input: $input) {
    __typename
    ... on CheckInPayload { checkIn {
      status milestones { milestoneId done }
      keyResult { current progress status confidence }
    } }
    ... on UserError { code field }
  }
}"""
