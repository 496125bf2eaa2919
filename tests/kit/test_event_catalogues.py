"""Every service's event catalogue, as a consumer reads it at `GET /v1/event-types`: events
carry ids and kinds, never the words people wrote (STYLE: events carry ids, not words)."""

from __future__ import annotations

from typing import Any

import pytest

from kit.db import Database
from kit.settings import Environment
from tests.support import AUTH, service_specs

# Fields that would hold what people wrote: feedback, comments, notes, answers.
WORDS = frozenset({"body", "topic", "text", "note", "notes", "comment", "answer", "message"})


def fields(schema: dict[str, Any]) -> set[str]:
    """Every property name of a JSON schema, nested models included."""
    found = set(schema.get("properties", {}))
    for definition in schema.get("$defs", {}).values():
        found |= fields(definition)
    return found


@pytest.mark.parametrize("name", sorted(service_specs()))
def test_no_event_carries_peoples_words(name: str) -> None:
    spec = service_specs()[name]
    settings = spec.settings_class(environment=Environment.TEST, auth=AUTH)
    # Never connected to: only the catalogue is read.
    app = spec.create_app(settings, database=Database("postgresql://nobody@127.0.0.1/none"))

    carried = {
        event.name: fields(event.payload_schema) & WORDS for event in app.state.catalogue.describe()
    }

    assert {event: words for event, words in carried.items() if words} == {}
