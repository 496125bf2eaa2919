"""The schema: the root types assembled from each service's types, and the extensions every
operation runs through. `python -m gateway.schema > gateway/schema.graphql` prints it."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, cast

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.printer import print_schema
from strawberry.types import ExecutionContext

from gateway.context import Info, RequireToken
from gateway.errors import BadUserInput, TypedErrors
from gateway.types.common import MAX_PAGE_SIZE, GlobalId, Node, NodeResolver, resolver_field
from gateway.types.goals import NODES as GOALS_NODES
from gateway.types.goals import GoalsMutation, GoalsQuery
from gateway.types.people import NODES as PEOPLE_NODES
from gateway.types.people import PeopleQuery, Person, Team

# Every type `node(id:)` can return, by the type name inside its global id.
NODES: dict[str, NodeResolver] = {**PEOPLE_NODES, **GOALS_NODES}

# Distinct query texts whose parse and validation are remembered (per process).
QUERY_CACHE_SIZE = 1024


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
class Query(PeopleQuery, GoalsQuery, NodeQuery):
    pass


@strawberry.type(
    description="Every change: one `input`, and a result that is the payload or, when the "
    "change was refused, the mutation's error type (see `UserError`)."
)
class Mutation(GoalsMutation):
    pass


class GatewaySchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # `TypedErrors` logs what is unexpected; refusals and bad input are not worth a log line.
        return


def _extensions() -> list[Any]:
    return [
        RequireToken,
        TypedErrors,
        lambda: ParserCache(maxsize=QUERY_CACHE_SIZE),
        lambda: ValidationCache(maxsize=QUERY_CACHE_SIZE),
    ]


schema = GatewaySchema(
    query=Query, mutation=Mutation, types=[Person, Team], extensions=_extensions()
)


def sdl() -> str:
    return print_schema(schema) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(sdl())
