"""Each way of learning about a small group from the reports, tried through the API: the group
itself, a sibling subtracted from the total, a parent less its child, a team crossed with an
attribute, and the order of comments. Each is refused with the reason, never a 0."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.orgcopy import OrgTeam
from services.assessment.models import Instrument, Question
from services.assessment.rounds.models import Answer, Response, Round
from tests.assessment.factories import add_responses, create_team, rated_instrument
from tests.assessment.reports.support import close, open_round

TENURE = {
    "key": "tenure",
    "name": "Tenure",
    "options": [{"key": "new", "name": "Under a year"}, {"key": "old", "name": "Longer"}],
}


@pytest.fixture
async def instrument(session: AsyncSession) -> Instrument:
    return await rated_instrument(session)


async def add_comments(
    session: AsyncSession, instrument: Instrument, round_: Round, team: OrgTeam, texts: list[str]
) -> None:
    """One response per text, answering only the comment question."""
    found = await session.exec(
        select(Question).where(
            col(Question.instrument_id) == instrument.id, col(Question.kind) == "comment"
        )
    )
    comment = found.one()
    for text in texts:
        response = Response(round_id=round_.id, team_id=team.id)
        session.add(response)
        await session.flush()
        session.add(
            Answer(response_id=response.id, question_id=comment.id, area="culture", comment=text)
        )
    await session.flush()


async def report(
    client: httpx.AsyncClient, headers: dict[str, str], round_id: uuid.UUID, team_id: Any = None
) -> dict[str, Any]:
    query = "" if team_id is None else f"?team_id={team_id}"
    response = await client.get(f"/v1/rounds/{round_id}/report{query}", headers=headers)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def withheld(found: dict[str, Any]) -> tuple[Any, ...]:
    """What a withheld report shows: the reason, and no figure at all (null, never 0)."""
    return (
        found["withheld"],
        found["respondents"],
        found["share"],
        found["comments"],
        {(a["mean"], a["level"], a["distribution"], a["withheld"]) for a in found["areas"]},
    )


async def test_a_small_team_shows_no_figures(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    instrument: Instrument,
) -> None:
    team = await create_team(session)
    round_ = await open_round(client, session, as_admin, instrument, team_id=str(team.id))
    await add_responses(session, round_, team, 4, area="culture")
    await close(client, as_admin, round_)

    found = await report(client, as_admin, round_.id, team.id)
    whole = await report(client, as_admin, round_.id)

    below = ("below_threshold", None, None, None, {(None, None, None, "below_threshold")})
    assert withheld(found) == below
    assert withheld(whole) == below


async def test_a_sibling_cannot_be_subtracted_from_the_total(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    instrument: Instrument,
) -> None:
    big = await create_team(session)
    small = await create_team(session)
    round_ = await open_round(client, session, as_admin, instrument)
    await add_responses(session, round_, big, 6, score=4, area="culture")
    await add_responses(session, round_, small, 2, score=1, area="culture")
    await close(client, as_admin, round_)

    whole = await report(client, as_admin, round_.id)
    of_big = await report(client, as_admin, round_.id, big.id)
    of_small = await report(client, as_admin, round_.id, small.id)

    assert whole["respondents"] == 8
    assert withheld(of_big)[0:2] == ("could_be_inferred", None)
    assert withheld(of_small)[0:2] == ("below_threshold", None)


async def test_a_parent_less_its_child_reveals_nothing(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    instrument: Instrument,
) -> None:
    parent = await create_team(session)
    child = await create_team(session, parent=parent)
    grandchild = await create_team(session, parent=child)
    round_ = await open_round(client, session, as_admin, instrument, team_id=str(parent.id))
    await add_responses(session, round_, parent, 2, score=1, area="culture")
    await add_responses(session, round_, grandchild, 5, score=5, area="culture")
    await close(client, as_admin, round_)

    heatmap = (await client.get(f"/v1/rounds/{round_.id}/heatmap", headers=as_admin)).json()

    shown = {row["team_id"]: (row["respondents"], row["withheld"]) for row in heatmap["rows"]}
    assert shown == {
        None: (7, None),
        str(parent.id): (7, None),
        # the child and the grandchild would each give the parent's own two by subtraction
        str(child.id): (None, "could_be_inferred"),
        str(grandchild.id): (None, "could_be_inferred"),
    }
    for row in heatmap["rows"][2:]:
        assert {(c["mean"], c["level"]) for c in row["cells"]} == {(None, None)}


async def test_a_team_crossed_with_an_attribute_cannot_be_subtracted_into_a_small_group(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    instrument: Instrument,
) -> None:
    team = await create_team(session)
    round_ = await open_round(client, session, as_admin, instrument, attributes=[TENURE])
    # the team: 5 new, 6 old; outside any team: 2 new, 7 old
    await add_responses(session, round_, team, 5, area="culture", attributes={"tenure": "new"})
    await add_responses(session, round_, team, 6, area="culture", attributes={"tenure": "old"})
    await add_responses(session, round_, None, 2, area="culture", attributes={"tenure": "new"})
    await add_responses(session, round_, None, 7, area="culture", attributes={"tenure": "old"})
    await close(client, as_admin, round_)
    path = f"/v1/rounds/{round_.id}/breakdown?attribute=tenure"

    whole = (await client.get(path, headers=as_admin)).json()
    of_team = (await client.get(f"{path}&team_id={team.id}", headers=as_admin)).json()
    team_total = await report(client, as_admin, round_.id, team.id)

    # everyone's 7 new less the team's 5 new would be the 2 outside any team: those 2 are an
    # atomic cell of everyone's own part, so everyone is not broken down; the team's cells
    # (5 new, 6 old) are large enough
    assert [(o["respondents"], o["withheld"]) for o in whole["options"]] == [
        (None, "could_be_inferred")
    ] * 3
    assert {(c["mean"], c["level"]) for o in whole["options"] for c in o["cells"]} == {(None, None)}
    assert [(o["option"], o["respondents"], o["withheld"]) for o in of_team["options"]] == [
        ("new", 5, None),
        ("old", 6, None),
        ("undeclared", None, "below_threshold"),
    ]
    assert team_total["respondents"] == 11


async def test_a_small_option_withholds_the_whole_breakdown_of_its_team(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    instrument: Instrument,
) -> None:
    team = await create_team(session)
    round_ = await open_round(
        client, session, as_admin, instrument, team_id=str(team.id), attributes=[TENURE]
    )
    await add_responses(session, round_, team, 8, area="culture", attributes={"tenure": "old"})
    await add_responses(session, round_, team, 2, area="culture", attributes={"tenure": "new"})
    await close(client, as_admin, round_)

    found = (
        await client.get(
            f"/v1/rounds/{round_.id}/breakdown?attribute=tenure&team_id={team.id}",
            headers=as_admin,
        )
    ).json()

    # the 8 old would give the 2 new as the team's 10 less them: nothing is broken down
    assert [(o["option"], o["respondents"], o["withheld"]) for o in found["options"]] == [
        ("new", None, "could_be_inferred"),
        ("old", None, "could_be_inferred"),
        ("undeclared", None, "could_be_inferred"),
    ]


async def test_comments_come_in_a_fresh_random_order_without_dates_or_authors(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    instrument: Instrument,
) -> None:
    team = await create_team(session)
    round_ = await open_round(client, session, as_admin, instrument, team_id=str(team.id))
    written = [f"Comment number {n}." for n in range(12)]
    await add_comments(session, instrument, round_, team, written)
    await close(client, as_admin, round_)

    reads = [(await report(client, as_admin, round_.id))["comments"] for _ in range(4)]

    orders = [[c["text"] for c in read] for read in reads]
    assert all(sorted(order) == sorted(written) for order in orders)
    # in the order written at most by chance (1 in 12! per read), and not the same each time
    assert written not in orders
    assert len({tuple(order) for order in orders}) > 1
    assert {frozenset(c) for read in reads for c in read} == {frozenset({"question_id", "text"})}


async def test_comments_of_a_small_group_are_not_shown(
    client: httpx.AsyncClient,
    session: AsyncSession,
    as_admin: dict[str, str],
    instrument: Instrument,
) -> None:
    team = await create_team(session)
    round_ = await open_round(client, session, as_admin, instrument, team_id=str(team.id))
    await add_comments(session, instrument, round_, team, ["Me"])
    await close(client, as_admin, round_)

    found = await report(client, as_admin, round_.id)

    assert (found["withheld"], found["comments"]) == ("below_threshold", None)
