"""The event catalogue: every type of every service, gathered over HTTP from the services' own
catalogues, with the webhooks service's own types; and `docs/events.md`, generated from the
same catalogues, up to date."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from cli.eventsdoc import EVENTS_DOC, catalogue_entries, events_doc
from tests.support import Tokens


async def test_every_service_s_types_are_listed_with_their_schemas(
    client: httpx.AsyncClient, as_employee: dict[str, str]
) -> None:
    response = await client.get("/v1/event-types", headers=as_employee)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["unavailable"] == []
    by_name = {item["name"]: item for item in body["items"]}
    assert {item["service"] for item in body["items"]} == {
        "people",
        "goals",
        "feedback",
        "assessment",
        "webhooks",
    }
    assert by_name["person.created"]["scope"] == "people:read"
    assert by_name["person.created"]["payload_schema"]["type"] == "object"
    assert "id" in by_name["person.created"]["payload_schema"]["properties"]
    assert by_name["endpoint.delivery_exhausted"]["service"] == "webhooks"
    okr = sorted(name for name, item in by_name.items() if item["okr"])
    assert okr == sorted(
        n for n in by_name if n.split(".")[0] in ("cycle", "objective", "key_result")
    )
    assert "objective.created" in okr


async def test_the_catalogue_served_is_the_one_the_services_declare(
    client: httpx.AsyncClient, tokens: Tokens
) -> None:
    response = await client.get("/v1/event-types", headers=tokens.service())

    assert response.json()["items"] == [entry.model_dump() for entry in catalogue_entries()]


async def test_a_service_that_does_not_answer_is_listed_unavailable(
    webhooks_app: object, source_apps: dict[str, FastAPI], tokens: Tokens
) -> None:
    only_people = {"people": source_apps["people"]}
    app = webhooks_app(sources=only_people)  # type: ignore[operator]  # the fixture's factory
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://webhooks"
    ) as client:
        response = await client.get("/v1/event-types", headers=tokens.integration())

    body = response.json()
    assert body["unavailable"] == ["goals", "feedback", "assessment"]
    assert {item["service"] for item in body["items"]} == {"people", "webhooks"}


def test_the_events_page_is_up_to_date() -> None:
    assert EVENTS_DOC.read_text() == events_doc(), "run `inspire events-doc`"
