"""OKRs in the graph: cycles, objectives, key results and check-ins; the objectives of people
and teams; setting an objective and checking in. Nothing here sorts or ranks people by
progress or confidence (the OKR firewall)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import Enum
from typing import Annotated, TypeVar

import strawberry

from gateway.clients import ServiceError
from gateway.context import Info
from gateway.errors import BadUserInput, NothingThere, Refusal, refusal
from gateway.loaders import Owner, PageKey
from gateway.types.common import (
    DEFAULT_PAGE_SIZE,
    After,
    Connection,
    First,
    GlobalId,
    Node,
    NodeResolver,
    UserError,
    connection,
    page_size,
    resolver_field,
)
from gateway.types.people import Person, Team, load_person, load_team
from services.goals.schemas import (
    CheckInCreate,
    CheckInRead,
    CycleRead,
    KeyResultRead,
    ObjectiveCreate,
    ObjectiveRead,
)
from services.goals.schemas import Visibility as VisibilityValue


@strawberry.enum(description="Where a cycle stands.")
class CycleStatus(Enum):
    PLANNING = strawberry.enum_value("planning", description="Objectives are being drafted.")
    ACTIVE = strawberry.enum_value("active", description="Under way: people check in.")
    CLOSED = strawberry.enum_value("closed", description="Over: nothing more is added.")


@strawberry.enum(description="Who may read an objective (and its key results and check-ins).")
class Visibility(Enum):
    PUBLIC = strawberry.enum_value("public", description="Everyone signed in.")
    PRIVATE = strawberry.enum_value(
        "private",
        description="Its owner (for a team: members and leads), the owner's management chain "
        "and HR admins.",
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
    status: CycleStatus = strawberry.field(description="Planning, active or closed.")
    record: strawberry.Private[CycleRead]

    @classmethod
    def from_record(cls, record: CycleRead) -> Cycle:
        return cls(
            id=GlobalId("Cycle", record.id).encode(),
            name=record.name,
            starts_on=record.starts_on,
            ends_on=record.ends_on,
            status=CycleStatus(record.status.value),
            record=record,
        )


@strawberry.type(
    description="What a person or a team means to achieve in a cycle, measured by its key "
    "results. Progress serves focus and conversation, never a rating of anyone."
)
class Objective(Node):
    title: str = strawberry.field(description="What is to be achieved.")
    description: str | None = strawberry.field(description="Why it matters, and how.")
    visibility: Visibility = strawberry.field(description="Who may read it.")
    progress: float | None = strawberry.field(
        description="Weighted mean of its key results' progress, 0 to 1; null without any."
    )
    version: int = strawberry.field(description="Changes with every edit of its text.")
    created_at: datetime = strawberry.field(description="When it was set.")
    updated_at: datetime = strawberry.field(description="When its text last changed.")
    record: strawberry.Private[ObjectiveRead]

    @classmethod
    def from_record(cls, record: ObjectiveRead) -> Objective:
        return cls(
            id=GlobalId("Objective", record.id).encode(),
            title=record.title,
            description=record.description,
            visibility=Visibility(record.visibility.value),
            progress=record.progress,
            version=record.version,
            created_at=record.created_at,
            updated_at=record.updated_at,
            record=record,
        )

    @resolver_field("The cycle it belongs to.")
    async def cycle(self, info: Info) -> Cycle | None:
        return await load_cycle(info, self.record.cycle_id)

    @resolver_field("Whose objective it is.")
    async def owner(self, info: Info) -> ObjectiveOwner | None:
        if self.record.owner_person_id is not None:
            return await load_person(info, self.record.owner_person_id)
        if self.record.owner_team_id is not None:
            return await load_team(info, self.record.owner_team_id)
        return None

    @resolver_field("Who set it.")
    async def created_by(self, info: Info) -> Person | None:
        return await load_person(info, self.record.created_by)

    @resolver_field("How it is measured, oldest first.")
    async def key_results(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[KeyResult] | None:
        key = PageKey(self.record.id, page_size(first), after)
        page = await info.context.loaders.key_results_by_objective_id.load(key)
        info.context.loaders.key_result_by_id.prime_many({kr.id: kr for kr in page.items})
        return connection(
            page.items,
            KeyResult.from_record,
            has_next_page=page.next_cursor is not None,
            after=after,
        )


@strawberry.type(description="A measurable result that shows how an objective is going.")
class KeyResult(Node):
    title: str = strawberry.field(description="What is measured.")
    start: float = strawberry.field(description="The value at the start.")
    target: float = strawberry.field(description="The value aimed at (below `start` to decrease).")
    current: float = strawberry.field(description="The latest value checked in.")
    unit: str | None = strawberry.field(description="E.g. `%`, `EUR`, `customers`.")
    weight: float = strawberry.field(description="Its share in the objective's progress.")
    progress: float = strawberry.field(
        description="How far `current` is from `start` to `target`, 0 to 1."
    )
    confidence: int | None = strawberry.field(
        description="From the latest check-in, 0 (no chance) to 10 (certain); null before any."
    )
    checked_in_at: datetime | None = strawberry.field(description="When it was last checked in.")
    record: strawberry.Private[KeyResultRead]

    @classmethod
    def from_record(cls, record: KeyResultRead) -> KeyResult:
        return cls(
            id=GlobalId("KeyResult", record.id).encode(),
            title=record.title,
            start=record.start,
            target=record.target,
            current=record.current,
            unit=record.unit,
            weight=record.weight,
            progress=record.progress,
            confidence=record.confidence,
            checked_in_at=record.checked_in_at,
            record=record,
        )

    @resolver_field("The objective it measures.")
    async def objective(self, info: Info) -> Objective | None:
        return await load_objective(info, self.record.objective_id)

    @resolver_field("Where it stood over time, oldest first.")
    async def check_ins(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[CheckIn] | None:
        key = PageKey(self.record.id, page_size(first), after)
        page = await info.context.loaders.check_ins_by_key_result_id.load(key)
        return connection(
            page.items,
            CheckIn.from_record,
            has_next_page=page.next_cursor is not None,
            after=after,
        )


@strawberry.type(
    description="Where a key result stood at a moment, and how confident its author was."
)
class CheckIn:
    value: float = strawberry.field(description="The key result's value then.")
    confidence: int = strawberry.field(description="0 (no chance) to 10 (certain).")
    note: str | None = strawberry.field(description="What happened, what is in the way.")
    created_at: datetime = strawberry.field(description="When it was made.")
    record: strawberry.Private[CheckInRead]

    @classmethod
    def from_record(cls, record: CheckInRead) -> CheckIn:
        return cls(
            value=record.value,
            confidence=record.confidence,
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
    return connection(
        page.items,
        Objective.from_record,
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
        return connection(
            page.items,
            Cycle.from_record,
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
    visibility: Visibility = strawberry.field(
        default=Visibility.PUBLIC, description="Who may read it (public by default)."
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


@strawberry.input(description="Where a key result stands now.")
class CheckInInput:
    key_result_id: strawberry.ID = strawberry.field(description="A `KeyResult` id.")
    value: float = strawberry.field(description="Its value now; becomes its `current`.")
    confidence: int = strawberry.field(description="0 (no chance) to 10 (certain).")
    note: str | None = strawberry.field(
        default=None, description="What happened, what is in the way."
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="One per user action, the same again on a retry: the check-in is made "
        "once, and the retry answers as the first did.",
    )


@strawberry.type(description="The check-in was made.")
class CheckInPayload:
    check_in: CheckIn = strawberry.field(
        description="The new check-in; its `keyResult` shows the new progress."
    )


@strawberry.type(
    description="The check-in was not made: e.g. `cycle_closed`, `key_result_not_found`, "
    "`forbidden`, `validation_failed`, `invalid_id`."
)
class CheckInError(UserError):
    pass


CheckInResult = Annotated[
    CheckInPayload | CheckInError,
    strawberry.union("CheckInResult", description="The check-in, or why not."),
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
            visibility=VisibilityValue[input.visibility.name],
        )
        try:
            created = await info.context.clients.goals.create_objective(
                info.context.caller, body, idempotency_key=input.idempotency_key
            )
        except ServiceError as error:
            owner_field = {"owner_person_id": "ownerId", "owner_team_id": "ownerId"}
            return _error(CreateObjectiveError, _refused(error, owner_field))
        return CreateObjectivePayload(objective=Objective.from_record(created))

    @resolver_field("Say where a key result stands and how confident you are.")
    async def check_in(
        self,
        info: Info,
        input: Annotated[CheckInInput, strawberry.argument(description="The check-in.")],
    ) -> CheckInResult | None:
        try:
            key_result_id = GlobalId.decode_as("KeyResult", input.key_result_id)
        except BadUserInput as error:
            return _error(CheckInError, _bad_id(error, "keyResultId"))
        body = CheckInCreate.model_construct(
            value=input.value, confidence=input.confidence, note=input.note
        )
        try:
            made = await info.context.clients.goals.check_in(
                info.context.caller, key_result_id, body, idempotency_key=input.idempotency_key
            )
        except ServiceError as error:
            return _error(CheckInError, _refused(error))
        return CheckInPayload(check_in=CheckIn.from_record(made))
