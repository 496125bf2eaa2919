"""The events the assessment service publishes: changes to its catalogue of instruments."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from kit.events import EventCatalogue, EventType


class InstrumentCreatedPayload(BaseModel):
    id: uuid.UUID
    key: str
    name: str
    edition: str
    active: bool
    area_keys: list[str]
    question_count: int


class InstrumentUpdatedPayload(BaseModel):
    id: uuid.UUID
    key: str
    name: str
    description: str | None
    active: bool
    changed: list[str] = Field(description="Names of the fields that changed.")


INSTRUMENT_CREATED = EventType(
    "instrument.created", InstrumentCreatedPayload, "An instrument was added to the catalogue."
)
INSTRUMENT_UPDATED = EventType(
    "instrument.updated",
    InstrumentUpdatedPayload,
    "An instrument's name, description or availability (`active`) changed.",
)

CATALOGUE = EventCatalogue("assessment", [INSTRUMENT_CREATED, INSTRUMENT_UPDATED])


# --- Rounds and reports ----------------------------------------------------------------------
# Counts only, and only those the anonymity engine releases: never an answer, never a person.


class RoundOpenedPayload(BaseModel):
    id: uuid.UUID
    instrument_id: uuid.UUID
    team_id: uuid.UUID | None = Field(description="The audience's team; none for everyone.")
    mode: str
    min_group_size: int
    invited: int
    closes_at: datetime


class RoundClosedPayload(BaseModel):
    id: uuid.UUID
    instrument_id: uuid.UUID
    invited: int
    submitted: int


class ReportReadyPayload(BaseModel):
    round_id: uuid.UUID
    instrument_id: uuid.UUID
    respondents: int | None = Field(
        description="Respondents of the whole audience; none when too few to show."
    )
    groups_shown: int = Field(description="Teams (and the whole audience) with figures.")
    groups_withheld: int = Field(description="Teams without figures, to keep answers anonymous.")


ROUND_OPENED = EventType(
    "assessment.round_opened",
    RoundOpenedPayload,
    "A round opened: its audience was fixed and invited; answers are read by no one, results "
    "after it closes.",
)
ROUND_CLOSED = EventType(
    "assessment.round_closed",
    RoundClosedPayload,
    "A round closed, at its close date or by hand; how many were asked and how many answered.",
)
REPORT_READY = EventType(
    "assessment.report_ready",
    ReportReadyPayload,
    "A closed round's report can be read at `GET /v1/rounds/{id}/report`, for the groups the "
    "anonymity rules allow.",
)

CATALOGUE = EventCatalogue(
    "assessment", [*CATALOGUE.types.values(), ROUND_OPENED, ROUND_CLOSED, REPORT_READY]
)
