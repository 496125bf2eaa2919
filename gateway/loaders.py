"""Per-request DataLoaders: every cross-service field goes through one, so that each nesting
level of a query becomes one batch request per field and service (per 100 keys), in parallel.
They act for one caller and live for one request: their caches hold what this caller may see."""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Generic, NamedTuple, TypeVar

from strawberry.dataloader import DataLoader

from gateway.clients import Caller, Clients, GoalsClient, PeopleClient, ServiceError
from gateway.clients.goals import Direction
from kit.pagination import MAX_BATCH_IDS, Page
from services.goals.alignment.schemas import (
    AlignmentGraphRead,
    AlignmentRead,
    DependencyRead,
    DependencyState,
)
from services.goals.checkins.schemas import CheckInRead, DueCheckInRead
from services.goals.cycles.schemas import CycleRead, CycleReportRead
from services.goals.drafting.schemas import CommentRead
from services.goals.keyresults.schemas import KeyResultRead
from services.goals.schemas import ObjectiveRead
from services.people.schemas import PersonRead, TeamRead

V = TypeVar("V")
P = TypeVar("P", bound=Hashable)


# --- Objects by id ---------------------------------------------------------------------------


class ByIdLoader(DataLoader[uuid.UUID, V | None]):
    """Objects by id over a `?id=` batch read; unknown (or hidden) ids load as None."""

    def __init__(
        self,
        fetch: Callable[[Caller, Sequence[uuid.UUID]], Awaitable[Sequence[V]]],
        key: Callable[[V], uuid.UUID],
        caller: Caller,
    ) -> None:
        async def load(ids: list[uuid.UUID]) -> list[V | None]:
            found = {key(item): item for item in await fetch(caller, ids)}
            return [found.get(id_) for id_ in ids]

        super().__init__(load, max_batch_size=MAX_BATCH_IDS)


class PersonByIdLoader(ByIdLoader[PersonRead]):
    def __init__(self, people: PeopleClient, caller: Caller) -> None:
        super().__init__(people.people_by_ids, lambda person: person.id, caller)


class TeamByIdLoader(ByIdLoader[TeamRead]):
    def __init__(self, people: PeopleClient, caller: Caller) -> None:
        super().__init__(people.teams_by_ids, lambda team: team.id, caller)


class CycleByIdLoader(ByIdLoader[CycleRead]):
    def __init__(self, goals: GoalsClient, caller: Caller) -> None:
        super().__init__(goals.cycles_by_ids, lambda cycle: cycle.id, caller)


class ObjectiveByIdLoader(ByIdLoader[ObjectiveRead]):
    def __init__(self, goals: GoalsClient, caller: Caller) -> None:
        super().__init__(goals.objectives_by_ids, lambda objective: objective.id, caller)


class KeyResultByIdLoader(ByIdLoader[KeyResultRead]):
    def __init__(self, goals: GoalsClient, caller: Caller) -> None:
        super().__init__(goals.key_results_by_ids, lambda key_result: key_result.id, caller)


# --- Children of many parents ----------------------------------------------------------------


class PageKey(NamedTuple, Generic[P]):
    """A page of one parent's children: `first` of them, after `after` (None: from the start)."""

    parent: P
    first: int
    after: str | None = None


Pages = dict[PageKey[P], Page[V] | BaseException]


class ChildrenLoader(DataLoader[PageKey[P], Page[V]], Generic[P, V]):
    """Pages of children of many parents. First pages come from the service's grouped batch
    read, one request per page size; a page after a cursor is the parent's own list, read on
    its own. The requests of a batch run in parallel; one failing fails only its own keys."""

    def __init__(self, caller: Caller) -> None:
        self.caller = caller
        super().__init__(self._load, max_batch_size=MAX_BATCH_IDS)

    async def first_pages(self, parents: list[P], first: int) -> dict[P, Page[V]]:
        """The first page of each parent, from one batch read."""
        raise NotImplementedError

    async def later_page(self, parent: P, first: int, after: str) -> Page[V]:
        raise NotImplementedError

    async def _load(self, keys: list[PageKey[P]]) -> list[Page[V] | BaseException]:
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
            found = await self.first_pages(parents, first)
        except ServiceError as error:
            return dict.fromkeys(keys, error)
        empty: Page[V] = Page(items=[], next_cursor=None)
        return {key: found.get(key.parent, empty) for key in keys}

    async def _later(self, key: PageKey[P], after: str) -> Pages[P, V]:
        try:
            return {key: await self.later_page(key.parent, key.first, after)}
        except ServiceError as error:
            return {key: error}


class ReportsByManagerIdLoader(ChildrenLoader[uuid.UUID, PersonRead]):
    def __init__(self, people: PeopleClient, caller: Caller) -> None:
        self.people = people
        super().__init__(caller)

    async def first_pages(
        self, parents: list[uuid.UUID], first: int
    ) -> dict[uuid.UUID, Page[PersonRead]]:
        groups = await self.people.reports_by_manager(self.caller, parents, per_manager=first)
        return {
            group.manager_id: Page(items=group.items, next_cursor=group.next_cursor)
            for group in groups
        }

    async def later_page(self, parent: uuid.UUID, first: int, after: str) -> Page[PersonRead]:
        return await self.people.list_reports(self.caller, parent, limit=first, cursor=after)


class Owner(NamedTuple):
    """Whose objectives: a person's or a team's, in one cycle or all."""

    person_id: uuid.UUID | None
    team_id: uuid.UUID | None
    cycle_id: uuid.UUID | None = None


class ObjectivesByOwnerLoader(ChildrenLoader[Owner, ObjectiveRead]):
    """People's and teams' objectives together: one batch read per cycle asked about."""

    def __init__(self, goals: GoalsClient, caller: Caller) -> None:
        self.goals = goals
        super().__init__(caller)

    async def first_pages(
        self, parents: list[Owner], first: int
    ) -> dict[Owner, Page[ObjectiveRead]]:
        cycles: dict[uuid.UUID | None, list[Owner]] = defaultdict(list)
        for owner in parents:
            cycles[owner.cycle_id].append(owner)
        found: dict[Owner, Page[ObjectiveRead]] = {}
        for groups in await asyncio.gather(
            *(self._owners(owners, cycle_id, first) for cycle_id, owners in cycles.items())
        ):
            found.update(groups)
        return found

    async def _owners(
        self, owners: list[Owner], cycle_id: uuid.UUID | None, first: int
    ) -> dict[Owner, Page[ObjectiveRead]]:
        groups = await self.goals.objectives_by_owner(
            self.caller,
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

    async def later_page(self, parent: Owner, first: int, after: str) -> Page[ObjectiveRead]:
        return await self.goals.list_objectives(
            self.caller,
            limit=first,
            cursor=after,
            owner_person_id=parent.person_id,
            owner_team_id=parent.team_id,
            cycle_id=parent.cycle_id,
        )


class KeyResultsByObjectiveIdLoader(ChildrenLoader[uuid.UUID, KeyResultRead]):
    def __init__(self, goals: GoalsClient, caller: Caller) -> None:
        self.goals = goals
        super().__init__(caller)

    async def first_pages(
        self, parents: list[uuid.UUID], first: int
    ) -> dict[uuid.UUID, Page[KeyResultRead]]:
        groups = await self.goals.key_results_by_objective(
            self.caller, parents, per_objective=first
        )
        return {
            group.objective_id: Page(items=group.items, next_cursor=group.next_cursor)
            for group in groups
        }

    async def later_page(self, parent: uuid.UUID, first: int, after: str) -> Page[KeyResultRead]:
        return await self.goals.list_key_results(self.caller, parent, limit=first, cursor=after)


class CheckInsByKeyResultIdLoader(ChildrenLoader[uuid.UUID, CheckInRead]):
    def __init__(self, goals: GoalsClient, caller: Caller) -> None:
        self.goals = goals
        super().__init__(caller)

    async def first_pages(
        self, parents: list[uuid.UUID], first: int
    ) -> dict[uuid.UUID, Page[CheckInRead]]:
        groups = await self.goals.check_ins_by_key_result(
            self.caller, parents, per_key_result=first
        )
        return {
            group.key_result_id: Page(items=group.items, next_cursor=group.next_cursor)
            for group in groups
        }

    async def later_page(self, parent: uuid.UUID, first: int, after: str) -> Page[CheckInRead]:
        return await self.goals.list_check_ins(self.caller, parent, limit=first, cursor=after)


class AlignmentsByObjectiveIdLoader(ChildrenLoader[uuid.UUID, AlignmentRead]):
    """The links of many objectives in one `direction`: up to their parents, or from their
    children."""

    direction: ClassVar[Direction]

    def __init__(self, goals: GoalsClient, caller: Caller) -> None:
        self.goals = goals
        super().__init__(caller)

    async def first_pages(
        self, parents: list[uuid.UUID], first: int
    ) -> dict[uuid.UUID, Page[AlignmentRead]]:
        groups = await self.goals.alignments_by_objective(
            self.caller, parents, self.direction, per_objective=first
        )
        return {
            group.objective_id: Page(items=group.items, next_cursor=group.next_cursor)
            for group in groups
        }

    async def later_page(self, parent: uuid.UUID, first: int, after: str) -> Page[AlignmentRead]:
        return await self.goals.list_alignments(
            self.caller, parent, self.direction, limit=first, cursor=after
        )


class ParentsByObjectiveIdLoader(AlignmentsByObjectiveIdLoader):
    direction = "parents"


class ChildrenByObjectiveIdLoader(AlignmentsByObjectiveIdLoader):
    direction = "children"


# --- One request per key ---------------------------------------------------------------------

K = TypeVar("K", bound=Hashable)


class PerKeyLoader(DataLoader[K, V], Generic[K, V]):
    """For reads the service has no grouped form of: each key is one request, all sent in
    parallel; one failing fails only its own key. Asked once (the viewer, one cycle), that is
    one request."""

    def __init__(self, caller: Caller) -> None:
        self.caller = caller
        super().__init__(self._load, max_batch_size=MAX_BATCH_IDS)

    async def fetch(self, key: K) -> V:
        raise NotImplementedError

    async def _load(self, keys: list[K]) -> list[V | BaseException]:
        return list(await asyncio.gather(*(self._one(key) for key in keys)))

    async def _one(self, key: K) -> V | BaseException:
        try:
            return await self.fetch(key)
        except ServiceError as error:
            return error


class ViewerByCallerLoader(PerKeyLoader[Caller, PersonRead]):
    """The person the token names: however many times an operation asks for `viewer` (aliases
    included), one request."""

    def __init__(self, people: PeopleClient, caller: Caller) -> None:
        self.people = people
        super().__init__(caller)

    async def fetch(self, key: Caller) -> PersonRead:
        return await self.people.me(key)


class DueCheckInsByOwnerLoader(PerKeyLoader[PageKey[Owner], Page[DueCheckInRead]]):
    """The due check-ins of people and teams, one request per owner."""

    def __init__(self, goals: GoalsClient, caller: Caller) -> None:
        self.goals = goals
        super().__init__(caller)

    async def fetch(self, key: PageKey[Owner]) -> Page[DueCheckInRead]:
        return await self.goals.due_check_ins(
            self.caller,
            person_id=key.parent.person_id,
            team_id=key.parent.team_id,
            limit=key.first,
            cursor=key.after,
        )


class AlignmentGraphByCycleIdLoader(PerKeyLoader[uuid.UUID, AlignmentGraphRead]):
    """The alignment graph of each cycle asked: one request per cycle, whole."""

    def __init__(self, goals: GoalsClient, caller: Caller) -> None:
        self.goals = goals
        super().__init__(caller)

    async def fetch(self, key: uuid.UUID) -> AlignmentGraphRead:
        return await self.goals.cycle_alignment(self.caller, key)


class ReportByCycleIdLoader(PerKeyLoader[uuid.UUID, CycleReportRead]):
    """The report of each cycle asked (by team, never by person): one request per cycle."""

    def __init__(self, goals: GoalsClient, caller: Caller) -> None:
        self.goals = goals
        super().__init__(caller)

    async def fetch(self, key: uuid.UUID) -> CycleReportRead:
        return await self.goals.cycle_report(self.caller, key)


class CycleDependencies(NamedTuple):
    """The dependencies of a cycle, in one state or all."""

    cycle_id: uuid.UUID
    state: DependencyState | None = None


class DependenciesByCycleLoader(PerKeyLoader[PageKey[CycleDependencies], Page[DependencyRead]]):
    """Pages of the dependencies of cycles: one request per cycle (and state) asked."""

    def __init__(self, goals: GoalsClient, caller: Caller) -> None:
        self.goals = goals
        super().__init__(caller)

    async def fetch(self, key: PageKey[CycleDependencies]) -> Page[DependencyRead]:
        return await self.goals.cycle_dependencies(
            self.caller,
            key.parent.cycle_id,
            limit=key.first,
            cursor=key.after,
            state=key.parent.state,
        )


class CommentsByObjectiveIdLoader(PerKeyLoader[PageKey[uuid.UUID], Page[CommentRead]]):
    """Pages of the comments on objectives: one request per objective asked."""

    def __init__(self, goals: GoalsClient, caller: Caller) -> None:
        self.goals = goals
        super().__init__(caller)

    async def fetch(self, key: PageKey[uuid.UUID]) -> Page[CommentRead]:
        return await self.goals.list_comments(
            self.caller, key.parent, limit=key.first, cursor=key.after
        )


# --- One request's loaders -------------------------------------------------------------------


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
    parents_by_objective_id: ParentsByObjectiveIdLoader
    children_by_objective_id: ChildrenByObjectiveIdLoader
    comments_by_objective_id: CommentsByObjectiveIdLoader

    @classmethod
    def for_caller(cls, clients: Clients, caller: Caller) -> Loaders:
        people, goals = clients.people, clients.goals
        return cls(
            viewer_by_caller=ViewerByCallerLoader(people, caller),
            person_by_id=PersonByIdLoader(people, caller),
            team_by_id=TeamByIdLoader(people, caller),
            reports_by_manager_id=ReportsByManagerIdLoader(people, caller),
            cycle_by_id=CycleByIdLoader(goals, caller),
            objective_by_id=ObjectiveByIdLoader(goals, caller),
            key_result_by_id=KeyResultByIdLoader(goals, caller),
            objectives_by_owner=ObjectivesByOwnerLoader(goals, caller),
            key_results_by_objective_id=KeyResultsByObjectiveIdLoader(goals, caller),
            check_ins_by_key_result_id=CheckInsByKeyResultIdLoader(goals, caller),
            due_check_ins_by_owner=DueCheckInsByOwnerLoader(goals, caller),
            alignment_graph_by_cycle_id=AlignmentGraphByCycleIdLoader(goals, caller),
            report_by_cycle_id=ReportByCycleIdLoader(goals, caller),
            dependencies_by_cycle=DependenciesByCycleLoader(goals, caller),
            parents_by_objective_id=ParentsByObjectiveIdLoader(goals, caller),
            children_by_objective_id=ChildrenByObjectiveIdLoader(goals, caller),
            comments_by_objective_id=CommentsByObjectiveIdLoader(goals, caller),
        )
