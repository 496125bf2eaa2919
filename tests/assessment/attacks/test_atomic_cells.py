"""Breakdowns read together with the teams' totals and with each other: an empty cell is no
cover, and two attributes cut each other. Each attack takes a few people apart by adding and
subtracting released figures; the engine must withhold what would give them."""

from __future__ import annotations

from typing import Any

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from tests.assessment.factories import add_responses, create_team, rated_instrument
from tests.assessment.reports.support import close, open_round

TENURE = {
    "key": "tenure",
    "name": "Tenure",
    "options": [{"key": "short", "name": "Under a year"}, {"key": "long", "name": "Longer"}],
}
ROLE = {
    "key": "role",
    "name": "Role",
    "options": [{"key": "manager", "name": "Manager"}, {"key": "ic", "name": "Contributor"}],
}
WITHHELD = ["could_be_inferred"] * 3


async def _breakdown(
    client: httpx.AsyncClient, headers: dict[str, str], round_id: Any, query: str
) -> list[tuple[str, Any, Any]]:
    found = await client.get(f"/v1/rounds/{round_id}/breakdown?{query}", headers=headers)
    assert found.status_code == 200, found.text
    return [(o["option"], o["respondents"], o["withheld"]) for o in found.json()["options"]]


async def test_an_empty_cell_outside_a_team_does_not_cover_its_few_short_serving_people(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    # 6 people in no team, all short; team A: 2 short, 8 long, 6 undeclared. Everyone's
    # `short` less (everyone - A), who are all short, is A's 2 short people.
    instrument = await rated_instrument(session)
    team = await create_team(session)
    round_ = await open_round(client, session, as_admin, instrument, attributes=[TENURE])
    short, long_ = {"tenure": "short"}, {"tenure": "long"}
    await add_responses(session, round_, None, 6, score=4, area="culture", attributes=short)
    await add_responses(session, round_, team, 2, score=1, area="culture", attributes=short)
    await add_responses(session, round_, team, 8, score=3, area="culture", attributes=long_)
    await add_responses(session, round_, team, 6, score=3, area="culture")
    await close(client, as_admin, round_)

    heatmap = (await client.get(f"/v1/rounds/{round_.id}/heatmap", headers=as_admin)).json()
    whole = await _breakdown(client, as_admin, round_.id, "attribute=tenure")
    of_team = await _breakdown(client, as_admin, round_.id, f"attribute=tenure&team_id={team.id}")

    assert {row["team_id"]: row["respondents"] for row in heatmap["rows"]} == {
        None: 22,
        str(team.id): 16,
    }
    assert [withheld for _, _, withheld in whole] == WITHHELD
    assert [withheld for _, _, withheld in of_team] == WITHHELD
    assert {n for _, n, _ in whole + of_team} == {None}


async def test_two_attributes_do_not_combine_into_a_small_group(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    # new∧manager 2, new∧IC 5, old∧manager 5: each attribute alone has options of 7 and 5,
    # but `short` + `manager` - everyone = short∧manager - long∧IC (nobody) = 2 people.
    instrument = await rated_instrument(session)
    round_ = await open_round(client, session, as_admin, instrument, attributes=[TENURE, ROLE])
    for tenure, role, count in (
        ("short", "manager", 2),
        ("short", "ic", 5),
        ("long", "manager", 5),
    ):
        profile = {"tenure": tenure, "role": role}
        await add_responses(session, round_, None, count, area="culture", attributes=profile)
    await close(client, as_admin, round_)

    by_tenure = await _breakdown(client, as_admin, round_.id, "attribute=tenure")
    by_role = await _breakdown(client, as_admin, round_.id, "attribute=role")

    assert [withheld for _, _, withheld in by_tenure] == WITHHELD
    assert [withheld for _, _, withheld in by_role] == WITHHELD
    assert {n for _, n, _ in by_tenure + by_role} == {None}


async def test_attributes_whose_every_combination_is_large_enough_are_broken_down(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    instrument = await rated_instrument(session)
    round_ = await open_round(client, session, as_admin, instrument, attributes=[TENURE, ROLE])
    for tenure, role, count in (("short", "manager", 5), ("short", "ic", 6), ("long", "ic", 7)):
        profile = {"tenure": tenure, "role": role}
        await add_responses(session, round_, None, count, area="culture", attributes=profile)
    await close(client, as_admin, round_)

    by_tenure = await _breakdown(client, as_admin, round_.id, "attribute=tenure")
    by_role = await _breakdown(client, as_admin, round_.id, "attribute=role")

    assert by_tenure == [
        ("short", 11, None),
        ("long", 7, None),
        ("undeclared", None, "below_threshold"),
    ]
    assert by_role == [
        ("manager", 5, None),
        ("ic", 13, None),
        ("undeclared", None, "below_threshold"),
    ]
