"""What every part of the assessment API contract builds on: strict bodies and keys."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints

# An instrument's or an area's key: lower case, digits and `_`, starting with a letter.
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,63}$")]


class StrictInput(BaseModel):
    """Base of request bodies: exact JSON types, unknown fields refused."""

    model_config = ConfigDict(strict=True, extra="forbid")


def refuse_null(value: Any) -> Any:
    """A field validator: an omitted field stays unchanged, a `null` is refused (validators
    run only for values sent)."""
    if value is None:
        raise ValueError("may not be null")
    return value
