"""Answering a round: save and submit later, final once submitted, and in an anonymous round a
response the database cannot tie to its person."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson, OrgTeam
from services.assessment.models import Instrument, Question
from tests.assessment.factories import (
    create_members,
    create_person,
    create_team,
    in_days,
    questions,
    rated_instrument,
)
from tests.support import Tokens


@pytest.fixture
async def instrument(session: AsyncSession) -> Instrument:
    return await rated_instrument(session)


@pytest.fixture
async def team(session: AsyncSession) -> OrgTeam:
    return await create_team(session)


@pytest.fixture
async def member(session: AsyncSession, team: OrgTeam) -> OrgPerson:
    (person,) = await create_members(session, team, 1)
    return person


async def open_round(
    client: httpx.AsyncClient, headers: dict[str, str], instrument: Instrument, **extra: Any
) -> str:
    body = {"instrument_id": str(instrument.id), "name": "Pulse", "closes_at": in_days(7)}
    created = await client.post("/v1/rounds", json=body | extra, headers=headers)
    assert created.status_code == 201, created.text
    round_id: str = created.json()["id"]
    assert (await client.post(f"/v1/rounds/{round_id}/open", headers=headers)).status_code == 200
    return round_id


def full_answers(
    qs: list[Question], values: tuple[int, int, int] = (4, 2, 5)
) -> list[dict[str, Any]]:
    rating = [q for q in qs if q.kind == "rating"]
    comment = [q for q in qs if q.kind == "comment"]
    return [
        *({"question_id": str(q.id), "value": v} for q, v in zip(rating, values, strict=True)),
        *({"question_id": str(q.id), "comment": "More time to think."} for q in comment),
    ]


async def answer_in_full(
    client: httpx.AsyncClient, headers: dict[str, str], round_id: str, qs: list[Question]
) -> None:
    """Saves a full set of answers, ready to submit."""
    saved = await client.put(
        f"/v1/rounds/{round_id}/my-response", json={"answers": full_answers(qs)}, headers=headers
    )
    assert saved.status_code == 200, saved.text


async def rows(session: AsyncSession, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    result = await session.exec(text(sql), params=params)  # type: ignore[call-overload]  # textual SQL
    return [tuple(row) for row in result]


async def test_answers_are_saved_then_submitted_and_final_after(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    tokens: Tokens,
    instrument: Instrument,
    member: OrgPerson,
) -> None:
    round_id = await open_round(client, as_admin, instrument)
    qs = await questions(session, instrument)
    headers = tokens.person(member.email)
    mine = f"/v1/rounds/{round_id}/my-response"

    first = await client.put(mine, json={"answers": full_answers(qs)[:1]}, headers=headers)
    early = await client.post(f"{mine}/submit", headers=headers)
    saved = await client.put(mine, json={"answers": full_answers(qs)}, headers=headers)
    done = await client.post(f"{mine}/submit", headers=headers)
    again = await client.post(f"{mine}/submit", headers=headers)
    change = await client.put(mine, json={"answers": full_answers(qs)}, headers=headers)
    after = await client.get(mine, headers=headers)

    assert (first.json()["status"], len(first.json()["answers"])) == ("saved", 1)
    assert (early.status_code, early.json()["code"]) == (422, "answers_incomplete")
    assert len(saved.json()["answers"]) == 4
    assert done.status_code == 200
    assert done.json() == {
        "round_id": round_id,
        "mode": "anonymous",
        "status": "submitted",
        "answers": [],
        "attributes": {},
    }
    assert [(r.status_code, r.json()["code"]) for r in (again, change)] == [
        (409, "already_submitted")
    ] * 2
    assert after.json()["answers"] == []
    # the reverse-scored item is stored turned: 1 + 5 - 2 = 4
    scores = await rows(
        session,
        "SELECT q.position, a.score, a.comment FROM answer a JOIN question q"
        " ON q.id = a.question_id ORDER BY q.position",
    )
    assert scores == [(1, 4, None), (2, 4, None), (3, 5, None), (4, None, "More time to think.")]
    drafts = await rows(
        session, "SELECT draft FROM participation WHERE person_id = :p", p=member.id
    )
    assert drafts == [(None,)]


@pytest.mark.parametrize(
    ("answer", "code"),
    [
        ({"value": 6}, "invalid_answer"),
        ({"value": 0}, "invalid_answer"),
        ({"comment": "words for a rating"}, "invalid_answer"),
        ({"value": 3.5}, "validation_failed"),
        ({"value": "3"}, "validation_failed"),
    ],
)
async def test_an_answer_off_the_scale_is_refused(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    tokens: Tokens,
    instrument: Instrument,
    member: OrgPerson,
    answer: dict[str, Any],
    code: str,
) -> None:
    round_id = await open_round(client, as_admin, instrument)
    (first, *_) = await questions(session, instrument)
    body = {"answers": [{"question_id": str(first.id), **answer}]}

    response = await client.put(
        f"/v1/rounds/{round_id}/my-response", json=body, headers=tokens.person(member.email)
    )

    assert response.status_code == 422
    assert code in {response.json()["code"], *(e["code"] for e in response.json()["errors"])}


async def test_only_declared_attributes_are_taken(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    tokens: Tokens,
    instrument: Instrument,
    member: OrgPerson,
) -> None:
    tenure = {
        "key": "tenure",
        "name": "Tenure",
        "options": [{"key": "new", "name": "Under a year"}, {"key": "old", "name": "Longer"}],
    }
    round_id = await open_round(client, as_admin, instrument, attributes=[tenure])
    mine = f"/v1/rounds/{round_id}/my-response"
    headers = tokens.person(member.email)

    unknown = await client.put(mine, json={"attributes": {"age": "old"}}, headers=headers)
    wrong = await client.put(mine, json={"attributes": {"tenure": "ancient"}}, headers=headers)
    right = await client.put(mine, json={"attributes": {"tenure": "new"}}, headers=headers)

    assert [unknown.status_code, wrong.status_code] == [422, 422]
    assert right.json()["attributes"] == {"tenure": "new"}


async def test_a_retried_submit_with_its_idempotency_key_answers_once(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    tokens: Tokens,
    instrument: Instrument,
    member: OrgPerson,
) -> None:
    round_id = await open_round(client, as_admin, instrument)
    headers = tokens.person(member.email)
    qs = await questions(session, instrument)
    await answer_in_full(client, headers, round_id, qs)
    retry = headers | {"Idempotency-Key": "submit-pulse-1"}

    first = await client.post(f"/v1/rounds/{round_id}/my-response/submit", headers=retry)
    second = await client.post(f"/v1/rounds/{round_id}/my-response/submit", headers=retry)

    assert [first.status_code, second.status_code] == [200, 200]
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()
    assert await rows(session, "SELECT count(*) FROM response") == [(1,)]
    # what the key keeps holds none of the answers
    stored = await rows(session, "SELECT convert_from(body, 'UTF8') FROM idempotency_record")
    assert stored
    assert all(str(qs[0].id) not in body for (body,) in stored)


async def test_the_database_row_of_an_anonymous_response_holds_no_person_and_no_time(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    tokens: Tokens,
    instrument: Instrument,
    member: OrgPerson,
    team: OrgTeam,
) -> None:
    round_id = await open_round(client, as_admin, instrument)
    headers = tokens.person(member.email)
    qs = await questions(session, instrument)
    await answer_in_full(client, headers, round_id, qs)
    await client.post(f"/v1/rounds/{round_id}/my-response/submit", headers=headers)

    columns = await rows(
        session,
        "SELECT table_name, column_name, data_type FROM information_schema.columns"
        " WHERE table_name IN ('response', 'answer', 'area_score')"
        " ORDER BY table_name, ordinal_position",
    )
    (response,) = await rows(session, "SELECT * FROM response")
    answers = await rows(session, "SELECT * FROM answer")
    links = await rows(
        session, "SELECT response_id FROM participation WHERE person_id = :p", p=member.id
    )

    assert [(t, c) for t, c, _ in columns] == [
        ("answer", "response_id"),
        ("answer", "question_id"),
        ("answer", "area"),
        ("answer", "score"),
        ("answer", "comment"),
        ("area_score", "response_id"),
        ("area_score", "area"),
        ("area_score", "mean"),
        ("response", "id"),
        ("response", "round_id"),
        ("response", "team_id"),
        ("response", "attributes"),
    ]
    assert not any("time" in kind or "date" in kind for _, _, kind in columns)
    values = [str(value) for row in [response, *answers] for value in row]
    assert str(member.id) not in values
    assert response[2] == team.id
    # a random id: a time-ordered one (version 7) would carry the moment it was written
    assert uuid.UUID(str(response[0])).version == 4
    assert links == [(None,)]


async def test_an_identified_round_keeps_the_person_with_the_response(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    tokens: Tokens,
    instrument: Instrument,
    member: OrgPerson,
) -> None:
    round_id = await open_round(client, as_admin, instrument, mode="identified")
    headers = tokens.person(member.email)
    qs = await questions(session, instrument)

    before = await client.get(f"/v1/rounds/{round_id}/my-response", headers=headers)
    await answer_in_full(client, headers, round_id, qs)
    await client.post(f"/v1/rounds/{round_id}/my-response/submit", headers=headers)

    assert before.json()["mode"] == "identified"
    linked = await rows(
        session,
        "SELECT p.person_id FROM participation p JOIN response r ON r.id = p.response_id",
    )
    assert linked == [(member.id,)]


async def test_only_the_people_asked_answer(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    tokens: Tokens,
    instrument: Instrument,
    team: OrgTeam,
    member: OrgPerson,
) -> None:
    round_id = await open_round(client, as_admin, instrument, team_id=str(team.id))
    outsider = await create_person(session)
    mine = f"/v1/rounds/{round_id}/my-response"

    by_outsider = await client.put(mine, json={}, headers=tokens.person(outsider.email))
    by_admin = await client.get(mine, headers=as_admin)  # not in the team
    by_integration = await client.get(mine, headers=tokens.integration("assessment:read"))
    unknown = await client.get(
        f"/v1/rounds/{uuid.uuid4()}/my-response", headers=tokens.person(member.email)
    )

    assert [by_outsider.status_code, by_admin.status_code] == [404, 403]
    assert by_integration.status_code == 403
    assert unknown.status_code == 404
