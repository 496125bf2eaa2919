"""What an instrument holds beyond its questions (level thresholds, comment items, texts in
other locales), and moving whole instruments between installations: export, import."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.models import Instrument, InstrumentTranslation, Question
from tests.assessment.factories import create_instrument, unknown_id
from tests.factories import count_rows
from tests.support import Outbox, Tokens, problem_fields

BUILT_IN = 4


def pulse(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "key": "pulse",
        "name": "Weekly pulse",
        "description": "Two questions and a comment.",
        "edition": "3",
        "areas": [{"key": "energy", "name": "Energy"}, {"key": "focus", "name": "Focus"}],
        "scale": {
            "min": 1,
            "max": 5,
            "labels": [{"value": 1, "label": "Never"}, {"value": 5, "label": "Always"}],
        },
        "level_thresholds": [2, 2.75, 3.5, 4.25],
        "questions": [
            {"area": "energy", "text": "I end most days drained.", "reverse_scored": True},
            {"area": "focus", "text": "I can focus on what matters."},
            {"area": "focus", "text": "What gets in your way?", "kind": "comment"},
        ],
        "translations": {
            "sv": {
                "name": "Veckopuls",
                "description": "Två frågor och en kommentar.",
                "areas": {"energy": "Energi", "focus": "Fokus"},
                "scale_labels": {"1": "Aldrig", "5": "Alltid"},
                "questions": {
                    "1": "Jag är slutkörd i slutet av de flesta dagar.",
                    "2": "Jag kan fokusera på det som är viktigt.",
                    "3": "Vad står i vägen för dig?",
                },
            },
            "de": {"name": "Wochenpuls"},
        },
    }
    return body | overrides


async def export(client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> Any:
    response = await client.get(f"{url}/export", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


# --- Thresholds and kinds ---------------------------------------------------------------------


async def test_thresholds_and_kinds_are_kept_and_read(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    created = await client.post("/v1/instruments", json=pulse(), headers=as_admin)

    assert created.status_code == 201, created.text
    instrument = created.json()
    assert instrument["level_thresholds"] == [2.0, 2.75, 3.5, 4.25]
    assert [(q["kind"], q["reverse_scored"]) for q in instrument["questions"]] == [
        ("rating", True),
        ("rating", False),
        ("comment", False),
    ]
    assert instrument["locales"] == ["en", "de", "sv"]


async def test_the_built_in_instruments_use_the_equal_bins(
    client: httpx.AsyncClient, as_employee: dict[str, str]
) -> None:
    response = await client.get("/v1/instruments", headers=as_employee)

    assert {tuple(i["level_thresholds"]) for i in response.json()["items"]} == {
        (1.8, 2.6, 3.4, 4.2)
    }
    assert {q["kind"] for i in response.json()["items"] for q in i["questions"]} == {"rating"}


async def test_thresholds_default_to_the_equal_bins(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    body = pulse()
    del body["level_thresholds"]

    created = await client.post("/v1/instruments", json=body, headers=as_admin)

    assert created.json()["level_thresholds"] == [1.8, 2.6, 3.4, 4.2]


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        (
            {"level_thresholds": [1.8, 2.6, 3.4]},
            "invalid_level_thresholds",
            "body.level_thresholds",
        ),
        (
            {"level_thresholds": [1, 2.6, 3.4, 4.2]},
            "invalid_level_thresholds",
            "body.level_thresholds",
        ),
        (
            {"level_thresholds": [1.8, 2.6, 3.4, 5]},
            "invalid_level_thresholds",
            "body.level_thresholds",
        ),
        (
            {"level_thresholds": [1.8, 3.4, 2.6, 4.2]},
            "invalid_level_thresholds",
            "body.level_thresholds",
        ),
        (
            {"level_thresholds": [1.8, 2.6, 2.6, 4.2]},
            "invalid_level_thresholds",
            "body.level_thresholds",
        ),
        (
            {
                "questions": [
                    {
                        "area": "focus",
                        "text": "Say more.",
                        "kind": "comment",
                        "reverse_scored": True,
                    }
                ]
            },
            "comment_not_scored",
            "body.questions.0.reverse_scored",
        ),
        (
            {
                "questions": [{"area": "focus", "text": "Say more.", "kind": "comment"}],
                "translations": {},
            },
            "no_rating_question",
            "body.questions",
        ),
        (
            {"translations": {"en": {"name": "Pulse"}}},
            "english_translation",
            "body.translations.en",
        ),
        (
            {"translations": {"en-GB": {"name": "Pulse"}}},
            "english_translation",
            "body.translations.en-GB",
        ),
        (
            {"translations": {"sv": {"areas": {"mood": "Humör"}}}},
            "unknown_area",
            "body.translations.sv.areas.mood",
        ),
        (
            {"translations": {"sv": {"scale_labels": {"3": "Ibland"}}}},
            "invalid_scale_label",
            "body.translations.sv.scale_labels.3",
        ),
        (
            {"translations": {"sv": {"questions": {"4": "En fjärde fråga?"}}}},
            "unknown_question",
            "body.translations.sv.questions.4",
        ),
    ],
)
async def test_an_instrument_that_does_not_hold_together_is_422(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    change: dict[str, Any],
    code: str,
    field: str,
) -> None:
    response = await client.post("/v1/instruments", json=pulse() | change, headers=as_admin)

    assert response.status_code == 422
    assert response.json()["code"] == code
    assert problem_fields(response) == {field}
    assert await count_rows(session, Instrument) == BUILT_IN


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"level_thresholds": ["1.8", 2.6, 3.4, 4.2]}, "body.level_thresholds.0"),
        ({"level_thresholds": [1.875, 2.6, 3.4, 4.2]}, "body.level_thresholds.0"),
        ({"level_thresholds": [True, 2.6, 3.4, 4.2]}, "body.level_thresholds.0"),
        ({"level_thresholds": None}, "body.level_thresholds"),
        (
            {"questions": [{"area": "focus", "text": "Hm.", "kind": "essay"}]},
            "body.questions.0.kind",
        ),
        ({"translations": {"Swedish": {}}}, "body.translations.Swedish.[key]"),
        (
            {"translations": {"sv": {"questions": {"one": "En"}}}},
            "body.translations.sv.questions.one.[key]",
        ),
        ({"translations": {"sv": {"title": "Puls"}}}, "body.translations.sv.title"),
    ],
)
async def test_each_bad_field_is_422(
    client: httpx.AsyncClient, as_admin: dict[str, str], change: dict[str, Any], field: str
) -> None:
    response = await client.post("/v1/instruments", json=pulse() | change, headers=as_admin)

    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert problem_fields(response) == {field}


# --- Export and import ------------------------------------------------------------------------


async def test_an_export_holds_the_whole_instrument(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    created = await client.post("/v1/instruments", json=pulse(), headers=as_admin)

    document = await export(client, created.headers["location"], as_admin)

    sent = pulse()
    sent["questions"] = [
        {"kind": "rating", "reverse_scored": False} | question for question in sent["questions"]
    ]
    sent["level_thresholds"] = [2.0, 2.75, 3.5, 4.25]
    sent["translations"]["de"] |= {
        "description": None,
        "areas": {},
        "scale_labels": {},
        "questions": {},
    }
    assert document == {"format": "inspire.instrument/1", "active": True} | sent


async def test_an_export_imports_again_under_a_new_key_with_equal_content(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, as_admin: dict[str, str]
) -> None:
    maturity = (
        await client.get("/v1/instruments", params={"key": "maturity"}, headers=as_admin)
    ).json()["items"][0]
    original = await export(client, f"/v1/instruments/{maturity['id']}", as_admin)

    imported = await client.post(
        "/v1/instruments/import", json=original | {"key": "maturity_copy"}, headers=as_admin
    )

    assert imported.status_code == 201
    assert imported.headers["location"] == f"/v1/instruments/{imported.json()['id']}"
    assert imported.json()["built_in"] is False
    again = await export(client, imported.headers["location"], as_admin)
    assert again == original | {"key": "maturity_copy"}
    assert len(again["questions"]) == 18
    assert set(again["translations"]) == {"sv"}
    assert len(again["translations"]["sv"]["questions"]) == 18
    # In Swedish too, the copy reads as the original does.
    swedish = {"Accept-Language": "sv"}
    copy = await client.get(imported.headers["location"], headers=as_admin | swedish)
    first = await client.get(f"/v1/instruments/{maturity['id']}", headers=as_admin | swedish)
    assert [q["text"] for q in copy.json()["questions"]] == [
        q["text"] for q in first.json()["questions"]
    ]
    assert copy.json()["name"] == first.json()["name"] == "Organisatorisk mognad"
    assert await outbox.types() == ["instrument.created"]


async def test_an_import_under_a_key_in_use_is_409(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    created = await client.post("/v1/instruments", json=pulse(), headers=as_admin)
    document = await export(client, created.headers["location"], as_admin)
    before = (await count_rows(session, Instrument), await count_rows(session, Question))

    response = await client.post("/v1/instruments/import", json=document, headers=as_admin)

    assert response.status_code == 409
    assert response.json()["code"] == "instrument_key_taken"
    assert problem_fields(response) == {"body.key"}
    assert (await count_rows(session, Instrument), await count_rows(session, Question)) == before


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"format": "inspire.instrument/2"}, "validation_failed", "body.format"),
        ({"format": None}, "validation_failed", "body.format"),
        ({"questions": []}, "validation_failed", "body.questions"),
        (
            {"level_thresholds": [4.2, 3.4, 2.6, 1.8]},
            "invalid_level_thresholds",
            "body.level_thresholds",
        ),
        (
            {"translations": {"sv": {"questions": {"9": "Nio?"}}}},
            "unknown_question",
            "body.translations.sv.questions.9",
        ),
    ],
)
async def test_an_import_is_checked_as_a_new_instrument_is(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    change: dict[str, Any],
    code: str,
    field: str,
) -> None:
    document = {"format": "inspire.instrument/1"} | pulse() | change

    response = await client.post("/v1/instruments/import", json=document, headers=as_admin)

    assert response.status_code == 422
    assert response.json()["code"] == code
    assert problem_fields(response) == {field}
    assert await count_rows(session, InstrumentTranslation) == BUILT_IN


async def test_an_import_without_its_format_is_422(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    response = await client.post("/v1/instruments/import", json=pulse(), headers=as_admin)

    assert response.status_code == 422
    assert problem_fields(response) == {"body.format"}


async def test_a_retried_import_is_replayed_not_repeated(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    headers = as_admin | {"Idempotency-Key": "pulse-import-1"}
    document = {"format": "inspire.instrument/1"} | pulse()

    first = await client.post("/v1/instruments/import", json=document, headers=headers)
    again = await client.post("/v1/instruments/import", json=document, headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["idempotent-replayed"] == "true"
    assert await count_rows(session, Instrument) == BUILT_IN + 1


async def test_import_takes_only_post(client: httpx.AsyncClient, as_admin: dict[str, str]) -> None:
    response = await client.get("/v1/instruments/import", headers=as_admin)

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


async def test_an_unknown_instrument_exports_as_404(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    response = await client.get(f"/v1/instruments/{unknown_id()}/export", headers=as_admin)

    assert response.status_code == 404
    assert response.json()["code"] == "instrument_not_found"


async def test_only_hr_admins_export_and_import(
    client: httpx.AsyncClient,
    session: AsyncSession,
    tokens: Tokens,
    as_admin: dict[str, str],
    as_employee: dict[str, str],
) -> None:
    instrument = await create_instrument(session)
    url = f"/v1/instruments/{instrument.id}/export"
    document = await export(client, f"/v1/instruments/{instrument.id}", as_admin)
    others = [as_employee, tokens.integration("assessment:read"), tokens.service("gateway")]

    exports = [(await client.get(url, headers=headers)).status_code for headers in others]
    imports = [
        (
            await client.post(
                "/v1/instruments/import", json=document | {"key": "other"}, headers=headers
            )
        ).status_code
        for headers in others
    ]

    assert exports == [403, 403, 403]
    assert imports == [403, 403, 403]
    assert await count_rows(session, Instrument) == BUILT_IN + 1


async def test_questions_stay_as_written_whatever_is_imported(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    created = await client.post("/v1/instruments", json=pulse(), headers=as_admin)
    document = await export(client, created.headers["location"], as_admin)
    document["questions"][0]["text"] = "Changed."

    await client.post(
        "/v1/instruments/import", json=document | {"key": "pulse_2"}, headers=as_admin
    )
    refused = await client.patch(
        created.headers["location"],
        json={"questions": []},
        headers=as_admin | {"If-Match": '"1"'},
    )

    assert refused.status_code == 422
    original = await client.get(created.headers["location"], headers=as_admin)
    assert original.json()["questions"][0]["text"] == "I end most days drained."
