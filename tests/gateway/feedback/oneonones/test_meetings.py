"""A meeting through the gateway: GROW and shared notes, Will into action items, completing it
(what it left open moves on), the viewer's action items and calendar feed; and a page of series
with their meetings and agendas read in one request per service per level."""

from __future__ import annotations

from typing import Any

from tests.gateway.feedback.oneonones.support import (
    EDIT_POINT,
    MEETING,
    PRIVATE,
    add_point,
    operation,
    send,
    start,
)
from tests.gateway.feedback.scene import Org
from tests.gateway.support import GraphQL, Recorder

UPDATE = operation("updateOneOnOneMeeting", f"... on MeetingPayload {{ meeting {{ {MEETING} }} }}")
FROM_WILL = operation(
    "convertWillToActionItems",
    "... on ConvertWillToActionItemsPayload { meeting { grow { will } actionItems { text } } }",
)
ADD_ITEM = operation("addActionItem", "... on ActionItemPayload { actionItem { id version } }")
UPDATE_ITEM = operation(
    "updateActionItem", "... on ActionItemPayload { actionItem { done completedAt } }"
)
COMPLETE = operation(
    "completeOneOnOneMeeting",
    f"... on CompleteOneOnOneMeetingPayload {{ completed {{ status }} next {{ {MEETING} }} }}",
)
NOTE = operation("writePrivateNote", "... on WritePrivateNotePayload { note { text } }")
CALENDAR = """mutation { createCalendarFeed { __typename
  ... on CreateCalendarFeedPayload { path token } } }"""
REVOKE = (
    "mutation { revokeCalendarFeed { __typename ... on RevokeCalendarFeedPayload { revoked } } }"
)


async def test_grow_and_shared_notes_are_written_at_the_meetings_version(
    graphql: GraphQL, org: Org
) -> None:
    series = await start(graphql, org)
    upcoming = series["nextMeeting"]
    grow = {"goal": "Lead the launch", "reality": "Half the team", "will": ["Draft plan"]}

    written = await send(
        graphql,
        org,
        "recipient",
        UPDATE,
        meetingId=upcoming["id"],
        expectedVersion=upcoming["version"],
        grow=grow,
        sharedNotes="We agreed on Q3.",
    )
    stale = await send(
        graphql,
        org,
        "manager",
        UPDATE,
        meetingId=upcoming["id"],
        expectedVersion=upcoming["version"],
        sharedNotes="Overwrite",
    )

    assert written["meeting"]["grow"] == grow | {"options": ""}
    assert written["meeting"]["sharedNotes"] == "We agreed on Q3."
    assert (stale["__typename"], stale["code"]) == ("UpdateOneOnOneMeetingError", "stale_version")


async def test_will_becomes_action_items_which_are_checked_off(graphql: GraphQL, org: Org) -> None:
    series = await start(graphql, org)
    upcoming = series["nextMeeting"]
    await send(
        graphql,
        org,
        "manager",
        UPDATE,
        meetingId=upcoming["id"],
        expectedVersion=upcoming["version"],
        grow={"will": ["Draft plan", "Book room"]},
    )

    converted = await send(
        graphql, org, "manager", FROM_WILL, meetingId=upcoming["id"], ownerId=org.id("recipient")
    )
    added = await send(
        graphql,
        org,
        "recipient",
        ADD_ITEM,
        meetingId=upcoming["id"],
        text="Share notes",
        ownerId=org.id("manager"),
        dueOn="2030-01-31",
    )
    item = added["actionItem"]
    done = await send(
        graphql,
        org,
        "manager",
        UPDATE_ITEM,
        actionItemId=item["id"],
        expectedVersion=item["version"],
        done=True,
    )

    assert converted["meeting"]["grow"]["will"] == []
    assert [i["text"] for i in converted["meeting"]["actionItems"]] == ["Draft plan", "Book room"]
    assert done["actionItem"]["done"] is True
    assert done["actionItem"]["completedAt"] is not None
    answer = await graphql(
        "{ viewer { actionItems(done: false) { edges { node { text owner { name } } } } } }",
        headers=org.headers("recipient"),
    )
    open_items = answer["data"]["viewer"]["actionItems"]["edges"]
    assert [(e["node"]["text"], e["node"]["owner"]["name"]) for e in open_items] == [
        ("Draft plan", "Rita"),
        ("Book room", "Rita"),
    ]


async def test_completing_carries_the_unchecked_points_and_open_items_over(
    graphql: GraphQL, org: Org
) -> None:
    series = await start(graphql, org)
    meeting_id = series["nextMeeting"]["id"]
    checked = await add_point(graphql, org, meeting_id, "Done topic")
    await add_point(graphql, org, meeting_id, "Open topic")
    await send(
        graphql,
        org,
        "manager",
        EDIT_POINT,
        meetingId=meeting_id,
        talkingPointId=checked["id"],
        expectedVersion=checked["version"],
        done=True,
    )
    await send(
        graphql,
        org,
        "manager",
        ADD_ITEM,
        meetingId=meeting_id,
        text="Send the deck",
        ownerId=org.id("manager"),
    )

    result = await send(graphql, org, "recipient", COMPLETE, meetingId=meeting_id)

    assert result["completed"]["status"] == "COMPLETED"
    following = result["next"]
    assert [(p["text"], p["carriedOver"]) for p in following["agenda"]] == [("Open topic", True)]
    assert [i["text"] for i in following["actionItems"]] == ["Send the deck"]
    assert following["actionItems"][0]["originMeeting"]["id"] == meeting_id
    again = await send(graphql, org, "recipient", COMPLETE, meetingId=meeting_id)
    assert (again["__typename"], again["code"]) == (
        "CompleteOneOnOneMeetingError",
        "meeting_completed",
    )


async def test_the_calendar_feeds_secret_is_only_in_the_create_payload(
    graphql: GraphQL, org: Org, feedback_http: Any
) -> None:
    await start(graphql, org)

    made = (await graphql(CALENDAR, headers=org.headers("recipient")))["data"]
    feed = made["createCalendarFeed"]
    served = await feedback_http.get(feed["path"])
    revoked = (await graphql(REVOKE, headers=org.headers("recipient")))["data"]
    gone = await feedback_http.get(feed["path"])

    assert feed["__typename"] == "CreateCalendarFeedPayload"
    assert feed["token"] in feed["path"]
    assert served.status_code == 200
    assert "BEGIN:VEVENT" in served.text
    assert revoked["revokeCalendarFeed"]["revoked"] is True
    assert gone.status_code == 404


async def test_a_page_of_series_with_meetings_and_agendas_is_one_request_per_level(
    graphql: GraphQL, org: Org, recorder: Recorder
) -> None:
    for other in ("recipient", "peer", "skip"):
        relationship = "MANAGER"
        series = await start(graphql, org, with_=other, relationship=relationship)
        await send(
            graphql,
            org,
            "manager",
            operation("scheduleOneOnOneMeeting", ""),
            oneOnOneId=series["id"],
        )
        await add_point(graphql, org, series["nextMeeting"]["id"], f"With {other}")
        await send(
            graphql, org, "manager", NOTE, meetingId=series["nextMeeting"]["id"], text=PRIVATE
        )
    recorder.clear()

    answer = await graphql(
        """{ viewer { oneOnOnes(first: 5) { edges { node {
          invitee { name }
          meetings(first: 5) { edges { node {
            agenda { text author { name } } actionItems { text } myPrivateNote { text }
          } } }
        } } } } }""",
        headers=org.headers("manager"),
    )

    assert "errors" not in answer, answer
    series_list = answer["data"]["viewer"]["oneOnOnes"]["edges"]
    assert [s["node"]["invitee"]["name"] for s in series_list] == ["Rita", "Pete", "Skip"]
    for each in series_list:
        meetings = each["node"]["meetings"]["edges"]
        assert len(meetings) == 2
        assert meetings[0]["node"]["agenda"][0]["text"].startswith("With ")
        assert meetings[0]["node"]["myPrivateNote"] == {"text": PRIVATE}
        assert meetings[1]["node"]["myPrivateNote"] is None
    assert recorder.paths("feedback")[:2] == [
        "/v1/one-on-ones",
        "/v1/one-on-one-meetings/by-series",
    ]
    assert sorted(recorder.paths("feedback")[2:]) == [
        "/v1/one-on-one-meetings",
        "/v1/one-on-one-private-notes",
    ]
    assert recorder.paths("people") == ["/v1/people/me", "/v1/people"]
