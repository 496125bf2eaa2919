"""Reads are fast by shape: an objective, a page, a batch and the objectives of many owners
cost the same few statements whatever they hold (key results, contributors, signatures,
closing, roll-up through children) and however many objectives they return."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson
from kit.repository import get
from services.goals.models import Closing, Contributor, Cycle, Objective, Signature
from services.goals.schemas import ClosingRead, SignatureRead, SignatureRole, Visibility
from tests.goals.alignment.factories import align, roll_up
from tests.goals.factories import (
    add_contributor,
    create_closing,
    create_key_result,
    create_objective,
    create_person,
    create_signature,
    unknown_id,
)
from tests.support import Statements, Tokens

# The caller from the org copy, the objectives (who sees them decided there), their parts.
READ = 3


async def full_objective(
    session: AsyncSession, cycle: Cycle, owner: OrgPerson, helper: OrgPerson
) -> Objective:
    """A private objective with everything an objective is read with: key results, a
    contributor, a signature, a closing, and roll-up from an accepted child two levels deep."""
    objective = await create_objective(session, cycle, owner, visibility=Visibility.PRIVATE)
    await create_key_result(session, objective, current=50.0)
    await create_key_result(session, objective, current=20.0, weight=2.0)
    await add_contributor(session, objective, helper)
    await create_signature(session, objective, owner, SignatureRole.OWNER)
    await create_closing(session, objective)
    child = await create_objective(session, cycle, helper)
    await create_key_result(session, child, current=100.0)
    grandchild = await create_objective(session, cycle, helper)
    await create_key_result(session, grandchild, current=10.0)
    await align(session, child, objective)
    await align(session, grandchild, child)
    await roll_up(session, objective, child)
    return objective


@pytest.fixture
async def manager(session: AsyncSession) -> OrgPerson:
    return await create_person(session, email="grace@example.com", name="Grace")


@pytest.fixture
async def reports(session: AsyncSession, manager: OrgPerson) -> list[OrgPerson]:
    return [await create_person(session, manager_id=manager.id) for _ in range(12)]


@pytest.fixture
async def objectives(
    session: AsyncSession, cycle: Cycle, reports: list[OrgPerson], ada: OrgPerson
) -> list[Objective]:
    return [await full_objective(session, cycle, report, ada) for report in reports]


async def test_one_objective_with_everything_costs_three_statements(
    client: httpx.AsyncClient,
    tokens: Tokens,
    manager: OrgPerson,
    objectives: list[Objective],
    statements: Statements,
) -> None:
    # The manager sees the private objective through the org copy, in the same statement.
    as_manager = tokens.person(manager.email)
    assert (
        await statements.of_read(client, f"/v1/objectives/{objectives[0].id}", as_manager) == READ
    )


async def test_one_objective_reads_as_its_rows_say(
    client: httpx.AsyncClient,
    session: AsyncSession,
    tokens: Tokens,
    manager: OrgPerson,
    objectives: list[Objective],
) -> None:
    objective = objectives[0]
    signature = await get(session, Signature, (objective.id, SignatureRole.OWNER))
    closing = await get(session, Closing, objective.id)
    contributors = await session.exec(
        select(Contributor.person_id).where(Contributor.objective_id == objective.id)
    )

    read = await client.get(f"/v1/objectives/{objective.id}", headers=tokens.person(manager.email))

    body = read.json()
    assert body["signatures"] == [SignatureRead.model_validate(signature).model_dump(mode="json")]
    assert body["closing"] == ClosingRead.model_validate(closing).model_dump(mode="json")
    assert body["contributor_ids"] == [str(id_) for id_ in contributors.all()]
    # Its own (0.5 weighing 1, 0.2 weighing 2) and its child's, which rolls up its own 1.0
    # and its grandchild's 0.1: (0.5 + 0.4 + 0.55) / 4.
    assert body["progress"] == 0.3625


async def test_a_hidden_objective_costs_what_an_unknown_one_does(
    client: httpx.AsyncClient,
    session: AsyncSession,
    tokens: Tokens,
    objectives: list[Objective],
    statements: Statements,
) -> None:
    stranger = await create_person(session)
    as_stranger = tokens.person(stranger.email)
    sent = []
    for id_ in (objectives[0].id, unknown_id()):
        statements.sent.clear()
        response = await client.get(f"/v1/objectives/{id_}", headers=as_stranger)
        assert response.status_code == 404
        sent.append(statements.queries)

    assert sent[0] == sent[1]
    assert len(sent[0]) == READ - 1


@pytest.mark.parametrize("path", ["/v1/objectives?limit={n}", "/v1/objectives?{ids}"])
async def test_a_page_or_batch_costs_the_same_statements_for_one_objective_or_many(
    client: httpx.AsyncClient,
    tokens: Tokens,
    manager: OrgPerson,
    objectives: list[Objective],
    statements: Statements,
    path: str,
) -> None:
    as_manager = tokens.person(manager.email)

    def of(count: int) -> str:
        ids = "&".join(f"id={objective.id}" for objective in objectives[:count])
        return path.format(n=count, ids=ids)

    assert await statements.of_read(client, of(1), as_manager) == READ
    assert await statements.of_read(client, of(len(objectives)), as_manager) == READ


async def test_objectives_by_owner_cost_the_same_statements_for_one_owner_or_many(
    client: httpx.AsyncClient,
    tokens: Tokens,
    manager: OrgPerson,
    reports: list[OrgPerson],
    objectives: list[Objective],
    statements: Statements,
) -> None:
    as_manager = tokens.person(manager.email)

    def of(count: int) -> str:
        owners = "&".join(f"owner_person_id={report.id}" for report in reports[:count])
        return f"/v1/objectives/by-owner?{owners}"

    assert await statements.of_read(client, of(1), as_manager) == READ
    assert await statements.of_read(client, of(len(reports)), as_manager) == READ
