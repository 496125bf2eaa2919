"""What the webhooks tests share beside their fixtures: where the other services are found,
integrations' tokens, and subscriptions made through the API."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import httpx
from cryptography.fernet import Fernet
from fastapi import FastAPI
from pydantic import SecretStr
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import ROLE_CLAIM, mint_token
from kit.db import Database
from kit.events import FeedEvent
from kit.models import utcnow
from kit.settings import ServiceUrls
from services.webhooks import service
from services.webhooks.catalogue import ClientFactory
from services.webhooks.models import Subscription
from services.webhooks.vault import Vault, new_secret, shown
from tests.support import AUTH

SOURCES = ("people", "goals", "feedback", "assessment")
URLS = ServiceUrls.model_validate(
    {f"{name}_url": f"http://{name}.test" for name in (*SOURCES, "webhooks")}
)
INTEGRATION_SCOPES = ("webhooks:write", "webhooks:read", "people:read", "feedback:read")

# An assessment instrument as its `instrument.created` event carries it: an event of a real feed.
INSTRUMENT = {
    "id": "0b0f8c8e-2f4f-4a53-9a0e-7c1d2e3f4a5b",
    "key": "engagement",
    "name": "Engagement",
    "edition": "1",
    "active": True,
    "area_keys": ["energy"],
    "question_count": 4,
}


def catalogue_client(apps: dict[str, FastAPI]) -> ClientFactory:
    def make() -> httpx.AsyncClient:
        mounts = {f"http://{name}.test": httpx.ASGITransport(app=app) for name, app in apps.items()}
        return httpx.AsyncClient(mounts=mounts)

    return make


def integration(subject: str, *scopes: str) -> dict[str, str]:
    """Bearer header of integration `subject`; by default it manages webhooks and reads people
    and feedback."""
    claims = {
        "sub": subject,
        ROLE_CLAIM: "integration",
        "scope": " ".join(scopes or INTEGRATION_SCOPES),
    }
    return {"Authorization": f"Bearer {mint_token(AUTH, claims=claims)}"}


ENDPOINT = "https://hris.example.com/inspire/webhooks"


async def create(
    client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any
) -> dict[str, Any]:
    """A subscription made through the API (to every person event unless told), as answered."""
    body = {"url": ENDPOINT, "event_types": ["person.*"]} | overrides
    response = await client.post("/v1/subscriptions", json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def stored(session: AsyncSession, subscription_id: str) -> Subscription:
    """The subscription's row as the database holds it now."""
    row = await session.get(Subscription, uuid.UUID(subscription_id), populate_existing=True)
    assert row is not None
    return row


def key_of(shown: str) -> bytes:
    """The HMAC key a secret shown as `whsec_…` stands for."""
    assert shown.startswith("whsec_")
    return base64.b64decode(shown.removeprefix("whsec_"))


# --- Committed rows, for the dispatcher's tests ------------------------------------------------

VAULT_KEY = Fernet.generate_key().decode()
VAULT = Vault("test", {"test": SecretStr(VAULT_KEY)})


async def subscribe(
    database: Database, url: str, *event_types: str, **overrides: Any
) -> tuple[Subscription, str]:
    """An HR admin's subscription to `event_types` (every people event unless told),
    committed; with its secret as shown (`whsec_…`), unless `overrides` give others."""
    key = new_secret()[1]
    sealed = VAULT.seal(key)
    values: dict[str, Any] = {
        "url": url,
        "event_types": list(event_types or ["people.*"]),
        "owner_role": "hr_admin",
        "owner_subject": str(uuid.uuid4()),
        "owner_scopes": [],
        "secret_key_id": sealed.key_id,
        "secret": sealed.ciphertext,
    }
    row = Subscription(**(values | overrides))
    async with database.sessionmaker() as session:
        session.add(row)
        await session.commit()
    return row, shown(key)


async def publish(database: Database, count: int, type_: str = "person.created") -> list[str]:
    """`count` events of the people feed logged and fanned out as the consumer does,
    committed; their ids."""
    ids = []
    async with database.sessionmaker() as session:
        for n in range(count):
            event = FeedEvent(
                id=uuid.uuid4(),
                position=n + 1,
                type=type_,
                occurred_at=utcnow(),
                payload={"id": str(uuid.uuid4())},
            )
            await service.log_event(session, "people", event)
            ids.append(str(event.id))
        await session.commit()
    return ids
