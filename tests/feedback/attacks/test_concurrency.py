"""Attempts made at once, on committed data: what the service's checks promise must hold when
two requests race."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from kit.db import Database
from kit.orgcopy import OrgPerson
from tests.feedback.factories import create_hr_admin, create_person
from tests.feedback.support import due_in
from tests.support import Tokens, asgi_client, service_app

pytestmark = pytest.mark.e2e


@pytest.fixture
async def committed(
    fresh_database: Callable[[str], Awaitable[str]],
) -> AsyncIterator[Database]:
    database = Database(await fresh_database("feedback"), pool_size=6)
    yield database
    await database.dispose()


@pytest.fixture
async def http(committed: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with asgi_client(service_app("feedback", committed), "feedback") as client:
        yield client


async def test_two_values_named_alike_at_once_are_not_both_made(
    committed: Database, http: httpx.AsyncClient, tokens: Tokens
) -> None:
    async with committed.sessionmaker() as session:
        hr = await create_hr_admin(session, email="hr@example.com")
        await session.commit()
    headers = tokens.person(hr.email)

    async def make(name: str) -> int:
        response = await http.post("/v1/company-values", json={"name": name}, headers=headers)
        return response.status_code

    answers = [
        sorted(await asyncio.gather(make(f"Candour {n}"), make(f"CANDOUR {n}"))) for n in range(5)
    ]

    assert all(answer == [201, 409] for answer in answers), answers


async def test_a_first_nomination_made_twice_at_once_is_clear(
    committed: Database, http: httpx.AsyncClient, tokens: Tokens
) -> None:
    async with committed.sessionmaker() as session:
        hr = await create_hr_admin(session, email="hr@example.com")
        nominator = await create_person(session, email="nia@example.com")
        nominees = [await create_person(session) for _ in range(2)]
        await session.commit()
    made = await http.post(
        "/v1/nomination-periods",
        json={"name": "March 2027", "starts_on": "2027-03-01", "ends_on": "2027-03-31"},
        headers=tokens.person(hr.email),
    )
    url = f"/v1/nomination-periods/{made.json()['id']}/nomination"

    async def nominate(index: int) -> int:
        body = {"nominee_id": str(nominees[index].id), "reason": "Unblocked me."}
        response = await http.put(url, json=body, headers=tokens.person(nominator.email))
        return response.status_code

    answers = await asyncio.gather(nominate(0), nominate(1))

    assert all(status < 500 for status in answers), answers
    assert 201 in answers


async def test_a_close_racing_nominations_counts_each_once_or_refuses_it(
    committed: Database, http: httpx.AsyncClient, tokens: Tokens
) -> None:
    async with committed.sessionmaker() as session:
        hr = await create_hr_admin(session, email="hr@example.com")
        nominee = await create_person(session, email="nina@example.com")
        nominators = [await create_person(session) for _ in range(4)]
        await session.commit()
    made = await http.post(
        "/v1/nomination-periods",
        json={"name": "March 2027", "starts_on": "2027-03-01", "ends_on": "2027-03-31"},
        headers=tokens.person(hr.email),
    )
    period = made.json()
    base = f"/v1/nomination-periods/{period['id']}"

    async def nominate(email: str) -> int:
        body = {"nominee_id": str(nominee.id), "reason": "Unblocked me."}
        response = await http.put(f"{base}/nomination", json=body, headers=tokens.person(email))
        return response.status_code

    async def close() -> int:
        response = await http.post(
            f"{base}/close",
            headers=tokens.person(hr.email) | {"If-Match": f'"{period["version"]}"'},
        )
        return response.status_code

    *nominated, closed = await asyncio.gather(
        *(nominate(person.email) for person in nominators), close()
    )
    results = await http.get(f"{base}/results", headers=tokens.person(nominee.email))

    assert closed == 200
    counted = sum(status == 201 for status in nominated)
    expected = [{"nominee_id": str(nominee.id), "nominations": counted}] if counted >= 2 else []
    assert results.json()["nominees"] == expected


async def recognised(
    committed: Database, http: httpx.AsyncClient, tokens: Tokens
) -> tuple[httpx.Response, OrgPerson]:
    """A recognition given, and a colleague who will react to it."""
    async with committed.sessionmaker() as session:
        giver = await create_person(session, email="gina@example.com")
        recipient = await create_person(session, email="rita@example.com")
        fan = await create_person(session, email="fan@example.com")
        await session.commit()
    made = await http.post(
        "/v1/recognitions",
        json={"recipient_ids": [str(recipient.id)], "message": "Shipped it."},
        headers=tokens.person(giver.email),
    )
    assert made.status_code == 201, made.text
    return made, fan


async def test_the_same_reaction_put_twice_at_once_counts_once(
    committed: Database, http: httpx.AsyncClient, tokens: Tokens
) -> None:
    made, fan = await recognised(committed, http, tokens)
    url = f"/v1/recognitions/{made.json()['id']}/reactions/applause"

    fan_headers = tokens.person(fan.email)
    once = await http.put(url, headers=fan_headers)
    heart = url.replace("applause", "heart")
    raced = await asyncio.gather(
        *(http.put(each, headers=fan_headers) for each in (url, url, heart, heart))
    )
    read = await http.get(url.rsplit("/reactions", 1)[0], headers=tokens.person(fan.email))

    assert once.status_code == 200
    assert all(answer.status_code < 500 for answer in raced), [a.text for a in raced]
    assert read.json()["reactions"] == {"applause": 1, "heart": 1}


async def test_an_answer_sent_twice_at_once_is_given_once(
    committed: Database, http: httpx.AsyncClient, tokens: Tokens
) -> None:
    async with committed.sessionmaker() as session:
        subject = await create_person(session, email="sue@example.com")
        asked = await create_person(session, email="ann@example.com")
        await session.commit()
    made = await http.post(
        "/v1/feedback-requests",
        json={"asked_ids": [str(asked.id)], "topic": "The launch", "due_on": due_in(45)},
        headers=tokens.person(subject.email),
    )
    url = f"/v1/feedback-requests/{made.json()['id']}/answers"
    body = {"body": "Clear and calm.", "kind": "praise", "visibility": "private"}

    raced = await asyncio.gather(
        *(http.post(url, json=body, headers=tokens.person(asked.email)) for _ in range(2))
    )
    answers = await http.get(url, headers=tokens.person(subject.email))

    assert sorted(answer.status_code for answer in raced) == [201, 409]
    assert len(answers.json()["items"]) == 1


async def test_a_reaction_put_twice_at_once_is_200_to_both(
    committed: Database, http: httpx.AsyncClient, tokens: Tokens
) -> None:
    made, fan = await recognised(committed, http, tokens)
    base = f"/v1/recognitions/{made.json()['id']}/reactions"
    headers = tokens.person(fan.email)

    statuses = [
        sorted(
            answer.status_code
            for answer in await asyncio.gather(
                http.put(f"{base}/{kind}", headers=headers),
                http.put(f"{base}/{kind}", headers=headers),
            )
        )
        for kind in ("applause", "heart", "celebrate", "insightful")
    ]

    assert all(pair == [200, 200] for pair in statuses), statuses
