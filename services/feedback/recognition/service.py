"""The rules of recognition. Anyone signed in recognises active colleagues (never themselves),
tagged with company values that are not archived, and optionally for a learning: an experiment
or objective of the goals service, whose lesson is recognised (no score is kept or shown).
Recognitions are public; HR admins keep the list of values."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor
from kit.errors import Conflict, Forbidden, NotFound
from kit.etag import check_if_match
from kit.events import record_event
from kit.pagination import Page, PageParams
from kit.repository import apply_patch, by_ids, changed, delete, get, save
from services.feedback.colleagues import active_colleagues
from services.feedback.company_values import live_values
from services.feedback.goals import GoalLinks, Seen
from services.feedback.models import CompanyValue
from services.feedback.recognition import repository
from services.feedback.recognition.events import RECOGNITION_GIVEN, RecognitionGivenPayload
from services.feedback.recognition.models import (
    Reaction,
    Recognition,
    RecognitionRecipient,
    RecognitionValue,
)
from services.feedback.recognition.schemas import (
    CompanyValueCreate,
    CompanyValueQuery,
    CompanyValueRead,
    CompanyValueUpdate,
    Learning,
    LearningKind,
    ReactionKind,
    RecognitionCreate,
    RecognitionQuery,
    RecognitionRead,
)

# --- Company values --------------------------------------------------------------------------


def _value_not_found() -> NotFound:
    return NotFound("No company value has this id.", code="value_not_found")


async def _check_name_free(session: AsyncSession, name: str, value_id: uuid.UUID | None) -> None:
    taken = await repository.value_named(session, name)
    if taken is not None and taken.id != value_id:
        raise Conflict("A value has this name already.", code="value_name_taken", field="body.name")


async def create_value(
    session: AsyncSession, actor: Actor, data: CompanyValueCreate
) -> CompanyValueRead:
    await _check_name_free(session, data.name, None)
    value = CompanyValue.model_validate(data.model_dump())
    await save(session, value)
    return CompanyValueRead.model_validate(value)


async def get_value(session: AsyncSession, actor: Actor, value_id: uuid.UUID) -> CompanyValueRead:
    value = await get(session, CompanyValue, value_id)
    if value is None:
        raise _value_not_found()
    return CompanyValueRead.model_validate(value)


async def list_values(
    session: AsyncSession,
    actor: Actor,
    filters: CompanyValueQuery,
    params: PageParams,
    ids: Sequence[uuid.UUID] | None,
) -> Page[CompanyValueRead]:
    if ids:
        rows: Sequence[CompanyValue] = await by_ids(session, CompanyValue, ids)
        cursor = None
    else:
        rows, cursor = await repository.list_values(session, params, archived=filters.archived)
    return Page(items=[CompanyValueRead.model_validate(row) for row in rows], next_cursor=cursor)


async def update_value(
    session: AsyncSession,
    actor: Actor,
    value_id: uuid.UUID,
    data: CompanyValueUpdate,
    if_match: str | None,
) -> CompanyValueRead:
    value = await get(session, CompanyValue, value_id, lock=True)
    if value is None:
        raise _value_not_found()
    check_if_match(if_match, value.version)
    changes = changed(value, data.model_dump(exclude_unset=True))
    if "name" in changes:
        await _check_name_free(session, changes["name"], value.id)
    if changes:
        apply_patch(value, changes)
        await save(session, value)
    return CompanyValueRead.model_validate(value)


# --- Recognitions ----------------------------------------------------------------------------


def _not_found() -> NotFound:
    return NotFound("No recognition has this id.", code="recognition_not_found")


def _learning(row: Recognition, seen: Seen) -> Learning | None:
    """The learning recognised; none shown for an objective the reader may not see."""
    if row.learning_kind is None or row.learning_id is None:
        return None
    if row.learning_kind is LearningKind.OBJECTIVE and seen.objective(row.learning_id) is None:
        return None
    return Learning(kind=row.learning_kind, id=row.learning_id)


async def _reads(
    session: AsyncSession, actor: Actor, rows: Sequence[Recognition], goals: GoalLinks
) -> list[RecognitionRead]:
    found = await repository.children(session, [row.id for row in rows], actor.person_id)
    seen = await goals.seen(
        objective_ids=[
            row.learning_id for row in rows if row.learning_kind is LearningKind.OBJECTIVE
        ]
    )
    reads = []
    for row in rows:
        children = found[row.id]
        learning = _learning(row, seen)
        reads.append(
            RecognitionRead(
                id=row.id,
                giver_id=row.giver_id,
                recipient_ids=children.recipient_ids,
                message=row.message,
                value_ids=children.value_ids,
                learning=learning,
                reactions=dict(sorted(Counter(children.reactions).items())),
                my_reactions=children.mine,
                created_at=row.created_at,
            )
        )
    return reads


async def give_recognition(
    session: AsyncSession, actor: Actor, data: RecognitionCreate, goals: GoalLinks
) -> RecognitionRead:
    if actor.person_id is None:  # the policy lets only people give; this keeps types honest
        raise Forbidden("Only people give recognition.")
    if actor.person_id in data.recipient_ids:
        raise Conflict(
            "Recognise others than yourself.", code="self_recognition", field="body.recipient_ids"
        )
    recipients = await active_colleagues(session, data.recipient_ids, field="body.recipient_ids")
    values = await live_values(session, data.value_ids, field="body.value_ids")
    if data.learning is not None and data.learning.kind is LearningKind.OBJECTIVE:
        await goals.check(objective_id=data.learning.id, objective_field="body.learning.id")
    recognition = Recognition(
        giver_id=actor.person_id,
        message=data.message,
        learning_kind=data.learning.kind if data.learning else None,
        learning_id=data.learning.id if data.learning else None,
    )
    await save(session, recognition)
    await save(
        session,
        *(RecognitionRecipient(recognition_id=recognition.id, person_id=id_) for id_ in recipients),
        *(RecognitionValue(recognition_id=recognition.id, value_id=id_) for id_ in values),
    )
    await record_event(
        session,
        RECOGNITION_GIVEN,
        RecognitionGivenPayload(
            id=recognition.id,
            giver_id=recognition.giver_id,
            recipient_ids=recipients,
            value_ids=values,
            learning_kind=recognition.learning_kind,
            learning_id=recognition.learning_id,
            created_at=recognition.created_at,
        ),
    )
    (read,) = await _reads(session, actor, [recognition], goals)
    return read


async def get_recognition(
    session: AsyncSession, actor: Actor, recognition_id: uuid.UUID, goals: GoalLinks
) -> RecognitionRead:
    row = await get(session, Recognition, recognition_id)
    if row is None:
        raise _not_found()
    (read,) = await _reads(session, actor, [row], goals)
    return read


async def list_recognitions(
    session: AsyncSession,
    actor: Actor,
    filters: RecognitionQuery,
    params: PageParams,
    ids: Sequence[uuid.UUID] | None,
    goals: GoalLinks,
) -> Page[RecognitionRead]:
    """The feed: every recognition, oldest first; per team, those of its members."""
    if ids:
        rows: Sequence[Recognition] = await by_ids(session, Recognition, ids)
        cursor = None
    else:
        rows, cursor = await repository.list_recognitions(session, params, **filters.model_dump())
    return Page(items=await _reads(session, actor, rows, goals), next_cursor=cursor)


async def react(
    session: AsyncSession,
    actor: Actor,
    recognition_id: uuid.UUID,
    kind: ReactionKind,
    goals: GoalLinks,
    *,
    present: bool,
) -> RecognitionRead:
    """Add (`present`) or take back the caller's reaction of `kind`; doing it twice is once."""
    if actor.person_id is None:  # the policy lets only people react; this keeps types honest
        raise Forbidden("Only people react.")
    row = await get(session, Recognition, recognition_id)
    if row is None:
        raise _not_found()
    if present:
        await repository.add_reaction(session, recognition_id, actor.person_id, kind)
    else:
        reaction = await get(session, Reaction, (recognition_id, actor.person_id, kind))
        if reaction is not None:
            await delete(session, reaction)
    (read,) = await _reads(session, actor, [row], goals)
    return read
