"""A respondent reads a round's questions in their language: `Accept-Language`, else their
locale in the directory, else English, saying what fell back."""

from __future__ import annotations

import httpx
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.models import Instrument, InstrumentTranslation
from tests.assessment.factories import create_members, create_person, create_team, in_days
from tests.support import Tokens


async def maturity(session: AsyncSession) -> Instrument:
    return (await session.exec(select(Instrument).where(Instrument.key == "maturity"))).one()


async def open_round(
    client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, str]
) -> str:
    created = await client.post(
        "/v1/rounds", json=body | {"name": "Maturity", "closes_at": in_days(7)}, headers=headers
    )
    assert created.status_code == 201, created.text
    round_id: str = created.json()["id"]
    assert (await client.post(f"/v1/rounds/{round_id}/open", headers=headers)).status_code == 200
    return round_id


async def test_questions_come_in_the_header_language_else_the_directory_locale(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str], tokens: Tokens
) -> None:
    instrument = await maturity(session)
    team = await create_team(session)
    (member,) = await create_members(session, team, 1)
    member.locale = "sv"
    await session.flush()
    swedish = await session.get(InstrumentTranslation, (instrument.id, "sv"))
    assert swedish is not None
    round_id = await open_round(
        client, as_admin, {"instrument_id": str(instrument.id), "team_id": str(team.id)}
    )
    headers = tokens.person(member.email)

    by_directory = await client.get(f"/v1/rounds/{round_id}/questions", headers=headers)
    by_header = await client.get(
        f"/v1/rounds/{round_id}/questions", headers=headers | {"Accept-Language": "en"}
    )

    assert by_directory.status_code == 200, by_directory.text
    assert by_directory.headers["content-language"] == "sv"
    assert by_directory.json()["language"] == {
        "requested": "sv",
        "served": "sv",
        "fallback": False,
        "untranslated": [],
    }
    texts = [q["text"] for q in by_directory.json()["questions"]]
    assert texts == [swedish.texts["questions"][str(n)] for n in range(1, len(texts) + 1)]
    assert by_header.headers["content-language"] == "en"
    english = by_header.json()
    assert [q["id"] for q in english["questions"]] == [
        q["id"] for q in by_directory.json()["questions"]
    ]
    assert english["questions"][0]["text"] != texts[0]


async def test_a_language_without_translation_falls_back_to_english_and_says_so(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str], tokens: Tokens
) -> None:
    instrument = await maturity(session)
    team = await create_team(session)
    (member,) = await create_members(session, team, 1)
    round_id = await open_round(
        client, as_admin, {"instrument_id": str(instrument.id), "team_id": str(team.id)}
    )

    response = await client.get(
        f"/v1/rounds/{round_id}/questions",
        headers=tokens.person(member.email) | {"Accept-Language": "de"},
    )

    assert response.headers["content-language"] == "en"
    assert response.json()["language"] == {
        "requested": "de",
        "served": "en",
        "fallback": True,
        "untranslated": [],
    }


async def test_only_the_people_asked_read_a_rounds_questions(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str], tokens: Tokens
) -> None:
    instrument = await maturity(session)
    team = await create_team(session)
    await create_members(session, team, 1)
    outsider = await create_person(session)
    round_id = await open_round(
        client, as_admin, {"instrument_id": str(instrument.id), "team_id": str(team.id)}
    )

    response = await client.get(
        f"/v1/rounds/{round_id}/questions", headers=tokens.person(outsider.email)
    )

    assert (response.status_code, response.json()["code"]) == (404, "round_not_found")


async def test_my_part_in_several_rounds_comes_in_one_read_of_those_i_am_asked_in(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str], tokens: Tokens
) -> None:
    instrument = await maturity(session)
    team = await create_team(session)
    (member,) = await create_members(session, team, 1)
    mine = [
        await open_round(
            client, as_admin, {"instrument_id": str(instrument.id), "team_id": str(team.id)}
        )
        for _ in range(2)
    ]
    other = await open_round(
        client,
        as_admin,
        {"instrument_id": str(instrument.id), "team_id": str((await create_team(session)).id)},
    )
    headers = tokens.person(member.email)
    questions = (await client.get(f"/v1/rounds/{mine[1]}/questions", headers=headers)).json()
    first = {"question_id": questions["questions"][0]["id"], "value": 4}
    saved = await client.put(
        f"/v1/rounds/{mine[1]}/my-response", json={"answers": [first]}, headers=headers
    )
    assert saved.status_code == 200, saved.text

    response = await client.get(
        f"/v1/my-responses?id={mine[1]}&id={other}&id={mine[0]}", headers=headers
    )
    integration = await client.get(
        f"/v1/my-responses?id={mine[0]}", headers=tokens.integration("assessment:read")
    )

    assert response.status_code == 200, response.text
    assert [(p["round_id"], p["status"], p["answers"]) for p in response.json()["items"]] == [
        (mine[1], "saved", [first | {"comment": None}]),
        (mine[0], "invited", []),
    ]
    assert integration.status_code == 403
