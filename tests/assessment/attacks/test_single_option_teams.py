"""A team whose respondents all declared the same option shows, in its own figures, that
option's figures: a breakdown of the group above it must count it as broken down. Otherwise
everyone's `new` less that team is the few `new` people of another team."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.reports.anonymity import (
    ROOT,
    UNDECLARED,
    Placed,
    Reason,
    Tree,
    release_breakdown,
    release_tree,
)
from tests.assessment.factories import add_responses, create_team, rated_instrument
from tests.assessment.reports.support import close, open_round

TENURE = {
    "key": "tenure",
    "name": "Tenure",
    "options": [{"key": "new", "name": "Under a year"}, {"key": "old", "name": "Longer"}],
}
A, B = uuid.UUID(int=1), uuid.UUID(int=2)
OPTIONS = ["new", "old", UNDECLARED]


def test_a_team_of_one_option_keeps_the_breakdown_above_it_from_showing_a_small_group() -> None:
    # A: 2 new, 5 old; B: 5 new. Everyone's `new` (7) less B (5, all new) would be A's 2 new.
    tree = Tree(parents={A: None, B: None}, direct={A: 7, B: 5})
    shown = release_tree(tree, 5)
    placed: Placed = {A: {("new",): 2, ("old",): 5}, B: {("new",): 5}}

    verdicts = release_breakdown(tree, shown, placed, 0, OPTIONS, 5)

    assert shown == {ROOT: None, A: None, B: None}
    assert verdicts[ROOT] == dict.fromkeys(OPTIONS, Reason.COULD_BE_INFERRED)
    # B's breakdown is its own total again: nothing more to hide
    assert verdicts[B] == {
        "new": None,
        "old": Reason.BELOW_THRESHOLD,
        UNDECLARED: Reason.BELOW_THRESHOLD,
    }


def test_teams_of_mixed_options_still_let_the_organisation_be_broken_down() -> None:
    tree = Tree(parents={A: None, B: None}, direct={A: 10, B: 10})
    shown = release_tree(tree, 5)
    placed: Placed = {A: {("new",): 5, ("old",): 5}, B: {("new",): 5, ("old",): 5}}

    verdicts = release_breakdown(tree, shown, placed, 0, OPTIONS, 5)

    assert verdicts[ROOT] == {"new": None, "old": None, UNDECLARED: Reason.BELOW_THRESHOLD}


def _options(found: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    return [(o["option"], o["respondents"], o["withheld"]) for o in found["options"]]


async def test_the_organisation_by_tenure_less_a_team_of_new_people_is_not_shown(
    client: httpx.AsyncClient, session: AsyncSession, as_admin: dict[str, str]
) -> None:
    instrument = await rated_instrument(session)
    mixed = await create_team(session)
    all_new = await create_team(session)
    round_ = await open_round(client, session, as_admin, instrument, attributes=[TENURE])
    new, old = {"tenure": "new"}, {"tenure": "old"}
    await add_responses(session, round_, mixed, 2, score=1, area="culture", attributes=new)
    await add_responses(session, round_, mixed, 5, score=4, area="culture", attributes=old)
    await add_responses(session, round_, all_new, 5, score=3, area="culture", attributes=new)
    await close(client, as_admin, round_)

    heatmap = (await client.get(f"/v1/rounds/{round_.id}/heatmap", headers=as_admin)).json()
    whole = (
        await client.get(f"/v1/rounds/{round_.id}/breakdown?attribute=tenure", headers=as_admin)
    ).json()

    # the teams are shown; everyone's `new` (7) less the all-new team (5) would be the two new
    # people of the mixed team, and everyone's `old` is the mixed team's old: no breakdown
    assert {row["team_id"]: row["respondents"] for row in heatmap["rows"]} == {
        None: 12,
        str(mixed.id): 7,
        str(all_new.id): 5,
    }
    assert _options(whole) == [
        ("new", None, "could_be_inferred"),
        ("old", None, "could_be_inferred"),
        ("undeclared", None, "could_be_inferred"),
    ]
    assert {(c["mean"], c["level"]) for o in whole["options"] for c in o["cells"]} == {(None, None)}
