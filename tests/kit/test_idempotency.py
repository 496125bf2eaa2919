"""What a route declares shown once (`redacted_on_replay`) is never kept for an
`Idempotency-Key` replay: the stored answer has it null, and the replay says so."""

from __future__ import annotations

import httpx
import pytest
from sqlmodel import select

from kit.db import Database
from kit.idempotency import IdempotencyRecord
from tests.kit.toy_databases import add_member
from tests.support import Tokens


@pytest.fixture
async def alice(toy_db: Database, tokens: Tokens) -> dict[str, str]:
    await add_member(toy_db, "alice@example.com")
    return tokens.person("alice@example.com")


async def test_a_field_shown_once_is_not_kept_for_the_replay(
    toy_client: httpx.AsyncClient, toy_db: Database, alice: dict[str, str]
) -> None:
    headers = alice | {"Idempotency-Key": "key-1"}

    first = await toy_client.post("/v1/keys", json={"name": "ci"}, headers=headers)
    again = await toy_client.post("/v1/keys", json={"name": "ci"}, headers=headers)

    token = first.json()["token"]
    assert first.status_code == again.status_code == 201
    assert again.json() == {"name": "ci", "token": None}
    assert again.headers["idempotent-replay-redacted"] == "token"
    assert "idempotent-replay-redacted" not in first.headers
    async with toy_db.sessionmaker() as session:
        [stored] = (
            await session.exec(select(IdempotencyRecord).where(IdempotencyRecord.key == "key-1"))
        ).all()
    assert token.encode() not in stored.body
    assert b'"name":"ci"' in stored.body


async def test_an_answer_without_the_field_is_kept_whole(
    toy_client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    headers = alice | {"Idempotency-Key": "note-1"}

    first = await toy_client.post("/v1/notes", json={"title": "t"}, headers=headers)
    again = await toy_client.post("/v1/notes", json={"title": "t"}, headers=headers)

    assert again.json() == first.json()
    assert "idempotent-replay-redacted" not in again.headers
