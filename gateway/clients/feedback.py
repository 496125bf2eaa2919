"""The feedback service as the gateway calls it: batch reads and grouped reads for the loaders,
pages for lists, and the writes the graph offers."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from pydantic import BaseModel

from gateway.clients.base import Caller, Write, id_params
from gateway.clients.oneonones import OneOnOnesClient
from kit.pagination import Page
from services.feedback.nominations.schemas import (
    NominationPeriodCreate,
    NominationPeriodRead,
    NominationRead,
    NominationResultsRead,
    NominationSubmit,
    PeriodStatus,
    ReasonsRead,
)
from services.feedback.recognition.schemas import (
    CompanyValueCreate,
    CompanyValueRead,
    CompanyValueUpdate,
    ReactionKind,
    RecognitionCreate,
    RecognitionRead,
)
from services.feedback.requests.schemas import (
    AnswerCreate,
    FeedbackRequestCreate,
    FeedbackRequestRead,
    FeedbackRequestUpdate,
    PartStatus,
    RequestRole,
)
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


class FeedbackClient(OneOnOnesClient):
    service = "feedback"

    give = Write("POST", "/v1/feedback", FeedbackCreate, FeedbackRead)
    narrow = Write("PATCH", "/v1/feedback/{}", FeedbackUpdate, FeedbackRead)
    reply = Write("POST", "/v1/feedback/{}/replies", ReplyCreate, ReplyRead)
    ask = Write("POST", "/v1/feedback-requests", FeedbackRequestCreate, FeedbackRequestRead)
    move_due = Write(
        "PATCH", "/v1/feedback-requests/{}", FeedbackRequestUpdate, FeedbackRequestRead
    )
    answer = Write("POST", "/v1/feedback-requests/{}/answers", AnswerCreate, FeedbackRead)
    decline: Write[BaseModel, FeedbackRequestRead] = Write(
        "POST", "/v1/feedback-requests/{}/decline", None, FeedbackRequestRead
    )

    recognize = Write("POST", "/v1/recognitions", RecognitionCreate, RecognitionRead)
    create_value = Write("POST", "/v1/company-values", CompanyValueCreate, CompanyValueRead)
    update_value = Write("PATCH", "/v1/company-values/{}", CompanyValueUpdate, CompanyValueRead)

    open_period = Write(
        "POST", "/v1/nomination-periods", NominationPeriodCreate, NominationPeriodRead
    )
    close_period: Write[BaseModel, NominationPeriodRead] = Write(
        "POST", "/v1/nomination-periods/{}/close", None, NominationPeriodRead
    )
    nominate = Write(
        "PUT", "/v1/nomination-periods/{}/nomination", NominationSubmit, NominationRead
    )

    @staticmethod
    def reaction(kind: ReactionKind, present: bool) -> Write[BaseModel, RecognitionRead]:
        """Reacting (`present`) to a recognition with `kind`, or taking it back."""
        path = f"/v1/recognitions/{{}}/reactions/{kind.value}"
        return Write("PUT" if present else "DELETE", path, None, RecognitionRead)

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

    async def requests_by_ids(
        self, caller: Caller, ids: Sequence[uuid.UUID]
    ) -> list[FeedbackRequestRead]:
        return await self._by_ids(caller, "/v1/feedback-requests", Page[FeedbackRequestRead], ids)

    async def my_requests(
        self,
        caller: Caller,
        role: RequestRole | None,
        status: PartStatus | None,
        limit: int,
        cursor: str | None,
    ) -> Page[FeedbackRequestRead]:
        """A page of the requests the caller takes part in (as `role`, with their own part in
        `status`, when given)."""
        return await self._page(
            caller,
            "/v1/feedback-requests",
            Page[FeedbackRequestRead],
            limit,
            cursor,
            role=None if role is None else role.value,
            status=None if status is None else status.value,
        )

    async def recognitions_by_ids(
        self, caller: Caller, ids: Sequence[uuid.UUID]
    ) -> list[RecognitionRead]:
        return await self._by_ids(caller, "/v1/recognitions", Page[RecognitionRead], ids)

    async def values_by_ids(
        self, caller: Caller, ids: Sequence[uuid.UUID]
    ) -> list[CompanyValueRead]:
        return await self._by_ids(caller, "/v1/company-values", Page[CompanyValueRead], ids)

    async def recognition_feed(
        self, caller: Caller, team: uuid.UUID | None, limit: int, cursor: str | None
    ) -> Page[RecognitionRead]:
        return await self._page(
            caller, "/v1/recognitions", Page[RecognitionRead], limit, cursor, team_id=team
        )

    async def company_values(
        self, caller: Caller, archived: bool | None, limit: int, cursor: str | None
    ) -> Page[CompanyValueRead]:
        flag = None if archived is None else str(archived).lower()
        return await self._page(
            caller, "/v1/company-values", Page[CompanyValueRead], limit, cursor, archived=flag
        )

    async def periods_by_ids(
        self, caller: Caller, ids: Sequence[uuid.UUID]
    ) -> list[NominationPeriodRead]:
        return await self._by_ids(caller, "/v1/nomination-periods", Page[NominationPeriodRead], ids)

    async def nomination_periods(
        self, caller: Caller, status: PeriodStatus | None, limit: int, cursor: str | None
    ) -> Page[NominationPeriodRead]:
        return await self._page(
            caller,
            "/v1/nomination-periods",
            Page[NominationPeriodRead],
            limit,
            cursor,
            status=None if status is None else status.value,
        )

    async def nomination_results(
        self, caller: Caller, periods: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, NominationResultsRead]:
        """The nominees and counts of the closed periods among `periods`, in one batch read
        (never who named them); open and unknown periods are absent."""
        found = await self._by_ids(
            caller, "/v1/nomination-periods/results", Page[NominationResultsRead], periods
        )
        return {results.period_id: results for results in found}

    async def my_reasons(self, caller: Caller, period: uuid.UUID) -> ReasonsRead:
        """The reasons the caller was nominated for in a closed period, without names."""
        return await self._get(caller, f"/v1/nomination-periods/{period}/my-reasons", ReasonsRead)
