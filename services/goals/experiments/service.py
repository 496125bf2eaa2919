"""The rules of experiments. Those who work on an objective record experiments on its key
results (also once its cycle closed: learning does not stop with the quarter) and change
them. An experiment is as visible as its objective: public with a public objective, as
private as a private one. Learnings are searched across the organisation (PostgreSQL
full-text search, `simple` configuration as for objectives: no stemming, every word as a
prefix, in any language), oldest first: a failed experiment with a good learning is found as
a success is, never ranked below it."""

from __future__ import annotations

import re
import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor
from kit.errors import NotFound, Unprocessable
from kit.etag import check_if_match
from kit.events import record_event
from kit.pagination import Page, PageParams
from kit.policies import Relation
from kit.repository import apply_patch, changed
from services.goals import repository as core_repository
from services.goals import service as core
from services.goals.experiments import repository
from services.goals.experiments.events import EXPERIMENT_RECORDED, ExperimentPayload
from services.goals.experiments.models import Experiment
from services.goals.experiments.schemas import (
    ExperimentCreate,
    ExperimentRead,
    ExperimentUpdate,
    LearningQuery,
)
from services.goals.models import Objective
from services.goals.service import POLICY

# Words of a learning search at most.
MAX_WORDS = 10


def prefix_query(text: str) -> str:
    """A `tsquery` requiring every word of `text` as the start of a word. Only word
    characters reach it, so no `tsquery` syntax is injected."""
    words = re.findall(r"\w+", text.lower())[:MAX_WORDS]
    if not words:
        raise Unprocessable("Give at least one word to look for.", code="no_words", field="query.q")
    return " & ".join(f"{word}:*" for word in words)


async def record_experiment(
    session: AsyncSession, actor: Actor, key_result_id: uuid.UUID, data: ExperimentCreate
) -> ExperimentRead:
    person = core.person_of(actor)
    key_result, objective, relations = await core.visible_key_result(session, actor, key_result_id)
    if key_result.owner_person_id == person:
        relations.add(Relation.OWNER)
    POLICY.authorize(actor, "experiment.create", relations)
    row = Experiment(
        objective_id=objective.id,
        key_result_id=key_result.id,
        recorded_by=person,
        **data.model_dump(),
    )
    await core_repository.save(session, row)
    await record_event(
        session,
        EXPERIMENT_RECORDED,
        ExperimentPayload(
            id=row.id,
            objective_id=objective.id,
            key_result_id=key_result.id,
            owner_person_id=objective.owner_person_id,
            owner_team_id=objective.owner_team_id,
            visibility=objective.visibility,
            outcome=row.outcome,
            recorded_by=person,
        ),
    )
    return ExperimentRead.model_validate(row)


async def _visible(
    session: AsyncSession, actor: Actor, experiment_id: uuid.UUID, *, lock: bool = False
) -> Experiment:
    row = await repository.visible_experiment(
        session, core.sight_of(actor), experiment_id, lock=lock
    )
    if row is None:
        raise NotFound("No experiment has this id.", code="experiment_not_found")
    return row


async def get_experiment(
    session: AsyncSession, actor: Actor, experiment_id: uuid.UUID
) -> ExperimentRead:
    return ExperimentRead.model_validate(await _visible(session, actor, experiment_id))


async def update_experiment(
    session: AsyncSession,
    actor: Actor,
    experiment_id: uuid.UUID,
    data: ExperimentUpdate,
    if_match: str | None,
) -> ExperimentRead:
    """Say what was tried, what came of it and what was learnt, as the experiment goes."""
    row = await _visible(session, actor, experiment_id, lock=True)
    objective = await core_repository.get(session, Objective, row.objective_id)
    assert objective is not None  # noqa: S101  # a foreign key keeps it
    relations = await core.relations_to_objective(session, actor, objective)
    if row.recorded_by == actor.person_id:
        relations.add(Relation.OWNER)
    POLICY.authorize(actor, "experiment.update", relations)
    check_if_match(if_match, row.version)
    apply_patch(row, changed(row, data.model_dump(exclude_unset=True)))
    await core_repository.save(session, row)
    return ExperimentRead.model_validate(row)


async def key_result_experiments(
    session: AsyncSession, actor: Actor, key_result_id: uuid.UUID, params: PageParams
) -> Page[ExperimentRead]:
    await core.visible_key_result(session, actor, key_result_id)
    rows, cursor = await repository.of_key_result(session, key_result_id, params)
    return Page(items=[ExperimentRead.model_validate(row) for row in rows], next_cursor=cursor)


async def search_learnings(
    session: AsyncSession, actor: Actor, query: LearningQuery
) -> Page[ExperimentRead]:
    """Experiments with a learning the actor may see, matching `q` if given, oldest first."""
    words = None if query.q is None else prefix_query(query.q)
    rows, cursor = await repository.learnings(session, core.sight_of(actor), words, query.page())
    return Page(items=[ExperimentRead.model_validate(row) for row in rows], next_cursor=cursor)
