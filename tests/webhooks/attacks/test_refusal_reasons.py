"""Mapping our network through the attempt log: a subscriber names an internal host, the
guard refuses it, and the message's attempt log (which the subscriber reads) must not say
which address the name resolved to."""

from __future__ import annotations

from datetime import UTC, datetime

from services.webhooks.delivery.sender import Failed, Sender, delivery_client
from services.webhooks.delivery.ssrf import Guard
from tests.webhooks.delivery.support import Pointed

INTERNAL = {
    "db.internal.example": ["10.20.30.40"],
    "meta.example": ["169.254.169.254"],
    "mapped.example": ["::ffff:10.9.8.7"],
}


async def attempt(url: str) -> Failed:
    guard = Guard(resolve=Pointed(INTERNAL))
    async with delivery_client(guard) as client:
        outcome = await Sender(client, clock=lambda: datetime.now(UTC)).send(
            url, "msg_1", b"{}", [b"k" * 32]
        )
    assert isinstance(outcome, Failed)
    return outcome


async def test_a_refused_name_does_not_say_what_it_resolved_to() -> None:
    internal = await attempt("https://db.internal.example/hook")
    metadata = await attempt("https://meta.example/latest")

    assert internal.reason == "refused: the endpoint's host is a private or special-purpose address"
    assert metadata.reason == "refused: the endpoint's host is a cloud metadata address"
    assert "10.20.30.40" not in internal.reason
    assert "169.254" not in metadata.reason
    assert "db.internal" not in internal.reason


async def test_an_address_inside_an_ipv6_one_is_not_named_either() -> None:
    outcome = await attempt("https://mapped.example/hook")

    assert outcome.reason == "refused: the endpoint's host is a private or special-purpose address"
    assert "10.9.8.7" not in outcome.reason


async def test_a_name_that_does_not_resolve_says_so_and_no_more() -> None:
    outcome = await attempt("https://nowhere.example/hook")

    assert outcome.reason == "refused: the endpoint's host does not resolve"
