"""The scene of the assessment tests through the gateway: a directory written to the people
service's database, and rounds of the built-in maturity instrument sent, answered and closed
through the assessment service's REST API."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.models import utcnow
from services.people.models import Person, Team
from tests.people import factories as people_rows
from tests.support import Tokens


def global_id(type_name: str, id_: uuid.UUID | str) -> str:
    return base64.b64encode(f"{type_name}:{id_}".encode()).decode()


def raw_id(value: str) -> uuid.UUID:
    return uuid.UUID(base64.b64decode(value).decode().partition(":")[2])


@dataclass
class Org:
    """hr (an HR admin); `big` (led by lead: five members), `small` (led by small_lead: two
    members); three people in no team who answer too; an outsider who answers nothing."""

    hr: Person
    lead: Person
    small_lead: Person
    big: Team
    small: Team
    big_members: list[Person]
    small_members: list[Person]
    loners: list[Person]
    outsider: Person
    tokens: Tokens
    assessment: httpx.AsyncClient

    def headers(self, person: Person) -> dict[str, str]:
        return self.tokens.person(person.email)

    async def rest(self, method: str, path: str, person: Person, **kwargs: Any) -> Any:
        response = await self.assessment.request(
            method, path, headers=self.headers(person), **kwargs
        )
        assert response.is_success, response.text
        return response.json()

    async def maturity_id(self) -> str:
        page = await self.rest("GET", "/v1/instruments?key=maturity", self.hr)
        instrument_id: str = page["items"][0]["id"]
        return instrument_id

    async def open_round(self, name: str) -> str:
        """A round of the maturity instrument for everyone, open."""
        body = {
            "instrument_id": await self.maturity_id(),
            "name": name,
            "closes_at": (utcnow() + timedelta(days=7)).isoformat(),
        }
        created = await self.rest("POST", "/v1/rounds", self.hr, json=body)
        await self.rest("POST", f"/v1/rounds/{created['id']}/open", self.hr)
        round_id: str = created["id"]
        return round_id

    async def answer(self, round_id: str, person: Person, value: int) -> None:
        """Every rating question answered `value`, then submitted."""
        questions = await self.rest("GET", f"/v1/rounds/{round_id}/questions", person)
        answers = [
            {"question_id": q["id"], "value": value}
            for q in questions["questions"]
            if q["kind"] == "rating"
        ]
        path = f"/v1/rounds/{round_id}/my-response"
        await self.rest("PUT", path, person, json={"answers": answers})
        await self.rest("POST", f"{path}/submit", person)

    async def closed_round(self, name: str = "Spring") -> str:
        """Answered by big's members (2: level 2), small's (4) and the loners (5), closed:
        everyone (10) and big (5) are shown, small (2) is withheld."""
        round_id = await self.open_round(name)
        for person in self.big_members:
            await self.answer(round_id, person, 2)
        for person in self.small_members:
            await self.answer(round_id, person, 4)
        for person in self.loners:
            await self.answer(round_id, person, 5)
        await self.rest("POST", f"/v1/rounds/{round_id}/close", self.hr)
        return round_id


async def write_org(session: AsyncSession, tokens: Tokens, assessment: httpx.AsyncClient) -> Org:
    hr = await people_rows.create_hr_admin(session, email="hana@example.com", name="Hana")
    lead = await people_rows.create_person(session, email="lea@example.com", name="Lea")
    small_lead = await people_rows.create_person(session, email="sam@example.com", name="Sam")
    big = await people_rows.create_team(session, name="Big", lead_id=lead.id)
    small = await people_rows.create_team(session, name="Small", lead_id=small_lead.id)
    big_members = [
        await people_rows.create_person(session, email=f"big{n}@example.com", locale="sv-SE")
        for n in range(5)
    ]
    small_members = [
        await people_rows.create_person(session, email=f"small{n}@example.com") for n in range(2)
    ]
    for person in big_members:
        await people_rows.add_member(session, big, person)
    for person in small_members:
        await people_rows.add_member(session, small, person)
    loners = [
        await people_rows.create_person(session, email=f"loner{n}@example.com") for n in range(3)
    ]
    outsider = await people_rows.create_person(session, email="otto@example.com", name="Otto")
    return Org(
        hr,
        lead,
        small_lead,
        big,
        small,
        big_members,
        small_members,
        loners,
        outsider,
        tokens,
        assessment,
    )
