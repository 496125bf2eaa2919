"""Changing a subscription: PATCH with If-Match, enabling and disabling, rotating its secret
(both secrets sign for 24 hours), deleting it; and who may do each."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.models import utcnow
from services.webhooks.models import Message
from services.webhooks.vault import signing_secrets
from tests.factories import count_rows
from tests.support import Tokens
from tests.webhooks.factories import create_event, create_person, unknown_id
from tests.webhooks.support import create, integration, key_of, stored

# --- PATCH ------------------------------------------------------------------------------------


async def test_a_patch_changes_what_is_sent_with_the_current_etag(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    created = await create(client, as_admin, description="old")
    path = f"/v1/subscriptions/{created['id']}"

    response = await client.patch(
        path,
        json={"event_types": ["team.*", "person.created"], "description": None},
        headers=as_admin | {"If-Match": '"1"'},
    )

    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == '"2"'
    changed = response.json()
    assert (changed["event_types"], changed["description"], changed["url"]) == (
        ["team.*", "person.created"],
        None,
        created["url"],
    )


async def test_a_patch_needs_the_current_etag(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    created = await create(client, as_admin)
    path = f"/v1/subscriptions/{created['id']}"

    missing = await client.patch(path, json={"description": "x"}, headers=as_admin)
    stale = await client.patch(
        path, json={"description": "x"}, headers=as_admin | {"If-Match": '"7"'}
    )
    null = await client.patch(path, json={"url": None}, headers=as_admin | {"If-Match": '"1"'})

    assert (missing.status_code, missing.json()["code"]) == (428, "if_match_required")
    assert (stale.status_code, stale.json()["code"]) == (412, "stale_version")
    assert null.status_code == 422


async def test_a_patch_checks_the_url_and_types_as_a_create_does(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    created = await create(client, as_admin)
    path = f"/v1/subscriptions/{created['id']}"
    headers = as_admin | {"If-Match": '"1"'}

    insecure = await client.patch(path, json={"url": "http://hris.example.com"}, headers=headers)
    okr = await client.patch(path, json={"event_types": ["cycle.*"]}, headers=headers)

    assert insecure.json()["code"] == "https_required"
    assert okr.json()["code"] == "okr_events_by_name"


async def test_an_admin_changing_an_integrations_subscription_keeps_to_its_scopes(
    client: httpx.AsyncClient, as_admin: dict[str, str], as_integration: dict[str, str]
) -> None:
    owned = await create(client, as_integration)

    response = await client.patch(
        f"/v1/subscriptions/{owned['id']}",
        json={"event_types": ["objective.created"]},
        headers=as_admin | {"If-Match": '"1"'},
    )

    assert response.status_code == 403
    assert response.json()["code"] == "event_type_not_permitted"


# --- Enabling, rotating, deleting -------------------------------------------------------------


async def test_disabling_and_enabling(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    created = await create(client, as_admin)
    path = f"/v1/subscriptions/{created['id']}"
    row = await stored(session, created["id"])
    row.failing_since = utcnow() - timedelta(days=5)
    session.add(row)
    await session.flush()

    disabled = await client.post(f"{path}/disable", headers=as_admin)
    enabled = await client.post(f"{path}/enable", headers=as_admin)

    assert disabled.status_code == 200
    assert (disabled.json()["enabled"], disabled.json()["version"]) == (False, 2)
    assert (enabled.json()["enabled"], enabled.json()["failing_since"]) == (True, None)
    listed = await client.get("/v1/subscriptions?enabled=false", headers=as_admin)
    assert listed.json()["items"] == []


async def test_a_rotated_secret_signs_beside_the_new_one_for_24_hours(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI, as_admin: dict[str, str]
) -> None:
    created = await create(client, as_admin)
    old = key_of(created["secret"])

    response = await client.post(
        f"/v1/subscriptions/{created['id']}/secret/rotate", headers=as_admin
    )

    assert response.status_code == 200, response.text
    assert response.headers["Cache-Control"] == "no-store"
    rotated = response.json()
    new = key_of(rotated["secret"])
    assert new != old
    row = await stored(session, created["id"])
    vault = app.state.webhooks.vault
    now = utcnow()
    assert signing_secrets(row, now, vault) == [new, old]
    assert signing_secrets(row, now + timedelta(hours=23, minutes=59), vault) == [new, old]
    assert signing_secrets(row, now + timedelta(hours=24, seconds=1), vault) == [new]
    read = await client.get(f"/v1/subscriptions/{created['id']}", headers=as_admin)
    assert read.json()["version"] == 2


async def test_secrets_encrypted_with_an_older_key_still_sign_after_the_key_rotates(
    client: httpx.AsyncClient,
    session: AsyncSession,
    webhooks_app: Any,
    as_admin: dict[str, str],
) -> None:
    first, second = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    before = webhooks_app(encryption_keys={"k1": first}, encryption_key_id="k1")
    after = webhooks_app(encryption_keys={"k1": first, "k2": second}, encryption_key_id="k2")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=before), base_url="http://webhooks"
    ) as old_client:
        created = await create(old_client, as_admin)
    row = await stored(session, created["id"])

    assert row.secret_key_id == "k1"  # noqa: S105  # a key's id, not a secret
    assert signing_secrets(row, utcnow(), after.state.webhooks.vault) == [key_of(created["secret"])]


async def test_deleting_a_subscription_deletes_its_messages(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    created = await create(client, as_admin)
    event = await create_event(session)
    session.add(
        Message(
            subscription_id=uuid.UUID(created["id"]),
            event_id=event.id,
            event_type=event.type,
            payload=b"{}",
            next_attempt_at=utcnow(),
        )
    )
    await session.flush()

    response = await client.delete(f"/v1/subscriptions/{created['id']}", headers=as_admin)

    assert response.status_code == 204
    gone = await client.get(f"/v1/subscriptions/{created['id']}", headers=as_admin)
    assert gone.status_code == 404
    assert await count_rows(session, Message) == 0


# --- Who may ----------------------------------------------------------------------------------

WRITES = [
    ("PATCH", "", {"description": "x"}),
    ("DELETE", "", None),
    ("POST", "/enable", None),
    ("POST", "/disable", None),
    ("POST", "/secret/rotate", None),
]
READS = ["", "/messages"]


@pytest.fixture(params=["employee", "manager"])
async def as_non_admin(
    request: pytest.FixtureRequest, session: AsyncSession, tokens: Tokens
) -> dict[str, str]:
    """A person who is no HR admin: an employee, or a manager with a report."""
    person = await create_person(session)
    if request.param == "manager":
        await create_person(session, manager_id=person.id)
    return tokens.person(person.email)


async def test_people_other_than_hr_admins_are_refused(
    client: httpx.AsyncClient, as_admin: dict[str, str], as_non_admin: dict[str, str]
) -> None:
    headers = as_non_admin
    created = await create(client, as_admin)
    path = f"/v1/subscriptions/{created['id']}"

    answers = [
        (await client.post("/v1/subscriptions", json={}, headers=headers)).status_code,
        (await client.get("/v1/subscriptions", headers=headers)).status_code,
        (await client.get("/v1/events", headers=headers)).status_code,
    ]
    answers += [(await client.get(path + suffix, headers=headers)).status_code for suffix in READS]
    answers += [
        (
            await client.request(
                method, path + suffix, json=body, headers=headers | {"If-Match": '"1"'}
            )
        ).status_code
        for method, suffix, body in WRITES
    ]

    assert answers == [403] * (3 + len(READS) + len(WRITES))


async def test_another_integration_finds_no_such_subscription(
    client: httpx.AsyncClient, as_integration: dict[str, str]
) -> None:
    created = await create(client, as_integration)
    path = f"/v1/subscriptions/{created['id']}"
    outsider = integration("payroll")

    answers = [(await client.get(path + suffix, headers=outsider)).status_code for suffix in READS]
    answers += [
        (
            await client.request(
                method, path + suffix, json=body, headers=outsider | {"If-Match": '"1"'}
            )
        ).status_code
        for method, suffix, body in WRITES
    ]

    assert answers == [404] * (len(READS) + len(WRITES))
    unchanged = await client.get(path, headers=as_integration)
    assert unchanged.json()["version"] == 1


async def test_an_hr_admin_manages_an_integrations_subscription(
    client: httpx.AsyncClient, as_admin: dict[str, str], as_integration: dict[str, str]
) -> None:
    created = await create(client, as_integration)
    path = f"/v1/subscriptions/{created['id']}"

    disabled = await client.post(f"{path}/disable", headers=as_admin)
    deleted = await client.delete(path, headers=as_admin)

    assert (disabled.status_code, deleted.status_code) == (200, 204)


async def test_integrations_need_the_webhooks_scopes(client: httpx.AsyncClient) -> None:
    reader = integration("bi", "webhooks:read", "people:read")
    nothing = integration("tool", "people:read")

    create_refused = await client.post(
        "/v1/subscriptions",
        json={"url": "https://bi.example.com", "event_types": ["person.*"]},
        headers=reader,
    )
    read_refused = await client.get("/v1/subscriptions", headers=nothing)
    read_allowed = await client.get("/v1/subscriptions", headers=reader)

    assert (create_refused.status_code, read_refused.status_code) == (403, 403)
    assert read_allowed.status_code == 200


async def test_without_a_token_nothing_answers(client: httpx.AsyncClient) -> None:
    paths = [
        "/v1/subscriptions",
        "/v1/events",
        "/v1/event-types",
        f"/v1/subscriptions/{unknown_id()}",
    ]

    answers = [(await client.get(path)).status_code for path in paths]

    assert answers == [401] * len(paths)


async def test_an_unknown_subscription_is_404(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    response = await client.get(f"/v1/subscriptions/{unknown_id()}", headers=as_admin)

    assert (response.status_code, response.json()["code"]) == (404, "subscription_not_found")
