"""Creating subscriptions: a secret shown once and stored encrypted, https endpoints, event
types checked against the services' catalogues, an integration's scopes and the OKR rule; and
an integration seeing its own alone."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.errors import PROBLEM_JSON
from kit.models import utcnow
from services.webhooks.models import Subscription
from services.webhooks.vault import signing_secrets
from tests.factories import count_rows
from tests.support import problem_fields
from tests.webhooks.support import ENDPOINT, create, integration, key_of, stored


def new_subscription(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "url": ENDPOINT,
        "description": "Sync people to the HRIS",
        "event_types": ["people.*", "feedback.given"],
    }
    return body | overrides


# --- Creating ---------------------------------------------------------------------------------


async def test_a_subscription_is_created_with_its_secret_shown_once(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, as_admin: dict[str, str]
) -> None:
    response = await client.post("/v1/subscriptions", json=new_subscription(), headers=as_admin)

    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["Location"] == f"/v1/subscriptions/{created['id']}"
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Cache-Control"] == "no-store"
    assert {k: created[k] for k in ("url", "event_types", "enabled", "owner", "version")} == {
        "url": ENDPOINT,
        "event_types": ["people.*", "feedback.given"],
        "enabled": True,
        "owner": "hr_admin",
        "version": 1,
    }
    key = key_of(created["secret"])
    assert len(key) == 24
    row = await stored(session, created["id"])
    assert created["secret"] not in row.secret
    assert base64.b64encode(key).decode() not in row.secret
    assert signing_secrets(row, utcnow(), app.state.webhooks.vault) == [key]

    read = await client.get(f"/v1/subscriptions/{created['id']}", headers=as_admin)
    assert read.status_code == 200
    assert "secret" not in read.json()
    assert read.headers["ETag"] == '"1"'


async def test_secrets_differ_between_subscriptions(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    first = await create(client, as_admin)
    second = await create(client, as_admin)

    assert first["secret"] != second["secret"]


async def test_a_retried_create_with_the_same_key_subscribes_once(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    headers = as_admin | {"Idempotency-Key": "create-hris-1"}
    first = await client.post("/v1/subscriptions", json=new_subscription(), headers=headers)
    again = await client.post("/v1/subscriptions", json=new_subscription(), headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert await count_rows(session, Subscription) == 1


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://hris.example.com/hook", "https_required"),
        ("ftp://hris.example.com/hook", "invalid_url"),
        ("https://user:pass@hris.example.com/hook", "invalid_url"),
        ("https:///hook", "invalid_url"),
        ("hris.example.com/hook", "invalid_url"),
    ],
)
async def test_endpoints_must_be_https(
    client: httpx.AsyncClient, as_admin: dict[str, str], url: str, code: str
) -> None:
    response = await client.post(
        "/v1/subscriptions", json=new_subscription(url=url), headers=as_admin
    )

    assert response.status_code == 422
    assert response.headers["Content-Type"] == PROBLEM_JSON
    assert response.json()["code"] == code
    assert problem_fields(response) == {"body.url"}


async def test_plain_http_is_allowed_only_to_the_hosts_allowed(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    created = await create(client, as_admin, url="http://receiver.test:9000/hook")

    assert created["url"] == "http://receiver.test:9000/hook"


@pytest.mark.parametrize(
    ("event_types", "status", "code"),
    [
        (["person.exploded"], 422, "unknown_event_type"),
        (["payroll.*"], 422, "unknown_event_type"),
        (["objective.*"], 422, "okr_events_by_name"),
        (["Person.Created"], 422, "string_pattern_mismatch"),
        ([], 422, "too_short"),
    ],
)
async def test_event_types_must_be_published_by_a_service(
    client: httpx.AsyncClient,
    as_admin: dict[str, str],
    event_types: list[str],
    status: int,
    code: str,
) -> None:
    response = await client.post(
        "/v1/subscriptions", json=new_subscription(event_types=event_types), headers=as_admin
    )

    assert response.status_code == status, response.text
    assert code in {response.json()["code"], *(e["code"] for e in response.json()["errors"])}


async def test_okr_events_are_chosen_by_name_and_wildcards_are_kept(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    created = await create(
        client,
        as_admin,
        event_types=["goals.*", "objective.created", "key_result.checked_in", "goals.*"],
    )

    assert created["event_types"] == ["goals.*", "objective.created", "key_result.checked_in"]


async def test_a_service_whose_catalogue_cannot_be_read_answers_503(
    webhooks_app: Any, source_apps: dict[str, FastAPI], as_admin: dict[str, str]
) -> None:
    without_goals = {name: app for name, app in source_apps.items() if name != "goals"}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=webhooks_app(sources=without_goals)),
        base_url="http://webhooks",
    ) as client:
        okr = await client.post(
            "/v1/subscriptions",
            json=new_subscription(event_types=["objective.created"]),
            headers=as_admin,
        )
        people = await client.post(
            "/v1/subscriptions", json=new_subscription(event_types=["person.*"]), headers=as_admin
        )

    assert okr.status_code == 503
    assert okr.json()["code"] == "event_catalogue_unavailable"
    assert people.status_code == 201


# --- Integrations -----------------------------------------------------------------------------


async def test_an_integration_subscribes_to_what_its_scopes_read(
    client: httpx.AsyncClient, as_integration: dict[str, str], session: AsyncSession
) -> None:
    created = await create(client, as_integration, event_types=["person.*", "feedback.given"])

    assert created["owner"] == "integration:hris"
    row = await stored(session, created["id"])
    assert row.owner_scopes == sorted(
        ["webhooks:write", "webhooks:read", "people:read", "feedback:read"]
    )


@pytest.mark.parametrize(
    "event_types", [["goals.*"], ["objective.created"], ["instrument.updated"]]
)
async def test_an_integration_is_refused_types_beyond_its_scopes(
    client: httpx.AsyncClient, as_integration: dict[str, str], event_types: list[str]
) -> None:
    response = await client.post(
        "/v1/subscriptions", json=new_subscription(event_types=event_types), headers=as_integration
    )

    assert response.status_code == 403
    problem = response.json()
    assert problem["code"] == "event_type_not_permitted"
    assert problem_fields(response) == {"body.event_types.0"}
    assert ":read" in problem["detail"]


async def test_an_integration_sees_only_its_own_subscriptions(
    client: httpx.AsyncClient,
    as_admin: dict[str, str],
    as_integration: dict[str, str],
) -> None:
    admins = await create(client, as_admin)
    own = await create(client, as_integration, event_types=["person.created"])
    others = await create(client, integration("payroll"), event_types=["person.created"])

    listed = await client.get("/v1/subscriptions", headers=as_integration)
    all_listed = await client.get("/v1/subscriptions", headers=as_admin)

    assert [s["id"] for s in listed.json()["items"]] == [own["id"]]
    assert [s["id"] for s in all_listed.json()["items"]] == [admins["id"], own["id"], others["id"]]
    for hidden_id in (admins["id"], others["id"]):
        hidden = await client.get(f"/v1/subscriptions/{hidden_id}", headers=as_integration)
        assert hidden.status_code == 404
        assert hidden.json()["code"] == "subscription_not_found"
