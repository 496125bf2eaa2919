"""What the webhooks service's rules need beside a session and an actor, built once per app:
its settings, the vault of signing secrets and the services' event catalogues."""

from __future__ import annotations

from dataclasses import dataclass

from services.webhooks.catalogue import Catalogues, ClientFactory
from services.webhooks.config import WebhooksSettings
from services.webhooks.events import CATALOGUE
from services.webhooks.vault import Vault


@dataclass
class Webhooks:
    settings: WebhooksSettings
    vault: Vault
    catalogues: Catalogues

    @classmethod
    def of(cls, settings: WebhooksSettings, client: ClientFactory | None = None) -> Webhooks:
        current, keys = settings.vault_keys()
        catalogues = Catalogues(
            own=CATALOGUE,
            feeds=settings.feeds,
            urls=settings.urls,
            auth=settings.auth,
            max_age=settings.catalogue_max_age_seconds,
            **({"client": client} if client is not None else {}),
        )
        return cls(settings=settings, vault=Vault(current, keys), catalogues=catalogues)
