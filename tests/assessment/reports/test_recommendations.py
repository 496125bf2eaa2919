"""A report recommends the model's next steps for the group's level and its weak areas, in the
reader's language, and only for a group whose figures the anonymity rules show."""

from __future__ import annotations

import httpx
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.instruments.recommendations import recommendations_for
from services.assessment.models import Instrument
from tests.assessment.factories import add_responses, create_person, create_team
from tests.assessment.reports.support import close, open_round
from tests.support import Tokens


async def maturity(session: AsyncSession) -> Instrument:
    return (await session.exec(select(Instrument).where(Instrument.key == "maturity"))).one()


async def test_a_shown_report_recommends_for_its_level_and_weakest_areas_in_swedish(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str], tokens: Tokens
) -> None:
    instrument = await maturity(session)
    lead = await create_person(session, locale="sv")
    team = await create_team(session, lead_id=lead.id)
    round_ = await open_round(client, session, as_admin, instrument)
    # culture 2.0 (level 2), systems 3.0 (level 3), strategy 5.0 (level 5): overall 3.33, level 3
    await add_responses(session, round_, team, 5, score=3, area="systems")
    await add_responses(session, round_, team, 5, score=2, area="culture")
    await add_responses(session, round_, team, 5, score=5, area="strategy")
    await close(client, as_admin, round_)

    by_directory = await client.get(
        f"/v1/rounds/{round_.id}/report?team_id={team.id}", headers=tokens.person(lead.email)
    )
    by_header = await client.get(
        f"/v1/rounds/{round_.id}/report?team_id={team.id}",
        headers=tokens.person(lead.email) | {"Accept-Language": "en-GB"},
    )

    assert by_directory.status_code == 200, by_directory.text
    assert by_directory.headers["content-language"] == "sv"
    swedish = recommendations_for("maturity", 3, ["culture", "systems"], "sv")
    assert by_directory.json()["recommendations"] == swedish.model_dump(mode="json")
    assert [a["area"] for a in by_directory.json()["recommendations"]["areas"]] == [
        "culture",
        "systems",
    ]
    english = by_header.json()["recommendations"]
    assert english["level"] == {"value": 3, "name": "Orderly", "management": "1.0"}
    assert english["next_steps"] == recommendations_for("maturity", 3, [], "en").next_steps
    assert english["language"] == {
        "requested": "en-gb",
        "served": "en",
        "fallback": False,
        "untranslated": [],
    }
    assert by_header.headers["content-language"] == "en"


async def test_a_group_with_no_weak_area_gets_the_steps_of_its_level_only(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    instrument = await maturity(session)
    team = await create_team(session)
    round_ = await open_round(client, session, as_admin, instrument)
    await add_responses(session, round_, team, 5, score=4, area="culture")
    await add_responses(session, round_, team, 5, score=5, area="systems")
    await close(client, as_admin, round_)

    report = (
        await client.get(f"/v1/rounds/{round_.id}/report?team_id={team.id}", headers=as_admin)
    ).json()

    assert report["recommendations"]["level"]["value"] == 5
    assert report["recommendations"]["areas"] == []


async def test_a_withheld_group_gets_no_recommendations_that_would_reveal_its_level(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    instrument = await maturity(session)
    small = await create_team(session)
    round_ = await open_round(client, session, as_admin, instrument, team_id=str(small.id))
    await add_responses(session, round_, small, 2, score=1, area="culture")
    await close(client, as_admin, round_)

    response = await client.get(
        f"/v1/rounds/{round_.id}/report?team_id={small.id}", headers=as_admin
    )

    report = response.json()
    assert (report["withheld"], report["recommendations"]) == ("below_threshold", None)
    assert "Apathetic" not in response.text
    assert "content-language" not in response.headers


async def test_several_teams_reports_come_in_one_read_of_those_the_caller_may_read(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str], tokens: Tokens
) -> None:
    instrument = await maturity(session)
    lead = await create_person(session)
    led = await create_team(session, lead_id=lead.id)
    other = await create_team(session)
    round_ = await open_round(client, session, as_admin, instrument)
    await add_responses(session, round_, led, 5, score=2, area="culture")
    await add_responses(session, round_, other, 5, score=4, area="culture")
    early = await client.get(f"/v1/rounds/{round_.id}/reports?team_id={led.id}", headers=as_admin)
    await close(client, as_admin, round_)
    path = f"/v1/rounds/{round_.id}/reports?team_id={other.id}&team_id={led.id}"

    by_admin = await client.get(path, headers=as_admin)
    by_lead = await client.get(path, headers=tokens.person(lead.email))
    single = await client.get(f"/v1/rounds/{round_.id}/report?team_id={led.id}", headers=as_admin)

    assert (early.status_code, early.json()["code"]) == (409, "round_not_closed")
    assert [r["team_id"] for r in by_admin.json()["items"]] == [str(other.id), str(led.id)]
    assert by_admin.json()["items"][1] == single.json() | {
        "comments": by_admin.json()["items"][1]["comments"]
    }
    assert [r["team_id"] for r in by_lead.json()["items"]] == [str(led.id)]
