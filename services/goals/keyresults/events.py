"""The events of changing and removing a key result, beside `key_result.created` and
`key_result.checked_in` (`services/goals/events.py`): ids and figures, never its title."""

from __future__ import annotations

import uuid

from pydantic import Field

from kit.events import EventType
from services.goals.events import KeyResultPayload


class KeyResultUpdatedPayload(KeyResultPayload):
    changed: list[str] = Field(description="Names of the fields that changed.")
    changed_by: uuid.UUID


class KeyResultDeletedPayload(KeyResultPayload):
    deleted_by: uuid.UUID


KEY_RESULT_UPDATED = EventType(
    "key_result.updated",
    KeyResultUpdatedPayload,
    "A key result's title, figures, unit, owner or weight changed; the payload is the key "
    "result after the change.",
)
KEY_RESULT_DELETED = EventType(
    "key_result.deleted",
    KeyResultDeletedPayload,
    "A key result was removed from its objective, with its check-ins; links and dependencies "
    "naming it were withdrawn.",
)

EVENT_TYPES = (KEY_RESULT_UPDATED, KEY_RESULT_DELETED)
