"""The events of help requests. Like every goals event, a payload carries ids and kinds, never
what was written (what is blocked, the help wanted, offers, the resolution note); the
objective's `visibility` lets consumers keep a private one private. The feedback service
reacts to `help_request.opened` (accountability groups)."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from kit.events import EventType
from services.goals.help.schemas import HelpRequestSource
from services.goals.schemas import Visibility


class HelpRequestPayload(BaseModel):
    id: uuid.UUID
    objective_id: uuid.UUID
    key_result_id: uuid.UUID | None
    owner_person_id: uuid.UUID | None = Field(description="The objective's owner.")
    owner_team_id: uuid.UUID | None = Field(description="The objective's owner.")
    visibility: Visibility = Field(description="The objective's visibility.")


class HelpRequestOpenedPayload(HelpRequestPayload):
    source: HelpRequestSource
    check_in_id: uuid.UUID | None = Field(description="The check-in that opened it, if one did.")
    opened_by: uuid.UUID
    addressee_ids: list[uuid.UUID] = Field(description="Who was asked for help.")


class HelpRequestResolvedPayload(HelpRequestPayload):
    resolved_by: uuid.UUID


HELP_REQUEST_OPENED = EventType(
    "help_request.opened",
    HelpRequestOpenedPayload,
    "Someone asked for help on an objective or a key result (by an off-track or "
    "low-confidence check-in, or by hand); `addressee_ids` are asked to help.",
)
HELP_REQUEST_RESOLVED = EventType(
    "help_request.resolved", HelpRequestResolvedPayload, "A help request was resolved."
)

EVENT_TYPES = (HELP_REQUEST_OPENED, HELP_REQUEST_RESOLVED)
