"""Feedback between people with its reply thread, and the lists of it that people and
objectives reach (lazily: see `gateway.types.people` and `gateway.types.goals.objectives`)."""

from __future__ import annotations

import contextlib
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from gateway.context import Info
from gateway.loaders import PageKey, PersonFeedback
from gateway.types.common import (
    Connection,
    GlobalId,
    Node,
    load_one,
    page_connection,
    page_size,
    resolver_field,
)
from gateway.types.feedback.contracts import FeedbackRead, PersonRole, ReplyRead
from gateway.types.feedback.enums import FeedbackKindEnum, FeedbackVisibilityEnum
from gateway.types.people import Person, load_person

if TYPE_CHECKING:
    from gateway.types.goals.key_results import KeyResult
    from gateway.types.goals.objectives import Objective

LazyObjective = Annotated["Objective", strawberry.lazy("gateway.types.goals.objectives")]
LazyKeyResult = Annotated["KeyResult", strawberry.lazy("gateway.types.goals.key_results")]


def _text(id_: uuid.UUID | None) -> str | None:
    return None if id_ is None else str(id_)


@strawberry.type(
    description="A message of a feedback thread, from its giver or its recipient; whoever "
    "reads the feedback reads its replies."
)
class Reply:
    body: str = strawberry.field(description="What was written.")
    created_at: datetime = strawberry.field(description="When it was written.")
    record: strawberry.Private[ReplyRead]

    @classmethod
    def from_record(cls, record: ReplyRead) -> Reply:
        return cls(body=record.body, created_at=record.created_at, record=record)

    @resolver_field("Who wrote it: the feedback's giver or recipient.")
    async def author(self, info: Info) -> Person | None:
        return await load_person(info, self.record.author_id)


@strawberry.type(
    description="Feedback from one person to another, with its thread of replies. Not a "
    "rating: it carries no score, and it is never anonymous."
)
class Feedback(Node):
    kind: FeedbackKindEnum = strawberry.field(description="Praise, suggestion, upward or peer.")
    body: str = strawberry.field(description="What the giver wrote.")
    topic: str | None = strawberry.field(description="What it is about, in a few words.")
    visibility: FeedbackVisibilityEnum = strawberry.field(
        description="Who reads it besides the giver; it can be narrowed, never widened."
    )
    skill_id: str | None = strawberry.field(
        description="A skill of the catalogue it is about (its id there)."
    )
    company_value_id: str | None = strawberry.field(
        description="A company value it is about (its id there)."
    )
    created_at: datetime = strawberry.field(description="When it was given.")
    version: int = strawberry.field(
        description="Changes when the visibility is narrowed; `narrowFeedbackVisibility` takes it."
    )
    replies: list[Reply] = strawberry.field(description="The thread, oldest first.")
    record: strawberry.Private[FeedbackRead]

    @classmethod
    def from_record(cls, record: FeedbackRead) -> Feedback:
        return cls(
            id=GlobalId("Feedback", record.id).encode(),
            kind=FeedbackKindEnum(record.kind.value),
            body=record.body,
            topic=record.topic,
            visibility=FeedbackVisibilityEnum(record.visibility.value),
            skill_id=_text(record.skill_id),
            company_value_id=_text(record.value_id),
            created_at=record.created_at,
            version=record.version,
            replies=[Reply.from_record(reply) for reply in record.replies],
            record=record,
        )

    @resolver_field("Who gave it.")
    async def giver(self, info: Info) -> Person | None:
        return await load_person(info, self.record.giver_id)

    @resolver_field("To whom it was given.")
    async def recipient(self, info: Info) -> Person | None:
        return await load_person(info, self.record.recipient_id)

    @resolver_field("The objective it is about; null if none, or one you may not see.")
    async def objective(self, info: Info) -> LazyObjective | None:
        from gateway.types.goals.objectives import load_objective

        return await load_objective(info, self.record.objective_id)

    @resolver_field("The key result it is about; null if none, or one you may not see.")
    async def key_result(self, info: Info) -> LazyKeyResult | None:
        from gateway.types.goals.key_results import load_key_result

        return await load_key_result(info, self.record.key_result_id)


async def load_feedback(info: Info, feedback_id: uuid.UUID | None) -> Feedback | None:
    return await load_one(info.context.loaders.feedback_by_id, feedback_id, Feedback.from_record)


def prime_feedback(info: Info, records: list[FeedbackRead]) -> None:
    """Feedback read in a list needs no second read when a later field asks for it by id."""
    info.context.loaders.feedback_by_id.prime_many({record.id: record for record in records})


def forget_feedback(info: Info, feedback_id: uuid.UUID) -> None:
    """Changed feedback is read again if this request asks for it later."""
    with contextlib.suppress(KeyError):
        info.context.loaders.feedback_by_id.clear(feedback_id)


class FeedbackOf:
    """What people and objectives have in feedback, as the caller may see it: the one way the
    people and goals types reach feedback (lazily)."""

    @staticmethod
    async def person(
        info: Info, person_id: uuid.UUID, role: PersonRole, first: int, after: str | None
    ) -> Connection[Feedback]:
        key = PageKey(PersonFeedback(person_id, role), page_size(first), after)
        page = await info.context.loaders.feedback_by_person.load(key)
        prime_feedback(info, page.items)
        return page_connection(page, Feedback.from_record, after)

    @staticmethod
    async def objective(
        info: Info, objective_id: uuid.UUID, first: int, after: str | None
    ) -> Connection[Feedback]:
        key = PageKey(objective_id, page_size(first), after)
        page = await info.context.loaders.feedback_by_objective_id.load(key)
        prime_feedback(info, page.items)
        return page_connection(page, Feedback.from_record, after)


@resolver_field("Feedback by id; null when there is none by this id that you may see.")
async def feedback(
    info: Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="A `Feedback` id.")],
) -> Feedback | None:
    return await load_feedback(info, GlobalId.decode_as("Feedback", id))


async def objective_of(info: Info, objective_id: uuid.UUID | None) -> LazyObjective | None:
    """An objective that feedback (or a request for it, or a recognised learning) is about: the
    other feedback modules reach goals through this one."""
    from gateway.types.goals.objectives import load_objective

    return await load_objective(info, objective_id)
