"""Reads of 1:1s cost the same number of statements however much they hold: a meeting with a
long agenda and many action items, a page of many series with their next meetings."""

from __future__ import annotations

import httpx

from tests.feedback.factories import Org
from tests.feedback.oneonones.support import add_point, first_meeting, start
from tests.support import Statements


async def test_a_meeting_reads_in_the_same_statements_whatever_it_holds(
    client: httpx.AsyncClient, org: Org, statements: Statements
) -> None:
    found = await first_meeting(client, org)
    path = f"/v1/one-on-one-meetings/{found['id']}"
    headers = org.headers("giver")
    empty = await statements.of_read(client, path, headers)
    for number in range(5):
        await add_point(client, org, found["id"], f"Point {number}")
        await client.post(
            f"{path}/action-items",
            json={"text": f"Item {number}", "owner_id": str(org.giver.id)},
            headers=headers,
        )

    full = await statements.of_read(client, path, headers)

    assert full == empty
    # The caller's identity, then the meeting with its series, its agenda, its action items.
    assert full == 4, statements.queries


async def test_a_page_of_series_reads_in_the_same_statements_whatever_its_size(
    client: httpx.AsyncClient, org: Org, statements: Statements
) -> None:
    await start(client, org, "recipient", "giver")
    one = await statements.of_read(client, "/v1/one-on-ones", org.headers("recipient"))
    for with_ in ("peer", "manager", "skip_level"):
        await start(client, org, "recipient", with_)

    many = await statements.of_read(client, "/v1/one-on-ones", org.headers("recipient"))

    assert many == one
