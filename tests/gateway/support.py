"""What the gateway's tests share beside their fixtures: its settings with the test keys, a
client of it as a frontend calls it, its GraphQL answers and their error codes, and a record of
every request it sends to the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI

from gateway.config import GatewaySettings
from kit.observability import client_hooks
from kit.settings import Environment
from tests.support import AUTH


@dataclass(frozen=True)
class Sent:
    """One request the gateway sent to a service, and the request id the service answered
    with (it echoes the one it used)."""

    service: str
    method: str
    path: str
    params: list[tuple[str, str]]
    request_id: str | None
    answered_request_id: str | None = None


@dataclass
class Recorder:
    """What the gateway sent to the services, in order."""

    sent: list[Sent] = field(default_factory=list)

    async def on_response(self, response: httpx.Response) -> None:
        request = response.request
        self.sent.append(
            Sent(
                service=request.url.host,
                method=request.method,
                path=request.url.path,
                params=list(request.url.params.multi_items()),
                request_id=request.headers.get("x-request-id"),
                answered_request_id=response.headers.get("x-request-id"),
            )
        )

    def paths(self, service: str = "people") -> list[str]:
        return [sent.path for sent in self.sent if sent.service == service]

    def clear(self) -> None:
        self.sent.clear()


def recorded_client(app: FastAPI, service: str, recorder: Recorder) -> httpx.AsyncClient:
    """The gateway's client of `service`, calling `app` in process; `recorder` hears each
    request."""
    hooks = client_hooks()
    hooks["response"] = [recorder.on_response]
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=f"http://{service}", event_hooks=hooks
    )


def gateway_settings(**overrides: Any) -> GatewaySettings:
    return GatewaySettings(**{"environment": Environment.TEST, "auth": AUTH, **overrides})


def gateway_client(app: FastAPI) -> httpx.AsyncClient:
    """A client of the gateway app, as a frontend calls it."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")


class GraphQL:
    """Posts operations to the gateway as a client would, with the headers given."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def __call__(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


def codes(body: dict[str, Any]) -> list[tuple[str, str | None]]:
    """Each error's `extensions.code` and `reason`."""
    return [
        (error["extensions"]["code"], error["extensions"].get("reason"))
        for error in body.get("errors", [])
    ]
