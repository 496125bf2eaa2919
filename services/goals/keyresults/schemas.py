"""The contract of changing a key result after it was added (adding and reading it are the
goals service's `KeyResultCreate` and `KeyResultRead`)."""

from __future__ import annotations

from pydantic import Field, field_validator

from kit.fields import no_null, omitted
from services.goals.schemas import Id, Number, StrictInput, Title, Unit, Weight, refuse_null


class KeyResultUpdate(StrictInput):
    """Only the fields sent change; `unit` and `owner_person_id` are cleared with `null`.
    `start` and `target` as the kind takes them: both for `increase_to` / `decrease_to` (in
    its direction), `target` (the line) and `start` for `stay_above` / `stay_below`, neither
    for `binary` and `milestones`. Its kind and its milestones stay as they are; where it
    stands changes by check-ins."""

    title: Title | None = omitted()
    start: Number | None = omitted()
    target: Number | None = omitted()
    unit: Unit | None = Field(default=None, description="E.g. `%`; `null` clears it.")
    owner_person_id: Id | None = Field(
        default=None,
        description="Who sees to it: someone who may check in on the objective; `null` for "
        "nobody named.",
    )
    weight: Weight | None = Field(
        default=None,
        description="Its share in the objective's progress.",
        json_schema_extra=no_null,
    )

    _not_null = field_validator("title", "start", "target", "weight")(refuse_null)
