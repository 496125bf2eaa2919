"""Each person's 1:1s as an iCalendar feed at a secret address: read without a bearer token,
parsed here with `icalendar`, holding each meeting's title and time and nothing discussed;
rotating the address or revoking it shuts the old one."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import icalendar
from sqlmodel.ext.asyncio.session import AsyncSession

from services.feedback.oneonones.models import CalendarToken
from tests.factories import count_rows
from tests.feedback.factories import Org
from tests.feedback.oneonones.support import PRIVATE, WORDS, add_point, first_meeting, start

FEED = "/v1/one-on-one-calendar"


async def subscribe(client: httpx.AsyncClient, org: Org, caller: str) -> str:
    response = await client.post(FEED, headers=org.headers(caller))
    assert response.status_code == 201, response.text
    path: str = response.json()["path"]
    return path


async def test_the_feed_holds_each_meeting_title_and_time_only(
    client: httpx.AsyncClient, org: Org
) -> None:
    found = await first_meeting(client, org)
    await add_point(client, org, found["id"], WORDS)
    await client.put(
        f"/v1/one-on-one-meetings/{found['id']}/private-note",
        json={"text": PRIVATE},
        headers=org.headers("recipient"),
    )
    await start(client, org, "manager", "recipient", title="Priya / Sofia")
    path = await subscribe(client, org, "recipient")

    response = await client.get(path)  # no bearer token

    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    assert WORDS not in response.text
    assert PRIVATE not in response.text
    calendar = icalendar.Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert sorted(str(event["SUMMARY"]) for event in events) == ["1:1", "Priya / Sofia"]
    first = next(event for event in events if str(event["UID"]).startswith(found["id"]))
    starts = first.decoded("DTSTART")
    assert starts == datetime.fromisoformat(found["starts_at"])
    assert first.decoded("DTEND") - starts == timedelta(minutes=30)


async def test_a_feed_shows_its_owner_s_meetings_only(client: httpx.AsyncClient, org: Org) -> None:
    await first_meeting(client, org)  # the recipient and the giver
    path = await subscribe(client, org, "peer")

    calendar = icalendar.Calendar.from_ical((await client.get(path)).content)

    assert calendar.walk("VEVENT") == []


async def test_rotating_shuts_the_old_address_and_revoking_the_new(
    client: httpx.AsyncClient, org: Org, session: AsyncSession
) -> None:
    old = await subscribe(client, org, "recipient")
    new = await subscribe(client, org, "recipient")

    after_rotation = (await client.get(old)).status_code, (await client.get(new)).status_code
    revoked = await client.delete(FEED, headers=org.headers("recipient"))
    after_revoking = await client.get(new)

    assert after_rotation == (404, 200)
    assert revoked.status_code == 204
    assert (after_revoking.status_code, after_revoking.json()["code"]) == (
        404,
        "calendar_not_found",
    )
    assert await count_rows(session, CalendarToken) == 0


async def test_only_a_hash_of_the_secret_is_kept(
    client: httpx.AsyncClient, org: Org, session: AsyncSession
) -> None:
    path = await subscribe(client, org, "recipient")
    token = path.rsplit("/", 1)[1]

    row = await session.get(CalendarToken, org.recipient.id)

    assert row is not None
    assert token not in row.token_hash
    assert len(row.token_hash) == 64


async def test_integrations_have_no_calendar(client: httpx.AsyncClient, org: Org) -> None:
    response = await client.post(FEED, headers=org.headers("integration"))

    assert response.status_code == 403


async def test_a_made_up_address_is_not_found(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{FEED}/{'x' * 43}")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
