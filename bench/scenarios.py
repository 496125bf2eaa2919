"""The scenarios of issue 9, run against one loaded stack; each returns plain figures."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from prometheus_client.parser import text_string_to_metric_families

from bench import load, orgdata
from bench.load import Request
from bench.stack import SERVICES, Stack

# Concurrency of the throughput runs (as in the first measurement); latency runs use
# one connection so that the figures are the path's own cost, without queueing.
CONNECTIONS = 16
HEAVY_CONNECTIONS = 1
PAGE = 50
SINGLE_IDS = 200
WRITERS = 200
# No request served for this long: what a run left in flight is done.
QUIET_SECONDS = 1.5

HOME_QUERY = (
    "{ viewer { name manager { name } "
    "objectives(first: 10) { edges { node { title progress } } } } }"
)
_OBJECTIVES = "objectives(first: 10) { edges { node { title progress } } }"
# Feedback counts: the graph has no count of a person's feedback and lists it oldest first, so
# the page reads the dates of up to `FEEDBACK_SHOWN` items each person received (visible to
# the viewer) and counts the recent ones itself; `hasNextPage` says there are more.
FEEDBACK_SHOWN = 20
_FEEDBACK = (
    f"feedbackReceived(first: {FEEDBACK_SHOWN}) "
    "{ edges { node { createdAt } } pageInfo { hasNextPage } }"
)
_PERSON = f"name {_OBJECTIVES} {_FEEDBACK}"
# The team page, and the same page cut at each nesting level (to count requests per level).
TEAM_LEVELS = (
    "{ viewer { name } }",
    "{ viewer { name reports(first: 20) { edges { node { name } } } } }",
    "{ viewer { name reports(first: 20) { edges { node { "
    + _PERSON
    + " reports(first: 10) { edges { node { name } } } } } } } }",
    "{ viewer { name reports(first: 20) { edges { node { "
    + _PERSON
    + " reports(first: 10) { edges { node { "
    + _PERSON
    + " } } } } } } } }",
)
TEAM_QUERY = TEAM_LEVELS[-1]
Figures = dict[str, Any]


@dataclass
class Runner:
    stack: Stack
    org: orgdata.Org
    wrk: str
    seconds: float
    wrk_cpu: str | None
    out_dir: Path
    # Fewer in smoke mode, where only the figures' presence counts: a slow path still
    # completes requests within a one-second run.
    connections: int = CONNECTIONS
    # Statements (or transactions) per second each service's database sees when idle.
    background: dict[str, float] = field(default_factory=dict)

    def bearer(self, person: orgdata.Person) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.stack.token(person.email)}"}

    def run(
        self,
        process: str,
        name: str,
        requests: Sequence[Request],
        connections: int | None = None,
        seconds: float | None = None,
    ) -> load.Result:
        return load.run(
            self.wrk,
            self.stack.url(process),
            requests,
            seconds=self.seconds if seconds is None else seconds,
            connections=self.connections if connections is None else connections,
            cpu=self.wrk_cpu,
            script_dir=self.out_dir,
            name=name,
        )

    def alone(self, process: str, name: str, requests: Sequence[Request]) -> dict[str, Any]:
        """Latency on one connection, run after the same requests under load (so pools and
        prepared statements are warm): the path's own cost, without queueing behind other
        requests on a shared CPU. What the scales are compared by."""
        return self.run(process, f"{name}-alone", requests, connections=1).figures()

    def graphql(self, person: orgdata.Person, query: str) -> Request:
        headers = {**self.bearer(person), "Content-Type": "application/json"}
        return Request("/graphql", "POST", headers, json.dumps({"query": query}))


def _ids(values: Sequence[uuid.UUID], limit: int = SINGLE_IDS) -> list[uuid.UUID]:
    return list(values[:limit])


# --- 1. REST reads against the baseline -------------------------------------------------------


def rest_reads(runner: Runner) -> Figures:
    org = runner.org
    viewer = org.team_page_viewer()
    auth = runner.bearer(viewer)
    public = [pair[0] for pair in org.active_objectives.values()]
    figures: Figures = {
        "baseline_hello": runner.run("baseline-hello", "baseline-hello", [Request("/")]).figures(),
        "baseline_asyncpg": runner.run(
            "baseline-asyncpg",
            "baseline-asyncpg",
            [Request(f"/objectives/{i}") for i in _ids(public)],
        ).figures(),
    }
    with httpx.Client(base_url=runner.stack.url("assessment"), headers=auth) as client:
        instruments = [item["id"] for item in client.get("/v1/instruments").json()["items"]]
    reads = {
        "people": (
            [f"/v1/people/{p.id}" for p in org.people[:SINGLE_IDS]],
            f"/v1/people?limit={PAGE}",
        ),
        "goals": ([f"/v1/objectives/{i}" for i in _ids(public)], f"/v1/objectives?limit={PAGE}"),
        "feedback": (
            [f"/v1/feedback/{i}" for i in _ids(org.feedback_ids)],
            f"/v1/feedback?limit={PAGE}",
        ),
        "assessment": (
            [f"/v1/instruments/{i}" for i in instruments],
            f"/v1/instruments?limit={PAGE}",
        ),
    }
    limit = figures["baseline_asyncpg"]["rps"] or 1.0
    for service, (singles, page) in reads.items():
        before = database_count(runner, service)
        requests = [Request(p, headers=auth) for p in singles]
        one = runner.run(service, f"{service}-one", requests)
        figures[f"{service}_one"] = {
            **one.figures(),
            "ratio_to_baseline": round(one.rps / limit, 3),
            **database_work(runner, service, one, before),
            "one_connection": runner.alone(service, f"{service}-one", requests),
        }
        before = database_count(runner, service)
        requests = [Request(page, headers=auth)]
        many = runner.run(service, f"{service}-page", requests)
        figures[f"{service}_page"] = {
            **many.figures(),
            "ratio_to_baseline": round(many.rps / limit, 3),
            **database_work(runner, service, many, before),
            "one_connection": runner.alone(service, f"{service}-page", requests),
        }
    return figures


# --- Counting downstream requests -------------------------------------------------------------


def _request_counts(runner: Runner) -> dict[tuple[str, str], float]:
    """Requests served so far per (service, route), background feed polls left out."""
    counts: dict[tuple[str, str], float] = {}
    with httpx.Client(timeout=5.0) as client:
        for spec in SERVICES:
            text = client.get(runner.stack.processes[spec.name].metrics_url).text
            for family in text_string_to_metric_families(text):
                if family.name != "inspire_http_requests":
                    continue
                for sample in family.samples:
                    route = sample.labels.get("route", "")
                    if not sample.name.endswith("_total") or route.startswith(
                        ("/internal", "/readyz", "/healthz")
                    ):
                        continue
                    key = (spec.name, f"{sample.labels.get('method')} {route}")
                    counts[key] = counts.get(key, 0.0) + sample.value
    return counts


def _settled_counts(runner: Runner) -> dict[tuple[str, str], float]:
    """The counts once the services are done with what an earlier run left in flight (wrk
    stops at its deadline; the servers still finish those requests)."""
    counts = _request_counts(runner)
    quiet_since = time.monotonic()
    deadline = quiet_since + 60.0
    while time.monotonic() - quiet_since < QUIET_SECONDS and time.monotonic() < deadline:
        time.sleep(0.25)
        again = _request_counts(runner)
        if again != counts:
            counts, quiet_since = again, time.monotonic()
    return counts


def downstream(runner: Runner, request: Request) -> dict[str, dict[str, int]]:
    """The requests one gateway query makes, per service and route."""
    before = _settled_counts(runner)
    with httpx.Client(base_url=runner.stack.url("gateway"), timeout=60.0) as client:
        response = client.post(request.path, headers=dict(request.headers), content=request.body)
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            raise load.LoadError(f"gateway query failed: {response.text[:500]}")
    after = _request_counts(runner)
    found: dict[str, dict[str, int]] = {}
    for key, value in after.items():
        if (delta := int(value - before.get(key, 0.0))) > 0:
            found.setdefault(key[0], {})[key[1]] = delta
    return found


def _per_service(counts: dict[str, dict[str, int]]) -> dict[str, int]:
    return {service: sum(routes.values()) for service, routes in counts.items()}


# --- 2. The viewer home query -----------------------------------------------------------------


def viewer_home(runner: Runner) -> Figures:
    org = runner.org
    viewer = org.team_page_viewer()
    auth = runner.bearer(viewer)
    query = runner.graphql(viewer, HOME_QUERY)
    manager = org.people[viewer.manager] if viewer.manager is not None else viewer
    load_run = runner.run("gateway", "home-load", [query])
    alone = runner.run("gateway", "home-alone", [query], connections=1)
    me = runner.run("people", "home-me", [Request("/v1/people/me", headers=auth)], connections=1)
    boss = runner.run(
        "people", "home-manager", [Request(f"/v1/people?id={manager.id}", headers=auth)], 1
    )
    owned = runner.run(
        "goals",
        "home-objectives",
        [
            Request(
                f"/v1/objectives/by-owner?owner_person_id={viewer.id}&per_owner=10", headers=auth
            )
        ],
        1,
    )
    # people/me, then the manager and the objectives side by side.
    critical = me.p50_ms + max(boss.p50_ms, owned.p50_ms)
    counts = downstream(runner, query)
    return {
        "gateway": load_run.figures(),
        "gateway_one_connection": alone.figures(),
        "rest_critical_path_p50_ms": round(critical, 2),
        "rest_calls_p50_ms": {
            "GET /v1/people/me": me.p50_ms,
            "GET /v1/people?id=": boss.p50_ms,
            "GET /v1/objectives/by-owner": owned.p50_ms,
        },
        "ratio_to_critical_path": round(alone.p50_ms / critical, 2) if critical else None,
        "downstream_requests": counts,
        "downstream_total": sum(_per_service(counts).values()),
    }


# --- 3. The team page, and what authorization costs -------------------------------------------


def team_page(runner: Runner) -> Figures:
    org = runner.org
    viewer = org.team_page_viewer()
    auth = runner.bearer(viewer)
    query = runner.graphql(viewer, TEAM_QUERY)
    level1 = org.reports_of(viewer.index)[:20]
    level2 = [r for p in level1 for r in org.reports_of(p)[:10]]
    people_on_page = 1 + len(level1) + len(level2)

    def ids(name: str, members: Sequence[int]) -> str:
        return "&".join(f"{name}={org.people[m].id}" for m in members)

    # Requests added by each nesting level: the page cut after level n, minus the one before.
    levels: list[dict[str, int]] = []
    previous: dict[str, int] = {}
    for level_query in TEAM_LEVELS:
        current = _per_service(downstream(runner, runner.graphql(viewer, level_query)))
        levels.append(
            {s: n - previous.get(s, 0) for s, n in current.items() if n - previous.get(s, 0)}
        )
        previous = current
    load_run = runner.run("gateway", "team-load", [query])
    alone = runner.run("gateway", "team-alone", [query], connections=1)
    calls = {
        "me": ("people", "/v1/people/me"),
        "reports_l1": ("people", f"/v1/people/by-manager?manager_id={viewer.id}&per_manager=20"),
        "reports_l2": (
            "people",
            f"/v1/people/by-manager?{ids('manager_id', level1)}&per_manager=10",
        ),
        "objectives_l2": (
            "goals",
            f"/v1/objectives/by-owner?{ids('owner_person_id', level1)}&per_owner=10",
        ),
        "feedback_l2": ("feedback", _received(ids("person_id", level1))),
        "objectives_l3": (
            "goals",
            f"/v1/objectives/by-owner?{ids('owner_person_id', level2)}&per_owner=10",
        ),
        "feedback_l3": ("feedback", _received(ids("person_id", level2))),
    }
    p50 = {
        name: runner.run(service, f"team-{name}", [Request(path, headers=auth)], 1).p50_ms
        for name, (service, path) in calls.items()
    }
    # Each level's requests go out side by side: the slowest of a level is on the path.
    critical = (
        p50["me"]
        + p50["reports_l1"]
        + max(p50["reports_l2"], p50["objectives_l2"], p50["feedback_l2"])
        + max(p50["objectives_l3"], p50["feedback_l3"])
    )
    return {
        "people_on_page": people_on_page,
        "gateway": load_run.figures(),
        "gateway_one_connection": alone.figures(),
        "rest_calls_p50_ms": {name: round(value, 2) for name, value in p50.items()},
        "rest_critical_path_p50_ms": round(critical, 2),
        "ratio_to_critical_path": round(alone.p50_ms / critical, 2) if critical else None,
        "downstream_per_level": levels,
        "max_requests_per_service_per_level": max(
            (n for level in levels for n in level.values()), default=0
        ),
        "feedback_counts": _feedback_counts(runner, query),
    }


def _received(people: str) -> str:
    return f"/v1/feedback/by-person?{people}&per_person={FEEDBACK_SHOWN}&role=received"


def _feedback_counts(runner: Runner, query: Request) -> dict[str, int]:
    """What the page shows of feedback: people with a count, items read, people with more."""
    with httpx.Client(base_url=runner.stack.url("gateway"), timeout=60.0) as client:
        page = client.post(query.path, headers=dict(query.headers), content=query.body).json()
    people = []
    for lead in page["data"]["viewer"]["reports"]["edges"]:
        people.append(lead["node"])
        people += [edge["node"] for edge in lead["node"]["reports"]["edges"]]
    received = [person["feedbackReceived"] for person in people]
    return {
        "people_counted": sum(1 for r in received if r is not None),
        "items_read": sum(len(r["edges"]) for r in received if r is not None),
        "people_with_more": sum(1 for r in received if r and r["pageInfo"]["hasNextPage"]),
    }


def authorization_cost(runner: Runner) -> Figures:
    """The same private objective read by its owner and by the top of their management chain
    (the deepest chain the organisation has)."""
    org = runner.org
    owner = org.people[-1]
    chain = []
    manager = owner.manager
    while manager is not None:
        chain.append(manager)
        manager = org.people[manager].manager
    top = org.people[chain[-1]]
    private = org.active_objectives[owner.index][1]
    path = f"/v1/objectives/{private}"
    as_owner = [Request(path, headers=runner.bearer(owner))]
    as_chain = [Request(path, headers=runner.bearer(top))]
    by_owner = runner.run("goals", "auth-owner", as_owner)
    by_chain = runner.run("goals", "auth-chain", as_chain)
    return {
        "chain_levels": len(chain),
        "owner": {
            **by_owner.figures(),
            "one_connection": runner.alone("goals", "auth-owner", as_owner),
        },
        "management_chain": {
            **by_chain.figures(),
            "one_connection": runner.alone("goals", "auth-chain", as_chain),
        },
        "chain_to_owner_p50": round(by_chain.p50_ms / by_owner.p50_ms, 2)
        if by_owner.p50_ms
        else None,
    }


# --- 4. The alignment graph of a cycle ---------------------------------------------------------


def alignment_graph(runner: Runner) -> Figures:
    viewer = runner.org.team_page_viewer()
    path = f"/v1/cycles/{runner.org.active_cycle}/alignment"
    result = runner.run(
        "goals",
        "alignment-graph",
        [Request(path, headers=runner.bearer(viewer))],
        connections=HEAVY_CONNECTIONS,
    )
    return {"objectives_in_cycle": len(runner.org.active_objectives) * 2 + 1, **result.figures()}


# --- 5. Writes ---------------------------------------------------------------------------------


async def _count(runner: Runner, service: str, table: str) -> int:
    connection = await asyncpg.connect(runner.stack.database_urls[service])
    try:
        return int(await connection.fetchval(f"SELECT count(*) FROM {table}"))  # noqa: S608  # our table names
    finally:
        await connection.close()


def writes(runner: Runner) -> Figures:
    org = runner.org
    writers = org.people[:: max(1, len(org.people) // WRITERS)][:WRITERS]
    check_ins = []
    feedback = []
    for person in writers:
        auth = {**runner.bearer(person), "Content-Type": "application/json"}
        public, _private = org.active_objectives[person.index]
        for key_result in org.key_results_of[public]:
            body = json.dumps({"value": 42.0, "confidence": 7})
            check_ins.append(Request(f"/v1/key-results/{key_result}/check-ins", "POST", auth, body))
        recipient = org.people[(person.index + 1) % len(org.people)]
        body = json.dumps(
            {
                "recipient_id": str(recipient.id),
                "body": "Thank you for the clear write-up.",
                "kind": "praise",
                "visibility": "public",
            }
        )
        feedback.append(Request("/v1/feedback", "POST", auth, body))
    figures: Figures = {}
    for name, service, table, requests in (
        ("check_ins", "goals", "check_in", check_ins),
        ("feedback", "feedback", "feedback", feedback),
    ):
        rows = asyncio.run(_count(runner, service, table))
        events = asyncio.run(_count(runner, service, "outbox_event"))
        result = runner.run(service, f"write-{name}", requests)
        rows = asyncio.run(_count(runner, service, table)) - rows
        events = asyncio.run(_count(runner, service, "outbox_event")) - events
        figures[name] = {
            **result.figures(),
            "rows_written": rows,
            "outbox_rows_per_write": round(events / rows, 2) if rows else None,
        }
    return figures


# --- 7. Events ---------------------------------------------------------------------------------


async def _event_latency(runner: Runner, rounds: int) -> list[float]:
    org = runner.org
    admin = org.hr_admin()
    subject = org.people[-1]
    managers = [org.people[subject.manager or 0].id, org.people[0].id]
    headers = {"Authorization": f"Bearer {runner.stack.token(admin.email)}"}
    copy = await asyncpg.connect(runner.stack.database_urls["goals"])
    seconds = []
    try:
        async with httpx.AsyncClient(base_url=runner.stack.url("people"), timeout=30.0) as client:
            for n in range(rounds):
                target = managers[(n + 1) % 2]
                current = await client.get(f"/v1/people/{subject.id}", headers=headers)
                etag = current.headers["ETag"]
                started = time.perf_counter()
                changed = await client.patch(
                    f"/v1/people/{subject.id}",
                    headers={**headers, "If-Match": etag},
                    json={"manager_id": str(target)},
                )
                if changed.status_code != 200:
                    raise load.LoadError(f"manager change failed: {changed.text[:300]}")
                deadline = started + 30.0
                while time.perf_counter() < deadline:
                    seen = await copy.fetchval(
                        "SELECT manager_id FROM org_person WHERE id = $1", subject.id
                    )
                    if seen == target:
                        break
                    await asyncio.sleep(0.002)
                else:
                    raise load.LoadError("the goals org copy did not follow within 30 s")
                seconds.append(time.perf_counter() - started)
    finally:
        await copy.close()
    return seconds


def events(runner: Runner, rounds: int) -> Figures:
    latencies = sorted(asyncio.run(_event_latency(runner, rounds)))
    return {
        "people_to_goals_org_copy": {
            "rounds": len(latencies),
            "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
            "max_ms": round(latencies[-1] * 1000, 1),
        },
        "webhook_delivery": "not available yet: no webhooks service",
    }


# --- Idle and memory ---------------------------------------------------------------------------


class Activity:
    """What PostgreSQL has done for some databases so far: statements from pg_stat_statements
    when the server preloads it, else transactions (each at least one statement) from
    pg_stat_database. Both are flushed by the backends about once a second."""

    def __init__(self, connection: asyncpg.Connection, statements: bool) -> None:
        self.connection = connection
        self.statements = statements

    @classmethod
    async def open(cls, server_url: str) -> Activity:
        connection = await asyncpg.connect(server_url)
        preload = await connection.fetchval("SHOW shared_preload_libraries")
        statements = "pg_stat_statements" in (preload or "")
        if statements:
            await connection.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        return cls(connection, statements)

    @property
    def measure(self) -> str:
        if self.statements:
            return "statements (pg_stat_statements)"
        return "transactions (pg_stat_database; each is at least one statement)"

    async def count(self, databases: Sequence[str]) -> float:
        await self.connection.execute("SELECT pg_stat_clear_snapshot()")
        if self.statements:
            query = (
                "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s"
                " JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = ANY($1)"
            )
        else:
            query = (
                "SELECT coalesce(sum(xact_commit + xact_rollback), 0) FROM pg_stat_database"
                " WHERE datname = ANY($1)"
            )
        return float(await self.connection.fetchval(query, list(databases)))

    async def close(self) -> None:
        await self.connection.close()


async def idle_load(runner: Runner, seconds: float) -> Figures:
    """What an idle stack sends PostgreSQL, per second."""
    names = [runner.stack.database(spec.name) for spec in SERVICES]
    activity = await Activity.open(runner.stack.server_url)
    try:
        first = {name: await activity.count([name]) for name in names}
        started = time.perf_counter()
        await asyncio.sleep(seconds)
        last = {name: await activity.count([name]) for name in names}
        elapsed = time.perf_counter() - started
    finally:
        await activity.close()
    per_service = {
        spec.name: round((last[name] - first[name]) / elapsed, 1)
        for spec, name in zip(SERVICES, names, strict=True)
    }
    # What each database does with no request: subtracted from the per-request counts.
    runner.background = per_service
    return {
        "measure": activity.measure,
        "seconds": round(elapsed, 1),
        "per_second": round(sum(per_service.values()), 1),
        "per_service": per_service,
    }


def database_work(
    runner: Runner, service: str, result: load.Result, before: tuple[float, float]
) -> Figures:
    """Statements (or transactions) per request of a run, from the count taken before it,
    less what the database does idle (relays, feed polls) over the same time."""

    async def count() -> tuple[str, float]:
        activity = await Activity.open(runner.stack.server_url)
        try:
            if not activity.statements:
                # Busy backends flush their transaction counts about once a second.
                await asyncio.sleep(1.1)
            return activity.measure, await activity.count([runner.stack.database(service)])
        finally:
            await activity.close()

    measure, after = asyncio.run(count())
    elapsed = time.perf_counter() - before[1]
    work = after - before[0] - runner.background.get(service, 0.0) * elapsed
    per_request = max(0.0, work) / result.requests if result.requests else None
    return {
        "database_per_request": per_request and round(per_request, 1),
        "database_measure": measure,
    }


def database_count(runner: Runner, service: str) -> tuple[float, float]:
    """The count now, and when it was taken."""

    async def count() -> tuple[float, float]:
        activity = await Activity.open(runner.stack.server_url)
        try:
            return await activity.count([runner.stack.database(service)]), time.perf_counter()
        finally:
            await activity.close()

    return asyncio.run(count())


def peak_rss(runner: Runner) -> Figures:
    return {
        name: round(process.peak_rss_mib(), 1)
        for name, process in runner.stack.processes.items()
        if not name.startswith("baseline")
    }
