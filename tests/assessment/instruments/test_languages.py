"""The instrument bank in the reader's language: English and Swedish shipped for every
built-in instrument, chosen by `Accept-Language`, else the person's locale in the directory,
else English; what is missing falls back to English and the answer says so."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.assessment.factories import create_person
from tests.support import Tokens

BUILT_IN = ["maturity", "trust", "needs", "psych_safety"]


async def maturity(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> tuple[httpx.Response, dict[str, Any]]:
    found = await client.get("/v1/instruments", params={"key": "maturity"}, headers=headers)
    response = await client.get(
        f"/v1/instruments/{found.json()['items'][0]['id']}", headers=headers
    )
    return response, response.json()


def swedish_instrument() -> dict[str, Any]:
    return {
        "key": "onboarding",
        "name": "Onboarding check",
        "description": "How new people settle in.",
        "areas": [{"key": "welcome", "name": "Welcome"}, {"key": "clarity", "name": "Clarity"}],
        "scale": {
            "min": 1,
            "max": 3,
            "labels": [{"value": 1, "label": "No"}, {"value": 3, "label": "Yes"}],
        },
        "questions": [
            {"area": "welcome", "text": "I felt welcome in my first week."},
            {"area": "clarity", "text": "I know what is expected of me."},
            {"area": "clarity", "text": "What would have helped you most?", "kind": "comment"},
        ],
        # Partly translated: the description, one area, one label and one question are not.
        "translations": {
            "sv": {
                "name": "Introduktionskoll",
                "areas": {"welcome": "Välkomnande"},
                "scale_labels": {"1": "Nej"},
                "questions": {
                    "1": "Jag kände mig välkommen min första vecka.",
                    "3": "Vad hade hjälpt dig mest?",
                },
            }
        },
    }


async def test_every_built_in_instrument_is_shipped_in_english_and_swedish(
    client: httpx.AsyncClient, as_employee: dict[str, str]
) -> None:
    english = (await client.get("/v1/instruments", headers=as_employee)).json()["items"]
    response = await client.get("/v1/instruments", headers=as_employee | {"Accept-Language": "sv"})

    assert response.status_code == 200
    assert response.headers["content-language"] == "sv"
    assert response.headers["vary"] == "Accept-Language"
    swedish = response.json()["items"]
    assert [i["key"] for i in swedish] == BUILT_IN
    for en, sv in zip(english, swedish, strict=True):
        assert sv["locales"] == en["locales"] == ["en", "sv"]
        assert sv["language"] == {
            "requested": "sv",
            "served": "sv",
            "fallback": False,
            "untranslated": [],
        }
        # Every text differs from the English one; keys, ids and scoring stay the same.
        assert sv["name"] != en["name"]
        assert sv["description"] != en["description"]
        assert [a["key"] for a in sv["areas"]] == [a["key"] for a in en["areas"]]
        assert all(s["name"] != e["name"] for s, e in zip(sv["areas"], en["areas"], strict=True))
        assert [label["value"] for label in sv["scale"]["labels"]] == [1, 2, 3, 4, 5]
        assert [q["id"] for q in sv["questions"]] == [q["id"] for q in en["questions"]]
        assert [q["reverse_scored"] for q in sv["questions"]] == [
            q["reverse_scored"] for q in en["questions"]
        ]
        assert all(
            s["text"] != e["text"] for s, e in zip(sv["questions"], en["questions"], strict=True)
        )


async def test_swedish_is_served_when_asked_for(
    client: httpx.AsyncClient, as_employee: dict[str, str]
) -> None:
    response, instrument = await maturity(client, as_employee | {"Accept-Language": "sv"})

    assert response.headers["content-language"] == "sv"
    assert instrument["name"] == "Organisatorisk mognad"
    assert instrument["areas"][0] == {"key": "culture", "name": "Kultur"}
    assert instrument["scale"]["labels"][0] == {"value": 1, "label": "Instämmer inte alls"}
    assert instrument["questions"][1]["text"] == "Misstag ses här som ett tillfälle att lära."


async def test_english_is_served_when_asked_for(
    client: httpx.AsyncClient, as_employee: dict[str, str]
) -> None:
    response, instrument = await maturity(client, as_employee | {"Accept-Language": "en"})

    assert response.headers["content-language"] == "en"
    assert instrument["name"] == "Organisational maturity"
    assert instrument["language"] == {
        "requested": "en",
        "served": "en",
        "fallback": False,
        "untranslated": [],
    }


async def test_weights_choose_between_languages(
    client: httpx.AsyncClient, as_employee: dict[str, str]
) -> None:
    preferred, swedish = await maturity(
        client, as_employee | {"Accept-Language": "sv-SE;q=0.9,en;q=0.8"}
    )
    english_first, english = await maturity(
        client, as_employee | {"Accept-Language": "sv-SE;q=0.5,en;q=0.8"}
    )

    assert (swedish["name"], swedish["language"]["requested"]) == (
        "Organisatorisk mognad",
        "sv-se",
    )
    assert not swedish["language"]["fallback"]
    assert preferred.headers["content-language"] == "sv"
    assert english["name"] == "Organisational maturity"
    assert english_first.headers["content-language"] == "en"


async def test_an_unknown_locale_falls_back_to_english_and_says_so(
    client: httpx.AsyncClient, as_employee: dict[str, str]
) -> None:
    response, instrument = await maturity(client, as_employee | {"Accept-Language": "tlh"})

    assert response.status_code == 200
    assert response.headers["content-language"] == "en"
    assert instrument["name"] == "Organisational maturity"
    assert instrument["language"] == {
        "requested": "tlh",
        "served": "en",
        "fallback": True,
        "untranslated": [],
    }


@pytest.mark.parametrize("header", ["sv_SE;q=oops", ";;;", "sv;q=0"])
async def test_a_header_that_asks_for_nothing_usable_is_english(
    client: httpx.AsyncClient, as_employee: dict[str, str], header: str
) -> None:
    response, instrument = await maturity(client, as_employee | {"Accept-Language": header})

    assert response.status_code == 200
    assert instrument["language"]["served"] == "en"


async def test_without_accept_language_the_directory_locale_chooses(
    client: httpx.AsyncClient, session: AsyncSession, tokens: Tokens, as_employee: dict[str, str]
) -> None:
    sara = await create_person(session, email="sara@example.com", locale="sv")
    as_sara = tokens.person(sara.email)

    _, in_her_locale = await maturity(client, as_sara)
    _, asked_english = await maturity(client, as_sara | {"Accept-Language": "en"})
    _, default = await maturity(client, as_employee)

    assert in_her_locale["name"] == "Organisatorisk mognad"
    assert in_her_locale["language"]["requested"] == "sv"
    assert asked_english["name"] == "Organisational maturity"
    assert default["name"] == "Organisational maturity"
    assert default["language"] == {
        "requested": "en",
        "served": "en",
        "fallback": False,
        "untranslated": [],
    }


async def test_a_caller_outside_the_directory_reads_english(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    response, instrument = await maturity(client, tokens.integration("assessment:read"))

    assert response.status_code == 200
    assert instrument["language"] == {
        "requested": None,
        "served": "en",
        "fallback": False,
        "untranslated": [],
    }


async def test_a_missing_translation_falls_back_to_english_text_by_text(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    created = await client.post("/v1/instruments", json=swedish_instrument(), headers=as_admin)
    assert created.status_code == 201, created.text

    response = await client.get(
        created.headers["location"], headers=as_admin | {"Accept-Language": "sv"}
    )

    assert response.headers["content-language"] == "sv, en"
    instrument = response.json()
    assert instrument["language"] == {
        "requested": "sv",
        "served": "sv",
        "fallback": True,
        "untranslated": ["description", "areas.clarity", "scale_labels.3", "questions.2"],
    }
    assert (instrument["name"], instrument["description"]) == (
        "Introduktionskoll",
        "How new people settle in.",
    )
    assert instrument["areas"] == [
        {"key": "welcome", "name": "Välkomnande"},
        {"key": "clarity", "name": "Clarity"},
    ]
    assert instrument["scale"]["labels"] == [
        {"value": 1, "label": "Nej"},
        {"value": 3, "label": "Yes"},
    ]
    assert [(q["text"], q["kind"]) for q in instrument["questions"]] == [
        ("Jag kände mig välkommen min första vecka.", "rating"),
        ("I know what is expected of me.", "rating"),
        ("Vad hade hjälpt dig mest?", "comment"),
    ]


async def test_a_list_names_every_language_it_serves(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    body = swedish_instrument() | {"translations": {}}
    await client.post("/v1/instruments", json=body, headers=as_admin)

    response = await client.get("/v1/instruments", headers=as_admin | {"Accept-Language": "sv"})

    languages = [i["language"] for i in response.json()["items"]]
    assert [(lang["served"], lang["fallback"]) for lang in languages] == [("sv", False)] * 4 + [
        ("en", True)
    ]
    assert response.headers["content-language"] == "sv, en"
