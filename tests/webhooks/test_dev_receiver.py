"""The development stack's receiver takes what the dispatcher's sender signs, with the
subscription's secret, and refuses anything else."""

from __future__ import annotations

from datetime import UTC, datetime

from cli.webhook_receiver import PATH, receiver_app
from services.webhooks.delivery.sender import Delivered, Failed, Sender, delivery_client
from services.webhooks.delivery.signing import body, new_secret, secret_key
from services.webhooks.delivery.ssrf import AllowList, Guard
from tests.support import served

LOCAL = Guard(allow=AllowList.parse(["127.0.0.1"]))


async def test_the_receiver_prints_what_verifies_and_refuses_the_rest() -> None:
    secret = new_secret()
    app = receiver_app(secret)
    payload = body("person.created", datetime.now(UTC), {"id": "p1"})
    async with served(app) as base, delivery_client(LOCAL) as client:
        sender = Sender(client)
        good = await sender.send(f"{base}{PATH}", "msg1", payload, [secret_key(secret)])
        forged = await sender.send(f"{base}{PATH}", "msg2", payload, [secret_key(new_secret())])

    assert isinstance(good, Delivered)
    assert isinstance(forged, Failed)
    assert forged.status == 400
    assert app.state.received == ["person.created"]
