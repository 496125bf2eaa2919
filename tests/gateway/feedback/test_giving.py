"""Giving feedback, replying and narrowing through the gateway: each mutation's payload, and
each refusal as the mutation's error type with a stable code and the input field at fault."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.gateway.feedback.operations import NARROW, give, given, reply
from tests.gateway.feedback.scene import Org, global_id
from tests.gateway.support import GraphQL

pytestmark = pytest.mark.e2e


async def narrow(
    graphql: GraphQL, org: Org, caller: str, feedback: dict[str, Any], visibility: str
) -> dict[str, Any]:
    values = {"feedbackId": feedback["id"], "version": feedback["version"]}
    answer = await graphql(
        NARROW, {"input": values | {"visibility": visibility}}, headers=org.headers(caller)
    )
    result: dict[str, Any] = answer["data"]["narrowFeedbackVisibility"]
    return result


@pytest.mark.parametrize("kind", ["PRAISE", "SUGGESTION", "PEER"])
async def test_feedback_of_each_kind_is_given(graphql: GraphQL, org: Org, kind: str) -> None:
    feedback = await given(graphql, org, "giver", kind=kind, visibility="PUBLIC")

    assert feedback | {"id": None} == {
        "id": None,
        "kind": kind,
        "body": "Your demo was clear.",
        "visibility": "PUBLIC",
        "version": 1,
        "giver": {"name": "Gina"},
        "recipient": {"name": "Rita"},
        "replies": [],
    }


async def test_upward_feedback_goes_to_ones_own_manager(graphql: GraphQL, org: Org) -> None:
    upward = await given(graphql, org, "recipient", kind="UPWARD", recipientId=org.id("manager"))
    elsewhere = await give(graphql, org, "recipient", kind="UPWARD", recipientId=org.id("skip"))

    assert upward["kind"] == "UPWARD"
    assert elsewhere == {
        "__typename": "GiveFeedbackError",
        "code": "upward_not_to_manager",
        "field": ["input", "recipientId"],
        "message": "Upward feedback goes to your own manager.",
    }


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"recipientId": "nonsense"}, "invalid_id", ["input", "recipientId"]),
        ({"objectiveId": "nonsense"}, "invalid_id", ["input", "objectiveId"]),
        ({"skillId": "not-a-uuid"}, "invalid_id", ["input", "skillId"]),
        ({"companyValueId": "not-a-uuid"}, "invalid_id", ["input", "companyValueId"]),
        ({"body": "   "}, "validation_failed", ["input", "body"]),
        ({"body": "x" * 5001}, "validation_failed", ["input", "body"]),
        ({"topic": "t" * 201}, "validation_failed", ["input", "topic"]),
    ],
)
async def test_each_bad_input_is_the_mutations_error(
    graphql: GraphQL, org: Org, fields: dict[str, Any], code: str, field: list[str]
) -> None:
    result = await give(graphql, org, "giver", **fields)

    assert (result["__typename"], result["code"], result["field"]) == (
        "GiveFeedbackError",
        code,
        field,
    )


async def test_feedback_goes_to_someone_else_who_exists(graphql: GraphQL, org: Org) -> None:
    to_self = await give(graphql, org, "giver", recipientId=org.id("giver"))
    to_nobody = await give(graphql, org, "giver", recipientId=global_id("Person", uuid.uuid4()))

    assert (to_self["code"], to_self["field"]) == ("self_feedback", ["input", "recipientId"])
    assert (to_nobody["code"], to_nobody["field"]) == (
        "unknown_recipient",
        ["input", "recipientId"],
    )


async def test_the_thread_goes_on_between_the_two(graphql: GraphQL, org: Org) -> None:
    feedback = await given(graphql, org, "giver")

    first = await reply(graphql, org, "recipient", feedback["id"], "Thanks!")
    second = await reply(graphql, org, "giver", feedback["id"], "Any time.")
    by_manager = await reply(graphql, org, "manager", feedback["id"], "Well done both.")
    by_outsider = await reply(graphql, org, "outsider", feedback["id"], "Hello?")

    assert first["reply"] == {"body": "Thanks!", "author": {"name": "Rita"}}
    assert [r["body"] for r in second["feedback"]["replies"]] == ["Thanks!", "Any time."]
    assert (by_manager["__typename"], by_manager["code"]) == ("ReplyToFeedbackError", "forbidden")
    assert (by_outsider["__typename"], by_outsider["code"]) == (
        "ReplyToFeedbackError",
        "feedback_not_found",
    )


@pytest.mark.parametrize("narrower", ["giver", "recipient"])
async def test_visibility_is_narrowed_never_widened(
    graphql: GraphQL, org: Org, narrower: str
) -> None:
    feedback = await given(graphql, org, "giver", visibility="PUBLIC")

    narrowed = await narrow(graphql, org, narrower, feedback, "MANAGER")
    widened = await narrow(graphql, org, narrower, narrowed["feedback"], "PUBLIC")
    stale = await narrow(graphql, org, narrower, feedback, "PRIVATE")
    by_manager = await narrow(graphql, org, "manager", narrowed["feedback"], "PRIVATE")

    assert narrowed["feedback"]["visibility"] == "MANAGER"
    assert narrowed["feedback"]["version"] == 2
    assert (widened["code"], widened["field"]) == (
        "visibility_cannot_widen",
        ["input", "visibility"],
    )
    assert stale["code"] == "stale_version"
    assert by_manager["code"] == "forbidden"
