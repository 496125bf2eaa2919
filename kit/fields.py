"""Validators that make a service take exactly what its OpenAPI document says: JSON Schema's
`integer` is any whole number (`13.0` too), and a `date-time` or `date` is text in that shape,
never a number of seconds (pydantic's lax dates read `0.5` as an instant of 1970)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d")
_DATE = re.compile(r"\d{4}-\d\d-\d\d")


def _whole_number(value: Any) -> Any:
    # JSON has one kind of number: `13.0` is the integer 13 for JSON Schema, and so for us.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _date_time_text(value: Any) -> Any:
    # An instance comes from our own code (the gateway builds queries), never from JSON.
    if isinstance(value, date) or (isinstance(value, str) and _DATE_TIME.match(value)):
        return value
    raise PydanticCustomError(
        "datetime_type", "Input should be a date and time such as `2025-01-31T09:00:00Z`"
    )


def _date_text(value: Any) -> Any:
    if isinstance(value, date) or (isinstance(value, str) and _DATE.fullmatch(value)):
        return value
    raise PydanticCustomError("date_type", "Input should be a date such as `2025-01-31`")


# Put in an `Annotated[...]` before the type's own constraints.
WholeNumber = BeforeValidator(_whole_number)
DateTimeText = BeforeValidator(_date_time_text)
DateText = BeforeValidator(_date_text)


def no_null(schema: dict[str, Any]) -> None:
    """`json_schema_extra` of a field documented without `null` (see `omitted`)."""
    options = [option for option in schema.get("anyOf", []) if option.get("type") != "null"]
    if options:
        del schema["anyOf"]
        if len(options) == 1:
            schema.update(options[0])
        else:
            schema["anyOf"] = options
    schema.pop("default", None)


def omitted() -> Any:
    """The default of a field that may be left out (it stays as it is) but never sent as
    `null` (`name: Name | None = omitted()`, with a validator refusing `None`): the document
    shows no `null` for it. (`SkipJsonSchema[None]` would do it too, but as a union that
    renames the field's errors, `body.name.str` for `body.name`.)"""
    return Field(default=None, json_schema_extra=no_null)
