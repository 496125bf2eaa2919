"""Cycles: the periods objectives are set for, and their report by team (never by person)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

import strawberry

from gateway.context import Info
from gateway.loaders import CycleDependencies, PageKey
from gateway.types.common import (
    DEFAULT_PAGE_SIZE,
    After,
    Connection,
    First,
    GlobalId,
    Node,
    load_one,
    page_connection,
    page_size,
    resolver_field,
)
from gateway.types.goals.alignment import AlignmentGraph, Dependency
from gateway.types.goals.contracts import (
    CycleRead,
    CycleReportRead,
    DependencyState,
    TeamScoresRead,
)
from gateway.types.goals.enums import CycleStatusEnum, DependencyStateEnum
from gateway.types.people import Team, load_team


@strawberry.type(description="A period objectives are set for, e.g. a quarter.")
class Cycle(Node):
    name: str = strawberry.field(description="E.g. `2026 Q1`.")
    starts_on: date = strawberry.field(description="Its first day.")
    ends_on: date = strawberry.field(description="Its last day.")
    status: CycleStatusEnum = strawberry.field(description="Planning, active or closed.")
    closed_at: datetime | None = strawberry.field(description="When it was last closed.")
    version: int = strawberry.field(
        description="Changes with every change of the cycle; `updateCycle` and `closeCycle` "
        "take the one read."
    )
    record: strawberry.Private[CycleRead]

    @classmethod
    def from_record(cls, record: CycleRead) -> Cycle:
        return cls(
            id=GlobalId("Cycle", record.id).encode(),
            name=record.name,
            starts_on=record.starts_on,
            ends_on=record.ends_on,
            status=CycleStatusEnum(record.status.value),
            closed_at=record.closed_at,
            version=record.version,
            record=record,
        )

    @resolver_field(
        "How its objectives you may read support one another: each with its own and its "
        "rolled-up progress, and the links between them (read whole, in one request). A "
        "private objective you may not read is left out, and so is every link to or from it."
    )
    async def alignment(self, info: Info) -> AlignmentGraph | None:
        graph = await info.context.loaders.alignment_graph_by_cycle_id.load(self.record.id)
        return AlignmentGraph.from_record(graph)

    @resolver_field(
        "The cycle by team and for the company, never by person: how many objectives each "
        "team owns, their mean progress, their mean final score once closed, how many are at "
        "risk. Objectives owned by people are only counted. Read whole, one request per cycle."
    )
    async def report(self, info: Info) -> CycleReport | None:
        report = await info.context.loaders.report_by_cycle_id.load(self.record.id)
        return CycleReport.from_record(report)

    @resolver_field(
        "What objectives depend on from other owners, oldest first (the alignment event's "
        "view); those with a side you may not read are left out."
    )
    async def dependencies(
        self,
        info: Info,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
        state: Annotated[
            DependencyStateEnum | None,
            strawberry.argument(description="Only those in this state; all when omitted."),
        ] = None,
    ) -> Connection[Dependency] | None:
        value = DependencyState[state.name] if state is not None else None
        key = PageKey(CycleDependencies(self.record.id, value), page_size(first), after)
        page = await info.context.loaders.dependencies_by_cycle.load(key)
        return page_connection(page, Dependency.from_record, after)


@strawberry.type(
    description="The objectives a team owns in a cycle, taken together (or the company's own); "
    "never a person's."
)
class TeamScores:
    team_id: strawberry.ID | None = strawberry.field(
        description="The `Team`'s id; null for the company's own objectives."
    )
    objectives: int = strawberry.field(description="How many objectives it owns in the cycle.")
    progress: float | None = strawberry.field(
        description="Mean progress of those with key results, 0 to 1; null without any."
    )
    final_score: float | None = strawberry.field(
        description="Mean final score, once the cycle closed; null before."
    )
    at_risk: int = strawberry.field(
        description="How many have a key result at risk or off track (a request for help)."
    )
    record: strawberry.Private[TeamScoresRead]

    @classmethod
    def from_record(cls, record: TeamScoresRead) -> TeamScores:
        return cls(
            team_id=GlobalId("Team", record.team_id).encode() if record.team_id else None,
            objectives=record.objectives,
            progress=record.progress,
            final_score=record.final_score,
            at_risk=record.at_risk,
            record=record,
        )

    @resolver_field("The team; null for the company's own objectives.")
    async def team(self, info: Info) -> Team | None:
        return await load_team(info, self.record.team_id)


@strawberry.type(
    description="A cycle by team: figures are aggregated per team and for the company, never "
    "per person (the OKR firewall); objectives owned by people are counted, never scored. It "
    "comes whole from one request, so `teams` is a plain list."
)
class CycleReport:
    status: CycleStatusEnum = strawberry.field(description="Where the cycle stands.")
    people_objectives: int = strawberry.field(
        description="How many objectives people own in the cycle (not scored here)."
    )
    teams: list[TeamScores] = strawberry.field(
        description="The company's own objectives first, then each team's, as the service "
        "orders them (never by a figure)."
    )

    @classmethod
    def from_record(cls, record: CycleReportRead) -> CycleReport:
        return cls(
            status=CycleStatusEnum(record.status.value),
            people_objectives=record.people_objectives,
            teams=[TeamScores.from_record(row) for row in record.teams],
        )


async def load_cycle(info: Info, cycle_id: uuid.UUID | None) -> Cycle | None:
    return await load_one(info.context.loaders.cycle_by_id, cycle_id, Cycle.from_record)


def cycle_filter(cycle_id: str | None) -> uuid.UUID | None:
    return GlobalId.decode_as("Cycle", cycle_id) if cycle_id is not None else None


@resolver_field("The cycles, oldest first.")
async def cycles(
    info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
) -> Connection[Cycle] | None:
    page = await info.context.clients.goals.list_cycles(
        info.context.caller, limit=page_size(first), cursor=after
    )
    info.context.loaders.cycle_by_id.prime_many({item.id: item for item in page.items})
    return page_connection(page, Cycle.from_record, after)
