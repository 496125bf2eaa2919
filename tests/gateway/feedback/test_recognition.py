"""Recognition and company values through the gateway, over the real people and feedback
services: recognising with values, the feed (a team's too), reacting and taking it back, HR
admins keeping the values, bad input as each mutation's error, and one request per service per
level."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.gateway.feedback.scene import Org, global_id
from tests.gateway.support import GraphQL, Recorder

pytestmark = pytest.mark.e2e

RECOGNITION = (
    "id message giver { name } recipients { name } values { name } "
    "reactions { kind count } myReactions"
)
VALUE = "id name description archived version"

RECOGNIZE = f"""mutation ($input: RecognizeInput!) {{
  recognize(input: $input) {{
    __typename
    ... on RecognizePayload {{ recognition {{ {RECOGNITION} }} }}
    ... on RecognizeError {{ code field message }}
  }}
}}"""

REACT = f"""mutation ($input: ReactionInput!) {{
  react(input: $input) {{
    __typename
    ... on ReactPayload {{ recognition {{ {RECOGNITION} }} }}
    ... on ReactError {{ code field message }}
  }}
}}"""

UNREACT = f"""mutation ($input: ReactionInput!) {{
  unreact(input: $input) {{
    __typename
    ... on UnreactPayload {{ recognition {{ {RECOGNITION} }} }}
    ... on UnreactError {{ code field message }}
  }}
}}"""

CREATE_VALUE = f"""mutation ($input: CreateCompanyValueInput!) {{
  createCompanyValue(input: $input) {{
    __typename
    ... on CreateCompanyValuePayload {{ companyValue {{ {VALUE} }} }}
    ... on CreateCompanyValueError {{ code field message }}
  }}
}}"""

UPDATE_VALUE = f"""mutation ($input: UpdateCompanyValueInput!) {{
  updateCompanyValue(input: $input) {{
    __typename
    ... on UpdateCompanyValuePayload {{ companyValue {{ {VALUE} }} }}
    ... on UpdateCompanyValueError {{ code field message }}
  }}
}}"""


async def mutation(
    graphql: GraphQL, org: Org, caller: str, document: str, name: str, values: dict[str, Any]
) -> dict[str, Any]:
    answer = await graphql(document, {"input": values}, headers=org.headers(caller))
    result: dict[str, Any] = answer["data"][name]
    return result


async def value(graphql: GraphQL, org: Org, name: str = "Courage") -> dict[str, Any]:
    result = await mutation(graphql, org, "hr", CREATE_VALUE, "createCompanyValue", {"name": name})
    made: dict[str, Any] = result["companyValue"]
    return made


async def recognize(graphql: GraphQL, org: Org, caller: str, **fields: Any) -> dict[str, Any]:
    values = {"recipientIds": [org.id("recipient"), org.id("peer")], "message": "Great launch!"}
    return await mutation(graphql, org, caller, RECOGNIZE, "recognize", values | fields)


async def test_a_recognition_shows_its_people_and_values(graphql: GraphQL, org: Org) -> None:
    courage = await value(graphql, org)

    result = await recognize(graphql, org, "giver", valueIds=[courage["id"]])

    assert result["recognition"] | {"id": None} == {
        "id": None,
        "message": "Great launch!",
        "giver": {"name": "Gina"},
        "recipients": [{"name": "Rita"}, {"name": "Pete"}],
        "values": [{"name": "Courage"}],
        "reactions": [],
        "myReactions": [],
    }


async def test_reactions_are_counted_and_taken_back(graphql: GraphQL, org: Org) -> None:
    made = (await recognize(graphql, org, "giver"))["recognition"]
    reaction = {"recognitionId": made["id"], "kind": "HEART"}

    await mutation(graphql, org, "manager", REACT, "react", reaction)
    await mutation(graphql, org, "outsider", REACT, "react", reaction)
    twice = await mutation(graphql, org, "outsider", REACT, "react", reaction)
    back = await mutation(graphql, org, "outsider", UNREACT, "unreact", reaction)
    unknown = await mutation(
        graphql,
        org,
        "outsider",
        REACT,
        "react",
        {"recognitionId": global_id("Recognition", uuid.uuid4()), "kind": "HEART"},
    )
    bad = await mutation(
        graphql, org, "outsider", UNREACT, "unreact", {"recognitionId": "x", "kind": "HEART"}
    )

    assert twice["recognition"]["reactions"] == [{"kind": "HEART", "count": 2}]
    assert twice["recognition"]["myReactions"] == ["HEART"]
    assert back["recognition"]["reactions"] == [{"kind": "HEART", "count": 1}]
    assert back["recognition"]["myReactions"] == []
    assert (unknown["__typename"], unknown["code"]) == ("ReactError", "recognition_not_found")
    assert (bad["__typename"], bad["code"], bad["field"]) == (
        "UnreactError",
        "invalid_id",
        ["input", "recognitionId"],
    )


async def test_the_feed_and_node_read_every_recognition(graphql: GraphQL, org: Org) -> None:
    first = (await recognize(graphql, org, "giver"))["recognition"]["id"]
    second = (await recognize(graphql, org, "peer", recipientIds=[org.id("giver")]))["recognition"][
        "id"
    ]

    answer = await graphql(
        """query ($id: ID!) {
          recognitionFeed(first: 1) { edges { node { id } } pageInfo { hasNextPage endCursor } }
          recognition(id: $id) { id }
          node(id: $id) { ... on Recognition { message } }
        }""",
        {"id": second},
        headers=org.headers("outsider"),
    )
    cursor = answer["data"]["recognitionFeed"]["pageInfo"]["endCursor"]
    more = await graphql(
        "query ($after: String) { recognitionFeed(after: $after) { edges { node { id } } } }",
        {"after": cursor},
        headers=org.headers("outsider"),
    )

    assert answer["data"]["recognitionFeed"]["edges"] == [{"node": {"id": first}}]
    assert answer["data"]["recognitionFeed"]["pageInfo"]["hasNextPage"] is True
    assert answer["data"]["recognition"] == {"id": second}
    assert answer["data"]["node"] == {"message": "Great launch!"}
    assert more["data"]["recognitionFeed"]["edges"] == [{"node": {"id": second}}]


async def test_hr_admins_keep_the_values(graphql: GraphQL, org: Org) -> None:
    courage = await value(graphql, org)
    by_someone = await mutation(
        graphql, org, "giver", CREATE_VALUE, "createCompanyValue", {"name": "Speed"}
    )
    taken = await mutation(
        graphql, org, "hr", CREATE_VALUE, "createCompanyValue", {"name": "Courage"}
    )
    change = {"companyValueId": courage["id"], "version": courage["version"], "archived": True}
    archived = await mutation(graphql, org, "hr", UPDATE_VALUE, "updateCompanyValue", change)
    stale = await mutation(graphql, org, "hr", UPDATE_VALUE, "updateCompanyValue", change)
    bad_id = await mutation(
        graphql,
        org,
        "hr",
        UPDATE_VALUE,
        "updateCompanyValue",
        change | {"companyValueId": "nonsense"},
    )
    tagged = await recognize(graphql, org, "giver", valueIds=[courage["id"]])
    listed = await graphql(
        "{ current: companyValues(archived: false) { edges { node { name } } } "
        "all: companyValues { edges { node { name archived } } } }",
        headers=org.headers("outsider"),
    )

    assert by_someone["__typename"] == "CreateCompanyValueError"
    assert (taken["code"], taken["field"]) == ("value_name_taken", ["input", "name"])
    assert archived["companyValue"]["archived"] is True
    assert stale["code"] == "stale_version"
    assert (bad_id["code"], bad_id["field"]) == ("invalid_id", ["input", "companyValueId"])
    assert (tagged["code"], tagged["field"]) == ("value_archived", ["input", "valueIds"])
    assert listed["data"] == {
        "current": {"edges": []},
        "all": {"edges": [{"node": {"name": "Courage", "archived": True}}]},
    }


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"recipientIds": ["nonsense"]}, "invalid_id", ["input", "recipientIds", "0"]),
        ({"valueIds": ["nonsense"]}, "invalid_id", ["input", "valueIds", "0"]),
        ({"recipientIds": []}, "validation_failed", ["input", "recipientIds"]),
        ({"message": "  "}, "validation_failed", ["input", "message"]),
        (
            {"valueIds": [global_id("CompanyValue", uuid.uuid4())]},
            "unknown_value",
            ["input", "valueIds"],
        ),
    ],
)
async def test_each_bad_recognition_is_the_mutations_error(
    graphql: GraphQL, org: Org, fields: dict[str, Any], code: str, field: list[str]
) -> None:
    result = await recognize(graphql, org, "giver", **fields)

    assert (result["__typename"], result["code"], result["field"]) == (
        "RecognizeError",
        code,
        field,
    )


async def test_recognising_oneself_is_refused(graphql: GraphQL, org: Org) -> None:
    result = await recognize(graphql, org, "giver", recipientIds=[org.id("giver")])

    assert (result["code"], result["field"]) == ("self_recognition", ["input", "recipientIds"])


async def test_one_request_per_service_per_level(
    graphql: GraphQL, org: Org, recorder: Recorder
) -> None:
    courage = await value(graphql, org)
    speed = await value(graphql, org, "Speed")
    await recognize(graphql, org, "giver", valueIds=[courage["id"]])
    await recognize(graphql, org, "peer", recipientIds=[org.id("giver")], valueIds=[speed["id"]])
    recorder.clear()

    answer = await graphql(
        "{ recognitionFeed { edges { node { giver { name } recipients { name } "
        "values { name } } } } }",
        headers=org.headers("outsider"),
    )

    assert len(answer["data"]["recognitionFeed"]["edges"]) == 2
    assert recorder.paths("feedback") == ["/v1/recognitions", "/v1/company-values"]
    assert recorder.paths("people") == ["/v1/people"]
