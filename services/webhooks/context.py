"""What the webhooks service's rules need beside a session and an actor, built once per app:
its settings, the vault of signing secrets and the services' event catalogues."""

from __future__ import annotations

from dataclasses import dataclass

from services.webhooks.catalogue import Catalogues, ClientFactory
from services.webhooks.config import WebhooksSettings
from services.webhooks.delivery.ssrf import AllowList, Guard, Resolver, system_resolver
from services.webhooks.events import CATALOGUE
from services.webhooks.vault import Vault


@dataclass
class Webhooks:
    settings: WebhooksSettings
    vault: Vault
    catalogues: Catalogues
    # What an endpoint's URL may reach: checked when a subscription is saved, and again by the
    # dispatcher at each connection.
    guard: Guard

    @classmethod
    def of(
        cls,
        settings: WebhooksSettings,
        client: ClientFactory | None = None,
        resolver: Resolver = system_resolver,
    ) -> Webhooks:
        current, keys = settings.vault_keys()
        catalogues = Catalogues(
            own=CATALOGUE,
            feeds=settings.feeds,
            urls=settings.urls,
            auth=settings.auth,
            max_age=settings.catalogue_max_age_seconds,
            **({"client": client} if client is not None else {}),
        )
        return cls(
            settings=settings,
            vault=Vault(current, keys),
            catalogues=catalogues,
            guard=Guard(allow=AllowList.parse(settings.allowed()), resolve=resolver),
        )
