"""What a request must say to be taken: each person asked once, and a due date from the
requester's today to two years ahead, on asking as on moving it."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.models import utcnow
from services.feedback.requests.models import FeedbackRequest, RequestPart
from tests.factories import count_rows
from tests.feedback.factories import Org, create_person
from tests.feedback.requests.support import ask, new_request
from tests.feedback.support import due_in
from tests.support import Tokens, problem_fields


async def test_someone_asked_twice_is_named_and_nothing_is_saved(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    body = new_request(org.peer.id, org.giver.id, org.peer.id, subject_id=str(org.recipient.id))

    response = await client.post("/v1/feedback-requests", json=body, headers=org.headers("manager"))

    assert response.status_code == 422, response.text
    assert response.json()["code"] == "asked_twice"
    assert problem_fields(response) == {"body.asked_ids.2"}
    assert str(org.peer.id) in response.json()["detail"]
    assert await count_rows(session, FeedbackRequest) == 0
    assert await count_rows(session, RequestPart) == 0


@pytest.mark.parametrize(
    ("due_on", "code"),
    [
        (due_in(-1), "due_date_past"),
        (due_in(-400), "due_date_past"),
        ("0001-01-01", "due_date_past"),
        (due_in(2 * 366 + 1), "due_date_too_far"),
        ("9999-12-31", "due_date_too_far"),
    ],
)
async def test_a_due_date_in_the_past_or_years_ahead_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, org: Org, due_on: str, code: str
) -> None:
    body = new_request(org.peer.id, subject_id=str(org.recipient.id), due_on=due_on)

    response = await client.post("/v1/feedback-requests", json=body, headers=org.headers("manager"))

    assert response.status_code == 422, response.text
    assert response.json()["code"] == code
    assert problem_fields(response) == {"body.due_on"}
    assert await count_rows(session, FeedbackRequest) == 0


@pytest.mark.parametrize("days", [0, 1, 2 * 366])
async def test_today_and_up_to_two_years_ahead_are_taken(
    client: httpx.AsyncClient, org: Org, days: int
) -> None:
    request = await ask(client, org, due_on=due_in(days))

    assert request["due_on"] == due_in(days)


async def test_today_is_the_requesters_own(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens
) -> None:
    # Somewhere it is already tomorrow: that day is "today" for a requester who lives there.
    ahead = await create_person(session, name="Kiri Kiritimati", time_zone="Pacific/Kiritimati")
    behind = await create_person(session, name="Pago Pago", time_zone="Pacific/Pago_Pago")
    asked = await create_person(session, name="Asked Person")
    their_today = utcnow().astimezone(ZoneInfo("Pacific/Kiritimati")).date()
    yesterday_there = (their_today - timedelta(days=1)).isoformat()

    def body(due_on: str) -> dict[str, object]:
        return new_request(asked.id, due_on=due_on)

    from_ahead = await client.post(
        "/v1/feedback-requests", json=body(yesterday_there), headers=tokens.person(ahead.email)
    )
    from_behind = await client.post(
        "/v1/feedback-requests", json=body(yesterday_there), headers=tokens.person(behind.email)
    )

    # Kiritimati (UTC+14) and Pago Pago (UTC-11) are always a day or two apart.
    assert (from_ahead.status_code, from_ahead.json()["code"]) == (422, "due_date_past")
    assert from_behind.status_code == 201, from_behind.text


async def test_moving_the_due_date_is_checked_alike(
    client: httpx.AsyncClient, session: AsyncSession, org: Org
) -> None:
    request = await ask(client, org)
    url = f"/v1/feedback-requests/{request['id']}"
    headers = org.headers("manager") | {"If-Match": '"1"'}

    past = await client.patch(url, json={"due_on": due_in(-1)}, headers=headers)
    far = await client.patch(url, json={"due_on": "2999-01-01"}, headers=headers)
    unchanged = await client.get(url, headers=org.headers("manager"))

    assert (past.status_code, past.json()["code"]) == (422, "due_date_past")
    assert (far.status_code, far.json()["code"]) == (422, "due_date_too_far")
    assert problem_fields(far) == {"body.due_on"}
    assert (unchanged.json()["due_on"], unchanged.headers["etag"]) == (request["due_on"], '"1"')
