"""A small service built on the kit alone, to test the kit without any domain."""

from __future__ import annotations

import asyncio
import secrets
import uuid
from datetime import datetime
from typing import Annotated

from fastapi import Depends, FastAPI, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Column, DateTime, UniqueConstraint
from sqlalchemy.orm import registry
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel, col, select, text
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.api import AppParts, create_service_app, service_router
from kit.auth import Actor, Identity
from kit.db import Database, SessionDep
from kit.errors import NotFound
from kit.etag import IfMatch, check_if_match, etag
from kit.events import EventCatalogue, EventType, record_event
from kit.idempotency import redacted_on_replay
from kit.models import new_id, utcnow
from kit.pagination import BatchIds, Page, PageDep, paginate
from kit.policies import PolicyTable, Relation, Rule
from kit.settings import ServiceSettings


class ToyModel(SQLModel, registry=registry()):
    pass


class Member(ToyModel, table=True):
    id: uuid.UUID = SQLField(default_factory=new_id, primary_key=True)
    email: str
    active: bool = True
    hr_admin: bool = False


class Note(ToyModel, table=True):
    __table_args__ = (
        # Checked at commit, not at flush: lets a test make the commit itself fail.
        UniqueConstraint("title", name="note_title_key", deferrable=True, initially="DEFERRED"),
    )
    id: uuid.UUID = SQLField(default_factory=new_id, primary_key=True)
    title: str
    owner_id: uuid.UUID | None = None
    count: int = 0
    version: int = 1
    created_at: datetime = SQLField(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class NoteCreate(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")
    title: str = Field(min_length=1, max_length=100)
    count: int = 0
    delay: float = 0


class NoteUpdate(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")
    title: str = Field(min_length=1, max_length=100)


class NoteRead(BaseModel):
    id: uuid.UUID
    title: str
    count: int


class NotePayload(BaseModel):
    id: uuid.UUID
    title: str


NOTE_CREATED = EventType("note.created", NotePayload, "A note was written.")

POLICY = PolicyTable(
    {
        "note.create": Rule.of(Relation.SIGNED_IN, Relation.INTEGRATION, scope="notes:write"),
        "note.read": Rule.of(Relation.SIGNED_IN, Relation.SERVICE),
        "note.update": Rule.of(Relation.OWNER, Relation.HR_ADMIN),
    }
)


class MemberDirectory:
    async def find_identity(self, session: AsyncSession, claim: str, value: str) -> Identity | None:
        member = (await session.exec(select(Member).where(Member.email == value))).first()
        if member is None:
            return None
        return Identity(person_id=member.id, active=member.active, is_hr_admin=member.hr_admin)


router = service_router(prefix="/v1")


@router.post("/notes", status_code=201)
async def create_note(
    body: NoteCreate,
    session: SessionDep,
    actor: Annotated[Actor, Depends(POLICY.require("note.create"))],
) -> NoteRead:
    note = Note(title=body.title, count=body.count, owner_id=actor.person_id)
    session.add(note)
    await session.flush()
    await record_event(session, NOTE_CREATED, NotePayload(id=note.id, title=note.title))
    if body.delay:
        await asyncio.sleep(body.delay)
    return NoteRead.model_validate(note, from_attributes=True)


class KeyCreate(BaseModel):
    name: str


class KeyRead(BaseModel):
    name: str
    token: str | None


@router.post("/keys", status_code=201, dependencies=[Depends(redacted_on_replay("token"))])
async def create_key(
    body: KeyCreate, _actor: Annotated[Actor, Depends(POLICY.require("note.create"))]
) -> KeyRead:
    """An answer with something shown once (`token`), never kept for a replay."""
    return KeyRead(name=body.name, token=secrets.token_urlsafe(16))


@router.get("/notes")
async def list_notes(
    session: SessionDep,
    page: PageDep,
    _actor: Annotated[Actor, Depends(POLICY.require("note.read"))],
) -> Page[NoteRead]:
    rows, cursor = await paginate(session, select(Note), Note, page)
    return Page(
        items=[NoteRead.model_validate(r, from_attributes=True) for r in rows], next_cursor=cursor
    )


@router.get("/notes/batch")
async def batch_notes(
    session: SessionDep,
    ids: BatchIds,
    _actor: Annotated[Actor, Depends(POLICY.require("note.read"))],
) -> list[NoteRead]:
    rows = (await session.exec(select(Note).where(col(Note.id).in_(ids)))).all()
    return [NoteRead.model_validate(r, from_attributes=True) for r in rows]


@router.get("/notes/slow-search")
async def slow_search(
    title: str,
    session: SessionDep,
    _actor: Annotated[Actor, Depends(POLICY.require("note.read"))],
) -> list[NoteRead]:
    """A statement the database cancels (its timeout), with a value from the request in it."""
    connection = await session.connection()
    await connection.execute(text("SET LOCAL statement_timeout = '20ms'"))
    await connection.execute(text("SELECT pg_sleep(1), CAST(:title AS text)"), {"title": title})
    return []


@router.get("/notes/{note_id}")
async def get_note(
    note_id: uuid.UUID,
    session: SessionDep,
    response: Response,
    _actor: Annotated[Actor, Depends(POLICY.require("note.read"))],
) -> NoteRead:
    note = await session.get(Note, note_id)
    if note is None:
        raise NotFound("No such note.")
    response.headers["ETag"] = etag(note.version)
    return NoteRead.model_validate(note, from_attributes=True)


@router.patch("/notes/{note_id}")
async def update_note(
    note_id: uuid.UUID,
    body: NoteUpdate,
    session: SessionDep,
    if_match: IfMatch,
    response: Response,
    actor: Annotated[Actor, Depends(POLICY.require("note.update"))],
) -> NoteRead:
    note = await session.get(Note, note_id)
    if note is None:
        raise NotFound("No such note.")
    owner = note.owner_id is not None and note.owner_id == actor.person_id
    POLICY.authorize(actor, "note.update", [Relation.OWNER] if owner else [])
    check_if_match(if_match, note.version)
    note.title = body.title
    note.version += 1
    session.add(note)
    await session.flush()
    response.headers["ETag"] = etag(note.version)
    return NoteRead.model_validate(note, from_attributes=True)


@router.get("/boom")
async def boom(_actor: Annotated[Actor, Depends(POLICY.require("note.read"))]) -> None:
    raise RuntimeError("an unexpected failure")


def create_toy_app(settings: ServiceSettings, database: Database) -> FastAPI:
    return create_service_app(
        AppParts(
            name="toy",
            settings=settings,
            directory=MemberDirectory(),
            catalogue=EventCatalogue("toy", [NOTE_CREATED]),
            routers=[router],
        ),
        database,
    )
