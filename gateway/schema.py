"""The schema: the root types assembled from each service's types, and the extensions every
operation runs through. `python -m gateway.schema > gateway/schema.graphql` prints it."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import Annotated, Any, cast

import strawberry
from graphql import GraphQLError
from strawberry.extensions import DisableIntrospection, SchemaExtension
from strawberry.printer import print_schema
from strawberry.types import ExecutionContext

from gateway.config import GraphQLPolicy
from gateway.context import Info, RequireToken
from gateway.errors import BadUserInput
from gateway.limits import OperationLimits
from gateway.types.assessment import NODES as ASSESSMENT_NODES
from gateway.types.assessment import AssessmentMutation, AssessmentQuery
from gateway.types.common import MAX_PAGE_SIZE, GlobalId, Node, NodeResolver, resolver_field
from gateway.types.feedback import NODES as FEEDBACK_NODES
from gateway.types.feedback import FeedbackMutation, FeedbackQuery
from gateway.types.goals import NODES as GOALS_NODES
from gateway.types.goals import GoalsMutation, GoalsQuery
from gateway.types.people import NODES as PEOPLE_NODES
from gateway.types.people import PeopleQuery, Person, Team
from gateway.types.webhooks import NODES as WEBHOOKS_NODES
from gateway.types.webhooks import WebhooksMutation, WebhooksQuery

# Every type `node(id:)` can return, by the type name inside its global id.
NODES: dict[str, NodeResolver] = {
    **PEOPLE_NODES,
    **GOALS_NODES,
    **FEEDBACK_NODES,
    **WEBHOOKS_NODES,
    **ASSESSMENT_NODES,
}


async def _node(info: Info, id_: str) -> Node | None:
    global_id = GlobalId.decode(id_)
    resolve = NODES.get(global_id.type_name)
    if resolve is None:
        raise BadUserInput("This is not an id this API gave out.", reason="invalid_id")
    return await resolve(info, global_id.id)


async def _node_or_error(info: Info, id_: str) -> Node | BaseException | None:
    try:
        return await _node(info, id_)
    except Exception as exc:  # becomes that item's error, the others still load
        return exc


@strawberry.type
class NodeQuery:
    @resolver_field("Anything by its global id; null when nothing has this id.")
    async def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A global id.")],
    ) -> Node | None:
        return await _node(info, id)

    @resolver_field(
        "Several things by global id, in the order asked (at most 100); null for "
        "an id that names nothing, and an error at that index for an id that is malformed."
    )
    async def nodes(
        self,
        info: Info,
        ids: Annotated[list[strawberry.ID], strawberry.argument(description="Global ids.")],
    ) -> list[Node | None]:
        if len(ids) > MAX_PAGE_SIZE:
            raise BadUserInput(f"At most {MAX_PAGE_SIZE} ids at once.", reason="too_many_ids")
        found = await asyncio.gather(*(_node_or_error(info, id_) for id_ in ids))
        # graphql-core reports an exception in a list as the error of that item alone.
        return cast(list[Node | None], found)


@strawberry.type(description="Where every read starts.")
class Query(PeopleQuery, GoalsQuery, FeedbackQuery, AssessmentQuery, WebhooksQuery, NodeQuery):
    pass


@strawberry.type(
    description="Every change: one `input`, and a result that is the payload or, when the "
    "change was refused, the mutation's error type (see `UserError`)."
)
class Mutation(GoalsMutation, FeedbackMutation, AssessmentMutation, WebhooksMutation):
    pass


class GatewaySchema(strawberry.Schema):
    def __init__(self, policy: GraphQLPolicy) -> None:
        self.policy = policy
        extensions: list[Callable[[], SchemaExtension]] = [
            RequireToken,
            lambda: OperationLimits(policy),
        ]
        if not policy.introspection:
            extensions.append(DisableIntrospection)
        super().__init__(
            query=Query, mutation=Mutation, types=[Person, Team], extensions=extensions
        )

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # The view types the errors and logs what is unexpected; refusals and bad input are not
        # worth a log line.
        return

    def _get_custom_context_kwargs(
        self, operation_extensions: dict[str, Any] | None = None, *, sync: bool = False
    ) -> dict[str, Any]:
        # What Strawberry passes on to graphql-core's `execute`: its own switch for the "Did you
        # mean …?" of variables' errors (validation's is set in `OperationLimits`).
        kwargs = super()._get_custom_context_kwargs(operation_extensions, sync=sync)
        kwargs["hide_suggestions"] = not self.policy.field_suggestions
        return kwargs


@functools.cache
def schema_for(policy: GraphQLPolicy) -> GatewaySchema:
    """One schema per policy (the limits are its extensions'), built once."""
    return GatewaySchema(policy)


schema = schema_for(GraphQLPolicy())


def sdl() -> str:
    return print_schema(schema) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(sdl())
