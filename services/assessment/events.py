"""The events the assessment service publishes: changes to its catalogue of instruments."""

from __future__ import annotations

import uuid

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
