"""The instrument bank and the model's recommendations through the graph, in the reader's
language (their locale in the directory), instruments by id batched."""

from __future__ import annotations

import pytest

from tests.gateway.assessment.scene import Org
from tests.gateway.support import GraphQL, Recorder, codes

pytestmark = pytest.mark.e2e

INSTRUMENTS = """{
  instruments(first: 10) {
    edges { node { id key name builtIn areas { key name } levelThresholds locales
                   questions { kind } language { served } } }
  }
}"""

RECOMMEND = """query ($instrument: String!, $level: Int!, $areas: [String!]) {
  recommendations(instrument: $instrument, level: $level, areas: $areas) {
    level { value name management } nextSteps areas { area steps } language { served }
  }
}"""


async def test_instruments_come_in_the_readers_language_and_by_id_again(
    graphql: GraphQL, org: Org, recorder: Recorder
) -> None:
    english = await graphql(INSTRUMENTS, headers=org.headers(org.hr))
    swedish = await graphql(INSTRUMENTS, headers=org.headers(org.big_members[0]))
    first = english["data"]["instruments"]["edges"][0]["node"]
    recorder.clear()
    again = await graphql(
        "query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Instrument { key } } }",
        {"ids": [edge["node"]["id"] for edge in english["data"]["instruments"]["edges"]]},
        headers=org.headers(org.hr),
    )

    keys = [edge["node"]["key"] for edge in english["data"]["instruments"]["edges"]]
    assert keys[:4] == ["maturity", "trust", "needs", "psych_safety"]
    assert (first["name"], first["builtIn"], first["levelThresholds"]) == (
        "Organisational maturity",
        True,
        [1.8, 2.6, 3.4, 4.2],
    )
    assert first["locales"] == ["en", "sv"]
    sv = swedish["data"]["instruments"]["edges"][0]["node"]
    assert (sv["name"], sv["language"]["served"]) == ("Organisatorisk mognad", "sv")
    assert [n["key"] for n in again["data"]["nodes"]] == keys
    assert [s.path for s in recorder.sent if s.service == "assessment"] == ["/v1/instruments"]


async def test_recommendations_and_their_refusals(graphql: GraphQL, org: Org) -> None:
    found = await graphql(
        RECOMMEND,
        {"instrument": "maturity", "level": 3, "areas": ["culture"]},
        headers=org.headers(org.big_members[0]),
    )
    unknown = await graphql(
        RECOMMEND, {"instrument": "nothing", "level": 3}, headers=org.headers(org.hr)
    )
    bad_area = await graphql(
        RECOMMEND,
        {"instrument": "maturity", "level": 3, "areas": ["weather"]},
        headers=org.headers(org.hr),
    )

    steps = found["data"]["recommendations"]
    assert (steps["level"]["value"], steps["level"]["management"]) == (3, "1.0")
    assert steps["level"]["name"] != "Orderly"
    assert steps["language"] == {"served": "sv"}
    assert [a["area"] for a in steps["areas"]] == ["culture"]
    assert len(steps["nextSteps"]) == 3
    assert codes(unknown) == [("NOT_FOUND", "instrument_not_found")]
    assert codes(bad_area) == [("BAD_USER_INPUT", "unknown_area")]


async def test_the_clients_accept_language_reaches_the_service(graphql: GraphQL, org: Org) -> None:
    # The HR admin's directory locale is English; the client asks for Swedish first.
    asked = await graphql(
        INSTRUMENTS, headers=org.headers(org.hr) | {"Accept-Language": "sv-SE;q=0.9, en;q=0.8"}
    )
    garbled = await graphql(
        INSTRUMENTS, headers=org.headers(org.hr) | {"Accept-Language": "sv\r\nX-Evil: 1"}
    )

    first = asked["data"]["instruments"]["edges"][0]["node"]
    assert (first["name"], first["language"]["served"]) == ("Organisatorisk mognad", "sv")
    fallback = garbled["data"]["instruments"]["edges"][0]["node"]
    assert fallback["language"]["served"] == "en"
