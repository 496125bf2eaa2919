"""The SSRF guard: a subscriber chooses the URL we POST to, so without it anyone allowed to
subscribe could make us call our own network (databases, admin ports, the cloud's metadata
service). A host is resolved once, off the event loop; every address it resolves to must be
public (or allow-listed); and the connection goes to the address that was checked, never to a
second lookup that a hostile DNS server could answer differently (DNS rebinding).

The check sits in an httpcore network backend, under the connection pool: httpcore hands it
the URL's host when it opens a connection and does everything else (the `Host` header, TLS
SNI and certificate verification) with that same host name, so only the socket's destination
changes. Connections are pooled per host name, so one verified for `a.example` is never reused
for `b.example` even when both share an address.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Awaitable[Sequence[IPAddress]]]

# Instance metadata and platform services reachable from inside a cloud: AWS (and its IPv6
# form, ECS task metadata and the VPC resolver), GCP and Azure (169.254.169.254), Azure's wire
# server (a public address, so only this list catches it), Alibaba (in the carrier-grade NAT
# range) and Oracle.
METADATA = frozenset(
    ipaddress.ip_address(address)
    for address in (
        "169.254.169.254",
        "169.254.169.253",
        "169.254.170.2",
        "fd00:ec2::254",
        "fd00:ec2::253",
        "168.63.129.16",
        "100.100.100.200",
        "192.0.0.192",
    )
)
CARRIER_GRADE_NAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class AddressRefused(Exception):
    """The URL's host is, or resolves to, an address webhooks may not reach."""

    def __init__(self, host: str, address: IPAddress | None, reason: str) -> None:
        self.host, self.address, self.reason = host, address, reason
        where = host if address is None or str(address) == host else f"{host} ({address})"
        super().__init__(f"{where}: {reason}")


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries and that the network may route to: mapped
    (`::ffff:a.b.c.d`), 6to4 (`2002::/16`) or the well-known NAT64 prefix."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: IPAddress) -> str | None:
    """Why webhooks may not reach `address`, or None when it is a public one."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            reason = refusal(embedded)
            return None if reason is None else f"{reason} ({embedded} inside an IPv6 address)"
    checks: tuple[tuple[bool, str], ...] = (
        (address in METADATA, "a cloud metadata address"),
        (address.is_loopback, "a loopback address"),
        (address.is_unspecified, "the unspecified address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address in CARRIER_GRADE_NAT, "a carrier-grade NAT address"),
        (address.is_reserved, "a reserved address"),
        # Python's table of private networks also holds the special-purpose ones (RFC 6890:
        # documentation, benchmarking, ...).
        (address.is_private, "a private or special-purpose address"),
        (not address.is_global, "not a public address"),
    )
    return next((reason for refused, reason in checks if refused), None)


def literal(host: str) -> IPAddress | None:
    """`host` as an address when it is one, in any form a resolver would read as one: besides
    the usual notations also the decimal (`2130706433`), octal (`0177.0.0.1`), hexadecimal and
    shortened (`127.1`) IPv4 forms, which must not slip past as "names"."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host.partition("%")[0])
    except ValueError:
        pass
    if host and all(char in "0123456789abcdefxABCDEFX." for char in host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


async def system_resolver(host: str, port: int) -> Sequence[IPAddress]:
    """The operating system's resolver, run in the loop's thread pool (getaddrinfo blocks)."""
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    found: list[IPAddress] = []
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).partition("%")[0])
        if address not in found:
            found.append(address)
    return found


@dataclass(frozen=True)
class AllowList:
    """Networks and host names webhooks may reach although they are not public: a receiver on
    the local machine in development, a partner reached over a private link. A listed host
    name may resolve to any address; a listed network admits its addresses whatever the name."""

    networks: tuple[IPNetwork, ...] = ()
    hosts: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> AllowList:
        """Entries as configured: CIDRs (`10.0.0.0/8`, `::1/128`, a bare address) or names."""
        networks: list[IPNetwork] = []
        hosts: set[str] = set()
        for entry in (entry.strip() for entry in entries):
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                hosts.add(_normal_host(entry))
        return cls(tuple(networks), frozenset(hosts))

    def admits(self, host: str, address: IPAddress) -> bool:
        return _normal_host(host) in self.hosts or any(
            address in network for network in self.networks
        )


def _normal_host(host: str) -> str:
    return host.strip("[]").rstrip(".").lower()


@dataclass(frozen=True)
class Guard:
    """Resolves a host once and returns only addresses webhooks may reach."""

    allow: AllowList = field(default_factory=AllowList)
    resolve: Resolver = system_resolver

    async def addresses(self, host: str, port: int) -> list[IPAddress]:
        """Every address `host` stands for, all of them checked. A name with one refused
        address is refused whole: picking the good ones would let a hostile DNS server steer
        which address is used."""
        name = _normal_host(host)
        address = literal(name)
        if address is None and (name == "localhost" or name.endswith(".localhost")):
            # RFC 6761: such names are this machine's, whatever a resolver says.
            address = ipaddress.IPv4Address("127.0.0.1")
        if address is not None:
            found: Sequence[IPAddress] = [address]
        else:
            try:
                found = await self.resolve(host, port)
            except OSError as error:
                raise AddressRefused(host, None, f"does not resolve ({error})") from error
            if not found:
                raise AddressRefused(host, None, "does not resolve")
        for address in found:
            reason = refusal(address)
            if reason is not None and not self.allow.admits(host, address):
                raise AddressRefused(host, address, reason)
        return list(found)

    async def check_url(self, url: str) -> list[IPAddress]:
        """What a subscription's URL is checked with when it is saved: an http(s) URL whose
        host may be reached. Delivery checks again at each new connection (DNS changes)."""
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as error:
            raise AddressRefused(url, None, f"not a URL ({error})") from error
        if parsed.scheme not in {"http", "https"} or not parsed.host:
            raise AddressRefused(url, None, "not an http or https URL")
        if parsed.userinfo:
            raise AddressRefused(parsed.host, None, "a URL with credentials in it")
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        return await self.addresses(parsed.host, port)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend with the guard before every new connection: the socket goes
    to an address the guard returned, tried in the resolver's order."""

    def __init__(self, guard: Guard, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.guard = guard
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109  # httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self.guard.addresses(host, port)
        options = list(socket_options or ())
        for index, address in enumerate(addresses):
            try:
                return await self.inner.connect_tcp(
                    str(address), port, timeout, local_address, options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout):
                if index == len(addresses) - 1:
                    raise
        raise AssertionError("unreachable: addresses is never empty")  # pragma: no cover

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109  # httpcore's interface
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise AddressRefused(path, None, "a Unix socket")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


# httpcore's errors as httpx's, most specific first, as httpx's own transport maps them.
_ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


def _as_httpx(error: Exception) -> Exception:
    for core, mapped in _ERRORS:
        if isinstance(error, core):
            return mapped(str(error))
    return error


class _Body(httpx.AsyncByteStream):
    def __init__(self, stream: httpcore.Response, done: Callable[[], None]) -> None:
        self.response = stream
        self.done: Callable[[], None] | None = done

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for part in self.response.aiter_stream():
                yield part
        except Exception as error:
            mapped = _as_httpx(error)
            if mapped is error:
                raise
            raise mapped from error

    async def aclose(self) -> None:
        try:
            await self.response.aclose()
        finally:
            done, self.done = self.done, None
            if done is not None:
                done()


class GuardedTransport(httpx.AsyncBaseTransport):
    """An httpx transport over httpcore pools that connect through `GuardedBackend`. It speaks
    HTTP/1.1 only and knows no proxy: a proxy would make the connection for us, to wherever it
    resolves the name.

    The connections are split into pools of `SHARD` each: an httpcore pool looks at every one
    of its connections for every queued request at each request's start and end, which at
    64 connections took most of a dispatcher's CPU (pools of 4 cost about 0.65 ms of CPU a
    delivery in `bench.webhooks`, of 8 about 0.85 ms, one pool of 64 about 2.3 ms). A
    request goes to its origin's home pool (keep-alive connections are found again), or, when
    that one is busy, to the least busy."""

    SHARD = 4

    def __init__(
        self,
        guard: Guard,
        *,
        max_connections: int = 100,
        keepalive_expiry: float = 5.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        backend = GuardedBackend(guard)
        context = ssl_context or httpx.create_ssl_context()
        self.pools = [
            httpcore.AsyncConnectionPool(
                ssl_context=context,
                max_connections=self.SHARD,
                max_keepalive_connections=self.SHARD,
                keepalive_expiry=keepalive_expiry,
                network_backend=backend,
            )
            for _ in range(max(1, -(-max_connections // self.SHARD)))
        ]
        self.busy = [0] * len(self.pools)

    def _pick(self, origin: tuple[bytes, bytes, int | None]) -> int:
        home = hash(origin) % len(self.pools)
        if self.busy[home] < self.SHARD:
            return home
        return min(range(len(self.pools)), key=self.busy.__getitem__)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not isinstance(request.stream, httpx.AsyncByteStream):  # pragma: no cover
            raise TypeError("the guarded transport sends asynchronous bodies only")
        url = request.url
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        index = self._pick((url.raw_scheme, url.raw_host, url.port))
        self.busy[index] += 1

        def done() -> None:
            self.busy[index] -= 1

        try:
            response = await self.pools[index].handle_async_request(core)
        except BaseException as error:
            done()
            mapped = _as_httpx(error) if isinstance(error, Exception) else error
            if mapped is error:
                raise
            raise mapped from error
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_Body(response, done),
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        for pool in self.pools:
            await pool.aclose()
