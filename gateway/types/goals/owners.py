"""What people and teams own in goals: the one way the people types reach goals (lazily, see
`gateway.types.people`), for `Person.objectives`, `Team.dueCheckIns` and the like."""

from __future__ import annotations

from gateway.context import Info
from gateway.loaders import Owner, PageKey
from gateway.types.common import Connection, keyed_connection, page_connection, page_size
from gateway.types.goals.cycles import cycle_filter
from gateway.types.goals.development import DevelopmentGoal, development_goals_of
from gateway.types.goals.help import (
    HelpOf,
    HelpRequest,
    HelpRequestRoleEnum,
    HelpRequestStateEnum,
)
from gateway.types.goals.key_results import DueCheckIn
from gateway.types.goals.objectives import Objective

__all__ = [
    "DevelopmentGoal",
    "DueCheckIn",
    "HelpOf",
    "HelpRequest",
    "HelpRequestRoleEnum",
    "HelpRequestStateEnum",
    "Objective",
    "OwnerGoals",
]


class OwnerGoals:
    """What an `Owner` (a person or a team) has in goals, as the caller may see it."""

    development_goals = staticmethod(development_goals_of)

    @staticmethod
    async def objectives(
        info: Info, owner: Owner, first: int, after: str | None, cycle_id: str | None
    ) -> Connection[Objective]:
        """Its objectives that the caller may see, oldest first, in one cycle or all."""
        key = PageKey(owner._replace(cycle_id=cycle_filter(cycle_id)), page_size(first), after)
        page = await info.context.loaders.objectives_by_owner.load(key)
        info.context.loaders.objective_by_id.prime_many({item.id: item for item in page.items})
        return page_connection(page, Objective.from_record, after)

    @staticmethod
    async def due_check_ins(
        info: Info, owner: Owner, first: int, after: str | None
    ) -> Connection[DueCheckIn]:
        """Its key results that are due a check-in, oldest first."""
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
