"""The assessment service as the gateway calls it: batch reads for the loaders (instruments,
the caller's own parts in rounds, teams' reports of a round), the caller's open rounds, and
the writes the graph offers (answers, plans)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from pydantic import BaseModel

from gateway.clients.base import Caller, Params, ServiceClient, Write, id_params
from kit.pagination import Page
from services.assessment.instruments.schemas import InstrumentRead, RecommendationsRead
from services.assessment.plans.schemas import (
    PlanCreate,
    PlanItemCreate,
    PlanItemUpdate,
    PlanRead,
)
from services.assessment.reports.schemas import GroupReport
from services.assessment.rounds.schemas import Answers, MyResponseRead, RoundRead, RoundStatus


class AssessmentClient(ServiceClient):
    service = "assessment"

    save_answers = Write("PUT", "/v1/rounds/{}/my-response", Answers, MyResponseRead)
    submit: Write[BaseModel, MyResponseRead] = Write(
        "POST", "/v1/rounds/{}/my-response/submit", None, MyResponseRead
    )
    adopt_plan = Write("POST", "/v1/plans", PlanCreate, PlanRead)
    add_item = Write("POST", "/v1/plans/{}/items", PlanItemCreate, PlanRead)
    update_item = Write("PATCH", "/v1/plans/{}/items/{}", PlanItemUpdate, PlanRead)

    async def instruments_by_ids(
        self, caller: Caller, ids: Sequence[uuid.UUID]
    ) -> list[InstrumentRead]:
        return await self._by_ids(caller, "/v1/instruments", Page[InstrumentRead], ids)

    async def instruments(
        self, caller: Caller, active: bool | None, limit: int, cursor: str | None
    ) -> Page[InstrumentRead]:
        flag = None if active is None else str(active).lower()
        return await self._page(
            caller, "/v1/instruments", Page[InstrumentRead], limit, cursor, active=flag
        )

    async def open_rounds(self, caller: Caller, limit: int, cursor: str | None) -> Page[RoundRead]:
        """A page of the open rounds the caller is asked to answer."""
        return await self._page(
            caller,
            "/v1/rounds",
            Page[RoundRead],
            limit,
            cursor,
            status=RoundStatus.OPEN.value,
            invited="true",
        )

    async def my_responses(
        self, caller: Caller, rounds: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, MyResponseRead]:
        """The caller's own part in each of `rounds` they are asked in, in one batch read."""
        if not rounds:
            return {}
        found = await self._get(
            caller, "/v1/my-responses", Page[MyResponseRead], id_params("id", rounds)
        )
        return {mine.round_id: mine for mine in found.items}

    async def team_reports(
        self, caller: Caller, round_id: uuid.UUID, teams: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, GroupReport]:
        """Teams' reports of one closed round, in one batch read; those the caller may not
        read are absent."""
        if not teams:
            return {}
        found = await self._get(
            caller,
            f"/v1/rounds/{round_id}/reports",
            Page[GroupReport],
            id_params("team_id", teams),
        )
        return {report.team_id: report for report in found.items if report.team_id is not None}

    async def audience_report(self, caller: Caller, round_id: uuid.UUID) -> GroupReport:
        """The report of a round's whole audience."""
        return await self._get(caller, f"/v1/rounds/{round_id}/report", GroupReport)

    async def recommendations(
        self, caller: Caller, instrument: str, level: int, areas: Sequence[str]
    ) -> RecommendationsRead:
        params: Params = [("instrument", instrument), ("level", level)]
        params += [("area", area) for area in areas]
        return await self._get(caller, "/v1/recommendations", RecommendationsRead, params)


__all__ = ["AssessmentClient"]
