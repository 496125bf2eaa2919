"""Who sees which feedback and which reply over REST, after the recipient's manager changed: the
giver, the recipient, the manager then and the manager now, the skip level, a peer, an HR admin,
an integration, our services and an outsider, through the item by id, lists, batch reads and
grouped reads. What a caller may not see answers as an unknown id does, and lists leave it out."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.feedback.schemas import Visibility
from tests.feedback.factories import Org, create_person, unknown_id
from tests.feedback.support import without_instance

THREAD = ["Thank you, that means a lot.", "You earned it."]
CALLERS = [
    "giver",
    "recipient",
    "manager",  # the recipient's manager when the item was given
    "skip_level",
    "manager_now",  # the recipient's manager since
    "peer",
    "hr_admin",
    "integration",
    "service",
    "outsider",
]
AUDIENCE = {
    Visibility.PRIVATE: {"giver", "recipient"},
    Visibility.MANAGER: {"giver", "recipient", "manager", "skip_level"},
    Visibility.PUBLIC: set(CALLERS),
}


@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("caller", CALLERS)
async def test_an_item_and_its_thread_reach_the_audience_of_the_day_it_was_given(
    client: httpx.AsyncClient,
    session: AsyncSession,
    org: Org,
    visibility: Visibility,
    caller: str,
) -> None:
    given = await client.post(
        "/v1/feedback",
        json={
            "recipient_id": str(org.recipient.id),
            "body": "Your rehearsal made the demo.",
            "kind": "praise",
            "visibility": visibility.value,
        },
        headers=org.headers("giver"),
    )
    assert given.status_code == 201, given.text
    item = given.json()["id"]
    for author, words in zip(["recipient", "giver"], THREAD, strict=True):
        replied = await client.post(
            f"/v1/feedback/{item}/replies", json={"body": words}, headers=org.headers(author)
        )
        assert replied.status_code == 201, replied.text
    # HR (or an HRIS) gives the recipient a new manager; the org copy follows.
    manager_now = await create_person(session, name="Nora Now")
    outsider = await create_person(session, name="Otto Outsider")
    org.recipient.manager_id = manager_now.id
    session.add(org.recipient)
    await session.flush()
    extra = {"manager_now": manager_now.email, "outsider": outsider.email}
    headers = org.tokens.person(extra[caller]) if caller in extra else org.headers(caller)

    one = await client.get(f"/v1/feedback/{item}", headers=headers)
    unknown = await client.get(f"/v1/feedback/{unknown_id()}", headers=headers)
    pages = [
        await client.get("/v1/feedback", params=params, headers=headers)
        for params in (
            {},
            {"id": [item, str(unknown_id())]},
            {"recipient_id": str(org.recipient.id)},
            {"giver_id": str(org.giver.id)},
            {"person_id": str(org.recipient.id)},
        )
    ]
    groups = [
        await client.get("/v1/feedback/by-person", params=params, headers=headers)
        for params in (
            {"person_id": str(org.recipient.id), "role": "received"},
            {"person_id": str(org.giver.id), "role": "given"},
        )
    ]
    found = [page.json()["items"] for page in pages]
    found += [group.json()["groups"][0]["items"] for group in groups]

    assert [response.status_code for response in [*pages, *groups]] == [200] * 7
    if caller in AUDIENCE[visibility]:
        assert one.status_code == 200, one.text
        assert [reply["body"] for reply in one.json()["replies"]] == THREAD
        assert found == [[one.json()]] * 7
    else:
        assert one.status_code == 404
        assert without_instance(one.json()) == without_instance(unknown.json())
        assert found == [[]] * 7
