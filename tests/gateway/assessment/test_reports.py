"""Maturity through the graph: a team's report as the anonymity rules release it (a withheld
team's figures null with the reason, never 0, and no recommendations), the organisation's,
teams batched into one request, and who may read them: the service decides, the graph passes
its refusals on as typed errors."""

from __future__ import annotations

from typing import Any

import pytest

from services.people.models import Person, Team
from tests.gateway.assessment.scene import Org, global_id
from tests.gateway.support import GraphQL, Recorder, codes

pytestmark = pytest.mark.e2e

FIGURES = """respondents withheld
  areas { key mean level levelCounts distribution { value count } share { management10 } withheld }
  share { management10 management20 }
  comments { text }
  recommendations { level { value name } areas { area steps } language { served } }"""

TEAMS = (
    "query ($ids: [ID!]!, $round: ID!) {"
    " nodes(ids: $ids) { ... on Team { name maturity(round: $round) { " + FIGURES + " } } } }"
)

ORGANISATION = (
    "query ($round: ID!) { organisationMaturity(round: $round) { name " + FIGURES + " } }"
)


async def teams(
    graphql: GraphQL, org: Org, caller: Person, round_id: str, *of: Team
) -> dict[str, Any]:
    return await graphql(
        TEAMS,
        {
            "ids": [global_id("Team", team.id) for team in of],
            "round": global_id("AssessmentRound", round_id),
        },
        headers=org.headers(caller),
    )


async def test_a_shown_team_has_figures_and_recommendations_a_small_one_only_its_reason(
    graphql: GraphQL, org: Org, recorder: Recorder
) -> None:
    round_id = await org.closed_round()
    recorder.clear()

    body = await teams(graphql, org, org.hr, round_id, org.big, org.small)

    assert "errors" not in body, body
    big, small = (node["maturity"] for node in body["data"]["nodes"])
    assert (big["respondents"], big["withheld"]) == (5, None)
    culture = next(area for area in big["areas"] if area["key"] == "culture")
    # Everyone answered 2: culture's two plain items 2, its reverse-scored one 6 - 2 = 4.
    assert (culture["mean"], culture["level"], culture["levelCounts"]) == (2.67, 3, [0, 0, 5, 0, 0])
    # Weak areas: those at levels 1-3, lowest mean first, at most three.
    weak = sorted((a for a in big["areas"] if a["level"] <= 3), key=lambda a: a["mean"])
    assert [a["area"] for a in big["recommendations"]["areas"]] == [a["key"] for a in weak[:3]]
    assert all(a["steps"] for a in big["recommendations"]["areas"])
    assert big["recommendations"]["level"]["value"] <= 3
    assert small == {
        "respondents": None,
        "withheld": "BELOW_THRESHOLD",
        "areas": small["areas"],
        "share": None,
        "comments": None,
        "recommendations": None,
    }
    assert all(
        area["mean"] is None
        and area["level"] is None
        and area["levelCounts"] is None
        and area["distribution"] is None
        and area["withheld"] == "BELOW_THRESHOLD"
        for area in small["areas"]
    )
    # Both teams in one batch read.
    sent = [s for s in recorder.sent if s.service == "assessment"]
    assert [s.path for s in sent] == [f"/v1/rounds/{round_id}/reports"]
    assert sorted(v for k, v in sent[0].params if k == "team_id") == sorted(
        [str(org.big.id), str(org.small.id)]
    )


async def test_leads_read_their_team_members_and_outsiders_read_nothing(
    graphql: GraphQL, org: Org
) -> None:
    round_id = await org.closed_round()

    lead = await teams(graphql, org, org.lead, round_id, org.big, org.small)
    member = await teams(graphql, org, org.big_members[0], round_id, org.big)
    outsider = await teams(graphql, org, org.outsider, round_id, org.big, org.small)

    lead_big, lead_small = (node["maturity"] for node in lead["data"]["nodes"])
    assert (lead_big["respondents"], lead_small) == (5, None)
    assert member["data"]["nodes"][0]["maturity"] is None
    assert [node["maturity"] for node in outsider["data"]["nodes"]] == [None, None]


async def test_the_organisation_is_for_those_who_run_the_round(graphql: GraphQL, org: Org) -> None:
    round_id = await org.closed_round()
    variables = {"round": global_id("AssessmentRound", round_id)}

    hr = await graphql(ORGANISATION, variables, headers=org.headers(org.hr))
    lead = await graphql(ORGANISATION, variables, headers=org.headers(org.lead))

    whole = hr["data"]["organisationMaturity"]
    assert (whole["respondents"], whole["withheld"]) == (10, None)
    assert whole["recommendations"]["level"]["value"] == 3
    assert lead["data"]["organisationMaturity"] is None
    assert codes(lead) == [("NOT_FOUND", "round_not_found")]
    assert lead["errors"][0]["path"] == ["organisationMaturity"]


async def test_an_open_round_shows_no_figures_anywhere(graphql: GraphQL, org: Org) -> None:
    round_id = await org.open_round("Live")
    for person in org.big_members:
        await org.answer(round_id, person, 2)

    team = await teams(graphql, org, org.hr, round_id, org.big)
    whole = await graphql(
        ORGANISATION,
        {"round": global_id("AssessmentRound", round_id)},
        headers=org.headers(org.hr),
    )

    assert team["data"]["nodes"] == [None] or team["data"]["nodes"][0]["maturity"] is None
    assert codes(team) == [("CONFLICT", "round_not_closed")]
    assert codes(whole) == [("CONFLICT", "round_not_closed")]
    assert "2.0" not in str(team) + str(whole)
