"""What the delivery tests share: a webhook receiver behind a real socket (over TLS too, with
certificates of the test's own), a resolver the tests point, and a clock they drive."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from fastapi import FastAPI, Request, Response

from services.webhooks.delivery.ssrf import IPAddress


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


Reply = Callable[[Received], Response]


def ok(_: Received) -> Response:
    return Response(status_code=204)


@dataclass
class Receiver:
    """A webhook receiver: keeps every request and answers with `reply` (204 unless told),
    after `delay` seconds, once `gate` (when there is one) is open."""

    reply: Reply = ok
    delay: float = 0.0
    gate: asyncio.Event | None = None
    received: list[Received] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/{path:path}")
        async def receive(path: str, request: Request) -> Response:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            try:
                seen = Received(f"/{path}", dict(request.headers), await request.body())
                self.received.append(seen)
                if self.delay:
                    await asyncio.sleep(self.delay)
                if self.gate is not None:
                    await self.gate.wait()
                return self.reply(seen)
            finally:
                self.in_flight -= 1

        return app

    def ids(self) -> list[str]:
        return [seen.headers["webhook-id"] for seen in self.received]


class Pointed:
    """A resolver that knows only `names`, as a hostile or a local DNS server would answer;
    it keeps the names it was asked for."""

    def __init__(self, names: dict[str, list[str]]) -> None:
        self.names = names
        self.lookups: list[str] = []

    async def __call__(self, host: str, port: int) -> Sequence[IPAddress]:
        self.lookups.append(host)
        if host not in self.names:
            raise OSError(f"unknown host {host}")
        return [ipaddress.ip_address(address) for address in self.names[host]]


class Clock:
    """A clock the test moves; it starts at the real time so that signatures stay fresh."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass(frozen=True)
class Certificates:
    """A certificate authority of the test's own and a server certificate it signed for one
    host name, as files uvicorn reads."""

    authority: Path
    certificate: Path
    key: Path


def certificates(folder: Path, host: str) -> Certificates:
    def name(common: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])

    now = datetime.now(UTC)
    authority_key = ec.generate_private_key(ec.SECP256R1())
    authority = (
        x509.CertificateBuilder()
        .subject_name(name("Test authority"))
        .issuer_name(name("Test authority"))
        .public_key(authority_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(authority_key.public_key()), critical=False
        )
        .sign(authority_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name(host))
        .issuer_name(authority.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority_key.public_key()),
            critical=False,
        )
        .sign(authority_key, hashes.SHA256())
    )
    found = Certificates(folder / "ca.pem", folder / "cert.pem", folder / "key.pem")
    found.authority.write_bytes(authority.public_bytes(serialization.Encoding.PEM))
    found.certificate.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    found.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return found


@contextlib.asynccontextmanager
async def served_tls(app: FastAPI, certificates: Certificates) -> AsyncIterator[int]:
    """`app` over HTTPS on a free port of 127.0.0.1, with the certificate for one name; the
    port."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        log_config=None,
        ssl_certfile=str(certificates.certificate),
        ssl_keyfile=str(certificates.key),
    )
    server = uvicorn.Server(config)
    task = asyncio.ensure_future(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield int(server.servers[0].sockets[0].getsockname()[1])
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=15)
