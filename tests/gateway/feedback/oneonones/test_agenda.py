"""Starting a 1:1 and keeping its shared agenda through the gateway: each edit at the version
read, so that a concurrent edit surfaces as the mutation's error (`stale_version`), never as a
lost change."""

from __future__ import annotations

from tests.gateway.feedback.oneonones.support import (
    EDIT_POINT,
    add_point,
    meeting,
    operation,
    send,
    start,
)
from tests.gateway.feedback.scene import Org
from tests.gateway.support import GraphQL

REORDER = operation(
    "reorderAgenda", "... on MeetingPayload { meeting { version agenda { text } } }"
)
DELETE = operation(
    "deleteTalkingPoint",
    "... on DeleteTalkingPointPayload { deletedTalkingPointId meeting { agenda { text } } }",
)
SCHEDULE = operation(
    "scheduleOneOnOneMeeting", "... on ScheduleOneOnOneMeetingPayload { meeting { id status } }"
)


async def test_a_manager_starts_a_series_and_both_build_the_agenda(
    graphql: GraphQL, org: Org
) -> None:
    series = await start(graphql, org)
    meeting_id = series["nextMeeting"]["id"]

    await add_point(graphql, org, meeting_id, "Roadmap", by="manager")
    await add_point(graphql, org, meeting_id, "Career", by="recipient")

    found = await meeting(graphql, org, meeting_id, by="recipient")
    assert found is not None
    assert [(p["text"], p["author"]["name"]) for p in found["agenda"]] == [
        ("Roadmap", "Mia"),
        ("Career", "Rita"),
    ]


async def test_a_second_meeting_is_scheduled_from_the_cadence(graphql: GraphQL, org: Org) -> None:
    series = await start(graphql, org)

    result = await send(graphql, org, "recipient", SCHEDULE, oneOnOneId=series["id"])

    assert result["__typename"] == "ScheduleOneOnOneMeetingPayload", result
    assert result["meeting"]["status"] == "SCHEDULED"


async def test_checking_off_a_point_changed_meanwhile_is_a_stale_version(
    graphql: GraphQL, org: Org
) -> None:
    series = await start(graphql, org)
    meeting_id = series["nextMeeting"]["id"]
    point = await add_point(graphql, org, meeting_id, "Roadmap")
    read = {"meetingId": meeting_id, "talkingPointId": point["id"]}

    reworded = await send(
        graphql,
        org,
        "recipient",
        EDIT_POINT,
        **read,
        expectedVersion=point["version"],
        text="Roadmap for Q3",
    )
    late = await send(
        graphql, org, "manager", EDIT_POINT, **read, expectedVersion=point["version"], done=True
    )

    assert reworded["talkingPoint"]["text"] == "Roadmap for Q3"
    assert (late["__typename"], late["code"]) == ("EditTalkingPointError", "stale_version")
    again = await send(
        graphql,
        org,
        "manager",
        EDIT_POINT,
        **read,
        expectedVersion=reworded["talkingPoint"]["version"],
        done=True,
    )
    assert (again["talkingPoint"]["text"], again["talkingPoint"]["done"]) == (
        "Roadmap for Q3",
        True,
    )


async def test_reordering_needs_the_meetings_version_and_deleting_the_points(
    graphql: GraphQL, org: Org
) -> None:
    series = await start(graphql, org)
    meeting_id = series["nextMeeting"]["id"]
    first = await add_point(graphql, org, meeting_id, "First")
    second = await add_point(graphql, org, meeting_id, "Second")
    current = await meeting(graphql, org, meeting_id, by="manager")
    assert current is not None
    order = [second["id"], first["id"]]

    stale = await send(
        graphql,
        org,
        "manager",
        REORDER,
        meetingId=meeting_id,
        talkingPointIds=order,
        expectedVersion=series["nextMeeting"]["version"],
    )
    moved = await send(
        graphql,
        org,
        "manager",
        REORDER,
        meetingId=meeting_id,
        talkingPointIds=order,
        expectedVersion=current["version"],
    )
    deleted = await send(
        graphql,
        org,
        "recipient",
        DELETE,
        meetingId=meeting_id,
        talkingPointId=first["id"],
        expectedVersion=first["version"],
    )

    assert (stale["__typename"], stale["code"]) == ("ReorderAgendaError", "stale_version")
    assert [p["text"] for p in moved["meeting"]["agenda"]] == ["Second", "First"]
    assert [p["text"] for p in deleted["meeting"]["agenda"]] == ["Second"]


async def test_a_manager_and_report_series_needs_that_relationship(
    graphql: GraphQL, org: Org
) -> None:
    result = await send(
        graphql,
        org,
        "giver",
        operation("startOneOnOne", ""),
        withId=org.id("recipient"),
        relationship="MANAGER",
        cadence="WEEKLY",
        weekday="MONDAY",
        at="10:00:00",
        timeZone="Europe/London",
    )

    assert (result["__typename"], result["code"]) == (
        "StartOneOnOneError",
        "not_manager_and_report",
    )
