"""OKRs in the graph: cycles, objectives, key results and check-ins; the objectives of people
and teams; setting an objective and checking in. Nothing here sorts or ranks people by
progress or confidence (the OKR firewall)."""

from __future__ import annotations

import contextlib
import uuid
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, TypeVar

import strawberry

from gateway.clients import ServiceError
from gateway.context import Info
from gateway.errors import BadUserInput, NothingThere, Refusal, refusal
from gateway.loaders import CycleDependencies, Owner, PageKey
from gateway.types.common import (
    DEFAULT_PAGE_SIZE,
    After,
    Connection,
    First,
    GlobalId,
    Node,
    NodeResolver,
    UserError,
    connection_of_all,
    keyed_connection,
    page_connection,
    page_size,
    resolver_field,
)
from gateway.types.people import Person, Team, load_person, load_team
from services.goals.alignment.schemas import (
    AlignmentCreate,
    AlignmentGraphRead,
    AlignmentRead,
    AlignmentState,
    AlignmentUpdate,
    DependencyCreate,
    DependencyRead,
    DependencyState,
    DependencyUpdate,
    GraphEdgeRead,
    GraphKeyResultRead,
    GraphNodeRead,
    RollUpRead,
)
from services.goals.checkins.schemas import (
    CheckInCreate,
    CheckInRead,
    DueCheckInRead,
    MilestoneUpdate,
)
from services.goals.cycles.schemas import (
    ClosingSubmit,
    CycleCreate,
    CycleRead,
    CycleReportRead,
    CycleUpdate,
    TeamScoresRead,
)
from services.goals.drafting.schemas import CommentCreate, CommentRead
from services.goals.keyresults.schemas import (
    KeyResultCreate,
    KeyResultRead,
    KeyResultUpdate,
    MilestoneCreate,
    MilestoneRead,
)
from services.goals.schemas import (
    CheckInStatus,
    ClosingRead,
    ContributorAdd,
    CycleStatus,
    KeyResultKind,
    ObjectiveCreate,
    ObjectiveKind,
    ObjectiveRead,
    ObjectiveStatus,
    ObjectiveUpdate,
    SignatureRead,
    Visibility,
)
from services.goals.search.schemas import SearchHitRead


@strawberry.enum(name="CycleStatus", description="Where a cycle stands.")
class CycleStatusEnum(Enum):
    PLANNING = strawberry.enum_value("planning", description="Objectives are being drafted.")
    ACTIVE = strawberry.enum_value("active", description="Under way: people check in.")
    CLOSED = strawberry.enum_value("closed", description="Over: nothing more is added.")


@strawberry.enum(
    name="Visibility", description="Who may read an objective (and its key results and check-ins)."
)
class VisibilityEnum(Enum):
    PUBLIC = strawberry.enum_value("public", description="Everyone signed in.")
    PRIVATE = strawberry.enum_value(
        "private",
        description="Its owner (for a team: members and leads), the owner's management chain "
        "and HR admins.",
    )


@strawberry.enum(name="OwnerKind", description="Whose objective it is.")
class OwnerKindEnum(Enum):
    PERSON = strawberry.enum_value("person", description="A person's own.")
    TEAM = strawberry.enum_value("team", description="A team's.")
    COMPANY = strawberry.enum_value(
        "company", description="The whole company's (always public; `owner` is null)."
    )


@strawberry.enum(name="ObjectiveKind", description="How an objective's final score is to be read.")
class ObjectiveKindEnum(Enum):
    COMMITTED = strawberry.enum_value(
        "committed", description="Meant to be met in full: success is 1.0."
    )
    ASPIRATIONAL = strawberry.enum_value(
        "aspirational", description="A stretch: about 0.7 is success."
    )


@strawberry.enum(name="ObjectiveStatus", description="Where an objective's drafting stands.")
class ObjectiveStatusEnum(Enum):
    DRAFT = strawberry.enum_value("draft", description="Being written.")
    PROPOSED = strawberry.enum_value("proposed", description="Proposed, waiting for signatures.")
    AGREED = strawberry.enum_value(
        "agreed", description="Signed by its owner's side and its manager's side."
    )


@strawberry.enum(name="SignatureRole", description="The side a signature stands for.")
class SignatureRoleEnum(Enum):
    OWNER = strawberry.enum_value(
        "owner", description="The owner's (for a team, a member; for the company, an HR admin)."
    )
    MANAGER = strawberry.enum_value(
        "manager",
        description="The manager's (the owner's manager; for a team, its lead; for the "
        "company, a second HR admin).",
    )


@strawberry.enum(name="ClosingSource", description="Where a final score came from.")
class ClosingSourceEnum(Enum):
    SUBMITTED = strawberry.enum_value(
        "submitted", description="Given by someone working on the objective."
    )
    PROGRESS = strawberry.enum_value(
        "progress", description="Taken from its progress when the cycle closed without one."
    )


@strawberry.enum(
    name="KeyResultKind",
    description="What a key result measures, and so how its progress is computed.",
)
class KeyResultKindEnum(Enum):
    INCREASE_TO = strawberry.enum_value("increase_to", description="Up from `start` to `target`.")
    DECREASE_TO = strawberry.enum_value("decrease_to", description="Down from `start` to `target`.")
    STAY_ABOVE = strawberry.enum_value("stay_above", description="Hold `current` above `target`.")
    STAY_BELOW = strawberry.enum_value("stay_below", description="Hold `current` below `target`.")
    BINARY = strawberry.enum_value("binary", description="Done or not.")
    MILESTONES = strawberry.enum_value(
        "milestones", description="An ordered list of milestones, each done or not."
    )


@strawberry.enum(
    name="CheckInStatus", description="How the author of a check-in judges its key result."
)
class CheckInStatusEnum(Enum):
    ON_TRACK = strawberry.enum_value("on_track", description="Going as it should.")
    AT_RISK = strawberry.enum_value("at_risk", description="In danger: worth a conversation.")
    OFF_TRACK = strawberry.enum_value("off_track", description="Will not make it without help.")


@strawberry.enum(name="DependencyState", description="Where a dependency between owners stands.")
class DependencyStateEnum(Enum):
    OPEN = strawberry.enum_value(
        "open", description="Declared; the side depended on has not accepted it yet."
    )
    AGREED = strawberry.enum_value("agreed", description="The side depended on accepted it.")
    RESOLVED = strawberry.enum_value(
        "resolved", description="Done with; either side may reopen it."
    )


@strawberry.enum(
    name="AlignmentState", description="Whether a link counts in its parent's roll-up."
)
class AlignmentStateEnum(Enum):
    PENDING = strawberry.enum_value(
        "pending",
        description="Proposed by the child's side; the parent's side has not decided yet. It "
        "counts in no roll-up.",
    )
    ACCEPTED = strawberry.enum_value(
        "accepted",
        description="The parent's side accepted it: the child counts in the parent's roll-up "
        "with the link's `weight`.",
    )
    DECLINED = strawberry.enum_value(
        "declined",
        description="The parent's side declined it: it counts in no roll-up (they may accept "
        "it later).",
    )


ObjectiveOwner = Annotated[
    Person | Team,
    strawberry.union("ObjectiveOwner", description="Whose objective it is: a person or a team."),
]


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
        if self.record.team_id is None:
            return None
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


@strawberry.type(description="A signature on an objective: one side's agreement to it.")
class Signature:
    role: SignatureRoleEnum = strawberry.field(description="The side signed for.")
    signed_at: datetime = strawberry.field(description="When it was signed.")
    record: strawberry.Private[SignatureRead]

    @classmethod
    def from_record(cls, record: SignatureRead) -> Signature:
        return cls(
            role=SignatureRoleEnum(record.role.value), signed_at=record.signed_at, record=record
        )

    @resolver_field("Who signed.")
    async def signer(self, info: Info) -> Person | None:
        return await load_person(info, self.record.signer_id)


@strawberry.type(
    description="An objective's final score and what was learnt: shown with the objective, "
    "never gathered per person."
)
class Closing:
    score: float = strawberry.field(description="The final score, 0 to 1.")
    retrospective: str | None = strawberry.field(description="What went well, what was learnt.")
    source: ClosingSourceEnum = strawberry.field(description="Submitted, or taken from progress.")
    updated_at: datetime = strawberry.field(description="When it was last given.")
    version: int = strawberry.field(
        description="Changes with every new score; `submitClosing` takes it to replace one."
    )
    record: strawberry.Private[ClosingRead]

    @classmethod
    def from_record(cls, record: ClosingRead) -> Closing:
        return cls(
            score=record.score,
            retrospective=record.retrospective,
            source=ClosingSourceEnum(record.source.value),
            updated_at=record.updated_at,
            version=record.version,
            record=record,
        )

    @resolver_field("Who gave it; null when it was taken from progress.")
    async def submitted_by(self, info: Info) -> Person | None:
        if self.record.submitted_by is None:
            return None
        return await load_person(info, self.record.submitted_by)


@strawberry.type(
    description="What a person, a team or the company means to achieve in a cycle, measured "
    "by its key results. Progress serves focus and conversation, never a rating of anyone."
)
class Objective(Node):
    title: str = strawberry.field(description="What is to be achieved.")
    description: str | None = strawberry.field(description="Why it matters, and how.")
    owner_kind: OwnerKindEnum = strawberry.field(
        description="A person's, a team's or the company's."
    )
    kind: ObjectiveKindEnum = strawberry.field(description="Committed or aspirational.")
    success_threshold: float = strawberry.field(
        description="The score that counts as success: 1.0 committed, 0.7 aspirational."
    )
    success_explanation: str = strawberry.field(
        description="What `successThreshold` means, in words, to show beside the score."
    )
    status: ObjectiveStatusEnum = strawberry.field(description="Draft, proposed or agreed.")
    visibility: VisibilityEnum = strawberry.field(description="Who may read it.")
    progress: float | None = strawberry.field(
        description="Weighted mean of its key results' progress, 0 to 1, and, where its owner "
        "opted in to roll-up, of the public objectives aligned to it; null without any."
    )
    signatures: list[Signature] = strawberry.field(
        description="Who signed it so far, and for which side (at most one per side)."
    )
    closing: Closing | None = strawberry.field(
        description="Its final score and retrospective, once given (or once its cycle closed)."
    )
    version: int = strawberry.field(
        description="Changes with every edit; `updateObjective` and `proposeObjective` take "
        "the one read."
    )
    created_at: datetime = strawberry.field(description="When it was set.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    record: strawberry.Private[ObjectiveRead]

    @classmethod
    def from_record(cls, record: ObjectiveRead) -> Objective:
        return cls(
            id=GlobalId("Objective", record.id).encode(),
            title=record.title,
            description=record.description,
            owner_kind=OwnerKindEnum(record.owner_kind.value),
            kind=ObjectiveKindEnum(record.kind.value),
            success_threshold=record.success_threshold,
            success_explanation=record.success_explanation,
            status=ObjectiveStatusEnum(record.status.value),
            visibility=VisibilityEnum(record.visibility.value),
            progress=record.progress,
            signatures=[Signature.from_record(item) for item in record.signatures],
            closing=Closing.from_record(record.closing) if record.closing is not None else None,
            version=record.version,
            created_at=record.created_at,
            updated_at=record.updated_at,
            record=record,
        )

    @resolver_field("The cycle it belongs to.")
    async def cycle(self, info: Info) -> Cycle | None:
        return await load_cycle(info, self.record.cycle_id)

    @resolver_field("Whose objective it is; null for the company's (see `ownerKind`).")
    async def owner(self, info: Info) -> ObjectiveOwner | None:
        if self.record.owner_person_id is not None:
            return await load_person(info, self.record.owner_person_id)
        if self.record.owner_team_id is not None:
            return await load_team(info, self.record.owner_team_id)
        return None

    @resolver_field("Who set it.")
    async def created_by(self, info: Info) -> Person | None:
        return await load_person(info, self.record.created_by)

    @resolver_field("The people who work on it with its owner, oldest in the directory first.")
    async def contributors(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Person] | None:
        people = await info.context.loaders.person_by_id.load_many(self.record.contributor_ids)
        found = [person for person in people if person is not None]
        return connection_of_all(found, Person.from_record, first=first, after=after)

    @resolver_field("How it is measured, oldest first.")
    async def key_results(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[KeyResult] | None:
        key = PageKey(self.record.id, page_size(first), after)
        page = await info.context.loaders.key_results_by_objective_id.load(key)
        info.context.loaders.key_result_by_id.prime_many({kr.id: kr for kr in page.items})
        return page_connection(page, KeyResult.from_record, after)

    @resolver_field(
        "Its links to what it supports (objectives, or their key results), oldest first; "
        "those to a private objective you may not read are left out."
    )
    async def parents(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Alignment] | None:
        key = PageKey(self.record.id, page_size(first), after)
        page = await info.context.loaders.parents_by_objective_id.load(key)
        return page_connection(page, Alignment.from_record, after)

    @resolver_field(
        "The links to it (or to its key results) from the objectives supporting it, oldest "
        "first; those from a private objective you may not read are left out."
    )
    async def children(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Alignment] | None:
        key = PageKey(self.record.id, page_size(first), after)
        page = await info.context.loaders.children_by_objective_id.load(key)
        return page_connection(page, Alignment.from_record, after)

    @resolver_field(
        "What people said about it, oldest first (one request per objective asked); like the "
        "objective itself, for whoever may read it."
    )
    async def comments(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Comment] | None:
        key = PageKey(self.record.id, page_size(first), after)
        page = await info.context.loaders.comments_by_objective_id.load(key)
        return page_connection(page, Comment.from_record, after)


@strawberry.type(description="A step of a `MILESTONES` key result, done or not.")
class Milestone:
    id: strawberry.ID = strawberry.field(
        description="Opaque id, to mark it done in `checkIn` (it is not a `Node`: nothing "
        "fetches one milestone alone)."
    )
    position: int = strawberry.field(description="Its place in the list, from 1.")
    title: str = strawberry.field(description="What is to be done.")
    done: bool = strawberry.field(description="Whether it is done.")
    done_at: datetime | None = strawberry.field(description="When it was marked done.")

    @classmethod
    def from_record(cls, record: MilestoneRead) -> Milestone:
        return cls(
            id=GlobalId("Milestone", record.id).encode(),
            position=record.position,
            title=record.title,
            done=record.done,
            done_at=record.done_at,
        )


@strawberry.type(description="A measurable result that shows how an objective is going.")
class KeyResult(Node):
    title: str = strawberry.field(description="What is measured.")
    kind: KeyResultKindEnum = strawberry.field(description="What is measured, and how.")
    start: float = strawberry.field(
        description="The value at the start (0 for binary, milestones)."
    )
    target: float = strawberry.field(
        description="The value aimed at; the line to hold for stay-above/below; 1 for binary; "
        "the number of milestones for milestones."
    )
    current: float = strawberry.field(
        description="The latest value checked in; milestones done for milestones."
    )
    unit: str | None = strawberry.field(description="E.g. `%`, `EUR`, `customers`.")
    weight: float = strawberry.field(description="Its share in the objective's progress.")
    milestones: list[Milestone] | None = strawberry.field(
        description="In order (at most 50, part of the key result itself); null unless its "
        "kind is `MILESTONES`."
    )
    progress: float = strawberry.field(description="How far it has come, 0 to 1.")
    progress_explanation: str = strawberry.field(description="What `progress` came from, in words.")
    expected_progress: float | None = strawberry.field(
        description="Where a steady pace through its cycle would be today, 0 to 1 (pacing, "
        "to show beside `progress`); null for binary."
    )
    confidence: int | None = strawberry.field(
        description="From the latest check-in, 0 (no chance) to 10 (certain); null before any."
    )
    status: CheckInStatusEnum | None = strawberry.field(
        description="From the latest check-in; null before any."
    )
    checked_in_at: datetime | None = strawberry.field(description="When it was last checked in.")
    version: int = strawberry.field(description="Changes with every change of it.")
    record: strawberry.Private[KeyResultRead]

    @classmethod
    def from_record(cls, record: KeyResultRead) -> KeyResult:
        return cls(
            id=GlobalId("KeyResult", record.id).encode(),
            title=record.title,
            kind=KeyResultKindEnum(record.kind.value),
            start=record.start,
            target=record.target,
            current=record.current,
            unit=record.unit,
            weight=record.weight,
            milestones=(
                [Milestone.from_record(item) for item in record.milestones]
                if record.milestones is not None
                else None
            ),
            progress=record.progress,
            progress_explanation=record.progress_explanation,
            expected_progress=record.expected_progress,
            confidence=record.confidence,
            status=CheckInStatusEnum(record.status.value) if record.status is not None else None,
            checked_in_at=record.checked_in_at,
            version=record.version,
            record=record,
        )

    @resolver_field("The objective it measures.")
    async def objective(self, info: Info) -> Objective | None:
        return await load_objective(info, self.record.objective_id)

    @resolver_field("Who sees to it; null when nobody is named.")
    async def owner(self, info: Info) -> Person | None:
        if self.record.owner_person_id is None:
            return None
        return await load_person(info, self.record.owner_person_id)

    @resolver_field("Where it stood over time, oldest first.")
    async def check_ins(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[CheckIn] | None:
        key = PageKey(self.record.id, page_size(first), after)
        page = await info.context.loaders.check_ins_by_key_result_id.load(key)
        return page_connection(page, CheckIn.from_record, after)


@strawberry.type(description="A milestone a check-in marked done or not done.")
class MilestoneMark:
    milestone_id: strawberry.ID = strawberry.field(description="A `Milestone.id`.")
    done: bool = strawberry.field(description="Whether it was marked done.")


@strawberry.type(
    description="Where a key result stood at a moment, and how confident its author was."
)
class CheckIn:
    value: float = strawberry.field(description="The key result's value then.")
    confidence: int = strawberry.field(description="0 (no chance) to 10 (certain).")
    status: CheckInStatusEnum = strawberry.field(
        description="On track, at risk or off track (given, or from the confidence)."
    )
    milestones: list[MilestoneMark] | None = strawberry.field(
        description="The milestones it marked; null unless its key result has milestones."
    )
    note: str | None = strawberry.field(description="What happened, what is in the way.")
    created_at: datetime = strawberry.field(description="When it was made.")
    record: strawberry.Private[CheckInRead]

    @classmethod
    def from_record(cls, record: CheckInRead) -> CheckIn:
        marks = record.milestone_updates
        return cls(
            value=record.value,
            confidence=record.confidence,
            status=CheckInStatusEnum(record.status.value),
            milestones=(
                [
                    MilestoneMark(
                        milestone_id=GlobalId("Milestone", mark.id).encode(), done=mark.done
                    )
                    for mark in marks
                ]
                if marks is not None
                else None
            ),
            note=record.note,
            created_at=record.created_at,
            record=record,
        )

    @resolver_field("Who checked in.")
    async def author(self, info: Info) -> Person | None:
        return await load_person(info, self.record.author_id)

    @resolver_field("The key result checked in on.")
    async def key_result(self, info: Info) -> KeyResult | None:
        return await load_key_result(info, self.record.key_result_id)


@strawberry.type(description="A key result nobody has checked in on for a while.")
class DueCheckIn:
    key_result: KeyResult = strawberry.field(description="The key result to check in on.")
    last_checked_in_at: datetime | None = strawberry.field(
        description="When it was last checked in on; null if never."
    )
    due_since: datetime = strawberry.field(description="Since when a check-in is due.")

    @classmethod
    def from_record(cls, record: DueCheckInRead) -> DueCheckIn:
        return cls(
            key_result=KeyResult.from_record(record.key_result),
            last_checked_in_at=record.last_checked_in_at,
            due_since=record.due_since,
        )


@strawberry.type(
    description="One objective supporting another: once the parent's side accepted it, the "
    "child counts in the parent's roll-up (when the parent's owner opted in) with its `weight`."
)
class Alignment:
    id: strawberry.ID = strawberry.field(
        description="Opaque id, to decide on the link (`acceptAlignment`, `declineAlignment`, "
        "`updateAlignment`) or withdraw it (`withdrawAlignment`); it is not a `Node` yet: "
        "nothing fetches one link alone."
    )
    weight: float = strawberry.field(
        description="The child's share in the parent's roll-up, beside the parent's key "
        "results; set by the parent's side."
    )
    state: AlignmentStateEnum = strawberry.field(
        description="Pending until the parent's side accepts or declines it; only an accepted "
        "link counts in a roll-up."
    )
    version: int = strawberry.field(
        description="Changes with every change of the link; `acceptAlignment`, "
        "`declineAlignment` and `updateAlignment` take the one read."
    )
    child_id: strawberry.ID = strawberry.field(description="The supporting `Objective`'s id.")
    parent_id: strawberry.ID = strawberry.field(
        description="The supported `Objective`'s id (for a key result, its objective's)."
    )
    parent_key_result_id: strawberry.ID | None = strawberry.field(
        description="The supported `KeyResult`'s id; null when it supports the objective itself."
    )
    record: strawberry.Private[AlignmentRead | GraphEdgeRead]

    @classmethod
    def from_record(cls, record: AlignmentRead | GraphEdgeRead) -> Alignment:
        key_result_id = record.parent_key_result_id
        return cls(
            id=GlobalId("Alignment", record.id).encode(),
            weight=record.weight,
            state=AlignmentStateEnum(record.state.value),
            version=record.version,
            child_id=GlobalId("Objective", record.child_objective_id).encode(),
            parent_id=GlobalId("Objective", record.parent_objective_id).encode(),
            parent_key_result_id=(
                GlobalId("KeyResult", key_result_id).encode() if key_result_id else None
            ),
            record=record,
        )

    @resolver_field("The objective that supports.")
    async def child(self, info: Info) -> Objective | None:
        return await load_objective(info, self.record.child_objective_id)

    @resolver_field("The objective supported (for a key result, its objective).")
    async def parent(self, info: Info) -> Objective | None:
        return await load_objective(info, self.record.parent_objective_id)

    @resolver_field("The key result supported; null when it supports the objective itself.")
    async def parent_key_result(self, info: Info) -> KeyResult | None:
        if self.record.parent_key_result_id is None:
            return None
        return await load_key_result(info, self.record.parent_key_result_id)


@strawberry.type(description="A key result of an objective in an alignment graph.")
class AlignmentKeyResult:
    key_result_id: strawberry.ID = strawberry.field(description="The `KeyResult`'s id.")
    title: str = strawberry.field(description="What is measured.")
    weight: float = strawberry.field(description="Its share in the objective's progress.")
    progress: float = strawberry.field(description="How far it has come, 0 to 1.")
    record: strawberry.Private[GraphKeyResultRead]

    @classmethod
    def from_record(cls, record: GraphKeyResultRead) -> AlignmentKeyResult:
        return cls(
            key_result_id=GlobalId("KeyResult", record.id).encode(),
            title=record.title,
            weight=record.weight,
            progress=record.progress,
            record=record,
        )

    @resolver_field("The key result itself.")
    async def key_result(self, info: Info) -> KeyResult | None:
        return await load_key_result(info, self.record.id)


@strawberry.type(description="An objective in its cycle's alignment graph.")
class AlignmentNode:
    objective_id: strawberry.ID = strawberry.field(
        description="The `Objective`'s id, as edges name it (`childId`, `parentId`)."
    )
    title: str = strawberry.field(description="What is to be achieved.")
    owner_kind: OwnerKindEnum = strawberry.field(
        description="A person's, a team's or the company's."
    )
    kind: ObjectiveKindEnum = strawberry.field(description="Committed or aspirational.")
    status: ObjectiveStatusEnum = strawberry.field(description="Draft, proposed or agreed.")
    visibility: VisibilityEnum = strawberry.field(description="Who may read it.")
    level: int = strawberry.field(
        description="0 for an objective that supports none in the graph; otherwise one more "
        "than the deepest parent it supports, so that parents always stand above children."
    )
    rolls_up: bool = strawberry.field(
        description="Whether its progress counts the children aligned to it."
    )
    own_progress: float | None = strawberry.field(
        description="Its key results' progress alone, 0 to 1; null without any."
    )
    progress: float | None = strawberry.field(
        description="Its progress as served everywhere: with roll-up, the weighted mean of its "
        "key results and of its public children; otherwise `ownProgress`."
    )
    key_results: list[AlignmentKeyResult] = strawberry.field(
        description="Its key results, oldest first (part of the graph, read with it)."
    )
    record: strawberry.Private[GraphNodeRead]

    @classmethod
    def from_record(cls, record: GraphNodeRead) -> AlignmentNode:
        return cls(
            objective_id=GlobalId("Objective", record.id).encode(),
            title=record.title,
            owner_kind=OwnerKindEnum(record.owner_kind.value),
            kind=ObjectiveKindEnum(record.kind.value),
            status=ObjectiveStatusEnum(record.status.value),
            visibility=VisibilityEnum(record.visibility.value),
            level=record.level,
            rolls_up=record.rolls_up,
            own_progress=record.own_progress,
            progress=record.progress,
            key_results=[AlignmentKeyResult.from_record(item) for item in record.key_results],
            record=record,
        )

    @resolver_field("The objective itself.")
    async def objective(self, info: Info) -> Objective | None:
        return await load_objective(info, self.record.id)

    @resolver_field("Whose objective it is; null for the company's (see `ownerKind`).")
    async def owner(self, info: Info) -> ObjectiveOwner | None:
        if self.record.owner_person_id is not None:
            return await load_person(info, self.record.owner_person_id)
        if self.record.owner_team_id is not None:
            return await load_team(info, self.record.owner_team_id)
        return None


@strawberry.type(
    description="The objectives of a cycle you may read and the links between them. The "
    "whole graph comes in one request, so its lists are plain lists."
)
class AlignmentGraph:
    nodes: list[AlignmentNode] = strawberry.field(
        description="By `level` (parents first), then oldest first."
    )
    edges: list[Alignment] = strawberry.field(
        description="Child to parent, oldest first; only between the nodes shown."
    )

    @classmethod
    def from_record(cls, record: AlignmentGraphRead) -> AlignmentGraph:
        return cls(
            nodes=[AlignmentNode.from_record(node) for node in record.nodes],
            edges=[Alignment.from_record(edge) for edge in record.edges],
        )


@strawberry.type(
    description="An objective needs something from another owner: one of their objectives or "
    "key results. Seen by those who may read both sides."
)
class Dependency:
    id: strawberry.ID = strawberry.field(
        description="Opaque id, to move it on in `updateDependency` (it is not a `Node` yet: "
        "nothing fetches one dependency alone)."
    )
    note: str = strawberry.field(description="What is needed, by when.")
    state: DependencyStateEnum = strawberry.field(description="Open, agreed or resolved.")
    created_at: datetime = strawberry.field(description="When it was declared.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    version: int = strawberry.field(
        description="Changes with every change of it; `updateDependency` takes the one read."
    )
    record: strawberry.Private[DependencyRead]

    @classmethod
    def from_record(cls, record: DependencyRead) -> Dependency:
        return cls(
            id=GlobalId("Dependency", record.id).encode(),
            note=record.note,
            state=DependencyStateEnum(record.state.value),
            created_at=record.created_at,
            updated_at=record.updated_at,
            version=record.version,
            record=record,
        )

    @resolver_field("The objective that depends.")
    async def objective(self, info: Info) -> Objective | None:
        return await load_objective(info, self.record.objective.objective_id)

    @resolver_field("The objective depended on (for a key result, its objective).")
    async def on_objective(self, info: Info) -> Objective | None:
        return await load_objective(info, self.record.on.objective_id)

    @resolver_field("The key result depended on; null when it is the objective as a whole.")
    async def on_key_result(self, info: Info) -> KeyResult | None:
        if self.record.on.key_result_id is None:
            return None
        return await load_key_result(info, self.record.on.key_result_id)

    @resolver_field("Who declared it.")
    async def declared_by(self, info: Info) -> Person | None:
        return await load_person(info, self.record.created_by)


@strawberry.enum(name="SearchHitType", description="What a search found.")
class SearchHitTypeEnum(Enum):
    OBJECTIVE = strawberry.enum_value("objective", description="An objective's own text.")
    KEY_RESULT = strawberry.enum_value(
        "key_result", description="A key result's title (see `keyResult`)."
    )


@strawberry.type(
    description="An objective, or a key result with its objective, whose text matches a search."
)
class SearchHit:
    type: SearchHitTypeEnum = strawberry.field(
        description="An objective, or a key result (then `keyResult` is set)."
    )
    objective: Objective = strawberry.field(
        description="The objective found, or the one of the key result found."
    )
    key_result: KeyResult | None = strawberry.field(
        description="The key result found; null when the objective itself was."
    )

    @classmethod
    def from_record(cls, record: SearchHitRead) -> SearchHit:
        return cls(
            type=SearchHitTypeEnum(record.type),
            objective=Objective.from_record(record.objective),
            key_result=(
                KeyResult.from_record(record.key_result) if record.key_result is not None else None
            ),
        )


def _hit_key(hit: SearchHitRead) -> KeyResultRead | ObjectiveRead:
    """What a hit is ordered by in the service's list: the key result found, or the objective."""
    return hit.key_result if hit.key_result is not None else hit.objective


# --- Loading ---------------------------------------------------------------------------------


async def load_cycle(info: Info, cycle_id: uuid.UUID) -> Cycle | None:
    record = await info.context.loaders.cycle_by_id.load(cycle_id)
    return Cycle.from_record(record) if record is not None else None


async def load_objective(info: Info, objective_id: uuid.UUID) -> Objective | None:
    record = await info.context.loaders.objective_by_id.load(objective_id)
    return Objective.from_record(record) if record is not None else None


async def load_key_result(info: Info, key_result_id: uuid.UUID) -> KeyResult | None:
    record = await info.context.loaders.key_result_by_id.load(key_result_id)
    return KeyResult.from_record(record) if record is not None else None


NODES: dict[str, NodeResolver] = {
    "Cycle": load_cycle,
    "Objective": load_objective,
    "KeyResult": load_key_result,
}


async def owner_objectives(
    info: Info, owner: Owner, first: int, after: str | None
) -> Connection[Objective]:
    """The objectives of a person or a team that the caller may see, oldest first (what
    `Person.objectives` and `Team.objectives` resolve to)."""
    page = await info.context.loaders.objectives_by_owner.load(
        PageKey(owner, page_size(first), after)
    )
    info.context.loaders.objective_by_id.prime_many({item.id: item for item in page.items})
    return page_connection(page, Objective.from_record, after)


async def due_check_ins(
    info: Info, owner: Owner, first: int, after: str | None
) -> Connection[DueCheckIn]:
    """The key results of a person or a team that are due a check-in, oldest first (what
    `Person.dueCheckIns` and `Team.dueCheckIns` resolve to)."""
    page = await info.context.loaders.due_check_ins_by_owner.load(
        PageKey(owner, page_size(first), after)
    )
    info.context.loaders.key_result_by_id.prime_many(
        {item.key_result.id: item.key_result for item in page.items}
    )
    return keyed_connection(
        page.items,
        DueCheckIn.from_record,
        lambda item: item.key_result,
        has_next_page=page.next_cursor is not None,
        after=after,
    )


def cycle_filter(cycle_id: str | None) -> uuid.UUID | None:
    return GlobalId.decode_as("Cycle", cycle_id) if cycle_id is not None else None


@strawberry.type
class GoalsQuery:
    @resolver_field(
        "An objective by id; a NOT_FOUND error when there is none you may see (a private "
        "objective looks to outsiders exactly like one that does not exist)."
    )
    async def objective(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="An `Objective` id.")],
    ) -> Objective | None:
        objective = await load_objective(info, GlobalId.decode_as("Objective", id))
        if objective is None:
            raise NothingThere(
                "No objective you may see has this id.", reason="objective_not_found"
            )
        return objective

    @resolver_field("The cycles, oldest first.")
    async def cycles(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Cycle] | None:
        page = await info.context.clients.goals.list_cycles(
            info.context.caller, limit=page_size(first), cursor=after
        )
        info.context.loaders.cycle_by_id.prime_many({item.id: item for item in page.items})
        return page_connection(page, Cycle.from_record, after)

    @resolver_field(
        "Objectives and key results whose title or description holds every word of `q` (each "
        "as the start of a word), across cycles, oldest first (never by any figure); private "
        "ones only for those who may read them."
    )
    async def search_objectives(
        self,
        info: Info,
        q: Annotated[
            str,
            strawberry.argument(description="Words to find, each as a prefix (up to 200 chars)."),
        ],
        first: First = DEFAULT_PAGE_SIZE,
        after: After = None,
        cycle_id: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Only in this `Cycle`; all cycles when omitted."),
        ] = None,
    ) -> Connection[SearchHit] | None:
        page = await info.context.clients.goals.search(
            info.context.caller,
            q,
            limit=page_size(first),
            cursor=after,
            cycle_id=cycle_filter(cycle_id),
        )
        loaders = info.context.loaders
        loaders.objective_by_id.prime_many({hit.objective.id: hit.objective for hit in page.items})
        loaders.key_result_by_id.prime_many(
            {hit.key_result.id: hit.key_result for hit in page.items if hit.key_result is not None}
        )
        return keyed_connection(
            page.items,
            SearchHit.from_record,
            _hit_key,
            has_next_page=page.next_cursor is not None,
            after=after,
        )


# --- Mutations -------------------------------------------------------------------------------


@strawberry.input(description="An objective to set.")
class CreateObjectiveInput:
    cycle_id: strawberry.ID = strawberry.field(description="The cycle (a `Cycle` id).")
    owner_id: strawberry.ID = strawberry.field(description="Whose it is: a `Person` or `Team` id.")
    title: str = strawberry.field(description="What is to be achieved.")
    description: str | None = strawberry.field(default=None, description="Why, and how.")
    visibility: VisibilityEnum = strawberry.field(
        default=VisibilityEnum.PUBLIC, description="Who may read it (public by default)."
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="One per user action, the same again on a retry: the objective is set "
        "once, and the retry answers as the first did.",
    )


@strawberry.type(description="The objective was set.")
class CreateObjectivePayload:
    objective: Objective = strawberry.field(description="The new objective.")


@strawberry.type(
    description="The objective was not set: e.g. `cycle_closed`, `unknown_owner`, "
    "`owner_inactive`, `forbidden`, `validation_failed`, `invalid_id`."
)
class CreateObjectiveError(UserError):
    pass


CreateObjectiveResult = Annotated[
    CreateObjectivePayload | CreateObjectiveError,
    strawberry.union("CreateObjectiveResult", description="The objective, or why not."),
]


@strawberry.input(description="A milestone to mark done or not done.")
class MilestoneMarkInput:
    milestone_id: strawberry.ID = strawberry.field(description="A `Milestone.id`.")
    done: bool = strawberry.field(description="Done, or not (again).")


@strawberry.input(
    description="Where a key result stands now: give one of `value` (increase, decrease, stay "
    "above or below), `done` (binary) or `milestones` (milestones)."
)
class CheckInInput:
    key_result_id: strawberry.ID = strawberry.field(description="A `KeyResult` id.")
    value: float | None = strawberry.field(
        default=None, description="Its value now; becomes its `current`."
    )
    done: bool | None = strawberry.field(default=None, description="For a binary key result.")
    milestones: list[MilestoneMarkInput] | None = strawberry.field(
        default=None, description="For a milestones key result: those marked, each once."
    )
    confidence: int = strawberry.field(description="0 (no chance) to 10 (certain).")
    status: CheckInStatusEnum | None = strawberry.field(
        default=None,
        description="How it goes; if omitted, from `confidence`: 7-10 on track, 4-6 at risk, "
        "0-3 off track.",
    )
    note: str | None = strawberry.field(
        default=None, description="What happened, what is in the way."
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="One per user action, the same again on a retry: the change is made "
        "once, and the retry answers as the first did.",
    )


@strawberry.type(description="The check-in was made.")
class CheckInPayload:
    check_in: CheckIn = strawberry.field(
        description="The new check-in; its `keyResult` shows the new progress."
    )


@strawberry.type(
    description="The check-in was not made: e.g. `cycle_closed`, `key_result_not_found`, "
    "`wrong_value_for_kind`, `unknown_milestone`, `one_reading`, `forbidden`, "
    "`validation_failed`, `invalid_id`."
)
class CheckInError(UserError):
    pass


CheckInResult = Annotated[
    CheckInPayload | CheckInError,
    strawberry.union("CheckInResult", description="The check-in, or why not."),
]


@strawberry.input(description="A milestone of a new key result.")
class NewMilestoneInput:
    title: str = strawberry.field(description="What is to be done.")
    done: bool = strawberry.field(default=False, description="Whether it is done already.")


@strawberry.input(
    description="A key result to add to an objective. Each kind takes its own figures: "
    "`INCREASE_TO`/`DECREASE_TO` a `start` and a `target` (without `kind`, their direction "
    "decides); `STAY_ABOVE`/`STAY_BELOW` a `target` (the line) and maybe `current`; `BINARY` "
    "maybe `done`; `MILESTONES` its `milestones` and no numbers."
)
class AddKeyResultInput:
    objective_id: strawberry.ID = strawberry.field(description="An `Objective` id.")
    title: str = strawberry.field(description="What is measured.")
    kind: KeyResultKindEnum | None = strawberry.field(default=None, description="What kind.")
    start: float | None = strawberry.field(default=None, description="The value at the start.")
    target: float | None = strawberry.field(default=None, description="The value aimed at.")
    current: float | None = strawberry.field(default=None, description="Where it stands now.")
    done: bool | None = strawberry.field(default=None, description="Binary only.")
    milestones: list[NewMilestoneInput] | None = strawberry.field(
        default=None, description="Milestones only: in order, 1 to 50."
    )
    unit: str | None = strawberry.field(default=None, description="E.g. `%`, `EUR`.")
    owner_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Who sees to it (a `Person` id): the objective's owner or a contributor.",
    )
    weight: float = strawberry.field(
        default=1.0, description="Its share in the objective's progress."
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="One per user action, the same again on a retry: the change is made "
        "once, and the retry answers as the first did.",
    )


@strawberry.type(description="The key result was added; signatures given so far were taken back.")
class AddKeyResultPayload:
    key_result: KeyResult = strawberry.field(description="The new key result.")


@strawberry.type(
    description="The key result was not added: e.g. `objective_not_found`, `cycle_closed`, "
    "`owner_cannot_work_on_objective`, `kind_required`, `target_not_above_start`, "
    "`milestones_only`, `forbidden`, `validation_failed`, `invalid_id`."
)
class AddKeyResultError(UserError):
    pass


AddKeyResultResult = Annotated[
    AddKeyResultPayload | AddKeyResultError,
    strawberry.union("AddKeyResultResult", description="The key result, or why not."),
]


@strawberry.input(
    description="A change to an objective: only the fields given change. `version` is the "
    "`Objective.version` you read; the change is refused (`stale_version`) if it changed since."
)
class UpdateObjectiveInput:
    objective_id: strawberry.ID = strawberry.field(description="An `Objective` id.")
    version: int = strawberry.field(description="The `Objective.version` you read.")
    title: str | None = strawberry.field(
        default=strawberry.UNSET, description="What is to be achieved."
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="Why, and how; null clears it."
    )
    kind: ObjectiveKindEnum | None = strawberry.field(
        default=strawberry.UNSET, description="Committed or aspirational."
    )
    visibility: VisibilityEnum | None = strawberry.field(
        default=strawberry.UNSET, description="Who may read it."
    )


@strawberry.type(
    description="The objective was changed; a change after a signature took the signatures back."
)
class UpdateObjectivePayload:
    objective: Objective = strawberry.field(description="The objective as it is now.")


@strawberry.type(
    description="The objective was not changed: e.g. `stale_version`, `objective_not_found`, "
    "`cycle_closed`, `company_objectives_are_public`, `forbidden`, "
    "`validation_failed`, `invalid_id`."
)
class UpdateObjectiveError(UserError):
    pass


UpdateObjectiveResult = Annotated[
    UpdateObjectivePayload | UpdateObjectiveError,
    strawberry.union("UpdateObjectiveResult", description="The objective, or why not."),
]


@strawberry.input(description="A draft to propose for agreement, at the `version` you read.")
class ProposeObjectiveInput:
    objective_id: strawberry.ID = strawberry.field(description="An `Objective` id.")
    version: int = strawberry.field(description="The `Objective.version` you read.")


@strawberry.type(description="The objective is proposed; it waits for both sides to sign.")
class ProposeObjectivePayload:
    objective: Objective = strawberry.field(description="The proposed objective.")


@strawberry.type(
    description="The objective was not proposed: e.g. `stale_version`, `invalid_status_change`, "
    "`objective_not_found`, `forbidden`, `invalid_id`."
)
class ProposeObjectiveError(UserError):
    pass


ProposeObjectiveResult = Annotated[
    ProposeObjectivePayload | ProposeObjectiveError,
    strawberry.union("ProposeObjectiveResult", description="The objective, or why not."),
]


@strawberry.input(description="A proposed objective to sign for your side.")
class SignObjectiveInput:
    objective_id: strawberry.ID = strawberry.field(description="An `Objective` id.")
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="One per user action, the same again on a retry: the change is made "
        "once, and the retry answers as the first did.",
    )


@strawberry.type(
    description="Your signature was given; the objective is agreed once both sides signed."
)
class SignObjectivePayload:
    objective: Objective = strawberry.field(
        description="The objective with its signatures and status."
    )


@strawberry.type(
    description="The objective was not signed: e.g. `not_proposed`, `not_a_signer`, "
    "`already_signed`, `side_already_signed`, `already_agreed`, "
    "`objective_not_found`, `invalid_id`."
)
class SignObjectiveError(UserError):
    pass


SignObjectiveResult = Annotated[
    SignObjectivePayload | SignObjectiveError,
    strawberry.union("SignObjectiveResult", description="The objective, or why not."),
]


@strawberry.type(description="A comment on an objective.")
class Comment:
    id: strawberry.ID = strawberry.field(
        description="Opaque id, like a global id (it is not a `Node`: nothing fetches one "
        "comment alone)."
    )
    body: str = strawberry.field(description="What was said.")
    created_at: datetime = strawberry.field(description="When.")
    record: strawberry.Private[CommentRead]

    @classmethod
    def from_record(cls, record: CommentRead) -> Comment:
        return cls(
            id=GlobalId("Comment", record.id).encode(),
            body=record.body,
            created_at=record.created_at,
            record=record,
        )

    @resolver_field("Who wrote it.")
    async def author(self, info: Info) -> Person | None:
        return await load_person(info, self.record.author_id)

    @resolver_field("The objective commented on.")
    async def objective(self, info: Info) -> Objective | None:
        return await load_objective(info, self.record.objective_id)


@strawberry.input(description="A comment on an objective you may read, while its cycle is open.")
class CommentOnObjectiveInput:
    objective_id: strawberry.ID = strawberry.field(description="An `Objective` id.")
    body: str = strawberry.field(description="What you have to say (up to 2000 characters).")
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="One per user action, the same again on a retry: the change is made "
        "once, and the retry answers as the first did.",
    )


@strawberry.type(description="The comment was added.")
class CommentOnObjectivePayload:
    comment: Comment = strawberry.field(description="The new comment.")


@strawberry.type(
    description="The comment was not added: e.g. `cycle_closed`, `objective_not_found`, "
    "`validation_failed`, `invalid_id`."
)
class CommentOnObjectiveError(UserError):
    pass


CommentOnObjectiveResult = Annotated[
    CommentOnObjectivePayload | CommentOnObjectiveError,
    strawberry.union("CommentOnObjectiveResult", description="The comment, or why not."),
]


@strawberry.input(
    description="A cycle to close (HR admins), at the `version` you read: every objective "
    "without a final score takes its progress as one, and check-ins stop."
)
class CloseCycleInput:
    cycle_id: strawberry.ID = strawberry.field(description="A `Cycle` id.")
    version: int = strawberry.field(description="The `Cycle.version` you read.")


@strawberry.type(description="The cycle is closed.")
class CloseCyclePayload:
    cycle: Cycle = strawberry.field(description="The closed cycle.")


@strawberry.type(
    description="The cycle was not closed: e.g. `stale_version`, `invalid_transition`, "
    "`cycle_not_found`, `forbidden`, `invalid_id`."
)
class CloseCycleError(UserError):
    pass


CloseCycleResult = Annotated[
    CloseCyclePayload | CloseCycleError,
    strawberry.union("CloseCycleResult", description="The cycle, or why not."),
]


@strawberry.input(
    description="An objective's final score and what was learnt, while its cycle is active. "
    "The first needs no `version`; replacing one needs the `Closing.version` you read."
)
class SubmitClosingInput:
    objective_id: strawberry.ID = strawberry.field(description="An `Objective` id.")
    score: float = strawberry.field(description="0.0 to 1.0.")
    retrospective: str = strawberry.field(description="What went well, what was learnt.")
    version: int | None = strawberry.field(
        default=None, description="To replace a score: the `Closing.version` you read."
    )


@strawberry.type(description="The final score was given.")
class SubmitClosingPayload:
    closing: Closing = strawberry.field(description="The score as it now stands.")
    objective_id: strawberry.Private[uuid.UUID]

    @resolver_field("The objective scored.")
    async def objective(self, info: Info) -> Objective | None:
        return await load_objective(info, self.objective_id)


@strawberry.type(
    description="The score was not given: e.g. `cycle_not_active`, `stale_version`, "
    "`if_match_required` (replacing without `version`), `objective_not_found`, "
    "`forbidden`, `validation_failed`, `invalid_id`."
)
class SubmitClosingError(UserError):
    pass


SubmitClosingResult = Annotated[
    SubmitClosingPayload | SubmitClosingError,
    strawberry.union("SubmitClosingResult", description="The closing, or why not."),
]


@strawberry.input(
    description="An objective supports a parent in the same cycle: give exactly one of "
    "`parentObjectiveId` and `parentKeyResultId`."
)
class AlignObjectiveInput:
    objective_id: strawberry.ID = strawberry.field(
        description="The supporting `Objective` (one you may change)."
    )
    parent_objective_id: strawberry.ID | None = strawberry.field(
        default=None, description="The `Objective` it supports; or give a key result."
    )
    parent_key_result_id: strawberry.ID | None = strawberry.field(
        default=None, description="The `KeyResult` it supports; or give an objective."
    )
    weight: float | None = strawberry.field(
        default=strawberry.UNSET,
        description="Its share in the parent's roll-up beside the parent's key results (each "
        "weighing its own `weight`): more than 0, at most 1000; 1 when omitted. Only for "
        "those who may change the parent too (`weight_set_by_parent` otherwise): their link "
        "is accepted at once, anyone else's waits for the parent's side, who weigh it.",
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="One per user action, the same again on a retry: the change is made "
        "once, and the retry answers as the first did.",
    )


@strawberry.type(description="The objective now supports the parent (or proposes to).")
class AlignObjectivePayload:
    alignment: Alignment = strawberry.field(
        description="The new link, `ACCEPTED` or `PENDING` (see `state`); its `parent` shows "
        "the progress rolled up since."
    )


@strawberry.type(
    description="The link was not made: e.g. `alignment_cycle` (it would close a loop), "
    "`alignment_too_deep`, `already_aligned`, `cycle_mismatch`, `cycle_closed`, "
    "`parent_not_found`, `objective_not_found`, `one_parent`, `weight_set_by_parent`, "
    "`forbidden`, `validation_failed`, `invalid_id`."
)
class AlignObjectiveError(UserError):
    pass


AlignObjectiveResult = Annotated[
    AlignObjectivePayload | AlignObjectiveError,
    strawberry.union("AlignObjectiveResult", description="The link, or why not."),
]


@strawberry.input(
    description="An objective depends on another owner's objective or key result in the same "
    "cycle: give exactly one of `onObjectiveId` and `onKeyResultId`."
)
class DeclareDependencyInput:
    objective_id: strawberry.ID = strawberry.field(
        description="The `Objective` that depends (one you may change)."
    )
    on_objective_id: strawberry.ID | None = strawberry.field(
        default=None, description="The `Objective` depended on; or give a key result."
    )
    on_key_result_id: strawberry.ID | None = strawberry.field(
        default=None, description="The `KeyResult` depended on; or give an objective."
    )
    note: str = strawberry.field(description="What is needed, by when (up to 2000 characters).")
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="One per user action, the same again on a retry: the change is made "
        "once, and the retry answers as the first did.",
    )


@strawberry.type(description="The dependency was declared; it starts open.")
class DeclareDependencyPayload:
    dependency: Dependency = strawberry.field(description="The new dependency.")


@strawberry.type(
    description="The dependency was not declared: e.g. `same_owner`, `already_depends`, "
    "`cycle_mismatch`, `cycle_closed`, `target_not_found`, `objective_not_found`, "
    "`one_target`, `forbidden`, `validation_failed`, `invalid_id`."
)
class DeclareDependencyError(UserError):
    pass


DeclareDependencyResult = Annotated[
    DeclareDependencyPayload | DeclareDependencyError,
    strawberry.union("DeclareDependencyResult", description="The dependency, or why not."),
]


@strawberry.input(
    description="A cycle to open (HR admins): it starts `PLANNING` unless `ACTIVE` is given."
)
class CreateCycleInput:
    name: str = strawberry.field(description="E.g. `2026 Q2`.")
    starts_on: date = strawberry.field(description="Its first day.")
    ends_on: date = strawberry.field(description="Its last day, after `startsOn`.")
    status: CycleStatusEnum = strawberry.field(
        default=CycleStatusEnum.PLANNING, description="`PLANNING` or `ACTIVE` (never `CLOSED`)."
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="One per user action, the same again on a retry: the change is made "
        "once, and the retry answers as the first did.",
    )


@strawberry.type(description="The cycle was created.")
class CreateCyclePayload:
    cycle: Cycle = strawberry.field(description="The new cycle.")


@strawberry.type(
    description="The cycle was not created: e.g. `end_not_after_start`, `created_closed`, "
    "`forbidden`, `validation_failed`."
)
class CreateCycleError(UserError):
    pass


CreateCycleResult = Annotated[
    CreateCyclePayload | CreateCycleError,
    strawberry.union("CreateCycleResult", description="The cycle, or why not."),
]


@strawberry.input(
    description="A change to a cycle (HR admins): only the fields given change. `status: "
    "ACTIVE` opens it (or reopens a closed one); to close it, `closeCycle`. `version` is the "
    "`Cycle.version` you read; the change is refused (`stale_version`) if it changed since."
)
class UpdateCycleInput:
    cycle_id: strawberry.ID = strawberry.field(description="A `Cycle` id.")
    version: int = strawberry.field(description="The `Cycle.version` you read.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Its name.")
    starts_on: date | None = strawberry.field(
        default=strawberry.UNSET, description="Its first day."
    )
    ends_on: date | None = strawberry.field(default=strawberry.UNSET, description="Its last day.")
    status: CycleStatusEnum | None = strawberry.field(
        default=strawberry.UNSET, description="Where it is to stand."
    )


@strawberry.type(description="The cycle was changed.")
class UpdateCyclePayload:
    cycle: Cycle = strawberry.field(description="The cycle as it is now.")


@strawberry.type(
    description="The cycle was not changed: e.g. `stale_version`, `invalid_transition`, "
    "`cycle_not_found`, `forbidden`, `validation_failed`, `invalid_id`."
)
class UpdateCycleError(UserError):
    pass


UpdateCycleResult = Annotated[
    UpdateCyclePayload | UpdateCycleError,
    strawberry.union("UpdateCycleResult", description="The cycle, or why not."),
]


@strawberry.input(
    description="A person to work on an objective with its owner (those who may change it): "
    "they see it even when it is private, change it and check in on it."
)
class AddContributorInput:
    objective_id: strawberry.ID = strawberry.field(description="An `Objective` id.")
    person_id: strawberry.ID = strawberry.field(description="A `Person` id.")
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="One per user action, the same again on a retry: the change is made "
        "once, and the retry answers as the first did.",
    )


@strawberry.type(description="The person now contributes to the objective.")
class AddContributorPayload:
    objective: Objective = strawberry.field(description="The objective with its contributors.")


@strawberry.type(
    description="The contributor was not added: e.g. `already_contributor`, "
    "`contributor_is_owner`, `contributor_inactive`, `objective_not_found`, `cycle_closed`, "
    "`forbidden`, `validation_failed`, `invalid_id`."
)
class AddContributorError(UserError):
    pass


AddContributorResult = Annotated[
    AddContributorPayload | AddContributorError,
    strawberry.union("AddContributorResult", description="The objective, or why not."),
]


@strawberry.input(description="A contributor to take off an objective (those who may change it).")
class RemoveContributorInput:
    objective_id: strawberry.ID = strawberry.field(description="An `Objective` id.")
    person_id: strawberry.ID = strawberry.field(description="A `Person` id.")


@strawberry.type(description="The person no longer contributes to the objective.")
class RemoveContributorPayload:
    objective_id: strawberry.Private[uuid.UUID]

    @resolver_field("The objective as it is now; null if you may no longer read it.")
    async def objective(self, info: Info) -> Objective | None:
        return await load_objective(info, self.objective_id)


@strawberry.type(
    description="The contributor was not taken off: e.g. `contributor_not_found`, "
    "`objective_not_found`, `cycle_closed`, `forbidden`, `invalid_id`."
)
class RemoveContributorError(UserError):
    pass


RemoveContributorResult = Annotated[
    RemoveContributorPayload | RemoveContributorError,
    strawberry.union("RemoveContributorResult", description="The objective, or why not."),
]


@strawberry.input(
    description="Whether an objective's progress counts the public objectives aligned to it "
    "(its owner's choice; setting it as it already is changes nothing)."
)
class SetRollUpInput:
    objective_id: strawberry.ID = strawberry.field(description="An `Objective` id.")
    enabled: bool = strawberry.field(description="True to opt in, false to opt out.")


@strawberry.type(description="The roll-up is set; progress is recomputed at once.")
class SetRollUpPayload:
    enabled: bool = strawberry.field(description="Whether its progress counts its children.")
    own_progress: float | None = strawberry.field(
        description="Its key results' progress alone, 0 to 1; null without any."
    )
    progress: float | None = strawberry.field(
        description="Its progress as served everywhere, with or without its children."
    )
    record: strawberry.Private[RollUpRead]

    @classmethod
    def from_record(cls, record: RollUpRead) -> SetRollUpPayload:
        return cls(
            enabled=record.enabled,
            own_progress=record.own_progress,
            progress=record.progress,
            record=record,
        )

    @resolver_field("The objective.")
    async def objective(self, info: Info) -> Objective | None:
        return await load_objective(info, self.record.objective_id)


@strawberry.type(
    description="The roll-up was not set: e.g. `objective_not_found`, `forbidden`, `invalid_id`."
)
class SetRollUpError(UserError):
    pass


SetRollUpResult = Annotated[
    SetRollUpPayload | SetRollUpError,
    strawberry.union("SetRollUpResult", description="The roll-up, or why not."),
]


@strawberry.input(
    description="A change to a dependency: only the fields given change. `state`: `AGREED` by "
    "the side depended on, `RESOLVED` or back to `OPEN` by either side; `note`: the side that "
    "depends. `version` is the `Dependency.version` you read (`stale_version` otherwise)."
)
class UpdateDependencyInput:
    dependency_id: strawberry.ID = strawberry.field(description="A `Dependency.id`.")
    version: int = strawberry.field(description="The `Dependency.version` you read.")
    state: DependencyStateEnum | None = strawberry.field(
        default=strawberry.UNSET, description="Where it is to stand."
    )
    note: str | None = strawberry.field(
        default=strawberry.UNSET, description="What is needed, by when (up to 2000 characters)."
    )


@strawberry.type(description="The dependency was changed.")
class UpdateDependencyPayload:
    dependency: Dependency = strawberry.field(description="The dependency as it is now.")


@strawberry.type(
    description="The dependency was not changed: e.g. `stale_version`, `invalid_transition`, "
    "`dependency_not_found`, `cycle_closed`, `forbidden`, `validation_failed`, `invalid_id`."
)
class UpdateDependencyError(UserError):
    pass


UpdateDependencyResult = Annotated[
    UpdateDependencyPayload | UpdateDependencyError,
    strawberry.union("UpdateDependencyResult", description="The dependency, or why not."),
]


@strawberry.input(
    description="A link to withdraw (those who may change the child objective, or the parent)."
)
class WithdrawAlignmentInput:
    alignment_id: strawberry.ID = strawberry.field(description="An `Alignment.id`.")


@strawberry.type(description="The link was withdrawn; roll-ups no longer count it.")
class WithdrawAlignmentPayload:
    alignment_id: strawberry.ID = strawberry.field(description="The withdrawn `Alignment.id`.")


@strawberry.type(
    description="The link was not withdrawn: e.g. `alignment_not_found`, `cycle_closed`, "
    "`forbidden`, `invalid_id`."
)
class WithdrawAlignmentError(UserError):
    pass


WithdrawAlignmentResult = Annotated[
    WithdrawAlignmentPayload | WithdrawAlignmentError,
    strawberry.union("WithdrawAlignmentResult", description="The withdrawn link, or why not."),
]


@strawberry.input(
    description="A link to your objective (or one of its key results) to accept: the child "
    "then counts in its roll-up. Those who may change the parent objective."
)
class AcceptAlignmentInput:
    alignment_id: strawberry.ID = strawberry.field(description="An `Alignment.id`.")
    version: int = strawberry.field(description="The `Alignment.version` you read.")
    weight: float | None = strawberry.field(
        default=strawberry.UNSET,
        description="What the child weighs in the roll-up: more than 0, at most 1000; "
        "unchanged when omitted.",
    )


@strawberry.type(description="The link was accepted; the parent's roll-up counts it.")
class AcceptAlignmentPayload:
    alignment: Alignment = strawberry.field(description="The link as it is now.")


@strawberry.type(
    description="The link was not accepted: e.g. `stale_version`, `parent_side_only` (you may "
    "not change the parent), `alignment_not_found`, `cycle_closed`, `validation_failed`, "
    "`invalid_id`."
)
class AcceptAlignmentError(UserError):
    pass


AcceptAlignmentResult = Annotated[
    AcceptAlignmentPayload | AcceptAlignmentError,
    strawberry.union("AcceptAlignmentResult", description="The accepted link, or why not."),
]


@strawberry.input(
    description="A link to your objective (or one of its key results) to decline: it counts "
    "in no roll-up (it may be accepted later). Those who may change the parent objective."
)
class DeclineAlignmentInput:
    alignment_id: strawberry.ID = strawberry.field(description="An `Alignment.id`.")
    version: int = strawberry.field(description="The `Alignment.version` you read.")


@strawberry.type(description="The link was declined; the parent's roll-up does not count it.")
class DeclineAlignmentPayload:
    alignment: Alignment = strawberry.field(description="The link as it is now.")


@strawberry.type(
    description="The link was not declined: e.g. `stale_version`, `parent_side_only`, "
    "`alignment_not_found`, `cycle_closed`, `invalid_id`."
)
class DeclineAlignmentError(UserError):
    pass


DeclineAlignmentResult = Annotated[
    DeclineAlignmentPayload | DeclineAlignmentError,
    strawberry.union("DeclineAlignmentResult", description="The declined link, or why not."),
]


@strawberry.input(
    description="A new weight for a link to your objective (those who may change the parent "
    "objective), at the `Alignment.version` you read."
)
class UpdateAlignmentInput:
    alignment_id: strawberry.ID = strawberry.field(description="An `Alignment.id`.")
    version: int = strawberry.field(description="The `Alignment.version` you read.")
    weight: float = strawberry.field(
        description="What the child weighs in the parent's roll-up once accepted: more than "
        "0, at most 1000."
    )


@strawberry.type(description="The link's weight was changed.")
class UpdateAlignmentPayload:
    alignment: Alignment = strawberry.field(
        description="The link as it is now; its `parent` shows the progress rolled up since."
    )


@strawberry.type(
    description="The weight was not changed: e.g. `stale_version`, `parent_side_only`, "
    "`alignment_not_found`, `cycle_closed`, `validation_failed`, `invalid_id`."
)
class UpdateAlignmentError(UserError):
    pass


UpdateAlignmentResult = Annotated[
    UpdateAlignmentPayload | UpdateAlignmentError,
    strawberry.union("UpdateAlignmentResult", description="The link, or why not."),
]


@strawberry.input(
    description="A change to a key result: only the fields given change (`unit` and `ownerId` "
    "are cleared with null). `start` and `target` as its kind takes them. `version` is the "
    "`KeyResult.version` you read (`stale_version` otherwise). Those who may add key results "
    "to its objective; a change of anything but its owner takes the objective's signatures "
    "back."
)
class UpdateKeyResultInput:
    key_result_id: strawberry.ID = strawberry.field(description="A `KeyResult` id.")
    version: int = strawberry.field(description="The `KeyResult.version` you read.")
    title: str | None = strawberry.field(default=strawberry.UNSET, description="What is measured.")
    start: float | None = strawberry.field(
        default=strawberry.UNSET,
        description="The value at the start (increase, decrease, stay above or below).",
    )
    target: float | None = strawberry.field(
        default=strawberry.UNSET,
        description="The value aimed at, or the line to hold (not for binary, milestones).",
    )
    unit: str | None = strawberry.field(
        default=strawberry.UNSET, description="E.g. `%`, `EUR`; null clears it."
    )
    owner_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Who sees to it (a `Person` id who may work on the objective); null for "
        "nobody named.",
    )
    weight: float | None = strawberry.field(
        default=strawberry.UNSET, description="Its share in the objective's progress."
    )


@strawberry.type(description="The key result was changed.")
class UpdateKeyResultPayload:
    key_result: KeyResult = strawberry.field(description="The key result as it is now.")


@strawberry.type(
    description="The key result was not changed: e.g. `stale_version`, "
    "`key_result_not_found`, `cycle_closed`, `target_not_above_start`, "
    "`target_not_below_start`, `not_for_this_kind`, `owner_cannot_work_on_objective`, "
    "`unknown_owner`, `forbidden`, `validation_failed`, `invalid_id`."
)
class UpdateKeyResultError(UserError):
    pass


UpdateKeyResultResult = Annotated[
    UpdateKeyResultPayload | UpdateKeyResultError,
    strawberry.union("UpdateKeyResultResult", description="The key result, or why not."),
]


@strawberry.input(
    description="A key result to remove with its check-ins, at the `KeyResult.version` you "
    "read (those who may add key results to its objective). Links to it and dependencies on "
    "it are withdrawn; the objective's signatures are taken back."
)
class DeleteKeyResultInput:
    key_result_id: strawberry.ID = strawberry.field(description="A `KeyResult` id.")
    version: int = strawberry.field(description="The `KeyResult.version` you read.")


@strawberry.type(description="The key result was removed.")
class DeleteKeyResultPayload:
    key_result_id: strawberry.ID = strawberry.field(description="The removed `KeyResult` id.")
    objective_id: strawberry.Private[uuid.UUID | None]

    @resolver_field("Its objective as it is now, read afresh (its progress without it).")
    async def objective(self, info: Info) -> Objective | None:
        if self.objective_id is None:
            return None
        return await load_objective(info, self.objective_id)


@strawberry.type(
    description="The key result was not removed: e.g. `stale_version`, "
    "`key_result_not_found`, `cycle_closed`, `forbidden`, `invalid_id`."
)
class DeleteKeyResultError(UserError):
    pass


DeleteKeyResultResult = Annotated[
    DeleteKeyResultPayload | DeleteKeyResultError,
    strawberry.union("DeleteKeyResultResult", description="The removed key result, or why not."),
]


@strawberry.input(description="A dependency to withdraw (the side that depends).")
class WithdrawDependencyInput:
    dependency_id: strawberry.ID = strawberry.field(description="A `Dependency.id`.")


@strawberry.type(description="The dependency was withdrawn.")
class WithdrawDependencyPayload:
    dependency_id: strawberry.ID = strawberry.field(description="The withdrawn `Dependency.id`.")


@strawberry.type(
    description="The dependency was not withdrawn: e.g. `dependency_not_found`, "
    "`cycle_closed`, `forbidden` (only the side that depends withdraws it), `invalid_id`."
)
class WithdrawDependencyError(UserError):
    pass


WithdrawDependencyResult = Annotated[
    WithdrawDependencyPayload | WithdrawDependencyError,
    strawberry.union("WithdrawDependencyResult", description="The withdrawn one, or why not."),
]


E = TypeVar("E", bound=UserError)


def _error(kind: type[E], refused: Refusal) -> E:
    return kind(message=refused.message, code=refused.code, field=refused.field)


def _refused(error: ServiceError, renames: dict[str, str] | None = None) -> Refusal:
    """What the caller can fix becomes the mutation's error type; the rest stays an error."""
    refused = refusal(error, renames)
    if refused is None:
        raise error
    return refused


def _bad_id(error: BadUserInput, field: str) -> Refusal:
    return Refusal(error.message, error.reason, ["input", field])


class InvalidInput(Exception):
    """An input the gateway itself refuses (a malformed id, one of the wrong type)."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


def _id(type_name: str, value: str, *field: str) -> uuid.UUID:
    """The uuid of an input's id of `type_name`; `field` is its path under `input`."""
    try:
        return GlobalId.decode_as(type_name, value)
    except BadUserInput as error:
        raise InvalidInput(Refusal(error.message, error.reason, ["input", *field])) from None


@strawberry.type
class GoalsMutation:
    @resolver_field("Set an objective for yourself, a team or a report (as the service allows).")
    async def create_objective(
        self,
        info: Info,
        input: Annotated[CreateObjectiveInput, strawberry.argument(description="The objective.")],
    ) -> CreateObjectiveResult | None:
        try:
            cycle_id = GlobalId.decode_as("Cycle", input.cycle_id)
        except BadUserInput as error:
            return _error(CreateObjectiveError, _bad_id(error, "cycleId"))
        try:
            owner = GlobalId.decode(input.owner_id)
            if owner.type_name not in {"Person", "Team"}:
                raise BadUserInput("An owner is a person or a team.", reason="wrong_id_type")
        except BadUserInput as error:
            return _error(CreateObjectiveError, _bad_id(error, "ownerId"))
        body = ObjectiveCreate.model_construct(
            cycle_id=cycle_id,
            title=input.title,
            description=input.description,
            owner_person_id=owner.id if owner.type_name == "Person" else None,
            owner_team_id=owner.id if owner.type_name == "Team" else None,
            visibility=Visibility[input.visibility.name],
        )
        try:
            created = await info.context.clients.goals.create_objective(
                info.context.caller, body, idempotency_key=input.idempotency_key
            )
        except ServiceError as error:
            owner_field = {"owner_person_id": "ownerId", "owner_team_id": "ownerId"}
            return _error(CreateObjectiveError, _refused(error, owner_field))
        return CreateObjectivePayload(objective=Objective.from_record(created))

    @resolver_field("Say where a key result stands, how it goes and how confident you are.")
    async def check_in(
        self,
        info: Info,
        input: Annotated[CheckInInput, strawberry.argument(description="The check-in.")],
    ) -> CheckInResult | None:
        try:
            key_result_id = _id("KeyResult", input.key_result_id, "keyResultId")
            marks = [
                MilestoneUpdate.model_construct(
                    id=_id("Milestone", mark.milestone_id, "milestones", str(n), "milestoneId"),
                    done=mark.done,
                )
                for n, mark in enumerate(input.milestones or ())
            ]
        except InvalidInput as error:
            return _error(CheckInError, error.refusal)
        fields: dict[str, Any] = {"confidence": input.confidence, "note": input.note}
        if input.value is not None:
            fields["value"] = input.value
        if input.done is not None:
            fields["done"] = input.done
        if input.milestones is not None:
            fields["milestones"] = marks
        if input.status is not None:
            fields["status"] = CheckInStatus[input.status.name]
        try:
            made = await info.context.clients.goals.check_in(
                info.context.caller,
                key_result_id,
                CheckInCreate.model_construct(**fields),
                idempotency_key=input.idempotency_key,
            )
        except ServiceError as error:
            return _error(CheckInError, _refused(error))
        return CheckInPayload(check_in=CheckIn.from_record(made))

    @resolver_field("Add a key result to an objective (those who may change the objective).")
    async def add_key_result(
        self,
        info: Info,
        input: Annotated[AddKeyResultInput, strawberry.argument(description="The key result.")],
    ) -> AddKeyResultResult | None:
        try:
            objective_id = _id("Objective", input.objective_id, "objectiveId")
            owner_id = (
                _id("Person", input.owner_id, "ownerId") if input.owner_id is not None else None
            )
        except InvalidInput as error:
            return _error(AddKeyResultError, error.refusal)
        fields: dict[str, Any] = {"title": input.title, "weight": input.weight}
        optional: dict[str, object | None] = {
            "kind": KeyResultKind[input.kind.name] if input.kind is not None else None,
            "start": input.start,
            "target": input.target,
            "current": input.current,
            "done": input.done,
            "unit": input.unit,
            "owner_person_id": owner_id,
            "milestones": (
                [
                    MilestoneCreate.model_construct(title=m.title, done=m.done)
                    for m in input.milestones
                ]
                if input.milestones is not None
                else None
            ),
        }
        fields |= {name: value for name, value in optional.items() if value is not None}
        try:
            added = await info.context.clients.goals.create_key_result(
                info.context.caller,
                objective_id,
                KeyResultCreate.model_construct(**fields),
                idempotency_key=input.idempotency_key,
            )
        except ServiceError as error:
            return _error(AddKeyResultError, _refused(error, {"owner_person_id": "ownerId"}))
        return AddKeyResultPayload(key_result=KeyResult.from_record(added))

    @resolver_field(
        "Change an objective's title, description, kind or visibility, at the version you read."
    )
    async def update_objective(
        self,
        info: Info,
        input: Annotated[UpdateObjectiveInput, strawberry.argument(description="The change.")],
    ) -> UpdateObjectiveResult | None:
        try:
            objective_id = _id("Objective", input.objective_id, "objectiveId")
        except InvalidInput as error:
            return _error(UpdateObjectiveError, error.refusal)
        fields: dict[str, Any] = {}
        if input.title is not strawberry.UNSET:
            fields["title"] = input.title
        if input.description is not strawberry.UNSET:
            fields["description"] = input.description
        if input.kind is not strawberry.UNSET:
            fields["kind"] = ObjectiveKind[input.kind.name] if input.kind else None
        if input.visibility is not strawberry.UNSET:
            fields["visibility"] = Visibility[input.visibility.name] if input.visibility else None
        try:
            changed = await info.context.clients.goals.update_objective(
                info.context.caller,
                objective_id,
                ObjectiveUpdate.model_construct(**fields),
                version=input.version,
            )
        except ServiceError as error:
            return _error(UpdateObjectiveError, _refused(error))
        return UpdateObjectivePayload(objective=Objective.from_record(changed))

    @resolver_field("Propose a draft objective for agreement by its owner and their manager.")
    async def propose_objective(
        self,
        info: Info,
        input: Annotated[ProposeObjectiveInput, strawberry.argument(description="The objective.")],
    ) -> ProposeObjectiveResult | None:
        try:
            objective_id = _id("Objective", input.objective_id, "objectiveId")
        except InvalidInput as error:
            return _error(ProposeObjectiveError, error.refusal)
        body = ObjectiveUpdate.model_construct(status=ObjectiveStatus.PROPOSED)
        try:
            proposed = await info.context.clients.goals.update_objective(
                info.context.caller, objective_id, body, version=input.version
            )
        except ServiceError as error:
            return _error(ProposeObjectiveError, _refused(error))
        return ProposeObjectivePayload(objective=Objective.from_record(proposed))

    @resolver_field(
        "Sign a proposed objective for your side (its owner's or its manager's); it is agreed "
        "when both have signed, never by one alone."
    )
    async def sign_objective(
        self,
        info: Info,
        input: Annotated[SignObjectiveInput, strawberry.argument(description="The objective.")],
    ) -> SignObjectiveResult | None:
        try:
            objective_id = _id("Objective", input.objective_id, "objectiveId")
        except InvalidInput as error:
            return _error(SignObjectiveError, error.refusal)
        try:
            signed = await info.context.clients.goals.sign_objective(
                info.context.caller, objective_id, idempotency_key=input.idempotency_key
            )
        except ServiceError as error:
            return _error(SignObjectiveError, _refused(error))
        return SignObjectivePayload(objective=Objective.from_record(signed))

    @resolver_field("Comment on an objective, e.g. on a draft being agreed.")
    async def comment_on_objective(
        self,
        info: Info,
        input: Annotated[CommentOnObjectiveInput, strawberry.argument(description="The comment.")],
    ) -> CommentOnObjectiveResult | None:
        try:
            objective_id = _id("Objective", input.objective_id, "objectiveId")
        except InvalidInput as error:
            return _error(CommentOnObjectiveError, error.refusal)
        try:
            made = await info.context.clients.goals.comment(
                info.context.caller,
                objective_id,
                CommentCreate.model_construct(body=input.body),
                idempotency_key=input.idempotency_key,
            )
        except ServiceError as error:
            return _error(CommentOnObjectiveError, _refused(error))
        return CommentOnObjectivePayload(comment=Comment.from_record(made))

    @resolver_field("Close a cycle (HR admins), at the version you read.")
    async def close_cycle(
        self,
        info: Info,
        input: Annotated[CloseCycleInput, strawberry.argument(description="The cycle.")],
    ) -> CloseCycleResult | None:
        try:
            cycle_id = _id("Cycle", input.cycle_id, "cycleId")
        except InvalidInput as error:
            return _error(CloseCycleError, error.refusal)
        body = CycleUpdate.model_construct(status=CycleStatus.CLOSED)
        try:
            closed = await info.context.clients.goals.update_cycle(
                info.context.caller, cycle_id, body, version=input.version
            )
        except ServiceError as error:
            return _error(CloseCycleError, _refused(error))
        return CloseCyclePayload(cycle=Cycle.from_record(closed))

    @resolver_field("Give an objective its final score and a short retrospective.")
    async def submit_closing(
        self,
        info: Info,
        input: Annotated[SubmitClosingInput, strawberry.argument(description="The score.")],
    ) -> SubmitClosingResult | None:
        try:
            objective_id = _id("Objective", input.objective_id, "objectiveId")
        except InvalidInput as error:
            return _error(SubmitClosingError, error.refusal)
        body = ClosingSubmit.model_construct(score=input.score, retrospective=input.retrospective)
        try:
            closing = await info.context.clients.goals.submit_closing(
                info.context.caller, objective_id, body, version=input.version
            )
        except ServiceError as error:
            return _error(SubmitClosingError, _refused(error))
        return SubmitClosingPayload(
            closing=Closing.from_record(closing), objective_id=closing.objective_id
        )

    @resolver_field(
        "Say that an objective supports a parent objective or key result in its cycle; "
        "refused (`alignment_cycle`) when the parent already supports it, however indirectly."
    )
    async def align_objective(
        self,
        info: Info,
        input: Annotated[AlignObjectiveInput, strawberry.argument(description="The link.")],
    ) -> AlignObjectiveResult | None:
        try:
            objective_id = _id("Objective", input.objective_id, "objectiveId")
            fields: dict[str, Any] = {}
            if input.weight is not strawberry.UNSET:
                fields["weight"] = input.weight
            if input.parent_objective_id is not None:
                fields["parent_objective_id"] = _id(
                    "Objective", input.parent_objective_id, "parentObjectiveId"
                )
            if input.parent_key_result_id is not None:
                fields["parent_key_result_id"] = _id(
                    "KeyResult", input.parent_key_result_id, "parentKeyResultId"
                )
        except InvalidInput as error:
            return _error(AlignObjectiveError, error.refusal)
        try:
            link = await info.context.clients.goals.align(
                info.context.caller,
                objective_id,
                AlignmentCreate.model_construct(**fields),
                idempotency_key=input.idempotency_key,
            )
        except ServiceError as error:
            return _error(AlignObjectiveError, _refused(error))
        return AlignObjectivePayload(alignment=Alignment.from_record(link))

    @resolver_field(
        "Declare that an objective depends on another owner's objective or key result in its "
        "cycle, with a note; it starts open, for the side depended on to agree to."
    )
    async def declare_dependency(
        self,
        info: Info,
        input: Annotated[
            DeclareDependencyInput, strawberry.argument(description="The dependency.")
        ],
    ) -> DeclareDependencyResult | None:
        try:
            objective_id = _id("Objective", input.objective_id, "objectiveId")
            fields: dict[str, Any] = {"note": input.note}
            if input.on_objective_id is not None:
                fields["on_objective_id"] = _id("Objective", input.on_objective_id, "onObjectiveId")
            if input.on_key_result_id is not None:
                fields["on_key_result_id"] = _id(
                    "KeyResult", input.on_key_result_id, "onKeyResultId"
                )
        except InvalidInput as error:
            return _error(DeclareDependencyError, error.refusal)
        try:
            made = await info.context.clients.goals.declare_dependency(
                info.context.caller,
                objective_id,
                DependencyCreate.model_construct(**fields),
                idempotency_key=input.idempotency_key,
            )
        except ServiceError as error:
            return _error(DeclareDependencyError, _refused(error))
        return DeclareDependencyPayload(dependency=Dependency.from_record(made))

    @resolver_field("Open a cycle to set objectives for (HR admins).")
    async def create_cycle(
        self,
        info: Info,
        input: Annotated[CreateCycleInput, strawberry.argument(description="The cycle.")],
    ) -> CreateCycleResult | None:
        body = CycleCreate.model_construct(
            name=input.name,
            starts_on=input.starts_on,
            ends_on=input.ends_on,
            status=CycleStatus[input.status.name],
        )
        try:
            created = await info.context.clients.goals.create_cycle(
                info.context.caller, body, idempotency_key=input.idempotency_key
            )
        except ServiceError as error:
            return _error(CreateCycleError, _refused(error))
        return CreateCyclePayload(cycle=Cycle.from_record(created))

    @resolver_field(
        "Rename a cycle, move its dates or open it (HR admins), at the version you read."
    )
    async def update_cycle(
        self,
        info: Info,
        input: Annotated[UpdateCycleInput, strawberry.argument(description="The change.")],
    ) -> UpdateCycleResult | None:
        try:
            cycle_id = _id("Cycle", input.cycle_id, "cycleId")
        except InvalidInput as error:
            return _error(UpdateCycleError, error.refusal)
        fields: dict[str, Any] = {}
        if input.name is not strawberry.UNSET:
            fields["name"] = input.name
        if input.starts_on is not strawberry.UNSET:
            fields["starts_on"] = input.starts_on
        if input.ends_on is not strawberry.UNSET:
            fields["ends_on"] = input.ends_on
        if input.status is not strawberry.UNSET:
            fields["status"] = CycleStatus[input.status.name] if input.status else None
        try:
            changed = await info.context.clients.goals.update_cycle(
                info.context.caller,
                cycle_id,
                CycleUpdate.model_construct(**fields),
                version=input.version,
            )
        except ServiceError as error:
            return _error(UpdateCycleError, _refused(error))
        return UpdateCyclePayload(cycle=Cycle.from_record(changed))

    @resolver_field("Add a person who works on an objective with its owner.")
    async def add_contributor(
        self,
        info: Info,
        input: Annotated[AddContributorInput, strawberry.argument(description="Who, and on what.")],
    ) -> AddContributorResult | None:
        try:
            objective_id = _id("Objective", input.objective_id, "objectiveId")
            person_id = _id("Person", input.person_id, "personId")
        except InvalidInput as error:
            return _error(AddContributorError, error.refusal)
        try:
            changed = await info.context.clients.goals.add_contributor(
                info.context.caller,
                objective_id,
                ContributorAdd.model_construct(person_id=person_id),
                idempotency_key=input.idempotency_key,
            )
        except ServiceError as error:
            return _error(AddContributorError, _refused(error))
        _prime_objective(info, changed)
        return AddContributorPayload(objective=Objective.from_record(changed))

    @resolver_field("Take a contributor off an objective.")
    async def remove_contributor(
        self,
        info: Info,
        input: Annotated[
            RemoveContributorInput, strawberry.argument(description="Who, and off what.")
        ],
    ) -> RemoveContributorResult | None:
        try:
            objective_id = _id("Objective", input.objective_id, "objectiveId")
            person_id = _id("Person", input.person_id, "personId")
        except InvalidInput as error:
            return _error(RemoveContributorError, error.refusal)
        try:
            await info.context.clients.goals.remove_contributor(
                info.context.caller, objective_id, person_id
            )
        except ServiceError as error:
            return _error(RemoveContributorError, _refused(error))
        _forget_objective(info, objective_id)
        return RemoveContributorPayload(objective_id=objective_id)

    @resolver_field(
        "Opt an objective in or out of roll-up: whether its progress also counts the public "
        "objectives aligned to it."
    )
    async def set_roll_up(
        self,
        info: Info,
        input: Annotated[SetRollUpInput, strawberry.argument(description="The switch.")],
    ) -> SetRollUpResult | None:
        try:
            objective_id = _id("Objective", input.objective_id, "objectiveId")
        except InvalidInput as error:
            return _error(SetRollUpError, error.refusal)
        try:
            roll_up = await info.context.clients.goals.set_roll_up(
                info.context.caller, objective_id, enabled=input.enabled
            )
        except ServiceError as error:
            return _error(SetRollUpError, _refused(error))
        _forget_objective(info, objective_id)
        return SetRollUpPayload.from_record(roll_up)

    @resolver_field(
        "Agree to, resolve or reopen a dependency, or reword its note, at the version you read."
    )
    async def update_dependency(
        self,
        info: Info,
        input: Annotated[UpdateDependencyInput, strawberry.argument(description="The change.")],
    ) -> UpdateDependencyResult | None:
        try:
            dependency_id = _id("Dependency", input.dependency_id, "dependencyId")
        except InvalidInput as error:
            return _error(UpdateDependencyError, error.refusal)
        fields: dict[str, Any] = {}
        if input.state is not strawberry.UNSET:
            fields["state"] = DependencyState[input.state.name] if input.state else None
        if input.note is not strawberry.UNSET:
            fields["note"] = input.note
        try:
            changed = await info.context.clients.goals.update_dependency(
                info.context.caller,
                dependency_id,
                DependencyUpdate.model_construct(**fields),
                version=input.version,
            )
        except ServiceError as error:
            return _error(UpdateDependencyError, _refused(error))
        return UpdateDependencyPayload(dependency=Dependency.from_record(changed))

    @resolver_field("Withdraw a link between objectives; the parent's roll-up no longer counts it.")
    async def withdraw_alignment(
        self,
        info: Info,
        input: Annotated[WithdrawAlignmentInput, strawberry.argument(description="The link.")],
    ) -> WithdrawAlignmentResult | None:
        try:
            alignment_id = _id("Alignment", input.alignment_id, "alignmentId")
        except InvalidInput as error:
            return _error(WithdrawAlignmentError, error.refusal)
        try:
            await info.context.clients.goals.withdraw_alignment(info.context.caller, alignment_id)
        except ServiceError as error:
            return _error(WithdrawAlignmentError, _refused(error))
        return WithdrawAlignmentPayload(alignment_id=input.alignment_id)

    @resolver_field(
        "Accept a link to an objective you may change (or to one of its key results), "
        "optionally weighing it: the child then counts in its roll-up."
    )
    async def accept_alignment(
        self,
        info: Info,
        input: Annotated[AcceptAlignmentInput, strawberry.argument(description="The link.")],
    ) -> AcceptAlignmentResult | None:
        fields: dict[str, Any] = {"state": AlignmentState.ACCEPTED}
        if input.weight is not strawberry.UNSET:
            fields["weight"] = input.weight
        decided = await _decide_alignment(info, input.alignment_id, input.version, fields)
        if isinstance(decided, Refusal):
            return _error(AcceptAlignmentError, decided)
        return AcceptAlignmentPayload(alignment=Alignment.from_record(decided))

    @resolver_field(
        "Decline a link to an objective you may change: the child counts in no roll-up of it."
    )
    async def decline_alignment(
        self,
        info: Info,
        input: Annotated[DeclineAlignmentInput, strawberry.argument(description="The link.")],
    ) -> DeclineAlignmentResult | None:
        fields: dict[str, Any] = {"state": AlignmentState.DECLINED}
        decided = await _decide_alignment(info, input.alignment_id, input.version, fields)
        if isinstance(decided, Refusal):
            return _error(DeclineAlignmentError, decided)
        return DeclineAlignmentPayload(alignment=Alignment.from_record(decided))

    @resolver_field(
        "Change what a link to an objective you may change weighs in its roll-up, at the "
        "version you read."
    )
    async def update_alignment(
        self,
        info: Info,
        input: Annotated[UpdateAlignmentInput, strawberry.argument(description="The change.")],
    ) -> UpdateAlignmentResult | None:
        fields: dict[str, Any] = {"weight": input.weight}
        changed = await _decide_alignment(info, input.alignment_id, input.version, fields)
        if isinstance(changed, Refusal):
            return _error(UpdateAlignmentError, changed)
        return UpdateAlignmentPayload(alignment=Alignment.from_record(changed))

    @resolver_field(
        "Change a key result's title, figures, unit, owner or weight, at the version you read."
    )
    async def update_key_result(
        self,
        info: Info,
        input: Annotated[UpdateKeyResultInput, strawberry.argument(description="The change.")],
    ) -> UpdateKeyResultResult | None:
        try:
            key_result_id = _id("KeyResult", input.key_result_id, "keyResultId")
            fields: dict[str, Any] = {}
            if input.owner_id is not strawberry.UNSET:
                fields["owner_person_id"] = (
                    _id("Person", input.owner_id, "ownerId") if input.owner_id is not None else None
                )
        except InvalidInput as error:
            return _error(UpdateKeyResultError, error.refusal)
        for name in ("title", "start", "target", "unit", "weight"):
            value = getattr(input, name)
            if value is not strawberry.UNSET:
                fields[name] = value
        try:
            changed = await info.context.clients.goals.update_key_result(
                info.context.caller,
                key_result_id,
                KeyResultUpdate.model_construct(**fields),
                version=input.version,
            )
        except ServiceError as error:
            return _error(UpdateKeyResultError, _refused(error, {"owner_person_id": "ownerId"}))
        info.context.loaders.key_result_by_id.prime(changed.id, changed, force=True)
        _forget_objective(info, changed.objective_id)
        return UpdateKeyResultPayload(key_result=KeyResult.from_record(changed))

    @resolver_field(
        "Remove a key result with its check-ins, at the version you read; links to it and "
        "dependencies on it are withdrawn."
    )
    async def delete_key_result(
        self,
        info: Info,
        input: Annotated[DeleteKeyResultInput, strawberry.argument(description="Which one.")],
    ) -> DeleteKeyResultResult | None:
        try:
            key_result_id = _id("KeyResult", input.key_result_id, "keyResultId")
        except InvalidInput as error:
            return _error(DeleteKeyResultError, error.refusal)
        # Which objective it measures, to read that afresh afterwards (None for one the
        # caller may not see: the removal answers as for an unknown one then).
        found = await info.context.loaders.key_result_by_id.load(key_result_id)
        try:
            await info.context.clients.goals.delete_key_result(
                info.context.caller, key_result_id, version=input.version
            )
        except ServiceError as error:
            return _error(DeleteKeyResultError, _refused(error))
        with contextlib.suppress(KeyError):
            info.context.loaders.key_result_by_id.clear(key_result_id)
        objective_id = found.objective_id if found is not None else None
        if objective_id is not None:
            _forget_objective(info, objective_id)
        return DeleteKeyResultPayload(key_result_id=input.key_result_id, objective_id=objective_id)

    @resolver_field("Withdraw a dependency your objective declared.")
    async def withdraw_dependency(
        self,
        info: Info,
        input: Annotated[WithdrawDependencyInput, strawberry.argument(description="Which one.")],
    ) -> WithdrawDependencyResult | None:
        try:
            dependency_id = _id("Dependency", input.dependency_id, "dependencyId")
        except InvalidInput as error:
            return _error(WithdrawDependencyError, error.refusal)
        try:
            await info.context.clients.goals.withdraw_dependency(info.context.caller, dependency_id)
        except ServiceError as error:
            return _error(WithdrawDependencyError, _refused(error))
        return WithdrawDependencyPayload(dependency_id=input.dependency_id)


async def _decide_alignment(
    info: Info, alignment_id: str, version: int, fields: dict[str, Any]
) -> AlignmentRead | Refusal:
    """The parent's side changes a link (its state, its weight); what the service refuses
    comes back as a refusal for the mutation's own error type."""
    try:
        link_id = _id("Alignment", alignment_id, "alignmentId")
    except InvalidInput as error:
        return error.refusal
    try:
        changed = await info.context.clients.goals.update_alignment(
            info.context.caller, link_id, AlignmentUpdate.model_construct(**fields), version=version
        )
    except ServiceError as error:
        return _refused(error)
    # The parent's progress may have changed with the link.
    _forget_objective(info, changed.parent_objective_id)
    return changed


def _prime_objective(info: Info, record: ObjectiveRead) -> None:
    """A changed objective replaces what this request may have read of it before."""
    info.context.loaders.objective_by_id.prime(record.id, record, force=True)


def _forget_objective(info: Info, objective_id: uuid.UUID) -> None:
    """A changed objective is read again if this request asks for it later."""
    with contextlib.suppress(KeyError):
        info.context.loaders.objective_by_id.clear(objective_id)
