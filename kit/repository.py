"""What every service's repository repeats, written once: rows by key (one, or many in the
order asked), saved and deleted in the caller's transaction, a PATCH applied to a row, and the
walk through a table that points at itself (a manager, a parent team)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import CTE, ColumnElement, inspect, literal, sql
from sqlalchemy.orm import Mapped
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from kit.models import utcnow

M = TypeVar("M", bound=SQLModel)


class Versioned(Protocol):
    """A row that PATCH changes: its version feeds the ETag, `updated_at` the feeds' filters."""

    version: int
    updated_at: datetime


def _primary_key(model: type[SQLModel]) -> tuple[Any, ...]:
    return tuple(inspect(model).primary_key)


async def get(
    session: AsyncSession,
    model: type[M],
    key: Any,
    *,
    lock: bool = False,
    share: bool = False,
) -> M | None:
    """One row by primary key (a tuple for a composite one). `lock` holds it until the
    transaction ends (read, check, then write); `share` only keeps others from changing it
    meanwhile, while they may still read and share it."""
    values = key if isinstance(key, tuple) else (key,)
    statement = select(model).where(
        *(column == value for column, value in zip(_primary_key(model), values, strict=True))
    )
    if lock or share:
        # Read again even when the session holds the row: another transaction may have
        # changed it before the lock was granted.
        statement = statement.with_for_update(read=not lock).execution_options(
            populate_existing=True
        )
    return (await session.exec(statement)).first()


async def keyed_by_id(
    session: AsyncSession,
    model: type[M],
    ids: Collection[uuid.UUID],
    *where: ColumnElement[bool],
    within: SelectOfScalar[M] | None = None,
) -> dict[uuid.UUID, M]:
    """The rows among `ids` that exist and meet every condition of `where`, by id; `within`, a
    statement of the model's rows, narrows them further (joins included). A reader's rights
    stay in the statement that finds the rows."""
    (key,) = _primary_key(model)
    statement = select(model) if within is None else within
    rows = (await session.exec(statement.where(key.in_(ids), *where))).all()
    return {getattr(row, key.key): row for row in rows}


async def by_ids(
    session: AsyncSession,
    model: type[M],
    ids: Collection[uuid.UUID],
    *where: ColumnElement[bool],
    within: SelectOfScalar[M] | None = None,
) -> list[M]:
    """As `keyed_by_id`, in the order asked."""
    found = await keyed_by_id(session, model, ids, *where, within=within)
    return [found[id_] for id_ in dict.fromkeys(ids) if id_ in found]


async def save(session: AsyncSession, *rows: SQLModel) -> None:
    # A unique or foreign key that a concurrent request took first fails here; the kit's error
    # handler answers 409 and the unit of work rolls back.
    session.add_all(rows)
    await session.flush()


async def delete(session: AsyncSession, row: SQLModel) -> None:
    await session.delete(row)
    await session.flush()


def changed(row: object, sent: Mapping[str, Any]) -> dict[str, Any]:
    """The fields sent whose values differ from the row's."""
    return {name: value for name, value in sent.items() if getattr(row, name) != value}


def apply_patch(row: Versioned, changes: Mapping[str, Any]) -> None:
    """Set `changes` on `row` and make it a new version (also when `changes` is empty: a row
    whose children changed is new too)."""
    for name, value in changes.items():
        setattr(row, name, value)
    row.version += 1
    row.updated_at = utcnow()


def walk(
    name: str,
    found: Mapped[Any],
    joined_on: Mapped[Any],
    start: ColumnElement[bool],
    max_depth: int,
) -> CTE:
    """A recursive walk through a table that points at itself, as a CTE of `(id, depth)`: the
    first step takes `found` from the rows meeting `start`, each next step takes `found` from
    the rows whose `joined_on` is an id of the step before. Down from a manager: `found` is the
    person's id, `joined_on` their manager's; up from a person, the other way round (the top's
    missing manager comes out as a NULL id). `max_depth` bounds the walk should the data
    ever hold a loop."""
    cte = (
        sql.select(found.label("id"), literal(1).label("depth"))
        .where(start)
        .cte(name, recursive=True)
    )
    return cte.union_all(
        sql.select(found, cte.c.depth + 1)
        .join(cte, joined_on == cte.c.id)
        .where(cte.c.depth < max_depth)
    )
