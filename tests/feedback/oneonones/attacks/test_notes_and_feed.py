"""A private note and the calendar feed attacked from outside the rules: notes swapped or
moved between rows in the database, meeting versions watched for a note being written, and a
feed address kept by someone who has left."""

from __future__ import annotations

import httpx
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.feedback.factories import Org
from tests.feedback.oneonones.support import PRIVATE, first_meeting

FEED = "/v1/one-on-one-calendar"


def note_path(meeting_id: str) -> str:
    return f"/v1/one-on-one-meetings/{meeting_id}/private-note"


async def test_ciphertexts_swapped_between_authors_open_for_neither(
    client: httpx.AsyncClient, org: Org, session: AsyncSession
) -> None:
    found = await first_meeting(client, org)
    path = note_path(found["id"])
    await client.put(path, json={"text": PRIVATE}, headers=org.headers("recipient"))
    await client.put(path, json={"text": "the giver's own"}, headers=org.headers("giver"))
    connection = await session.connection()
    await connection.execute(
        text(
            "UPDATE one_on_one_private_note n SET ciphertext = o.ciphertext"
            " FROM one_on_one_private_note o"
            " WHERE n.meeting_id = o.meeting_id AND n.author_id <> o.author_id"
        )
    )

    giver_reads = await client.get(path, headers=org.headers("giver"))
    recipient_reads = await client.get(path, headers=org.headers("recipient"))

    assert PRIVATE not in giver_reads.text
    assert "the giver's own" not in recipient_reads.text
    for response in (giver_reads, recipient_reads):
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "private_note_unreadable"


async def test_a_note_handed_to_the_other_participant_in_the_database_does_not_open(
    client: httpx.AsyncClient, org: Org, session: AsyncSession
) -> None:
    found = await first_meeting(client, org)
    path = note_path(found["id"])
    await client.put(path, json={"text": PRIVATE}, headers=org.headers("recipient"))
    connection = await session.connection()
    await connection.execute(
        text("UPDATE one_on_one_private_note SET author_id = :giver"), {"giver": org.giver.id}
    )

    response = await client.get(path, headers=org.headers("giver"))

    assert PRIVATE not in response.text
    assert response.json()["code"] == "private_note_unreadable"


async def test_writing_a_note_changes_nothing_the_other_participant_sees(
    client: httpx.AsyncClient, org: Org
) -> None:
    found = await first_meeting(client, org)
    meeting_path = f"/v1/one-on-one-meetings/{found['id']}"
    series_path = f"/v1/one-on-ones/{found['series_id']}"

    async def seen_by_giver() -> list[tuple[str | None, str]]:
        reads = [
            await client.get(p, headers=org.headers("giver")) for p in (meeting_path, series_path)
        ]
        return [(r.headers.get("etag"), r.text) for r in reads]

    before = await seen_by_giver()
    written = await client.put(
        note_path(found["id"]), json={"text": PRIVATE}, headers=org.headers("recipient")
    )
    deleted = await client.delete(note_path(found["id"]), headers=org.headers("recipient"))
    after = await seen_by_giver()

    assert (written.status_code, deleted.status_code) == (200, 204)
    assert after == before


async def test_a_note_on_someone_else_s_meeting_is_as_unknown_as_no_meeting(
    client: httpx.AsyncClient, org: Org
) -> None:
    found = await first_meeting(client, org)
    await client.put(
        note_path(found["id"]), json={"text": PRIVATE}, headers=org.headers("recipient")
    )
    unknown = "00000000-0000-4000-8000-000000000000"

    answers = [
        (r.status_code, r.json()["code"])
        for r in [
            await client.get(note_path(found["id"]), headers=org.headers(caller))
            for caller in ("manager", "hr_admin", "peer")
        ]
        + [await client.get(note_path(unknown), headers=org.headers("peer"))]
    ]

    assert answers == [(404, "meeting_not_found")] * 4


async def test_the_feed_address_of_someone_who_has_left_stops_working(
    client: httpx.AsyncClient, org: Org, session: AsyncSession
) -> None:
    await first_meeting(client, org)
    subscribed = await client.post(FEED, headers=org.headers("recipient"))
    path = subscribed.json()["path"]
    assert (await client.get(path)).status_code == 200
    org.recipient.active = False
    session.add(org.recipient)
    await session.flush()

    response = await client.get(path)

    assert (response.status_code, response.json()["code"]) == (404, "calendar_not_found")
