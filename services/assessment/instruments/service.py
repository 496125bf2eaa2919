"""The catalogue's rules: everyone reads instruments, HR admins add those their organisation
wrote or licensed and rename or retire them; questions, once written, never change."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor
from kit.errors import Conflict, NotFound, Unprocessable
from kit.etag import check_if_match
from kit.events import record_event
from kit.pagination import Page, PageParams
from kit.repository import apply_patch, changed
from services.assessment.events import (
    INSTRUMENT_CREATED,
    INSTRUMENT_UPDATED,
    InstrumentCreatedPayload,
    InstrumentUpdatedPayload,
)
from services.assessment.instruments import repository
from services.assessment.instruments.schemas import (
    Area,
    InstrumentCreate,
    InstrumentQuery,
    InstrumentRead,
    InstrumentUpdate,
    QuestionRead,
    Scale,
    ScaleLabel,
)
from services.assessment.models import Instrument, Question


async def _present(session: AsyncSession, rows: Sequence[Instrument]) -> list[InstrumentRead]:
    questions = await repository.questions_of(session, [row.id for row in rows])
    return [
        InstrumentRead(
            id=row.id,
            key=row.key,
            name=row.name,
            description=row.description,
            edition=row.edition,
            areas=[Area.model_validate(area) for area in row.areas],
            scale=Scale(
                min=row.scale_min,
                max=row.scale_max,
                labels=[ScaleLabel.model_validate(label) for label in row.scale_labels],
            ),
            active=row.active,
            built_in=row.built_in,
            questions=[QuestionRead.model_validate(q) for q in questions.get(row.id, [])],
            created_at=row.created_at,
            updated_at=row.updated_at,
            version=row.version,
        )
        for row in rows
    ]


async def _present_one(session: AsyncSession, row: Instrument) -> InstrumentRead:
    (read,) = await _present(session, [row])
    return read


async def _instrument(
    session: AsyncSession, instrument_id: uuid.UUID, *, lock: bool = False
) -> Instrument:
    instrument = await repository.get(session, Instrument, instrument_id, lock=lock)
    if instrument is None:
        raise NotFound("No instrument has this id.", code="instrument_not_found")
    return instrument


async def get_instrument(
    session: AsyncSession, actor: Actor, instrument_id: uuid.UUID
) -> InstrumentRead:
    return await _present_one(session, await _instrument(session, instrument_id))


async def list_instruments(
    session: AsyncSession, actor: Actor, filters: InstrumentQuery, params: PageParams
) -> Page[InstrumentRead]:
    rows, cursor = await repository.list_instruments(session, params, **filters.model_dump())
    return Page(items=await _present(session, rows), next_cursor=cursor)


async def read_instruments(
    session: AsyncSession, actor: Actor, ids: Sequence[uuid.UUID]
) -> Page[InstrumentRead]:
    """The instruments among `ids` that exist, in the order asked (unknown ids are left out)."""
    rows = await repository.by_ids(session, Instrument, ids)
    return Page(items=await _present(session, rows), next_cursor=None)


def _check_shape(data: InstrumentCreate) -> None:
    """What a valid instrument needs beyond each field's own rules; the first problem found."""
    area_keys: set[str] = set()
    for index, area in enumerate(data.areas):
        if area.key in area_keys:
            raise Unprocessable(
                f"Area `{area.key}` is listed twice.",
                code="duplicate_area",
                field=f"body.areas.{index}.key",
            )
        area_keys.add(area.key)
    scale = data.scale
    if scale.min >= scale.max:
        raise Unprocessable(
            "A scale runs from a smaller `min` to a larger `max`.",
            code="invalid_scale",
            field="body.scale.max",
        )
    values: set[int] = set()
    for index, label in enumerate(scale.labels):
        if not scale.min <= label.value <= scale.max or label.value in values:
            raise Unprocessable(
                "Each label names a different point of the scale, between `min` and `max`.",
                code="invalid_scale_label",
                field=f"body.scale.labels.{index}.value",
            )
        values.add(label.value)
    for index, question in enumerate(data.questions):
        if question.area not in area_keys:
            raise Unprocessable(
                f"The instrument has no area `{question.area}`.",
                code="unknown_area",
                field=f"body.questions.{index}.area",
            )


async def create_instrument(
    session: AsyncSession, actor: Actor, data: InstrumentCreate
) -> InstrumentRead:
    _check_shape(data)
    if await repository.by_key(session, data.key) is not None:
        raise Conflict("An instrument has this key.", code="instrument_key_taken", field="body.key")
    instrument = Instrument(
        key=data.key,
        name=data.name,
        description=data.description,
        edition=data.edition,
        areas=[area.model_dump() for area in data.areas],
        scale_min=data.scale.min,
        scale_max=data.scale.max,
        scale_labels=[
            label.model_dump() for label in sorted(data.scale.labels, key=lambda x: x.value)
        ],
        active=data.active,
    )
    await repository.save(session, instrument)
    await repository.save(
        session,
        *(
            Question(
                instrument_id=instrument.id,
                position=position,
                area=question.area,
                text=question.text,
                reverse_scored=question.reverse_scored,
            )
            for position, question in enumerate(data.questions, start=1)
        ),
    )
    await record_event(
        session,
        INSTRUMENT_CREATED,
        InstrumentCreatedPayload(
            id=instrument.id,
            key=instrument.key,
            name=instrument.name,
            edition=instrument.edition,
            active=instrument.active,
            area_keys=[area.key for area in data.areas],
            question_count=len(data.questions),
        ),
    )
    return await _present_one(session, instrument)


async def update_instrument(
    session: AsyncSession,
    actor: Actor,
    instrument_id: uuid.UUID,
    data: InstrumentUpdate,
    if_match: str | None,
) -> InstrumentRead:
    instrument = await _instrument(session, instrument_id, lock=True)
    check_if_match(if_match, instrument.version)
    changes = changed(instrument, data.model_dump(exclude_unset=True))
    if changes:
        apply_patch(instrument, changes)
        await repository.save(session, instrument)
        await record_event(
            session,
            INSTRUMENT_UPDATED,
            InstrumentUpdatedPayload(
                id=instrument.id,
                key=instrument.key,
                name=instrument.name,
                description=instrument.description,
                active=instrument.active,
                changed=sorted(changes),
            ),
        )
    return await _present_one(session, instrument)
