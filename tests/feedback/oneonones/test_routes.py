"""1:1s as their two participants use them: starting a series, its meetings on the cadence, the
shared agenda under `If-Match`, GROW and shared notes, action items, carry-over across meetings,
Will turned into action items, and the events, which carry no words."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from services.feedback.oneonones.cadence import next_start
from services.feedback.oneonones.schemas import Cadence, Weekday
from tests.feedback.factories import Org
from tests.feedback.oneonones.support import (
    WORDS,
    add_point,
    first_meeting,
    meeting,
    meetings,
    series_body,
    start,
)
from tests.support import Outbox

# --- Series ----------------------------------------------------------------------------------


async def test_a_report_starts_a_weekly_series_with_their_manager(
    client: httpx.AsyncClient, org: Org
) -> None:
    series = await start(client, org, "recipient", "manager", relationship="manager")

    (first,) = await meetings(client, org, series["id"], by="manager")
    starts = datetime.fromisoformat(first["starts_at"])
    assert series["organizer_id"] == str(org.recipient.id)
    assert series["invitee_id"] == str(org.manager.id)
    assert (series["cadence"], series["weekday"], series["at"]) == ("weekly", "tuesday", "09:30:00")
    # 09:30 in Stockholm is 08:30 UTC in winter, 07:30 in summer; always a Tuesday.
    assert starts.weekday() == 1
    assert (starts.hour, starts.minute) in {(8, 30), (7, 30)}
    assert starts > datetime.now(UTC)


async def test_a_manager_series_needs_a_manager_and_their_report(
    client: httpx.AsyncClient, org: Org
) -> None:
    response = await client.post(
        "/v1/one-on-ones",
        json=series_body(org, "giver", relationship="manager"),
        headers=org.headers("recipient"),
    )

    assert response.status_code == 409
    assert response.json()["code"] == "not_manager_and_report"


@pytest.mark.parametrize(
    ("with_", "status", "code"),
    [("recipient", 409, "with_self"), ("hr_admin", 201, None)],
)
async def test_who_a_series_may_be_with(
    client: httpx.AsyncClient, org: Org, with_: str, status: int, code: str | None
) -> None:
    response = await client.post(
        "/v1/one-on-ones", json=series_body(org, with_), headers=org.headers("recipient")
    )

    assert response.status_code == status, response.text
    assert response.json().get("code") == code


@pytest.mark.parametrize(
    "change",
    [
        {"time_zone": "Mars/Olympus"},
        {"cadence": "daily"},
        {"at": "25:00"},
        {"at": "09:30:00+02:00"},
        {"duration_minutes": 0},
        {"with_id": "not-an-id"},
        {"first_meeting_at": "9999-12-31T23:59:00Z"},
        {"first_meeting_at": "2031-01-07T09:30:00"},  # no offset: which 09:30?
    ],
)
async def test_a_bad_series_is_refused_field_by_field(
    client: httpx.AsyncClient, org: Org, change: dict[str, Any]
) -> None:
    response = await client.post(
        "/v1/one-on-ones", json=series_body(org) | change, headers=org.headers("recipient")
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert {error["field"] for error in response.json()["errors"]} == {f"body.{next(iter(change))}"}


async def test_a_retried_create_makes_one_series(client: httpx.AsyncClient, org: Org) -> None:
    headers = org.headers("recipient") | {"Idempotency-Key": "series-1"}

    first = await client.post("/v1/one-on-ones", json=series_body(org), headers=headers)
    again = await client.post("/v1/one-on-ones", json=series_body(org), headers=headers)
    listed = await client.get("/v1/one-on-ones", headers=org.headers("recipient"))

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert [item["id"] for item in listed.json()["items"]] == [first.json()["id"]]


async def test_series_come_in_keyset_pages(client: httpx.AsyncClient, org: Org) -> None:
    made = [(await start(client, org, "recipient", with_))["id"] for with_ in ("giver", "peer")]
    made.append((await start(client, org, "manager", "recipient"))["id"])

    first = await client.get("/v1/one-on-ones?limit=2", headers=org.headers("recipient"))
    cursor = first.json()["next_cursor"]
    rest = await client.get(
        f"/v1/one-on-ones?limit=2&cursor={cursor}", headers=org.headers("recipient")
    )

    seen = [item["id"] for item in first.json()["items"] + rest.json()["items"]]
    assert seen == made
    assert rest.json()["next_cursor"] is None


async def test_either_participant_changes_the_cadence_under_if_match(
    client: httpx.AsyncClient, org: Org
) -> None:
    series = await start(client, org)
    path = f"/v1/one-on-ones/{series['id']}"

    changed = await client.patch(
        path, json={"cadence": "biweekly"}, headers=org.headers("giver") | {"If-Match": '"1"'}
    )
    stale = await client.patch(
        path, json={"title": "Pairing"}, headers=org.headers("recipient") | {"If-Match": '"1"'}
    )
    missing = await client.patch(path, json={"title": "x"}, headers=org.headers("recipient"))

    assert changed.status_code == 200
    assert (changed.json()["cadence"], changed.headers["ETag"]) == ("biweekly", '"2"')
    assert (stale.status_code, stale.json()["code"]) == (412, "stale_version")
    assert (missing.status_code, missing.json()["code"]) == (428, "if_match_required")


def series_like(cadence: Cadence, weekday: Weekday = Weekday.TUESDAY) -> Any:
    return SimpleNamespace(cadence=cadence, weekday=weekday, at=time(9, 30), time_zone="UTC")


@pytest.mark.parametrize(
    ("cadence", "after", "expected"),
    [
        (
            Cadence.WEEKLY,
            datetime(2030, 1, 1, 9, 30, tzinfo=UTC),
            datetime(2030, 1, 8, 9, 30, tzinfo=UTC),
        ),
        (
            Cadence.BIWEEKLY,
            datetime(2030, 1, 1, 9, 30, tzinfo=UTC),
            datetime(2030, 1, 15, 9, 30, tzinfo=UTC),
        ),
        # The first Tuesday of the next month.
        (
            Cadence.MONTHLY,
            datetime(2030, 1, 1, 9, 30, tzinfo=UTC),
            datetime(2030, 2, 5, 9, 30, tzinfo=UTC),
        ),
    ],
)
def test_the_cadence_gives_the_next_meeting(
    cadence: Cadence, after: datetime, expected: datetime
) -> None:
    now = datetime(2029, 12, 1, tzinfo=UTC)

    assert next_start(series_like(cadence), after, now) == expected


def test_a_meeting_moved_by_a_day_keeps_the_series_on_its_weekday() -> None:
    now = datetime(2029, 12, 1, tzinfo=UTC)
    moved = datetime(2030, 1, 2, 9, 30, tzinfo=UTC)  # a Wednesday instead of Tuesday

    weekly = next_start(series_like(Cadence.WEEKLY), moved, now)
    biweekly = next_start(series_like(Cadence.BIWEEKLY), moved, now)

    assert weekly == datetime(2030, 1, 8, 9, 30, tzinfo=UTC)
    assert biweekly == datetime(2030, 1, 15, 9, 30, tzinfo=UTC)


def test_a_cadence_far_behind_catches_up_with_now() -> None:
    now = datetime(2030, 6, 5, 12, 0, tzinfo=UTC)  # a Wednesday

    found = next_start(series_like(Cadence.WEEKLY), datetime(2020, 1, 7, 9, 30, tzinfo=UTC), now)

    assert found == datetime(2030, 6, 11, 9, 30, tzinfo=UTC)


# --- Meetings and the shared agenda ----------------------------------------------------------


async def test_a_meeting_is_scheduled_by_hand_or_from_the_cadence(
    client: httpx.AsyncClient, org: Org
) -> None:
    series = await start(client, org)
    path = f"/v1/one-on-ones/{series['id']}/meetings"
    (first,) = await meetings(client, org, series["id"])

    generated = await client.post(path, json={}, headers=org.headers("giver"))
    by_hand = await client.post(
        path, json={"starts_at": "2031-03-04T15:00:00+01:00"}, headers=org.headers("recipient")
    )

    week = datetime.fromisoformat(generated.json()["starts_at"]) - datetime.fromisoformat(
        first["starts_at"]
    )
    assert generated.status_code == 201
    assert abs(week - timedelta(days=7)) <= timedelta(hours=1)  # an hour off across a DST change
    assert by_hand.json()["starts_at"] == "2031-03-04T14:00:00Z"
    assert generated.headers["Location"] == f"/v1/one-on-one-meetings/{generated.json()['id']}"


async def test_both_add_reorder_and_check_off_talking_points(
    client: httpx.AsyncClient, org: Org
) -> None:
    found = await first_meeting(client, org)
    meeting_id = found["id"]
    data = await add_point(client, org, meeting_id, "Data access", by="recipient")
    hiring = await client.post(
        f"/v1/one-on-one-meetings/{meeting_id}/talking-points",
        json={"text": "Hiring plan", "ref_kind": "objective", "ref_id": str(org.giver.id)},
        headers=org.headers("giver"),
    )
    etag = (
        await client.get(f"/v1/one-on-one-meetings/{meeting_id}", headers=org.headers("giver"))
    ).headers["ETag"]

    reordered = await client.put(
        f"/v1/one-on-one-meetings/{meeting_id}/agenda-order",
        json={"ids": [hiring.json()["id"], data["id"]]},
        headers=org.headers("giver") | {"If-Match": etag},
    )
    checked = await client.patch(
        f"/v1/one-on-one-meetings/{meeting_id}/talking-points/{data['id']}",
        json={"done": True},
        headers=org.headers("recipient") | {"If-Match": '"1"'},
    )

    agenda = (await meeting(client, org, meeting_id))["agenda"]
    assert reordered.status_code == 200, reordered.text
    assert checked.status_code == 200, checked.text
    assert [(point["text"], point["done"]) for point in agenda] == [
        ("Hiring plan", False),
        ("Data access", True),
    ]
    assert (agenda[0]["ref_kind"], agenda[0]["ref_id"]) == ("objective", str(org.giver.id))
    assert agenda[0]["author_id"] == str(org.giver.id)


async def test_two_people_editing_at_once_never_lose_a_change(
    client: httpx.AsyncClient, org: Org
) -> None:
    # Both read the meeting, then both write: the second write is refused, not applied over
    # the first; read again and reapply, and both changes stand.
    found = await first_meeting(client, org)
    path = f"/v1/one-on-one-meetings/{found['id']}"
    etag = (await client.get(path, headers=org.headers("giver"))).headers["ETag"]

    mine = await client.patch(
        path,
        json={"shared_notes": "A: ship it"},
        headers=org.headers("recipient") | {"If-Match": etag},
    )
    theirs = await client.patch(
        path, json={"shared_notes": "B: wait"}, headers=org.headers("giver") | {"If-Match": etag}
    )
    again = await client.get(path, headers=org.headers("giver"))
    merged = await client.patch(
        path,
        json={"shared_notes": again.json()["shared_notes"] + "\nB: wait"},
        headers=org.headers("giver") | {"If-Match": again.headers["ETag"]},
    )

    assert mine.status_code == 200
    assert (theirs.status_code, theirs.json()["code"]) == (412, "stale_version")
    assert merged.json()["shared_notes"] == "A: ship it\nB: wait"


async def test_a_concurrent_edit_of_one_talking_point_gets_412(
    client: httpx.AsyncClient, org: Org
) -> None:
    found = await first_meeting(client, org)
    point = await add_point(client, org, found["id"], "Data access")
    path = f"/v1/one-on-one-meetings/{found['id']}/talking-points/{point['id']}"

    first = await client.patch(
        path, json={"done": True}, headers=org.headers("giver") | {"If-Match": '"1"'}
    )
    second = await client.patch(
        path,
        json={"text": "Data access (VPN)"},
        headers=org.headers("recipient") | {"If-Match": '"1"'},
    )

    assert first.status_code == 200
    assert second.status_code == 412
    assert (await meeting(client, org, found["id"]))["agenda"][0]["text"] == "Data access"


async def test_an_order_made_before_another_addition_is_refused(
    client: httpx.AsyncClient, org: Org
) -> None:
    found = await first_meeting(client, org)
    one = await add_point(client, org, found["id"], "One")
    etag = (
        await client.get(f"/v1/one-on-one-meetings/{found['id']}", headers=org.headers("giver"))
    ).headers["ETag"]
    await add_point(client, org, found["id"], "Two", by="recipient")

    reordered = await client.put(
        f"/v1/one-on-one-meetings/{found['id']}/agenda-order",
        json={"ids": [one["id"]]},
        headers=org.headers("giver") | {"If-Match": etag},
    )

    assert reordered.status_code == 412


async def test_grow_sections_are_written_together(client: httpx.AsyncClient, org: Org) -> None:
    found = await first_meeting(client, org)
    grow = {"goal": "Lead the launch", "reality": "No date yet", "options": "A or B", "will": []}

    response = await client.patch(
        f"/v1/one-on-one-meetings/{found['id']}",
        json={"grow": grow},
        headers=org.headers("giver") | {"If-Match": f'"{found["version"]}"'},
    )

    assert response.status_code == 200
    assert (await meeting(client, org, found["id"]))["grow"] == grow


# --- Action items, carry-over, Will ----------------------------------------------------------


async def add_item(
    client: httpx.AsyncClient, org: Org, meeting_id: str, text: str, owner: str = "recipient"
) -> dict[str, Any]:
    response = await client.post(
        f"/v1/one-on-one-meetings/{meeting_id}/action-items",
        json={"text": text, "owner_id": str(getattr(org, owner).id), "due_on": "2031-01-15"},
        headers=org.headers("giver"),
    )
    assert response.status_code == 201, response.text
    item: dict[str, Any] = response.json()
    return item


async def complete(client: httpx.AsyncClient, org: Org, meeting_id: str) -> dict[str, Any]:
    response = await client.post(
        f"/v1/one-on-one-meetings/{meeting_id}/complete", headers=org.headers("recipient")
    )
    assert response.status_code == 200, response.text
    done: dict[str, Any] = response.json()
    return done


async def check(
    client: httpx.AsyncClient, org: Org, path: str, version: int, **change: Any
) -> httpx.Response:
    return await client.patch(
        path, json=change, headers=org.headers("recipient") | {"If-Match": f'"{version}"'}
    )


async def test_what_is_left_open_carries_over_across_three_meetings(
    client: httpx.AsyncClient, org: Org
) -> None:
    first = await first_meeting(client, org)
    talked = await add_point(client, org, first["id"], "Talked about")
    await add_point(client, org, first["id"], "Still open")
    closed_item = await add_item(client, org, first["id"], "Send the draft")
    await add_item(client, org, first["id"], "Book the room", owner="giver")
    points = f"/v1/one-on-one-meetings/{first['id']}/talking-points"
    await check(client, org, f"{points}/{talked['id']}", 1, done=True)
    await check(client, org, f"/v1/one-on-one-action-items/{closed_item['id']}", 1, done=True)

    second = (await complete(client, org, first["id"]))["next"]
    new = await add_point(client, org, second["id"], "New in the second", by="giver")
    await check(
        client,
        org,
        f"/v1/one-on-one-meetings/{second['id']}/talking-points/{new['id']}",
        1,
        done=True,
    )
    third = (await complete(client, org, second["id"]))["next"]

    def agenda(found: dict[str, Any]) -> list[tuple[str, bool, bool]]:
        return [(p["text"], p["done"], p["carried_over"]) for p in found["agenda"]]

    def items(found: dict[str, Any]) -> list[tuple[str, bool]]:
        return [(i["text"], i["done"]) for i in found["action_items"]]

    after = [await meeting(client, org, m["id"]) for m in (first, second, third)]
    assert agenda(after[0]) == [("Talked about", True, False)]
    assert agenda(after[1]) == [("New in the second", True, False)]
    assert agenda(after[2]) == [("Still open", False, True)]
    assert items(after[0]) == [("Send the draft", True)]
    assert items(after[1]) == []
    assert items(after[2]) == [("Book the room", False)]
    assert after[2]["action_items"][0]["origin_meeting_id"] == first["id"]
    assert [m["status"] for m in after] == ["completed", "completed", "scheduled"]
    assert third["starts_at"] > second["starts_at"] > first["starts_at"]


async def test_a_meeting_is_completed_once(client: httpx.AsyncClient, org: Org) -> None:
    found = await first_meeting(client, org)
    await complete(client, org, found["id"])

    again = await client.post(
        f"/v1/one-on-one-meetings/{found['id']}/complete", headers=org.headers("giver")
    )

    assert (again.status_code, again.json()["code"]) == (409, "meeting_completed")


async def test_will_becomes_action_items_in_one_step(client: httpx.AsyncClient, org: Org) -> None:
    found = await first_meeting(client, org)
    grow = {"goal": "g", "reality": "r", "options": "o", "will": ["Draft the plan", "Ask Sam"]}
    await client.patch(
        f"/v1/one-on-one-meetings/{found['id']}",
        json={"grow": grow},
        headers=org.headers("recipient") | {"If-Match": f'"{found["version"]}"'},
    )

    converted = await client.post(
        f"/v1/one-on-one-meetings/{found['id']}/action-items/from-will",
        json={"owner_id": str(org.recipient.id), "due_on": "2031-02-01"},
        headers=org.headers("giver"),
    )
    twice = await client.post(
        f"/v1/one-on-one-meetings/{found['id']}/action-items/from-will",
        json={"owner_id": str(org.recipient.id)},
        headers=org.headers("giver"),
    )

    body = converted.json()
    assert converted.status_code == 200, converted.text
    assert [(i["text"], i["owner_id"], i["due_on"]) for i in body["action_items"]] == [
        ("Draft the plan", str(org.recipient.id), "2031-02-01"),
        ("Ask Sam", str(org.recipient.id), "2031-02-01"),
    ]
    assert body["grow"]["will"] == []
    assert (twice.status_code, twice.json()["code"]) == (409, "will_empty")


async def test_an_action_item_is_owned_by_one_of_the_two(
    client: httpx.AsyncClient, org: Org
) -> None:
    found = await first_meeting(client, org)

    response = await client.post(
        f"/v1/one-on-one-meetings/{found['id']}/action-items",
        json={"text": "Do it", "owner_id": str(org.manager.id)},
        headers=org.headers("recipient"),
    )

    assert (response.status_code, response.json()["code"]) == (422, "owner_not_participant")


# --- Events ----------------------------------------------------------------------------------


async def test_events_say_what_happened_to_which_ids_never_the_words(
    client: httpx.AsyncClient, org: Org, outbox: Outbox
) -> None:
    found = await first_meeting(client, org)
    await add_point(client, org, found["id"], WORDS)
    item = await add_item(client, org, found["id"], WORDS)
    await check(client, org, f"/v1/one-on-one-action-items/{item['id']}", 1, done=True)
    done = await complete(client, org, found["id"])

    events = await outbox.events()
    assert [type_ for type_, _ in events] == [
        "action_item.created",
        "action_item.completed",
        "one_on_one.meeting_completed",
    ]
    assert WORDS not in json.dumps(events)
    created, completed, meeting_done = (payload for _, payload in events)
    assert created["id"] == item["id"]
    assert created["owner_id"] == str(org.recipient.id)
    assert completed["completed_at"] is not None
    assert meeting_done["id"] == found["id"]
    assert meeting_done["next_meeting_id"] == done["next"]["id"]
    assert set(meeting_done["participant_ids"]) == {str(org.recipient.id), str(org.giver.id)}


async def test_the_events_are_in_the_catalogue(client: httpx.AsyncClient, org: Org) -> None:
    response = await client.get("/v1/event-types", headers=org.headers("recipient"))

    names = {entry["name"] for entry in response.json()}
    assert {"one_on_one.meeting_completed", "action_item.created", "action_item.completed"} <= names


async def test_a_series_shows_the_meeting_to_prepare_for(
    client: httpx.AsyncClient, org: Org
) -> None:
    series = await start(client, org)
    (first,) = await meetings(client, org, series["id"])

    done = await complete(client, org, first["id"])
    listed = await client.get("/v1/one-on-ones", headers=org.headers("giver"))

    assert series["next_meeting"]["id"] == first["id"]
    assert [item["next_meeting"]["id"] for item in listed.json()["items"]] == [done["next"]["id"]]


# --- Bad input -------------------------------------------------------------------------------


async def test_an_order_must_name_every_point_once(client: httpx.AsyncClient, org: Org) -> None:
    found = await first_meeting(client, org)
    one = await add_point(client, org, found["id"], "One")
    await add_point(client, org, found["id"], "Two")

    response = await client.put(
        f"/v1/one-on-one-meetings/{found['id']}/agenda-order",
        json={"ids": [one["id"], one["id"]]},
        headers=org.headers("giver") | {"If-Match": "*"},
    )

    assert (response.status_code, response.json()["code"]) == (422, "agenda_order_mismatch")


async def test_a_reference_needs_its_kind_and_its_id(client: httpx.AsyncClient, org: Org) -> None:
    found = await first_meeting(client, org)

    response = await client.post(
        f"/v1/one-on-one-meetings/{found['id']}/talking-points",
        json={"text": "Hiring", "ref_kind": "key_result"},
        headers=org.headers("giver"),
    )

    assert (response.status_code, response.json()["code"]) == (422, "ref_incomplete")


async def test_a_shared_edit_without_if_match_is_refused(
    client: httpx.AsyncClient, org: Org
) -> None:
    found = await first_meeting(client, org)

    response = await client.patch(
        f"/v1/one-on-one-meetings/{found['id']}",
        json={"shared_notes": "x"},
        headers=org.headers("giver"),
    )

    assert (response.status_code, response.json()["code"]) == (428, "if_match_required")
    assert (await meeting(client, org, found["id"]))["shared_notes"] == ""


async def test_an_unknown_meeting_is_not_found(client: httpx.AsyncClient, org: Org) -> None:
    response = await client.get(
        f"/v1/one-on-one-meetings/{uuid.uuid4()}", headers=org.headers("giver")
    )

    assert (response.status_code, response.json()["code"]) == (404, "meeting_not_found")


async def test_a_person_lists_what_is_still_to_do_across_their_1_1s(
    client: httpx.AsyncClient, org: Org
) -> None:
    with_giver = await first_meeting(client, org)
    with_manager = await first_meeting(client, org, by="manager", with_="recipient")
    mine = await add_item(client, org, with_giver["id"], "Send the draft")
    done = await add_item(client, org, with_giver["id"], "Book the room")
    await check(client, org, f"/v1/one-on-one-action-items/{done['id']}", 1, done=True)
    response = await client.post(
        f"/v1/one-on-one-meetings/{with_manager['id']}/action-items",
        json={"text": "Review the plan", "owner_id": str(org.manager.id)},
        headers=org.headers("manager"),
    )
    theirs = response.json()

    open_items = await client.get(
        "/v1/one-on-one-action-items?done=false", headers=org.headers("recipient")
    )
    owned = await client.get(
        f"/v1/one-on-one-action-items?owner_id={org.recipient.id}",
        headers=org.headers("recipient"),
    )
    giver_sees = await client.get("/v1/one-on-one-action-items", headers=org.headers("giver"))

    assert [item["id"] for item in open_items.json()["items"]] == [mine["id"], theirs["id"]]
    assert [item["id"] for item in owned.json()["items"]] == [mine["id"], done["id"]]
    assert [item["id"] for item in giver_sees.json()["items"]] == [mine["id"], done["id"]]


# --- Ending a series -------------------------------------------------------------------------


async def test_either_participant_ends_a_series_which_then_changes_no_more(
    client: httpx.AsyncClient, org: Org
) -> None:
    found = await first_meeting(client, org)  # started by the recipient, with the giver
    path = f"/v1/one-on-one-meetings/{found['id']}"
    await add_point(client, org, found["id"], "Before the end")
    feed = (await client.post("/v1/one-on-one-calendar", headers=org.headers("recipient"))).json()

    ended = await client.post(
        f"/v1/one-on-ones/{found['series_id']}/end", headers=org.headers("giver")
    )
    again = await client.post(
        f"/v1/one-on-ones/{found['series_id']}/end", headers=org.headers("recipient")
    )
    changes = [
        await client.patch(
            path, json={"shared_notes": "x"}, headers=org.headers("recipient") | {"If-Match": "*"}
        ),
        await client.post(
            f"{path}/talking-points", json={"text": "x"}, headers=org.headers("giver")
        ),
        await client.post(f"{path}/complete", headers=org.headers("giver")),
        await client.post(
            f"/v1/one-on-ones/{found['series_id']}/meetings", json={}, headers=org.headers("giver")
        ),
    ]
    note = await client.put(
        f"{path}/private-note", json={"text": "Mine still"}, headers=org.headers("recipient")
    )
    calendar = await client.get(feed["path"])

    assert ended.status_code == 200, ended.text
    assert ended.json()["ended_at"] is not None
    assert ended.json()["next_meeting"] is None
    assert (again.status_code, again.json()["code"]) == (409, "series_ended")
    assert [(r.status_code, r.json()["code"]) for r in changes] == [(409, "series_ended")] * 4
    assert [p["text"] for p in (await meeting(client, org, found["id"], by="giver"))["agenda"]] == [
        "Before the end"
    ]
    assert note.status_code == 200
    assert "BEGIN:VEVENT" not in calendar.text
