"""The goals service as the gateway calls it: batch reads for the loaders, pages for lists, the
alignment graph and dependencies of a cycle, and the writes the graph offers."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Literal

from gateway.clients.base import Caller, ServiceClient, id_params, page_params
from kit.pagination import Page
from services.goals.alignment.schemas import (
    AlignmentCreate,
    AlignmentGraphRead,
    AlignmentRead,
    AlignmentsByObjectiveRead,
    AlignmentUpdate,
    DependencyCreate,
    DependencyRead,
    DependencyState,
    DependencyUpdate,
    ObjectiveAlignmentsRead,
    RollUpRead,
)
from services.goals.checkins.schemas import (
    CheckInCreate,
    CheckInRead,
    CheckInsByKeyResultRead,
    DueCheckInRead,
    KeyResultCheckInsRead,
)
from services.goals.cycles.schemas import (
    ClosingSubmit,
    CycleCreate,
    CycleRead,
    CycleReportRead,
    CycleUpdate,
)
from services.goals.drafting.schemas import CommentCreate, CommentRead
from services.goals.keyresults.schemas import (
    KeyResultCreate,
    KeyResultRead,
    KeyResultsByObjectiveRead,
    KeyResultUpdate,
    ObjectiveKeyResultsRead,
)
from services.goals.schemas import (
    ClosingRead,
    ContributorAdd,
    ObjectiveCreate,
    ObjectiveRead,
    ObjectivesByOwnerRead,
    ObjectiveUpdate,
    OwnerObjectivesRead,
)
from services.goals.search.schemas import SearchHitRead

# Which links of an objective: those to what it supports, or those from what supports it.
Direction = Literal["parents", "children"]


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

    async def create_cycle(
        self, caller: Caller, body: CycleCreate, *, idempotency_key: str | None = None
    ) -> CycleRead:
        return await self._post(
            caller, "/v1/cycles", CycleRead, body, idempotency_key=idempotency_key
        )

    async def update_cycle(
        self, caller: Caller, cycle_id: uuid.UUID, body: CycleUpdate, *, version: int
    ) -> CycleRead:
        return await self._patch(caller, f"/v1/cycles/{cycle_id}", CycleRead, body, version=version)

    async def submit_closing(
        self,
        caller: Caller,
        objective_id: uuid.UUID,
        body: ClosingSubmit,
        *,
        version: int | None = None,
    ) -> ClosingRead:
        """The first closing needs no version; replacing one needs the version read."""
        path = f"/v1/objectives/{objective_id}/closing"
        return await self._put(caller, path, ClosingRead, body, version=version)

    # --- Alignment and dependencies ----------------------------------------------------------

    async def cycle_report(self, caller: Caller, cycle_id: uuid.UUID) -> CycleReportRead:
        """The cycle by team (and for the company), never by person."""
        return await self._get(caller, f"/v1/cycles/{cycle_id}/report", CycleReportRead)

    async def cycle_alignment(self, caller: Caller, cycle_id: uuid.UUID) -> AlignmentGraphRead:
        return await self._get(caller, f"/v1/cycles/{cycle_id}/alignment", AlignmentGraphRead)

    async def cycle_dependencies(
        self,
        caller: Caller,
        cycle_id: uuid.UUID,
        *,
        limit: int,
        cursor: str | None = None,
        state: DependencyState | None = None,
    ) -> Page[DependencyRead]:
        params = page_params(limit, cursor)
        if state is not None:
            params.append(("state", state.value))
        path = f"/v1/cycles/{cycle_id}/dependencies"
        return await self._get(caller, path, Page[DependencyRead], params)

    async def align(
        self,
        caller: Caller,
        objective_id: uuid.UUID,
        body: AlignmentCreate,
        *,
        idempotency_key: str | None = None,
    ) -> AlignmentRead:
        path = f"/v1/objectives/{objective_id}/alignments"
        return await self._post(caller, path, AlignmentRead, body, idempotency_key=idempotency_key)

    async def alignments_by_objective(
        self,
        caller: Caller,
        objective_ids: Sequence[uuid.UUID],
        direction: Direction,
        *,
        per_objective: int,
    ) -> list[ObjectiveAlignmentsRead]:
        """The first links of each objective (at most 100): up to its `parents`, or from its
        `children`; one group per objective."""
        if not objective_ids:
            return []
        params = [*id_params("objective_id", objective_ids), ("per_objective", per_objective)]
        path = f"/v1/alignments/{direction}"
        return (await self._get(caller, path, AlignmentsByObjectiveRead, params)).groups

    async def list_alignments(
        self,
        caller: Caller,
        objective_id: uuid.UUID,
        direction: Direction,
        *,
        limit: int,
        cursor: str | None = None,
    ) -> Page[AlignmentRead]:
        path = f"/v1/objectives/{objective_id}/{direction}"
        return await self._get(caller, path, Page[AlignmentRead], page_params(limit, cursor))

    async def declare_dependency(
        self,
        caller: Caller,
        objective_id: uuid.UUID,
        body: DependencyCreate,
        *,
        idempotency_key: str | None = None,
    ) -> DependencyRead:
        path = f"/v1/objectives/{objective_id}/dependencies"
        return await self._post(caller, path, DependencyRead, body, idempotency_key=idempotency_key)

    async def withdraw_alignment(self, caller: Caller, alignment_id: uuid.UUID) -> None:
        await self._delete(caller, f"/v1/alignments/{alignment_id}")

    async def withdraw_dependency(self, caller: Caller, dependency_id: uuid.UUID) -> None:
        await self._delete(caller, f"/v1/dependencies/{dependency_id}")

    async def update_alignment(
        self, caller: Caller, alignment_id: uuid.UUID, body: AlignmentUpdate, *, version: int
    ) -> AlignmentRead:
        """The parent's side accepts, declines or weighs a link."""
        path = f"/v1/alignments/{alignment_id}"
        return await self._patch(caller, path, AlignmentRead, body, version=version)

    async def update_dependency(
        self, caller: Caller, dependency_id: uuid.UUID, body: DependencyUpdate, *, version: int
    ) -> DependencyRead:
        path = f"/v1/dependencies/{dependency_id}"
        return await self._patch(caller, path, DependencyRead, body, version=version)

    async def roll_up(self, caller: Caller, objective_id: uuid.UUID) -> RollUpRead:
        return await self._get(caller, f"/v1/objectives/{objective_id}/roll-up", RollUpRead)

    async def set_roll_up(
        self, caller: Caller, objective_id: uuid.UUID, *, enabled: bool
    ) -> RollUpRead:
        """Opt in (`PUT`, which answers the roll-up) or out (`DELETE`, then a read)."""
        path = f"/v1/objectives/{objective_id}/roll-up"
        if enabled:
            return await self._write("PUT", caller, path, RollUpRead, None)
        await self._delete(caller, path)
        return await self.roll_up(caller, objective_id)

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
    ) -> list[OwnerObjectivesRead]:
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
        found = await self._get(caller, "/v1/objectives/by-owner", ObjectivesByOwnerRead, params)
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

    async def update_objective(
        self, caller: Caller, objective_id: uuid.UUID, body: ObjectiveUpdate, *, version: int
    ) -> ObjectiveRead:
        path = f"/v1/objectives/{objective_id}"
        return await self._patch(caller, path, ObjectiveRead, body, version=version)

    async def add_contributor(
        self,
        caller: Caller,
        objective_id: uuid.UUID,
        body: ContributorAdd,
        *,
        idempotency_key: str | None = None,
    ) -> ObjectiveRead:
        path = f"/v1/objectives/{objective_id}/contributors"
        return await self._post(caller, path, ObjectiveRead, body, idempotency_key=idempotency_key)

    async def remove_contributor(
        self, caller: Caller, objective_id: uuid.UUID, person_id: uuid.UUID
    ) -> None:
        await self._delete(caller, f"/v1/objectives/{objective_id}/contributors/{person_id}")

    async def sign_objective(
        self, caller: Caller, objective_id: uuid.UUID, *, idempotency_key: str | None = None
    ) -> ObjectiveRead:
        path = f"/v1/objectives/{objective_id}/signatures"
        return await self._post(caller, path, ObjectiveRead, idempotency_key=idempotency_key)

    async def comment(
        self,
        caller: Caller,
        objective_id: uuid.UUID,
        body: CommentCreate,
        *,
        idempotency_key: str | None = None,
    ) -> CommentRead:
        path = f"/v1/objectives/{objective_id}/comments"
        return await self._post(caller, path, CommentRead, body, idempotency_key=idempotency_key)

    async def list_comments(
        self, caller: Caller, objective_id: uuid.UUID, *, limit: int, cursor: str | None = None
    ) -> Page[CommentRead]:
        path = f"/v1/objectives/{objective_id}/comments"
        return await self._get(caller, path, Page[CommentRead], page_params(limit, cursor))

    async def search(
        self,
        caller: Caller,
        q: str,
        *,
        limit: int,
        cursor: str | None = None,
        cycle_id: uuid.UUID | None = None,
    ) -> Page[SearchHitRead]:
        """Objectives and key results whose text holds every word of `q`, oldest first."""
        params = [("q", q), *page_params(limit, cursor)]
        if cycle_id is not None:
            params.append(("cycle_id", str(cycle_id)))
        return await self._get(caller, "/v1/search", Page[SearchHitRead], params)

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
    ) -> list[ObjectiveKeyResultsRead]:
        if not objective_ids:
            return []
        params = [*id_params("objective_id", objective_ids), ("per_objective", per_objective)]
        path = "/v1/key-results/by-objective"
        return (await self._get(caller, path, KeyResultsByObjectiveRead, params)).groups

    async def list_key_results(
        self, caller: Caller, objective_id: uuid.UUID, *, limit: int, cursor: str | None = None
    ) -> Page[KeyResultRead]:
        path = f"/v1/objectives/{objective_id}/key-results"
        return await self._get(caller, path, Page[KeyResultRead], page_params(limit, cursor))

    async def create_key_result(
        self,
        caller: Caller,
        objective_id: uuid.UUID,
        body: KeyResultCreate,
        *,
        idempotency_key: str | None = None,
    ) -> KeyResultRead:
        path = f"/v1/objectives/{objective_id}/key-results"
        return await self._post(caller, path, KeyResultRead, body, idempotency_key=idempotency_key)

    async def update_key_result(
        self, caller: Caller, key_result_id: uuid.UUID, body: KeyResultUpdate, *, version: int
    ) -> KeyResultRead:
        path = f"/v1/key-results/{key_result_id}"
        return await self._patch(caller, path, KeyResultRead, body, version=version)

    async def delete_key_result(
        self, caller: Caller, key_result_id: uuid.UUID, *, version: int
    ) -> None:
        """A removal at the version read (`If-Match`); the service answers `204`."""
        headers = caller.headers()
        headers["If-Match"] = f'"{version}"'
        path = f"/v1/key-results/{key_result_id}"
        await self._send(self.http.build_request("DELETE", path, headers=headers))

    # --- Check-ins ---------------------------------------------------------------------------

    async def check_ins_by_key_result(
        self, caller: Caller, key_result_ids: Sequence[uuid.UUID], *, per_key_result: int
    ) -> list[KeyResultCheckInsRead]:
        if not key_result_ids:
            return []
        params = [*id_params("key_result_id", key_result_ids), ("per_key_result", per_key_result)]
        path = "/v1/check-ins/by-key-result"
        return (await self._get(caller, path, CheckInsByKeyResultRead, params)).groups

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

    async def due_check_ins(
        self,
        caller: Caller,
        *,
        person_id: uuid.UUID | None = None,
        team_id: uuid.UUID | None = None,
        limit: int,
        cursor: str | None = None,
    ) -> Page[DueCheckInRead]:
        """Key results of one person or one team nobody has checked in on for a while."""
        params = page_params(limit, cursor)
        if person_id is not None:
            params.append(("person_id", str(person_id)))
        if team_id is not None:
            params.append(("team_id", str(team_id)))
        return await self._get(caller, "/v1/check-ins/due", Page[DueCheckInRead], params)
