"""The directory as authorization needs it, copied into each service's own database: people
(manager, teams, active, HR admin), teams (parent, lead) and memberships. Fed by the people
service's event feed; bootstrapped from its snapshot on first start. Services decide
manager, chain and team-lead rights from this copy alone, never by calling the directory.

When an event of the directory cannot be applied (it is parked, see `kit.consumer`), the copy
fails closed: the person or team it is about grants nobody anything until it is replayed, and
their later events wait behind it (`OrgHolds`)."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import httpx
import sqlalchemy
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict
from sqlalchemy import CTE, Column, ColumnElement, DateTime, Index, Select, bindparam, text, update
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel, col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import EMAIL_KEY_SQL, Actor, Identity, email_key, email_key_of, mint_service_token
from kit.consumer import (
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_RETRY_DELAY_SECONDS,
    DEFAULT_WAIT_SECONDS,
    ConsumerOffset,
    FeedConsumer,
    Handler,
)
from kit.db import Database
from kit.events import FeedEvent
from kit.models import utcnow
from kit.observability import client_hooks
from kit.policies import Relation
from kit.repository import walk
from kit.settings import AuthSettings

logger = logging.getLogger("inspire.orgcopy")

CONSUMER_NAME = "org-copy"
FEED = "people"
SNAPSHOT_PATH = "/internal/directory-snapshot"
# Far deeper than any real hierarchy; stops a corrupt copy from looping.
_MAX_DEPTH = 64


class OrgModel(SQLModel, registry=registry()):
    """Tables of the org copy, kept by every service that authorizes by the org structure."""


class OrgPerson(OrgModel, table=True):
    __tablename__ = "org_person"
    # kit.auth.email_key: ASCII letters without case, everything else as written.
    __table_args__ = (Index("org_person_email_ascii_key", text(EMAIL_KEY_SQL), unique=True),)

    id: uuid.UUID = Field(primary_key=True)
    email: str
    employee_number: str | None = Field(default=None, index=True)
    external_id: str | None = Field(default=None, index=True)
    name: str
    # No foreign key: the copy follows the directory, it does not police it.
    manager_id: uuid.UUID | None = Field(default=None, index=True)
    active: bool
    is_hr_admin: bool
    time_zone: str = "UTC"
    # The language the person reads in, a tag such as `sv` or `en-GB`.
    locale: str = Field(default="en", max_length=35, sa_column_kwargs={"server_default": "en"})
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class OrgTeam(OrgModel, table=True):
    __tablename__ = "org_team"

    id: uuid.UUID = Field(primary_key=True)
    name: str
    kind: str
    parent_id: uuid.UUID | None = Field(default=None, index=True)
    lead_id: uuid.UUID | None = Field(default=None, index=True)


class OrgMembership(OrgModel, table=True):
    __tablename__ = "org_membership"

    team_id: uuid.UUID = Field(primary_key=True)
    person_id: uuid.UUID = Field(primary_key=True, index=True)


class OrgHeld(OrgModel, table=True):
    """A person or team closed while one of its events is parked, with the values closing it
    replaced, put back just before its parked events are replayed."""

    __tablename__ = "org_held"

    entity: str = Field(primary_key=True, max_length=200)
    # None when the copy had no row for it yet (its `*.created` event is the parked one).
    saved: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB, nullable=True))
    held_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


ORG_METADATA = OrgModel.metadata


class _Tolerant(BaseModel):
    """Reads what the org copy needs from the directory's payloads, ignoring the rest."""

    model_config = ConfigDict(extra="ignore")


class PersonState(_Tolerant):
    id: uuid.UUID
    email: str
    employee_number: str | None = None
    external_id: str | None = None
    name: str
    manager_id: uuid.UUID | None = None
    team_ids: list[uuid.UUID] = []
    status: str
    access_role: str
    time_zone: str = "UTC"
    locale: str = "en"


class TeamState(_Tolerant):
    id: uuid.UUID
    name: str
    kind: str
    parent_id: uuid.UUID | None = None
    lead_id: uuid.UUID | None = None


class MembershipState(_Tolerant):
    team_id: uuid.UUID
    person_id: uuid.UUID


class DirectorySnapshot(_Tolerant):
    """The whole directory as of feed `position`: apply it, then follow the feed after it."""

    position: int
    people: list[PersonState]
    teams: list[TeamState]
    memberships: list[MembershipState]


# --- Applying the directory's state ----------------------------------------------------------


async def upsert_person(session: AsyncSession, person: PersonState) -> None:
    values: dict[str, Any] = {
        "id": person.id,
        "email": person.email,
        "employee_number": person.employee_number,
        "external_id": person.external_id,
        "name": person.name,
        "manager_id": person.manager_id,
        "active": person.status == "active",
        "is_hr_admin": person.access_role == "hr_admin",
        "time_zone": person.time_zone,
        "locale": person.locale,
        "updated_at": utcnow(),
    }
    statement = insert(OrgPerson).values(**values)
    await session.exec(
        statement.on_conflict_do_update(
            index_elements=[col(OrgPerson.id)],
            set_={k: statement.excluded[k] for k in values if k != "id"},
        )
    )
    await session.exec(delete(OrgMembership).where(col(OrgMembership.person_id) == person.id))
    for team_id in person.team_ids:
        await add_membership(session, MembershipState(team_id=team_id, person_id=person.id))


async def upsert_team(session: AsyncSession, team: TeamState) -> None:
    values = team.model_dump()
    statement = insert(OrgTeam).values(**values)
    await session.exec(
        statement.on_conflict_do_update(
            index_elements=[col(OrgTeam.id)],
            set_={k: statement.excluded[k] for k in values if k != "id"},
        )
    )


async def add_membership(session: AsyncSession, membership: MembershipState) -> None:
    await session.exec(
        insert(OrgMembership).values(**membership.model_dump()).on_conflict_do_nothing()
    )


async def _on_person(session: AsyncSession, event: FeedEvent) -> None:
    await upsert_person(session, PersonState.model_validate(event.payload))


async def _on_team(session: AsyncSession, event: FeedEvent) -> None:
    await upsert_team(session, TeamState.model_validate(event.payload))


async def _on_team_deleted(session: AsyncSession, event: FeedEvent) -> None:
    team = TeamState.model_validate(event.payload)
    await session.exec(delete(OrgMembership).where(col(OrgMembership.team_id) == team.id))
    await session.exec(delete(OrgTeam).where(col(OrgTeam.id) == team.id))


async def _on_member_added(session: AsyncSession, event: FeedEvent) -> None:
    await add_membership(session, MembershipState.model_validate(event.payload))


async def _on_member_removed(session: AsyncSession, event: FeedEvent) -> None:
    membership = MembershipState.model_validate(event.payload)
    await session.exec(
        delete(OrgMembership).where(
            col(OrgMembership.team_id) == membership.team_id,
            col(OrgMembership.person_id) == membership.person_id,
        )
    )


# `person.manager_changed` needs no handler: `person.updated` carries the whole person.
HANDLERS: Mapping[str, Handler] = {
    "person.created": _on_person,
    "person.updated": _on_person,
    "person.deactivated": _on_person,
    "person.reactivated": _on_person,
    "team.created": _on_team,
    "team.updated": _on_team,
    "team.deleted": _on_team_deleted,
    "team.member_added": _on_member_added,
    "team.member_removed": _on_member_removed,
}


# --- Failing closed while an event is parked --------------------------------------------------


class OrgHolds:
    """Events are kept in order per person and per team (membership events count as the
    person's: `person.*` events carry the person's teams too). While one is parked:

    - a person is inactive (cannot sign in), no HR admin, has no manager and is in no team:
      nobody gains a right through them, neither a manager they are moving away from nor
      themselves (e.g. a parked demotion, deactivation or removal from a team);
    - a team has no lead and no parent: no lead gains a right through it.

    Replaying puts the replaced values back, then applies the events in order."""

    def entity_of(self, event: FeedEvent) -> str | None:
        payload = event.payload
        if event.type.startswith("team.member_"):
            kind, key = "person", "person_id"
        elif event.type.startswith("team."):
            kind, key = "team", "id"
        elif event.type.startswith("person."):
            # `person.manager_changed` names the person `person_id`, the others `id`.
            kind, key = "person", "person_id" if "person_id" in payload else "id"
        else:
            return None
        try:
            return f"{kind}:{uuid.UUID(str(payload[key]))}"
        except (KeyError, ValueError):
            return None  # unreadable: nothing tells whose it is

    async def hold(self, session: AsyncSession, entity: str) -> None:
        if await session.get(OrgHeld, entity) is not None:
            return
        kind, raw_id = entity.split(":", 1)
        entity_id = uuid.UUID(raw_id)
        saved: dict[str, Any] | None = None
        if kind == "person" and (person := await session.get(OrgPerson, entity_id)):
            saved = {
                "active": person.active,
                "is_hr_admin": person.is_hr_admin,
                "manager_id": None if person.manager_id is None else str(person.manager_id),
                "team_ids": [str(team_id) for team_id in await team_ids_of(session, entity_id)],
            }
            await session.exec(
                update(OrgPerson)
                .where(col(OrgPerson.id) == entity_id)
                .values(active=False, is_hr_admin=False, manager_id=None, updated_at=utcnow())
            )
            await session.exec(
                delete(OrgMembership).where(col(OrgMembership.person_id) == entity_id)
            )
        elif kind == "team" and (team := await session.get(OrgTeam, entity_id)):
            saved = {
                "lead_id": None if team.lead_id is None else str(team.lead_id),
                "parent_id": None if team.parent_id is None else str(team.parent_id),
            }
            await session.exec(
                update(OrgTeam)
                .where(col(OrgTeam.id) == entity_id)
                .values(lead_id=None, parent_id=None)
            )
        session.add(OrgHeld(entity=entity, saved=saved))
        await session.flush()
        logger.error("org copy closed while an event is parked", extra={"entity": entity})

    async def release(self, session: AsyncSession, entity: str) -> None:
        held = await session.get(OrgHeld, entity)
        if held is None:
            return
        kind, raw_id = entity.split(":", 1)
        entity_id = uuid.UUID(raw_id)
        saved = held.saved
        if saved is not None and kind == "person":
            manager_id = saved["manager_id"]
            await session.exec(
                update(OrgPerson)
                .where(col(OrgPerson.id) == entity_id)
                .values(
                    active=saved["active"],
                    is_hr_admin=saved["is_hr_admin"],
                    manager_id=None if manager_id is None else uuid.UUID(manager_id),
                )
            )
            for team_id in saved["team_ids"]:
                await add_membership(
                    session, MembershipState(team_id=uuid.UUID(team_id), person_id=entity_id)
                )
        elif saved is not None and kind == "team":
            lead_id, parent_id = saved["lead_id"], saved["parent_id"]
            await session.exec(
                update(OrgTeam)
                .where(col(OrgTeam.id) == entity_id)
                .values(
                    lead_id=None if lead_id is None else uuid.UUID(lead_id),
                    parent_id=None if parent_id is None else uuid.UUID(parent_id),
                )
            )
        await session.delete(held)
        await session.flush()


class OrgCopy:
    """Keeps a service's org copy: `bootstrap()` once, then `consumer.run()`."""

    def __init__(
        self,
        *,
        service: str,
        database: Database,
        client: httpx.AsyncClient,
        auth: AuthSettings,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        retry_delay: float = DEFAULT_RETRY_DELAY_SECONDS,
    ) -> None:
        self.service = service
        self.database = database
        self.client = client
        self.auth = auth
        self.consumer = FeedConsumer(
            name=CONSUMER_NAME,
            service=service,
            feed=FEED,
            database=database,
            client=client,
            auth=auth,
            handlers=HANDLERS,
            max_attempts=max_attempts,
            retry_delay=retry_delay,
            holds=OrgHolds(),
        )

    async def fetch_snapshot(self) -> DirectorySnapshot:
        response = await self.client.get(
            SNAPSHOT_PATH,
            headers={"Authorization": f"Bearer {mint_service_token(self.auth, self.service)}"},
            timeout=60.0,
        )
        response.raise_for_status()
        return DirectorySnapshot.model_validate_json(response.content)

    async def bootstrap(self) -> bool:
        """On first start, load the directory's snapshot; False when the copy already follows
        the feed (its offset row exists). Replicas starting together serialise on that row."""
        async with self.database.sessionmaker() as session:
            if await session.get(ConsumerOffset, CONSUMER_NAME) is not None:
                return False
        snapshot = await self.fetch_snapshot()
        async with self.database.sessionmaker() as session:
            claimed = await session.scalar(
                insert(ConsumerOffset)
                .values(consumer=CONSUMER_NAME, position=snapshot.position, updated_at=utcnow())
                .on_conflict_do_nothing()
                .returning(col(ConsumerOffset.consumer))
            )
            if claimed is None:
                return False
            for team in snapshot.teams:
                await upsert_team(session, team)
            for person in snapshot.people:
                await upsert_person(session, person)
            for membership in snapshot.memberships:
                await add_membership(session, membership)
            await session.commit()
        logger.info("org copy bootstrapped", extra={"position": snapshot.position})
        return True

    async def run(self, stop: asyncio.Event, wait: float = DEFAULT_WAIT_SECONDS) -> None:
        delay = 0.5
        while not stop.is_set():
            try:
                await self.bootstrap()
                break
            except (httpx.HTTPError, OSError) as exc:
                logger.warning("directory unreachable; retrying", extra={"error": str(exc)})
                try:
                    await asyncio.wait_for(stop.wait(), timeout=delay)
                except TimeoutError:
                    pass
                delay = min(delay * 2, 30.0)
        await self.consumer.run(stop, wait=wait)


async def keep_org_copy(app: FastAPI, stop: asyncio.Event) -> None:
    """An `AppParts` worker: follows the people feed for as long as the app runs."""
    settings = app.state.settings
    async with httpx.AsyncClient(
        base_url=settings.urls.people_url, event_hooks=client_hooks()
    ) as client:
        org = OrgCopy(
            service=app.state.name,
            database=app.state.database,
            client=client,
            auth=settings.auth,
            max_attempts=settings.consumer_max_attempts,
            retry_delay=settings.consumer_retry_delay_seconds,
        )
        await org.run(stop)


# --- Reading it --------------------------------------------------------------------------------


def _identity_lookup(condition: ColumnElement[bool]) -> Select[uuid.UUID, bool, bool]:
    # At most two rows: enough to tell a match from an ambiguity.
    columns = col(OrgPerson.id), col(OrgPerson.active), col(OrgPerson.is_hr_admin)
    return sqlalchemy.select(*columns).where(condition).limit(2)


# Built once: on every request, so neither the statement nor its cache key is made anew (the
# ORM row and the expression built per call cost more than the look-up itself).
_IDENTITY_BY_CLAIM = {
    "email": _identity_lookup(email_key_of(col(OrgPerson.email)) == bindparam("value")),
    "employee_number": _identity_lookup(col(OrgPerson.employee_number) == bindparam("value")),
}
_IDENTITY_BY_EXTERNAL_ID = _identity_lookup(col(OrgPerson.external_id) == bindparam("value"))


class OrgDirectory:
    """`kit.auth.Directory` over the org copy."""

    async def find_identity(self, session: AsyncSession, claim: str, value: str) -> Identity | None:
        """One Core statement, three columns; any claim besides `email` and
        `employee_number` names the HRIS id (`sub`)."""
        statement = _IDENTITY_BY_CLAIM.get(claim, _IDENTITY_BY_EXTERNAL_ID)
        if claim == "email":
            value = email_key(value)
        connection = await session.connection()
        matches = (await connection.execute(statement, {"value": value})).all()
        if len(matches) != 1:
            return None
        person_id, active, is_hr_admin = matches[0]
        return Identity(person_id=person_id, active=active, is_hr_admin=is_hr_admin)


_TEAM_LINE = text(
    """
    WITH RECURSIVE line(id, lead_id, depth) AS (
        SELECT id, lead_id, 1 FROM org_team WHERE id = :team_id
        UNION ALL
        SELECT t.id, t.lead_id, l.depth + 1 FROM org_team t
        JOIN org_team child ON child.parent_id = t.id JOIN line l ON child.id = l.id
        WHERE l.depth < :max_depth
    )
    SELECT lead_id FROM line WHERE lead_id IS NOT NULL
    """
)


def below(manager_id: uuid.UUID) -> CTE:
    """Everyone who reports to `manager_id`, directly or through others, as a CTE of
    `(id, depth)`: the services put it in the statements that decide what a manager sees."""
    return walk(
        "below",
        col(OrgPerson.id),
        col(OrgPerson.manager_id),
        col(OrgPerson.manager_id) == manager_id,
        _MAX_DEPTH,
    )


async def management_chain(session: AsyncSession, person_id: uuid.UUID) -> list[uuid.UUID]:
    """The person's manager, their manager, and so on upwards."""
    chain = walk(
        "chain",
        col(OrgPerson.manager_id),
        col(OrgPerson.id),
        col(OrgPerson.id) == person_id,
        _MAX_DEPTH,
    )
    connection = await session.connection()
    rows = await connection.execute(
        select(chain.c.id).where(chain.c.id.is_not(None)).order_by(chain.c.depth)
    )
    return [row[0] for row in rows]


async def relations_to_person(
    session: AsyncSession, actor: Actor, person_id: uuid.UUID
) -> set[Relation]:
    """OWNER (themselves), MANAGER (direct) and MANAGEMENT_CHAIN (anyone above)."""
    if actor.person_id is None:
        return set()
    relations = {Relation.OWNER} if actor.person_id == person_id else set()
    chain = await management_chain(session, person_id)
    if chain and chain[0] == actor.person_id:
        relations.add(Relation.MANAGER)
    if actor.person_id in chain:
        relations.add(Relation.MANAGEMENT_CHAIN)
    return relations


async def relations_to_team(
    session: AsyncSession, actor: Actor, team_id: uuid.UUID
) -> set[Relation]:
    """TEAM_LEAD (of the team or a team above it) and PARTICIPANT (a member)."""
    if actor.person_id is None:
        return set()
    connection = await session.connection()
    leads = {
        row[0]
        for row in await connection.execute(
            _TEAM_LINE, {"team_id": team_id, "max_depth": _MAX_DEPTH}
        )
    }
    relations = {Relation.TEAM_LEAD} if actor.person_id in leads else set()
    member = await session.get(OrgMembership, (team_id, actor.person_id))
    if member is not None:
        relations.add(Relation.PARTICIPANT)
    return relations


async def people_by_ids(session: AsyncSession, ids: Iterable[uuid.UUID]) -> list[OrgPerson]:
    return list(
        (await session.exec(select(OrgPerson).where(col(OrgPerson.id).in_(list(ids))))).all()
    )


async def team_ids_of(session: AsyncSession, person_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await session.exec(
        select(OrgMembership.team_id).where(col(OrgMembership.person_id) == person_id)
    )
    return list(rows.all())
