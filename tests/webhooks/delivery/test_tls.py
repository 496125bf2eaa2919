"""Over HTTPS the guard changes only where the socket goes: TLS still names and verifies the
URL's host, so a certificate for another name is refused even at the checked address."""

from __future__ import annotations

import ssl
from pathlib import Path

from services.webhooks.delivery.sender import Delivered, Failed, Sender, delivery_client
from services.webhooks.delivery.signing import new_secret, secret_key
from services.webhooks.delivery.ssrf import AllowList, Guard
from tests.webhooks.delivery.support import Pointed, Receiver, certificates, served_tls


async def deliver(url: str, authority: Path, names: dict[str, list[str]]) -> Delivered | Failed:
    guard = Guard(allow=AllowList.parse(["127.0.0.1"]), resolve=Pointed(names))
    trust = ssl.create_default_context(cafile=str(authority))
    async with delivery_client(guard, ssl_context=trust) as client:
        outcome = await Sender(client).send(url, "msg_tls", b"{}", [secret_key(new_secret())])
    assert isinstance(outcome, Delivered | Failed)
    return outcome


async def test_https_reaches_the_checked_address_with_the_host_names_certificate(
    tmp_path: Path,
) -> None:
    receiver = Receiver()
    found = certificates(tmp_path, "hooks.invalid")
    async with served_tls(receiver.app(), found) as port:
        outcome = await deliver(
            f"https://hooks.invalid:{port}/in", found.authority, {"hooks.invalid": ["127.0.0.1"]}
        )

    assert isinstance(outcome, Delivered)
    assert receiver.received[0].headers["host"] == f"hooks.invalid:{port}"


async def test_a_certificate_for_another_name_is_refused_at_the_same_address(
    tmp_path: Path,
) -> None:
    receiver = Receiver()
    found = certificates(tmp_path, "hooks.invalid")
    async with served_tls(receiver.app(), found) as port:
        outcome = await deliver(
            f"https://other.invalid:{port}/in", found.authority, {"other.invalid": ["127.0.0.1"]}
        )

    assert isinstance(outcome, Failed)
    assert "Hostname mismatch" in outcome.reason
    assert receiver.received == []
