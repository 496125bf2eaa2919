"""The directory's rules: who may manage whom, which team sits under which, what is unique;
each change is written with its event, in the caller's transaction (flushed, never committed)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor, Identity
from kit.errors import Conflict, Forbidden, NotFound, Unprocessable
from kit.etag import check_if_match
from kit.events import record_event
from kit.models import utcnow
from kit.pagination import Page, PageParams
from kit.policies import PolicyTable, Relation, Rule
from kit.repository import apply_patch, changed
from services.people import repository
from services.people.events import (
    PERSON_CREATED,
    PERSON_DEACTIVATED,
    PERSON_MANAGER_CHANGED,
    PERSON_REACTIVATED,
    PERSON_UPDATED,
    TEAM_CREATED,
    TEAM_DELETED,
    TEAM_MEMBER_ADDED,
    TEAM_MEMBER_REMOVED,
    TEAM_UPDATED,
    DirectorySnapshot,
    ManagerChangedPayload,
    MembershipPayload,
    PersonPayload,
    PersonUpdatedPayload,
    TeamPayload,
)
from services.people.models import Membership, Person, ReportingLine, Role, Team
from services.people.schemas import (
    AccessRole,
    ChangedByRead,
    ChangerKind,
    ManagerReportsRead,
    MembershipCreate,
    MembershipRead,
    PersonCreate,
    PersonQuery,
    PersonRead,
    PersonStatus,
    PersonUpdate,
    ReportingLineRead,
    ReportsByManagerRead,
    TeamCreate,
    TeamQuery,
    TeamRead,
    TeamUpdate,
)

# Everyone signed in reads the directory; HR admins and integrations allowed to write change it.
_READ = Rule.of(Relation.SIGNED_IN, Relation.INTEGRATION, Relation.SERVICE, scope="people:read")
_WRITE = Rule.of(Relation.HR_ADMIN, Relation.INTEGRATION, scope="people:write")

POLICY = PolicyTable(
    {
        "person.read": _READ,
        "person.create": _WRITE,
        "person.update": _WRITE,
        "person.deactivate": _WRITE,
        "person.reactivate": _WRITE,
        "team.read": _READ,
        "team.create": _WRITE,
        "team.update": _WRITE,
        "team.delete": _WRITE,
        "team.manage_members": _WRITE,
        "role.read": _READ,
        "role.create": _WRITE,
        "role.update": _WRITE,
        "skill.read": _READ,
        "skill.create": _WRITE,
        "skill.update": _WRITE,
        "directory.snapshot": Rule.of(Relation.SERVICE),
    }
)

# Advisory-lock names of the two hierarchies.
_MANAGEMENT = "people.management"
_TEAMS = "people.teams"


class PeopleDirectory:
    """Finds the person a token names, for `kit.auth`: by email (`kit.auth.email_key`),
    employee number or HRIS id (`sub`)."""

    async def find_identity(self, session: AsyncSession, claim: str, value: str) -> Identity | None:
        found = await repository.people_by_claim(session, claim, value)
        if len(found) != 1:
            # Nobody, or an HRIS id shared by two sources: better to name nobody than to guess.
            return None
        person = found[0]
        return Identity(
            person_id=person.id,
            active=person.status == PersonStatus.ACTIVE,
            is_hr_admin=person.access_role == AccessRole.HR_ADMIN,
        )


# --- Reading people --------------------------------------------------------------------------


async def _present(session: AsyncSession, people: Sequence[Person]) -> list[PersonRead]:
    teams = await repository.team_ids_by_person(session, [person.id for person in people])
    return [
        PersonRead.model_validate({**person.model_dump(), "team_ids": teams.get(person.id, [])})
        for person in people
    ]


def _read(row: Mapping[Any, Any]) -> PersonRead:
    """A person as `repository.readable` reads them."""
    return PersonRead.model_validate({**row, "team_ids": row["team_ids"] or []})


async def _read_one(session: AsyncSession, person_id: uuid.UUID) -> PersonRead:
    """One person in one statement, their teams included."""
    found = await repository.read_people(session, [person_id])
    if person_id not in found:
        raise NotFound("No person has this id.", code="person_not_found")
    return _read(found[person_id])


async def _present_one(session: AsyncSession, person: Person) -> PersonRead:
    (read,) = await _present(session, [person])
    return read


def _payload(read: PersonRead) -> PersonPayload:
    return PersonPayload.model_validate(read.model_dump(include=set(PersonPayload.model_fields)))


async def _person(session: AsyncSession, person_id: uuid.UUID, *, lock: bool = False) -> Person:
    person = await repository.get(session, Person, person_id, lock=lock)
    if person is None:
        raise NotFound("No person has this id.", code="person_not_found")
    return person


async def get_person(session: AsyncSession, actor: Actor, person_id: uuid.UUID) -> PersonRead:
    return await _read_one(session, person_id)


async def list_people(
    session: AsyncSession, actor: Actor, filters: PersonQuery, params: PageParams
) -> Page[PersonRead]:
    rows, cursor = await repository.list_people(session, params, **filters.model_dump())
    return Page(items=[_read(row) for row in rows], next_cursor=cursor)


async def read_people(
    session: AsyncSession, actor: Actor, ids: Sequence[uuid.UUID]
) -> Page[PersonRead]:
    """The people among `ids` that exist, in the order asked (unknown ids are left out)."""
    found = await repository.read_people(session, ids)
    return Page(
        items=[_read(found[id_]) for id_ in dict.fromkeys(ids) if id_ in found], next_cursor=None
    )


async def get_me(session: AsyncSession, actor: Actor) -> PersonRead:
    """The person the token names; an integration's or a service's token names nobody."""
    if actor.person_id is None:
        raise Forbidden("This token names no person; only people have a `me`.", code="not_a_person")
    return await _read_one(session, actor.person_id)


async def reports_by_manager(
    session: AsyncSession, actor: Actor, manager_ids: Sequence[uuid.UUID], per_manager: int
) -> ReportsByManagerRead:
    """The first reports of each manager asked for, in the order asked; an unknown id, like a
    manager without reports, has none."""
    found = await repository.first_reports(session, manager_ids, per_manager)
    people = await _present(session, [person for rows, _ in found.values() for person in rows])
    read = {person.id: person for person in people}
    groups = []
    for manager_id in dict.fromkeys(manager_ids):
        rows, cursor = found.get(manager_id, ([], None))
        groups.append(
            ManagerReportsRead(
                manager_id=manager_id,
                items=[read[row.id] for row in rows],
                has_more=cursor is not None,
                next_cursor=cursor,
            )
        )
    return ReportsByManagerRead(groups=groups)


async def list_reports(
    session: AsyncSession, actor: Actor, person_id: uuid.UUID, params: PageParams
) -> Page[PersonRead]:
    await _person(session, person_id)
    rows, cursor = await repository.list_reports(session, person_id, params)
    return Page(items=await _present(session, rows), next_cursor=cursor)


async def directory_snapshot(session: AsyncSession, actor: Actor) -> DirectorySnapshot:
    """Everything, and the feed position it is consistent with: the position is read first, so
    every event up to it is already in the rows read after it."""
    position = await repository.feed_position(session)
    people = await _present(session, await repository.everything(session, Person))
    teams = await repository.everything(session, Team)
    memberships = await repository.everything(session, Membership)
    return DirectorySnapshot(
        position=position,
        people=[_payload(person) for person in people],
        teams=[TeamPayload.model_validate(team, from_attributes=True) for team in teams],
        memberships=[
            MembershipPayload.model_validate(membership, from_attributes=True)
            for membership in memberships
        ],
    )


async def management_chain(
    session: AsyncSession, actor: Actor, person_id: uuid.UUID
) -> list[PersonRead]:
    await _person(session, person_id)
    return await _present(session, await repository.management_chain(session, person_id))


async def reporting_lines(
    session: AsyncSession, actor: Actor, person_id: uuid.UUID, params: PageParams
) -> Page[ReportingLineRead]:
    await _person(session, person_id)
    rows, cursor = await repository.list_reporting_lines(session, person_id, params)
    changers = [row.changed_by_person_id for row in rows if row.changed_by_person_id]
    names = {
        person.id: person.name for person in await repository.by_ids(session, Person, changers)
    }
    return Page(
        items=[
            ReportingLineRead(
                id=row.id,
                person_id=row.person_id,
                manager_id=row.manager_id,
                effective_at=row.effective_at,
                changed_by=_changed_by(row, names),
            )
            for row in rows
        ],
        next_cursor=cursor,
    )


def _changed_by(row: ReportingLine, names: dict[uuid.UUID, str]) -> ChangedByRead:
    if row.changed_by_person_id is not None:
        return ChangedByRead(
            kind=ChangerKind.PERSON,
            person_id=row.changed_by_person_id,
            name=names.get(row.changed_by_person_id),
        )
    if row.changed_by_integration is not None:
        return ChangedByRead(
            kind=ChangerKind.INTEGRATION, person_id=None, name=row.changed_by_integration
        )
    return ChangedByRead(kind=ChangerKind.UNKNOWN, person_id=None, name=None)


# --- Changing people -------------------------------------------------------------------------


async def _check_unique(
    session: AsyncSession, person_id: uuid.UUID, values: dict[str, Any], changed: set[str]
) -> None:
    """Email, employee number and HRIS id each name one person; `values` are the new ones."""
    email, number = values["email"], values["employee_number"]
    source, external_id = values["source"], values["external_id"]
    if "email" in changed and await repository.person_by_email(
        session, email, other_than=person_id
    ):
        raise Conflict(
            "Another person has this email address.", code="email_taken", field="body.email"
        )
    if (
        "employee_number" in changed
        and number is not None
        and await repository.person_by_employee_number(session, number, other_than=person_id)
    ):
        raise Conflict(
            "Another person has this employee number.",
            code="employee_number_taken",
            field="body.employee_number",
        )
    if not changed & {"external_id", "source"}:
        return
    if (external_id is None) != (source is None):
        raise Unprocessable(
            "`external_id` and `source` are given together, or neither.",
            code="external_id_without_source",
            field="body.source" if source is None else "body.external_id",
        )
    if (
        source is not None
        and external_id is not None
        and await repository.person_by_external_id(
            session, source, external_id, other_than=person_id
        )
    ):
        raise Conflict(
            "Another person has this id in this source.",
            code="external_id_taken",
            field="body.external_id",
        )


async def _check_role(session: AsyncSession, role_id: uuid.UUID | None) -> None:
    if role_id is not None and await repository.get(session, Role, role_id) is None:
        raise Unprocessable("No job role has this id.", code="unknown_role", field="body.role_id")


async def _check_manager(
    session: AsyncSession, person_id: uuid.UUID, manager_id: uuid.UUID
) -> None:
    """`manager_id` may become `person_id`'s manager: an active person outside their reports."""
    if manager_id == person_id:
        raise Conflict(
            "A person cannot be their own manager.", code="own_manager", field="body.manager_id"
        )
    manager = await repository.get(session, Person, manager_id)
    if manager is None:
        raise Unprocessable(
            "No person has this id.", code="unknown_manager", field="body.manager_id"
        )
    if manager.status != PersonStatus.ACTIVE:
        raise Conflict(
            "An inactive person cannot become a manager.",
            code="manager_inactive",
            field="body.manager_id",
        )
    chain = await repository.management_chain(session, manager_id)
    if any(above.id == person_id for above in chain):
        raise Conflict(
            "This manager reports (directly or not) to this person: that would be a loop.",
            code="management_cycle",
            field="body.manager_id",
        )


async def _record_manager_change(
    session: AsyncSession, actor: Actor, person: Person, old_manager_id: uuid.UUID | None
) -> None:
    line = ReportingLine(
        person_id=person.id,
        manager_id=person.manager_id,
        changed_by_person_id=actor.person_id,
        changed_by_integration=None if actor.is_person else actor.subject,
    )
    await repository.save(session, line)
    await record_event(
        session,
        PERSON_MANAGER_CHANGED,
        ManagerChangedPayload(
            person_id=person.id,
            old_manager_id=old_manager_id,
            new_manager_id=person.manager_id,
            effective_at=line.effective_at,
        ),
    )


async def create_person(session: AsyncSession, actor: Actor, data: PersonCreate) -> PersonRead:
    person = Person.model_validate(data.model_dump())
    await _check_unique(session, person.id, data.model_dump(), set(PersonCreate.model_fields))
    await _check_role(session, person.role_id)
    if person.manager_id is not None:
        await repository.lock_hierarchy(session, _MANAGEMENT)
        await _check_manager(session, person.id, person.manager_id)
    await repository.save(session, person)
    read = await _present_one(session, person)
    await record_event(session, PERSON_CREATED, _payload(read))
    if person.manager_id is not None:
        await _record_manager_change(session, actor, person, None)
    return read


async def update_person(
    session: AsyncSession,
    actor: Actor,
    person_id: uuid.UUID,
    data: PersonUpdate,
    if_match: str | None,
) -> PersonRead:
    person = await _person(session, person_id, lock=True)
    check_if_match(if_match, person.version)
    changes = changed(person, data.model_dump(exclude_unset=True))
    if not changes:
        return await _present_one(session, person)
    # Checked before anything is set: a query's autoflush must not write a refused value.
    await _check_unique(session, person.id, {**person.model_dump(), **changes}, set(changes))
    if "role_id" in changes:
        await _check_role(session, changes["role_id"])
    if changes.get("manager_id") is not None:
        await repository.lock_hierarchy(session, _MANAGEMENT)
        await _check_manager(session, person.id, changes["manager_id"])
    old_manager_id = person.manager_id
    apply_patch(person, changes)
    await repository.save(session, person)
    read = await _present_one(session, person)
    await record_event(
        session,
        PERSON_UPDATED,
        PersonUpdatedPayload(**_payload(read).model_dump(), changed=sorted(changes)),
    )
    if "manager_id" in changes:
        await _record_manager_change(session, actor, person, old_manager_id)
    return read


async def _set_status(
    session: AsyncSession, person_id: uuid.UUID, status: PersonStatus
) -> PersonRead:
    person = await _person(session, person_id, lock=True)
    if person.status == status:
        raise Conflict(f"This person is already {status}.", code=f"already_{status}")
    apply_patch(person, {"status": status})
    await repository.save(session, person)
    return await _present_one(session, person)


async def deactivate_person(
    session: AsyncSession, actor: Actor, person_id: uuid.UUID
) -> PersonRead:
    """They can no longer sign in; their reports keep them as manager until moved."""
    if actor.person_id == person_id:
        raise Conflict("You cannot deactivate yourself.", code="self_deactivation")
    read = await _set_status(session, person_id, PersonStatus.INACTIVE)
    await record_event(session, PERSON_DEACTIVATED, _payload(read))
    return read


async def reactivate_person(
    session: AsyncSession, actor: Actor, person_id: uuid.UUID
) -> PersonRead:
    read = await _set_status(session, person_id, PersonStatus.ACTIVE)
    await record_event(session, PERSON_REACTIVATED, _payload(read))
    return read


# --- Teams -----------------------------------------------------------------------------------


def _team_payload(team: Team) -> TeamPayload:
    return TeamPayload.model_validate(team.model_dump(include=set(TeamPayload.model_fields)))


async def _team(session: AsyncSession, team_id: uuid.UUID, *, lock: bool = False) -> Team:
    team = await repository.get(session, Team, team_id, lock=lock)
    if team is None:
        raise NotFound("No team has this id.", code="team_not_found")
    return team


async def _check_lead(session: AsyncSession, lead_id: uuid.UUID | None) -> None:
    if lead_id is None:
        return
    lead = await repository.get(session, Person, lead_id)
    if lead is None:
        raise Unprocessable("No person has this id.", code="unknown_lead", field="body.lead_id")
    if lead.status != PersonStatus.ACTIVE:
        raise Conflict(
            "An inactive person cannot become a team lead.",
            code="lead_inactive",
            field="body.lead_id",
        )


async def _check_parent(
    session: AsyncSession, team_id: uuid.UUID, parent_id: uuid.UUID | None
) -> None:
    if parent_id is None:
        return
    if parent_id == team_id:
        raise Conflict(
            "A team cannot be its own parent.", code="team_cycle", field="body.parent_id"
        )
    if await repository.get(session, Team, parent_id) is None:
        raise Unprocessable("No team has this id.", code="unknown_parent", field="body.parent_id")
    if team_id in await repository.team_ancestors(session, parent_id):
        raise Conflict(
            "This parent sits under the team: that would be a loop.",
            code="team_cycle",
            field="body.parent_id",
        )


async def get_team(session: AsyncSession, actor: Actor, team_id: uuid.UUID) -> TeamRead:
    return TeamRead.model_validate(await _team(session, team_id))


async def list_teams(
    session: AsyncSession, actor: Actor, filters: TeamQuery, params: PageParams
) -> Page[TeamRead]:
    rows, cursor = await repository.list_teams(session, params, **filters.model_dump())
    return Page(items=[TeamRead.model_validate(row) for row in rows], next_cursor=cursor)


async def read_teams(
    session: AsyncSession, actor: Actor, ids: Sequence[uuid.UUID]
) -> Page[TeamRead]:
    rows = await repository.by_ids(session, Team, ids)
    return Page(items=[TeamRead.model_validate(row) for row in rows], next_cursor=None)


async def create_team(session: AsyncSession, actor: Actor, data: TeamCreate) -> TeamRead:
    team = Team.model_validate(data.model_dump())
    await _check_lead(session, team.lead_id)
    # A new team has no sub-teams yet, so any existing parent is fine.
    await _check_parent(session, team.id, team.parent_id)
    await repository.save(session, team)
    await record_event(session, TEAM_CREATED, _team_payload(team))
    return TeamRead.model_validate(team)


async def update_team(
    session: AsyncSession,
    actor: Actor,
    team_id: uuid.UUID,
    data: TeamUpdate,
    if_match: str | None,
) -> TeamRead:
    team = await _team(session, team_id, lock=True)
    check_if_match(if_match, team.version)
    changes = changed(team, data.model_dump(exclude_unset=True))
    if not changes:
        return TeamRead.model_validate(team)
    if "lead_id" in changes:
        await _check_lead(session, changes["lead_id"])
    if "parent_id" in changes:
        await repository.lock_hierarchy(session, _TEAMS)
        await _check_parent(session, team.id, changes["parent_id"])
    apply_patch(team, changes)
    await repository.save(session, team)
    await record_event(session, TEAM_UPDATED, _team_payload(team))
    return TeamRead.model_validate(team)


async def delete_team(session: AsyncSession, actor: Actor, team_id: uuid.UUID) -> None:
    """Only an empty team goes: no members and no sub-teams."""
    team = await _team(session, team_id, lock=True)
    await repository.lock_hierarchy(session, _TEAMS)
    if await repository.has_members(session, team_id) or await repository.has_sub_teams(
        session, team_id
    ):
        raise Conflict(
            "Only an empty team can be deleted: move its members and sub-teams first.",
            code="team_not_empty",
        )
    payload = _team_payload(team)
    await repository.delete(session, team)
    await record_event(session, TEAM_DELETED, payload)


async def list_members(
    session: AsyncSession, actor: Actor, team_id: uuid.UUID, params: PageParams
) -> Page[PersonRead]:
    await _team(session, team_id)
    rows, cursor = await repository.list_members(session, team_id, params)
    return Page(items=await _present(session, rows), next_cursor=cursor)


async def list_sub_teams(
    session: AsyncSession, actor: Actor, team_id: uuid.UUID, params: PageParams
) -> Page[TeamRead]:
    await _team(session, team_id)
    rows, cursor = await repository.list_sub_teams(session, team_id, params)
    return Page(items=[TeamRead.model_validate(row) for row in rows], next_cursor=cursor)


async def add_member(
    session: AsyncSession, actor: Actor, team_id: uuid.UUID, data: MembershipCreate
) -> MembershipRead:
    await _team(session, team_id)
    person = await repository.get(session, Person, data.person_id)
    if person is None:
        raise Unprocessable("No person has this id.", code="unknown_person", field="body.person_id")
    if person.status != PersonStatus.ACTIVE:
        raise Conflict(
            "An inactive person cannot join a team.",
            code="person_inactive",
            field="body.person_id",
        )
    if await repository.membership(session, team_id, person.id) is not None:
        raise Conflict("This person is already in this team.", code="already_member")
    membership = Membership(team_id=team_id, person_id=person.id, since=data.since or utcnow())
    await repository.save(session, membership)
    await record_event(
        session,
        TEAM_MEMBER_ADDED,
        MembershipPayload(team_id=team_id, person_id=person.id, since=membership.since),
    )
    return MembershipRead.model_validate(membership)


async def delete_member(
    session: AsyncSession, actor: Actor, team_id: uuid.UUID, person_id: uuid.UUID
) -> None:
    await _team(session, team_id)
    membership = await repository.membership(session, team_id, person_id)
    if membership is None:
        raise NotFound("This person is not in this team.", code="membership_not_found")
    await repository.delete(session, membership)
    await record_event(
        session,
        TEAM_MEMBER_REMOVED,
        MembershipPayload(team_id=team_id, person_id=person_id, since=None),
    )
