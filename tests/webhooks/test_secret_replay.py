"""A secret is shown once: the answer kept for an `Idempotency-Key` replay of a create or a
rotation never holds it, and the replay says so."""

from __future__ import annotations

import httpx
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.idempotency import IdempotencyRecord
from tests.webhooks.support import ENDPOINT, create


async def kept(session: AsyncSession, key: str) -> IdempotencyRecord:
    return (await session.exec(select(IdempotencyRecord).where(IdempotencyRecord.key == key))).one()


async def test_a_replayed_create_answers_without_the_secret_it_never_kept(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    headers = as_admin | {"Idempotency-Key": "subscribe-1"}
    body = {"url": ENDPOINT, "event_types": ["person.*"]}

    first = await client.post("/v1/subscriptions", json=body, headers=headers)
    again = await client.post("/v1/subscriptions", json=body, headers=headers)

    assert first.status_code == again.status_code == 201
    secret = first.json()["secret"]
    assert secret.startswith("whsec_")
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["idempotent-replay-redacted"] == "secret"
    assert again.json() == first.json() | {"secret": None}
    assert "idempotent-replay-redacted" not in first.headers
    stored = await kept(session, "subscribe-1")
    assert secret.encode() not in stored.body
    assert secret.removeprefix("whsec_").encode() not in stored.body


async def test_a_replayed_rotation_answers_without_the_new_secret(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    created = await create(client, as_admin)
    path = f"/v1/subscriptions/{created['id']}/secret/rotate"
    headers = as_admin | {"Idempotency-Key": "rotate-1"}

    first = await client.post(path, headers=headers)
    again = await client.post(path, headers=headers)

    secret = first.json()["secret"]
    assert secret.startswith("whsec_")
    assert again.json() == first.json() | {"secret": None}
    assert again.headers["idempotent-replay-redacted"] == "secret"
    assert secret.encode() not in (await kept(session, "rotate-1")).body
