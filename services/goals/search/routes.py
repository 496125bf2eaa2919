"""The search API under `/v1`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from kit.auth import Actor
from kit.db import SessionDep
from kit.pagination import Page
from services.goals.routes import goals_router
from services.goals.search import service
from services.goals.search.schemas import SearchHitRead, SearchQuery
from services.goals.service import POLICY

search = goals_router("search")


def routers() -> list[APIRouter]:
    return [search]


@search.get("/search")
async def search_goals(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("objective.search"))],
    query: Annotated[SearchQuery, Query()],
) -> Page[SearchHitRead]:
    """Objectives and key results whose title or description holds every word of `q` (each
    as the start of a word), across cycles; private ones only for those who may see them.
    Oldest first, as every list."""
    return await service.search(session, actor, query)
