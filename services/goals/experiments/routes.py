"""The experiments API under `/v1`: record and change experiments on key results, read them,
and search learnings across the organisation."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from kit.auth import Actor
from kit.db import SessionDep
from kit.etag import IfMatch, etag
from kit.pagination import Page
from services.goals.experiments import service
from services.goals.experiments.schemas import (
    ExperimentCreate,
    ExperimentRead,
    ExperimentUpdate,
    LearningQuery,
)
from services.goals.routes import goals_router, located
from services.goals.schemas import ListQuery
from services.goals.service import POLICY

experiments = goals_router("experiments")


def routers() -> list[APIRouter]:
    return [experiments]


@experiments.post("/key-results/{key_result_id}/experiments", status_code=201)
async def record_experiment(
    key_result_id: uuid.UUID,
    data: ExperimentCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("experiment.create"))],
    response: Response,
) -> ExperimentRead:
    """Record an experiment on a key result: its hypothesis, and as far as known what was
    tried, the result, the learning and the outcome (`validated`, `invalidated`,
    `inconclusive`; none while it runs). Those who work on the objective."""
    experiment = await service.record_experiment(session, actor, key_result_id, data)
    located(response, f"/v1/experiments/{experiment.id}", experiment.version)
    return experiment


@experiments.get("/key-results/{key_result_id}/experiments")
async def key_result_experiments(
    key_result_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("experiment.read"))],
    query: Annotated[ListQuery, Query()],
) -> Page[ExperimentRead]:
    """The key result's experiments, oldest first, for whoever may read its objective."""
    return await service.key_result_experiments(session, actor, key_result_id, query.page())


@experiments.get("/experiments/{experiment_id}")
async def get_experiment(
    experiment_id: uuid.UUID,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("experiment.read"))],
    response: Response,
) -> ExperimentRead:
    """One experiment; as private as its objective (404 to those who may not read it)."""
    experiment = await service.get_experiment(session, actor, experiment_id)
    response.headers["ETag"] = etag(experiment.version)
    return experiment


@experiments.patch("/experiments/{experiment_id}")
async def update_experiment(
    experiment_id: uuid.UUID,
    data: ExperimentUpdate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("experiment.update"))],
    if_match: IfMatch,
    response: Response,
) -> ExperimentRead:
    """Change an experiment as it goes: what was tried, the result, the learning, the
    outcome. Those who work on the objective, and who recorded it. Needs `If-Match`."""
    experiment = await service.update_experiment(session, actor, experiment_id, data, if_match)
    response.headers["ETag"] = etag(experiment.version)
    return experiment


@experiments.get("/learnings")
async def search_learnings(
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("learning.search"))],
    query: Annotated[LearningQuery, Query()],
) -> Page[ExperimentRead]:
    """Experiments with a learning, across the organisation, whose text holds every word of
    `q` (each as the start of a word; all of them without `q`). Oldest first, whatever the
    outcome: an invalidated hypothesis with a good learning is found as a success is. Those
    of private objectives only for those who may read them."""
    return await service.search_learnings(session, actor, query)
