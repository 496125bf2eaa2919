"""The rules of search: every word asked must start a word of an objective's title or
description, or of a key result's title (PostgreSQL full-text search); what the actor may
not see is never found; oldest first, as every list, never by any figure."""

from __future__ import annotations

import re

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor
from kit.errors import Unprocessable
from kit.pagination import Page
from services.goals import repository as core
from services.goals import service
from services.goals.keyresults import service as keyresults
from services.goals.repository import Sight
from services.goals.search import repository
from services.goals.search.schemas import SearchHitRead, SearchQuery

# Words searched at most; each is matched as the prefix of a word.
_MAX_WORDS = 10


def _tsquery(text: str) -> str:
    """Every word of `text` as a prefix, all required (`word:* & …`). Only word characters
    reach the query, so that no `tsquery` syntax can be injected."""
    words = re.findall(r"\w+", text.lower())[:_MAX_WORDS]
    if not words:
        raise Unprocessable(
            "Give at least one word to search for.", code="no_words", field="query.q"
        )
    return " & ".join(f"{word}:*" for word in words)


async def search(session: AsyncSession, actor: Actor, query: SearchQuery) -> Page[SearchHitRead]:
    """Objectives and key results whose text matches, across cycles, among those the actor
    may see; oldest first, as every list (never by any figure)."""
    hits, cursor = await repository.search(
        session, service.sight_of(actor), _tsquery(query.q), query.page(), cycle_id=query.cycle_id
    )
    objectives = await core.objectives_by_ids(
        session, Sight(everything=True), [hit.objective_id for hit in hits]
    )
    objective_reads = {
        read.id: read for read in await service.present_objectives(session, objectives)
    }
    found = [hit.key_result_id for hit in hits if hit.key_result_id is not None]
    key_results = await core.key_results_by_ids(session, Sight(everything=True), found)
    key_result_reads = {
        read.id: read for read in await keyresults.present_key_results(session, key_results)
    }
    return Page(
        items=[
            SearchHitRead(
                type="objective" if hit.key_result_id is None else "key_result",
                objective=objective_reads[hit.objective_id],
                key_result=(
                    None if hit.key_result_id is None else key_result_reads[hit.key_result_id]
                ),
            )
            for hit in hits
        ],
        next_cursor=cursor,
    )
