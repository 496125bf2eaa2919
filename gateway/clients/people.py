"""The people service as the gateway calls it: batch reads for the loaders, pages for lists."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from gateway.clients.base import Caller, Children, ServiceClient
from kit.pagination import Page
from services.people.schemas import PersonRead, ReportsByManagerRead, TeamRead


class PeopleClient(ServiceClient):
    service = "people"

    reports = Children(
        "/v1/people/by-manager",
        ReportsByManagerRead,
        "manager",
        "/v1/people/{}/reports",
        Page[PersonRead],
    )

    async def me(self, caller: Caller) -> PersonRead:
        return await self._get(caller, "/v1/people/me", PersonRead)

    async def people_by_ids(self, caller: Caller, ids: Sequence[uuid.UUID]) -> list[PersonRead]:
        return await self._by_ids(caller, "/v1/people", Page[PersonRead], ids)

    async def list_people(
        self, caller: Caller, limit: int, cursor: str | None = None
    ) -> Page[PersonRead]:
        return await self._page(caller, "/v1/people", Page[PersonRead], limit, cursor)

    async def teams_by_ids(self, caller: Caller, ids: Sequence[uuid.UUID]) -> list[TeamRead]:
        return await self._by_ids(caller, "/v1/teams", Page[TeamRead], ids)
