"""Next steps from the 5-level model, for each level and each weak area of the built-in
instruments, in English and Swedish: as a function the reports call, and over REST."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.instruments.recommendations import recommendations_for
from services.assessment.levels import Level
from tests.assessment.factories import create_instrument, create_person
from tests.support import Tokens, problem_fields


async def test_every_level_and_every_built_in_area_has_steps_in_both_languages(
    client: httpx.AsyncClient, as_employee: dict[str, str]
) -> None:
    instruments = (await client.get("/v1/instruments", headers=as_employee)).json()["items"]

    for instrument in instruments:
        areas = [area["key"] for area in instrument["areas"]]
        for level in Level:
            english = recommendations_for(instrument["key"], level, areas, "en")
            swedish = recommendations_for(instrument["key"], level, areas, "sv")
            assert len(english.next_steps) == len(swedish.next_steps) >= 3
            assert english.looks_like != swedish.looks_like
            assert [a.area for a in english.areas] == [a.area for a in swedish.areas] == areas
            for en, sv in zip(english.areas, swedish.areas, strict=True):
                assert len(en.steps) == len(sv.steps) >= 3, (instrument["key"], en.area)
                assert set(en.steps).isdisjoint(sv.steps)


def test_the_steps_follow_the_level_reached() -> None:
    orderly = recommendations_for("maturity", 3, [], "en")
    collaborative = recommendations_for("maturity", Level.COLLABORATIVE, [], "en")

    assert (orderly.level.value, orderly.level.name, orderly.level.management) == (
        3,
        "Orderly",
        "1.0",
    )
    assert orderly.looks_like == "Command and control: we do what we are told."
    assert orderly.next_steps[0].startswith("Delegate responsibility for outcomes, not tasks")
    assert (collaborative.level.name, collaborative.level.management) == ("Collaborative", "2.0")
    assert set(orderly.next_steps).isdisjoint(collaborative.next_steps)
    assert orderly.areas == []


def test_weak_areas_get_their_own_steps_in_the_order_asked() -> None:
    found = recommendations_for("maturity", 2, ["systems", "culture"], "sv-SE")

    assert found.language.served == "sv"
    assert (found.level.name, found.looks_like) == ("Stagnerande", "Man gör det minsta som krävs.")
    assert [area.area for area in found.areas] == ["systems", "culture"]
    assert found.areas[1].steps[2] == "Tacka den som först lyfter en risk eller ett problem."


def test_an_area_without_advice_has_no_steps_and_an_unknown_locale_is_english() -> None:
    found = recommendations_for("engagement", 1, ["energy"], "fi")

    assert [(area.area, area.steps) for area in found.areas] == [("energy", [])]
    assert found.level.name == "Apathetic"
    assert (found.language.served, found.language.fallback) == ("en", True)


# --- Over REST --------------------------------------------------------------------------------


async def test_a_person_reads_the_steps_for_a_level_and_weak_areas(
    client: httpx.AsyncClient, as_employee: dict[str, str]
) -> None:
    response = await client.get(
        "/v1/recommendations",
        params={"instrument": "trust", "level": 3, "area": ["reliability", "intimacy"]},
        headers=as_employee,
    )

    assert response.status_code == 200
    assert response.headers["content-language"] == "en"
    body = response.json()
    assert body == recommendations_for("trust", 3, ["reliability", "intimacy"], "en").model_dump(
        mode="json"
    ) | {"language": body["language"]}
    # The employee's locale in the directory is English.
    assert body["language"] == {
        "requested": "en",
        "served": "en",
        "fallback": False,
        "untranslated": [],
    }
    assert body["areas"][0]["steps"][0] == (
        "Do what you say you will do, and keep your commitments to the team visible."
    )


async def test_the_steps_come_in_swedish_when_asked_for_or_in_the_directory(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens, as_employee: dict[str, str]
) -> None:
    sara = await create_person(session, email="sara.rec@example.com", locale="sv-SE")
    params: dict[str, str | int] = {
        "instrument": "psych_safety",
        "level": 1,
        "area": "psychological_safety",
    }

    asked = await client.get(
        "/v1/recommendations",
        params=params,
        headers=as_employee | {"Accept-Language": "sv-SE;q=0.9,en;q=0.8"},
    )
    directory = await client.get(
        "/v1/recommendations", params=params, headers=tokens.person(sara.email)
    )

    for response in (asked, directory):
        assert response.status_code == 200
        assert response.headers["content-language"] == "sv"
        assert response.json()["level"]["name"] == "Apatisk"
        assert response.json()["language"]["requested"] == "sv-se"
    assert asked.json()["areas"] == directory.json()["areas"]


async def test_a_customer_instrument_gets_the_level_steps(
    client: httpx.AsyncClient, session: AsyncSession, as_employee: dict[str, str]
) -> None:
    instrument = await create_instrument(session, key="engagement")

    response = await client.get(
        "/v1/recommendations",
        params={"instrument": instrument.key, "level": 4, "area": "focus"},
        headers=as_employee,
    )

    assert response.status_code == 200
    assert response.json()["level"]["name"] == "Collaborative"
    assert response.json()["areas"] == [{"area": "focus", "steps": []}]


@pytest.mark.parametrize(
    ("params", "status", "code", "field"),
    [
        ({"instrument": "unknown", "level": 2}, 404, "instrument_not_found", None),
        (
            {"instrument": "maturity", "level": 2, "area": "focus"},
            422,
            "unknown_area",
            "query.area",
        ),
        ({"instrument": "maturity", "level": 6}, 422, "validation_failed", "query.level"),
        ({"instrument": "maturity", "level": 0}, 422, "validation_failed", "query.level"),
        ({"instrument": "maturity"}, 422, "validation_failed", "query.level"),
        ({"level": 3}, 422, "validation_failed", "query.instrument"),
        (
            {"instrument": "maturity", "level": 3, "team": "x"},
            422,
            "validation_failed",
            "query.team",
        ),
    ],
)
async def test_what_cannot_be_recommended_is_a_clear_problem(
    client: httpx.AsyncClient,
    as_employee: dict[str, str],
    params: dict[str, str | int],
    status: int,
    code: str,
    field: str | None,
) -> None:
    response = await client.get("/v1/recommendations", params=params, headers=as_employee)

    assert response.status_code == status
    assert response.json()["code"] == code
    if field is not None:
        assert problem_fields(response) == {field}


async def test_only_people_signed_in_read_recommendations(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    params: dict[str, str | int] = {"instrument": "maturity", "level": 3}

    anonymous = await client.get("/v1/recommendations", params=params)
    integration = await client.get(
        "/v1/recommendations", params=params, headers=tokens.integration("assessment:read")
    )

    assert (anonymous.status_code, integration.status_code) == (401, 403)
