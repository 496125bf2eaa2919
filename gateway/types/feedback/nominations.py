"""Nominations: in a period HR admins open, each person names the colleague who helped them
most. Who nominated whom is never in the graph: no type here has a nominator, and a period shows
its results (nominees named at least twice, with counts) only once closed."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

import strawberry

from gateway.context import Info
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
from gateway.types.feedback.contracts import (
    NominationPeriodRead,
    NominationRead,
    NomineeRead,
    PeriodStatus,
)
from gateway.types.feedback.enums import PeriodStatusEnum
from gateway.types.people import Person, load_person


@strawberry.type(description="A nominee of a closed period and how many named them.")
class Nominee:
    nominations: int = strawberry.field(description="How many named them (at least 2).")
    record: strawberry.Private[NomineeRead]

    @resolver_field("Who was named.")
    async def person(self, info: Info) -> Person | None:
        return await load_person(info, self.record.nominee_id)


@strawberry.type(
    description="Your own nomination in a period, as only you read it: whom you named and why."
)
class Nomination:
    reason: str = strawberry.field(description="Why you named them.")
    updated_at: datetime = strawberry.field(description="When you last named someone.")
    record: strawberry.Private[NominationRead]

    @resolver_field("Whom you named.")
    async def nominee(self, info: Info) -> Person | None:
        return await load_person(info, self.record.nominee_id)


@strawberry.type(
    description="A period (e.g. a month) in which each person names the colleague who helped "
    "them most; counts show only once it is closed, and never who named whom."
)
class NominationPeriod(Node):
    name: str = strawberry.field(description="E.g. `March 2027`.")
    starts_on: date = strawberry.field(description="Its first day.")
    ends_on: date = strawberry.field(description="Its last day; HR admins close it.")
    status: PeriodStatusEnum = strawberry.field(description="Open or closed.")
    closed_at: datetime | None = strawberry.field(description="When it was closed.")
    created_at: datetime = strawberry.field(description="When it was opened.")
    version: int = strawberry.field(
        description="Changes on every update; `closeNominationPeriod` takes it."
    )
    record: strawberry.Private[NominationPeriodRead]

    @classmethod
    def from_record(cls, record: NominationPeriodRead) -> NominationPeriod:
        return cls(
            id=GlobalId("NominationPeriod", record.id).encode(),
            name=record.name,
            starts_on=record.starts_on,
            ends_on=record.ends_on,
            status=PeriodStatusEnum(record.status.value),
            closed_at=record.closed_at,
            created_at=record.created_at,
            version=record.version,
            record=record,
        )

    @resolver_field(
        "Once closed, the nominees named at least twice with their counts, in no meaningful order "
        "(a lone nomination would point at its nominator); null while open. The results of a "
        "whole page of periods are one request."
    )
    async def results(self, info: Info) -> list[Nominee] | None:
        if self.record.status is not PeriodStatus.CLOSED:
            return None
        found = await info.context.loaders.results_by_period_id.load(self.record.id)
        if found is None:
            return None
        return [Nominee(nominations=n.nominations, record=n) for n in found.nominees]

    @resolver_field(
        "Once closed, the reasons you were nominated for, without names and in no meaningful "
        "order, if at least two people named you (empty otherwise); null while open. Nobody "
        "reads another's reasons. One request per period: ask it of few."
    )
    async def my_reasons(self, info: Info) -> list[str] | None:
        if self.record.status is not PeriodStatus.CLOSED:
            return None
        found = await info.context.loaders.reasons_by_period_id.load(self.record.id)
        return found.reasons


async def load_nomination_period(
    info: Info, period_id: uuid.UUID | None
) -> NominationPeriod | None:
    return await load_one(
        info.context.loaders.nomination_period_by_id, period_id, NominationPeriod.from_record
    )


def remember_period(info: Info, record: NominationPeriodRead) -> None:
    """A changed period is what this request reads of it from now on."""
    info.context.loaders.nomination_period_by_id.prime(record.id, record, force=True)


@resolver_field("A nomination period by id; null when there is none by this id.")
async def nomination_period(
    info: Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="A `NominationPeriod` id.")],
) -> NominationPeriod | None:
    return await load_nomination_period(info, GlobalId.decode_as("NominationPeriod", id))


@resolver_field("Nomination periods, oldest first.")
async def nomination_periods(
    info: Info,
    first: First = DEFAULT_PAGE_SIZE,
    after: After = None,
    status: Annotated[
        PeriodStatusEnum | None,
        strawberry.argument(description="Only open periods, or only closed ones."),
    ] = None,
) -> Connection[NominationPeriod] | None:
    page = await info.context.clients.feedback.nomination_periods(
        info.context.caller,
        None if status is None else PeriodStatus[status.name],
        page_size(first),
        after,
    )
    info.context.loaders.nomination_period_by_id.prime_many({p.id: p for p in page.items})
    return page_connection(page, NominationPeriod.from_record, after)
