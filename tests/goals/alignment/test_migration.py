"""Links made before the parent's side decided them (revision `0003_alignment_acceptance`):
one made by someone who may change the parent counts as accepted, every other one waits."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.db import Database
from kit.migrations import migrate
from services.goals.app import SPEC
from services.goals.models import Cycle, Objective
from tests.goals.factories import (
    add_contributor,
    add_member,
    create_cycle,
    create_hr_admin,
    create_objective,
    create_person,
    create_team,
)
from tests.migrations import downgrade

pytestmark = pytest.mark.e2e


async def link_made_before(
    session: AsyncSession, child: Objective, parent: Objective, by: uuid.UUID
) -> uuid.UUID:
    """A link as the revision before wrote it: no state."""
    link_id = uuid.uuid4()
    connection = await session.connection()
    await connection.execute(
        text(
            "INSERT INTO alignment (id, child_objective_id, parent_objective_id, weight, "
            "created_by, created_at, updated_at, version) "
            "VALUES (:id, :child, :parent, 1, :by, now(), now(), 1)"
        ).bindparams(id=link_id, child=child.id, parent=parent.id, by=by)
    )
    return link_id


async def test_links_made_by_the_parent_side_are_accepted_the_others_pending(
    fresh_database: Callable[[str], Awaitable[str]],
) -> None:
    url = await fresh_database("goals")
    await downgrade(SPEC, url, "0002_alignment")
    database = Database(url)
    async with database.sessionmaker() as session:
        ceo = await create_person(session)
        mo = await create_person(session)
        lea = await create_person(session, manager_id=mo.id)
        ada = await create_person(session, manager_id=lea.id)
        bob = await create_person(session)
        eve = await create_person(session)
        hana = await create_hr_admin(session)
        company = await create_team(session, lead_id=ceo.id)
        platform = await create_team(session, lead_id=lea.id, parent_id=company.id)
        await add_member(session, platform, ada)
        cycle: Cycle = await create_cycle(session)
        platform_goal = await create_objective(session, cycle, platform)
        company_goal = await create_objective(session, cycle, None)
        await add_contributor(session, platform_goal, eve)
        adas, bobs, eves, ceos, mos, leas = [
            await create_objective(session, cycle, person)
            for person in (ada, bob, eve, ceo, mo, lea)
        ]
        made = {
            "a member": await link_made_before(session, adas, platform_goal, ada.id),
            "a lead above": await link_made_before(session, ceos, platform_goal, ceo.id),
            "the lead's manager": await link_made_before(session, mos, platform_goal, mo.id),
            "a manager": await link_made_before(session, leas, adas, lea.id),
            "a contributor": await link_made_before(session, eves, platform_goal, eve.id),
            "an HR admin": await link_made_before(session, bobs, company_goal, hana.id),
            "an outsider": await link_made_before(session, bobs, platform_goal, bob.id),
            "a team for the company": await link_made_before(
                session, platform_goal, company_goal, lea.id
            ),
        }
        await session.commit()

    await migrate(SPEC, url)

    async with database.sessionmaker() as session:
        connection = await session.connection()
        rows = await connection.execute(text("SELECT id, state, decided_by FROM alignment"))
        found = {row.id: (row.state, row.decided_by) for row in rows}
    await database.dispose()
    assert {why: found[link_id] for why, link_id in made.items()} == {
        "a member": ("accepted", ada.id),
        "a lead above": ("accepted", ceo.id),
        "the lead's manager": ("accepted", mo.id),
        "a manager": ("accepted", lea.id),
        "a contributor": ("accepted", eve.id),
        "an HR admin": ("accepted", hana.id),
        "an outsider": ("pending", None),
        "a team for the company": ("pending", None),
    }
