"""The SSRF guard: which addresses are refused, in every spelling, and that a delivery connects
to the address the guard checked (the resolver is the tests', the sockets are real)."""

from __future__ import annotations

import ipaddress

import pytest

from services.webhooks.delivery.sender import Delivered, Failed, Sender, delivery_client
from services.webhooks.delivery.signing import new_secret, secret_key
from services.webhooks.delivery.ssrf import AddressRefused, AllowList, Guard, literal, refusal
from tests.support import served
from tests.webhooks.delivery.support import Pointed, Receiver


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("fd12:3456::1", "private"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),  # noqa: S104  # an address refused, not one bound to
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "carrier-grade NAT"),
        ("169.254.169.254", "cloud metadata"),
        ("fd00:ec2::254", "cloud metadata"),
        ("100.100.100.200", "cloud metadata"),
        ("168.63.129.16", "cloud metadata"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:169.254.169.254", "cloud metadata"),
        ("64:ff9b::a00:1", "private"),
        ("2002:c0a8:101::1", "private"),
        ("192.0.2.10", "special-purpose"),
        ("198.18.0.1", "special-purpose"),
    ],
)
def test_addresses_inside_are_refused_with_their_reason(address: str, reason: str) -> None:
    found = refusal(ipaddress.ip_address(address))

    assert found is not None
    assert reason in found


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    "host", ["2130706433", "0177.0.0.1", "0x7f000001", "0x7f.0.0.1", "127.1", "[::ffff:7f00:1]"]
)
def test_every_spelling_of_an_address_is_read_as_one(host: str) -> None:
    found = literal(host)

    assert found is not None
    assert refusal(found) is not None


@pytest.mark.parametrize("host", ["hooks.example", "deadbeef", "1.example", "a.b"])
def test_names_are_not_read_as_addresses(host: str) -> None:
    assert literal(host) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::1]:8080/",
        "http://2130706433/",
        "http://0177.0.0.1/",
        "http://127.1/",
        "http://localhost.hooks/",
        "http://rebind.example/",
        "ftp://hooks.example/",
        "http://user:secret@hooks.example/",
        "not a url",
    ],
)
async def test_urls_that_reach_inside_are_refused(url: str) -> None:
    guard = Guard(
        resolve=Pointed(
            {
                "localhost.hooks": ["127.0.0.1"],
                # One good answer and one bad: the name is refused whole.
                "rebind.example": ["93.184.216.34", "10.0.0.5"],
                "hooks.example": ["93.184.216.34"],
            }
        )
    )

    with pytest.raises(AddressRefused):
        await guard.check_url(url)


async def test_a_public_url_passes_with_the_addresses_it_resolves_to() -> None:
    guard = Guard(resolve=Pointed({"hooks.example": ["93.184.216.34", "2606:4700::1111"]}))

    found = await guard.check_url("https://hooks.example/in")

    assert [str(address) for address in found] == ["93.184.216.34", "2606:4700::1111"]


async def test_a_name_that_does_not_resolve_is_refused() -> None:
    with pytest.raises(AddressRefused, match="does not resolve"):
        await Guard(resolve=Pointed({})).check_url("https://nowhere.example/")


async def test_the_allow_list_admits_networks_and_names() -> None:
    allow = AllowList.parse(["10.0.0.0/8", " receiver.internal. ", "::1", ""])
    resolve = Pointed({"receiver.internal": ["192.168.7.7"], "app.internal": ["10.2.3.4"]})
    guard = Guard(allow=allow, resolve=resolve)

    assert [str(a) for a in await guard.check_url("http://RECEIVER.internal/")] == ["192.168.7.7"]
    assert [str(a) for a in await guard.check_url("http://app.internal/")] == ["10.2.3.4"]
    assert [str(a) for a in await guard.check_url("http://[::1]:9000/")] == ["::1"]
    with pytest.raises(AddressRefused):
        await guard.check_url("http://169.254.169.254/")


async def test_the_system_resolver_runs_for_a_real_name() -> None:
    with pytest.raises(AddressRefused, match="loopback"):
        await Guard().check_url("http://localhost/")


async def deliver(guard: Guard, url: str) -> Delivered | Failed:
    secret = secret_key(new_secret())
    async with delivery_client(guard) as client:
        outcome = await Sender(client).send(url, "msg_ssrf", b"{}", [secret])
    assert isinstance(outcome, Delivered | Failed)
    return outcome


async def test_a_name_resolving_to_loopback_is_never_connected_to() -> None:
    receiver = Receiver()
    async with served(receiver.app()) as base:
        port = base.rsplit(":", 1)[1]
        guard = Guard(resolve=Pointed({"hooks.example": ["127.0.0.1"]}))

        outcome = await deliver(guard, f"http://hooks.example:{port}/in")

    assert isinstance(outcome, Failed)
    assert "loopback" in outcome.reason
    assert receiver.received == []


@pytest.mark.parametrize(
    "host", ["169.254.169.254", "[::ffff:127.0.0.1]", "2130706433", "0x7f.0.0.1", "127.1"]
)
async def test_an_address_spelled_in_a_url_is_refused_at_connection(host: str) -> None:
    receiver = Receiver()
    async with served(receiver.app()) as base:
        port = base.rsplit(":", 1)[1]

        outcome = await deliver(Guard(resolve=Pointed({})), f"http://{host}:{port}/in")

    assert isinstance(outcome, Failed)
    assert outcome.reason.startswith("refused")
    assert receiver.received == []


async def test_with_the_allow_list_a_local_receiver_is_reached_at_the_checked_address() -> None:
    receiver = Receiver()
    # A name only this resolver knows: had anything looked it up a second time, through the
    # system's resolver, the connection would have failed.
    resolve = Pointed({"hooks.invalid": ["127.0.0.1"]})
    guard = Guard(allow=AllowList.parse(["127.0.0.0/8"]), resolve=resolve)
    async with served(receiver.app()) as base:
        port = base.rsplit(":", 1)[1]

        outcome = await deliver(guard, f"http://hooks.invalid:{port}/in")

    assert isinstance(outcome, Delivered)
    assert resolve.lookups == ["hooks.invalid"]
    assert receiver.received[0].headers["host"] == f"hooks.invalid:{port}"


async def test_a_name_rebound_inside_after_its_check_is_refused_at_delivery() -> None:
    receiver = Receiver()
    resolve = Pointed({"rebind.example": ["93.184.216.34"]})
    guard = Guard(resolve=resolve)
    async with served(receiver.app()) as base:
        port = base.rsplit(":", 1)[1]
        url = f"http://rebind.example:{port}/in"
        await guard.check_url(url)  # as the subscription was saved
        resolve.names["rebind.example"] = ["127.0.0.1"]  # the DNS server's second answer

        outcome = await deliver(guard, url)

    assert isinstance(outcome, Failed)
    assert "loopback" in outcome.reason
    assert resolve.lookups == ["rebind.example", "rebind.example"]
    assert receiver.received == []
