"""Keyset pagination over `(created_at, id)` and batch reads by id."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import tuple_
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from kit.errors import Unprocessable

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
MAX_BATCH_IDS = 100

T = TypeVar("T")
M = TypeVar("M")


class Page(BaseModel, Generic[T]):
    """One page of a list; pass `next_cursor` as `cursor` to get the next (null at the end)."""

    items: list[T]
    next_cursor: str | None = Field(description="Opaque cursor of the next page, or null.")


class PageParams(BaseModel):
    limit: int
    cursor: str | None


def page_params(
    limit: Annotated[
        int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page.", strict=False)
    ] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=200, description="From `next_cursor`.")] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


PageDep = Annotated[PageParams, Depends(page_params)]

BatchIds = Annotated[
    list[uuid.UUID],
    Query(
        alias="id",
        min_length=1,
        max_length=MAX_BATCH_IDS,
        description=f"Ids to read at once (`?id=a&id=b`, at most {MAX_BATCH_IDS}).",
    ),
]
# The same, optional: a list reads exactly these ids when given, a page of all otherwise.
OptionalBatchIds = Annotated[list[uuid.UUID] | None, *BatchIds.__metadata__]


def encode_cursor(created_at: datetime, id_: uuid.UUID) -> str:
    raw = json.dumps([created_at.isoformat(), str(id_)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created_at, id_ = json.loads(raw)
        return datetime.fromisoformat(created_at), uuid.UUID(id_)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise Unprocessable(
            "The cursor is not one this API gave out.", code="invalid_cursor", field="query.cursor"
        ) from exc


async def paginate(
    session: AsyncSession,
    statement: SelectOfScalar[M],
    model: Any,
    params: PageParams,
) -> tuple[Sequence[M], str | None]:
    """Rows of `statement` after the cursor, in `(created_at, id)` order, and the next cursor."""
    order = (model.created_at, model.id)
    if params.cursor is not None:
        statement = statement.where(tuple_(*order) > tuple_(*decode_cursor(params.cursor)))
    statement = statement.order_by(*order).limit(params.limit + 1)
    rows = list((await session.exec(statement)).all())
    if len(rows) <= params.limit:
        return rows, None
    rows = rows[: params.limit]
    last = rows[-1]
    return rows, encode_cursor(last.created_at, last.id)  # type: ignore[attr-defined]  # model rows
