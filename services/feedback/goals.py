"""Links to the goals service, checked when they are made: an objective or key result named by
feedback, a request or a recognised learning must be one its author may see. The goals service
decides that, asked with the author's own token (its batch reads leave out what the caller may
not see), so a private objective one may not see is refused exactly as an unknown id is."""

from __future__ import annotations

import asyncio
import uuid
from http import HTTPStatus
from typing import Annotated

import httpx
from fastapi import Depends, FastAPI, Request
from pydantic import BaseModel, ValidationError

from kit.errors import DomainError, Unprocessable
from kit.observability import client_hooks
from kit.settings import ServiceSettings

# The author waits for this answer: a goals service slower than this is unavailable.
TIMEOUT_SECONDS = 5.0


class GoalsUnavailable(DomainError):
    status = HTTPStatus.SERVICE_UNAVAILABLE
    code = "goals_unavailable"


class _Found(BaseModel):
    id: uuid.UUID


class _Page(BaseModel):
    items: list[_Found]


class GoalLinks:
    """The goals service as one author sees it."""

    def __init__(self, client: httpx.AsyncClient, authorization: str) -> None:
        self.client = client
        self.authorization = authorization

    async def _seen(self, path: str, id_: uuid.UUID) -> bool:
        try:
            response = await self.client.get(
                path, params={"id": str(id_)}, headers={"Authorization": self.authorization}
            )
            response.raise_for_status()
            page = _Page.model_validate_json(response.content)
        except (httpx.HTTPError, ValidationError) as error:
            raise GoalsUnavailable(
                "The goals service cannot check this link now; nothing was saved. Retry later."
            ) from error
        return any(found.id == id_ for found in page.items)

    async def check(
        self,
        *,
        objective_id: uuid.UUID | None = None,
        key_result_id: uuid.UUID | None = None,
        objective_field: str = "body.objective_id",
    ) -> None:
        """422 `unknown_objective` / `unknown_key_result` unless the author may see what is
        named: the same answer for one that does not exist and one hidden from them."""
        asked = []
        if objective_id is not None:
            asked.append(("/v1/objectives", objective_id, "objective", objective_field))
        if key_result_id is not None:
            asked.append(("/v1/key-results", key_result_id, "key_result", "body.key_result_id"))
        for path, id_, noun, field in asked:
            if not await self._seen(path, id_):
                raise Unprocessable(
                    f"No {noun.replace('_', ' ')} you may see has this id.",
                    code=f"unknown_{noun}",
                    field=field,
                )


def goals_client(
    settings: ServiceSettings, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    """The app's one client of the goals service (`INSPIRE_GOALS_URL`)."""
    return httpx.AsyncClient(
        base_url=settings.urls.goals_url,
        transport=transport,
        event_hooks=client_hooks(),
        timeout=TIMEOUT_SECONDS,
    )


async def close_goals_client(app: FastAPI, stop: asyncio.Event) -> None:
    """An `AppParts` worker: closes the goals client when the app stops."""
    await stop.wait()
    await app.state.goals.aclose()


def _goal_links(request: Request) -> GoalLinks:
    # The route's policy has authenticated the caller by this very header.
    return GoalLinks(request.app.state.goals, request.headers.get("Authorization", ""))


GoalLinksDep = Annotated[GoalLinks, Depends(_goal_links)]
