"""Which company values may be named: those HR admins keep and have not archived. One check for
feedback (one value) and recognition (several)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from kit.errors import Conflict, Unprocessable
from kit.repository import keyed_by_id
from services.feedback.models import CompanyValue


async def live_values(
    session: AsyncSession, ids: Sequence[uuid.UUID], *, field: str
) -> list[uuid.UUID]:
    """`ids` without repeats, in the order given, once each names a value: 422 `unknown_value`
    for an id no value has, 409 `value_archived` for an archived one."""
    wanted = list(dict.fromkeys(ids))
    found = await keyed_by_id(session, CompanyValue, wanted)
    if len(found) < len(wanted):
        raise Unprocessable(
            "No company value has one of these ids.", code="unknown_value", field=field
        )
    if any(value.archived for value in found.values()):
        raise Conflict("One of these values is archived.", code="value_archived", field=field)
    return wanted
