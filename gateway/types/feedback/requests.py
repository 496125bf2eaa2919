"""Feedback requests: someone asks colleagues for feedback about themselves (or, as a manager,
about a direct report); each person asked has a part, answered with a feedback or declined.
Only those taking part see a request (the service decides); a person's list of them is the
viewer's own (see `gateway.types.people`)."""

from __future__ import annotations

import contextlib
import uuid
from datetime import date, datetime
from typing import Annotated

import strawberry

from gateway.clients import ServiceError
from gateway.context import Info
from gateway.loaders import MyRequests, PageKey
from gateway.types.common import (
    Connection,
    GlobalId,
    Node,
    load_one,
    page_connection,
    page_size,
    resolver_field,
)
from gateway.types.feedback.contracts import (
    FeedbackRequestRead,
    PartStatus,
    RequestPartRead,
    RequestRole,
)
from gateway.types.feedback.enums import PartStatusEnum, RequestRoleEnum
from gateway.types.feedback.feedback import Feedback, LazyObjective, load_feedback, objective_of
from gateway.types.people import Person, load_person


@strawberry.type(
    description="One asked person's part of a feedback request: open, answered (with the "
    "answer) or declined."
)
class FeedbackRequestPart:
    status: PartStatusEnum = strawberry.field(description="Open, answered or declined.")
    closed_at: datetime | None = strawberry.field(
        description="When it was answered or declined; null while open."
    )
    record: strawberry.Private[RequestPartRead]

    @classmethod
    def from_record(cls, record: RequestPartRead) -> FeedbackRequestPart:
        return cls(
            status=PartStatusEnum(record.status.value), closed_at=record.closed_at, record=record
        )

    @resolver_field("The person asked.")
    async def person(self, info: Info) -> Person | None:
        return await load_person(info, self.record.person_id)

    @resolver_field(
        "The feedback they answered with; null while open, once declined, or when its audience "
        "leaves you out."
    )
    async def answer(self, info: Info) -> Feedback | None:
        return await load_feedback(info, self.record.feedback_id)


@strawberry.type(
    description="A request for feedback on a topic by a date, from colleagues; seen only by "
    "its requester, its subject and those asked."
)
class FeedbackRequest(Node):
    topic: str = strawberry.field(description="What feedback is wanted on.")
    work: str | None = strawberry.field(description="A piece of work it is about (title, link).")
    due_on: date = strawberry.field(description="When answers are wanted; later ones are welcome.")
    parts: list[FeedbackRequestPart] = strawberry.field(
        description="Every asked person's part for the requester and the subject; an asked "
        "person sees their own."
    )
    created_at: datetime = strawberry.field(description="When it was made.")
    version: int = strawberry.field(description="Changes on every change of the request.")
    record: strawberry.Private[FeedbackRequestRead]

    @classmethod
    def from_record(cls, record: FeedbackRequestRead) -> FeedbackRequest:
        return cls(
            id=GlobalId("FeedbackRequest", record.id).encode(),
            topic=record.topic,
            work=record.work,
            due_on=record.due_on,
            parts=[FeedbackRequestPart.from_record(part) for part in record.parts],
            created_at=record.created_at,
            version=record.version,
            record=record,
        )

    @resolver_field("Who asked.")
    async def requester(self, info: Info) -> Person | None:
        return await load_person(info, self.record.requester_id)

    @resolver_field("Whom the feedback is about: the requester or a direct report of theirs.")
    async def subject(self, info: Info) -> Person | None:
        return await load_person(info, self.record.subject_id)

    @resolver_field("The objective it is about; null if none, or one you may not see.")
    async def objective(self, info: Info) -> LazyObjective | None:
        return await objective_of(info, self.record.objective_id)


async def load_feedback_request(info: Info, request_id: uuid.UUID | None) -> FeedbackRequest | None:
    return await load_one(
        info.context.loaders.feedback_request_by_id, request_id, FeedbackRequest.from_record
    )


def forget_request(info: Info, request_id: uuid.UUID) -> None:
    """A changed request is read again if this request asks for it later."""
    with contextlib.suppress(KeyError):
        info.context.loaders.feedback_request_by_id.clear(request_id)


def prime_requests(info: Info, records: list[FeedbackRequestRead]) -> None:
    """Requests read in a list (or just changed) need no second read by id; what was read
    last replaces what the loader held."""
    info.context.loaders.feedback_request_by_id.prime_many(
        {record.id: record for record in records}, force=True
    )


class RequestsOf:
    """The one way the people types reach feedback requests (lazily)."""

    @staticmethod
    async def viewer(
        info: Info,
        person_id: uuid.UUID,
        role: RequestRoleEnum | None,
        status: PartStatusEnum | None,
        first: int,
        after: str | None,
    ) -> Connection[FeedbackRequest] | None:
        """The requests `person_id` takes part in when they are the viewer; None for anyone
        else, whose requests are theirs alone."""
        try:
            viewer = await info.context.loaders.viewer_by_caller.load(info.context.caller)
        except ServiceError:  # a token that names nobody (an integration's)
            return None
        if viewer.id != person_id:
            return None
        mine = MyRequests(
            None if role is None else RequestRole[role.name],
            None if status is None else PartStatus[status.name],
        )
        key = PageKey(mine, page_size(first), after)
        page = await info.context.loaders.feedback_requests_by_caller.load(key)
        prime_requests(info, page.items)
        return page_connection(page, FeedbackRequest.from_record, after)


@resolver_field(
    "A feedback request by id; null when there is none by this id that you take part in."
)
async def feedback_request(
    info: Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="A `FeedbackRequest` id.")],
) -> FeedbackRequest | None:
    return await load_feedback_request(info, GlobalId.decode_as("FeedbackRequest", id))
