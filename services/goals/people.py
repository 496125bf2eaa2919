"""The people service's skills catalogue, asked when a development goal names skills: every id
must name a skill of the catalogue. One batch read, with the caller's own token, whatever the
number of skills; the goals service's copy of the directory carries people and teams, not
skills."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from http import HTTPStatus
from typing import Annotated

import httpx
from fastapi import Depends, FastAPI, Request
from pydantic import BaseModel, ValidationError

from kit.errors import DomainError
from kit.observability import client_hooks
from kit.settings import ServiceSettings

# The person waits for this answer: a people service slower than this is unavailable.
TIMEOUT_SECONDS = 5.0


class PeopleUnavailable(DomainError):
    status = HTTPStatus.SERVICE_UNAVAILABLE
    code = "people_unavailable"


class _Found(BaseModel):
    id: uuid.UUID


class _Page(BaseModel):
    items: list[_Found]


class SkillsCatalogue:
    """The directory's skills catalogue as one caller reads it."""

    def __init__(self, client: httpx.AsyncClient, authorization: str) -> None:
        self.client = client
        self.authorization = authorization

    async def known(self, skill_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        """Those of `skill_ids` the catalogue holds, in one batch read (none asked: no call)."""
        if not skill_ids:
            return set()
        try:
            response = await self.client.get(
                "/v1/skills",
                params={"id": [str(id_) for id_ in skill_ids]},
                headers={"Authorization": self.authorization},
            )
            response.raise_for_status()
            page = _Page.model_validate_json(response.content)
        except (httpx.HTTPError, ValidationError) as error:
            raise PeopleUnavailable(
                "The people service cannot check these skills now; nothing was saved. Retry later."
            ) from error
        return {found.id for found in page.items}


def people_client(
    settings: ServiceSettings, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """The app's one client of the people service (`INSPIRE_PEOPLE_URL`)."""
    return httpx.AsyncClient(
        base_url=settings.urls.people_url,
        transport=transport,
        event_hooks=client_hooks(),
        timeout=TIMEOUT_SECONDS,
    )


async def close_people_client(app: FastAPI, stop: asyncio.Event) -> None:
    """An `AppParts` worker: closes the people client when the app stops."""
    await stop.wait()
    await app.state.people.aclose()


def _skills_catalogue(request: Request) -> SkillsCatalogue:
    # The route's policy has authenticated the caller by this very header.
    return SkillsCatalogue(request.app.state.people, request.headers.get("Authorization", ""))


SkillsCatalogueDep = Annotated[SkillsCatalogue, Depends(_skills_catalogue)]
