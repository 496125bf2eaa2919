"""Who reaches a 1:1 through the graph: its two participants, nobody else, by any road (`node`,
`nodes`, aliases, root fields, lists of another person); and a private note its author alone,
the other participant included."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.gateway.feedback.oneonones.support import (
    MEETING,
    PRIVATE,
    add_point,
    operation,
    send,
    start,
)
from tests.gateway.feedback.scene import Org
from tests.gateway.support import GraphQL

NOTE = operation("writePrivateNote", "... on WritePrivateNotePayload { note { text } }")
# Those outside a peers series between the recipient and the peer: their manager (outside the
# series), an HR admin, and an outsider.
OUTSIDERS = ("manager", "hr", "outsider")
EVERY_ROAD = f"""query ($series: ID!, $meeting: ID!, $person: ID!) {{
  byNode: node(id: $meeting) {{ ... on OneOnOneMeeting {{ {MEETING} }} }}
  byNodes: nodes(ids: [$series, $meeting]) {{
    ... on OneOnOne {{ title meetings {{ edges {{ node {{ myPrivateNote {{ text }} }} }} }} }}
    ... on OneOnOneMeeting {{ myPrivateNote {{ text }} agenda {{ text }} }}
  }}
  series: oneOnOne(id: $series) {{ title }}
  first: oneOnOneMeeting(id: $meeting) {{ myPrivateNote {{ text }} }}
  second: oneOnOneMeeting(id: $meeting) {{ sharedNotes myPrivateNote {{ text }} }}
  person: node(id: $person) {{
    ... on Person {{
      oneOnOnes {{ edges {{ node {{ id }} }} }} actionItems {{ edges {{ node {{ text }} }} }}
    }}
  }}
  viewer {{ oneOnOnes {{ edges {{ node {{ id }} }} }} }}
}}"""


@dataclass
class Scene:
    series: str
    meeting: str


@pytest.fixture
async def scene(graphql: GraphQL, org: Org) -> Scene:
    """A peers series between the recipient and the peer, whose meeting has a talking point
    and the recipient's private note."""
    series = await start(graphql, org, by="recipient", with_="peer")
    meeting_id = series["nextMeeting"]["id"]
    await add_point(graphql, org, meeting_id, "Shared topic", by="peer")
    written = await send(graphql, org, "recipient", NOTE, meetingId=meeting_id, text=PRIVATE)
    assert written["note"] == {"text": PRIVATE}
    return Scene(series["id"], meeting_id)


async def _every_road(graphql: GraphQL, org: Org, scene: Scene, by: str) -> dict[str, Any]:
    variables = {"series": scene.series, "meeting": scene.meeting, "person": org.id("recipient")}
    answer = await graphql(EVERY_ROAD, variables, headers=org.headers(by))
    assert "errors" not in answer, answer
    data: dict[str, Any] = answer["data"]
    return data


async def test_the_author_reads_their_note_by_every_road(
    graphql: GraphQL, org: Org, scene: Scene
) -> None:
    data = await _every_road(graphql, org, scene, "recipient")

    assert data["byNode"]["myPrivateNote"] == {"text": PRIVATE}
    series, meeting = data["byNodes"]
    assert series["meetings"]["edges"][0]["node"]["myPrivateNote"] == {"text": PRIVATE}
    assert meeting["myPrivateNote"] == {"text": PRIVATE}
    assert data["first"]["myPrivateNote"] == data["second"]["myPrivateNote"] == {"text": PRIVATE}
    assert data["person"]["oneOnOnes"]["edges"] == [{"node": {"id": scene.series}}]


async def test_the_other_participant_shares_the_meeting_but_never_the_note(
    graphql: GraphQL, org: Org, scene: Scene
) -> None:
    data = await _every_road(graphql, org, scene, "peer")

    assert [p["text"] for p in data["byNode"]["agenda"]] == ["Shared topic"]
    assert data["byNode"]["myPrivateNote"] is None
    series, meeting = data["byNodes"]
    assert series["meetings"]["edges"][0]["node"]["myPrivateNote"] is None
    assert meeting["myPrivateNote"] is None
    assert data["first"]["myPrivateNote"] is None
    assert data["second"]["myPrivateNote"] is None
    # The recipient's own lists are theirs alone, even for the one they meet.
    assert data["person"] == {"oneOnOnes": None, "actionItems": None}
    assert PRIVATE not in repr(data)


@pytest.mark.parametrize("outsider", OUTSIDERS)
async def test_anyone_else_reaches_nothing_of_the_series(
    graphql: GraphQL, org: Org, scene: Scene, outsider: str
) -> None:
    data = await _every_road(graphql, org, scene, outsider)

    assert data["byNode"] is None
    assert data["byNodes"] == [None, None]
    assert data["series"] is data["first"] is data["second"] is None
    assert data["person"] == {"oneOnOnes": None, "actionItems": None}
    assert data["viewer"]["oneOnOnes"]["edges"] == []
    assert PRIVATE not in repr(data)
    assert "Shared topic" not in repr(data)


async def test_an_outsider_cannot_write_into_the_meeting(
    graphql: GraphQL, org: Org, scene: Scene
) -> None:
    result = await send(
        graphql,
        org,
        "outsider",
        operation("addTalkingPoint", ""),
        meetingId=scene.meeting,
        text="Sneaky",
    )

    assert (result["__typename"], result["code"]) == ("AddTalkingPointError", "meeting_not_found")


async def test_an_integration_is_refused_the_meeting(
    graphql: GraphQL, org: Org, scene: Scene
) -> None:
    answer = await graphql(
        "query ($id: ID!) { oneOnOneMeeting(id: $id) { sharedNotes myPrivateNote { text } } }",
        {"id": scene.meeting},
        headers=org.headers("integration"),
    )

    assert answer["data"] == {"oneOnOneMeeting": None}
    assert [error["extensions"]["code"] for error in answer["errors"]] == ["FORBIDDEN"]
    assert PRIVATE not in repr(answer)
