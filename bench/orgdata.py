"""A realistic organisation at a chosen scale, written with `COPY` straight into each service's
freshly migrated database (never through the API: a million rows would take hours).

At 100 %: 10 000 people in 1 000 teams of ten (a lead and nine members), teams in a tree of
fan-out ten whose leads report to the lead of the parent team; five quarterly cycles, two
objectives per person per cycle (one public, one private) with three key results each and
about ten check-ins per three key results; a hundred feedback items per person. Each service
that keeps an org copy gets the same directory in its `org_*` tables, and a `consumer_offset`
at the people feed's head, so that no consumer replays anything at start-up."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg

# Rows at 100 %; a scale multiplies them.
PEOPLE_AT_FULL = 10_000
TEAM_SIZE = 10
TEAM_FANOUT = 10
CYCLES = 5
OBJECTIVES_PER_PERSON_PER_CYCLE = 2
KEY_RESULTS_PER_OBJECTIVE = 3
FEEDBACK_PER_PERSON = 100
# The people feed is empty: the directory was written by COPY, not through its outbox.
PEOPLE_FEED_HEAD = 0
ORG_COPY_CONSUMER = "org-copy"
# Not generated yet: those services' tables do not exist. Each lands here with its rows
# (at 100 %: 50 000 1:1 meetings in feedback, 200 000 assessment responses).
LATER = ("1:1 meetings (feedback)",)

_WORDS = (
    "grow revenue ship reliable faster onboarding customers quality reduce churn improve "
    "platform latency hiring coaching trust learning release partners launch support costs "
    "security accessibility documentation mobile search insight teams pipeline"
).split()


@dataclass(frozen=True)
class Person:
    index: int
    id: uuid.UUID
    email: str
    name: str
    team: int
    manager: int | None
    is_hr_admin: bool


@dataclass
class Org:
    """What the scenarios need to know about the generated data, besides the rows."""

    scale: float
    people: list[Person]
    team_ids: list[uuid.UUID]
    team_parent: list[int | None]
    cycle_ids: list[uuid.UUID] = field(default_factory=list)
    # Per person: their objectives of the active cycle, (public, private).
    active_objectives: dict[int, tuple[uuid.UUID, uuid.UUID]] = field(default_factory=dict)
    key_results_of: dict[uuid.UUID, list[uuid.UUID]] = field(default_factory=dict)
    feedback_ids: list[uuid.UUID] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def active_cycle(self) -> uuid.UUID:
        return self.cycle_ids[-1]

    def reports_of(self, index: int) -> list[int]:
        return [p.index for p in self.people if p.manager == index]

    def team_page_viewer(self) -> Person:
        """The lead of a team whose sub-teams are all leaf teams: about a hundred people two
        levels down (nine members, ten sub-team leads and their nine members each)."""
        children: dict[int, list[int]] = {}
        for team, parent in enumerate(self.team_parent):
            if parent is not None:
                children.setdefault(parent, []).append(team)
        for team in range(len(self.team_ids)):
            subs = children.get(team, [])
            if subs and all(sub not in children for sub in subs):
                return self.people[team * TEAM_SIZE]
        return self.people[0]

    def hr_admin(self) -> Person:
        return next(p for p in self.people if p.is_hr_admin)


class _Ids:
    """Deterministic UUIDs (version 4 layout) from a seeded generator: same scale, same ids."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def __call__(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)


def _title(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize()


def build_org(scale: float, seed: int = 9) -> Org:
    rng = random.Random(seed)
    new_id = _Ids(rng)
    count = max(TEAM_SIZE * 2, round(PEOPLE_AT_FULL * scale / TEAM_SIZE) * TEAM_SIZE)
    teams = count // TEAM_SIZE
    team_parent: list[int | None] = [None] + [(t - 1) // TEAM_FANOUT for t in range(1, teams)]
    people = []
    for index in range(count):
        team = index // TEAM_SIZE
        lead = team * TEAM_SIZE
        if index != lead:
            manager: int | None = lead
        else:
            parent = team_parent[team]
            manager = None if parent is None else parent * TEAM_SIZE
        people.append(
            Person(
                index=index,
                id=new_id(),
                email=f"person{index}@bench.example",
                name=f"Person {index}",
                team=team,
                manager=manager,
                # The second person of the top team runs HR: the events scenario needs one.
                is_hr_admin=index == 1,
            )
        )
    return Org(
        scale=scale,
        people=people,
        team_ids=[new_id() for _ in range(teams)],
        team_parent=team_parent,
    )


_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
# Rows held in memory before they go to COPY.
_CHUNK = 100_000


async def _copy(
    connection: asyncpg.Connection,
    table: str,
    columns: Sequence[str],
    records: Iterable[tuple[Any, ...]],
) -> int:
    rows = list(records)
    if rows:
        await connection.copy_records_to_table(table, records=rows, columns=list(columns))
    return len(rows)


async def load_people(connection: asyncpg.Connection, org: Org) -> dict[str, int]:
    people = org.people
    created = [_EPOCH + timedelta(seconds=p.index) for p in people]
    teams = [
        (
            team_id,
            f"Team {t}",
            "department" if org.team_parent[t] is None or t <= TEAM_FANOUT else "team",
            None if org.team_parent[t] is None else org.team_ids[org.team_parent[t]],  # type: ignore[index]  # checked just before
            None,
            _EPOCH,
            _EPOCH,
            1,
        )
        for t, team_id in enumerate(org.team_ids)
    ]
    counts = {
        "team": await _copy(
            connection,
            "team",
            ("id", "name", "kind", "parent_id", "lead_id", "created_at", "updated_at", "version"),
            teams,
        )
    }
    person_rows = (
        (
            p.id,
            f"E{p.index:06d}",
            p.email,
            p.name,
            "Lead" if p.index % TEAM_SIZE == 0 else "Engineer",
            "hr_admin" if p.is_hr_admin else "employee",
            None,
            "active",
            "en",
            "UTC",
            created[p.index],
            created[p.index],
            1,
        )
        for p in people
    )
    columns = (
        "id",
        "employee_number",
        "email",
        "name",
        "title",
        "access_role",
        "manager_id",
        "status",
        "locale",
        "time_zone",
        "created_at",
        "updated_at",
        "version",
    )
    counts["person"] = await _copy(connection, "person", columns, person_rows)
    # Managers and leads after everyone exists: both are foreign keys to person.
    await connection.executemany(
        "UPDATE person SET manager_id = $2 WHERE id = $1",
        [(p.id, people[p.manager].id) for p in people if p.manager is not None],
    )
    await connection.executemany(
        "UPDATE team SET lead_id = $2 WHERE id = $1",
        [(org.team_ids[t], people[t * TEAM_SIZE].id) for t in range(len(org.team_ids))],
    )
    counts["membership"] = await _copy(
        connection,
        "membership",
        ("team_id", "person_id", "since"),
        ((org.team_ids[p.team], p.id, _EPOCH) for p in people),
    )
    counts["reporting_line"] = await _copy(
        connection,
        "reporting_line",
        ("id", "person_id", "manager_id", "effective_at", "changed_by_integration", "created_at"),
        (
            (uuid.uuid4(), p.id, people[p.manager].id, _EPOCH, "bench", _EPOCH)
            for p in people
            if p.manager is not None
        ),
    )
    return counts


async def load_org_copy(connection: asyncpg.Connection, org: Org) -> dict[str, int]:
    """The directory as a consumer of the people feed keeps it (`kit.orgcopy`), already
    caught up with the feed's head."""
    people = org.people
    counts = {
        "org_person": await _copy(
            connection,
            "org_person",
            (
                "id",
                "email",
                "employee_number",
                "external_id",
                "name",
                "manager_id",
                "active",
                "is_hr_admin",
                "time_zone",
                "updated_at",
            ),
            (
                (
                    p.id,
                    p.email,
                    f"E{p.index:06d}",
                    None,
                    p.name,
                    None if p.manager is None else people[p.manager].id,
                    True,
                    p.is_hr_admin,
                    "UTC",
                    _EPOCH,
                )
                for p in people
            ),
        ),
        "org_team": await _copy(
            connection,
            "org_team",
            ("id", "name", "kind", "parent_id", "lead_id"),
            (
                (
                    team_id,
                    f"Team {t}",
                    "team",
                    None if org.team_parent[t] is None else org.team_ids[org.team_parent[t]],  # type: ignore[index]  # checked just before
                    people[t * TEAM_SIZE].id,
                )
                for t, team_id in enumerate(org.team_ids)
            ),
        ),
        "org_membership": await _copy(
            connection,
            "org_membership",
            ("team_id", "person_id"),
            ((org.team_ids[p.team], p.id) for p in people),
        ),
    }
    await connection.execute(
        "INSERT INTO consumer_offset (consumer, position, updated_at) VALUES ($1, $2, now())",
        ORG_COPY_CONSUMER,
        PEOPLE_FEED_HEAD,
    )
    return counts


async def load_goals(connection: asyncpg.Connection, org: Org, seed: int = 9) -> dict[str, int]:
    rng = random.Random(seed + 1)
    new_id = _Ids(rng)
    people = org.people
    today = datetime.now(UTC).date()
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    starts = [quarter_start]
    for _ in range(CYCLES - 1):
        previous = starts[0] - timedelta(days=1)
        starts.insert(0, date(previous.year, 3 * ((previous.month - 1) // 3) + 1, 1))
    cycles = []
    for number, start in enumerate(starts):
        end = (start + timedelta(days=95)).replace(day=1) - timedelta(days=1)
        active = number == CYCLES - 1
        cycles.append((new_id(), f"{start.year} Q{(start.month - 1) // 3 + 1}", start, end, active))
    org.cycle_ids = [cycle[0] for cycle in cycles]
    counts = {
        "cycle": await _copy(
            connection,
            "cycle",
            (
                "id",
                "name",
                "starts_on",
                "ends_on",
                "status",
                "closed_at",
                "created_at",
                "updated_at",
                "version",
            ),
            (
                (
                    cid,
                    name,
                    start,
                    end,
                    "active" if active else "closed",
                    None if active else datetime.combine(end, datetime.min.time(), UTC),
                    _EPOCH,
                    _EPOCH,
                    1,
                )
                for cid, name, start, end, active in cycles
            ),
        )
    }
    objectives: list[tuple[Any, ...]] = []
    alignments: list[tuple[Any, ...]] = []
    key_results: list[tuple[Any, ...]] = []
    check_ins: list[tuple[Any, ...]] = []
    root = people[0]
    for cycle_id, _name, start, end, active in cycles:
        moment = datetime.combine(start, datetime.min.time(), UTC)
        last = min(datetime.now(UTC) - timedelta(hours=1), moment + (end - start))
        span = max(1.0, (last - moment).total_seconds())
        company = new_id()
        objectives.append(
            (
                company,
                cycle_id,
                "Company: " + _title(rng, 4),
                None,
                "company",
                None,
                "committed",
                "agreed",
                "public",
                root.id,
                moment,
                moment,
                1,
            )
        )
        first_of: dict[int, uuid.UUID] = {}
        for p in people:
            mine = []
            for number in range(OBJECTIVES_PER_PERSON_PER_CYCLE):
                objective_id = new_id()
                mine.append(objective_id)
                created = moment + timedelta(seconds=p.index * 4 + number)
                visibility = "public" if number % 2 == 0 else "private"
                objectives.append(
                    (
                        objective_id,
                        cycle_id,
                        _title(rng, 5),
                        None,
                        "person",
                        p.id,
                        "committed",
                        "agreed",
                        visibility,
                        p.id,
                        created,
                        created,
                        1,
                    )
                )
                krs = []
                for k in range(KEY_RESULTS_PER_OBJECTIVE):
                    kr_id = new_id()
                    krs.append(kr_id)
                    value = 0.0
                    confidence = 7
                    checked: datetime | None = None
                    # About ten check-ins per three key results (1 000 000 at 100 %).
                    n = 4 if k == 0 else 3
                    for step in range(n):
                        checked = moment + timedelta(seconds=span * (step + 1) / (n + 1))
                        value = round(value + rng.uniform(0, 25), 1)
                        confidence = rng.randint(3, 10)
                        status = (
                            "on_track"
                            if confidence >= 7
                            else "at_risk"
                            if confidence >= 4
                            else "off_track"
                        )
                        check_ins.append(
                            (new_id(), kr_id, value, confidence, status, None, p.id, checked)
                        )
                    key_results.append(
                        (
                            kr_id,
                            objective_id,
                            _title(rng, 4),
                            "increase_to",
                            0.0,
                            100.0,
                            value,
                            "%",
                            p.id,
                            1.0,
                            confidence,
                            status,
                            checked,
                            created,
                            created,
                            1,
                        )
                    )
                org.key_results_of[objective_id] = krs
            first_of[p.index] = mine[0]
            if active:
                org.active_objectives[p.index] = (mine[0], mine[1])
        # Each person's first objective supports their manager's (the top one, the company's),
        # accepted by the parent's owner (the root for the company's), so that it rolls up.
        for p in people:
            parent = company if p.manager is None else first_of[p.manager]
            decider = (root if p.manager is None else people[p.manager]).id
            alignments.append(
                (
                    *(new_id(), first_of[p.index], parent, None, 1.0, p.id, moment, moment, 1),
                    *("accepted", decider, moment),
                )
            )
    counts["objective"] = await _copy(
        connection,
        "objective",
        (
            "id",
            "cycle_id",
            "title",
            "description",
            "owner_kind",
            "owner_person_id",
            "kind",
            "status",
            "visibility",
            "created_by",
            "created_at",
            "updated_at",
            "version",
        ),
        objectives,
    )
    counts["key_result"] = await _copy(
        connection,
        "key_result",
        (
            "id",
            "objective_id",
            "title",
            "kind",
            "start",
            "target",
            "current",
            "unit",
            "owner_person_id",
            "weight",
            "confidence",
            "status",
            "checked_in_at",
            "created_at",
            "updated_at",
            "version",
        ),
        key_results,
    )
    counts["check_in"] = await _copy(
        connection,
        "check_in",
        (
            "id",
            "key_result_id",
            "value",
            "confidence",
            "status",
            "note",
            "author_id",
            "created_at",
        ),
        check_ins,
    )
    counts["alignment"] = await _copy(
        connection,
        "alignment",
        (
            "id",
            "child_objective_id",
            "parent_objective_id",
            "parent_key_result_id",
            "weight",
            "created_by",
            "created_at",
            "updated_at",
            "version",
            "state",
            "decided_by",
            "decided_at",
        ),
        alignments,
    )
    return counts


def _chain(people: list[Person], index: int, chains: dict[int, list[uuid.UUID]]) -> list[uuid.UUID]:
    """The person's managers upwards: the audience recorded with feedback they receive."""
    if index not in chains:
        manager = people[index].manager
        chains[index] = (
            [] if manager is None else [people[manager].id, *_chain(people, manager, chains)]
        )
    return chains[index]


async def load_feedback(connection: asyncpg.Connection, org: Org, seed: int = 9) -> dict[str, int]:
    rng = random.Random(seed + 2)
    new_id = _Ids(rng)
    people = org.people
    total = len(people) * FEEDBACK_PER_PERSON
    year = 365 * 24 * 3600
    columns = (
        "id",
        "giver_id",
        "recipient_id",
        "body",
        "kind",
        "topic",
        "visibility",
        "audience",
        "created_at",
        "updated_at",
        "version",
    )
    rows: list[tuple[Any, ...]] = []
    count = 0
    chains: dict[int, list[uuid.UUID]] = {}
    for n in range(total):
        giver = people[n % len(people)]
        # Mostly to someone close (manager, teammate), sometimes anyone.
        if giver.manager is not None and rng.random() < 0.5:
            recipient = people[giver.manager]
        else:
            recipient = people[rng.randrange(len(people))]
        if recipient.index == giver.index:
            recipient = people[(giver.index + 1) % len(people)]
        created = _EPOCH + timedelta(seconds=year * n / total)
        visibility = rng.choice(("public", "public", "manager", "private"))
        feedback_id = new_id()
        # Ids handed to the single-object scenario must be readable by anyone: public ones.
        if visibility == "public" and len(org.feedback_ids) < 500:
            org.feedback_ids.append(feedback_id)
        rows.append(
            (
                feedback_id,
                giver.id,
                recipient.id,
                _title(rng, 12) + ".",
                "praise" if rng.random() < 0.7 else "suggestion",
                None,
                visibility,
                _chain(people, recipient.index, chains),
                created,
                created,
                1,
            )
        )
        if len(rows) == _CHUNK:
            count += await _copy(connection, "feedback", columns, rows)
            rows = []
    count += await _copy(connection, "feedback", columns, rows)
    return {"feedback": count}
