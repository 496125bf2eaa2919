"""Help requests: how an off-track objective reaches the people who can help, with the help
they offer. Never gathered per person: a person's own (`viewer.helpRequests`) and an
objective's (`Objective.helpRequests`) are the only lists."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum

import strawberry

from gateway.clients import ServiceError
from gateway.context import Info
from gateway.loaders import MyHelpRequests, PageKey
from gateway.types.common import Connection, GlobalId, page_connection, page_size, resolver_field
from gateway.types.goals.contracts import (
    HelpOfferRead,
    HelpRequestRead,
    HelpRequestRole,
    HelpRequestState,
)
from gateway.types.goals.key_results import KeyResult, load_key_result
from gateway.types.goals.objectives import Objective, load_objective
from gateway.types.people import Person, load_person


@strawberry.enum(name="HelpRequestState", description="Whether help is still asked for.")
class HelpRequestStateEnum(Enum):
    OPEN = strawberry.enum_value("open", description="Help is asked for.")
    RESOLVED = strawberry.enum_value("resolved", description="Resolved, with a note.")


@strawberry.enum(name="HelpRequestSource", description="How a help request was opened.")
class HelpRequestSourceEnum(Enum):
    CHECK_IN = strawberry.enum_value(
        "check_in", description="By an off-track check-in, or one with a confidence of 3 or less."
    )
    MANUAL = strawberry.enum_value("manual", description="Asked for by hand.")


@strawberry.enum(name="HelpRequestRole", description="Your part in a help request.")
class HelpRequestRoleEnum(Enum):
    MINE = strawberry.enum_value("mine", description="You asked for the help.")
    ADDRESSED = strawberry.enum_value("addressed", description="You were asked to help.")


@strawberry.type(description="Help someone offered on a help request.")
class HelpOffer:
    id: strawberry.ID = strawberry.field(description="Opaque id (not a `Node`).")
    message: str = strawberry.field(description="What they can do, or whom to ask.")
    created_at: datetime = strawberry.field(description="When it was offered.")
    record: strawberry.Private[HelpOfferRead]

    @classmethod
    def from_record(cls, record: HelpOfferRead) -> HelpOffer:
        return cls(
            id=GlobalId("HelpOffer", record.id).encode(),
            message=record.message,
            created_at=record.created_at,
            record=record,
        )

    @resolver_field("Who offered.")
    async def person(self, info: Info) -> Person | None:
        return await load_person(info, self.record.person_id)


@strawberry.type(
    description="A request for help on an objective or one of its key results: what is "
    "blocked, what help is wanted. Seen by whoever may read the objective, who asked and who "
    "was asked; never a mark against anyone."
)
class HelpRequest:
    id: strawberry.ID = strawberry.field(description="Opaque id, for `offerHelp` and the like.")
    state: HelpRequestStateEnum = strawberry.field(description="Open or resolved.")
    source: HelpRequestSourceEnum = strawberry.field(description="By a check-in, or by hand.")
    blocked: str | None = strawberry.field(description="What is in the way.")
    help_wanted: str | None = strawberry.field(description="What help would do.")
    offers: list[HelpOffer] = strawberry.field(description="Help offered, oldest first.")
    resolution_note: str | None = strawberry.field(description="How it was resolved.")
    resolved_at: datetime | None = strawberry.field(description="When it was resolved.")
    created_at: datetime = strawberry.field(description="When help was asked for.")
    version: int = strawberry.field(description="Changes with every change to it.")
    record: strawberry.Private[HelpRequestRead]

    @classmethod
    def from_record(cls, record: HelpRequestRead) -> HelpRequest:
        return cls(
            id=GlobalId("HelpRequest", record.id).encode(),
            state=HelpRequestStateEnum(record.state.value),
            source=HelpRequestSourceEnum(record.source.value),
            blocked=record.blocked,
            help_wanted=record.help_wanted,
            offers=[HelpOffer.from_record(offer) for offer in record.offers],
            resolution_note=record.resolution_note,
            resolved_at=record.resolved_at,
            created_at=record.created_at,
            version=record.version,
            record=record,
        )

    @resolver_field("The objective help is asked for.")
    async def objective(self, info: Info) -> Objective | None:
        return await load_objective(info, self.record.objective_id)

    @resolver_field("The key result, when asked on one.")
    async def key_result(self, info: Info) -> KeyResult | None:
        return await load_key_result(info, self.record.key_result_id)

    @resolver_field("Who asked.")
    async def opened_by(self, info: Info) -> Person | None:
        return await load_person(info, self.record.opened_by)

    @resolver_field(
        "Who was asked: the owner's manager (for a team, its lead and the lead's manager), the "
        "contributors, and the owner when someone else asked."
    )
    async def addressees(self, info: Info) -> list[Person]:
        people = await info.context.loaders.person_by_id.load_many(self.record.addressee_ids)
        return [Person.from_record(person) for person in people if person is not None]

    @resolver_field("Who resolved it.")
    async def resolved_by(self, info: Info) -> Person | None:
        return await load_person(info, self.record.resolved_by)


class HelpOf:
    """The one way the people and objective types reach help requests (lazily)."""

    @staticmethod
    async def viewer(
        info: Info,
        person_id: uuid.UUID,
        role: HelpRequestRoleEnum | None,
        state: HelpRequestStateEnum | None,
        first: int,
        after: str | None,
    ) -> Connection[HelpRequest] | None:
        """The help requests `person_id` asked or was asked, when they are the viewer; None
        for anyone else: nobody lists another person's help requests."""
        try:
            viewer = await info.context.loaders.viewer_by_caller.load(info.context.caller)
        except ServiceError:  # a token that names nobody (an integration's)
            return None
        if viewer.id != person_id:
            return None
        mine = MyHelpRequests(
            None if role is None else HelpRequestRole[role.name],
            None if state is None else HelpRequestState[state.name],
        )
        page = await info.context.loaders.help_requests_by_caller.load(
            PageKey(mine, page_size(first), after)
        )
        return page_connection(page, HelpRequest.from_record, after)

    @staticmethod
    async def objective(
        info: Info, objective_id: uuid.UUID, first: int, after: str | None
    ) -> Connection[HelpRequest]:
        page = await info.context.loaders.help_requests_by_objective_id.load(
            PageKey(objective_id, page_size(first), after)
        )
        return page_connection(page, HelpRequest.from_record, after)
