"""Over HTTPS the guard changes only where the socket goes: TLS still names and verifies the
URL's host, so a certificate for another name is refused even at the checked address."""

from __future__ import annotations

import ssl
from pathlib import Path

from services.webhooks.delivery.sender import Delivered, Failed, Sender, delivery_client
from services.webhooks.delivery.signing import new_secret, secret_key
from services.webhooks.delivery.ssrf import AllowList, Guard
from tests.webhooks.delivery.support import Pointed, Receiver, certificates, served_tls


async def deliver_to(host: str, tmp_path: Path) -> tuple[Delivered | Failed, Receiver, int]:
    """One attempt to `https://{host}/in`, `host` pointed at a local server whose certificate
    names `hooks.invalid`."""
    receiver = Receiver()
    found = certificates(tmp_path, "hooks.invalid")
    guard = Guard(allow=AllowList.parse(["127.0.0.1"]), resolve=Pointed({host: ["127.0.0.1"]}))
    trust = ssl.create_default_context(cafile=str(found.authority))
    async with (
        served_tls(receiver.app(), found) as port,
        delivery_client(guard, ssl_context=trust) as client,
    ):
        outcome = await Sender(client).send(
            f"https://{host}:{port}/in", "msg_tls", b"{}", [secret_key(new_secret())]
        )
    assert isinstance(outcome, Delivered | Failed)
    return outcome, receiver, port


async def test_https_reaches_the_checked_address_with_the_host_names_certificate(
    tmp_path: Path,
) -> None:
    outcome, receiver, port = await deliver_to("hooks.invalid", tmp_path)

    assert isinstance(outcome, Delivered)
    assert receiver.received[0].headers["host"] == f"hooks.invalid:{port}"


async def test_a_certificate_for_another_name_is_refused_at_the_same_address(
    tmp_path: Path,
) -> None:
    outcome, receiver, _ = await deliver_to("other.invalid", tmp_path)

    assert isinstance(outcome, Failed)
    assert "Hostname mismatch" in outcome.reason
    assert receiver.received == []
