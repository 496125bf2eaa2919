"""Roster syncs: the whole roster of a source compared with the directory by applying it in a
savepoint, kept when applied and within the guards, rolled back otherwise; a report either way."""

from __future__ import annotations

import uuid
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from pydantic import JsonValue, ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor
from kit.errors import DomainError, NotFound
from kit.pagination import Page, PageParams
from services.people import repository as directory
from services.people import service as people
from services.people.hris import repository
from services.people.hris.models import HrisLink, HrisSync
from services.people.hris.schemas import (
    Action,
    FieldChange,
    PersonChange,
    Refusal,
    RefusalCode,
    RosterPerson,
    RosterSync,
    Section,
    SyncOutcome,
    SyncRead,
    SyncSummaryRead,
    SyncWarning,
    TeamAction,
    TeamChange,
    TeamRecord,
)
from services.people.hris.service import (
    POLICY,
    Waiting,
    apply_person,
    apply_team,
    delete_team,
    team_id_of,
    terminate_person,
)
from services.people.hris.settings import HrisSettings
from services.people.schemas import MembershipCreate, PersonStatus, StrictInput

Progress = Callable[[int, int], None]


def _warning(
    row: int | None,
    external_id: str | None,
    exc: Exception,
    waiting: str = "incomplete_row",
    section: Section = "people",
) -> SyncWarning:
    if isinstance(exc, DomainError):
        field = exc.field.removeprefix("body.") if exc.field else None
        return SyncWarning(
            section=section,
            row=row,
            external_id=external_id,
            field=field,
            code=exc.code,
            message=exc.detail,
        )
    field = exc.field if isinstance(exc, Waiting) else None
    return SyncWarning(
        section=section,
        row=row,
        external_id=external_id,
        field=field,
        code=waiting,
        message=f"Needs {exc}.",
    )


def _read_rows(
    raws: Sequence[JsonValue], record: type[StrictInput], section: Section
) -> tuple[list[tuple[int, dict[str, Any]]], set[str], list[SyncWarning]]:
    """The valid rows (1-based position, fields given), every HRIS id named (a bad row's
    person or team is not removed for being bad), and a warning per bad field."""
    rows, named, warnings = [], set(), []
    for position, raw in enumerate(raws, start=1):
        if not isinstance(raw, dict):
            warnings.append(
                SyncWarning(
                    section=section,
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
            given = record.model_validate(raw).model_dump(mode="json", exclude_unset=True)
        except ValidationError as exc:
            if key:
                named.add(key)
            for error in exc.errors(include_url=False, include_input=False):
                warnings.append(
                    SyncWarning(
                        section=section,
                        row=position,
                        external_id=key,
                        field=".".join(str(part) for part in error["loc"]),
                        code="invalid_value",
                        message=error["msg"],
                    )
                )
            continue
        if given["external_id"] in named:
            warnings.append(
                SyncWarning(
                    section=section,
                    row=position,
                    external_id=given["external_id"],
                    field="external_id",
                    code="duplicate_external_id",
                    message="An earlier row has this id; this one is left out.",
                )
            )
            continue
        named.add(given["external_id"])
        rows.append((position, given))
    return rows, named, warnings


def _tree_order(
    rows: Sequence[tuple[int, dict[str, Any]]], warnings: list[SyncWarning]
) -> list[tuple[int, dict[str, Any]]]:
    """The team rows parents first (a parent of the same roster before its sub-teams, else in
    roster order); the rows of a loop of parents, and those under one, are warnings."""
    by_id = {given["external_id"]: (position, given) for position, given in rows}
    children: dict[str, list[str]] = defaultdict(list)
    ready: deque[str] = deque()
    for external_id, (_, given) in by_id.items():
        parent = given.get("parent_external_id")
        if isinstance(parent, str) and parent in by_id:
            children[parent].append(external_id)
        else:
            ready.append(external_id)
    ordered = []
    while ready:
        external_id = ready.popleft()
        ordered.append(by_id[external_id])
        ready.extend(children[external_id])
    placed = {given["external_id"] for _, given in ordered}
    for position, given in rows:
        if given["external_id"] not in placed:
            warnings.append(
                SyncWarning(
                    section="teams",
                    row=position,
                    external_id=given["external_id"],
                    field="parent_external_id",
                    code="team_cycle",
                    message="The parents of this team loop back to it, or to a team above it.",
                )
            )
    return ordered


def _merge(row: PersonChange | TeamChange, changes: Sequence[FieldChange]) -> None:
    """Add a later pass's changes to a row's report."""
    row.changes += changes
    if not changes:
        return
    if isinstance(row, PersonChange) and row.action == Action.UNCHANGED:
        row.action = Action.UPDATE
    if isinstance(row, TeamChange) and row.action == TeamAction.UNCHANGED:
        row.action = TeamAction.UPDATE


async def _apply_teams(
    session: AsyncSession,
    actor: Actor,
    source: str,
    rows: Sequence[tuple[int, dict[str, Any]]],
    warnings: list[SyncWarning],
) -> dict[str, TeamChange]:
    """Teams parents first, without their leads: those come once the people are there."""
    done: dict[str, TeamChange] = {}
    for position, given in rows:
        first = {key: value for key, value in given.items() if key != "lead_external_id"}
        try:
            async with session.begin_nested():
                done[given["external_id"]] = await apply_team(session, actor, source, first)
        except (DomainError, Waiting) as exc:
            parent = isinstance(exc, Waiting) and exc.field == "parent_external_id"
            code = "unknown_parent" if parent else "incomplete_row"
            warnings.append(_warning(position, given["external_id"], exc, code, "teams"))
    return done


async def _apply_later(
    session: AsyncSession,
    rows: Sequence[tuple[int, dict[str, Any]]],
    done: Mapping[str, PersonChange | TeamChange],
    field: str,
    apply: Callable[[dict[str, Any]], Awaitable[PersonChange | TeamChange]],
    code: str,
    warnings: list[SyncWarning],
    section: Section = "people",
) -> None:
    """A second pass over the rows applied, for a field naming someone who may come later
    in the roster (a manager, a team's lead)."""
    for position, given in rows:
        external_id = given["external_id"]
        if field not in given or external_id not in done:
            continue
        try:
            async with session.begin_nested():
                change = await apply({"external_id": external_id, field: given[field]})
        except (DomainError, Waiting) as exc:
            warning = _warning(position, external_id, exc, code, section)
            warnings.append(warning.model_copy(update={"field": field}))
            continue
        _merge(done[external_id], change.changes)


async def _place(
    session: AsyncSession,
    actor: Actor,
    source: str,
    person_id: uuid.UUID,
    team: str | None,
    source_teams: dict[uuid.UUID, str],
    roster_teams: set[str] | None,
) -> list[FieldChange]:
    """Make `team` the person's only team among the source's teams (none: no team of it);
    teams of other sources and local ones are left alone. A roster with teams names only its
    own teams."""
    if team is not None and roster_teams is not None and team not in roster_teams:
        raise Waiting(f"team {team} among the roster's teams", "team_external_id")
    target = None if team is None else await team_id_of(session, source, team, "team_external_id")
    current = (await directory.team_ids_by_person(session, [person_id])).get(person_id, [])
    ours = [team_id for team_id in current if team_id in source_teams]
    if ours == ([] if target is None else [target]):
        return []
    for team_id in ours:
        if team_id != target:
            await people.delete_member(session, actor, team_id, person_id)
    if target is not None and target not in current:
        await people.add_member(session, actor, target, MembershipCreate(person_id=person_id))
    old = source_teams[ours[0]] if ours else None
    return [FieldChange(field="team", old=old, new=team)]


async def _apply_memberships(
    session: AsyncSession,
    actor: Actor,
    source: str,
    rows: Sequence[tuple[int, dict[str, Any]]],
    done: dict[str, PersonChange],
    roster_teams: set[str] | None,
    warnings: list[SyncWarning],
) -> None:
    source_teams = {
        link.entity_id: link.external_id
        for link in await repository.teams_of_source(session, source)
    }
    for position, given in rows:
        row = done.get(given["external_id"])
        if "team_external_id" not in given or row is None or row.person_id is None:
            continue
        try:
            async with session.begin_nested():
                changes = await _place(
                    session,
                    actor,
                    source,
                    row.person_id,
                    given["team_external_id"],
                    source_teams,
                    roster_teams,
                )
        except (DomainError, Waiting) as exc:
            warning = _warning(position, row.external_id, exc, "unknown_team")
            warnings.append(warning.model_copy(update={"field": "team_external_id"}))
            continue
        _merge(row, changes)


async def _remove_teams(
    session: AsyncSession,
    actor: Actor,
    source: str,
    absent: Sequence[HrisLink],
    warnings: list[SyncWarning],
) -> list[TeamChange]:
    """Delete the source's teams the roster no longer has, sub-teams before their parents;
    their members leave them first."""
    depth = {
        link.external_id: len(await directory.team_ancestors(session, link.entity_id))
        for link in absent
    }
    removed = []
    for link in sorted(absent, key=lambda link: -depth[link.external_id]):
        try:
            async with session.begin_nested():
                for person_id in await repository.member_ids(session, link.entity_id):
                    await people.delete_member(session, actor, link.entity_id, person_id)
                removed.append(await delete_team(session, actor, source, link.external_id))
        except DomainError as exc:
            warnings.append(_warning(None, link.external_id, exc, section="teams"))
    return removed


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
    await _apply_later(
        session,
        rows,
        done,
        "manager_external_id",
        lambda given: apply_person(session, actor, settings, source, given),
        "unknown_manager",
        warnings,
    )
    return done


def _over(code: RefusalCode, count: int, total: int, limit: float, what: str) -> list[Refusal]:
    """A refusal when `count` of `total` is a larger share than `limit`."""
    if not total or count / total <= limit:
        return []
    message = f"{count} of {total} {what}."
    return [Refusal(code=code, message=message, share=round(count / total, 4), limit=limit)]


def _refusals(
    settings: HrisSettings,
    active_before: int,
    known_before: int,
    changes: Sequence[PersonChange],
    teams_before: int,
    team_changes: Sequence[TeamChange],
) -> list[Refusal]:
    removed = sum(1 for change in team_changes if change.action == TeamAction.DELETE)
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
        *_over(
            "too_many_team_removals",
            removed,
            teams_before,
            settings.max_removed_team_share,
            "teams would be removed",
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
    team_rows, team_names, warnings = _read_rows(request.teams or [], TeamRecord, "teams")
    team_rows = _tree_order(team_rows, warnings)
    rows, named, person_warnings = _read_rows(request.people, RosterPerson, "people")
    warnings += person_warnings
    known = await repository.people_of_source(session, request.source)
    active = [person for person in known if person.status == PersonStatus.ACTIVE]
    absent = [person for person in active if person.external_id not in named]
    known_teams = await repository.teams_of_source(session, request.source)
    trial = await session.begin_nested()
    teams_done = await _apply_teams(session, actor, request.source, team_rows, warnings)
    done = await _apply_rows(session, actor, settings, request.source, rows, warnings, progress)
    roster_teams = None if request.teams is None else set(teams_done)
    await _apply_memberships(session, actor, request.source, rows, done, roster_teams, warnings)
    await _apply_later(
        session,
        team_rows,
        teams_done,
        "lead_external_id",
        lambda given: apply_team(session, actor, request.source, given),
        "unknown_lead",
        warnings,
        "teams",
    )
    team_changes = list(teams_done.values())
    if request.teams is not None:
        gone = [link for link in known_teams if link.external_id not in team_names]
        team_changes += await _remove_teams(session, actor, request.source, gone, warnings)
    changes = list(done.values())
    for person in absent:
        external_id = person.external_id or ""
        try:
            async with session.begin_nested():
                changes.append(await terminate_person(session, actor, request.source, external_id))
        except DomainError as exc:
            warnings.append(_warning(None, external_id, exc))
    refusals = _refusals(settings, len(active), len(known), changes, len(known_teams), team_changes)
    if request.apply and (not refusals or request.force):
        await trial.commit()
        outcome = SyncOutcome.APPLIED
    else:
        await trial.rollback()
        outcome = SyncOutcome.REFUSED if request.apply else SyncOutcome.DRY_RUN
    counts = {action.value: 0 for action in Action}
    for change in changes:
        counts[change.action.value] += 1
    for action in TeamAction:
        counts[f"team_{action.value}"] = 0
    for team_change in team_changes:
        counts[f"team_{team_change.action.value}"] += 1
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
        team_changes=[change.model_dump(mode="json") for change in team_changes],
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
