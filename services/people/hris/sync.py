"""Roster syncs: the whole roster of a source compared with the directory by applying it in a
savepoint, kept when applied and within the guards, rolled back otherwise; a report either way."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor
from kit.errors import DomainError, NotFound
from kit.pagination import Page, PageParams
from services.people import repository as directory
from services.people.hris import repository
from services.people.hris.models import HrisSync
from services.people.hris.schemas import (
    Action,
    PersonChange,
    PersonRecord,
    Refusal,
    RefusalCode,
    RosterSync,
    SyncOutcome,
    SyncRead,
    SyncSummaryRead,
    SyncWarning,
)
from services.people.hris.service import POLICY, Waiting, apply_person, terminate_person
from services.people.hris.settings import HrisSettings
from services.people.schemas import PersonStatus

Progress = Callable[[int, int], None]


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


def _over(code: RefusalCode, count: int, total: int, limit: float, what: str) -> list[Refusal]:
    """A refusal when `count` of `total` is a larger share than `limit`."""
    if not total or count / total <= limit:
        return []
    message = f"{count} of {total} {what}."
    return [Refusal(code=code, message=message, share=round(count / total, 4), limit=limit)]


def _refusals(
    settings: HrisSettings, active_before: int, known_before: int, changes: Sequence[PersonChange]
) -> list[Refusal]:
    deactivated = sum(1 for change in changes if change.action == Action.DEACTIVATE)
    emails = sum(
        1
        for change in changes
        if change.action != Action.CREATE
        for item in change.changes
        if item.field == "email"
    )
    return [
        *_over(
            "too_many_deactivations",
            deactivated,
            active_before,
            settings.max_deactivated_share,
            "active people would be deactivated",
        ),
        *_over(
            "too_many_email_changes",
            emails,
            known_before,
            settings.max_email_changed_share,
            "people would change email",
        ),
    ]


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
