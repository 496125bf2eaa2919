"""Help requests through the gateway: a low check-in asks for help by itself and reaches the
manager's `viewer.helpRequests`; a peer offers help; the one who asked resolves it; nobody
reads another person's help requests; a private objective's stay private."""

from __future__ import annotations

from typing import Any

import pytest

from kit.db import Database
from services.goals.models import KeyResult
from tests.gateway.goals.scene import Okrs, Work, global_id
from tests.gateway.support import GraphQL
from tests.goals import factories as goals_rows
from tests.support import Tokens

pytestmark = pytest.mark.e2e

HELP = "id state source blocked helpWanted resolutionNote openedBy { name } addressees { name } "
HELP += "offers { message person { name } } objective { title } keyResult { title }"

MY_HELP = f"""query ($role: HelpRequestRole) {{
  viewer {{ helpRequests(role: $role) {{ edges {{ node {{ {HELP} }} }} }} }}
}}"""

CHECK_IN = """mutation ($input: CheckInInput!) {
  checkIn(input: $input) { __typename ... on UserError { code } }
}"""

OFFER = f"""mutation ($input: OfferHelpInput!) {{
  offerHelp(input: $input) {{
    __typename
    ... on HelpRequestPayload {{ helpRequest {{ {HELP} }} }}
    ... on UserError {{ code field }}
  }}
}}"""

RESOLVE = f"""mutation ($input: ResolveHelpRequestInput!) {{
  resolveHelpRequest(input: $input) {{
    __typename
    ... on HelpRequestPayload {{ helpRequest {{ {HELP} }} }}
    ... on UserError {{ code field }}
  }}
}}"""

OPEN = f"""mutation ($input: OpenHelpRequestInput!) {{
  openHelpRequest(input: $input) {{
    __typename
    ... on HelpRequestPayload {{ helpRequest {{ {HELP} }} }}
    ... on UserError {{ code field }}
  }}
}}"""


@pytest.fixture
async def bobs_result(okrs: Okrs, work: Work, goals_db: Database) -> KeyResult:
    """A key result of Bob's own objective (Ada is his manager)."""
    async with goals_db.sessionmaker() as session:
        result = await goals_rows.create_key_result(session, work.bobs, title="Katas done")
        await session.commit()
    return result


def _nodes(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in body["data"]["viewer"]["helpRequests"]["edges"]]


async def test_a_low_check_in_reaches_the_manager_who_sees_the_help_through_to_its_end(
    graphql: GraphQL, okrs: Okrs, bobs_result: KeyResult, tokens: Tokens
) -> None:
    bob, ada, cy = (tokens.person(f"{name}@example.com") for name in ("bob", "ada", "cy"))
    checked = await graphql(
        CHECK_IN,
        {
            "input": {
                "keyResultId": global_id("KeyResult", bobs_result.id),
                "value": 1,
                "confidence": 2,
                "note": "Blocked on a mentor",
            }
        },
        headers=bob,
    )
    assert checked["data"]["checkIn"]["__typename"] == "CheckInPayload"

    [addressed] = _nodes(await graphql(MY_HELP, {"role": "ADDRESSED"}, headers=ada))
    [mine] = _nodes(await graphql(MY_HELP, {"role": "MINE"}, headers=bob))
    offered = await graphql(
        OFFER, {"input": {"helpRequestId": mine["id"], "message": "I pair on Rust"}}, headers=cy
    )
    resolved = await graphql(
        RESOLVE, {"input": {"helpRequestId": mine["id"], "note": "Cy paired"}}, headers=bob
    )

    assert addressed == mine
    assert addressed | {"id": None} == {
        "id": None,
        "state": "OPEN",
        "source": "CHECK_IN",
        "blocked": "Blocked on a mentor",
        "helpWanted": None,
        "resolutionNote": None,
        "openedBy": {"name": "Bob"},
        "addressees": [{"name": "Ada"}],
        "offers": [],
        "objective": {"title": "Learn Rust"},
        "keyResult": {"title": "Katas done"},
    }
    assert offered["data"]["offerHelp"]["helpRequest"]["offers"] == [
        {"message": "I pair on Rust", "person": {"name": "Cy"}}
    ]
    done = resolved["data"]["resolveHelpRequest"]["helpRequest"]
    assert (done["state"], done["resolutionNote"]) == ("RESOLVED", "Cy paired")


async def test_help_asked_by_hand_once_per_subject_and_seen_on_the_objective(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    ada = tokens.person("ada@example.com")
    subject = {"objectiveId": global_id("Objective", okrs.public.id)}

    opened = await graphql(OPEN, {"input": subject | {"helpWanted": "A reviewer"}}, headers=ada)
    again = await graphql(OPEN, {"input": subject}, headers=ada)
    bad_id = await graphql(OPEN, {"input": {"keyResultId": "nonsense"}}, headers=ada)
    on_objective = await graphql(
        "query ($id: ID!) { objective(id: $id) { "
        "helpRequests { edges { node { helpWanted } } } } }",
        {"id": subject["objectiveId"]},
        headers=tokens.person("cy@example.com"),
    )

    assert opened["data"]["openHelpRequest"]["helpRequest"]["source"] == "MANUAL"
    assert again["data"]["openHelpRequest"] == {
        "__typename": "OpenHelpRequestError",
        "code": "help_request_open",
        "field": None,
    }
    assert bad_id["data"]["openHelpRequest"]["code"] == "invalid_id"
    edges = on_objective["data"]["objective"]["helpRequests"]["edges"]
    assert edges == [{"node": {"helpWanted": "A reviewer"}}]


async def test_nobody_reads_another_persons_help_requests(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    ada = tokens.person("ada@example.com")
    await graphql(
        OPEN, {"input": {"objectiveId": global_id("Objective", okrs.public.id)}}, headers=ada
    )

    of_ada = await graphql(
        "query ($id: ID!) { person(id: $id) { helpRequests { edges { node { id } } } } }",
        {"id": global_id("Person", okrs.ada.id)},
        headers=tokens.person("bob@example.com"),
    )

    assert of_ada["data"]["person"] == {"helpRequests": None}


async def test_a_private_objectives_help_request_is_hidden_from_outsiders(
    graphql: GraphQL, okrs: Okrs, tokens: Tokens
) -> None:
    ada, cy = tokens.person("ada@example.com"), tokens.person("cy@example.com")
    opened = await graphql(
        OPEN, {"input": {"objectiveId": global_id("Objective", okrs.private.id)}}, headers=ada
    )
    help_id = opened["data"]["openHelpRequest"]["helpRequest"]["id"]

    offered = await graphql(
        OFFER, {"input": {"helpRequestId": help_id, "message": "Hi"}}, headers=cy
    )
    seen = await graphql(
        "query ($id: ID!) { objective(id: $id) { helpRequests { edges { node { id } } } } }",
        {"id": global_id("Objective", okrs.private.id)},
        headers=cy,
    )

    assert offered["data"]["offerHelp"]["code"] == "help_request_not_found"
    assert seen["data"]["objective"] is None
