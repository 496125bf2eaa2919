"""The feedback service as the gateway calls it: batch reads and grouped reads for the loaders,
pages for lists, and the writes the graph offers."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from gateway.clients.base import Caller, ServiceClient, Write, id_params
from kit.pagination import Page
from services.feedback.schemas import (
    FeedbackByObjectiveRead,
    FeedbackByPersonRead,
    FeedbackCreate,
    FeedbackRead,
    FeedbackUpdate,
    PersonRole,
    ReplyCreate,
    ReplyRead,
)

# The list filter that continues a person's group of each role.
_ROLE_FILTERS = {
    PersonRole.RECEIVED: "recipient_id",
    PersonRole.GIVEN: "giver_id",
    PersonRole.EITHER: "person_id",
}


class FeedbackClient(ServiceClient):
    service = "feedback"

    give = Write("POST", "/v1/feedback", FeedbackCreate, FeedbackRead)
    narrow = Write("PATCH", "/v1/feedback/{}", FeedbackUpdate, FeedbackRead)
    reply = Write("POST", "/v1/feedback/{}/replies", ReplyCreate, ReplyRead)

    async def feedback_by_ids(self, caller: Caller, ids: Sequence[uuid.UUID]) -> list[FeedbackRead]:
        return await self._by_ids(caller, "/v1/feedback", Page[FeedbackRead], ids)

    async def first_of_people(
        self, caller: Caller, role: PersonRole, people: Sequence[uuid.UUID], per: int
    ) -> dict[uuid.UUID, Page[FeedbackRead]]:
        """The first page of what each person received, gave or either, in one grouped read."""
        if not people:
            return {}
        params = [*id_params("person_id", people), ("per_person", per), ("role", role.value)]
        found = await self._get(caller, "/v1/feedback/by-person", FeedbackByPersonRead, params)
        return {
            group.person_id: Page(items=group.items, next_cursor=group.next_cursor)
            for group in found.groups
        }

    async def first_of_objectives(
        self, caller: Caller, objectives: Sequence[uuid.UUID], per: int
    ) -> dict[uuid.UUID, Page[FeedbackRead]]:
        """The first page of the feedback about each objective, in one grouped read."""
        if not objectives:
            return {}
        params = [*id_params("objective_id", objectives), ("per_objective", per)]
        found = await self._get(
            caller, "/v1/feedback/by-objective", FeedbackByObjectiveRead, params
        )
        return {
            group.objective_id: Page(items=group.items, next_cursor=group.next_cursor)
            for group in found.groups
        }

    async def later_of_person(
        self, caller: Caller, role: PersonRole, person: uuid.UUID, limit: int, cursor: str
    ) -> Page[FeedbackRead]:
        filters = {_ROLE_FILTERS[role]: person}
        return await self._page(
            caller, "/v1/feedback", Page[FeedbackRead], limit, cursor, **filters
        )

    async def later_of_objective(
        self, caller: Caller, objective: uuid.UUID, limit: int, cursor: str
    ) -> Page[FeedbackRead]:
        return await self._page(
            caller, "/v1/feedback", Page[FeedbackRead], limit, cursor, objective_id=objective
        )
