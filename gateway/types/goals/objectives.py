"""Objectives: what a person, a team or the company means to achieve in a cycle, with their
signatures, final score and comments."""

from __future__ import annotations

import contextlib
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from gateway.context import Info
from gateway.loaders import PageKey
from gateway.types.common import (
    DEFAULT_PAGE_SIZE,
    After,
    Connection,
    First,
    GlobalId,
    Node,
    children_of,
    connection_of_all,
    load_one,
    page_connection,
    page_size,
    resolver_field,
)
from gateway.types.goals.contracts import (
    ClosingRead,
    CommentRead,
    ObjectiveRead,
    SignatureRead,
)
from gateway.types.goals.enums import (
    ClosingSourceEnum,
    ObjectiveKindEnum,
    ObjectiveStatusEnum,
    OwnerKindEnum,
    SignatureRoleEnum,
    VisibilityEnum,
)
from gateway.types.people import Person, Team, load_person, load_team

if TYPE_CHECKING:
    from gateway.types.feedback.feedback import Feedback
    from gateway.types.goals.alignment import Alignment
    from gateway.types.goals.cycles import Cycle
    from gateway.types.goals.help import HelpRequest
    from gateway.types.goals.key_results import KeyResult

# The other goals modules build on objectives; what an objective reaches of theirs is named
# lazily, and imported when its field resolves.
LazyCycle = Annotated["Cycle", strawberry.lazy("gateway.types.goals.cycles")]
LazyKeyResult = Annotated["KeyResult", strawberry.lazy("gateway.types.goals.key_results")]
LazyAlignment = Annotated["Alignment", strawberry.lazy("gateway.types.goals.alignment")]
LazyHelpRequest = Annotated["HelpRequest", strawberry.lazy("gateway.types.goals.help")]
# Feedback builds on goals; what is said about an objective is reached lazily.
LazyFeedback = Annotated["Feedback", strawberry.lazy("gateway.types.feedback.feedback")]

ObjectiveOwner = Annotated[
    Person | Team,
    strawberry.union("ObjectiveOwner", description="Whose objective it is: a person or a team."),
]


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
    async def cycle(self, info: Info) -> LazyCycle | None:
        from gateway.types.goals.cycles import load_cycle

        return await load_cycle(info, self.record.cycle_id)

    @resolver_field("Whose objective it is; null for the company's (see `ownerKind`).")
    async def owner(self, info: Info) -> ObjectiveOwner | None:
        return await load_owner(info, self.record.owner_person_id, self.record.owner_team_id)

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
    ) -> Connection[LazyKeyResult] | None:
        from gateway.types.goals.key_results import KeyResult

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
    ) -> Connection[LazyAlignment] | None:
        from gateway.types.goals.alignment import Alignment

        loader = info.context.loaders.parents_by_objective_id
        return await children_of(loader, self.record.id, first, after, Alignment.from_record)

    @resolver_field(
        "The links to it (or to its key results) from the objectives supporting it, oldest "
        "first; those from a private objective you may not read are left out."
    )
    async def children(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[LazyAlignment] | None:
        from gateway.types.goals.alignment import Alignment

        loader = info.context.loaders.children_by_objective_id
        return await children_of(loader, self.record.id, first, after, Alignment.from_record)

    @resolver_field(
        "What people said about it, oldest first (one request per objective asked); like the "
        "objective itself, for whoever may read it."
    )
    async def comments(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[Comment] | None:
        loader = info.context.loaders.comments_by_objective_id
        return await children_of(loader, self.record.id, first, after, Comment.from_record)

    @resolver_field(
        "Feedback about it that you may see (whatever you may see of the objective), oldest first."
    )
    async def feedback(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[LazyFeedback] | None:
        from gateway.types.feedback.feedback import FeedbackOf

        return await FeedbackOf.objective(info, self.record.id, first, after)

    @resolver_field(
        "Help asked for on it or its key results, open and resolved, oldest first (one "
        "request per objective asked)."
    )
    async def help_requests(
        self, info: Info, first: First = DEFAULT_PAGE_SIZE, after: After = None
    ) -> Connection[LazyHelpRequest] | None:
        from gateway.types.goals.help import HelpOf

        return await HelpOf.objective(info, self.record.id, first, after)


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


async def load_objective(info: Info, objective_id: uuid.UUID | None) -> Objective | None:
    return await load_one(info.context.loaders.objective_by_id, objective_id, Objective.from_record)


async def load_owner(
    info: Info, person_id: uuid.UUID | None, team_id: uuid.UUID | None
) -> Person | Team | None:
    """An objective's owner: a person, a team, or nobody (the company)."""
    if person_id is not None:
        return await load_person(info, person_id)
    return await load_team(info, team_id)


def prime_objective(info: Info, record: ObjectiveRead) -> None:
    """A changed objective replaces what this request may have read of it before."""
    info.context.loaders.objective_by_id.prime(record.id, record, force=True)


def forget_objective(info: Info, objective_id: uuid.UUID) -> None:
    """A changed objective is read again if this request asks for it later."""
    with contextlib.suppress(KeyError):
        info.context.loaders.objective_by_id.clear(objective_id)


@resolver_field(
    "An objective by id; null when there is none you may see (a private objective looks to "
    "outsiders exactly like one that does not exist)."
)
async def objective(
    info: Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="An `Objective` id.")],
) -> Objective | None:
    return await load_objective(info, GlobalId.decode_as("Objective", id))
