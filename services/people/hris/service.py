"""HRIS reconciliation: one code for webhooks and roster syncs. Each inbound change becomes
the directory's own changes (so its `person.*` / `team.*` events go out as for any edit), in
the caller's transaction; a change that waits for someone not there yet is held, never lost."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor, Role
from kit.db import notify_on_commit
from kit.errors import DomainError, NotFound
from kit.etag import etag
from kit.events import OUTBOX_CHANNEL
from kit.models import utcnow
from kit.pagination import Page, PageParams
from kit.policies import PolicyTable, Relation, Rule
from services.people import repository as directory
from services.people import service as people
from services.people.hris import repository
from services.people.hris.models import HrisEvent, HrisLink, HrisSync
from services.people.hris.schemas import (
    Action,
    Change,
    DeliveryAccepted,
    FieldChange,
    HrisEventRead,
    Inbound,
    PersonChange,
    PersonRecord,
    Refusal,
    RosterSync,
    SyncOutcome,
    SyncRead,
    SyncSummaryRead,
    SyncWarning,
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
Progress = Callable[[int, int], None]


class Waiting(Exception):
    """The change needs someone or something the directory does not have yet."""


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


async def _person_id(session: AsyncSession, source: str, external_id: str) -> uuid.UUID:
    person = await directory.person_by_external_id(session, source, external_id)
    if person is None:
        raise Waiting(f"person {external_id}")
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
            None if manager is None else await _person_id(session, source, manager)
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
            changes=[
                FieldChange(field=field, old=None, new=_plain(value))
                for field, value in values.items()
                if value is not None
            ],
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


async def _team_id(session: AsyncSession, source: str, external_id: str) -> uuid.UUID:
    found = await repository.link(session, source, "team", external_id)
    if found is None or await directory.get(session, Team, found.entity_id) is None:
        raise Waiting(f"team {external_id}")
    return found.entity_id


async def apply_team(
    session: AsyncSession, actor: Actor, source: str, given: Mapping[str, Any]
) -> PersonChange:
    external_id = given["external_id"]
    values = {field: given[field] for field in ("name", "kind") if field in given}
    if "parent_external_id" in given:
        parent = given["parent_external_id"]
        values["parent_id"] = None if parent is None else await _team_id(session, source, parent)
    if "lead_external_id" in given:
        lead = given["lead_external_id"]
        values["lead_id"] = None if lead is None else await _person_id(session, source, lead)
    found = await repository.link(session, source, "team", external_id)
    team = None if found is None else await directory.get(session, Team, found.entity_id)
    if team is None:
        if "name" not in values:
            raise Waiting(f"team {external_id} to be created with a name")
        created = await people.create_team(session, actor, TeamCreate.model_validate(values))
        await _remember(session, source, "team", external_id, created.id, values)
        return PersonChange(external_id=external_id, action=Action.CREATE, person_id=None)
    await people.update_team(
        session, actor, team.id, TeamUpdate.model_validate(values), etag(team.version)
    )
    await _remember(session, source, "team", external_id, team.id, values)
    return PersonChange(external_id=external_id, action=Action.UPDATE, person_id=None)


async def delete_team(
    session: AsyncSession, actor: Actor, source: str, external_id: str
) -> PersonChange:
    found = await repository.link(session, source, "team", external_id)
    if found is not None and await directory.get(session, Team, found.entity_id) is not None:
        await people.delete_team(session, actor, found.entity_id)
    await repository.forget(session, source, "team", external_id)
    return PersonChange(external_id=external_id, action=Action.DEACTIVATE, person_id=None)


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
) -> PersonChange:
    actor = integration_actor(event.integration)
    given = {**event.data, "external_id": event.external_id}
    if event.kind == Change.PERSON_UPSERT:
        return await apply_person(session, actor, settings, event.source, given)
    if event.kind == Change.PERSON_TERMINATE:
        return await terminate_person(session, actor, event.source, event.external_id)
    if event.kind == Change.TEAM_UPSERT:
        return await apply_team(session, actor, event.source, given)
    return await delete_team(session, actor, event.source, event.external_id)


async def _settle(
    session: AsyncSession, settings: HrisSettings, event: HrisEvent, now: datetime
) -> bool:
    """Apply one inbox change in a savepoint; whether it was applied (else held or failed)."""
    try:
        async with session.begin_nested():
            change = await _apply_inbound(session, settings, event)
    except Waiting as waiting:
        event.status, event.note = "held", f"waits for {waiting}"
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
        due = await repository.due_events(session, now)
        for event in due:
            applied += await _settle(session, settings, event, now)
        if len(due) == repository.BATCH:
            continue  # more are due; each pass leaves fewer pending
        if applied == before:
            break
        await repository.release_held(session)
    return applied, await repository.next_due(session, now)


# --- Roster sync -----------------------------------------------------------------------------


def _warning(
    row: int | None, external_id: str | None, exc: Exception, waiting: str = "incomplete_row"
) -> SyncWarning:
    if isinstance(exc, DomainError):
        field = exc.field.removeprefix("body.") if exc.field else None
        return SyncWarning(
            row=row, external_id=external_id, field=field, code=exc.code, message=exc.detail
        )
    return SyncWarning(
        row=row, external_id=external_id, field=None, code=waiting, message=f"Needs {exc}."
    )


def _read_rows(
    request: RosterSync,
) -> tuple[list[tuple[int, dict[str, Any]]], set[str], list[SyncWarning]]:
    """The valid rows (1-based position, fields given), every HRIS id named (a bad row's
    person is not deactivated for being bad), and a warning per bad field."""
    rows, named, warnings = [], set(), []
    for position, raw in enumerate(request.people, start=1):
        if not isinstance(raw, dict):
            warnings.append(
                SyncWarning(
                    row=position,
                    external_id=None,
                    field=None,
                    code="invalid_value",
                    message="A row is a JSON object.",
                )
            )
            continue
        external_id = raw.get("external_id")
        key = external_id.strip() if isinstance(external_id, str) else None
        try:
            record = PersonRecord.model_validate(raw)
        except ValidationError as exc:
            if key:
                named.add(key)
            for error in exc.errors(include_url=False, include_input=False):
                warnings.append(
                    SyncWarning(
                        row=position,
                        external_id=key,
                        field=".".join(str(part) for part in error["loc"]),
                        code="invalid_value",
                        message=error["msg"],
                    )
                )
            continue
        if record.external_id in named:
            warnings.append(
                SyncWarning(
                    row=position,
                    external_id=record.external_id,
                    field="external_id",
                    code="duplicate_external_id",
                    message="An earlier row has this id; this one is left out.",
                )
            )
            continue
        named.add(record.external_id)
        rows.append((position, record.model_dump(mode="json", exclude_unset=True)))
    return rows, named, warnings


async def _apply_rows(
    session: AsyncSession,
    actor: Actor,
    settings: HrisSettings,
    source: str,
    rows: Sequence[tuple[int, dict[str, Any]]],
    warnings: list[SyncWarning],
    progress: Progress | None,
) -> dict[str, PersonChange]:
    """People first, then managers (a manager may come later in the roster)."""
    done: dict[str, PersonChange] = {}
    for count, (position, given) in enumerate(rows, start=1):
        first = {key: value for key, value in given.items() if key != "manager_external_id"}
        try:
            async with session.begin_nested():
                done[given["external_id"]] = await apply_person(
                    session, actor, settings, source, first
                )
        except (DomainError, Waiting) as exc:
            warnings.append(_warning(position, given["external_id"], exc))
        if progress is not None:
            progress(count, len(rows))
    for position, given in rows:
        external_id = given["external_id"]
        if "manager_external_id" not in given or external_id not in done:
            continue
        manager = {"external_id": external_id, "manager_external_id": given["manager_external_id"]}
        try:
            async with session.begin_nested():
                change = await apply_person(session, actor, settings, source, manager)
        except (DomainError, Waiting) as exc:
            warning = _warning(position, external_id, exc, waiting="unknown_manager")
            warnings.append(warning.model_copy(update={"field": "manager_external_id"}))
            continue
        row = done[external_id]
        row.changes += change.changes
        if change.changes and row.action == Action.UNCHANGED:
            row.action = Action.UPDATE
    return done


def _refusals(
    settings: HrisSettings, active_before: int, known_before: int, changes: Sequence[PersonChange]
) -> list[Refusal]:
    refusals = []
    deactivated = sum(1 for change in changes if change.action == Action.DEACTIVATE)
    emails = sum(
        1
        for change in changes
        if change.action != Action.CREATE
        for item in change.changes
        if item.field == "email"
    )
    if active_before and deactivated / active_before > settings.max_deactivated_share:
        refusals.append(
            Refusal(
                code="too_many_deactivations",
                message=f"{deactivated} of {active_before} active people would be deactivated.",
                share=round(deactivated / active_before, 4),
                limit=settings.max_deactivated_share,
            )
        )
    if known_before and emails / known_before > settings.max_email_changed_share:
        refusals.append(
            Refusal(
                code="too_many_email_changes",
                message=f"{emails} of {known_before} people would change email.",
                share=round(emails / known_before, 4),
                limit=settings.max_email_changed_share,
            )
        )
    return refusals


async def sync_roster(
    session: AsyncSession,
    actor: Actor,
    settings: HrisSettings,
    request: RosterSync,
    progress: Progress | None = None,
) -> SyncRead:
    """Compare the roster with the directory by applying it in a savepoint: a dry run (or a
    refused sync) rolls it back, an accepted one keeps it. Either way a report is kept."""
    POLICY.authorize(actor, "hris.sync")
    # One sync of a source at a time: two would each judge the guards on a directory the
    # other is changing.
    await directory.lock_hierarchy(session, f"hris.sync.{request.source}")
    rows, named, warnings = _read_rows(request)
    known = await repository.people_of_source(session, request.source)
    active = [person for person in known if person.status == PersonStatus.ACTIVE]
    absent = [person for person in active if person.external_id not in named]
    trial = await session.begin_nested()
    done = await _apply_rows(session, actor, settings, request.source, rows, warnings, progress)
    changes = list(done.values())
    for person in absent:
        external_id = person.external_id or ""
        try:
            async with session.begin_nested():
                changes.append(await terminate_person(session, actor, request.source, external_id))
        except DomainError as exc:
            warnings.append(_warning(None, external_id, exc))
    refusals = _refusals(settings, len(active), len(known), changes)
    if request.apply and (not refusals or request.force):
        await trial.commit()
        outcome = SyncOutcome.APPLIED
    else:
        await trial.rollback()
        outcome = SyncOutcome.REFUSED if request.apply else SyncOutcome.DRY_RUN
    counts = {action.value: 0 for action in Action}
    for change in changes:
        counts[change.action.value] += 1
    counts["warnings"] = len(warnings)
    report = HrisSync(
        source=request.source,
        requested_by_person_id=actor.person_id,
        requested_by_integration=None if actor.is_person else actor.subject,
        outcome=outcome.value,
        forced=request.force and bool(refusals) and outcome == SyncOutcome.APPLIED,
        refusals=[refusal.model_dump(mode="json") for refusal in refusals],
        counts=counts,
        changes=[change.model_dump(mode="json") for change in changes],
        warnings=[warning.model_dump(mode="json") for warning in warnings],
    )
    session.add(report)
    await session.flush()
    return SyncRead.model_validate(report, from_attributes=True)


async def list_syncs(
    session: AsyncSession, actor: Actor, params: PageParams, source: str | None
) -> Page[SyncSummaryRead]:
    rows, cursor = await repository.list_syncs(session, params, source)
    return Page(
        items=[SyncSummaryRead.model_validate(row, from_attributes=True) for row in rows],
        next_cursor=cursor,
    )


async def get_sync(session: AsyncSession, actor: Actor, sync_id: uuid.UUID) -> SyncRead:
    report = await repository.get_sync(session, sync_id)
    if report is None:
        raise NotFound("No sync has this id.", code="sync_not_found")
    return SyncRead.model_validate(report, from_attributes=True)
