"""The goals service as the gateway calls it: batch reads for the loaders, pages for lists, the
alignment graph and dependencies of a cycle, and the writes the graph offers."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from pydantic import BaseModel

from gateway.clients.base import Caller, Children, ServiceClient, Write, id_params
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
    RollUpRead,
)
from services.goals.checkins.schemas import (
    CheckInCreate,
    CheckInRead,
    CheckInsByKeyResultRead,
    DueCheckInRead,
)
from services.goals.cycles.schemas import (
    ClosingSubmit,
    CycleCreate,
    CycleRead,
    CycleReportRead,
    CycleUpdate,
)
from services.goals.development.schemas import (
    DevelopmentGoalComplete,
    DevelopmentGoalCreate,
    DevelopmentGoalRead,
    DevelopmentGoalUpdate,
    LearningItemCreate,
    LearningItemRead,
    LearningItemUpdate,
)
from services.goals.drafting.schemas import CommentCreate, CommentRead
from services.goals.experiments.schemas import ExperimentCreate, ExperimentRead, ExperimentUpdate
from services.goals.help.schemas import (
    HelpOfferCreate,
    HelpRequestCreate,
    HelpRequestRead,
    HelpRequestResolve,
    HelpRequestRole,
    HelpRequestState,
)
from services.goals.ideas.schemas import (
    AllocationCreate,
    IdeaCreate,
    IdeaRead,
    IdeaReviewsRead,
    IdeaStatus,
    ReviewCreate,
    ReviewRead,
    ReviewUpdate,
)
from services.goals.keyresults.schemas import (
    KeyResultCreate,
    KeyResultRead,
    KeyResultsByObjectiveRead,
    KeyResultUpdate,
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


class GoalsClient(ServiceClient):
    service = "goals"

    key_results = Children(
        "/v1/key-results/by-objective",
        KeyResultsByObjectiveRead,
        "objective",
        "/v1/objectives/{}/key-results",
        Page[KeyResultRead],
    )
    check_ins = Children(
        "/v1/check-ins/by-key-result",
        CheckInsByKeyResultRead,
        "key_result",
        "/v1/key-results/{}/check-ins",
        Page[CheckInRead],
    )
    # The links of objectives: up to what they support, or from what supports them.
    parents = Children(
        "/v1/alignments/parents",
        AlignmentsByObjectiveRead,
        "objective",
        "/v1/objectives/{}/parents",
        Page[AlignmentRead],
    )
    children = Children(
        "/v1/alignments/children",
        AlignmentsByObjectiveRead,
        "objective",
        "/v1/objectives/{}/children",
        Page[AlignmentRead],
    )

    # --- Cycles ------------------------------------------------------------------------------

    async def cycles_by_ids(self, caller: Caller, ids: Sequence[uuid.UUID]) -> list[CycleRead]:
        return await self._by_ids(caller, "/v1/cycles", Page[CycleRead], ids)

    async def list_cycles(
        self, caller: Caller, limit: int, cursor: str | None = None
    ) -> Page[CycleRead]:
        return await self._page(caller, "/v1/cycles", Page[CycleRead], limit, cursor)

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
        path = f"/v1/cycles/{cycle_id}/dependencies"
        state_value = state.value if state is not None else None
        return await self._page(
            caller, path, Page[DependencyRead], limit, cursor, state=state_value
        )

    async def roll_up(self, caller: Caller, objective_id: uuid.UUID) -> RollUpRead:
        return await self._get(caller, f"/v1/objectives/{objective_id}/roll-up", RollUpRead)

    async def set_roll_up(
        self, caller: Caller, objective_id: uuid.UUID, *, enabled: bool
    ) -> RollUpRead:
        """Opt in (`PUT`, which answers the roll-up) or out (`DELETE`, then a read)."""
        path = f"/v1/objectives/{objective_id}/roll-up"
        if enabled:
            return await self._write("PUT", caller, path, RollUpRead, None)
        await self.remove(caller, path)
        return await self.roll_up(caller, objective_id)

    # --- Objectives --------------------------------------------------------------------------

    async def objectives_by_ids(
        self, caller: Caller, ids: Sequence[uuid.UUID]
    ) -> list[ObjectiveRead]:
        return await self._by_ids(caller, "/v1/objectives", Page[ObjectiveRead], ids)

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
        limit: int,
        cursor: str | None = None,
        owner_person_id: uuid.UUID | None = None,
        owner_team_id: uuid.UUID | None = None,
        cycle_id: uuid.UUID | None = None,
    ) -> Page[ObjectiveRead]:
        return await self._page(
            caller,
            "/v1/objectives",
            Page[ObjectiveRead],
            limit,
            cursor,
            owner_person_id=owner_person_id,
            owner_team_id=owner_team_id,
            cycle_id=cycle_id,
        )

    async def list_comments(
        self, caller: Caller, objective_id: uuid.UUID, limit: int, cursor: str | None = None
    ) -> Page[CommentRead]:
        path = f"/v1/objectives/{objective_id}/comments"
        return await self._page(caller, path, Page[CommentRead], limit, cursor)

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
        return await self._page(
            caller, "/v1/search", Page[SearchHitRead], limit, cursor, q=q, cycle_id=cycle_id
        )

    # --- Key results -------------------------------------------------------------------------

    async def key_results_by_ids(
        self, caller: Caller, ids: Sequence[uuid.UUID]
    ) -> list[KeyResultRead]:
        return await self._by_ids(caller, "/v1/key-results", Page[KeyResultRead], ids)

    # --- Check-ins ---------------------------------------------------------------------------

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
        return await self._page(
            caller,
            "/v1/check-ins/due",
            Page[DueCheckInRead],
            limit,
            cursor,
            person_id=person_id,
            team_id=team_id,
        )

    # --- Help requests and experiments -------------------------------------------------------

    async def my_help_requests(
        self,
        caller: Caller,
        role: HelpRequestRole | None,
        state: HelpRequestState | None,
        limit: int,
        cursor: str | None = None,
    ) -> Page[HelpRequestRead]:
        """The caller's own: those they asked, or were asked to help with."""
        return await self._page(
            caller,
            "/v1/help-requests",
            Page[HelpRequestRead],
            limit,
            cursor,
            role=role.value if role is not None else None,
            state=state.value if state is not None else None,
        )

    async def objective_help_requests(
        self, caller: Caller, objective_id: uuid.UUID, limit: int, cursor: str | None = None
    ) -> Page[HelpRequestRead]:
        path = f"/v1/objectives/{objective_id}/help-requests"
        return await self._page(caller, path, Page[HelpRequestRead], limit, cursor)

    async def key_result_experiments(
        self, caller: Caller, key_result_id: uuid.UUID, limit: int, cursor: str | None = None
    ) -> Page[ExperimentRead]:
        path = f"/v1/key-results/{key_result_id}/experiments"
        return await self._page(caller, path, Page[ExperimentRead], limit, cursor)

    async def learnings(
        self, caller: Caller, q: str | None, limit: int, cursor: str | None = None
    ) -> Page[ExperimentRead]:
        """Experiments with a learning, matching `q` if given, oldest first."""
        return await self._page(caller, "/v1/learnings", Page[ExperimentRead], limit, cursor, q=q)

    # --- Ideas and development goals ---------------------------------------------------------

    async def ideas_by_ids(self, caller: Caller, ids: Sequence[uuid.UUID]) -> list[IdeaRead]:
        return await self._by_ids(caller, "/v1/ideas", Page[IdeaRead], ids)

    async def list_ideas(
        self,
        caller: Caller,
        *,
        limit: int,
        cursor: str | None = None,
        status: IdeaStatus | None = None,
    ) -> Page[IdeaRead]:
        """Every idea, oldest first (never by standing)."""
        value = status.value if status is not None else None
        return await self._page(caller, "/v1/ideas", Page[IdeaRead], limit, cursor, status=value)

    async def idea_reviews(self, caller: Caller, idea_id: uuid.UUID) -> IdeaReviewsRead:
        """An idea's reviews as the caller may read them."""
        return await self._get(caller, f"/v1/ideas/{idea_id}/reviews", IdeaReviewsRead)

    async def development_goals_by_ids(
        self, caller: Caller, ids: Sequence[uuid.UUID]
    ) -> list[DevelopmentGoalRead]:
        return await self._by_ids(caller, "/v1/development-goals", Page[DevelopmentGoalRead], ids)

    async def development_goals_of(
        self, caller: Caller, person_id: uuid.UUID, *, limit: int, cursor: str | None = None
    ) -> Page[DevelopmentGoalRead]:
        """One person's development goals that the caller may read, oldest first."""
        path = "/v1/development-goals"
        return await self._page(
            caller, path, Page[DevelopmentGoalRead], limit, cursor, person_id=person_id
        )

    # --- Writes ------------------------------------------------------------------------------
    # A version given to a write becomes `If-Match` (the first closing needs none); an
    # idempotency key, `Idempotency-Key`.

    create_cycle = Write("POST", "/v1/cycles", CycleCreate, CycleRead)
    update_cycle = Write("PATCH", "/v1/cycles/{}", CycleUpdate, CycleRead)
    submit_closing = Write("PUT", "/v1/objectives/{}/closing", ClosingSubmit, ClosingRead)
    create_objective = Write("POST", "/v1/objectives", ObjectiveCreate, ObjectiveRead)
    update_objective = Write("PATCH", "/v1/objectives/{}", ObjectiveUpdate, ObjectiveRead)
    add_contributor = Write("POST", "/v1/objectives/{}/contributors", ContributorAdd, ObjectiveRead)
    sign_objective: Write[BaseModel, ObjectiveRead] = Write(
        "POST", "/v1/objectives/{}/signatures", None, ObjectiveRead
    )
    comment = Write("POST", "/v1/objectives/{}/comments", CommentCreate, CommentRead)
    create_key_result = Write(
        "POST", "/v1/objectives/{}/key-results", KeyResultCreate, KeyResultRead
    )
    update_key_result = Write("PATCH", "/v1/key-results/{}", KeyResultUpdate, KeyResultRead)
    check_in = Write("POST", "/v1/key-results/{}/check-ins", CheckInCreate, CheckInRead)
    align = Write("POST", "/v1/objectives/{}/alignments", AlignmentCreate, AlignmentRead)
    # The parent's side accepts, declines or weighs a link.
    update_alignment = Write("PATCH", "/v1/alignments/{}", AlignmentUpdate, AlignmentRead)
    declare_dependency = Write(
        "POST", "/v1/objectives/{}/dependencies", DependencyCreate, DependencyRead
    )
    update_dependency = Write("PATCH", "/v1/dependencies/{}", DependencyUpdate, DependencyRead)
    open_help_request = Write("POST", "/v1/help-requests", HelpRequestCreate, HelpRequestRead)
    offer_help = Write("POST", "/v1/help-requests/{}/offers", HelpOfferCreate, HelpRequestRead)
    resolve_help_request = Write(
        "POST", "/v1/help-requests/{}/resolution", HelpRequestResolve, HelpRequestRead
    )
    record_experiment = Write(
        "POST", "/v1/key-results/{}/experiments", ExperimentCreate, ExperimentRead
    )
    update_experiment = Write("PATCH", "/v1/experiments/{}", ExperimentUpdate, ExperimentRead)
    propose_idea = Write("POST", "/v1/ideas", IdeaCreate, IdeaRead)
    review_idea = Write("POST", "/v1/ideas/{}/reviews", ReviewCreate, ReviewRead)
    update_idea_review = Write("PATCH", "/v1/idea-reviews/{}", ReviewUpdate, ReviewRead)
    allocate_idea = Write("POST", "/v1/ideas/{}/allocation", AllocationCreate, IdeaRead)
    create_development_goal = Write(
        "POST", "/v1/development-goals", DevelopmentGoalCreate, DevelopmentGoalRead
    )
    update_development_goal = Write(
        "PATCH", "/v1/development-goals/{}", DevelopmentGoalUpdate, DevelopmentGoalRead
    )
    complete_development_goal = Write(
        "POST",
        "/v1/development-goals/{}/complete",
        DevelopmentGoalComplete,
        DevelopmentGoalRead,
    )
    add_plan_item = Write(
        "POST", "/v1/development-goals/{}/plan-items", LearningItemCreate, LearningItemRead
    )
    update_plan_item = Write("PATCH", "/v1/plan-items/{}", LearningItemUpdate, LearningItemRead)
    # Removals (`remove`), answered `204`.
    contributor_path = "/v1/objectives/{}/contributors/{}"
    key_result_path = "/v1/key-results/{}"
    alignment_path = "/v1/alignments/{}"
    dependency_path = "/v1/dependencies/{}"
