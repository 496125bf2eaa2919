"""Links made at once, on committed data: two links that would close a loop together, each
harmless alone, are never both saved."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest

from kit.db import Database
from kit.settings import Environment
from services.goals.app import create_app
from services.goals.config import GoalsSettings
from services.goals.models import Objective
from tests.goals.factories import create_cycle, create_hr_admin, create_objective
from tests.support import AUTH, Tokens

pytestmark = pytest.mark.e2e


@pytest.fixture
async def committed(
    fresh_database: Callable[[str], Awaitable[str]],
) -> AsyncIterator[Database]:
    database = Database(await fresh_database("goals"), pool_size=6)
    yield database
    await database.dispose()


@pytest.fixture
async def http(committed: Database) -> AsyncIterator[httpx.AsyncClient]:
    settings = GoalsSettings(
        database_url=committed.url.render_as_string(hide_password=False),
        environment=Environment.TEST,
        auth=AUTH,
    )
    app = create_app(settings, database=committed)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://goals"
    ) as client:
        yield client


async def test_two_links_closing_a_loop_together_are_not_both_made(
    committed: Database, http: httpx.AsyncClient, tokens: Tokens
) -> None:
    async with committed.sessionmaker() as session:
        hr = await create_hr_admin(session, email="hr@example.com")
        cycle = await create_cycle(session)
        pairs: list[tuple[Objective, Objective]] = [
            (await create_objective(session, cycle, hr), await create_objective(session, cycle, hr))
            for _ in range(3)
        ]
        await session.commit()
    headers = tokens.person(hr.email)

    async def link(child: Objective, parent: Objective) -> int:
        response = await http.post(
            f"/v1/objectives/{child.id}/alignments",
            json={"parent_objective_id": str(parent.id)},
            headers=headers,
        )
        return response.status_code

    for first, second in pairs:
        answers = await asyncio.gather(link(first, second), link(second, first))

        assert sorted(answers) == [201, 409]
