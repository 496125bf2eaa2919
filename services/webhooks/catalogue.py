"""Every event type of every service, gathered from the services' own catalogues
(`GET /v1/event-types`, with a service token) and kept for a few minutes; and the rules that
say which types a subscription's patterns take in.

Over HTTP rather than in process: the webhooks service runs apart from the others and must
learn the types of the versions actually deployed, not of the code it was built with.

The rules: an exact name takes that type; `X.*` takes every type of service `X` and every type
named `X.…` — except OKR events (the goals service's `cycle.…`, `objective.…`, `key_result.…`),
which only an exact name takes in. An integration may name a type only with its service's
`<service>:read` scope."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import httpx
from pydantic import TypeAdapter

from kit.auth import mint_service_token
from kit.events import EventCatalogue, EventTypeInfo
from kit.observability import client_hooks
from kit.settings import AuthSettings, ServiceUrls
from services.webhooks.schemas import EventTypeRead, EventTypesRead

logger = logging.getLogger("inspire.webhooks")

OKR_SERVICE = "goals"
OKR_PREFIXES = ("cycle.", "objective.", "key_result.")
WILDCARD = ".*"
_CATALOGUE = TypeAdapter(list[EventTypeInfo])


def is_okr(service: str, name: str) -> bool:
    return service == OKR_SERVICE and name.startswith(OKR_PREFIXES)


def scope_of(service: str) -> str:
    """The scope an integration needs to read `service`'s events."""
    return f"{service}:read"


def pattern_takes(pattern: str, service: str, name: str) -> bool:
    """Whether a subscription's `pattern` takes in events of type `name` from `service`."""
    if not pattern.endswith(WILDCARD):
        return pattern == name
    prefix = pattern.removesuffix(WILDCARD)
    return (prefix == service or name.startswith(prefix + ".")) and not is_okr(service, name)


def takes_any(patterns: Iterable[str], service: str, name: str) -> bool:
    return any(pattern_takes(pattern, service, name) for pattern in patterns)


def describe(service: str, catalogue: Iterable[EventTypeInfo]) -> list[EventTypeRead]:
    return [
        EventTypeRead(
            service=service,
            name=info.name,
            description=info.description,
            okr=is_okr(service, info.name),
            scope=scope_of(service),
            payload_schema=info.payload_schema,
        )
        for info in catalogue
    ]


@dataclass(frozen=True)
class KnownTypes:
    """The catalogue as last fetched: every type, and the services that could not be asked."""

    items: list[EventTypeRead]
    unavailable: list[str]

    def read(self) -> EventTypesRead:
        return EventTypesRead(items=self.items, unavailable=self.unavailable)

    @property
    def services(self) -> set[str]:
        return {item.service for item in self.items}

    def taken_by(self, pattern: str) -> list[EventTypeRead]:
        return [item for item in self.items if pattern_takes(pattern, item.service, item.name)]


ClientFactory = Callable[[], httpx.AsyncClient]


def _default_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(event_hooks=client_hooks(), timeout=10.0)


class Catalogues:
    """The services' catalogues, fetched at most every `max_age` seconds; a service that does
    not answer keeps the types it had (or is listed as unavailable until it answers)."""

    def __init__(
        self,
        *,
        own: EventCatalogue,
        feeds: Sequence[str],
        urls: ServiceUrls,
        auth: AuthSettings,
        max_age: float,
        client: ClientFactory = _default_client,
    ) -> None:
        self.own = own
        self.others = [feed for feed in feeds if feed != own.service]
        self.urls = urls
        self.auth = auth
        self.max_age = max_age
        self.client = client
        self._fetched: dict[str, tuple[float, list[EventTypeRead]]] = {}
        self._lock = asyncio.Lock()

    def url_of(self, service: str) -> str:
        url = getattr(self.urls, f"{service}_url", None)
        if not isinstance(url, str):
            raise ValueError(f"no INSPIRE_{service.upper()}_URL for the feed of {service}")
        return url

    async def _fetch(self, http: httpx.AsyncClient, service: str) -> list[EventTypeRead]:
        response = await http.get(
            f"{self.url_of(service)}/v1/event-types",
            headers={"Authorization": f"Bearer {mint_service_token(self.auth, self.own.service)}"},
        )
        response.raise_for_status()
        return describe(service, _CATALOGUE.validate_json(response.content))

    async def _refresh(self, services: Sequence[str]) -> None:
        async with self.client() as http:
            results = await asyncio.gather(
                *(self._fetch(http, service) for service in services), return_exceptions=True
            )
        now = time.monotonic()
        for service, result in zip(services, results, strict=True):
            if isinstance(result, BaseException):
                logger.warning(
                    "event catalogue unreachable",
                    extra={"service": service, "error": type(result).__name__},
                )
            else:
                self._fetched[service] = (now, result)

    async def known(self) -> KnownTypes:
        async with self._lock:
            now = time.monotonic()
            stale = [
                service
                for service in self.others
                if service not in self._fetched or now - self._fetched[service][0] > self.max_age
            ]
            if stale:
                await self._refresh(stale)
        items = describe(self.own.service, self.own.describe())
        for service in self.others:
            if service in self._fetched:
                items += self._fetched[service][1]
        unavailable = [service for service in self.others if service not in self._fetched]
        items.sort(key=lambda item: (item.service, item.name))
        return KnownTypes(items=items, unavailable=unavailable)


def render_markdown(items: Iterable[EventTypeRead]) -> str:
    """`docs/events.md`: every event type, by service, with its payload schema."""
    lines = [
        "# Events",
        "",
        "Every event an Inspire service publishes, as the webhooks service delivers it (`data` of",
        "a webhook's body) and lists it at `GET /v1/event-types`. Payloads carry ids and kinds,",
        "never the words people wrote. OKR events are received only by a subscription that",
        "names them exactly; an integration receives a service's events with its",
        "`<service>:read` scope. See [webhooks.md](webhooks.md).",
        "",
        "Generated by `inspire events-doc` from the services' catalogues; do not edit by hand.",
    ]
    by_service: dict[str, list[EventTypeRead]] = {}
    for item in items:
        by_service.setdefault(item.service, []).append(item)
    for service, entries in sorted(by_service.items()):
        lines += ["", f"## {service}", "", f"Scope for integrations: `{entries[0].scope}`."]
        for entry in sorted(entries, key=lambda entry: entry.name):
            okr = " (OKR event: by exact name only)" if entry.okr else ""
            lines += [
                "",
                f"### `{entry.name}`{okr}",
                "",
                entry.description,
                "",
                "```json",
                json.dumps(entry.payload_schema, indent=2, sort_keys=True),
                "```",
            ]
    return "\n".join(lines) + "\n"
