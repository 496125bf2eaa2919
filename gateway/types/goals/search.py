"""Search: objectives and key results whose text matches, oldest first (never by a figure)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from gateway.context import Info
from gateway.types.common import (
    DEFAULT_PAGE_SIZE,
    After,
    Connection,
    First,
    keyed_connection,
    page_size,
    resolver_field,
)
from gateway.types.goals.contracts import (
    KeyResultRead,
    ObjectiveRead,
    SearchHitRead,
)
from gateway.types.goals.cycles import cycle_filter
from gateway.types.goals.key_results import KeyResult
from gateway.types.goals.objectives import Objective


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


@resolver_field(
    "Objectives and key results whose title or description holds every word of `q` (each "
    "as the start of a word), across cycles, oldest first (never by any figure); private "
    "ones only for those who may read them."
)
async def search_objectives(
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
