"""The people around an objective that asks for help, and how each of them calls the API."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson
from services.goals.models import Cycle, KeyResult, Objective
from tests.goals.factories import (
    add_contributor,
    create_hr_admin,
    create_key_result,
    create_objective,
    create_person,
)
from tests.support import Tokens


@dataclass(frozen=True)
class Cast:
    """Ada owns the objective; Mia is her manager; Cole contributes; Pete is a peer who
    works on none of it; Hana is an HR admin."""

    ada: OrgPerson
    mia: OrgPerson
    cole: OrgPerson
    pete: OrgPerson
    hana: OrgPerson
    objective: Objective
    key_result: KeyResult
    tokens: Tokens

    def as_(self, person: OrgPerson) -> dict[str, str]:
        return self.tokens.person(person.email)

    def reader(self) -> dict[str, str]:
        return self.tokens.integration("goals:read")


async def cast(
    session: AsyncSession, cycle: Cycle, tokens: Tokens, *, private: bool = False
) -> Cast:
    mia = await create_person(session, email="mia@example.com", name="Mia")
    ada = await create_person(session, email="ada@example.com", name="Ada", manager_id=mia.id)
    cole = await create_person(session, email="cole@example.com", name="Cole")
    pete = await create_person(session, email="pete@example.com", name="Pete")
    hana = await create_hr_admin(session, email="hana@example.com", name="Hana")
    objective = await create_objective(
        session,
        cycle,
        ada,
        title="Self-serve onboarding",
        visibility="private" if private else "public",
    )
    await add_contributor(session, objective, cole)
    key_result = await create_key_result(session, objective, title="Activated accounts")
    return Cast(ada, mia, cole, pete, hana, objective, key_result, tokens)
