"""Rounds set up through the API for the report and plan tests: opened by an HR admin, answered
(rows written as a submit writes them), closed."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.models import Instrument
from services.assessment.rounds.models import Round
from tests.assessment.factories import in_days


async def open_round(
    client: httpx.AsyncClient,
    session: AsyncSession,
    headers: dict[str, str],
    instrument: Instrument,
    **extra: Any,
) -> Round:
    body = {"instrument_id": str(instrument.id), "name": "Maturity", "closes_at": in_days(7)}
    created = await client.post("/v1/rounds", json=body | extra, headers=headers)
    assert created.status_code == 201, created.text
    opened = await client.post(f"/v1/rounds/{created.json()['id']}/open", headers=headers)
    assert opened.status_code == 200, opened.text
    found = await session.get(Round, uuid.UUID(created.json()["id"]))
    assert found is not None
    return found


async def close(client: httpx.AsyncClient, headers: dict[str, str], round_: Round) -> None:
    closed = await client.post(f"/v1/rounds/{round_.id}/close", headers=headers)
    assert closed.status_code == 200, closed.text
