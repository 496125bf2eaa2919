"""The people service as the gateway calls it: batch reads for the loaders, pages for lists."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from gateway.clients.base import Caller, ServiceClient, id_params, page_params
from kit.pagination import Page
from services.people.schemas import ManagerReportsRead, PersonRead, ReportsByManagerRead, TeamRead


class PeopleClient(ServiceClient):
    service = "people"

    async def me(self, caller: Caller) -> PersonRead:
        return await self._get(caller, "/v1/people/me", PersonRead)

    async def people_by_ids(self, caller: Caller, ids: Sequence[uuid.UUID]) -> list[PersonRead]:
        """Those of `ids` that exist (at most 100 at once); unknown ids are left out."""
        if not ids:
            return []
        page = await self._get(caller, "/v1/people", Page[PersonRead], id_params("id", ids))
        return page.items

    async def list_people(
        self, caller: Caller, *, limit: int, cursor: str | None = None
    ) -> Page[PersonRead]:
        return await self._get(caller, "/v1/people", Page[PersonRead], page_params(limit, cursor))

    async def reports_by_manager(
        self, caller: Caller, manager_ids: Sequence[uuid.UUID], *, per_manager: int
    ) -> list[ManagerReportsRead]:
        """One group per manager (at most 100 at once), each with its first reports."""
        if not manager_ids:
            return []
        params = [*id_params("manager_id", manager_ids), ("per_manager", per_manager)]
        found = await self._get(caller, "/v1/people/by-manager", ReportsByManagerRead, params)
        return found.groups

    async def list_reports(
        self, caller: Caller, manager_id: uuid.UUID, *, limit: int, cursor: str | None = None
    ) -> Page[PersonRead]:
        path = f"/v1/people/{manager_id}/reports"
        return await self._get(caller, path, Page[PersonRead], page_params(limit, cursor))

    async def teams_by_ids(self, caller: Caller, ids: Sequence[uuid.UUID]) -> list[TeamRead]:
        if not ids:
            return []
        page = await self._get(caller, "/v1/teams", Page[TeamRead], id_params("id", ids))
        return page.items
