"""HRIS reconciliation: one code for webhooks and roster syncs. Each inbound change becomes
the directory's own changes (so its `person.*` / `team.*` events go out as for any edit), in
the caller's transaction; a change that waits for someone not there yet is held, never lost."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor, Role
from kit.db import notify_on_commit
from kit.errors import DomainError
from kit.etag import etag
from kit.events import OUTBOX_CHANNEL
from kit.models import utcnow
from kit.pagination import Page, PageParams
from kit.policies import PolicyTable, Relation, Rule
from services.people import repository as directory
from services.people import service as people
from services.people.hris import repository
from services.people.hris.models import HrisEvent, HrisLink
from services.people.hris.schemas import (
    Action,
    Change,
    DeliveryAccepted,
    FieldChange,
    HrisEventRead,
    Inbound,
    PersonChange,
    TeamAction,
    TeamChange,
)
from services.people.hris.settings import HrisSettings, Owner
from services.people.models import Team
from services.people.schemas import PersonCreate, PersonStatus, PersonUpdate, TeamCreate, TeamUpdate

# HR admins and integrations that may write people run syncs and read their reports. A
# delivery to the inbox is authorized by its signature (see routes).
_HR = Rule.of(Relation.HR_ADMIN, Relation.INTEGRATION, scope="people:write")
POLICY = PolicyTable(
    {
        "hris.deliver": Rule.of(Relation.INTEGRATION),
        "hris.sync": _HR,
        "hris.read_syncs": _HR,
        "hris.read_events": _HR,
    }
)

_PERSON_FIELDS = ("email", "name", "title", "employee_number", "locale", "time_zone")


class Waiting(Exception):
    """The change needs someone or something the directory does not have yet; `field` is the
    field of the change that names them, when one does."""

    def __init__(self, what: str, field: str | None = None) -> None:
        super().__init__(what)
        self.field = field


def integration_actor(name: str) -> Actor:
    """Who the directory records as making an integration's changes."""
    return Actor(role=Role.INTEGRATION, subject=name, scopes=frozenset({"people:write"}))


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, uuid.UUID) else value


async def _remember(
    session: AsyncSession,
    source: str,
    kind: str,
    external_id: str,
    entity_id: uuid.UUID,
    values: Mapping[str, Any],
) -> None:
    found = await repository.link(session, source, kind, external_id)
    seen = {key: _plain(value) for key, value in values.items()}
    if found is None:
        session.add(
            HrisLink(
                source=source, kind=kind, external_id=external_id, entity_id=entity_id, seen=seen
            )
        )
    else:
        found.entity_id = entity_id
        found.seen = {**found.seen, **seen}
        session.add(found)
    await session.flush()


def _given_values(values: Mapping[str, Any]) -> list[FieldChange]:
    """The changes of a creation: each value given, from nothing."""
    return [
        FieldChange(field=field, old=None, new=_plain(value))
        for field, value in values.items()
        if value is not None
    ]


async def _person_id(
    session: AsyncSession, source: str, external_id: str, field: str | None = None
) -> uuid.UUID:
    person = await directory.person_by_external_id(session, source, external_id)
    if person is None:
        raise Waiting(f"person {external_id}", field)
    return person.id


# --- People ----------------------------------------------------------------------------------


async def apply_person(
    session: AsyncSession,
    actor: Actor,
    settings: HrisSettings,
    source: str,
    given: Mapping[str, Any],
) -> PersonChange:
    """Make the directory say what the HRIS says of one person (`given`: the fields it sent).
    A known HRIS id is the same person: a rehire reactivates them, history kept."""
    external_id = given["external_id"]
    values = {field: given[field] for field in _PERSON_FIELDS if field in given}
    if "manager_external_id" in given:
        manager = given["manager_external_id"]
        values["manager_id"] = (
            None
            if manager is None
            else await _person_id(session, source, manager, "manager_external_id")
        )
    status = given.get("status")
    person = await directory.person_by_external_id(session, source, external_id)
    if person is None:
        if status == PersonStatus.INACTIVE:
            return PersonChange(external_id=external_id, action=Action.UNCHANGED, person_id=None)
        if "email" not in values or "name" not in values:
            raise Waiting(f"person {external_id} to be created with an email and a name")
        created = await people.create_person(
            session,
            actor,
            PersonCreate.model_validate({**values, "source": source, "external_id": external_id}),
        )
        await _remember(session, source, "person", external_id, created.id, values)
        return PersonChange(
            external_id=external_id,
            action=Action.CREATE,
            person_id=created.id,
            changes=_given_values(values),
        )
    found = await repository.link(session, source, "person", external_id)
    seen = found.seen if found is not None else {}
    patch: dict[str, Any] = {}
    changes = []
    for field, new in values.items():
        old = getattr(person, field)
        if settings.owner(field) != Owner.HRIS or old == new:
            continue
        patch[field] = new
        changes.append(
            FieldChange(
                field=field,
                old=_plain(old),
                new=_plain(new),
                overwrites_local_edit=field in seen and seen[field] != _plain(old),
            )
        )
    action = Action.UPDATE if patch else Action.UNCHANGED
    if status == PersonStatus.ACTIVE and person.status == PersonStatus.INACTIVE:
        await people.reactivate_person(session, actor, person.id)
        action = Action.REACTIVATE
    if patch:
        await people.update_person(
            session, actor, person.id, PersonUpdate.model_validate(patch), etag(person.version)
        )
    if status == PersonStatus.INACTIVE and person.status == PersonStatus.ACTIVE:
        await people.deactivate_person(session, actor, person.id)
        action = Action.DEACTIVATE
    owned = {field: value for field, value in values.items() if settings.owner(field) == Owner.HRIS}
    await _remember(session, source, "person", external_id, person.id, owned)
    return PersonChange(
        external_id=external_id, action=action, person_id=person.id, changes=changes
    )


async def terminate_person(
    session: AsyncSession, actor: Actor, source: str, external_id: str
) -> PersonChange:
    person = await directory.person_by_external_id(session, source, external_id)
    if person is None:
        raise Waiting(f"person {external_id}")
    if person.status == PersonStatus.INACTIVE:
        return PersonChange(external_id=external_id, action=Action.UNCHANGED, person_id=person.id)
    await people.deactivate_person(session, actor, person.id)
    return PersonChange(external_id=external_id, action=Action.DEACTIVATE, person_id=person.id)


# --- Teams -----------------------------------------------------------------------------------


async def team_id_of(
    session: AsyncSession, source: str, external_id: str, field: str | None = None
) -> uuid.UUID:
    """The id of the source's team with this HRIS id; `Waiting` while there is none."""
    found = await repository.link(session, source, "team", external_id)
    if found is None or await directory.get(session, Team, found.entity_id) is None:
        raise Waiting(f"team {external_id}", field)
    return found.entity_id


async def apply_team(
    session: AsyncSession, actor: Actor, source: str, given: Mapping[str, Any]
) -> TeamChange:
    """Make the directory say what the HRIS says of one team (`given`: the fields it sent)."""
    external_id = given["external_id"]
    values = {field: given[field] for field in ("name", "kind") if field in given}
    if "parent_external_id" in given:
        parent = given["parent_external_id"]
        values["parent_id"] = (
            None
            if parent is None
            else await team_id_of(session, source, parent, "parent_external_id")
        )
    if "lead_external_id" in given:
        lead = given["lead_external_id"]
        values["lead_id"] = (
            None if lead is None else await _person_id(session, source, lead, "lead_external_id")
        )
    found = await repository.link(session, source, "team", external_id)
    team = None if found is None else await directory.get(session, Team, found.entity_id)
    if team is None:
        if "name" not in values:
            raise Waiting(f"team {external_id} to be created with a name", "name")
        created = await people.create_team(session, actor, TeamCreate.model_validate(values))
        await _remember(session, source, "team", external_id, created.id, values)
        return TeamChange(
            external_id=external_id,
            action=TeamAction.CREATE,
            team_id=created.id,
            changes=_given_values(values),
        )
    patch = {field: new for field, new in values.items() if getattr(team, field) != new}
    changes = [
        FieldChange(field=field, old=_plain(getattr(team, field)), new=_plain(new))
        for field, new in patch.items()
    ]
    if patch:
        await people.update_team(
            session, actor, team.id, TeamUpdate.model_validate(patch), etag(team.version)
        )
    await _remember(session, source, "team", external_id, team.id, values)
    action = TeamAction.UPDATE if patch else TeamAction.UNCHANGED
    return TeamChange(external_id=external_id, action=action, team_id=team.id, changes=changes)


async def delete_team(
    session: AsyncSession, actor: Actor, source: str, external_id: str
) -> TeamChange:
    found = await repository.link(session, source, "team", external_id)
    team_id = None if found is None else found.entity_id
    action = TeamAction.UNCHANGED
    if team_id is not None and await directory.get(session, Team, team_id) is not None:
        await people.delete_team(session, actor, team_id)
        action = TeamAction.DELETE
    await repository.forget(session, source, "team", external_id)
    return TeamChange(external_id=external_id, action=action, team_id=team_id)


# --- The inbox -------------------------------------------------------------------------------


async def accept_delivery(
    session: AsyncSession,
    integration: str,
    source: str,
    webhook_id: str,
    changes: Sequence[Inbound],
) -> DeliveryAccepted:
    """Keep the delivery's changes in the inbox, once per webhook id; the worker applies them."""
    rows = [
        {
            "id": uuid.uuid4(),
            "integration": integration,
            "webhook_id": webhook_id,
            "seq": seq,
            "source": source,
            "kind": change.change.value,
            "external_id": change.external_id,
            "data": change.data,
            "effective_at": change.effective_at,
            "status": "pending",
            "created_at": utcnow(),
        }
        for seq, change in enumerate(changes)
    ]
    accepted = await repository.insert_events(session, rows)
    if accepted:
        # Wakes the reconciling worker of every replica, as commits wake the relay.
        await notify_on_commit(session, OUTBOX_CHANNEL)
    return DeliveryAccepted(accepted=accepted, duplicate=accepted == 0)


async def list_events(
    session: AsyncSession, actor: Actor, params: PageParams, status: str | None
) -> Page[HrisEventRead]:
    rows, cursor = await repository.list_events(session, params, status)
    return Page(
        items=[HrisEventRead.model_validate(row, from_attributes=True) for row in rows],
        next_cursor=cursor,
    )


async def _apply_inbound(
    session: AsyncSession, settings: HrisSettings, event: HrisEvent
) -> PersonChange | TeamChange:
    actor = integration_actor(event.integration)
    given = {**event.data, "external_id": event.external_id}
    if event.kind == Change.PERSON_UPSERT:
        return await apply_person(session, actor, settings, event.source, given)
    if event.kind == Change.PERSON_TERMINATE:
        return await terminate_person(session, actor, event.source, event.external_id)
    if event.kind == Change.TEAM_UPSERT:
        return await apply_team(session, actor, event.source, given)
    return await delete_team(session, actor, event.source, event.external_id)


Entity = tuple[str, str, str]


def _entity(source: str, kind: str, external_id: str) -> Entity:
    """Whom a change is about: `(source, "person" or "team", external_id)`."""
    return source, kind.partition(".")[0], external_id


async def _settle(
    session: AsyncSession,
    settings: HrisSettings,
    event: HrisEvent,
    now: datetime,
    blocked: set[Entity],
) -> bool:
    """Apply one inbox change in a savepoint; whether it was applied (else held or failed).
    Behind a held change of the same person or team it is held too: applied before it, it
    would be undone by it."""
    entity = _entity(event.source, event.kind, event.external_id)
    try:
        if entity in blocked:
            raise Waiting(f"an earlier change of {entity[1]} {event.external_id}")
        async with session.begin_nested():
            change = await _apply_inbound(session, settings, event)
    except Waiting as waiting:
        event.status, event.note = "held", f"waits for {waiting}"
        blocked.add(entity)
    except (DomainError, ValidationError) as exc:
        code = exc.code if isinstance(exc, DomainError) else "invalid_payload"
        event.status, event.note = "failed", f"{code}: {exc}"[:500]
    else:
        event.status, event.note, event.applied_at = "applied", None, now
        event.changes = [item.model_dump(mode="json") for item in change.changes]
    session.add(event)
    await session.flush()
    return event.status == "applied"


async def reconcile(
    session: AsyncSession, settings: HrisSettings, now: datetime
) -> tuple[int, datetime | None]:
    """Apply every pending change whose date has come; after each pass that applied some, try
    the held ones again (their manager may have arrived). How many were applied, and when the
    next dated change is due."""
    applied = 0
    while True:
        before = applied
        blocked = {_entity(*held) for held in await repository.held(session)}
        due = await repository.due_events(session, now)
        for event in due:
            applied += await _settle(session, settings, event, now, blocked)
        if len(due) == repository.BATCH:
            continue  # more are due; each pass leaves fewer pending
        if applied == before:
            break
        await repository.release_held(session)
    return applied, await repository.next_due(session, now)
