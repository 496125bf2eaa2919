"""Help requests on the fast tier: the cast around a public objective, and around a private
one."""

from __future__ import annotations

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from services.goals.models import Cycle
from tests.goals.help.support import Cast, cast
from tests.support import Tokens


@pytest.fixture
async def people(session: AsyncSession, cycle: Cycle, tokens: Tokens) -> Cast:
    return await cast(session, cycle, tokens)


@pytest.fixture
async def private(session: AsyncSession, cycle: Cycle, tokens: Tokens) -> Cast:
    return await cast(session, cycle, tokens, private=True)
