"""The instruments API as its callers see it: the built-in question banks, adding and changing
instruments, status codes, headers, events."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.errors import PROBLEM_JSON
from services.assessment.models import Instrument
from tests.assessment.factories import create_instrument, unknown_id
from tests.factories import count_rows
from tests.support import Outbox, Tokens, operations, problem_fields

BUILT_IN = ["maturity", "trust", "needs", "psych_safety"]
AGREEMENT = [
    {"value": 1, "label": "Strongly disagree"},
    {"value": 2, "label": "Disagree"},
    {"value": 3, "label": "Neither agree nor disagree"},
    {"value": 4, "label": "Agree"},
    {"value": 5, "label": "Strongly agree"},
]


def new_instrument(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "key": "engagement",
        "name": "Engagement check",
        "description": "A licensed engagement survey.",
        "edition": "2024.1",
        "areas": [{"key": "energy", "name": "Energy"}, {"key": "pride", "name": "Pride"}],
        "scale": {"min": 0, "max": 10, "labels": [{"value": 10, "label": "Very"}]},
        "questions": [
            {"area": "pride", "text": "I am proud of what we make."},
            {"area": "energy", "text": "I end most days drained.", "reverse_scored": True},
        ],
    }
    return body | overrides


def keys(response: httpx.Response) -> list[str]:
    return [instrument["key"] for instrument in response.json()["items"]]


# --- The built-in instruments ----------------------------------------------------------------


async def test_four_instruments_are_built_in(
    client: httpx.AsyncClient, as_employee: dict[str, str]
) -> None:
    response = await client.get("/v1/instruments", headers=as_employee)

    assert response.status_code == 200
    instruments = response.json()["items"]
    assert keys(response) == BUILT_IN
    assert [(i["built_in"], i["active"], i["scale"]) for i in instruments] == [
        (True, True, {"min": 1, "max": 5, "labels": AGREEMENT})
    ] * 4
    areas = {i["key"]: [area["key"] for area in i["areas"]] for i in instruments}
    assert areas == {
        "maturity": ["culture", "relationships", "individuals", "strategy", "systems", "resources"],
        "trust": ["credibility", "reliability", "intimacy", "self_orientation"],
        "needs": ["autonomy", "relatedness", "competence"],
        "psych_safety": ["psychological_safety"],
    }


async def test_each_built_in_area_is_asked_about_in_order(
    client: httpx.AsyncClient, as_employee: dict[str, str]
) -> None:
    instruments = (await client.get("/v1/instruments", headers=as_employee)).json()["items"]

    for instrument in instruments:
        questions = instrument["questions"]
        asked = {question["area"] for question in questions}
        assert asked == {area["key"] for area in instrument["areas"]}
        assert [q["position"] for q in questions] == list(range(1, len(questions) + 1))
        assert any(q["reverse_scored"] for q in questions)
        assert len({q["text"] for q in questions}) == len(questions)
    maturity = instruments[0]["questions"]
    per_area = {area: [q["area"] for q in maturity].count(area) for area in {"culture", "systems"}}
    assert per_area == {"culture": 3, "systems": 3}


async def test_an_instrument_reads_with_its_questions_and_etag(
    client: httpx.AsyncClient, as_employee: dict[str, str]
) -> None:
    trust_id = (
        await client.get("/v1/instruments", params={"key": "trust"}, headers=as_employee)
    ).json()["items"][0]["id"]

    response = await client.get(f"/v1/instruments/{trust_id}", headers=as_employee)

    assert response.status_code == 200
    assert response.headers["etag"] == '"1"'
    trust = response.json()
    assert (trust["key"], trust["name"], trust["edition"]) == ("trust", "Leader trust", "1")
    assert trust["questions"][0] == {
        "id": trust["questions"][0]["id"],
        "area": "credibility",
        "text": "My leader knows our field well.",
        "kind": "rating",
        "reverse_scored": False,
        "position": 1,
    }
    assert len(trust["questions"]) == 12


async def test_an_unknown_instrument_is_404(
    client: httpx.AsyncClient, as_employee: dict[str, str]
) -> None:
    response = await client.get(f"/v1/instruments/{unknown_id()}", headers=as_employee)

    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["code"] == "instrument_not_found"


# --- Who may call ----------------------------------------------------------------------------


async def test_an_employee_reads_but_may_not_write(
    client: httpx.AsyncClient, session: AsyncSession, as_employee: dict[str, str]
) -> None:
    instrument = await create_instrument(session)

    created = await client.post("/v1/instruments", json=new_instrument(), headers=as_employee)
    updated = await client.patch(
        f"/v1/instruments/{instrument.id}",
        json={"active": False},
        headers=as_employee | {"If-Match": '"1"'},
    )

    assert (created.status_code, updated.status_code) == (403, 403)
    assert created.json()["code"] == "forbidden"
    assert await count_rows(session, Instrument) == len(BUILT_IN) + 1


@pytest.mark.parametrize(
    ("scopes", "read_status"),
    [((), 403), (("people:read",), 403), (("assessment:read",), 200)],
)
async def test_an_integration_reads_with_the_read_scope_and_never_writes(
    client: httpx.AsyncClient, tokens: Tokens, scopes: tuple[str, ...], read_status: int
) -> None:
    headers = tokens.integration(*scopes)

    read = await client.get("/v1/instruments", headers=headers)
    write = await client.post("/v1/instruments", json=new_instrument(), headers=headers)

    assert (read.status_code, write.status_code) == (read_status, 403)


async def test_our_services_read_but_do_not_write(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    read = await client.get("/v1/instruments", headers=tokens.service("gateway"))
    write = await client.post(
        "/v1/instruments", json=new_instrument(), headers=tokens.service("gateway")
    )

    assert (read.status_code, write.status_code) == (200, 403)


async def test_without_a_token_the_answer_is_401_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/instruments")

    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json()["code"] == "missing_token"


# --- Adding instruments ----------------------------------------------------------------------


async def test_an_hr_admin_adds_a_licensed_instrument(
    client: httpx.AsyncClient, outbox: Outbox, as_admin: dict[str, str]
) -> None:
    created = await client.post("/v1/instruments", json=new_instrument(), headers=as_admin)

    assert created.status_code == 201
    instrument = created.json()
    assert created.headers["location"] == f"/v1/instruments/{instrument['id']}"
    assert created.headers["etag"] == '"1"'
    assert {key: instrument[key] for key in ("key", "edition", "active", "built_in")} == {
        "key": "engagement",
        "edition": "2024.1",
        "active": True,
        "built_in": False,
    }
    assert instrument["scale"] == {"min": 0, "max": 10, "labels": [{"value": 10, "label": "Very"}]}
    assert [
        (q["position"], q["area"], q["text"], q["reverse_scored"]) for q in instrument["questions"]
    ] == [
        (1, "pride", "I am proud of what we make.", False),
        (2, "energy", "I end most days drained.", True),
    ]
    read = await client.get(created.headers["location"], headers=as_admin)
    assert read.json() == instrument
    assert await outbox.events() == [
        (
            "instrument.created",
            {
                "id": instrument["id"],
                "key": "engagement",
                "name": "Engagement check",
                "edition": "2024.1",
                "active": True,
                "area_keys": ["energy", "pride"],
                "question_count": 2,
            },
        )
    ]


@pytest.mark.parametrize("key", ["maturity", "engagement"])
async def test_a_key_is_taken_once(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str], key: str
) -> None:
    await create_instrument(session, key="engagement")
    before = await count_rows(session, Instrument)

    response = await client.post("/v1/instruments", json=new_instrument(key=key), headers=as_admin)

    assert response.status_code == 409
    assert response.json()["code"] == "instrument_key_taken"
    assert problem_fields(response) == {"body.key"}
    assert await count_rows(session, Instrument) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"questions": []}, "body.questions"),
        ({"areas": []}, "body.areas"),
        ({"key": "Engagement!"}, "body.key"),
        ({"name": " "}, "body.name"),
        ({"scale": {"min": 1, "max": "5"}}, "body.scale.max"),
        ({"scale": {"min": 1, "max": 101}}, "body.scale.max"),
        ({"questions": [{"area": "pride", "text": "x" * 501}]}, "body.questions.0.text"),
        (
            {"questions": [{"area": "pride", "text": "Fine.", "reverse_scored": "yes"}]},
            "body.questions.0.reverse_scored",
        ),
        (
            {"questions": [{"area": "pride", "text": "Fine.", "position": 3}]},
            "body.questions.0.position",
        ),
        ({"owner": "hr"}, "body.owner"),
    ],
)
async def test_each_bad_field_is_422(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    change: dict[str, Any],
    field: str,
) -> None:
    response = await client.post(
        "/v1/instruments", json=new_instrument() | change, headers=as_admin
    )

    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert problem_fields(response) == {field}
    assert await count_rows(session, Instrument) == len(BUILT_IN)


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"scale": {"min": 5, "max": 5}}, "invalid_scale", "body.scale.max"),
        ({"scale": {"min": 5, "max": 1}}, "invalid_scale", "body.scale.max"),
        (
            {"scale": {"min": 1, "max": 5, "labels": [{"value": 6, "label": "Off"}]}},
            "invalid_scale_label",
            "body.scale.labels.0.value",
        ),
        (
            {
                "scale": {
                    "min": 1,
                    "max": 5,
                    "labels": [{"value": 1, "label": "Low"}, {"value": 1, "label": "Lower"}],
                }
            },
            "invalid_scale_label",
            "body.scale.labels.1.value",
        ),
        (
            {"areas": [{"key": "pride", "name": "Pride"}, {"key": "pride", "name": "Proud"}]},
            "duplicate_area",
            "body.areas.1.key",
        ),
        (
            {"questions": [{"area": "pride", "text": "Fine."}, {"area": "mood", "text": "Ok."}]},
            "unknown_area",
            "body.questions.1.area",
        ),
    ],
)
async def test_an_instrument_must_hold_together(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    change: dict[str, Any],
    code: str,
    field: str,
) -> None:
    response = await client.post(
        "/v1/instruments", json=new_instrument() | change, headers=as_admin
    )

    assert response.status_code == 422
    assert response.json()["code"] == code
    assert problem_fields(response) == {field}
    assert await count_rows(session, Instrument) == len(BUILT_IN)


async def test_a_retried_creation_is_replayed_not_repeated(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, as_admin: dict[str, str]
) -> None:
    headers = as_admin | {"Idempotency-Key": "engagement-1"}

    first = await client.post("/v1/instruments", json=new_instrument(), headers=headers)
    again = await client.post("/v1/instruments", json=new_instrument(), headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert await count_rows(session, Instrument) == len(BUILT_IN) + 1
    assert await outbox.types() == ["instrument.created"]


# --- Changing instruments --------------------------------------------------------------------


async def test_an_update_needs_the_current_etag(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, as_admin: dict[str, str]
) -> None:
    instrument = await create_instrument(session, name="Old name", description="Kept")
    url = f"/v1/instruments/{instrument.id}"
    etag = (await client.get(url, headers=as_admin)).headers["etag"]

    missing = await client.patch(url, json={"active": False}, headers=as_admin)
    updated = await client.patch(
        url, json={"name": "New name", "active": False}, headers=as_admin | {"If-Match": etag}
    )
    stale = await client.patch(url, json={"name": "Other"}, headers=as_admin | {"If-Match": etag})

    assert missing.status_code == 428
    assert missing.json()["code"] == "if_match_required"
    assert updated.status_code == 200
    body = updated.json()
    assert (body["name"], body["description"], body["active"], body["version"]) == (
        "New name",
        "Kept",
        False,
        2,
    )
    assert len(body["questions"]) == 2
    assert updated.headers["etag"] == '"2"'
    assert stale.status_code == 412
    assert stale.json()["code"] == "stale_version"
    assert await outbox.events() == [
        (
            "instrument.updated",
            {
                "id": str(instrument.id),
                "key": instrument.key,
                "name": "New name",
                "description": "Kept",
                "active": False,
                "changed": ["active", "name"],
            },
        )
    ]


async def test_a_built_in_instrument_may_be_retired(
    client: httpx.AsyncClient, as_admin: dict[str, str], as_employee: dict[str, str]
) -> None:
    needs = (await client.get("/v1/instruments", params={"key": "needs"}, headers=as_admin)).json()[
        "items"
    ][0]

    retired = await client.patch(
        f"/v1/instruments/{needs['id']}",
        json={"active": False},
        headers=as_admin | {"If-Match": '"1"'},
    )
    active = await client.get("/v1/instruments", params={"active": "true"}, headers=as_employee)
    inactive = await client.get("/v1/instruments", params={"active": "false"}, headers=as_employee)

    assert retired.status_code == 200
    assert keys(active) == ["maturity", "trust", "psych_safety"]
    assert keys(inactive) == ["needs"]


async def test_an_update_that_changes_nothing_keeps_the_version(
    client: httpx.AsyncClient, session: AsyncSession, outbox: Outbox, as_admin: dict[str, str]
) -> None:
    instrument = await create_instrument(session, name="Same")

    response = await client.patch(
        f"/v1/instruments/{instrument.id}",
        json={"name": "Same", "active": True},
        headers=as_admin | {"If-Match": '"1"'},
    )

    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert await outbox.events() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": None}, "body.name"),
        ({"active": None}, "body.active"),
        ({"active": "no"}, "body.active"),
        ({"questions": []}, "body.questions"),
        ({"key": "renamed"}, "body.key"),
    ],
)
async def test_what_an_update_may_not_do_is_422(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    body: dict[str, Any],
    field: str,
) -> None:
    instrument = await create_instrument(session)

    response = await client.patch(
        f"/v1/instruments/{instrument.id}", json=body, headers=as_admin | {"If-Match": '"1"'}
    )

    assert response.status_code == 422
    assert problem_fields(response) == {field}


async def test_a_description_is_cleared_with_null(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    instrument = await create_instrument(session, description="Soon gone")

    response = await client.patch(
        f"/v1/instruments/{instrument.id}",
        json={"description": None},
        headers=as_admin | {"If-Match": '"1"'},
    )

    assert response.status_code == 200
    assert response.json()["description"] is None


async def test_an_update_of_an_unknown_instrument_is_404(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    response = await client.patch(
        f"/v1/instruments/{unknown_id()}",
        json={"active": False},
        headers=as_admin | {"If-Match": '"1"'},
    )

    assert response.status_code == 404
    assert response.json()["code"] == "instrument_not_found"


# --- Lists and batch reads -------------------------------------------------------------------


async def test_pages_cover_every_instrument_once(
    client: httpx.AsyncClient, session: AsyncSession, as_employee: dict[str, str]
) -> None:
    added = [(await create_instrument(session)).key for _ in range(7)]

    seen: list[str] = []
    pages = 0
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = await client.get("/v1/instruments", params=params, headers=as_employee)
        seen += keys(page)
        pages += 1
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break

    assert seen == BUILT_IN + added
    assert pages == 4


async def test_a_batch_read_returns_the_instruments_asked_for(
    client: httpx.AsyncClient, session: AsyncSession, as_employee: dict[str, str]
) -> None:
    first, _, third = [await create_instrument(session, questions=3) for _ in range(3)]

    response = await client.get(
        "/v1/instruments",
        params={"id": [str(third.id), str(unknown_id()), str(first.id)]},
        headers=as_employee,
    )

    assert response.status_code == 200
    assert [i["id"] for i in response.json()["items"]] == [str(third.id), str(first.id)]
    assert [len(i["questions"]) for i in response.json()["items"]] == [3, 3]
    assert response.json()["next_cursor"] is None


async def test_a_batch_of_more_than_100_ids_is_422(
    client: httpx.AsyncClient, as_employee: dict[str, str]
) -> None:
    ids = [str(unknown_id()) for _ in range(101)]

    response = await client.get("/v1/instruments", params={"id": ids}, headers=as_employee)

    assert response.status_code == 422
    assert problem_fields(response) == {"query.id"}


# --- Events and the catalogue ----------------------------------------------------------------


async def test_the_event_catalogue_lists_what_the_service_publishes(
    client: httpx.AsyncClient, as_employee: dict[str, str]
) -> None:
    response = await client.get("/v1/event-types", headers=as_employee)

    assert response.status_code == 200
    assert [event["name"] for event in response.json()] == [
        "assessment.report_ready",
        "assessment.round_closed",
        "assessment.round_opened",
        "instrument.created",
        "instrument.updated",
    ]


async def test_the_openapi_document_describes_every_operation(client: httpx.AsyncClient) -> None:
    response = await client.get("/openapi.json")

    found = operations(response.json())
    assert len(found) >= 4
    assert [(path, method) for path, method, op in found if not op.get("description")] == []
