"""Links to the goals service, checked when they are made and again whenever they are shown:
an objective or key result named by feedback, a request or a recognised learning must be one
its author may see, and a reader is shown only the linked ids they may see. The goals service
decides both, asked with the caller's own token (its batch reads leave out what the caller may
not see), so a private objective one may not see is treated exactly as an unknown id is."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Annotated

import httpx
from fastapi import Depends, FastAPI, Request
from pydantic import BaseModel, ValidationError

from kit.errors import DomainError, Unprocessable
from kit.observability import client_hooks
from kit.pagination import MAX_BATCH_IDS
from kit.settings import ServiceSettings

logger = logging.getLogger("inspire.feedback.goals")

OBJECTIVES = "/v1/objectives"
KEY_RESULTS = "/v1/key-results"

# The author waits for this answer: a goals service slower than this is unavailable.
TIMEOUT_SECONDS = 5.0


class GoalsUnavailable(DomainError):
    status = HTTPStatus.SERVICE_UNAVAILABLE
    code = "goals_unavailable"


class _Found(BaseModel):
    id: uuid.UUID


class _Page(BaseModel):
    items: list[_Found]


class _NoAnswer(Exception):
    """The goals service did not say what the caller may see."""


@dataclass(frozen=True)
class Seen:
    """The linked ids a reader may see; any other link is shown as null."""

    objectives: frozenset[uuid.UUID] = frozenset()
    key_results: frozenset[uuid.UUID] = frozenset()

    def objective(self, id_: uuid.UUID | None) -> uuid.UUID | None:
        return id_ if id_ in self.objectives else None

    def key_result(self, id_: uuid.UUID | None) -> uuid.UUID | None:
        return id_ if id_ in self.key_results else None


class GoalLinks:
    """The goals service as one caller sees it, for one request: each id is asked about once."""

    def __init__(self, client: httpx.AsyncClient, authorization: str) -> None:
        self.client = client
        self.authorization = authorization
        self._known: dict[str, dict[uuid.UUID, bool]] = {OBJECTIVES: {}, KEY_RESULTS: {}}

    async def _found(self, path: str, ids: list[uuid.UUID]) -> set[uuid.UUID]:
        try:
            response = await self.client.get(
                path,
                params=[("id", str(id_)) for id_ in ids],
                headers={"Authorization": self.authorization},
            )
            # A caller refused every objective (an integration without `goals:read`) sees none.
            if response.status_code == HTTPStatus.FORBIDDEN:
                return set()
            response.raise_for_status()
            page = _Page.model_validate_json(response.content)
        except (httpx.HTTPError, ValidationError) as error:
            raise _NoAnswer(path) from error
        return {found.id for found in page.items}

    async def _learn(self, path: str, ids: Iterable[uuid.UUID]) -> None:
        """Ask about the ids not asked about yet: one batch read per hundred."""
        known = self._known[path]
        new = [id_ for id_ in dict.fromkeys(ids) if id_ not in known]
        for at in range(0, len(new), MAX_BATCH_IDS):
            batch = new[at : at + MAX_BATCH_IDS]
            found = await self._found(path, batch)
            known.update((id_, id_ in found) for id_ in batch)

    def _seen(self, path: str, ids: Iterable[uuid.UUID]) -> frozenset[uuid.UUID]:
        # An id the goals service has not answered about is not seen: failing closed.
        return frozenset(id_ for id_ in ids if self._known[path].get(id_, False))

    async def seen(
        self,
        *,
        objective_ids: Iterable[uuid.UUID | None] = (),
        key_result_ids: Iterable[uuid.UUID | None] = (),
    ) -> Seen:
        """Which of these ids the caller may see. Reading never fails on this: when the goals
        service cannot answer, what it did not vouch for counts as unseen (and is logged): a
        link is hidden, never the item that carries it, and a read by objective finds nothing."""
        objectives = [id_ for id_ in objective_ids if id_ is not None]
        key_results = [id_ for id_ in key_result_ids if id_ is not None]
        for path, ids in ((OBJECTIVES, objectives), (KEY_RESULTS, key_results)):
            try:
                await self._learn(path, ids)
            except _NoAnswer:
                logger.warning("goals service unavailable: linked ids hidden", exc_info=True)
        return Seen(self._seen(OBJECTIVES, objectives), self._seen(KEY_RESULTS, key_results))

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
            asked.append((OBJECTIVES, objective_id, "objective", objective_field))
        if key_result_id is not None:
            asked.append((KEY_RESULTS, key_result_id, "key_result", "body.key_result_id"))
        for path, id_, noun, field in asked:
            try:
                await self._learn(path, [id_])
            except _NoAnswer as error:
                raise GoalsUnavailable(
                    "The goals service cannot check this link now; nothing was saved. Retry later."
                ) from error
            if not self._seen(path, [id_]):
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
