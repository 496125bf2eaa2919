"""Who reaches a 1:1: its two participants, nobody else, by any route (the other's manager, HR
admins and outsiders get 404, integrations 403); a private note reaches its author alone, and
is stored sealed with a key that can rotate."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from kit.db import Database
from kit.settings import ConfigurationError, Environment
from services.feedback.config import DEVELOPMENT_NOTE_KEY, FeedbackSettings
from services.feedback.oneonones.sealing import NoteSealer, UnsealableNote
from tests.feedback.factories import Org
from tests.feedback.oneonones.support import PRIVATE, WORDS, add_point, first_meeting
from tests.support import AUTH, ROOT, Outbox, asgi_client, clean_env, service_app

PARTICIPANTS = ("recipient", "giver")
OTHERS = ("manager", "hr_admin", "peer")  # A's manager, an HR admin, an outsider


@dataclass
class Scene:
    """A peers series between the recipient (A) and the giver (B), with one meeting holding a
    talking point, an action item, a Will entry and A's private note."""

    series: str
    meeting: str
    point: str
    item: str

    def path(self, template: str) -> str:
        return template.format(
            series=self.series, meeting=self.meeting, point=self.point, item=self.item
        )


@pytest.fixture
async def scene(client: httpx.AsyncClient, org: Org) -> Scene:
    found = await first_meeting(client, org)
    meeting_path = f"/v1/one-on-one-meetings/{found['id']}"
    point = await add_point(client, org, found["id"], WORDS)
    item = await client.post(
        f"{meeting_path}/action-items",
        json={"text": WORDS, "owner_id": str(org.recipient.id)},
        headers=org.headers("giver"),
    )
    await client.patch(
        meeting_path,
        json={"shared_notes": WORDS, "grow": {"goal": WORDS, "will": [WORDS]}},
        headers=org.headers("giver") | {"If-Match": "*"},
    )
    note = await client.put(
        f"{meeting_path}/private-note", json={"text": PRIVATE}, headers=org.headers("recipient")
    )
    assert note.status_code == 200, note.text
    return Scene(found["series_id"], found["id"], point["id"], item.json()["id"])


TALKING_POINT = "/v1/one-on-one-meetings/{meeting}/talking-points/{point}"
Body = Callable[[Scene, Org], dict[str, Any]] | None


def owned(scene: Scene, org: Org) -> dict[str, Any]:
    return {"text": "x", "owner_id": str(org.recipient.id)}


# Every route of a series or meeting, with its body; what B (who wrote no note) gets where it
# differs from A.
ROUTES: list[tuple[str, str, Body, int | None]] = [
    ("GET", "/v1/one-on-ones/{series}", None, None),
    ("PATCH", "/v1/one-on-ones/{series}", lambda scene, org: {"title": "Ours"}, None),
    ("GET", "/v1/one-on-ones/{series}/meetings", None, None),
    ("POST", "/v1/one-on-ones/{series}/meetings", lambda scene, org: {}, None),
    ("GET", "/v1/one-on-one-meetings/{meeting}", None, None),
    ("PATCH", "/v1/one-on-one-meetings/{meeting}", lambda scene, org: {"shared_notes": "x"}, None),
    ("POST", "/v1/one-on-one-meetings/{meeting}/complete", None, None),
    (
        "POST",
        "/v1/one-on-one-meetings/{meeting}/talking-points",
        lambda scene, org: {"text": "x"},
        None,
    ),
    ("PATCH", TALKING_POINT, lambda scene, org: {"done": True}, None),
    ("DELETE", TALKING_POINT, None, None),
    (
        "PUT",
        "/v1/one-on-one-meetings/{meeting}/agenda-order",
        lambda scene, org: {"ids": [scene.point]},
        None,
    ),
    ("POST", "/v1/one-on-one-meetings/{meeting}/action-items", owned, None),
    (
        "POST",
        "/v1/one-on-one-meetings/{meeting}/action-items/from-will",
        lambda scene, org: {"owner_id": str(org.giver.id)},
        None,
    ),
    ("PATCH", "/v1/one-on-one-action-items/{item}", lambda scene, org: {"done": True}, None),
    (
        "PUT",
        "/v1/one-on-one-meetings/{meeting}/private-note",
        lambda scene, org: {"text": "x"},
        None,
    ),
    ("GET", "/v1/one-on-one-meetings/{meeting}/private-note", None, 404),
    ("DELETE", "/v1/one-on-one-meetings/{meeting}/private-note", None, 404),
    ("POST", "/v1/one-on-ones/{series}/end", None, None),
]


async def send(
    client: httpx.AsyncClient,
    org: Org,
    caller: str,
    method: str,
    path: str,
    body: dict[str, Any] | None,
) -> httpx.Response:
    headers = org.headers(caller) | {"If-Match": "*"}
    return await client.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize(("method", "template", "body", "for_b"), ROUTES)
@pytest.mark.parametrize("caller", [*PARTICIPANTS, *OTHERS, "integration"])
async def test_only_the_two_reach_a_1_1_by_any_route(
    client: httpx.AsyncClient,
    org: Org,
    scene: Scene,
    caller: str,
    method: str,
    template: str,
    body: Body,
    for_b: int | None,
) -> None:
    sent = None if body is None else body(scene, org)
    response = await send(client, org, caller, method, scene.path(template), sent)

    if caller == "integration":
        assert response.status_code == 403, response.text
    elif caller in OTHERS:
        assert response.status_code == 404, response.text
        assert WORDS not in response.text
        assert PRIVATE not in response.text
    elif caller == "giver" and for_b is not None:
        assert response.status_code == for_b, response.text
    else:
        assert response.status_code < 300, response.text


@pytest.mark.parametrize("caller", OTHERS)
async def test_lists_and_batch_reads_show_others_nothing(
    client: httpx.AsyncClient, org: Org, scene: Scene, caller: str
) -> None:
    listed = await client.get("/v1/one-on-ones", headers=org.headers(caller))
    batch = await client.get(f"/v1/one-on-ones?id={scene.series}", headers=org.headers(caller))
    items = await client.get(
        f"/v1/one-on-one-action-items?series_id={scene.series}", headers=org.headers(caller)
    )

    assert listed.json()["items"] == []
    assert batch.json()["items"] == []
    assert items.json()["items"] == []


async def test_integrations_may_not_list_1_1s(client: httpx.AsyncClient, org: Org) -> None:
    response = await client.get("/v1/one-on-ones", headers=org.headers("integration"))

    assert response.status_code == 403


# --- Private notes ---------------------------------------------------------------------------


async def test_a_private_note_is_read_by_its_author_alone(
    client: httpx.AsyncClient, org: Org, scene: Scene, outbox: Outbox
) -> None:
    note_path = f"/v1/one-on-one-meetings/{scene.meeting}/private-note"

    mine = await client.get(note_path, headers=org.headers("recipient"))
    theirs = await client.get(note_path, headers=org.headers("giver"))
    everything_b_reads = [
        await client.get(path, headers=org.headers("giver"))
        for path in (
            "/v1/one-on-ones",
            f"/v1/one-on-ones?id={scene.series}",
            f"/v1/one-on-ones/{scene.series}/meetings",
            f"/v1/one-on-one-meetings/{scene.meeting}",
        )
    ]
    completed = await client.post(
        f"/v1/one-on-one-meetings/{scene.meeting}/complete", headers=org.headers("recipient")
    )

    assert mine.json()["text"] == PRIVATE
    assert (theirs.status_code, theirs.json()["code"]) == (404, "private_note_not_found")
    assert all(PRIVATE not in response.text for response in everything_b_reads)
    assert PRIVATE not in completed.text
    assert PRIVATE not in json.dumps(await outbox.events())


async def test_each_participant_keeps_a_note_of_their_own(
    client: httpx.AsyncClient, org: Org, scene: Scene
) -> None:
    note_path = f"/v1/one-on-one-meetings/{scene.meeting}/private-note"

    await client.put(note_path, json={"text": "B's own"}, headers=org.headers("giver"))

    assert (await client.get(note_path, headers=org.headers("giver"))).json()["text"] == "B's own"
    assert (await client.get(note_path, headers=org.headers("recipient"))).json()["text"] == PRIVATE


async def stored_notes(session: AsyncSession) -> list[tuple[str, bytes]]:
    # Raw SQL on the connection: the bytes as PostgreSQL holds them, past any model.
    connection = await session.connection()
    rows = await connection.execute(
        text("SELECT key_id, ciphertext FROM one_on_one_private_note ORDER BY created_at")
    )
    return [(row[0], bytes(row[1])) for row in rows]


async def test_the_stored_note_is_not_the_words(session: AsyncSession, scene: Scene) -> None:
    ((key_id, stored),) = await stored_notes(session)

    assert key_id == "dev"
    assert PRIVATE.encode() not in stored
    assert base64.b64encode(PRIVATE.encode()) not in stored


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


async def test_notes_sealed_with_an_old_key_open_after_a_rotation(
    service_db: Database, session: AsyncSession, org: Org
) -> None:
    old, new = new_key(), new_key()
    before = service_app("feedback", service_db, note_keys={"k1": old})
    after = service_app("feedback", service_db, note_keys={"k1": old, "k2": new}, note_key_id="k2")
    async with asgi_client(before, "feedback") as client:
        found = await first_meeting(client, org)
        note_path = f"/v1/one-on-one-meetings/{found['id']}/private-note"
        await client.put(note_path, json={"text": PRIVATE}, headers=org.headers("recipient"))
    async with asgi_client(after, "feedback") as client:
        read_old = await client.get(note_path, headers=org.headers("recipient"))
        await client.put(note_path, json={"text": "B"}, headers=org.headers("giver"))

    assert read_old.json()["text"] == PRIVATE
    assert [key_id for key_id, _ in await stored_notes(session)] == ["k1", "k2"]


def test_a_note_opens_only_on_its_own_row_and_with_its_own_key() -> None:
    key = base64.urlsafe_b64decode(new_key())
    sealer = NoteSealer("k1", {"k1": key})
    note, author = uuid.uuid4(), uuid.uuid4()
    sealed = sealer.seal(PRIVATE, note, author)

    with pytest.raises(UnsealableNote):
        sealer.open(sealed, uuid.uuid4(), author)
    with pytest.raises(UnsealableNote):
        NoteSealer("k2", {"k2": key}).open(sealed, note, author)
    assert sealer.open(sealed, note, author) == PRIVATE


# --- Configuration ---------------------------------------------------------------------------


def production(**overrides: Any) -> FeedbackSettings:
    values: dict[str, Any] = {
        "database_url": "postgresql://db/feedback",
        "environment": Environment.PRODUCTION,
        "auth": AUTH,
    }
    return FeedbackSettings(**(values | overrides))


@pytest.mark.parametrize(
    ("keys", "current", "refusal"),
    [
        ({}, None, "INSPIRE_FEEDBACK_NOTE_KEYS"),
        ({"dev": DEVELOPMENT_NOTE_KEY}, None, "development key"),
        ({"k1": "too-short"}, None, "32 bytes"),
        ({"k1": new_key()}, "k9", "INSPIRE_FEEDBACK_NOTE_KEY_ID"),
    ],
)
def test_serving_refuses_without_a_real_note_key(
    keys: dict[str, str], current: str | None, refusal: str
) -> None:
    settings = production(note_keys={k: SecretStr(v) for k, v in keys.items()}, note_key_id=current)

    with pytest.raises(ConfigurationError, match=refusal):
        settings.check_ready_to_serve("feedback")


def test_serving_starts_with_a_real_note_key() -> None:
    production(note_keys={"k1": SecretStr(new_key())}).check_ready_to_serve("feedback")


def test_development_serves_with_the_development_key() -> None:
    settings = production(environment=Environment.DEVELOPMENT)

    settings.check_ready_to_serve("feedback")
    assert settings.sealing_keys()[0] == "dev"


@pytest.mark.parametrize(
    ("keys", "refusal"),
    [
        (None, "missing configuration: INSPIRE_FEEDBACK_NOTE_KEYS"),
        (json.dumps({"k1": "c2hvcnQ="}), "note key 'k1' is not 32 bytes"),
    ],
)
def test_inspire_serve_refuses_without_a_real_note_key(keys: str | None, refusal: str) -> None:
    env = clean_env(
        INSPIRE_FEEDBACK_DATABASE_URL="postgresql://postgres@127.0.0.1/nowhere",
        INSPIRE_AUTH_JWT_SECRET="j" * 32,
        INSPIRE_AUTH_SERVICE_SECRET="s" * 32,
        **({} if keys is None else {"INSPIRE_FEEDBACK_NOTE_KEYS": keys}),
    )

    result = subprocess.run(
        [sys.executable, "-m", "cli", "serve", "feedback"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    assert refusal in result.stderr
    assert "c2hvcnQ=" not in result.stderr
    assert "Traceback" not in result.stderr
