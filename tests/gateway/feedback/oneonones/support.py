"""The GraphQL operations the 1:1 tests send through the gateway, and the calls that send
them (`Org` is the scene of the feedback tests)."""

from __future__ import annotations

from typing import Any

from tests.gateway.feedback.scene import Org
from tests.gateway.support import GraphQL

PRIVATE = "the-words-only-their-author-should-read"

MEETING = (
    "id version status startsAt sharedNotes "
    "agenda { id text done carriedOver version author { name } } "
    "grow { goal reality options will } "
    "actionItems { id text done version owner { name } originMeeting { id } } "
    "myPrivateNote { text }"
)


def operation(name: str, selection: str) -> str:
    """A mutation `name` taking `input`, selecting `selection` of its payload, or its error."""
    title = name[0].upper() + name[1:]
    return f"""mutation ($input: {title}Input!) {{
      {name}(input: $input) {{
        __typename
        ... on UserError {{ code field message }}
        {selection}
      }}
    }}"""


START = operation(
    "startOneOnOne", "... on StartOneOnOnePayload { oneOnOne { id nextMeeting { id version } } }"
)
ADD_POINT = operation(
    "addTalkingPoint",
    "... on TalkingPointPayload { talkingPoint { id version } meeting { version } }",
)
EDIT_POINT = operation(
    "editTalkingPoint",
    "... on TalkingPointPayload { talkingPoint { id text done version } meeting { version } }",
)


async def send(graphql: GraphQL, org: Org, by: str, query: str, **values: Any) -> dict[str, Any]:
    """Sends a mutation built by `operation` as `by`; its result."""
    answer = await graphql(query, {"input": values}, headers=org.headers(by))
    assert "errors" not in answer, answer
    (result,) = answer["data"].values()
    assert isinstance(result, dict)
    return result


async def start(
    graphql: GraphQL, org: Org, by: str = "manager", with_: str = "recipient", **fields: Any
) -> dict[str, Any]:
    """`by` starts a weekly series with `with_` (`MANAGER` between manager and report); the
    new series."""
    values = {
        "withId": org.id(with_),
        "relationship": "MANAGER" if {by, with_} == {"manager", "recipient"} else "PEERS",
        "cadence": "WEEKLY",
        "weekday": "TUESDAY",
        "at": "09:30:00",
        "timeZone": "Europe/Stockholm",
    }
    result = await send(graphql, org, by, START, **(values | fields))
    assert result["__typename"] == "StartOneOnOnePayload", result
    series: dict[str, Any] = result["oneOnOne"]
    return series


async def add_point(
    graphql: GraphQL, org: Org, meeting_id: str, text: str, by: str = "manager"
) -> dict[str, Any]:
    result = await send(graphql, org, by, ADD_POINT, meetingId=meeting_id, text=text)
    assert result["__typename"] == "TalkingPointPayload", result
    point: dict[str, Any] = result["talkingPoint"]
    return point


async def meeting(graphql: GraphQL, org: Org, meeting_id: str, by: str) -> dict[str, Any] | None:
    answer = await graphql(
        f"query ($id: ID!) {{ oneOnOneMeeting(id: $id) {{ {MEETING} }} }}",
        {"id": meeting_id},
        headers=org.headers(by),
    )
    assert "errors" not in answer, answer
    found: dict[str, Any] | None = answer["data"]["oneOnOneMeeting"]
    return found
