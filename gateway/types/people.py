"""The directory in the graph: people and teams, and the root fields that start from them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from gateway.context import Info
from gateway.loaders import Owner, PageKey
from gateway.types.common import (
    DEFAULT_PAGE_SIZE,
    After,
    Connection,
    First,
    GlobalId,
    Node,
    NodeResolver,
    connection_of_all,
    load_one,
    page_connection,
    page_size,
    resolver_field,
)
from services.feedback.schemas import PersonRole
from services.people.schemas import PersonRead, TeamRead

if TYPE_CHECKING:
    from gateway.types.assessment.reports import ActionPlan, Maturity, MaturityOf
    from gateway.types.assessment.rounds import AssessmentRound, RoundsOf
    from gateway.types.feedback.enums import PartStatusEnum, RequestRoleEnum
    from gateway.types.feedback.feedback import Feedback, FeedbackOf
    from gateway.types.feedback.oneonones import ActionItem, OneOnOne, OneOnOnesOf
    from gateway.types.feedback.requests import FeedbackRequest, RequestsOf
    from gateway.types.goals.owners import (
        DevelopmentGoal,
        DueCheckIn,
        HelpOf,
        HelpRequest,
        HelpRequestRoleEnum,
        HelpRequestStateEnum,
        Objective,
        OwnerGoals,
    )

# Goals build on people (they import this module). What people and teams own in goals is reached
# through this one module, named lazily: its types by `strawberry.lazy`, its functions when a
# field resolves (`_goals`). The import contract in pyproject.toml allows no other way back.
GOALS = "gateway.types.goals.owners"
# Feedback builds on people too, and is reached back the same way.
FEEDBACK = "gateway.types.feedback.feedback"
REQUESTS = "gateway.types.feedback.requests"
ENUMS = "gateway.types.feedback.enums"
# Assessment builds on people too, and is reached back the same way.
ROUNDS = "gateway.types.assessment.rounds"
REPORTS = "gateway.types.assessment.reports"
ONE_ON_ONES = "gateway.types.feedback.oneonones"

InRound = Annotated[strawberry.ID, strawberry.argument(description="An `AssessmentRound` id.")]
InCycle = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="Only those of this cycle (a `Cycle` id)."),
]


@strawberry.enum(name="PersonStatus", description="Whether a person still works here.")
class PersonStatusEnum(Enum):
    ACTIVE = strawberry.enum_value("active", description="Works here and can sign in.")
    INACTIVE = strawberry.enum_value("inactive", description="Left; can no longer sign in.")


@strawberry.enum(name="TeamKind", description="What kind of group a team is.")
class TeamKindEnum(Enum):
    TEAM = strawberry.enum_value("team", description="A team that works together.")
    DEPARTMENT = strawberry.enum_value("department", description="A part of the organisation.")
    GROUP = strawberry.enum_value("group", description="Any other group of people.")


def _goals() -> type[OwnerGoals]:
    from gateway.types.goals.owners import OwnerGoals

    return OwnerGoals


def _help() -> type[HelpOf]:
    from gateway.types.goals.owners import HelpOf

    return HelpOf


def _feedback() -> type[FeedbackOf]:
    from gateway.types.feedback.feedback import FeedbackOf

    return FeedbackOf


def _requests() -> type[RequestsOf]:
    from gateway.types.feedback.requests import RequestsOf

    return RequestsOf


def _rounds() -> type[RoundsOf]:
    from gateway.types.assessment.rounds import RoundsOf

    return RoundsOf


def _maturity() -> type[MaturityOf]:
    from gateway.types.assessment.reports import MaturityOf

    return MaturityOf


def _one_on_ones() -> type[OneOnOnesOf]:
    from gateway.types.feedback.oneonones import OneOnOnesOf

    return OneOnOnesOf


def _known(info: Info, records: Iterable[PersonRead]) -> None:
    """People read in a list need no second read when a later field asks for them by id."""
    info.context.loaders.person_by_id.prime_many({record.id: record for record in records})


@strawberry.type(description="Someone in the directory.")
class Person(Node):
    name: str = strawberry.field(description="Their name, as the directory spells it.")
    email: str = strawberry.field(description="Work email address; they sign in with it.")
    title: str | None = strawberry.field(description="Job title, e.g. `Staff engineer`.")
    time_zone: str = strawberry.field(
        description="IANA time zone (e.g. `Europe/London`): dates that matter to them, such as "
        "due check-ins, are in it."
    )
    locale: str = strawberry.field(description="Language and region for formatting, e.g. `en-GB`.")
    status: PersonStatusEnum = strawberry.field(description="Whether they still work here.")
    record: strawberry.Private[PersonRead]

    @classmethod
    def from_record(cls, record: PersonRead) -> Person:
        return cls(
            id=GlobalId("Person", record.id).encode(),
            name=record.name,
            email=record.email,
            title=record.title,
            time_zone=record.time_zone,
            locale=record.locale,
            status=PersonStatusEnum(record.status.value),
            record=record,
        )

    @resolver_field("Their manager; null at the top of the organisation.")
    async def manager(self, info: Info) -> Person | None:
        return await load_person(info, self.record.manager_id)

    @resolver_field("The people who report to them directly, oldest first.")
    async def reports(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Person] | None:
        key = PageKey(self.record.id, page_size(first), after)
        page = await info.context.loaders.reports_by_manager_id.load(key)
        _known(info, page.items)
        return page_connection(page, Person.from_record, after)

    @resolver_field("The teams, departments and groups they belong to.")
    async def teams(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Team] | None:
        teams = await info.context.loaders.team_by_id.load_many(self.record.team_ids)
        found = [team for team in teams if team is not None]
        return connection_of_all(found, Team.from_record, first=first, after=after)

    @resolver_field("Their own objectives that you may see, oldest first.")
    async def objectives(
        self,
        info: Info,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
        cycle_id: InCycle = None,
    ) -> Connection[Annotated[Objective, strawberry.lazy(GOALS)]] | None:
        return await _goals().objectives(info, Owner(self.record.id, None), first, after, cycle_id)

    @resolver_field(
        "Their development goals that you may read, oldest first: yours, your reports', and "
        "those shared with you (HR admins: all). One request per person: ask it of few people."
    )
    async def development_goals(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Annotated[DevelopmentGoal, strawberry.lazy(GOALS)]] | None:
        return await _goals().development_goals(info, self.record.id, first, after)

    @resolver_field(
        "Key results of active cycles that they own, or of objectives they own, that nobody "
        "has checked in on for a while (7 days unless the goals service says otherwise), "
        "oldest first; those you may see. One request per person: ask it of few people."
    )
    async def due_check_ins(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Annotated[DueCheckIn, strawberry.lazy(GOALS)]] | None:
        return await _goals().due_check_ins(info, Owner(self.record.id, None), first, after)

    @resolver_field(
        "Feedback they received or gave that you may see, oldest first (for `viewer`: all "
        "of theirs)."
    )
    async def feedback(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Annotated[Feedback, strawberry.lazy(FEEDBACK)]] | None:
        return await _feedback().person(info, self.record.id, PersonRole.EITHER, first, after)

    @resolver_field("Feedback they received that you may see, oldest first.")
    async def feedback_received(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Annotated[Feedback, strawberry.lazy(FEEDBACK)]] | None:
        return await _feedback().person(info, self.record.id, PersonRole.RECEIVED, first, after)

    @resolver_field("Feedback they gave that you may see, oldest first.")
    async def feedback_given(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Annotated[Feedback, strawberry.lazy(FEEDBACK)]] | None:
        return await _feedback().person(info, self.record.id, PersonRole.GIVEN, first, after)

    @resolver_field(
        "Feedback requests they take part in (made, are the subject of, or were asked in), "
        "oldest first; only the viewer's own (null for anyone else). `role: ASKED, status: "
        "OPEN` is what waits for their answer."
    )
    async def feedback_requests(
        self,
        info: Info,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
        role: Annotated[
            Annotated[RequestRoleEnum, strawberry.lazy(ENUMS)] | None,
            strawberry.argument(description="Only those where they are this."),
        ] = None,
        status: Annotated[
            Annotated[PartStatusEnum, strawberry.lazy(ENUMS)] | None,
            strawberry.argument(description="Only those where their own part has this status."),
        ] = None,
    ) -> Connection[Annotated[FeedbackRequest, strawberry.lazy(REQUESTS)]] | None:
        return await _requests().viewer(info, self.record.id, role, status, first, after)

    @resolver_field(
        "Help requests they asked or were asked to help with, oldest first; only the "
        "viewer's own (null for anyone else: nobody lists another person's)."
    )
    async def help_requests(
        self,
        info: Info,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
        role: Annotated[
            Annotated[HelpRequestRoleEnum, strawberry.lazy(GOALS)] | None,
            strawberry.argument(description="Only those you asked, or were asked."),
        ] = None,
        state: Annotated[
            Annotated[HelpRequestStateEnum, strawberry.lazy(GOALS)] | None,
            strawberry.argument(description="Only open, or only resolved, ones."),
        ] = None,
    ) -> Connection[Annotated[HelpRequest, strawberry.lazy(GOALS)]] | None:
        return await _help().viewer(info, self.record.id, role, state, first, after)

    @resolver_field(
        "The open assessment rounds they are asked in, oldest first, with their own part; only "
        "the viewer's own (null for anyone else)."
    )
    async def open_rounds(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Annotated[AssessmentRound, strawberry.lazy(ROUNDS)]] | None:
        return await _rounds().open_for_viewer(info, self.record.id, first, after)

    @resolver_field("Their 1:1 series, oldest first; only the viewer's own (null for anyone else).")
    async def one_on_ones(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Annotated[OneOnOne, strawberry.lazy(ONE_ON_ONES)]] | None:
        return await _one_on_ones().viewer(info, self.record.id, first, after)

    @resolver_field(
        "The action items of their 1:1s (theirs and the other's), oldest first; only the "
        "viewer's own (null for anyone else). `done: false` is what is still to do."
    )
    async def action_items(
        self,
        info: Info,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
        done: Annotated[
            bool | None, strawberry.argument(description="Only done ones, or only open ones.")
        ] = None,
    ) -> Connection[Annotated[ActionItem, strawberry.lazy(ONE_ON_ONES)]] | None:
        return await _one_on_ones().action_items(info, self.record.id, done, first, after)


@strawberry.type(description="A team, department or group; teams nest under a parent.")
class Team(Node):
    name: str = strawberry.field(description="The team's name.")
    kind: TeamKindEnum = strawberry.field(description="Team, department or group.")
    record: strawberry.Private[TeamRead]

    @classmethod
    def from_record(cls, record: TeamRead) -> Team:
        return cls(
            id=GlobalId("Team", record.id).encode(),
            name=record.name,
            kind=TeamKindEnum(record.kind.value),
            record=record,
        )

    @resolver_field("The team this one sits under; null at the top.")
    async def parent(self, info: Info) -> Team | None:
        return await load_team(info, self.record.parent_id)

    @resolver_field("Who leads the team, if anyone.")
    async def lead(self, info: Info) -> Person | None:
        return await load_person(info, self.record.lead_id)

    @resolver_field("The team's objectives that you may see, oldest first.")
    async def objectives(
        self,
        info: Info,
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
        cycle_id: InCycle = None,
    ) -> Connection[Annotated[Objective, strawberry.lazy(GOALS)]] | None:
        return await _goals().objectives(info, Owner(None, self.record.id), first, after, cycle_id)

    @resolver_field(
        "Key results of the team's objectives in active cycles that nobody has checked in on "
        "for a while, oldest first; those you may see. One request per team."
    )
    async def due_check_ins(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Annotated[DueCheckIn, strawberry.lazy(GOALS)]] | None:
        return await _goals().due_check_ins(info, Owner(None, self.record.id), first, after)

    @resolver_field(
        "The team's maturity in a closed assessment round (its sub-teams included), as the "
        "anonymity rules release it; null when you may not read it (its leads, HR admins)."
    )
    async def maturity(
        self,
        info: Info,
        round: Annotated[
            strawberry.ID, strawberry.argument(description="An `AssessmentRound` id.")
        ],
    ) -> Annotated[Maturity, strawberry.lazy(REPORTS)] | None:
        return await _maturity().team(info, self.record.id, round)

    @resolver_field("The team's action plan from a closed round; null when none (or hidden).")
    async def action_plan(
        self,
        info: Info,
        round: Annotated[
            strawberry.ID, strawberry.argument(description="An `AssessmentRound` id.")
        ],
    ) -> Annotated[ActionPlan, strawberry.lazy(REPORTS)] | None:
        return await _maturity().action_plan(info, self.record.id, round)


async def load_person(info: Info, person_id: uuid.UUID | None) -> Person | None:
    return await load_one(info.context.loaders.person_by_id, person_id, Person.from_record)


async def load_team(info: Info, team_id: uuid.UUID | None) -> Team | None:
    return await load_one(info.context.loaders.team_by_id, team_id, Team.from_record)


NODES: dict[str, NodeResolver] = {"Person": load_person, "Team": load_team}


@strawberry.type
class PeopleQuery:
    @resolver_field(
        "The signed-in person, whom the bearer token names (an error for an "
        "integration's token, which names nobody)."
    )
    async def viewer(self, info: Info) -> Person | None:
        caller = info.context.caller
        record = await info.context.loaders.viewer_by_caller.load(caller)
        _known(info, [record])
        return Person.from_record(record)

    @resolver_field("A person by id; null when there is nobody by this id.")
    async def person(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A `Person` id.")],
    ) -> Person | None:
        return await load_person(info, GlobalId.decode_as("Person", id))

    @resolver_field("Everyone in the directory, oldest first.")
    async def people(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Person] | None:
        page = await info.context.clients.people.list_people(
            info.context.caller, limit=page_size(first), cursor=after
        )
        _known(info, page.items)
        return page_connection(page, Person.from_record, after)
