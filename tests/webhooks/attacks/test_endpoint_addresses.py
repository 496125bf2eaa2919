"""Subscriptions pointed at our own network, in every notation an address can take: refused
when saved (the delivery guard refuses them again at each connection, names included)."""

from __future__ import annotations

import httpx
import pytest

from kit.errors import PROBLEM_JSON
from tests.support import problem_fields
from tests.webhooks.support import create, integration

OUR_NETWORK = [
    "https://127.0.0.1/hook",
    "HTTPS://127.0.0.1/hook",
    "https://127.0.0.1./hook",
    "https://127.1/hook",
    "https://2130706433/hook",
    "https://0x7f.0.0.1/hook",
    "https://0/hook",
    "https://[::]/hook",
    "https://[::1]:8443/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[fe80::1%25eth0]/hook",
    "https://169.254.169.254/latest/meta-data",
    "https://100.100.100.200/hook",
    "https://10.0.0.7/hook",
    "https://192.168.1.1/hook",
    "https://localhost/hook",
    "https://LOCALHOST./hook",
    "https://admin.localhost/hook",
]


@pytest.mark.parametrize("url", OUR_NETWORK)
async def test_an_endpoint_on_our_own_network_is_refused(
    client: httpx.AsyncClient, as_admin: dict[str, str], url: str
) -> None:
    body = {"url": url, "event_types": ["person.*"]}

    by_admin = await client.post("/v1/subscriptions", json=body, headers=as_admin)
    by_integration = await client.post("/v1/subscriptions", json=body, headers=integration("hris"))

    for response in (by_admin, by_integration):
        assert response.status_code == 422, response.text
        assert response.headers["Content-Type"] == PROBLEM_JSON
        assert response.json()["code"] == "address_not_allowed"
        assert problem_fields(response) == {"body.url"}


@pytest.mark.parametrize(
    "url", ["https://good@127.0.0.1/hook", "https://①②⑦.0.0.1/hook", "https://0177.0.0.1/"]
)
async def test_disguised_addresses_are_not_read_as_names(
    client: httpx.AsyncClient, as_admin: dict[str, str], url: str
) -> None:
    response = await client.post(
        "/v1/subscriptions", json={"url": url, "event_types": ["person.*"]}, headers=as_admin
    )

    assert (response.status_code, response.json()["code"]) == (422, "invalid_url")


async def test_a_subscription_cannot_be_moved_onto_our_network_later(
    client: httpx.AsyncClient, as_admin: dict[str, str]
) -> None:
    created = await create(client, as_admin)

    moved = await client.patch(
        f"/v1/subscriptions/{created['id']}",
        json={"url": "https://[::ffff:169.254.169.254]/"},
        headers=as_admin | {"If-Match": '"1"'},
    )

    assert (moved.status_code, moved.json()["code"]) == (422, "address_not_allowed")


@pytest.mark.parametrize("url", ["https://8.8.8.8/hook", "http://receiver.test:9000/hook"])
async def test_public_addresses_and_allowed_hosts_are_kept(
    client: httpx.AsyncClient, as_admin: dict[str, str], url: str
) -> None:
    assert (await create(client, as_admin, url=url))["url"] == url
