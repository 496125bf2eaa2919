"""Per-request DataLoaders: every cross-service field goes through one, so that each nesting
level of a query becomes one batch request per field and service (per 100 keys), in parallel.
They act for one caller and live for one request: their caches hold what this caller may see.
Three shapes serve every field: objects by id, pages of children of many parents, and one
request per key; `Loaders.for_caller` names each field's `<Things>By<Key>Loader`."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, NamedTuple, Protocol, TypeVar

from strawberry.dataloader import DataLoader

from gateway.clients import (
    AssessmentClient,
    Caller,
    Clients,
    FeedbackClient,
    GoalsClient,
    ServiceClient,
    ServiceError,
)
from gateway.clients.base import Children
from kit.pagination import MAX_BATCH_IDS, Page
from services.assessment.instruments.schemas import InstrumentRead
from services.assessment.reports.schemas import GroupReport
from services.assessment.rounds.schemas import MyResponseRead
from services.feedback.nominations.schemas import (
    NominationPeriodRead,
    NominationResultsRead,
    ReasonsRead,
)
from services.feedback.oneonones.schemas import (
    ActionItemRead,
    MeetingRead,
    MeetingSummaryRead,
    PrivateNoteRead,
    SeriesRead,
)
from services.feedback.recognition.schemas import CompanyValueRead, RecognitionRead
from services.feedback.requests.schemas import FeedbackRequestRead, PartStatus, RequestRole
from services.feedback.schemas import FeedbackRead, PersonRole
from services.goals.alignment.schemas import (
    AlignmentGraphRead,
    AlignmentRead,
    DependencyRead,
    DependencyState,
)
from services.goals.checkins.schemas import CheckInRead, DueCheckInRead
from services.goals.cycles.schemas import CycleRead, CycleReportRead
from services.goals.development.schemas import DevelopmentGoalRead
from services.goals.drafting.schemas import CommentRead
from services.goals.experiments.schemas import ExperimentRead
from services.goals.help.schemas import HelpRequestRead, HelpRequestRole, HelpRequestState
from services.goals.ideas.schemas import IdeaRead, IdeaReviewsRead
from services.goals.keyresults.schemas import KeyResultRead
from services.goals.schemas import ObjectiveRead
from services.people.schemas import PersonRead, TeamRead


class Identified(Protocol):
    @property
    def id(self) -> uuid.UUID: ...


R = TypeVar("R", bound=Identified)
V = TypeVar("V")
K = TypeVar("K", bound=Hashable)
P = TypeVar("P", bound=Hashable)


# --- Objects by id ---------------------------------------------------------------------------


class ByIdLoader(DataLoader[uuid.UUID, R | None]):
    """Objects by id over a `?id=` batch read; unknown (or hidden) ids load as None."""

    def __init__(
        self, caller: Caller, fetch: Callable[[Caller, Sequence[uuid.UUID]], Awaitable[list[R]]]
    ) -> None:
        async def load(ids: list[uuid.UUID]) -> list[R | None]:
            found = {item.id: item for item in await fetch(caller, ids)}
            return [found.get(id_) for id_ in ids]

        super().__init__(load, max_batch_size=MAX_BATCH_IDS)


# --- Children of many parents ----------------------------------------------------------------


class PageKey(NamedTuple, Generic[P]):
    """A page of one parent's children: `first` of them, after `after` (None: from the start)."""

    parent: P
    first: int
    after: str | None = None


Pages = dict[PageKey[P], Page[V] | BaseException]
FirstPages = Callable[[Caller, list[P], int], Awaitable[dict[P, Page[V]]]]
LaterPage = Callable[[Caller, P, int, str], Awaitable[Page[V]]]


@dataclass(frozen=True, slots=True)
class _PagesOfChildren(Generic[P, V]):
    """A `ChildrenLoader`'s batch function. Kept apart from the loader: a loader whose batch
    function is its own bound method refers to itself, and everything it loaded would then
    wait for the cyclic garbage collector instead of going when the request does."""

    caller: Caller
    first_pages: FirstPages[P, V]
    later_page: LaterPage[P, V]

    async def __call__(self, keys: list[PageKey[P]]) -> list[Page[V] | BaseException]:
        sizes: dict[int, list[P]] = defaultdict(list)
        for key in keys:
            if key.after is None:
                sizes[key.first].append(key.parent)
        calls = [self._first(parents, first) for first, parents in sizes.items()]
        calls += [self._later(key, key.after) for key in keys if key.after is not None]
        pages: Pages[P, V] = {}
        for result in await asyncio.gather(*calls):
            pages.update(result)
        return [pages[key] for key in keys]

    async def _first(self, parents: list[P], first: int) -> Pages[P, V]:
        keys = [PageKey(parent, first) for parent in parents]
        try:
            found = await self.first_pages(self.caller, parents, first)
        except ServiceError as error:
            return dict.fromkeys(keys, error)
        empty: Page[V] = Page(items=[], next_cursor=None)
        return {key: found.get(key.parent, empty) for key in keys}

    async def _later(self, key: PageKey[P], after: str) -> Pages[P, V]:
        try:
            return {key: await self.later_page(self.caller, key.parent, key.first, after)}
        except ServiceError as error:
            return {key: error}


class ChildrenLoader(DataLoader[PageKey[P], Page[V]], Generic[P, V]):
    """Pages of children of many parents. First pages come from the service's grouped batch
    read (`first_pages`), one request per page size; a page after a cursor is the parent's own
    list (`later_page`), read on its own. The requests of a batch run in parallel; one failing
    fails only its own keys."""

    def __init__(
        self, caller: Caller, first_pages: FirstPages[P, V], later_page: LaterPage[P, V]
    ) -> None:
        super().__init__(
            _PagesOfChildren(caller, first_pages, later_page), max_batch_size=MAX_BATCH_IDS
        )


class Owner(NamedTuple):
    """Whose objectives: a person's or a team's, in one cycle or all."""

    person_id: uuid.UUID | None
    team_id: uuid.UUID | None
    cycle_id: uuid.UUID | None = None


class ObjectivesOfOwners:
    """People's and teams' objectives together, as `ChildrenLoader` reads them: one batch
    read per cycle asked about."""

    def __init__(self, goals: GoalsClient) -> None:
        self.goals = goals

    async def first_pages(
        self, caller: Caller, owners: list[Owner], first: int
    ) -> dict[Owner, Page[ObjectiveRead]]:
        cycles: dict[uuid.UUID | None, list[Owner]] = defaultdict(list)
        for owner in owners:
            cycles[owner.cycle_id].append(owner)
        found: dict[Owner, Page[ObjectiveRead]] = {}
        for groups in await asyncio.gather(
            *(
                self._in_cycle(caller, owners, cycle_id, first)
                for cycle_id, owners in cycles.items()
            )
        ):
            found.update(groups)
        return found

    async def _in_cycle(
        self, caller: Caller, owners: list[Owner], cycle_id: uuid.UUID | None, first: int
    ) -> dict[Owner, Page[ObjectiveRead]]:
        groups = await self.goals.objectives_by_owner(
            caller,
            person_ids=[owner.person_id for owner in owners if owner.person_id is not None],
            team_ids=[owner.team_id for owner in owners if owner.team_id is not None],
            cycle_id=cycle_id,
            per_owner=first,
        )
        return {
            Owner(group.owner_person_id, group.owner_team_id, cycle_id): Page(
                items=group.items, next_cursor=group.next_cursor
            )
            for group in groups
        }

    async def later_page(
        self, caller: Caller, owner: Owner, first: int, after: str
    ) -> Page[ObjectiveRead]:
        return await self.goals.list_objectives(
            caller,
            limit=first,
            cursor=after,
            owner_person_id=owner.person_id,
            owner_team_id=owner.team_id,
            cycle_id=owner.cycle_id,
        )


class PersonFeedback(NamedTuple):
    """A person's feedback: what they received, gave, or either."""

    person_id: uuid.UUID
    role: PersonRole


class FeedbackOfPeople:
    """People's feedback, as `ChildrenLoader` reads it: one grouped read per role asked about
    (received, given, either), sent in parallel."""

    def __init__(self, feedback: FeedbackClient) -> None:
        self.feedback = feedback

    async def first_of_people(
        self, caller: Caller, keys: list[PersonFeedback], first: int
    ) -> dict[PersonFeedback, Page[FeedbackRead]]:
        roles: dict[PersonRole, list[uuid.UUID]] = defaultdict(list)
        for key in keys:
            roles[key.role].append(key.person_id)
        found: dict[PersonFeedback, Page[FeedbackRead]] = {}
        pages = await asyncio.gather(
            *(
                self.feedback.first_of_people(caller, role, people, first)
                for role, people in roles.items()
            )
        )
        for role, groups in zip(roles, pages, strict=True):
            found.update({PersonFeedback(id_, role): page for id_, page in groups.items()})
        return found

    async def later_of_person(
        self, caller: Caller, key: PersonFeedback, first: int, after: str
    ) -> Page[FeedbackRead]:
        return await self.feedback.later_of_person(caller, key.role, key.person_id, first, after)


# --- One request per key ---------------------------------------------------------------------


class PerKeyLoader(DataLoader[K, V], Generic[K, V]):
    """For reads the service has no grouped form of: each key is one request, all sent in
    parallel; one failing fails only its own key. Asked once (the viewer, one cycle), that is
    one request."""

    def __init__(self, caller: Caller, fetch: Callable[[Caller, K], Awaitable[V]]) -> None:
        async def load(keys: list[K]) -> list[V | BaseException]:
            return list(await asyncio.gather(*(one(key) for key in keys)))

        async def one(key: K) -> V | BaseException:
            try:
                return await fetch(caller, key)
            except ServiceError as error:
                return error

        super().__init__(load, max_batch_size=MAX_BATCH_IDS)


class ResultsByPeriodIdLoader(DataLoader[uuid.UUID, NominationResultsRead | None]):
    """Nomination results by period over one batch read, however many periods a page holds;
    an open or unknown period loads as None."""

    def __init__(self, caller: Caller, feedback: FeedbackClient) -> None:
        async def load(ids: list[uuid.UUID]) -> list[NominationResultsRead | None]:
            found = await feedback.nomination_results(caller, ids)
            return [found.get(id_) for id_ in ids]

        super().__init__(load, max_batch_size=MAX_BATCH_IDS)


class MyResponseByRoundIdLoader(DataLoader[uuid.UUID, MyResponseRead | None]):
    """The caller's own part in rounds over one batch read; a round they are not asked in
    loads as None."""

    def __init__(self, caller: Caller, assessment: AssessmentClient) -> None:
        async def load(ids: list[uuid.UUID]) -> list[MyResponseRead | None]:
            found = await assessment.my_responses(caller, ids)
            return [found.get(id_) for id_ in ids]

        super().__init__(load, max_batch_size=MAX_BATCH_IDS)


class OwnNoteByMeetingIdLoader(DataLoader[uuid.UUID, PrivateNoteRead | None]):
    """The caller's own private notes by meeting over one batch read; a meeting they wrote no
    note on (or do not take part in) loads as None. Nobody else's note is ever read."""

    def __init__(self, caller: Caller, feedback: FeedbackClient) -> None:
        async def load(ids: list[uuid.UUID]) -> list[PrivateNoteRead | None]:
            found = {note.meeting_id: note for note in await feedback.own_notes(caller, ids)}
            return [found.get(id_) for id_ in ids]

        super().__init__(load, max_batch_size=MAX_BATCH_IDS)


class TeamRound(NamedTuple):
    """A team's report of a round."""

    team_id: uuid.UUID
    round_id: uuid.UUID


class ReportByTeamRoundLoader(DataLoader[TeamRound, GroupReport | None]):
    """Teams' reports: one batch read per round asked about (one, in a team list), in
    parallel; a report the caller may not read loads as None, a refusal of the round (not
    closed) fails its own keys."""

    def __init__(self, caller: Caller, assessment: AssessmentClient) -> None:
        async def load(keys: list[TeamRound]) -> list[GroupReport | BaseException | None]:
            teams: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
            for key in keys:
                teams[key.round_id].append(key.team_id)
            rounds = list(teams)
            found = await asyncio.gather(
                *(assessment.team_reports(caller, r, teams[r]) for r in rounds),
                return_exceptions=True,
            )
            by_round = dict(zip(rounds, found, strict=True))
            return [
                result if isinstance(result, BaseException) else result.get(key.team_id)
                for key in keys
                for result in [by_round[key.round_id]]
            ]

        super().__init__(load, max_batch_size=MAX_BATCH_IDS)


class CycleDependencies(NamedTuple):
    """The dependencies of a cycle, in one state or all."""

    cycle_id: uuid.UUID
    state: DependencyState | None = None


class MyHelpRequests(NamedTuple):
    """The help requests the caller asked (`mine`) or was asked (`addressed`); None: both."""

    role: HelpRequestRole | None = None
    state: HelpRequestState | None = None


class MyRequests(NamedTuple):
    """The feedback requests the caller takes part in: as `role`, their own part in `status`
    (None: any)."""

    role: RequestRole | None = None
    status: PartStatus | None = None


def children_loader(
    caller: Caller, client: ServiceClient, children: Children[V]
) -> ChildrenLoader[uuid.UUID, V]:
    """Pages of the `children` a service serves of many parents of one kind."""
    return ChildrenLoader(
        caller,
        lambda caller, parents, first: client.first_pages(caller, children, parents, first),
        lambda caller, parent, first, after: client.later_page(
            caller, children, parent, first, after
        ),
    )


# --- One request's loaders -------------------------------------------------------------------

PersonByIdLoader = ByIdLoader[PersonRead]
TeamByIdLoader = ByIdLoader[TeamRead]
CycleByIdLoader = ByIdLoader[CycleRead]
ObjectiveByIdLoader = ByIdLoader[ObjectiveRead]
KeyResultByIdLoader = ByIdLoader[KeyResultRead]
ReportsByManagerIdLoader = ChildrenLoader[uuid.UUID, PersonRead]
ObjectivesByOwnerLoader = ChildrenLoader[Owner, ObjectiveRead]
KeyResultsByObjectiveIdLoader = ChildrenLoader[uuid.UUID, KeyResultRead]
CheckInsByKeyResultIdLoader = ChildrenLoader[uuid.UUID, CheckInRead]
AlignmentsByObjectiveIdLoader = ChildrenLoader[uuid.UUID, AlignmentRead]
# The person the token names: however many times an operation asks for `viewer` (aliases
# included), one request.
ViewerByCallerLoader = PerKeyLoader[Caller, PersonRead]
DueCheckInsByOwnerLoader = PerKeyLoader[PageKey[Owner], Page[DueCheckInRead]]
AlignmentGraphByCycleIdLoader = PerKeyLoader[uuid.UUID, AlignmentGraphRead]
ReportByCycleIdLoader = PerKeyLoader[uuid.UUID, CycleReportRead]
DependenciesByCycleLoader = PerKeyLoader[PageKey[CycleDependencies], Page[DependencyRead]]
CommentsByObjectiveIdLoader = PerKeyLoader[PageKey[uuid.UUID], Page[CommentRead]]
IdeaByIdLoader = ByIdLoader[IdeaRead]
# An idea's reviews come whole (the caller's own and the comments): one request per idea.
ReviewsByIdeaIdLoader = PerKeyLoader[uuid.UUID, IdeaReviewsRead]
DevelopmentGoalByIdLoader = ByIdLoader[DevelopmentGoalRead]
# The service lists one person's goals at a time: one request per person asked about.
DevelopmentGoalsByPersonLoader = PerKeyLoader[PageKey[uuid.UUID], Page[DevelopmentGoalRead]]
FeedbackByIdLoader = ByIdLoader[FeedbackRead]
FeedbackByPersonLoader = ChildrenLoader[PersonFeedback, FeedbackRead]
FeedbackByObjectiveIdLoader = ChildrenLoader[uuid.UUID, FeedbackRead]
FeedbackRequestByIdLoader = ByIdLoader[FeedbackRequestRead]
RecognitionByIdLoader = ByIdLoader[RecognitionRead]
CompanyValueByIdLoader = ByIdLoader[CompanyValueRead]
NominationPeriodByIdLoader = ByIdLoader[NominationPeriodRead]
# What the caller was nominated for is theirs alone: one request per closed period asked about.
ReasonsByPeriodIdLoader = PerKeyLoader[uuid.UUID, ReasonsRead]
# Only the caller's own requests can be listed: asked once (`viewer`), one request.
FeedbackRequestsByCallerLoader = PerKeyLoader[PageKey[MyRequests], Page[FeedbackRequestRead]]
# One request per objective (or key result) asked: few are asked at once.
HelpRequestsByObjectiveIdLoader = PerKeyLoader[PageKey[uuid.UUID], Page[HelpRequestRead]]
HelpRequestsByCallerLoader = PerKeyLoader[PageKey[MyHelpRequests], Page[HelpRequestRead]]
ExperimentsByKeyResultIdLoader = PerKeyLoader[PageKey[uuid.UUID], Page[ExperimentRead]]
InstrumentByIdLoader = ByIdLoader[InstrumentRead]
OneOnOneByIdLoader = ByIdLoader[SeriesRead]
MeetingByIdLoader = ByIdLoader[MeetingRead]
MeetingsByOneOnOneIdLoader = ChildrenLoader[uuid.UUID, MeetingSummaryRead]
# Only the caller's own 1:1s and action items can be listed: asked once (`viewer`), one request.
OneOnOnesByCallerLoader = PerKeyLoader[PageKey[None], Page[SeriesRead]]
ActionItemsByCallerLoader = PerKeyLoader[PageKey[bool | None], Page[ActionItemRead]]


@dataclass(frozen=True, slots=True)
class Loaders:
    viewer_by_caller: ViewerByCallerLoader
    person_by_id: PersonByIdLoader
    team_by_id: TeamByIdLoader
    reports_by_manager_id: ReportsByManagerIdLoader
    cycle_by_id: CycleByIdLoader
    objective_by_id: ObjectiveByIdLoader
    key_result_by_id: KeyResultByIdLoader
    objectives_by_owner: ObjectivesByOwnerLoader
    key_results_by_objective_id: KeyResultsByObjectiveIdLoader
    check_ins_by_key_result_id: CheckInsByKeyResultIdLoader
    due_check_ins_by_owner: DueCheckInsByOwnerLoader
    alignment_graph_by_cycle_id: AlignmentGraphByCycleIdLoader
    report_by_cycle_id: ReportByCycleIdLoader
    dependencies_by_cycle: DependenciesByCycleLoader
    parents_by_objective_id: AlignmentsByObjectiveIdLoader
    children_by_objective_id: AlignmentsByObjectiveIdLoader
    comments_by_objective_id: CommentsByObjectiveIdLoader
    idea_by_id: IdeaByIdLoader
    reviews_by_idea_id: ReviewsByIdeaIdLoader
    development_goal_by_id: DevelopmentGoalByIdLoader
    development_goals_by_person: DevelopmentGoalsByPersonLoader
    feedback_by_id: FeedbackByIdLoader
    feedback_by_person: FeedbackByPersonLoader
    feedback_by_objective_id: FeedbackByObjectiveIdLoader
    feedback_request_by_id: FeedbackRequestByIdLoader
    feedback_requests_by_caller: FeedbackRequestsByCallerLoader
    recognition_by_id: RecognitionByIdLoader
    company_value_by_id: CompanyValueByIdLoader
    nomination_period_by_id: NominationPeriodByIdLoader
    results_by_period_id: ResultsByPeriodIdLoader
    reasons_by_period_id: ReasonsByPeriodIdLoader
    help_requests_by_objective_id: HelpRequestsByObjectiveIdLoader
    help_requests_by_caller: HelpRequestsByCallerLoader
    experiments_by_key_result_id: ExperimentsByKeyResultIdLoader

    instrument_by_id: InstrumentByIdLoader
    my_response_by_round_id: MyResponseByRoundIdLoader
    report_by_team_round: ReportByTeamRoundLoader
    one_on_one_by_id: OneOnOneByIdLoader
    one_on_ones_by_caller: OneOnOnesByCallerLoader
    meetings_by_one_on_one_id: MeetingsByOneOnOneIdLoader
    meeting_by_id: MeetingByIdLoader
    own_note_by_meeting_id: OwnNoteByMeetingIdLoader
    action_items_by_caller: ActionItemsByCallerLoader

    def clear(self) -> None:
        """Empties every loader's cache (see `Context.close`)."""
        for each in dataclasses.fields(self):
            getattr(self, each.name).clear_all()

    @classmethod
    def for_caller(cls, clients: Clients, caller: Caller) -> Loaders:
        people, goals, feedback = clients.people, clients.goals, clients.feedback
        owners = ObjectivesOfOwners(goals)
        of_people = FeedbackOfPeople(feedback)
        return cls(
            viewer_by_caller=PerKeyLoader(caller, lambda _, key: people.me(key)),
            person_by_id=ByIdLoader(caller, people.people_by_ids),
            team_by_id=ByIdLoader(caller, people.teams_by_ids),
            reports_by_manager_id=children_loader(caller, people, people.reports),
            cycle_by_id=ByIdLoader(caller, goals.cycles_by_ids),
            objective_by_id=ByIdLoader(caller, goals.objectives_by_ids),
            key_result_by_id=ByIdLoader(caller, goals.key_results_by_ids),
            objectives_by_owner=ChildrenLoader(caller, owners.first_pages, owners.later_page),
            key_results_by_objective_id=children_loader(caller, goals, goals.key_results),
            check_ins_by_key_result_id=children_loader(caller, goals, goals.check_ins),
            due_check_ins_by_owner=PerKeyLoader(
                caller,
                lambda caller, key: goals.due_check_ins(
                    caller,
                    person_id=key.parent.person_id,
                    team_id=key.parent.team_id,
                    limit=key.first,
                    cursor=key.after,
                ),
            ),
            alignment_graph_by_cycle_id=PerKeyLoader(caller, goals.cycle_alignment),
            report_by_cycle_id=PerKeyLoader(caller, goals.cycle_report),
            dependencies_by_cycle=PerKeyLoader(
                caller,
                lambda caller, key: goals.cycle_dependencies(
                    caller,
                    key.parent.cycle_id,
                    limit=key.first,
                    cursor=key.after,
                    state=key.parent.state,
                ),
            ),
            parents_by_objective_id=children_loader(caller, goals, goals.parents),
            children_by_objective_id=children_loader(caller, goals, goals.children),
            comments_by_objective_id=PerKeyLoader(
                caller,
                lambda caller, key: goals.list_comments(caller, key.parent, key.first, key.after),
            ),
            idea_by_id=ByIdLoader(caller, goals.ideas_by_ids),
            reviews_by_idea_id=PerKeyLoader(caller, goals.idea_reviews),
            development_goal_by_id=ByIdLoader(caller, goals.development_goals_by_ids),
            development_goals_by_person=PerKeyLoader(
                caller,
                lambda caller, key: goals.development_goals_of(
                    caller, key.parent, limit=key.first, cursor=key.after
                ),
            ),
            feedback_by_id=ByIdLoader(caller, feedback.feedback_by_ids),
            feedback_by_person=ChildrenLoader(
                caller, of_people.first_of_people, of_people.later_of_person
            ),
            feedback_by_objective_id=ChildrenLoader(
                caller, feedback.first_of_objectives, feedback.later_of_objective
            ),
            feedback_request_by_id=ByIdLoader(caller, feedback.requests_by_ids),
            recognition_by_id=ByIdLoader(caller, feedback.recognitions_by_ids),
            company_value_by_id=ByIdLoader(caller, feedback.values_by_ids),
            nomination_period_by_id=ByIdLoader(caller, feedback.periods_by_ids),
            results_by_period_id=ResultsByPeriodIdLoader(caller, feedback),
            reasons_by_period_id=PerKeyLoader(caller, feedback.my_reasons),
            feedback_requests_by_caller=PerKeyLoader(
                caller,
                lambda caller, key: feedback.my_requests(
                    caller, key.parent.role, key.parent.status, key.first, key.after
                ),
            ),
            help_requests_by_objective_id=PerKeyLoader(
                caller,
                lambda caller, key: goals.objective_help_requests(
                    caller, key.parent, key.first, key.after
                ),
            ),
            help_requests_by_caller=PerKeyLoader(
                caller,
                lambda caller, key: goals.my_help_requests(
                    caller, key.parent.role, key.parent.state, key.first, key.after
                ),
            ),
            experiments_by_key_result_id=PerKeyLoader(
                caller,
                lambda caller, key: goals.key_result_experiments(
                    caller, key.parent, key.first, key.after
                ),
            ),
            instrument_by_id=ByIdLoader(caller, clients.assessment.instruments_by_ids),
            my_response_by_round_id=MyResponseByRoundIdLoader(caller, clients.assessment),
            report_by_team_round=ReportByTeamRoundLoader(caller, clients.assessment),
            one_on_one_by_id=ByIdLoader(caller, feedback.series_by_ids),
            one_on_ones_by_caller=PerKeyLoader(
                caller, lambda caller, key: feedback.my_series(caller, key.first, key.after)
            ),
            meetings_by_one_on_one_id=children_loader(caller, feedback, feedback.meetings),
            meeting_by_id=ByIdLoader(caller, feedback.meetings_by_ids),
            own_note_by_meeting_id=OwnNoteByMeetingIdLoader(caller, feedback),
            action_items_by_caller=PerKeyLoader(
                caller,
                lambda caller, key: feedback.my_action_items(
                    caller, key.parent, key.first, key.after
                ),
            ),
        )
