"""The SSRF guard when a subscription is saved: an endpoint that is, or resolves to, a
loopback, private, link-local or metadata address is refused unless the allow-list admits it;
a name that does not resolve yet is accepted (the dispatcher checks every connection)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI

from tests.support import asgi_client, problem_fields
from tests.webhooks.support import create

WebhooksApp = Callable[..., FastAPI]


@pytest.mark.parametrize(
    "url",
    [
        "https://169.254.169.254/latest/meta-data/",
        "https://internal.example.com/hook",
        "https://mixed.example.com/hook",
        "https://[::1]/hook",
        "https://2130706433/hook",
    ],
)
async def test_an_endpoint_reaching_inside_is_refused(
    client: httpx.AsyncClient, as_admin: dict[str, str], url: str
) -> None:
    response = await client.post(
        "/v1/subscriptions", json={"url": url, "event_types": ["person.*"]}, headers=as_admin
    )

    assert response.status_code == 422, response.text
    assert response.json()["code"] == "address_not_allowed"
    assert problem_fields(response) == {"body.url"}


async def test_the_metadata_address_is_refused_over_plain_http_too(
    webhooks_app: WebhooksApp, as_admin: dict[str, str]
) -> None:
    app = webhooks_app(insecure_hosts=["169.254.169.254"])
    async with asgi_client(app, "webhooks") as client:
        response = await client.post(
            "/v1/subscriptions",
            json={"url": "http://169.254.169.254/", "event_types": ["person.*"]},
            headers=as_admin,
        )

    assert (response.status_code, response.json()["code"]) == (422, "address_not_allowed")


async def test_a_patch_to_an_address_inside_is_refused(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    created = await create(client, as_admin)

    response = await client.patch(
        f"/v1/subscriptions/{created['id']}",
        json={"url": "https://internal.example.com/hook"},
        headers=as_admin | {"If-Match": '"1"'},
    )

    assert (response.status_code, response.json()["code"]) == (422, "address_not_allowed")


async def test_the_allow_list_admits_what_it_names(
    webhooks_app: WebhooksApp, as_admin: dict[str, str]
) -> None:
    app: FastAPI = webhooks_app(allow_list=["127.0.0.0/8"])
    async with asgi_client(app, "webhooks") as client:
        created = await create(client, as_admin, url="https://internal.example.com/hook")
        metadata = await client.post(
            "/v1/subscriptions",
            json={"url": "https://169.254.169.254/", "event_types": ["person.*"]},
            headers=as_admin,
        )

    assert created["url"] == "https://internal.example.com/hook"
    assert metadata.json()["code"] == "address_not_allowed"


async def test_a_public_name_or_one_not_resolving_yet_is_accepted(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    public = await create(client, as_admin, url="https://hris.example.com/hook")
    unknown = await create(client, as_admin, url="https://not-yet.example.com/hook")

    assert public["enabled"]
    assert unknown["enabled"]
