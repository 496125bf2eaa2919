"""The SQL of recognition. Recognitions are public, so no statement filters by reader; a
recognition's recipients, values and reactions come in one statement for a whole page."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, exists, func, sql
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.models import utcnow
from kit.orgcopy import OrgMembership, OrgTeam
from kit.pagination import PageParams, paginate
from kit.repository import walk
from services.feedback.models import CompanyValue
from services.feedback.recognition.models import (
    Reaction,
    Recognition,
    RecognitionRecipient,
    RecognitionValue,
)
from services.feedback.recognition.schemas import ReactionKind

# Teams nest a few levels deep; the bound only stops a loop in the copy.
_MAX_TEAM_DEPTH = 64


@dataclass(frozen=True)
class Children:
    recipient_ids: list[uuid.UUID]
    value_ids: list[uuid.UUID]
    reactions: list[ReactionKind]  # one entry per reaction
    mine: list[ReactionKind]


async def list_values(
    session: AsyncSession, params: PageParams, *, archived: bool | None = None
) -> tuple[Sequence[CompanyValue], str | None]:
    statement = select(CompanyValue)
    if archived is not None:
        statement = statement.where(col(CompanyValue.archived) == archived)
    return await paginate(session, statement, CompanyValue, params)


async def value_named(session: AsyncSession, name: str) -> CompanyValue | None:
    statement = select(CompanyValue).where(func.lower(col(CompanyValue.name)) == name.lower())
    return (await session.exec(statement)).first()


def _members(team_id: uuid.UUID) -> Select[uuid.UUID]:
    """The members of a team and of every team below it."""
    teams = walk(
        "feed_teams",
        col(OrgTeam.id),
        col(OrgTeam.parent_id),
        col(OrgTeam.id) == team_id,
        _MAX_TEAM_DEPTH,
    )
    return sql.select(col(OrgMembership.person_id)).where(
        col(OrgMembership.team_id).in_(sql.select(teams.c.id))
    )


def _recognises(person_ids: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists(
        select(RecognitionRecipient).where(
            col(RecognitionRecipient.recognition_id) == col(Recognition.id), person_ids
        )
    )


async def list_recognitions(
    session: AsyncSession,
    params: PageParams,
    *,
    team_id: uuid.UUID | None = None,
    recipient_id: uuid.UUID | None = None,
    giver_id: uuid.UUID | None = None,
    value_id: uuid.UUID | None = None,
) -> tuple[Sequence[Recognition], str | None]:
    statement = select(Recognition)
    if team_id is not None:
        statement = statement.where(
            _recognises(col(RecognitionRecipient.person_id).in_(_members(team_id)))
        )
    if recipient_id is not None:
        statement = statement.where(
            _recognises(col(RecognitionRecipient.person_id) == recipient_id)
        )
    if giver_id is not None:
        statement = statement.where(col(Recognition.giver_id) == giver_id)
    if value_id is not None:
        statement = statement.where(
            exists(
                select(RecognitionValue).where(
                    col(RecognitionValue.recognition_id) == col(Recognition.id),
                    col(RecognitionValue.value_id) == value_id,
                )
            )
        )
    return await paginate(session, statement, Recognition, params)


async def children(
    session: AsyncSession, ids: Collection[uuid.UUID], reader_id: uuid.UUID | None
) -> dict[uuid.UUID, Children]:
    """Recipients, values and reactions of these recognitions, in one statement."""
    recipients = (
        select(func.array_agg(col(RecognitionRecipient.person_id)))
        .where(col(RecognitionRecipient.recognition_id) == col(Recognition.id))
        .scalar_subquery()
    )
    values = (
        select(func.array_agg(col(RecognitionValue.value_id)))
        .where(col(RecognitionValue.recognition_id) == col(Recognition.id))
        .scalar_subquery()
    )
    reactions = (
        select(func.array_agg(col(Reaction.kind)))
        .where(col(Reaction.recognition_id) == col(Recognition.id))
        .scalar_subquery()
    )
    mine = (
        select(func.array_agg(col(Reaction.kind)))
        .where(
            col(Reaction.recognition_id) == col(Recognition.id),
            col(Reaction.person_id) == reader_id,
        )
        .scalar_subquery()
    )
    # Five columns: past what sqlmodel's `select` types, so SQLAlchemy's own.
    statement = sql.select(col(Recognition.id), recipients, values, reactions, mine).where(
        col(Recognition.id).in_(list(ids))
    )
    connection = await session.connection()
    rows = (await connection.execute(statement)).all()
    return {
        id_: Children(
            recipient_ids=sorted(people or []),
            value_ids=sorted(tags or []),
            reactions=[ReactionKind(kind) for kind in kinds or []],
            mine=sorted(ReactionKind(kind) for kind in own or []),
        )
        for id_, people, tags, kinds, own in rows
    }


async def add_reaction(
    session: AsyncSession, recognition_id: uuid.UUID, person_id: uuid.UUID, kind: ReactionKind
) -> None:
    """The reaction, unless it is there already (two at once are one, without a conflict)."""
    statement = (
        insert(Reaction)
        .values(recognition_id=recognition_id, person_id=person_id, kind=kind, created_at=utcnow())
        .on_conflict_do_nothing()
    )
    await (await session.connection()).execute(statement)
