"""Each service's OpenAPI document says what it accepts and answers: schemathesis generates
requests from the document for every operation (valid ones and invalid ones), sends them over
real HTTP with an HR admin's token, and checks every answer against the document (no 500,
declared statuses, content types, headers and bodies; invalid requests refused). Few examples
per operation and a fixed seed: a bounded, repeatable run."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.db import Database
from kit.settings import Environment, ServiceUrls
from tests.goals.factories import create_hr_admin as goals_hr_admin
from tests.people.factories import create_hr_admin as people_hr_admin
from tests.support import AUTH, Tokens, served, service_specs

pytestmark = pytest.mark.e2e

# A longer run: INSPIRE_FUZZ_EXAMPLES=50 INSPIRE_FUZZ_PHASES=examples,coverage,fuzzing,stateful.
EXAMPLES = int(os.environ.get("INSPIRE_FUZZ_EXAMPLES", "3"))
SEED = 1
ADMIN = "hana.hr@example.com"


async def add_admin(service: str, session: AsyncSession) -> None:
    # People keeps the directory; the others their org copy of it (one shape for all three).
    if service == "people":
        await people_hr_admin(session, email=ADMIN, name="Hana HR")
    else:
        await goals_hr_admin(session, email=ADMIN, name="Hana HR")


async def seeded(service: str, fresh_database: Callable[[str], Awaitable[str]]) -> str:
    """A fresh database of `service` holding the HR admin; its URL."""
    url = await fresh_database(service)
    seed = Database(url, pool_size=1)
    async with seed.sessionmaker() as session:
        await add_admin(service, session)
        await session.commit()
    await seed.dispose()
    return url


def _app(service: str, url: str, **settings: Any) -> FastAPI:
    spec = service_specs()[service]
    return spec.create_app(
        spec.settings_class(database_url=url, environment=Environment.TEST, auth=AUTH, **settings)
    )


@pytest.mark.parametrize("service", sorted(service_specs()))
async def test_every_operation_answers_as_its_document_says(
    fresh_database: Callable[[str], Awaitable[str]],
    tokens: Tokens,
    tmp_path: Path,
    service: str,
) -> None:
    url = await seeded(service, fresh_database)

    async with contextlib.AsyncExitStack() as stack:
        urls = ServiceUrls()
        if service == "goals":
            # Goals asks the people service whether a development goal's skills exist.
            people = await stack.enter_async_context(
                served(_app("people", await seeded("people", fresh_database)))
            )
            urls = ServiceUrls(people_url=people)
        base = await stack.enter_async_context(served(_app(service, url, urls=urls)))
        run = await asyncio.create_subprocess_exec(
            str(Path(sys.executable).with_name("schemathesis")),
            "run",
            f"{base}/openapi.json",
            "--header",
            f"Authorization: {tokens.person(ADMIN)['Authorization']}",
            "--max-examples",
            str(EXAMPLES),
            "--seed",
            str(SEED),
            "--phases",
            os.environ.get("INSPIRE_FUZZ_PHASES", "examples,fuzzing"),
            # A document cannot say that an id must name something that exists, or that a
            # cursor must be one the API gave out: refusing those is a business rule.
            "--exclude-checks",
            "positive_data_acceptance",
            # Generation, not the API, is what a loaded machine slows down.
            "--suppress-health-check",
            "too_slow",
            "--workers",
            "2",
            "--no-color",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            cwd=tmp_path,
        )
        output, _ = await run.communicate()

    assert run.returncode == 0, output.decode()
