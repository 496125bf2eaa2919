"""The goals service as the gateway calls it: batch reads for the loaders, pages for lists, and
the two writes the graph offers (set an objective, check in)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from gateway.clients.base import Caller, ServiceClient, id_params, page_params
from kit.pagination import Page
from services.goals.schemas import (
    CheckInCreate,
    CheckInRead,
    CheckInsByKeyResult,
    CycleRead,
    KeyResultCheckIns,
    KeyResultRead,
    KeyResultsByObjective,
    ObjectiveCreate,
    ObjectiveKeyResults,
    ObjectiveRead,
    ObjectivesByOwner,
    OwnerObjectives,
)


class GoalsClient(ServiceClient):
    service = "goals"

    # --- Cycles ------------------------------------------------------------------------------

    async def cycles_by_ids(self, caller: Caller, ids: Sequence[uuid.UUID]) -> list[CycleRead]:
        if not ids:
            return []
        return (await self._get(caller, "/v1/cycles", Page[CycleRead], id_params("id", ids))).items

    async def list_cycles(
        self, caller: Caller, *, limit: int, cursor: str | None = None
    ) -> Page[CycleRead]:
        return await self._get(caller, "/v1/cycles", Page[CycleRead], page_params(limit, cursor))

    # --- Objectives --------------------------------------------------------------------------

    async def objectives_by_ids(
        self, caller: Caller, ids: Sequence[uuid.UUID]
    ) -> list[ObjectiveRead]:
        """Those of `ids` the caller may see (at most 100); others are left out."""
        if not ids:
            return []
        page = await self._get(caller, "/v1/objectives", Page[ObjectiveRead], id_params("id", ids))
        return page.items

    async def objectives_by_owner(
        self,
        caller: Caller,
        *,
        person_ids: Sequence[uuid.UUID] = (),
        team_ids: Sequence[uuid.UUID] = (),
        cycle_id: uuid.UUID | None = None,
        per_owner: int,
    ) -> list[OwnerObjectives]:
        """One group per owner (at most 100 in all): people first, then teams."""
        if not person_ids and not team_ids:
            return []
        params = [
            *id_params("owner_person_id", person_ids),
            *id_params("owner_team_id", team_ids),
            ("per_owner", per_owner),
        ]
        if cycle_id is not None:
            params.append(("cycle_id", str(cycle_id)))
        found = await self._get(caller, "/v1/objectives/by-owner", ObjectivesByOwner, params)
        return found.groups

    async def list_objectives(
        self,
        caller: Caller,
        *,
        limit: int,
        cursor: str | None = None,
        owner_person_id: uuid.UUID | None = None,
        owner_team_id: uuid.UUID | None = None,
        cycle_id: uuid.UUID | None = None,
    ) -> Page[ObjectiveRead]:
        params = page_params(limit, cursor)
        for name, value in (
            ("owner_person_id", owner_person_id),
            ("owner_team_id", owner_team_id),
            ("cycle_id", cycle_id),
        ):
            if value is not None:
                params.append((name, str(value)))
        return await self._get(caller, "/v1/objectives", Page[ObjectiveRead], params)

    async def create_objective(
        self, caller: Caller, body: ObjectiveCreate, *, idempotency_key: str | None = None
    ) -> ObjectiveRead:
        return await self._post(
            caller, "/v1/objectives", ObjectiveRead, body, idempotency_key=idempotency_key
        )

    # --- Key results -------------------------------------------------------------------------

    async def key_results_by_ids(
        self, caller: Caller, ids: Sequence[uuid.UUID]
    ) -> list[KeyResultRead]:
        if not ids:
            return []
        page = await self._get(caller, "/v1/key-results", Page[KeyResultRead], id_params("id", ids))
        return page.items

    async def key_results_by_objective(
        self, caller: Caller, objective_ids: Sequence[uuid.UUID], *, per_objective: int
    ) -> list[ObjectiveKeyResults]:
        if not objective_ids:
            return []
        params = [*id_params("objective_id", objective_ids), ("per_objective", per_objective)]
        path = "/v1/key-results/by-objective"
        return (await self._get(caller, path, KeyResultsByObjective, params)).groups

    async def list_key_results(
        self, caller: Caller, objective_id: uuid.UUID, *, limit: int, cursor: str | None = None
    ) -> Page[KeyResultRead]:
        path = f"/v1/objectives/{objective_id}/key-results"
        return await self._get(caller, path, Page[KeyResultRead], page_params(limit, cursor))

    # --- Check-ins ---------------------------------------------------------------------------

    async def check_ins_by_key_result(
        self, caller: Caller, key_result_ids: Sequence[uuid.UUID], *, per_key_result: int
    ) -> list[KeyResultCheckIns]:
        if not key_result_ids:
            return []
        params = [*id_params("key_result_id", key_result_ids), ("per_key_result", per_key_result)]
        path = "/v1/check-ins/by-key-result"
        return (await self._get(caller, path, CheckInsByKeyResult, params)).groups

    async def list_check_ins(
        self, caller: Caller, key_result_id: uuid.UUID, *, limit: int, cursor: str | None = None
    ) -> Page[CheckInRead]:
        path = f"/v1/key-results/{key_result_id}/check-ins"
        return await self._get(caller, path, Page[CheckInRead], page_params(limit, cursor))

    async def check_in(
        self,
        caller: Caller,
        key_result_id: uuid.UUID,
        body: CheckInCreate,
        *,
        idempotency_key: str | None = None,
    ) -> CheckInRead:
        path = f"/v1/key-results/{key_result_id}/check-ins"
        return await self._post(caller, path, CheckInRead, body, idempotency_key=idempotency_key)
