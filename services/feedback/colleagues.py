"""Who may be asked, recognised or nominated: people of the org copy who are still here. One
check for the sub-domains that name colleagues (requests, recognition, nominations)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel.ext.asyncio.session import AsyncSession

from kit import orgcopy
from kit.errors import Conflict, Unprocessable


async def active_colleagues(
    session: AsyncSession, ids: Sequence[uuid.UUID], *, field: str
) -> list[uuid.UUID]:
    """`ids` without repeats, in the order given, once each names an active person: 422
    `unknown_person` for an id nobody has, 409 `person_inactive` for someone who left."""
    wanted = list(dict.fromkeys(ids))
    people = await orgcopy.people_by_ids(session, wanted)
    if len(people) < len(wanted):
        raise Unprocessable("No person has one of these ids.", code="unknown_person", field=field)
    if not all(person.active for person in people):
        raise Conflict("Someone named here has left.", code="person_inactive", field=field)
    return wanted
