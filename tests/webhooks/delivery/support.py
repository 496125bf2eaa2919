"""What the delivery tests share: a webhook receiver behind a real socket, a resolver the tests
point, and a clock they drive."""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

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
    after `delay` seconds."""

    reply: Reply = ok
    delay: float = 0.0
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
                return self.reply(seen)
            finally:
                self.in_flight -= 1

        return app

    def ids(self) -> list[str]:
        return [seen.headers["webhook-id"] for seen in self.received]


class Pointed:
    """A resolver that knows only `names`, as a hostile or a local DNS server would answer;
    it keeps the names it was asked for."""

    def __init__(self, names: dict[str, Sequence[str]]) -> None:
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
