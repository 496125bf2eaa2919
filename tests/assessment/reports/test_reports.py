"""Reports of closed rounds: scoring checked by hand (reverse items, thresholds, levels,
Management 1.0 / 2.0 shares), who reads them, heatmap, breakdowns and the trend."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgPerson, OrgTeam
from services.assessment.models import Instrument
from tests.assessment.factories import (
    add_responses,
    create_members,
    create_person,
    create_team,
    questions,
    rated_instrument,
)
from tests.assessment.reports.support import close, open_round
from tests.support import Outbox, Tokens

# Five people's answers to (trust, blame [reverse-scored], tools), on 1-5.
ANSWERS = [(5, 1, 4), (4, 2, 3), (3, 3, 2), (2, 4, 5), (4, 1, 1)]


@pytest.fixture
async def instrument(session: AsyncSession) -> Instrument:
    return await rated_instrument(session)


@pytest.fixture
async def lead(session: AsyncSession) -> OrgPerson:
    return await create_person(session)


@pytest.fixture
async def team(session: AsyncSession, lead: OrgPerson) -> OrgTeam:
    return await create_team(session, lead_id=lead.id)


async def answer_all(
    client: httpx.AsyncClient,
    session: AsyncSession,
    tokens: Tokens,
    instrument: Instrument,
    round_id: uuid.UUID,
    people: list[OrgPerson],
) -> None:
    rating = [q for q in await questions(session, instrument) if q.kind == "rating"]
    for person, values in zip(people, ANSWERS, strict=True):
        headers = tokens.person(person.email)
        body = {
            "answers": [
                {"question_id": str(q.id), "value": v} for q, v in zip(rating, values, strict=True)
            ]
        }
        saved = await client.put(f"/v1/rounds/{round_id}/my-response", json=body, headers=headers)
        assert saved.status_code == 200, saved.text
        done = await client.post(f"/v1/rounds/{round_id}/my-response/submit", headers=headers)
        assert done.status_code == 200, done.text


def area(report: dict[str, Any], key: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [a for a in report["areas"] if a["key"] == key]
    (one,) = found
    return one


async def test_a_team_report_matches_the_hand_computed_figures(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    tokens: Tokens,
    instrument: Instrument,
    team: OrgTeam,
    outbox: Outbox,
) -> None:
    people = await create_members(session, team, 5)
    round_ = await open_round(client, session, as_admin, instrument, team_id=str(team.id))
    await answer_all(client, session, tokens, instrument, round_.id, people)
    early = await client.get(f"/v1/rounds/{round_.id}/report", headers=as_admin)
    await close(client, as_admin, round_)

    response = await client.get(
        f"/v1/rounds/{round_.id}/report?team_id={team.id}", headers=as_admin
    )

    assert (early.status_code, early.json()["code"]) == (409, "round_not_closed")
    report = response.json()
    assert (report["respondents"], report["withheld"]) == (5, None)
    # culture, per person (blame turned: 6 - answer): 5, 4, 3, 2, 4.5 -> mean 3.7, level 4
    culture = area(report, "culture")
    assert (culture["mean"], culture["level"]) == (3.7, 4)
    assert culture["level_counts"] == {"1": 0, "2": 1, "3": 1, "4": 1, "5": 2}
    assert culture["distribution"] == {"1": 0, "2": 2, "3": 2, "4": 3, "5": 3}
    assert culture["share"] == {"management_1_0": 0.4, "management_2_0": 0.6}
    # systems: 4, 3, 2, 5, 1 -> mean 3, level 3
    systems = area(report, "systems")
    assert (systems["mean"], systems["level"]) == (3.0, 3)
    assert systems["level_counts"] == {"1": 1, "2": 1, "3": 1, "4": 1, "5": 1}
    # over both areas: 2 + 3 of 10 area means at levels 1-3
    assert report["share"] == {"management_1_0": 0.5, "management_2_0": 0.5}
    ready = [p for t, p in await outbox.events() if t == "assessment.report_ready"]
    assert ready == [
        {
            "round_id": str(round_.id),
            "instrument_id": str(instrument.id),
            "respondents": 5,
            "groups_shown": 2,
            "groups_withheld": 0,
        }
    ]


async def test_levels_follow_the_thresholds_kept_with_the_instrument(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    instrument: Instrument,
    team: OrgTeam,
) -> None:
    instrument.level_thresholds = [Decimal("2.0"), Decimal("3.0"), Decimal("3.5"), Decimal("3.6")]
    session.add(instrument)
    round_ = await open_round(client, session, as_admin, instrument, team_id=str(team.id))
    await add_responses(session, round_, team, 3, score=4, area="culture")
    await add_responses(session, round_, team, 2, score=3, area="culture")
    await close(client, as_admin, round_)

    report = (await client.get(f"/v1/rounds/{round_.id}/report", headers=as_admin)).json()

    # (3 x 4 + 2 x 3) / 5 = 3.6: at the fourth threshold, so level 5
    assert (area(report, "culture")["mean"], area(report, "culture")["level"]) == (3.6, 5)
    # a person at 3 is at level 3 (from 3.0 on), one at 4 at level 5 (from 3.6 on)
    assert area(report, "culture")["level_counts"] == {"1": 0, "2": 0, "3": 2, "4": 0, "5": 3}


async def test_reports_are_read_by_hr_the_sender_the_leads_and_scoped_integrations(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    tokens: Tokens,
    instrument: Instrument,
    team: OrgTeam,
    lead: OrgPerson,
) -> None:
    sub_lead = await create_person(session)
    sub = await create_team(session, parent=team, lead_id=sub_lead.id)
    (member,) = await create_members(session, sub, 1)
    outsider = await create_person(session)
    round_ = await open_round(client, session, as_admin, instrument, team_id=str(team.id))
    await add_responses(session, round_, sub, 6, area="culture")
    await close(client, as_admin, round_)
    whole = f"/v1/rounds/{round_.id}/report"
    of_sub = f"{whole}?team_id={sub.id}"

    def status(path: str, headers: dict[str, str]) -> Any:
        return client.get(path, headers=headers)

    codes = {
        "admin": (await status(whole, as_admin)).status_code,
        "lead, whole": (await status(whole, tokens.person(lead.email))).status_code,
        "lead, sub-team": (await status(of_sub, tokens.person(lead.email))).status_code,
        "sub-lead, sub-team": (await status(of_sub, tokens.person(sub_lead.email))).status_code,
        "sub-lead, whole": (await status(whole, tokens.person(sub_lead.email))).status_code,
        "member": (await status(of_sub, tokens.person(member.email))).status_code,
        "outsider": (await status(whole, tokens.person(outsider.email))).status_code,
        "integration": (await status(whole, tokens.integration("assessment:read"))).status_code,
        "unscoped": (await status(whole, tokens.integration("people:read"))).status_code,
    }

    assert codes == {
        "admin": 200,
        "lead, whole": 200,
        "lead, sub-team": 200,
        "sub-lead, sub-team": 200,
        "sub-lead, whole": 404,
        "member": 404,
        "outsider": 404,
        "integration": 200,
        "unscoped": 403,
    }


async def test_the_heatmap_shows_teams_by_areas(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    instrument: Instrument,
) -> None:
    company = await create_team(session, name="Company")
    product = await create_team(session, parent=company, name="Product")
    sales = await create_team(session, parent=company, name="Sales")
    round_ = await open_round(client, session, as_admin, instrument)
    await add_responses(session, round_, product, 5, score=4, area="culture")
    await add_responses(session, round_, sales, 6, score=2, area="culture")
    await close(client, as_admin, round_)

    heatmap = (await client.get(f"/v1/rounds/{round_.id}/heatmap", headers=as_admin)).json()

    assert heatmap["areas"] == ["culture", "systems"]
    rows = {row["name"]: row for row in heatmap["rows"]}
    assert [row["name"] for row in heatmap["rows"]] == ["Maturity", "Company", "Product", "Sales"]
    assert rows["Product"]["cells"] == [
        {"area": "culture", "mean": 4.0, "level": 4},
        {"area": "systems", "mean": None, "level": None},
    ]
    assert rows["Sales"]["cells"][0] == {"area": "culture", "mean": 2.0, "level": 2}
    assert rows["Company"]["cells"][0]["mean"] == pytest.approx(2.91, abs=0.01)
    assert rows["Company"]["respondents"] == 11
    assert rows["Sales"]["parent_id"] == str(company.id)


async def test_the_trend_follows_a_team_across_rounds_of_the_instrument(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    instrument: Instrument,
    team: OrgTeam,
) -> None:
    first = await open_round(client, session, as_admin, instrument, name="Spring")
    await add_responses(session, first, team, 5, score=2, area="culture")
    await close(client, as_admin, first)
    second = await open_round(client, session, as_admin, instrument, name="Autumn")
    await add_responses(session, second, team, 5, score=4, area="culture")
    await close(client, as_admin, second)

    trend = (
        await client.get(f"/v1/rounds/{second.id}/trend?team_id={team.id}", headers=as_admin)
    ).json()

    assert [(p["name"], p["respondents"], p["cells"][0]["mean"]) for p in trend["points"]] == [
        ("Spring", 5, 2.0),
        ("Autumn", 5, 4.0),
    ]


async def test_a_report_of_an_unknown_round_or_team_is_not_found(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    instrument: Instrument,
) -> None:
    round_ = await open_round(client, session, as_admin, instrument)
    await close(client, as_admin, round_)

    unknown = await client.get(f"/v1/rounds/{uuid.uuid4()}/report", headers=as_admin)
    not_in = await client.get(
        f"/v1/rounds/{round_.id}/report?team_id={uuid.uuid4()}", headers=as_admin
    )
    bad = await client.get(f"/v1/rounds/{round_.id}/breakdown?attribute=age", headers=as_admin)

    assert (unknown.status_code, unknown.json()["code"]) == (404, "round_not_found")
    assert (not_in.status_code, not_in.json()["code"]) == (404, "team_not_in_round")
    assert (bad.status_code, bad.json()["code"]) == (422, "unknown_attribute")
