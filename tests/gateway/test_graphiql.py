"""The app around GraphQL: the GraphiQL page works without internet (it and everything it loads
are served from here, and the browser is told to load nothing from elsewhere), health checks
answer for the process alone, requests are logged under their route."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from gateway.app import create_app
from gateway.clients import AssessmentClient, Clients, FeedbackClient, GoalsClient, PeopleClient
from tests.gateway.support import gateway_settings

ASSETS = Path(__file__).resolve().parents[2] / "gateway" / "static" / "graphiql"
BROWSER = {"Accept": "text/html,application/xhtml+xml"}


class References(HTMLParser):
    """Every URL a page refers to, by `src` or `href`."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in {"src", "href"} and value]


def references(page: str) -> list[str]:
    parser = References()
    parser.feed(page)
    return parser.urls


async def test_a_browser_gets_the_graphiql_page(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/graphql", headers=BROWSER)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<div id="graphiql">' in response.text


async def test_the_page_refers_only_to_assets_served_here(gateway: httpx.AsyncClient) -> None:
    page = (await gateway.get("/graphql", headers=BROWSER)).text

    urls = references(page)

    assert "http" not in page.replace("http-equiv", "")
    assert sorted(url for url in urls if url != "data:,") == [
        "static/graphiql/graphiql.min.css",
        "static/graphiql/graphiql.min.js",
        "static/graphiql/inspire-graphiql.css",
        "static/graphiql/inspire-graphiql.js",
        "static/graphiql/react-dom.production.min.js",
        "static/graphiql/react.production.min.js",
    ]
    for url in urls:
        if url.startswith("static/"):
            asset = await gateway.get(f"/{url}")
            assert asset.status_code == 200, url
            assert asset.content == (ASSETS / url.removeprefix("static/graphiql/")).read_bytes()


async def test_the_browser_is_told_to_load_nothing_from_elsewhere(
    gateway: httpx.AsyncClient,
) -> None:
    response = await gateway.get("/graphql", headers=BROWSER)

    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response.headers["content-security-policy"].split(";")
    )
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'"
    assert policy["connect-src"] == "'self'"


async def test_the_assets_are_served_with_their_types(gateway: httpx.AsyncClient) -> None:
    script = await gateway.get("/static/graphiql/graphiql.min.js")
    style = await gateway.get("/static/graphiql/graphiql.min.css")
    missing = await gateway.get("/static/graphiql/nothing.js")

    assert script.headers["content-type"].startswith(("text/javascript", "application/javascript"))
    assert style.headers["content-type"].startswith("text/css")
    assert len(script.content) > 100_000
    assert missing.status_code == 404


def test_the_assets_come_with_their_versions_and_licences() -> None:
    readme = (ASSETS / "README.md").read_text()

    for package in ("graphiql", "react", "react-dom"):
        assert (ASSETS / f"LICENSE.{package}").is_file()
        assert f"`{package}`" in readme
    assert "MIT" in readme


def test_the_page_takes_a_token_from_the_fragment_only() -> None:
    script = (ASSETS / "inspire-graphiql.js").read_text()

    assert "window.location.hash" in script
    assert "Authorization" in script
    assert "window.location.search" not in script.split("replaceState")[0]


async def test_graphql_answers_a_post_on_the_same_url(gateway: httpx.AsyncClient) -> None:
    response = await gateway.post("/graphql", json={"query": "{ __typename }"})

    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.fixture
async def nowhere_app() -> AsyncIterator[FastAPI]:
    """A gateway whose services are all down, without GraphiQL."""
    async with httpx.AsyncClient(base_url="http://127.0.0.1:9") as nowhere:
        clients = Clients(
            people=PeopleClient(nowhere),
            goals=GoalsClient(nowhere),
            feedback=FeedbackClient(nowhere),
            assessment=AssessmentClient(nowhere),
        )
        yield create_app(gateway_settings(graphiql=False), clients=clients)


async def test_health_is_the_process_alone(nowhere_app: FastAPI) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=nowhere_app), base_url="http://gateway"
    ) as client:
        health = await client.get("/healthz")
        ready = await client.get("/readyz")
        page = await client.get("/graphql", headers=BROWSER)

    assert (health.status_code, ready.status_code) == (200, 200)
    assert page.status_code == 404


async def test_requests_are_logged_under_their_route(
    gateway: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="inspire.http"):
        await gateway.post("/graphql", json={"query": "{ __typename }"})

    assert [getattr(record, "route", None) for record in caplog.records] == ["/graphql"]
