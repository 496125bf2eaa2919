"""Instruments (question banks) and the 5-level model's recommendations, in the reader's
language as the assessment service chooses it (their locale in the directory, else English;
`language` says what fell back)."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from gateway.context import Info
from gateway.types.assessment.contracts import (
    InstrumentRead,
    LanguageRead,
    QuestionRead,
    RecommendationsRead,
)
from gateway.types.assessment.enums import QuestionKindEnum
from gateway.types.common import (
    DEFAULT_PAGE_SIZE,
    After,
    Connection,
    First,
    GlobalId,
    Node,
    load_one,
    page_connection,
    page_size,
    resolver_field,
)


@strawberry.type(description="Which language texts are in, and what fell back to English.")
class Language:
    requested: str | None = strawberry.field(
        description="The language asked for (the directory locale); null when none was."
    )
    served: str = strawberry.field(description="The locale of the texts.")
    fallback: bool = strawberry.field(
        description="True when what was asked for, or part of it, was served in English."
    )
    untranslated: list[str] = strawberry.field(
        description="The texts served in English, e.g. `questions.2`."
    )

    @classmethod
    def from_record(cls, record: LanguageRead) -> Language:
        return cls(
            requested=record.requested,
            served=record.served,
            fallback=record.fallback,
            untranslated=record.untranslated,
        )


@strawberry.type(description="A construct an instrument measures, e.g. `culture`.")
class InstrumentArea:
    key: str = strawberry.field(description="Stable key, e.g. `culture`.")
    name: str = strawberry.field(description="Its name in the served language.")


@strawberry.type(description="A point of an answer scale with a label.")
class ScaleLabel:
    value: int = strawberry.field(description="The point.")
    label: str = strawberry.field(description="Its label in the served language.")


@strawberry.type(description="The answer scale of every rating question of an instrument.")
class Scale:
    min: int = strawberry.field(description="Lowest point.")
    max: int = strawberry.field(description="Highest point.")
    labels: list[ScaleLabel] = strawberry.field(description="Labelled points.")


@strawberry.type(description="A question of an instrument; never changes once written.")
class Question:
    id: strawberry.ID = strawberry.field(description="Answer it by this id (`answerRound`).")
    area: str = strawberry.field(description="The key of the area it is about.")
    text: str = strawberry.field(description="Its text in the served language.")
    kind: QuestionKindEnum = strawberry.field(description="Rating or free-text comment.")
    reverse_scored: bool = strawberry.field(description="Counted as `max + min - answer`.")
    position: int = strawberry.field(description="1, 2, …: the order it is asked in.")

    @classmethod
    def from_record(cls, record: QuestionRead) -> Question:
        return cls(
            id=GlobalId("Question", record.id).encode(),
            area=record.area,
            text=record.text,
            kind=QuestionKindEnum(record.kind.value),
            reverse_scored=record.reverse_scored,
            position=record.position,
        )


@strawberry.type(
    description="A question bank: areas, one answer scale, level thresholds and questions, "
    "in the reader's language."
)
class Instrument(Node):
    key: str = strawberry.field(description="Stable key, e.g. `maturity`.")
    name: str = strawberry.field(description="Its name in the served language.")
    description: str | None = strawberry.field(description="What it measures.")
    edition: str = strawberry.field(description="The instrument's own version label.")
    active: bool = strawberry.field(description="False once retired: no new rounds.")
    built_in: bool = strawberry.field(description="Shipped with Inspire.")
    areas: list[InstrumentArea] = strawberry.field(description="What it measures.")
    scale: Scale = strawberry.field(description="The answer scale.")
    level_thresholds: list[float] = strawberry.field(
        description="Four means between the five levels of the model."
    )
    questions: list[Question] = strawberry.field(description="In the order asked.")
    locales: list[str] = strawberry.field(description="Every locale it has, English first.")
    language: Language = strawberry.field(description="What the texts here are in.")

    @classmethod
    def from_record(cls, record: InstrumentRead) -> Instrument:
        return cls(
            id=GlobalId("Instrument", record.id).encode(),
            key=record.key,
            name=record.name,
            description=record.description,
            edition=record.edition,
            active=record.active,
            built_in=record.built_in,
            areas=[InstrumentArea(key=a.key, name=a.name) for a in record.areas],
            scale=Scale(
                min=record.scale.min,
                max=record.scale.max,
                labels=[ScaleLabel(value=p.value, label=p.label) for p in record.scale.labels],
            ),
            level_thresholds=[float(t) for t in record.level_thresholds],
            questions=[Question.from_record(q) for q in record.questions],
            locales=record.locales,
            language=Language.from_record(record.language),
        )


@strawberry.type(description="A level of the 5-level model.")
class MaturityLevel:
    value: int = strawberry.field(description="1 Apathetic … 5 Unbounded.")
    name: str = strawberry.field(description="Its name in the served language.")
    management: str = strawberry.field(description="`1.0` for levels 1 to 3, `2.0` for 4 and 5.")


@strawberry.type(description="Concrete next steps for one weak area.")
class AreaSteps:
    area: str = strawberry.field(description="The area's key.")
    steps: list[str] = strawberry.field(
        description="Empty for an area the model has no advice for (a customer's own)."
    )


@strawberry.type(description="Next steps from the 5-level model for a level and weak areas.")
class Recommendations:
    instrument: str = strawberry.field(description="The instrument's key.")
    level: MaturityLevel = strawberry.field(description="The level reached.")
    looks_like: str = strawberry.field(description="What the level looks like in daily work.")
    next_steps: list[str] = strawberry.field(description="Towards the next level (at 5: staying).")
    areas: list[AreaSteps] = strawberry.field(description="Steps for each weak area.")
    language: Language = strawberry.field(description="What the texts here are in.")

    @classmethod
    def from_record(cls, record: RecommendationsRead) -> Recommendations:
        return cls(
            instrument=record.instrument,
            level=MaturityLevel(
                value=record.level.value,
                name=record.level.name,
                management=record.level.management,
            ),
            looks_like=record.looks_like,
            next_steps=record.next_steps,
            areas=[AreaSteps(area=a.area, steps=a.steps) for a in record.areas],
            language=Language.from_record(record.language),
        )


async def load_instrument(info: Info, instrument_id: uuid.UUID | None) -> Instrument | None:
    return await load_one(
        info.context.loaders.instrument_by_id, instrument_id, Instrument.from_record
    )


@resolver_field("An instrument by id; null when there is none by this id.")
async def instrument(
    info: Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="An `Instrument` id.")],
) -> Instrument | None:
    return await load_instrument(info, GlobalId.decode_as("Instrument", id))


@resolver_field("The instrument bank, oldest first (the built-in instruments lead).")
async def instruments(
    info: Info,
    first: First = DEFAULT_PAGE_SIZE,
    after: After = None,
    active: Annotated[
        bool | None, strawberry.argument(description="Only active (or only retired) ones.")
    ] = None,
) -> Connection[Instrument] | None:
    page = await info.context.clients.assessment.instruments(
        info.context.caller, active, page_size(first), after
    )
    info.context.loaders.instrument_by_id.prime_many({r.id: r for r in page.items})
    return page_connection(page, Instrument.from_record, after)


@resolver_field(
    "The 5-level model's next steps for a level of an instrument and its weak areas, in your "
    "language."
)
async def recommendations(
    info: Info,
    instrument: Annotated[
        str, strawberry.argument(description="The instrument's key, e.g. `maturity`.")
    ],
    level: Annotated[int, strawberry.argument(description="The level reached, 1 to 5.")],
    areas: Annotated[
        list[str] | None,
        strawberry.argument(description="Keys of the weak areas to recommend steps for."),
    ] = None,
) -> Recommendations | None:
    found = await info.context.clients.assessment.recommendations(
        info.context.caller, instrument, level, areas or []
    )
    return Recommendations.from_record(found)
