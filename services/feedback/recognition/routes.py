"""The recognition API under `/v1`: company values, the recognition feed, reactions."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from kit.api import service_router
from kit.auth import Actor
from kit.db import SessionDep
from kit.etag import IfMatch, etag, located
from kit.pagination import OptionalBatchIds, Page, PageDep
from services.feedback.goals import GoalLinksDep
from services.feedback.recognition import service
from services.feedback.recognition.schemas import (
    CompanyValueCreate,
    CompanyValueQuery,
    CompanyValueRead,
    CompanyValueUpdate,
    ReactionKind,
    RecognitionCreate,
    RecognitionQuery,
    RecognitionRead,
)
from services.feedback.service import POLICY

values = service_router(prefix="/v1", tags=["company values"])
recognitions = service_router(prefix="/v1", tags=["recognition"])


def routers() -> list[APIRouter]:
    return [values, recognitions]


@values.post("/company-values", status_code=201)
async def create_value(
    data: CompanyValueCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("company_value.manage"))],
    response: Response,
) -> CompanyValueRead:
    """Add a company value that recognitions may be tagged with (HR admins). Names are unique
    regardless of case (409 `value_name_taken`)."""
    value = await service.create_value(session, actor, data)
    located(response, f"/v1/company-values/{value.id}", value.version)
    return value


@values.get("/company-values")
async def list_values(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("company_value.read"))],
    filters: Annotated[CompanyValueQuery, Query()],
    page: PageDep,
    ids: OptionalBatchIds = None,
) -> Page[CompanyValueRead]:
    """The company's values, oldest first; `?archived=false` for those that tag new
    recognitions; with `?id=`, exactly those values."""
    return await service.list_values(session, actor, filters, page, ids)


@values.get("/company-values/{value_id}")
async def get_value(
    value_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("company_value.read"))],
    response: Response,
) -> CompanyValueRead:
    """One value; the `ETag` header is what `PATCH` wants in `If-Match`."""
    value = await service.get_value(session, actor, value_id)
    response.headers["ETag"] = etag(value.version)
    return value


@values.patch("/company-values/{value_id}")
async def update_value(
    value_id: uuid.UUID,
    data: CompanyValueUpdate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("company_value.manage"))],
    if_match: IfMatch,
    response: Response,
) -> CompanyValueRead:
    """Rename, describe or archive a value (HR admins); recognitions keep their tags. Needs
    `If-Match`."""
    value = await service.update_value(session, actor, value_id, data, if_match)
    response.headers["ETag"] = etag(value.version)
    return value


@recognitions.post("/recognitions", status_code=201)
async def give_recognition(
    data: RecognitionCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("recognition.give"))],
    goals: GoalLinksDep,
    response: Response,
) -> RecognitionRead:
    """Recognise one or more active colleagues publicly, tagged with company values that are
    not archived, and optionally for a learning (an experiment or objective of the goals
    service: the lesson is recognised, never its score). An objective must be one you may see
    (422 `unknown_objective`, as for an unknown id)."""
    recognition = await service.give_recognition(session, actor, data, goals)
    response.headers["Location"] = f"/v1/recognitions/{recognition.id}"
    return recognition


@recognitions.get("/recognitions")
async def list_recognitions(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("recognition.read"))],
    filters: Annotated[RecognitionQuery, Query()],
    page: PageDep,
    goals: GoalLinksDep,
    ids: OptionalBatchIds = None,
) -> Page[RecognitionRead]:
    """The organisation's recognition feed, oldest first, a page at a time; `?team_id=` is a
    team's feed (recognitions of members of the team or of a team below it). With `?id=`,
    exactly those recognitions. A learning that names an objective you may not see in the
    goals service is null."""
    return await service.list_recognitions(session, actor, filters, page, ids, goals)


@recognitions.get("/recognitions/{recognition_id}")
async def get_recognition(
    recognition_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("recognition.read"))],
    goals: GoalLinksDep,
) -> RecognitionRead:
    """One recognition, with its reactions counted by kind and your own."""
    return await service.get_recognition(session, actor, recognition_id, goals)


@recognitions.put("/recognitions/{recognition_id}/reactions/{kind}")
async def add_reaction(
    recognition_id: uuid.UUID,
    kind: ReactionKind,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("recognition.react"))],
    goals: GoalLinksDep,
) -> RecognitionRead:
    """React to a recognition; reacting twice with the same kind counts once."""
    return await service.react(session, actor, recognition_id, kind, goals, present=True)


@recognitions.delete("/recognitions/{recognition_id}/reactions/{kind}")
async def delete_reaction(
    recognition_id: uuid.UUID,
    kind: ReactionKind,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("recognition.react"))],
    goals: GoalLinksDep,
) -> RecognitionRead:
    """Take your reaction back (nothing happens if you had none)."""
    return await service.react(session, actor, recognition_id, kind, goals, present=False)
