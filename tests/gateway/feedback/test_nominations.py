"""Nominations through the gateway, over the real people and feedback services: HR admins open
and close periods, people nominate, a closed period shows its nominees named at least twice with
counts; who nominated whom is nowhere in the schema or in any answer."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import pytest
from graphql import GraphQLObjectType

from gateway.schema import schema, sdl
from tests.gateway.feedback.scene import Org, global_id
from tests.gateway.support import GraphQL, Recorder

pytestmark = pytest.mark.e2e

PERIOD = "id name startsOn endsOn status version results { nominations person { name } }"

CREATE = f"""mutation ($input: CreateNominationPeriodInput!) {{
  createNominationPeriod(input: $input) {{
    __typename
    ... on CreateNominationPeriodPayload {{ nominationPeriod {{ {PERIOD} }} }}
    ... on CreateNominationPeriodError {{ code field message }}
  }}
}}"""

CLOSE = f"""mutation ($input: CloseNominationPeriodInput!) {{
  closeNominationPeriod(input: $input) {{
    __typename
    ... on CloseNominationPeriodPayload {{ nominationPeriod {{ {PERIOD} }} }}
    ... on CloseNominationPeriodError {{ code field message }}
  }}
}}"""

NOMINATE = f"""mutation ($input: NominateInput!) {{
  nominate(input: $input) {{
    __typename
    ... on NominatePayload {{
      nomination {{ reason nominee {{ name }} }}
      nominationPeriod {{ {PERIOD} }}
    }}
    ... on NominateError {{ code field message }}
  }}
}}"""


async def mutation(
    graphql: GraphQL, org: Org, caller: str, document: str, name: str, values: dict[str, Any]
) -> dict[str, Any]:
    answer = await graphql(document, {"input": values}, headers=org.headers(caller))
    assert "errors" not in answer, answer
    result: dict[str, Any] = answer["data"][name]
    return result


async def period(graphql: GraphQL, org: Org, name: str = "March 2031") -> dict[str, Any]:
    values = {"name": name, "startsOn": "2031-03-01", "endsOn": "2031-03-31"}
    result = await mutation(graphql, org, "hr", CREATE, "createNominationPeriod", values)
    made: dict[str, Any] = result["nominationPeriod"]
    return made


async def nominate(
    graphql: GraphQL, org: Org, caller: str, period_id: str, nominee: str, **fields: Any
) -> dict[str, Any]:
    values = {
        "nominationPeriodId": period_id,
        "nomineeId": org.id(nominee),
        "reason": "Helped me ship.",
    }
    return await mutation(graphql, org, caller, NOMINATE, "nominate", values | fields)


async def close(graphql: GraphQL, org: Org, caller: str, made: dict[str, Any]) -> dict[str, Any]:
    values = {"nominationPeriodId": made["id"], "version": made["version"]}
    return await mutation(graphql, org, caller, CLOSE, "closeNominationPeriod", values)


async def test_a_closed_period_shows_nominees_named_twice_with_counts(
    graphql: GraphQL, org: Org
) -> None:
    made = await period(graphql, org)
    for nominator in ("peer", "giver", "manager"):
        await nominate(graphql, org, nominator, made["id"], "recipient")
    mine = await nominate(graphql, org, "outsider", made["id"], "peer", reason="Always there.")

    closed = await close(graphql, org, "hr", made)
    again = await close(graphql, org, "hr", closed["nominationPeriod"])

    assert made | {"id": None} == {
        "id": None,
        "name": "March 2031",
        "startsOn": "2031-03-01",
        "endsOn": "2031-03-31",
        "status": "OPEN",
        "version": 1,
        "results": None,
    }
    assert mine["nomination"] == {"reason": "Always there.", "nominee": {"name": "Pete"}}
    assert mine["nominationPeriod"]["results"] is None
    # Pete was named once: a lone nomination is never shown.
    assert closed["nominationPeriod"]["results"] == [{"nominations": 3, "person": {"name": "Rita"}}]
    assert closed["nominationPeriod"]["status"] == "CLOSED"
    assert again["code"] in {"period_closed", "stale_version"}


async def test_periods_are_listed_and_read_by_id(graphql: GraphQL, org: Org) -> None:
    march = await period(graphql, org)
    april = await period(graphql, org, "April 2031")
    await close(graphql, org, "hr", march)

    answer = await graphql(
        """query ($id: ID!) {
          all: nominationPeriods { edges { node { name status } } }
          open: nominationPeriods(status: OPEN) { edges { node { name } } }
          nominationPeriod(id: $id) { name }
          node(id: $id) { ... on NominationPeriod { name } }
        }""",
        {"id": april["id"]},
        headers=org.headers("outsider"),
    )

    assert answer["data"] == {
        "all": {
            "edges": [
                {"node": {"name": "March 2031", "status": "CLOSED"}},
                {"node": {"name": "April 2031", "status": "OPEN"}},
            ]
        },
        "open": {"edges": [{"node": {"name": "April 2031"}}]},
        "nominationPeriod": {"name": "April 2031"},
        "node": {"name": "April 2031"},
    }


async def test_only_hr_admins_open_and_close_periods(graphql: GraphQL, org: Org) -> None:
    values = {"name": "May", "startsOn": "2031-05-01", "endsOn": "2031-05-31"}
    opened = await mutation(graphql, org, "manager", CREATE, "createNominationPeriod", values)
    made = await period(graphql, org)
    closed = await close(graphql, org, "manager", made)
    backwards = await mutation(
        graphql, org, "hr", CREATE, "createNominationPeriod", values | {"endsOn": "2031-04-01"}
    )
    unnamed = await mutation(
        graphql, org, "hr", CREATE, "createNominationPeriod", values | {"name": "  "}
    )

    assert (opened["__typename"], opened["code"]) == ("CreateNominationPeriodError", "forbidden")
    assert (closed["__typename"], closed["code"]) == ("CloseNominationPeriodError", "forbidden")
    assert backwards["code"] == "ends_before_start"
    assert (unnamed["code"], unnamed["field"]) == ("validation_failed", ["input", "name"])


async def test_each_bad_nomination_is_the_mutations_error(graphql: GraphQL, org: Org) -> None:
    made = await period(graphql, org)

    self_named = await nominate(graphql, org, "peer", made["id"], "peer")
    bad_id = await nominate(graphql, org, "peer", made["id"], "giver", nomineeId="nonsense")
    bad_period = await nominate(graphql, org, "peer", "nonsense", "giver")
    no_period = await nominate(
        graphql, org, "peer", global_id("NominationPeriod", uuid.uuid4()), "giver"
    )
    no_reason = await nominate(graphql, org, "peer", made["id"], "giver", reason=" ")
    await close(graphql, org, "hr", made)
    too_late = await nominate(graphql, org, "peer", made["id"], "giver")

    assert (self_named["__typename"], self_named["code"], self_named["field"]) == (
        "NominateError",
        "self_nomination",
        ["input", "nomineeId"],
    )
    assert (bad_id["code"], bad_id["field"]) == ("invalid_id", ["input", "nomineeId"])
    assert (bad_period["code"], bad_period["field"]) == (
        "invalid_id",
        ["input", "nominationPeriodId"],
    )
    assert no_period["code"] == "period_not_found"
    assert (no_reason["code"], no_reason["field"]) == ("validation_failed", ["input", "reason"])
    assert too_late["code"] == "period_closed"


def test_no_nominator_anywhere_in_the_schema() -> None:
    types = schema._schema.type_map
    nomination, nominee = types["Nomination"], types["Nominee"]
    assert isinstance(nomination, GraphQLObjectType)
    assert isinstance(nominee, GraphQLObjectType)

    # What a nomination shows is its nominee and reason (to the nominator alone), a nominee their
    # count: no field names the person who nominated.
    assert set(nomination.fields) == {"reason", "updatedAt", "nominee"}
    assert set(nominee.fields) == {"nominations", "person"}
    assert "nominator" not in sdl().replace("its nominator", "")


async def test_the_results_of_a_page_of_periods_are_one_request(
    graphql: GraphQL, org: Org, recorder: Recorder
) -> None:
    closed = [await period(graphql, org, f"Month {n}") for n in range(3)]
    await period(graphql, org, "Still open")
    for made, nominee in zip(closed, ("recipient", "peer", "giver"), strict=True):
        for nominator in ("manager", "outsider"):
            await nominate(graphql, org, nominator, made["id"], nominee)
        await close(graphql, org, "hr", made)
    recorder.clear()

    answer = await graphql(
        """{ nominationPeriods { edges { node {
          results { nominations person { name } }
          again: results { nominations }
        } } } }""",
        headers=org.headers("outsider"),
    )

    assert [e["node"]["results"] for e in answer["data"]["nominationPeriods"]["edges"]] == [
        [{"nominations": 2, "person": {"name": "Rita"}}],
        [{"nominations": 2, "person": {"name": "Pete"}}],
        [{"nominations": 2, "person": {"name": "Gina"}}],
        None,
    ]
    # The page, then one batch read for the results of its closed periods (open ones are not
    # asked about), then one for the people.
    assert recorder.paths("feedback") == [
        "/v1/nomination-periods",
        "/v1/nomination-periods/results",
    ]
    batch = recorder.sent[1]
    assert [value for key, value in batch.params if key == "id"] == [
        _uuid(made["id"]) for made in closed
    ]
    assert recorder.paths("people") == ["/v1/people"]


REASONS = """query ($id: ID!) {
  nominationPeriod(id: $id) { myReasons }
  node(id: $id) { ... on NominationPeriod { mine: myReasons } }
}"""


async def test_a_nominee_reads_their_own_reasons_without_names_once_closed(
    graphql: GraphQL, org: Org
) -> None:
    made = await period(graphql, org)
    for nominator, reason in (("peer", "Unblocked my release."), ("giver", "Reviewed at 2am.")):
        await nominate(graphql, org, nominator, made["id"], "recipient", reason=reason)
    await nominate(graphql, org, "recipient", made["id"], "peer", reason="Lone thanks.")

    def reasons(caller: str) -> Any:
        return graphql(REASONS, {"id": made["id"]}, headers=org.headers(caller))

    while_open = await reasons("recipient")
    await close(graphql, org, "hr", made)
    answers = {caller: await reasons(caller) for caller in ("recipient", "peer", "giver", "hr")}

    assert while_open["data"] == {"nominationPeriod": {"myReasons": None}, "node": {"mine": None}}
    assert answers["recipient"]["data"] == {
        "nominationPeriod": {"myReasons": ["Reviewed at 2am.", "Unblocked my release."]},
        "node": {"mine": ["Reviewed at 2am.", "Unblocked my release."]},
    }
    # Pete was named once (his one reason would point at its writer); the others were not named.
    for caller in ("peer", "giver", "hr"):
        assert answers[caller]["data"] == {
            "nominationPeriod": {"myReasons": []},
            "node": {"mine": []},
        }, caller
        assert "Unblocked" not in str(answers[caller])
        assert "Lone" not in str(answers[caller])


async def test_an_integration_reads_no_reasons(graphql: GraphQL, org: Org) -> None:
    made = await period(graphql, org)
    await close(graphql, org, "hr", made)

    answer = await graphql(REASONS, {"id": made["id"]}, headers=org.headers("integration"))

    assert answer["data"]["nominationPeriod"] == {"myReasons": None}
    assert {error["extensions"]["code"] for error in answer["errors"]} == {"FORBIDDEN"}


def _uuid(global_id_: str) -> str:
    return base64.b64decode(global_id_).decode().partition(":")[2]
