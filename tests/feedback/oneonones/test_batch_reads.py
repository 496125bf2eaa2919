"""The batch reads the gateway's loaders use: several meetings by id, the first meetings of
several series, the caller's own notes on several meetings; each one reads only what the
caller takes part in (or wrote), in the same statements however much it returns."""

from __future__ import annotations

import httpx

from tests.feedback.factories import Org
from tests.feedback.oneonones.support import PRIVATE, add_point, first_meeting, start
from tests.support import Statements


async def _add_meetings(client: httpx.AsyncClient, org: Org, series_id: str, count: int) -> None:
    for _ in range(count):
        response = await client.post(
            f"/v1/one-on-ones/{series_id}/meetings", json={}, headers=org.headers("recipient")
        )
        assert response.status_code == 201, response.text


async def test_meetings_by_id_are_read_with_their_agendas_and_others_left_out(
    client: httpx.AsyncClient, org: Org
) -> None:
    mine = await first_meeting(client, org)
    await add_point(client, org, mine["id"], "Roadmap")
    theirs = await first_meeting(client, org, by="peer", with_="manager")

    response = await client.get(
        "/v1/one-on-one-meetings",
        params=[("id", theirs["id"]), ("id", mine["id"])],
        headers=org.headers("giver"),
    )

    assert response.status_code == 200, response.text
    (found,) = response.json()["items"]
    assert found["id"] == mine["id"]
    assert [point["text"] for point in found["agenda"]] == ["Roadmap"]


async def test_meetings_by_id_cost_the_same_statements_for_one_or_many(
    client: httpx.AsyncClient, org: Org, statements: Statements
) -> None:
    one = await first_meeting(client, org)
    other = await first_meeting(client, org, with_="peer")
    for meeting in (one, other):
        await add_point(client, org, meeting["id"], "Point")
    headers = org.headers("recipient")

    single = await statements.of_read(client, f"/v1/one-on-one-meetings?id={one['id']}", headers)
    both = await statements.of_read(
        client, f"/v1/one-on-one-meetings?id={one['id']}&id={other['id']}", headers
    )

    assert both == single


async def test_meetings_by_series_come_in_groups_that_continue_at_the_series_list(
    client: httpx.AsyncClient, org: Org
) -> None:
    series = await start(client, org)
    await _add_meetings(client, org, series["id"], 2)
    other = await start(client, org, by="peer", with_="manager")

    response = await client.get(
        "/v1/one-on-one-meetings/by-series",
        params=[("series_id", series["id"]), ("series_id", other["id"]), ("per_series", 2)],
        headers=org.headers("giver"),
    )

    assert response.status_code == 200, response.text
    mine, theirs = response.json()["groups"]
    assert (mine["series_id"], len(mine["items"]), mine["has_more"]) == (series["id"], 2, True)
    assert (theirs["series_id"], theirs["items"], theirs["has_more"]) == (other["id"], [], False)
    rest = await client.get(
        f"/v1/one-on-ones/{series['id']}/meetings",
        params={"cursor": mine["next_cursor"]},
        headers=org.headers("giver"),
    )
    listed = await client.get(
        f"/v1/one-on-ones/{series['id']}/meetings", headers=org.headers("giver")
    )
    all_ids = [item["id"] for item in listed.json()["items"]]
    seen = [item["id"] for item in mine["items"] + rest.json()["items"]]
    assert seen == all_ids
    assert len(all_ids) == 3


async def test_meetings_by_series_cost_the_same_statements_for_one_or_many(
    client: httpx.AsyncClient, org: Org, statements: Statements
) -> None:
    one = await start(client, org)
    other = await start(client, org, with_="peer")
    await _add_meetings(client, org, one["id"], 3)
    path = "/v1/one-on-one-meetings/by-series?series_id="
    headers = org.headers("recipient")

    single = await statements.of_read(client, path + one["id"], headers)
    both = await statements.of_read(client, f"{path}{one['id']}&series_id={other['id']}", headers)

    assert both == single


async def test_the_notes_batch_read_returns_only_the_callers_own(
    client: httpx.AsyncClient, org: Org
) -> None:
    found = await first_meeting(client, org)
    path = f"/v1/one-on-one-meetings/{found['id']}/private-note"
    written = await client.put(path, json={"text": PRIVATE}, headers=org.headers("recipient"))
    assert written.status_code == 200, written.text
    params = {"meeting_id": found["id"]}

    author = await client.get(
        "/v1/one-on-one-private-notes", params=params, headers=org.headers("recipient")
    )
    others = {
        name: await client.get(
            "/v1/one-on-one-private-notes", params=params, headers=org.headers(name)
        )
        for name in ("giver", "manager", "hr_admin", "peer")
    }

    assert [note["text"] for note in author.json()["items"]] == [PRIVATE]
    for name, response in others.items():
        assert response.status_code == 200, (name, response.text)
        assert response.json()["items"] == [], name
        assert PRIVATE not in response.text
