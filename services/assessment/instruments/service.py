"""The catalogue's rules: everyone reads instruments, in their language where a translation
exists; HR admins add those their organisation wrote or licensed, import and export them, and
rename or retire them; questions, once written, never change."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor
from kit.errors import Conflict, NotFound, Unprocessable
from kit.etag import check_if_match
from kit.events import record_event
from kit.orgcopy import OrgPerson
from kit.pagination import Page, PageParams
from kit.repository import apply_patch, changed
from services.assessment.events import (
    INSTRUMENT_CREATED,
    INSTRUMENT_UPDATED,
    InstrumentCreatedPayload,
    InstrumentUpdatedPayload,
)
from services.assessment.instruments import repository
from services.assessment.instruments.locales import (
    ENGLISH,
    accepted_languages,
    best_locale,
    language_of,
    language_read,
)
from services.assessment.instruments.recommendations import LOCALES, recommendations_for
from services.assessment.instruments.schemas import (
    FORMAT,
    Area,
    InstrumentCreate,
    InstrumentExportRead,
    InstrumentQuery,
    InstrumentRead,
    InstrumentUpdate,
    LanguageRead,
    QuestionCreate,
    QuestionKind,
    QuestionRead,
    RecommendationQuery,
    RecommendationsRead,
    Scale,
    ScaleLabel,
    Texts,
)
from services.assessment.levels import thresholds_problem
from services.assessment.models import Instrument, InstrumentTranslation, Question

# --- Which language ----------------------------------------------------------------------------


async def wanted_languages(
    session: AsyncSession, actor: Actor, accept_language: str | None
) -> list[str]:
    """The languages to answer in, most wanted first: the caller's `Accept-Language`, else the
    person's locale in the directory; empty when neither says (English is served)."""
    accepted = accepted_languages(accept_language)
    if accepted or actor.person_id is None:
        return accepted
    person = await repository.get(session, OrgPerson, actor.person_id)
    return [person.locale.lower()] if person is not None else []


def content_language(languages: Sequence[LanguageRead]) -> str:
    """The `Content-Language` of an answer: every locale its texts are in, in order."""
    served: list[str] = []
    for read in languages:
        for tag in (read.served, *([ENGLISH] if read.untranslated else [])):
            if tag not in served:
                served.append(tag)
    return ", ".join(served or [ENGLISH])


# --- Reading ----------------------------------------------------------------------------------


def _localize(
    row: Instrument,
    questions: Sequence[Question],
    translations: Mapping[str, Mapping[str, Any]],
    wanted: Sequence[str],
) -> InstrumentRead:
    served = best_locale(wanted, {ENGLISH, *translations})
    texts = Texts.model_validate(translations.get(served, {}), strict=False)
    untranslated: list[str] = []

    def pick(path: str, english: str, translated: str | None) -> str:
        if served == ENGLISH:
            return english
        if translated is None:
            untranslated.append(path)
            return english
        return translated

    name = pick("name", row.name, texts.name)
    description = (
        None if row.description is None else pick("description", row.description, texts.description)
    )
    areas = [
        Area(
            key=area["key"],
            name=pick(f"areas.{area['key']}", area["name"], texts.areas.get(area["key"])),
        )
        for area in row.areas
    ]
    labels = [
        ScaleLabel(
            value=label["value"],
            label=pick(
                f"scale_labels.{label['value']}",
                label["label"],
                texts.scale_labels.get(label["value"]),
            ),
        )
        for label in row.scale_labels
    ]
    read_questions = [
        QuestionRead(
            id=question.id,
            area=question.area,
            text=pick(
                f"questions.{question.position}",
                question.text,
                texts.questions.get(question.position),
            ),
            kind=QuestionKind(question.kind),
            reverse_scored=question.reverse_scored,
            position=question.position,
        )
        for question in questions
    ]
    return InstrumentRead(
        id=row.id,
        key=row.key,
        name=name,
        description=description,
        edition=row.edition,
        areas=areas,
        scale=Scale(min=row.scale_min, max=row.scale_max, labels=labels),
        level_thresholds=row.level_thresholds,
        active=row.active,
        built_in=row.built_in,
        questions=read_questions,
        locales=[ENGLISH, *sorted(translations)],
        language=language_read(wanted, served, untranslated),
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=row.version,
    )


async def _present(
    session: AsyncSession, rows: Sequence[Instrument], wanted: Sequence[str]
) -> list[InstrumentRead]:
    ids = [row.id for row in rows]
    questions = await repository.questions_of(session, ids)
    translations = await repository.translations_of(session, ids)
    return [
        _localize(row, questions.get(row.id, []), translations.get(row.id, {}), wanted)
        for row in rows
    ]


async def _present_one(
    session: AsyncSession, row: Instrument, wanted: Sequence[str]
) -> InstrumentRead:
    (read,) = await _present(session, [row], wanted)
    return read


async def _instrument(
    session: AsyncSession, instrument_id: uuid.UUID, *, lock: bool = False
) -> Instrument:
    instrument = await repository.get(session, Instrument, instrument_id, lock=lock)
    if instrument is None:
        raise NotFound("No instrument has this id.", code="instrument_not_found")
    return instrument


async def get_instrument(
    session: AsyncSession, actor: Actor, instrument_id: uuid.UUID, accept_language: str | None
) -> InstrumentRead:
    wanted = await wanted_languages(session, actor, accept_language)
    return await _present_one(session, await _instrument(session, instrument_id), wanted)


async def list_instruments(
    session: AsyncSession,
    actor: Actor,
    filters: InstrumentQuery,
    params: PageParams,
    accept_language: str | None,
) -> Page[InstrumentRead]:
    wanted = await wanted_languages(session, actor, accept_language)
    rows, cursor = await repository.list_instruments(session, params, **filters.model_dump())
    return Page(items=await _present(session, rows, wanted), next_cursor=cursor)


async def read_instruments(
    session: AsyncSession, actor: Actor, ids: Sequence[uuid.UUID], accept_language: str | None
) -> Page[InstrumentRead]:
    """The instruments among `ids` that exist, in the order asked (unknown ids are left out)."""
    wanted = await wanted_languages(session, actor, accept_language)
    rows = await repository.by_ids(session, Instrument, ids)
    return Page(items=await _present(session, rows, wanted), next_cursor=None)


async def export_instrument(
    session: AsyncSession, actor: Actor, instrument_id: uuid.UUID
) -> InstrumentExportRead:
    """The whole instrument, every locale, as an import takes it (ids and dates left out)."""
    row = await _instrument(session, instrument_id)
    questions = (await repository.questions_of(session, [row.id])).get(row.id, [])
    translations = (await repository.translations_of(session, [row.id])).get(row.id, {})
    return InstrumentExportRead.model_validate(
        {
            "format": FORMAT,
            "key": row.key,
            "name": row.name,
            "description": row.description,
            "edition": row.edition,
            "areas": row.areas,
            "scale": {"min": row.scale_min, "max": row.scale_max, "labels": row.scale_labels},
            "level_thresholds": row.level_thresholds,
            "questions": [
                QuestionCreate(
                    area=q.area,
                    text=q.text,
                    kind=QuestionKind(q.kind),
                    reverse_scored=q.reverse_scored,
                )
                for q in questions
            ],
            "translations": {
                locale: Texts.model_validate(texts, strict=False)
                for locale, texts in sorted(translations.items())
            },
            "active": row.active,
        },
        strict=False,
    )


# --- Writing ----------------------------------------------------------------------------------


def _check_questions(data: InstrumentCreate, area_keys: set[str]) -> None:
    for index, question in enumerate(data.questions):
        if question.area not in area_keys:
            raise Unprocessable(
                f"The instrument has no area `{question.area}`.",
                code="unknown_area",
                field=f"body.questions.{index}.area",
            )
        if question.kind == QuestionKind.COMMENT and question.reverse_scored:
            raise Unprocessable(
                "A comment is free text and never scored, so it cannot be reverse scored.",
                code="comment_not_scored",
                field=f"body.questions.{index}.reverse_scored",
            )
    if all(question.kind == QuestionKind.COMMENT for question in data.questions):
        raise Unprocessable(
            "An instrument needs at least one rating question to be scored.",
            code="no_rating_question",
            field="body.questions",
        )


def _check_translations(data: InstrumentCreate, area_keys: set[str]) -> None:
    label_values = {label.value for label in data.scale.labels}
    for locale, texts in data.translations.items():
        at = f"body.translations.{locale}"
        if language_of(locale) == ENGLISH:
            raise Unprocessable(
                "The instrument's own texts are English; translations are other locales.",
                code="english_translation",
                field=at,
            )
        for key in texts.areas:
            if key not in area_keys:
                raise Unprocessable(
                    f"The instrument has no area `{key}`.",
                    code="unknown_area",
                    field=f"{at}.areas.{key}",
                )
        for value in texts.scale_labels:
            if value not in label_values:
                raise Unprocessable(
                    f"The scale has no label for {value} to translate.",
                    code="invalid_scale_label",
                    field=f"{at}.scale_labels.{value}",
                )
        for position in texts.questions:
            if position > len(data.questions):
                raise Unprocessable(
                    f"The instrument has no question {position}.",
                    code="unknown_question",
                    field=f"{at}.questions.{position}",
                )


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
    problem = thresholds_problem(data.level_thresholds)
    if problem is not None:
        raise Unprocessable(problem, code="invalid_level_thresholds", field="body.level_thresholds")
    _check_questions(data, area_keys)
    _check_translations(data, area_keys)


async def create_instrument(
    session: AsyncSession, actor: Actor, data: InstrumentCreate, accept_language: str | None
) -> InstrumentRead:
    """Add an instrument, from a body or an imported document alike; its key is new."""
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
        level_thresholds=list(data.level_thresholds),
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
                kind=question.kind.value,
                reverse_scored=question.reverse_scored,
            )
            for position, question in enumerate(data.questions, start=1)
        ),
        *(
            InstrumentTranslation(
                instrument_id=instrument.id,
                locale=locale,
                texts=texts.model_dump(mode="json", exclude_none=True),
            )
            for locale, texts in data.translations.items()
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
    wanted = await wanted_languages(session, actor, accept_language)
    return await _present_one(session, instrument, wanted)


async def update_instrument(
    session: AsyncSession,
    actor: Actor,
    instrument_id: uuid.UUID,
    data: InstrumentUpdate,
    if_match: str | None,
    accept_language: str | None,
) -> InstrumentRead:
    """Change the English name, description or availability; translations stay as they are."""
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
    wanted = await wanted_languages(session, actor, accept_language)
    return await _present_one(session, instrument, wanted)


# --- Recommendations --------------------------------------------------------------------------


async def recommend(
    session: AsyncSession, actor: Actor, query: RecommendationQuery, accept_language: str | None
) -> RecommendationsRead:
    """The model's next steps for a level of an instrument and its weak areas, in the reader's
    language (English or Swedish)."""
    instrument = await repository.by_key(session, query.instrument)
    if instrument is None:
        raise NotFound("No instrument has this key.", code="instrument_not_found")
    known = {area["key"] for area in instrument.areas}
    for key in query.area:
        if key not in known:
            raise Unprocessable(
                f"The instrument has no area `{key}`.", code="unknown_area", field="query.area"
            )
    wanted = await wanted_languages(session, actor, accept_language)
    served = best_locale(wanted, LOCALES)
    found = recommendations_for(instrument.key, query.level, query.area, served)
    return found.model_copy(update={"language": language_read(wanted, served, [])})
