"""Maturity reports of closed rounds and the action plans made from them. The service applies
the anonymity rules before any figure leaves it: a withheld group's figures are null with the
reason beside them, and it gets no recommendations that would tell its level."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import strawberry

from gateway.context import Info
from gateway.loaders import TeamRound
from gateway.types.assessment.contracts import (
    AreaReport,
    GroupReport,
    ManagementShare,
    PlanItemRead,
    PlanRead,
    Reason,
)
from gateway.types.assessment.enums import ItemKindEnum, ItemStatusEnum, WithheldReasonEnum
from gateway.types.assessment.instruments import Recommendations
from gateway.types.common import GlobalId, resolver_field

RoundArgument = Annotated[
    strawberry.ID, strawberry.argument(description="An `AssessmentRound` id (a closed round).")
]


def _withheld(reason: Reason | None) -> WithheldReasonEnum | None:
    return None if reason is None else WithheldReasonEnum(reason.value)


@strawberry.type(description="Of respondents' area means, the shares at levels 1-3 and 4-5.")
class Share:
    management_1_0: float = strawberry.field(description="Levels 1 to 3 (Management 1.0).")
    management_2_0: float = strawberry.field(description="Levels 4 and 5 (Management 2.0).")

    @classmethod
    def of(cls, record: ManagementShare | None) -> Share | None:
        if record is None:
            return None
        return cls(management_1_0=record.management_1_0, management_2_0=record.management_2_0)


@strawberry.type(description="How many answers at one point of the scale.")
class PointCount:
    value: int = strawberry.field(description="The point of the scale.")
    count: int = strawberry.field(description="Answers at it (reverse-scored items turned).")


@strawberry.type(description="One area's figures; null (never 0) where withheld.")
class MaturityArea:
    key: str = strawberry.field(description="The area's key.")
    name: str = strawberry.field(description="The area's name.")
    mean: float | None = strawberry.field(description="Mean of respondents' own means, 1-5.")
    level: int | None = strawberry.field(description="The level of `mean`.")
    level_counts: list[int] | None = strawberry.field(
        description="Respondents whose own mean is at level 1, 2, 3, 4 and 5."
    )
    distribution: list[PointCount] | None = strawberry.field(
        description="Answers at each point of the scale."
    )
    share: Share | None = strawberry.field(description="Management 1.0 / 2.0 shares.")
    withheld: WithheldReasonEnum | None = strawberry.field(description="Why null, if it is.")

    @classmethod
    def from_record(cls, record: AreaReport) -> MaturityArea:
        counts = record.level_counts
        spread = record.distribution
        return cls(
            key=record.key,
            name=record.name,
            mean=record.mean,
            level=record.level,
            level_counts=None if counts is None else [counts[str(n)] for n in range(1, 6)],
            distribution=None
            if spread is None
            else [PointCount(value=int(point), count=n) for point, n in spread.items()],
            share=Share.of(record.share),
            withheld=_withheld(record.withheld),
        )


@strawberry.type(description="A comment, in an order drawn afresh on every read; no author.")
class MaturityComment:
    question_id: strawberry.ID = strawberry.field(description="The `Question` answered.")
    text: str = strawberry.field(description="What was written.")


@strawberry.type(description="One item of a stop / continue / start plan.")
class ActionPlanItem:
    id: strawberry.ID = strawberry.field(description="An `ActionPlanItem` id.")
    kind: ItemKindEnum = strawberry.field(description="Stop, continue or start.")
    text: str = strawberry.field(description="What to do.")
    status: ItemStatusEnum = strawberry.field(description="How far it has come.")
    owner_id: strawberry.ID | None = strawberry.field(description="The `Person` who sees to it.")
    position: int = strawberry.field(description="1, 2, …: its place in the plan.")

    @classmethod
    def from_record(cls, record: PlanItemRead) -> ActionPlanItem:
        return cls(
            id=GlobalId("ActionPlanItem", record.id).encode(),
            kind=ItemKindEnum(record.kind.value),
            text=record.text,
            status=ItemStatusEnum(record.status.value),
            owner_id=None
            if record.owner_id is None
            else GlobalId("Person", record.owner_id).encode(),
            position=record.position,
        )


@strawberry.type(description="A team's stop / continue / start plan after a round.")
class ActionPlan:
    id: strawberry.ID = strawberry.field(description="An `ActionPlan` id.")
    round_id: strawberry.ID = strawberry.field(description="The round it answers.")
    items: list[ActionPlanItem] = strawberry.field(description="In order.")
    updated_at: datetime = strawberry.field(description="Last change.")
    version: int = strawberry.field(
        description="Changes with every item change; `updateActionPlanItem` takes it."
    )

    @classmethod
    def from_record(cls, record: PlanRead) -> ActionPlan:
        return cls(
            id=GlobalId("ActionPlan", record.id).encode(),
            round_id=GlobalId("AssessmentRound", record.round_id).encode(),
            items=[ActionPlanItem.from_record(item) for item in record.items],
            updated_at=record.updated_at,
            version=record.version,
        )


@strawberry.type(
    description="A group's maturity in a closed round, as the anonymity rules release it: a "
    "withheld group has null figures, `withheld` says why, and it has no recommendations."
)
class Maturity:
    round_id: strawberry.ID = strawberry.field(description="The `AssessmentRound`.")
    name: str = strawberry.field(description="The team's (or round's) name.")
    respondents: int | None = strawberry.field(description="Null where withheld.")
    withheld: WithheldReasonEnum | None = strawberry.field(description="Why null, if it is.")
    areas: list[MaturityArea] = strawberry.field(description="Per area of the instrument.")
    share: Share | None = strawberry.field(description="Over all areas together.")
    comments: list[MaturityComment] | None = strawberry.field(description="Only if shown.")
    recommendations: Recommendations | None = strawberry.field(
        description="Next steps for the group's level and weak areas (levels 1-3, lowest "
        "first); null where withheld."
    )
    plans: list[ActionPlan] = strawberry.field(
        description="The group's plans from this and earlier rounds of the instrument."
    )

    @classmethod
    def from_record(cls, record: GroupReport) -> Maturity:
        return cls(
            round_id=GlobalId("AssessmentRound", record.round_id).encode(),
            name=record.name,
            respondents=record.respondents,
            withheld=_withheld(record.withheld),
            areas=[MaturityArea.from_record(area) for area in record.areas],
            share=Share.of(record.share),
            comments=None
            if record.comments is None
            else [
                MaturityComment(
                    question_id=GlobalId("Question", c.question_id).encode(), text=c.text
                )
                for c in record.comments
            ],
            recommendations=None
            if record.recommendations is None
            else Recommendations.from_record(record.recommendations),
            plans=[ActionPlan.from_record(plan) for plan in record.plans],
        )


async def _team_report(info: Info, team_id: uuid.UUID, round_: str) -> GroupReport | None:
    key = TeamRound(team_id, GlobalId.decode_as("AssessmentRound", round_))
    return await info.context.loaders.report_by_team_round.load(key)


class MaturityOf:
    """The one way the people types reach reports and plans (lazily)."""

    @staticmethod
    async def team(info: Info, team_id: uuid.UUID, round_: str) -> Maturity | None:
        found = await _team_report(info, team_id, round_)
        return None if found is None else Maturity.from_record(found)

    @staticmethod
    async def action_plan(info: Info, team_id: uuid.UUID, round_: str) -> ActionPlan | None:
        found = await _team_report(info, team_id, round_)
        if found is None:
            return None
        plans = [plan for plan in found.plans if plan.round_id == found.round_id]
        return ActionPlan.from_record(plans[0]) if plans else None


@resolver_field(
    "The maturity of a closed round's whole audience (the organisation, for a round sent to "
    "everyone), for those who run the round."
)
async def organisation_maturity(info: Info, round: RoundArgument) -> Maturity | None:
    round_id = GlobalId.decode_as("AssessmentRound", round)
    found = await info.context.clients.assessment.audience_report(info.context.caller, round_id)
    return Maturity.from_record(found)
