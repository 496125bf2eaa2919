"""The rules of rounds. HR admins send an instrument to anyone; a team's lead to their own team
(and what is below it). Opening a round copies its audience from the org copy, once: a later
reorganisation changes nothing in it. In an anonymous round, what a person answered is written
apart from the record that they answered, without their id or the time."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel.ext.asyncio.session import AsyncSession

from kit import orgcopy
from kit.auth import Actor
from kit.errors import Conflict, Forbidden, NotFound, Unprocessable
from kit.events import record_event
from kit.pagination import Page, PageParams
from kit.policies import PolicyTable, Relation, Rule
from kit.repository import apply_patch, get, save
from services.assessment.events import (
    ROUND_CLOSED,
    ROUND_OPENED,
    RoundClosedPayload,
    RoundOpenedPayload,
)
from services.assessment.instruments import service as instruments
from services.assessment.instruments.repository import questions_of
from services.assessment.instruments.schemas import InstrumentRead
from services.assessment.models import Instrument, Question
from services.assessment.rounds import repository
from services.assessment.rounds.models import Answer, Participation, Response, Round, RoundTeam
from services.assessment.rounds.schemas import (
    AnswerGiven,
    Answers,
    MyResponseRead,
    ParticipationRead,
    ParticipationStatus,
    RoundCreate,
    RoundMode,
    RoundQuery,
    RoundRead,
    RoundStatus,
)

_READ_SCOPE = "assessment:read"
# Those who run a round: HR admins, whoever sent it, the lead of its team (or a team above).
_RUNS = (Relation.HR_ADMIN, Relation.OWNER, Relation.TEAM_LEAD)

POLICY = PolicyTable(
    {
        "round.create": Rule.of(Relation.HR_ADMIN, Relation.TEAM_LEAD),
        "round.read": Rule.of(
            Relation.SIGNED_IN, Relation.INTEGRATION, Relation.SERVICE, scope=_READ_SCOPE
        ),
        "round.update": Rule.of(*_RUNS),
        "participation.read": Rule.of(*_RUNS),
        "response.answer": Rule.of(Relation.PARTICIPANT),
        "report.read": Rule.of(*_RUNS, Relation.INTEGRATION, scope=_READ_SCOPE),
        "plan.create": Rule.of(Relation.HR_ADMIN, Relation.TEAM_LEAD),
        "plan.read": Rule.of(
            Relation.HR_ADMIN,
            Relation.TEAM_LEAD,
            Relation.PARTICIPANT,
            Relation.INTEGRATION,
            scope=_READ_SCOPE,
        ),
        "plan.update": Rule.of(Relation.HR_ADMIN, Relation.TEAM_LEAD),
    }
)


def round_not_found() -> NotFound:
    # The same answer for an unknown id and a round the caller may not see.
    return NotFound("No round has this id.", code="round_not_found")


def status_of(round_: Round, now: datetime) -> RoundStatus:
    """A round is closed from its close date on, whether or not the clock worker has been by."""
    if round_.status is RoundStatus.OPEN and round_.closes_at <= now:
        return RoundStatus.CLOSED
    return round_.status


def read_round(round_: Round, now: datetime) -> RoundRead:
    return RoundRead.model_validate({**round_.model_dump(), "status": status_of(round_, now)})


async def _visible(session: AsyncSession, actor: Actor) -> ColumnElement[bool] | None:
    """None: the actor sees every round (HR admins, integrations, our services)."""
    if actor.person_id is None or POLICY.permits(actor, "round.update"):
        return None
    return repository.seen_by(actor.person_id, await repository.teams_led(session, actor.person_id))


async def seen_round(
    session: AsyncSession, actor: Actor, round_id: uuid.UUID, *, lock: bool = False
) -> Round:
    """The round if the actor may see it; 404 otherwise, in the statement that finds it."""
    found = await repository.round_seen(session, round_id, await _visible(session, actor))
    if found is None:
        raise round_not_found()
    if lock:
        await session.refresh(found, with_for_update=True)
    return found


async def relations_to_round(
    session: AsyncSession, actor: Actor, round_: Round, team_id: uuid.UUID | None = None
) -> set[Relation]:
    """OWNER (sent it), and TEAM_LEAD (leads the team, or a team above it) and PARTICIPANT
    (a member) of `team_id`, else of the round's own team, as the org copy has it now; a round
    for everyone has no team, so only HR admins and its sender run it."""
    relations: set[Relation] = set()
    if actor.person_id is not None and round_.created_by == actor.person_id:
        relations.add(Relation.OWNER)
    target = team_id if team_id is not None else round_.team_id
    if target is not None:
        relations |= await orgcopy.relations_to_team(session, actor, target)
    return relations


async def authorize_on_round(
    session: AsyncSession, actor: Actor, round_: Round, action: str
) -> None:
    POLICY.authorize(actor, action, await relations_to_round(session, actor, round_))


async def round_for_group(
    session: AsyncSession, actor: Actor, round_id: uuid.UUID, team_id: uuid.UUID | None, action: str
) -> Round:
    """The round, for an action on one of its groups (a snapshotted team, or `None` for its
    whole audience): allowed to HR admins, its sender, the lead of the team or a team above it
    as the org copy has it now (and, where the action allows, the team's members). Everyone
    else gets 404, as for an unknown round."""
    round_ = await get(session, Round, round_id)
    if round_ is None:
        raise round_not_found()
    if not POLICY.permits(actor, action, await relations_to_round(session, actor, round_, team_id)):
        raise round_not_found()
    if team_id is not None and await get(session, RoundTeam, (round_id, team_id)) is None:
        raise NotFound("This team was not in the round's audience.", code="team_not_in_round")
    return round_


# --- Rounds ------------------------------------------------------------------------------------


async def create_round(
    session: AsyncSession, actor: Actor, data: RoundCreate, now: datetime
) -> RoundRead:
    relations: set[Relation] = set()
    if data.team_id is not None:
        if await get(session, orgcopy.OrgTeam, data.team_id) is None:
            raise Unprocessable("No team has this id.", code="unknown_team", field="body.team_id")
        relations = await orgcopy.relations_to_team(session, actor, data.team_id)
    if not POLICY.permits(actor, "round.create", relations & {Relation.TEAM_LEAD}):
        raise Forbidden(
            "HR admins send rounds to anyone; a team's lead to their own team only.",
            code="not_your_team",
        )
    instrument = await get(session, Instrument, data.instrument_id)
    if instrument is None:
        raise Unprocessable(
            "No instrument has this id.", code="unknown_instrument", field="body.instrument_id"
        )
    if not instrument.active:
        raise Conflict("This instrument is retired.", code="instrument_retired")
    if data.closes_at <= max(now, data.opens_at or now):
        raise Unprocessable(
            "A round closes after it opens, in the future.",
            code="invalid_dates",
            field="body.closes_at",
        )
    keys = [attribute.key for attribute in data.attributes]
    if len(set(keys)) != len(keys) or any(
        len({o.key for o in a.options}) != len(a.options) for a in data.attributes
    ):
        raise Unprocessable(
            "Each attribute, and each option of one, has its own key.",
            code="duplicate_attribute",
            field="body.attributes",
        )
    round_ = Round.model_validate(
        {
            **data.model_dump(exclude={"attributes"}),
            "attributes": [attribute.model_dump() for attribute in data.attributes],
            "created_by": actor.person_id,
        }
    )
    await save(session, round_)
    return read_round(round_, now)


async def get_round(
    session: AsyncSession, actor: Actor, round_id: uuid.UUID, now: datetime
) -> RoundRead:
    return read_round(await seen_round(session, actor, round_id), now)


async def list_rounds(
    session: AsyncSession, actor: Actor, filters: RoundQuery, params: PageParams, now: datetime
) -> Page[RoundRead]:
    rows, cursor = await repository.list_rounds(
        session,
        params,
        await _visible(session, actor),
        status=filters.status,
        invited_person=actor.person_id if filters.invited else None,
        instrument_id=filters.instrument_id,
        now=now,
    )
    return Page(items=[read_round(row, now) for row in rows], next_cursor=cursor)


async def open_now(session: AsyncSession, round_: Round, now: datetime) -> None:
    """Fixes the audience and each person's team as the org copy has them now."""
    invited = await repository.snapshot(session, round_.id, round_.team_id)
    apply_patch(round_, {"status": RoundStatus.OPEN, "opened_at": now})
    await save(session, round_)
    await record_event(
        session,
        ROUND_OPENED,
        RoundOpenedPayload(
            id=round_.id,
            instrument_id=round_.instrument_id,
            team_id=round_.team_id,
            mode=round_.mode,
            min_group_size=round_.min_group_size,
            invited=invited,
            closes_at=round_.closes_at,
        ),
    )


async def close_now(session: AsyncSession, round_: Round, now: datetime) -> None:
    """Closes the round (at its close date, or earlier by hand) and says so."""
    closed_at = min(now, round_.closes_at)
    apply_patch(round_, {"status": RoundStatus.CLOSED, "closed_at": closed_at})
    await save(session, round_)
    invited, submitted = await repository.participation_counts(session, round_.id)
    await record_event(
        session,
        ROUND_CLOSED,
        RoundClosedPayload(
            id=round_.id,
            instrument_id=round_.instrument_id,
            invited=invited,
            submitted=submitted,
        ),
    )


async def open_round(
    session: AsyncSession, actor: Actor, round_id: uuid.UUID, now: datetime
) -> RoundRead:
    round_ = await seen_round(session, actor, round_id, lock=True)
    await authorize_on_round(session, actor, round_, "round.update")
    if round_.status is not RoundStatus.DRAFT:
        raise Conflict("This round has already opened.", code="round_not_draft")
    if round_.closes_at <= now:
        raise Conflict("This round's close date has passed.", code="round_past_close")
    await open_now(session, round_, now)
    return read_round(round_, now)


async def close_round(
    session: AsyncSession, actor: Actor, round_id: uuid.UUID, now: datetime
) -> RoundRead:
    round_ = await seen_round(session, actor, round_id, lock=True)
    await authorize_on_round(session, actor, round_, "round.update")
    if round_.status is not RoundStatus.OPEN:
        raise Conflict("Only an open round closes.", code="round_not_open")
    await close_now(session, round_, now)
    return read_round(round_, now)


async def participation(
    session: AsyncSession, actor: Actor, round_id: uuid.UUID
) -> ParticipationRead:
    """How many were asked and answered, for those who run the round: never who."""
    round_ = await seen_round(session, actor, round_id)
    await authorize_on_round(session, actor, round_, "participation.read")
    invited, submitted = await repository.participation_counts(session, round_id)
    return ParticipationRead(
        round_id=round_id,
        invited=invited,
        submitted=submitted,
        rate=submitted / invited if invited else 0.0,
    )


# --- One person's answers ----------------------------------------------------------------------


async def _my_part(
    session: AsyncSession, actor: Actor, round_id: uuid.UUID, *, lock: bool = False
) -> tuple[Round, Participation]:
    """The round and the caller's participation; 404 when they were not asked."""
    if actor.person_id is None:
        raise Forbidden("Only people answer rounds.")
    round_ = await seen_round(session, actor, round_id)
    part = await get(session, Participation, (round_id, actor.person_id), lock=lock)
    POLICY.authorize(actor, "response.answer", {Relation.PARTICIPANT} if part else set())
    if part is None:  # refused above; this keeps types honest
        raise round_not_found()
    return round_, part


def _mine(round_: Round, part: Participation) -> MyResponseRead:
    draft: dict[str, Any] = part.draft or {}
    return MyResponseRead(
        round_id=round_.id,
        mode=round_.mode,
        status=part.status,
        answers=[AnswerGiven.model_validate(a) for a in draft.get("answers", [])],
        attributes=draft.get("attributes", {}),
    )


async def my_response(session: AsyncSession, actor: Actor, round_id: uuid.UUID) -> MyResponseRead:
    round_, part = await _my_part(session, actor, round_id)
    return _mine(round_, part)


async def my_responses(
    session: AsyncSession, actor: Actor, round_ids: Sequence[uuid.UUID]
) -> list[MyResponseRead]:
    """The caller's own part in each of `round_ids` they are asked in (the others left out,
    as a batch read leaves out what the caller may not see), in the order asked."""
    if actor.person_id is None:
        raise Forbidden("Only people answer rounds.")
    found = {
        round_.id: _mine(round_, part)
        for round_, part in await repository.my_parts(session, actor.person_id, round_ids)
    }
    return [found[id_] for id_ in dict.fromkeys(round_ids) if id_ in found]


async def round_questions(
    session: AsyncSession, actor: Actor, round_id: uuid.UUID, accept_language: str | None
) -> InstrumentRead:
    """The round's instrument with its questions, for the people asked, in their language:
    chosen exactly as the instrument bank chooses it (`Accept-Language`, else the directory
    locale, else English, saying what fell back)."""
    round_, _ = await _my_part(session, actor, round_id)
    return await instruments.get_instrument(session, actor, round_.instrument_id, accept_language)


def _check_open(round_: Round, part: Participation, now: datetime) -> None:
    if status_of(round_, now) is not RoundStatus.OPEN:
        raise Conflict("This round is not open for answers.", code="round_not_open")
    if part.status is ParticipationStatus.SUBMITTED:
        raise Conflict("Your answers are submitted and final.", code="already_submitted")


def _check_answers(
    round_: Round, instrument: Instrument, questions: Sequence[Question], data: Answers
) -> None:
    """Each answer fits its question; each attribute and option is declared."""
    by_id = {question.id: question for question in questions}
    seen: set[uuid.UUID] = set()
    for index, answer in enumerate(data.answers):
        question = by_id.get(answer.question_id)
        field = f"body.answers.{index}"
        if question is None or answer.question_id in seen:
            raise Unprocessable(
                "Answer each of the round's questions once.", code="unknown_question", field=field
            )
        seen.add(answer.question_id)
        if question.kind == "rating":
            if answer.comment is not None or answer.value is None:
                raise Unprocessable("Rate this question.", code="invalid_answer", field=field)
            if not instrument.scale_min <= answer.value <= instrument.scale_max:
                raise Unprocessable(
                    f"Answer on the scale, {instrument.scale_min} to {instrument.scale_max}.",
                    code="invalid_answer",
                    field=f"{field}.value",
                )
        elif answer.value is not None or answer.comment is None:
            raise Unprocessable("Comment on this question.", code="invalid_answer", field=field)
    declared = {a["key"]: {o["key"] for o in a["options"]} for a in round_.attributes}
    for key, option in data.attributes.items():
        if option not in declared.get(key, set()):
            raise Unprocessable(
                "Declare only the round's attributes, with one of their options.",
                code="unknown_attribute",
                field=f"body.attributes.{key}",
            )


async def _instrument_of(session: AsyncSession, round_: Round) -> tuple[Instrument, list[Question]]:
    instrument = await get(session, Instrument, round_.instrument_id)
    if instrument is None:  # a foreign key keeps it; this keeps types honest
        raise round_not_found()
    return instrument, (await questions_of(session, [instrument.id])).get(instrument.id, [])


async def save_answers(
    session: AsyncSession, actor: Actor, round_id: uuid.UUID, data: Answers, now: datetime
) -> MyResponseRead:
    """Keeps the answers so far with the caller's participation, to be submitted later."""
    round_, part = await _my_part(session, actor, round_id, lock=True)
    _check_open(round_, part, now)
    instrument, questions = await _instrument_of(session, round_)
    _check_answers(round_, instrument, questions, data)
    part.draft = data.model_dump(mode="json")
    part.status = ParticipationStatus.SAVED
    await save(session, part)
    return _mine(round_, part)


async def submit(
    session: AsyncSession, actor: Actor, round_id: uuid.UUID, now: datetime
) -> MyResponseRead:
    """Makes the saved answers final; every rating question is answered. The response is
    written without the person (in an anonymous round) and the saved draft is deleted. Nothing
    about the answers is in the request or the reply, so that what `Idempotency-Key` keeps
    (a fingerprint of the request, the reply) links the person to none of them."""
    round_, part = await _my_part(session, actor, round_id, lock=True)
    _check_open(round_, part, now)
    instrument, questions = await _instrument_of(session, round_)
    answers = Answers.model_validate(part.draft or {})
    _check_answers(round_, instrument, questions, answers)
    given = {answer.question_id: answer for answer in answers.answers}
    missing = [q.position for q in questions if q.kind == "rating" and q.id not in given]
    if missing:
        raise Unprocessable(
            f"Rate every question before submitting (missing: {missing}).",
            code="answers_incomplete",
            field="body.answers",
        )
    response = Response(round_id=round_.id, team_id=part.team_id, attributes=answers.attributes)
    await save(session, response)
    by_id = {question.id: question for question in questions}
    await save(
        session,
        *(
            Answer(
                response_id=response.id,
                question_id=question_id,
                area=by_id[question_id].area,
                score=_scored(by_id[question_id], instrument, answer.value),
                comment=answer.comment,
            )
            for question_id, answer in given.items()
        ),
    )
    await repository.score_areas(session, [response.id])
    part.status, part.draft = ParticipationStatus.SUBMITTED, None
    if round_.mode is RoundMode.IDENTIFIED:
        part.response_id = response.id
    await save(session, part)
    return _mine(round_, part)


def _scored(question: Question, instrument: Instrument, value: int | None) -> int | None:
    if value is None:
        return None
    if question.reverse_scored:
        return instrument.scale_max + instrument.scale_min - value
    return value


# --- The clock ---------------------------------------------------------------------------------


async def due_rounds(session: AsyncSession, now: datetime) -> Sequence[Round]:
    """Rounds the clock must open or close now, locked for this worker."""
    return await repository.due(session, now)
