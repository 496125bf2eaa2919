"""What the webhooks tests share beside their fixtures: where the other services are found,
and integrations' tokens."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from kit.auth import ROLE_CLAIM, mint_token
from kit.settings import ServiceUrls
from services.webhooks.catalogue import ClientFactory
from tests.support import AUTH

SOURCES = ("people", "goals", "feedback", "assessment")
URLS = ServiceUrls.model_validate(
    {f"{name}_url": f"http://{name}.test" for name in (*SOURCES, "webhooks")}
)
INTEGRATION_SCOPES = ("webhooks:write", "webhooks:read", "people:read", "feedback:read")


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
