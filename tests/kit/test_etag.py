"""`If-Match` compares strongly (RFC 9110 §13.1.1): a weak tag never matches, `*` matches any
current version, and a list matches when one of its tags does."""

from __future__ import annotations

import httpx
import pytest

from kit.db import Database
from kit.errors import PreconditionFailed, PreconditionRequired
from kit.etag import check_if_match
from tests.kit.toy_databases import add_member
from tests.support import Tokens


@pytest.mark.parametrize("if_match", ['"3"', '"1", "3"', '"2","3"', "*", " * "])
def test_the_current_tag_or_a_star_matches(if_match: str) -> None:
    check_if_match(if_match, 3)


@pytest.mark.parametrize(
    "if_match",
    ['W/"3"', 'w/"3"', '"1", W/"3"', '"2"', "3", '""', "", '"3', 'W/"3", "2"', '"*"'],
)
def test_a_weak_stale_or_malformed_tag_is_412(if_match: str) -> None:
    with pytest.raises(PreconditionFailed) as refused:
        check_if_match(if_match, 3)

    assert refused.value.code == "stale_version"


def test_no_tag_is_428() -> None:
    with pytest.raises(PreconditionRequired) as refused:
        check_if_match(None, 3)

    assert refused.value.code == "if_match_required"


async def test_a_weak_copy_of_the_current_tag_changes_nothing_over_http(
    toy_client: httpx.AsyncClient, toy_db: Database, tokens: Tokens
) -> None:
    await add_member(toy_db, "alice@example.com")
    alice = tokens.person("alice@example.com")
    note = (await toy_client.post("/v1/notes", json={"title": "draft"}, headers=alice)).json()
    url = f"/v1/notes/{note['id']}"
    tag = (await toy_client.get(url, headers=alice)).headers["etag"]

    weak = await toy_client.patch(
        url, json={"title": "weak"}, headers={**alice, "If-Match": f"W/{tag}"}
    )
    after = await toy_client.get(url, headers=alice)
    strong = await toy_client.patch(
        url, json={"title": "strong"}, headers={**alice, "If-Match": tag}
    )

    assert (weak.status_code, weak.json()["code"]) == (412, "stale_version")
    assert (after.json()["title"], after.headers["etag"]) == ("draft", tag)
    assert strong.status_code == 200, strong.text
