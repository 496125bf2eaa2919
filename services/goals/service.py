"""The goals rules at the core: who sees and changes which objective (from the org copy, never
by asking the directory), the policy table of the whole service, objectives and their
contributors, and the one presenter of an objective (its progress computed by `progress`).
Each change is written with its event, in the caller's transaction (flushed, never
committed). The sub-domains build on this (`cycles/`, `keyresults/`, `checkins/`,
`drafting/`, `search/`, `alignment/`); nothing here imports their services (an import
contract says so).

OKR progress and confidence serve focus and conversation, not judgement: nothing here sorts,
ranks or filters people by them (DOMAIN.md §4, the OKR firewall)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.auth import Actor, Role
from kit.errors import Conflict, Forbidden, NotFound, Unprocessable
from kit.etag import check_if_match
from kit.events import record_event
from kit.orgcopy import management_chain, relations_to_person, relations_to_team
from kit.pagination import MAX_BATCH_IDS, Page
from kit.policies import RESOURCE_RELATIONS, PolicyTable, Relation, Rule
from kit.repository import apply_patch, changed
from services.goals import repository
from services.goals.events import (
    OBJECTIVE_CREATED,
    OBJECTIVE_UPDATED,
    ObjectivePayload,
    ObjectiveUpdatedPayload,
)
from services.goals.models import Contributor, Cycle, KeyResult, Objective
from services.goals.progress import objective_parts, rolled_up_from, rounded_or_none
from services.goals.repository import Batch, ObjectiveFilters, Sight
from services.goals.schemas import (
    ContributorAdd,
    CycleStatus,
    ObjectiveCreate,
    ObjectiveKind,
    ObjectiveQuery,
    ObjectiveRead,
    ObjectivesByOwnerQuery,
    ObjectivesByOwnerRead,
    ObjectiveStatus,
    ObjectiveUpdate,
    OwnerKind,
    OwnerObjectivesRead,
    Visibility,
)

# Reading: everyone signed in, integrations with `goals:read` and our services; private
# objectives further need `objective.read_private`, checked with the objective in hand.
_READ = Rule.of(Relation.SIGNED_IN, Relation.INTEGRATION, Relation.SERVICE, scope="goals:read")
# Working on an objective: its owner (for a team: members and leads), its contributors
# (participants), the owner's management chain (for a team: its lead's) and HR admins.
_CONTRIBUTE = Rule.of(
    Relation.OWNER,
    Relation.PARTICIPANT,
    Relation.TEAM_LEAD,
    Relation.MANAGEMENT_CHAIN,
    Relation.HR_ADMIN,
)

POLICY = PolicyTable(
    {
        "cycle.read": _READ,
        "cycle.create": Rule.of(Relation.HR_ADMIN),
        "cycle.update": Rule.of(Relation.HR_ADMIN),
        # Scores by team and for the company, never by person.
        "cycle.report": _READ,
        "objective.read": _READ,
        "objective.search": _READ,
        # Object level only (no route names it): who sees a private objective.
        "objective.read_private": Rule.of(
            Relation.OWNER,
            Relation.PARTICIPANT,
            Relation.TEAM_LEAD,
            Relation.MANAGEMENT_CHAIN,
            Relation.HR_ADMIN,
            Relation.SERVICE,
        ),
        # For yourself, a team you lead or belong to, a direct report; HR admins for anyone,
        # and they alone for the company.
        "objective.create": Rule.of(
            Relation.OWNER,
            Relation.PARTICIPANT,
            Relation.TEAM_LEAD,
            Relation.MANAGER,
            Relation.HR_ADMIN,
        ),
        "objective.update": _CONTRIBUTE,
        # Who may try to sign; which side they sign for is decided with the objective in hand
        # (`drafting/`): the owner's side, or the manager's.
        "objective.sign": Rule.of(
            Relation.OWNER,
            Relation.PARTICIPANT,
            Relation.MANAGER,
            Relation.TEAM_LEAD,
            Relation.HR_ADMIN,
        ),
        # Anyone who may read the objective says what they think of it while it is drafted.
        "objective.comment": Rule.of(Relation.SIGNED_IN),
        "comment.read": _READ,
        "closing.submit": _CONTRIBUTE,
        "key_result.read": _READ,
        "key_result.create": _CONTRIBUTE,
        "key_result.update": _CONTRIBUTE,
        "key_result.delete": _CONTRIBUTE,
        "check_in.read": _READ,
        "check_in.create": _CONTRIBUTE,
        # Help requests (`help/`): seen with their objective, by whoever asked and whoever
        # was asked; asked for, edited and resolved by those who work on the objective;
        # help is offered by any person who sees one.
        "help_request.read": _READ,
        "help_request.open": _CONTRIBUTE,
        "help_request.update": _CONTRIBUTE,
        "help_request.offer": Rule.of(Relation.SIGNED_IN),
        "help_request.resolve": _CONTRIBUTE,
        # Experiments (`experiments/`): read with their objective, and their learnings
        # searched across the organisation; recorded by those who work on the objective.
        "experiment.read": _READ,
        "experiment.create": _CONTRIBUTE,
        "experiment.update": _CONTRIBUTE,
        "learning.search": _READ,
        # Ideas (`ideas/`): anyone proposes, reads and reviews (not their own: the service);
        # HR admins decide (there is no budget role in the directory); the proposer withdraws.
        "idea.read": _READ,
        "idea.propose": Rule.of(Relation.SIGNED_IN),
        "idea.review": Rule.of(Relation.SIGNED_IN),
        "idea.allocate": Rule.of(Relation.HR_ADMIN),
        "idea.decline": Rule.of(Relation.HR_ADMIN),
        "idea.withdraw": Rule.of(Relation.OWNER),
        # Development goals (`development/`): lists and reads show what the caller may see;
        # a private one takes `development_goal.read_private`, checked in the statement.
        "development_goal.read": _READ,
        "development_goal.read_private": Rule.of(
            Relation.OWNER, Relation.MANAGEMENT_CHAIN, Relation.HR_ADMIN
        ),
        # The person alone, for their own growth (a service forwards their token).
        "development_goal.create": Rule.of(Relation.OWNER),
        "development_goal.update": Rule.of(Relation.OWNER),
    }
)

# Actions checked inside the service only, with the resource in hand.
OBJECT_LEVEL_ACTIONS = frozenset({"objective.read_private", "development_goal.read_private"})

# What counts as success, by kind of objective (DOMAIN.md §4).
SUCCESS_THRESHOLD = {ObjectiveKind.COMMITTED: 1.0, ObjectiveKind.ASPIRATIONAL: 0.7}
_SUCCESS_EXPLANATION = {
    ObjectiveKind.COMMITTED: "Committed: meant to be met in full; success is 1.0.",
    ObjectiveKind.ASPIRATIONAL: (
        "Aspirational: a stretch on purpose; about 0.7 is success, and falling short is "
        "normal and something to learn from."
    ),
}


# --- Who the caller is to an objective -------------------------------------------------------


def person_of(actor: Actor) -> uuid.UUID:
    if actor.person_id is None:
        raise Forbidden("Only a person can do this.")
    return actor.person_id


def as_actor(person_id: uuid.UUID, *, is_hr_admin: bool) -> Actor:
    """A person as the policy would see them signed in (to ask what they may do)."""
    role = Role.HR_ADMIN if is_hr_admin else Role.EMPLOYEE
    return Actor(role=role, subject=str(person_id), person_id=person_id)


async def _relations(
    session: AsyncSession,
    actor: Actor,
    *,
    person_id: uuid.UUID | None,
    team_id: uuid.UUID | None,
) -> set[Relation]:
    """How the actor stands to an owner: a person (themselves, manager, chain above), or a
    team (member, lead of it or of a team above, the management chain of its lead); nobody
    stands in a relation to the company as such."""
    if actor.person_id is None:
        return set()
    if person_id is not None:
        return await relations_to_person(session, actor, person_id)
    if team_id is None:
        return set()
    relations = await relations_to_team(session, actor, team_id)
    team = await repository.org_team(session, team_id)
    if (
        team is not None
        and team.lead_id is not None
        and actor.person_id in await management_chain(session, team.lead_id)
    ):
        relations.add(Relation.MANAGEMENT_CHAIN)
    return relations


async def relations_to_objective(
    session: AsyncSession, actor: Actor, objective: Objective
) -> set[Relation]:
    """The actor's relations to the objective's owner; a contributor is a participant."""
    relations = await _relations(
        session,
        actor,
        person_id=objective.owner_person_id,
        team_id=objective.owner_team_id,
    )
    if actor.person_id is not None and await repository.is_contributor(
        session, objective.id, actor.person_id
    ):
        relations.add(Relation.PARTICIPANT)
    return relations


def sight_of(actor: Actor) -> Sight:
    """Which objectives the actor sees in lists and batches: the same as one by one."""
    if POLICY.permits(actor, "objective.read_private"):
        return Sight(everything=True)
    if actor.person_id is None:
        return Sight()
    relations = POLICY.rules["objective.read_private"].allow & RESOURCE_RELATIONS
    return Sight(person_id=actor.person_id, relations=relations)


_OBJECTIVE_NOT_FOUND = "No objective has this id."
_KEY_RESULT_NOT_FOUND = "No key result has this id."


async def visible_objective(
    session: AsyncSession,
    actor: Actor,
    objective_id: uuid.UUID,
    *,
    lock: bool = False,
) -> tuple[Objective, set[Relation]]:
    """The objective if the actor may see it, and their relations to it. A private one they
    may not see answers exactly as an unknown id does, by the same path: whether they see it
    is decided in the statement that looks for it (the same rule as lists, `sight_of`), so
    no difference in time tells the two apart."""
    objective = await repository.visible_objective(
        session, sight_of(actor), objective_id, lock=lock
    )
    if objective is None:
        raise NotFound(_OBJECTIVE_NOT_FOUND, code="objective_not_found")
    return objective, await relations_to_objective(session, actor, objective)


async def visible_key_result(
    session: AsyncSession, actor: Actor, key_result_id: uuid.UUID, *, lock: bool = False
) -> tuple[KeyResult, Objective, set[Relation]]:
    """The key result if the actor may see its objective, as `visible_objective` decides."""
    found = await repository.visible_key_result(session, sight_of(actor), key_result_id, lock=lock)
    if found is None:
        raise NotFound(_KEY_RESULT_NOT_FOUND, code="key_result_not_found")
    key_result, objective = found
    return key_result, objective, await relations_to_objective(session, actor, objective)


async def held_cycle(session: AsyncSession, cycle_id: uuid.UUID) -> Cycle | None:
    """The cycle, kept from changing (being closed) until this transaction ends."""
    return await repository.get(session, Cycle, cycle_id, share=True)


def refuse_closed(cycle: Cycle | None) -> None:
    if cycle is not None and cycle.status == CycleStatus.CLOSED:
        raise Conflict("This cycle is closed: it takes no more work.", code="cycle_closed")


async def open_cycle_of(session: AsyncSession, objective: Objective) -> Cycle:
    """The objective's cycle, held, if it still takes work (409 `cycle_closed` if not)."""
    cycle = await held_cycle(session, objective.cycle_id)
    if cycle is None:  # pragma: no cover - a foreign key keeps it
        raise NotFound("No cycle has this id.", code="cycle_not_found")
    refuse_closed(cycle)
    return cycle


def distinct(ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    return list(dict.fromkeys(ids))


# --- Presenting objectives -------------------------------------------------------------------


async def present_objectives(
    session: AsyncSession, objectives: Sequence[Objective | Mapping[Any, Any]]
) -> list[ObjectiveRead]:
    """The one place an `ObjectiveRead` is made: the objective (a row, or its columns as
    reads find them) with its progress, contributors, signatures and closing; one statement
    for a whole page."""
    found = [row.model_dump() if isinstance(row, Objective) else row for row in objectives]
    parts = await objective_parts(session, [row["id"] for row in found])
    computed = rolled_up_from(parts)
    return [
        ObjectiveRead.model_validate(
            {
                **row,
                "progress": rounded_or_none(computed.served(row["id"])),
                "success_threshold": SUCCESS_THRESHOLD[row["kind"]],
                "success_explanation": _SUCCESS_EXPLANATION[row["kind"]],
                "contributor_ids": parts.contributors.get(row["id"], []),
                "signatures": parts.signatures.get(row["id"], []),
                "closing": parts.closings.get(row["id"]),
            }
        )
        for row in found
    ]


async def present_objective(session: AsyncSession, objective: Objective) -> ObjectiveRead:
    (read,) = await present_objectives(session, [objective])
    return read


async def objective_payload(session: AsyncSession, objective: Objective) -> ObjectivePayload:
    contributors = await repository.of_objectives(session, Contributor, [objective.id])
    return ObjectivePayload.model_validate(
        {
            **objective.model_dump(include=set(ObjectivePayload.model_fields)),
            "contributor_ids": [row.person_id for row in contributors],
        }
    )


async def record_objective_updated(
    session: AsyncSession, objective: Objective, changed: Iterable[str]
) -> None:
    payload = await objective_payload(session, objective)
    await record_event(
        session,
        OBJECTIVE_UPDATED,
        ObjectiveUpdatedPayload(**payload.model_dump(), changed=sorted(set(changed))),
    )


# --- Objectives ------------------------------------------------------------------------------


async def person_in_copy(
    session: AsyncSession, person_id: uuid.UUID, *, code: str, field: str
) -> Any:
    person = await repository.org_person(session, person_id)
    if person is None:
        raise Unprocessable("No person has this id.", code=code, field=field)
    return person


async def _check_owner(session: AsyncSession, data: ObjectiveCreate) -> None:
    """The owner is in the org copy, and a person owning it is active."""
    if data.owner_person_id is not None:
        person = await person_in_copy(
            session, data.owner_person_id, code="unknown_owner", field="body.owner_person_id"
        )
        if not person.active:
            raise Conflict(
                "An inactive person cannot own a new objective.",
                code="owner_inactive",
                field="body.owner_person_id",
            )
    elif data.owner_team_id is not None:
        if await repository.org_team(session, data.owner_team_id) is None:
            raise Unprocessable(
                "No team has this id.", code="unknown_owner", field="body.owner_team_id"
            )


async def _check_contributor(
    session: AsyncSession, objective_owner: uuid.UUID | None, person_id: uuid.UUID, field: str
) -> None:
    person = await person_in_copy(session, person_id, code="unknown_person", field=field)
    if person_id == objective_owner:
        raise Unprocessable(
            "The owner works on it already; a contributor is someone else.",
            code="contributor_is_owner",
            field=field,
        )
    if not person.active:
        raise Conflict(
            "An inactive person cannot contribute.", code="contributor_inactive", field=field
        )


async def create_objective(
    session: AsyncSession, actor: Actor, data: ObjectiveCreate
) -> ObjectiveRead:
    creator = person_of(actor)
    cycle = await held_cycle(session, data.cycle_id)
    if cycle is None:
        raise Unprocessable("No cycle has this id.", code="unknown_cycle", field="body.cycle_id")
    if data.owner_kind != OwnerKind.COMPANY:
        await _check_owner(session, data)
    relations = await _relations(
        session, actor, person_id=data.owner_person_id, team_id=data.owner_team_id
    )
    POLICY.authorize(actor, "objective.create", relations)
    refuse_closed(cycle)
    contributor_ids = distinct(data.contributor_ids)
    for index, person_id in enumerate(contributor_ids):
        await _check_contributor(
            session, data.owner_person_id, person_id, f"body.contributor_ids.{index}"
        )
    objective = Objective.model_validate(
        {**data.model_dump(exclude={"contributor_ids"}), "created_by": creator}
    )
    await repository.save(session, objective)
    for person_id in contributor_ids:
        await repository.save(
            session,
            Contributor(objective_id=objective.id, person_id=person_id, added_by=creator),
        )
    await record_event(session, OBJECTIVE_CREATED, await objective_payload(session, objective))
    return await present_objective(session, objective)


async def get_objective(
    session: AsyncSession, actor: Actor, objective_id: uuid.UUID
) -> ObjectiveRead:
    # Only whether the actor sees it (their relations to it decide nothing here), decided in
    # the statement that finds it, as a batch read does.
    found = await repository.objective_rows_by_ids(session, sight_of(actor), [objective_id])
    if not found:
        raise NotFound(_OBJECTIVE_NOT_FOUND, code="objective_not_found")
    (read,) = await present_objectives(session, found)
    return read


async def list_objectives(
    session: AsyncSession, actor: Actor, query: ObjectiveQuery
) -> Page[ObjectiveRead]:
    """Objectives the actor may see; private ones of others are left out, not refused."""
    _refuse_risk_across_people(actor, query)
    if query.id:
        found = await repository.objective_rows_by_ids(session, sight_of(actor), query.id)
        return Page(items=await present_objectives(session, found), next_cursor=None)
    filters = ObjectiveFilters(**query.model_dump(exclude={"id", "limit", "cursor"}))
    rows, cursor = await repository.list_objectives(session, sight_of(actor), query.page(), filters)
    return Page(items=await present_objectives(session, rows), next_cursor=cursor)


def _refuse_risk_across_people(actor: Actor, query: ObjectiveQuery) -> None:
    """`at_risk` reads key results' latest status, which follows its author's confidence
    when none is named: across people's objectives it would pick people out by confidence.
    It narrows team and company objectives, and a person's own."""
    if query.at_risk is None:
        return
    teams_only = query.owner_kind in (OwnerKind.TEAM, OwnerKind.COMPANY) or (
        query.owner_team_id is not None and query.owner_kind is None
    )
    own = query.owner_person_id is not None and query.owner_person_id == actor.person_id
    if not (teams_only or own):
        raise Unprocessable(
            "`at_risk` narrows team and company objectives (`owner_kind`), or your own "
            "(`owner_person_id`); other people are never picked out by how confident they "
            "are. See the OKR firewall.",
            code="okr_firewall",
            field="query.at_risk",
        )


async def objectives_by_owner(
    session: AsyncSession, actor: Actor, query: ObjectivesByOwnerQuery
) -> ObjectivesByOwnerRead:
    """The first `per_owner` objectives of each owner asked (that the actor may see)."""
    person_ids = distinct(query.owner_person_id or [])
    team_ids = distinct(query.owner_team_id or [])
    if not person_ids and not team_ids:
        raise Unprocessable(
            "Name at least one owner: `owner_person_id` or `owner_team_id`.",
            code="owner_required",
            field="query.owner_person_id",
        )
    if len(person_ids) + len(team_ids) > MAX_BATCH_IDS:
        raise Unprocessable(
            f"At most {MAX_BATCH_IDS} owners at once.",
            code="too_many_owners",
            field="query.owner_person_id",
        )
    people, teams = await repository.objectives_by_owner(
        session,
        sight_of(actor),
        person_ids=person_ids,
        team_ids=team_ids,
        cycle_id=query.cycle_id,
        per_owner=query.per_owner,
    )
    batches: list[tuple[uuid.UUID | None, uuid.UUID | None, Batch]]
    batches = [(id_, None, people[id_]) for id_ in person_ids]
    batches += [(None, id_, teams[id_]) for id_ in team_ids]
    reads = iter(
        await present_objectives(session, [row for *_, batch in batches for row in batch.rows])
    )
    return ObjectivesByOwnerRead(
        groups=[
            OwnerObjectivesRead(
                owner_person_id=person_id,
                owner_team_id=team_id,
                items=[next(reads) for _ in batch.rows],
                has_more=batch.has_more,
                next_cursor=batch.next_cursor,
            )
            for person_id, team_id, batch in batches
        ]
    )


async def reopen_agreement(session: AsyncSession, objective: Objective) -> bool:
    """What was signed changed: its signatures go, and an agreed objective is proposed
    again. True if anything changed (the caller records it)."""
    cleared = await repository.clear_signatures(session, objective.id)
    if objective.status != ObjectiveStatus.AGREED and not cleared:
        return False
    if objective.status == ObjectiveStatus.AGREED:
        objective.status = ObjectiveStatus.PROPOSED
    return True


# Changing these changes what was agreed.
_SIGNED_FIELDS = frozenset({"title", "description", "kind", "visibility"})


async def _refuse_widening_unless_owner(
    session: AsyncSession, actor: Actor, objective: Objective, what: str
) -> None:
    """Who sees an objective is its owner's choice: making it public or adding someone to it
    is for the owner (a team's lead, HR admins for a team without one; HR admins for the
    company), not for everyone who works on it."""
    if objective.owner_person_id is not None:
        owner = actor.person_id == objective.owner_person_id
    elif objective.owner_team_id is not None:
        team = await repository.org_team(session, objective.owner_team_id)
        lead = None if team is None else team.lead_id
        owner = actor.person_id == lead if lead is not None else actor.role == Role.HR_ADMIN
    else:
        owner = actor.role == Role.HR_ADMIN
    if not owner:
        raise Forbidden(
            f"Only the objective's owner may {what}: who sees it is theirs to decide.",
            code="owner_only",
        )


async def update_objective(
    session: AsyncSession,
    actor: Actor,
    objective_id: uuid.UUID,
    data: ObjectiveUpdate,
    if_match: str | None,
) -> ObjectiveRead:
    """Change its text, kind or visibility, or move its drafting status. Once signed, a
    change of what was signed takes the signatures back (an agreed objective is proposed
    again); `agreed` comes only from signatures."""
    objective, relations = await visible_objective(session, actor, objective_id, lock=True)
    POLICY.authorize(actor, "objective.update", relations)
    check_if_match(if_match, objective.version)
    await open_cycle_of(session, objective)
    changes = changed(objective, data.model_dump(exclude_unset=True))
    if not changes:
        return await present_objective(session, objective)
    if (
        changes.get("visibility") == Visibility.PRIVATE
        and objective.owner_kind == OwnerKind.COMPANY
    ):
        raise Unprocessable(
            "Company objectives are public.",
            code="company_objectives_are_public",
            field="body.visibility",
        )
    if changes.get("visibility") == Visibility.PUBLIC:
        await _refuse_widening_unless_owner(session, actor, objective, "make it public")
    status = changes.pop("status", None)
    if status == ObjectiveStatus.AGREED:
        raise Conflict(
            "An objective is agreed when its owner and the owner's manager have both signed it.",
            code="signatures_required",
            field="body.status",
        )
    before = objective.status
    if status is not None or _SIGNED_FIELDS & changes.keys():
        await reopen_agreement(session, objective)
    if status is not None:
        objective.status = status
    if objective.status != before:
        changes["status"] = objective.status
    apply_patch(objective, changes)
    await repository.save(session, objective)
    await record_objective_updated(session, objective, changes)
    return await present_objective(session, objective)


async def add_contributor(
    session: AsyncSession, actor: Actor, objective_id: uuid.UUID, data: ContributorAdd
) -> ObjectiveRead:
    """Someone works on it with its owner: they see it even when private, change it and
    check in on it."""
    adder = person_of(actor)
    objective, relations = await visible_objective(session, actor, objective_id, lock=True)
    POLICY.authorize(actor, "objective.update", relations)
    await _refuse_widening_unless_owner(session, actor, objective, "add a contributor")
    await open_cycle_of(session, objective)
    await _check_contributor(session, objective.owner_person_id, data.person_id, "body.person_id")
    if await repository.is_contributor(session, objective.id, data.person_id):
        raise Conflict(
            "This person contributes already.",
            code="already_contributor",
            field="body.person_id",
        )
    await repository.save(
        session, Contributor(objective_id=objective.id, person_id=data.person_id, added_by=adder)
    )
    await record_objective_updated(session, objective, ["contributor_ids"])
    return await present_objective(session, objective)


async def delete_contributor(
    session: AsyncSession, actor: Actor, objective_id: uuid.UUID, person_id: uuid.UUID
) -> None:
    objective, relations = await visible_objective(session, actor, objective_id, lock=True)
    POLICY.authorize(actor, "objective.update", relations)
    await open_cycle_of(session, objective)
    contributor = await repository.get(session, Contributor, (objective.id, person_id))
    if contributor is None:
        raise NotFound("This person is no contributor of it.", code="contributor_not_found")
    await repository.delete(session, contributor)
    await record_objective_updated(session, objective, ["contributor_ids"])
