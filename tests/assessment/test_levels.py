"""An area's mean maps to a level by the instrument's thresholds: in Python and in SQL alike,
checked against values worked out by hand at and around every boundary."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from services.assessment.levels import DEFAULT_THRESHOLDS, Level, level_of, thresholds_problem
from tests.assessment.factories import create_instrument

BY_HAND = [
    ("1.00", Level.APATHETIC),
    ("1.79", Level.APATHETIC),
    ("1.80", Level.STAGNATING),
    ("2.59", Level.STAGNATING),
    ("2.60", Level.ORDERLY),
    ("3.39", Level.ORDERLY),
    ("3.40", Level.COLLABORATIVE),
    ("4.19", Level.COLLABORATIVE),
    ("4.20", Level.UNBOUNDED),
    ("5.00", Level.UNBOUNDED),
]


@pytest.mark.parametrize(("mean", "level"), BY_HAND)
def test_the_default_bins_map_means_to_levels(mean: str, level: Level) -> None:
    assert level_of(Decimal(mean)) == level


def test_levels_one_to_three_are_management_one_and_four_five_management_two() -> None:
    assert [level.management for level in Level] == ["1.0", "1.0", "1.0", "2.0", "2.0"]


def test_custom_thresholds_move_the_boundaries() -> None:
    thresholds = [Decimal("2"), Decimal("3"), Decimal("4"), Decimal("4.5")]
    assert level_of(Decimal("1.99"), thresholds) == Level.APATHETIC
    assert level_of(Decimal("4.49"), thresholds) == Level.COLLABORATIVE
    assert level_of(Decimal("4.5"), thresholds) == Level.UNBOUNDED


@pytest.mark.parametrize(
    "thresholds",
    [
        ["1.8", "2.6", "3.4"],
        ["1.8", "2.6", "2.6", "4.2"],
        ["1", "2", "3", "4"],
        ["2", "3", "4", "5"],
    ],
)
def test_thresholds_that_cannot_map_means_are_named(thresholds: list[str]) -> None:
    assert thresholds_problem([Decimal(value) for value in thresholds]) is not None


def test_the_default_thresholds_are_sound() -> None:
    assert thresholds_problem(DEFAULT_THRESHOLDS) is None


async def test_sql_and_python_agree_on_every_boundary(session: AsyncSession) -> None:
    instrument = await create_instrument(session)
    assert instrument.level_thresholds == list(DEFAULT_THRESHOLDS)
    for mean, level in BY_HAND:
        found = await session.scalar(
            text(
                "SELECT width_bucket(CAST(:mean AS numeric), level_thresholds) + 1"
                " FROM instrument WHERE id = :id"
            ),
            {"mean": mean, "id": instrument.id},
        )
        assert found == level, mean


async def test_the_database_refuses_thresholds_that_do_not_rise(session: AsyncSession) -> None:
    instrument = await create_instrument(session)
    connection = await session.connection()
    with pytest.raises(IntegrityError, match="level_thresholds_rise"):
        await connection.execute(
            text("UPDATE instrument SET level_thresholds = '{1.8,3.4,2.6,4.2}' WHERE id = :id"),
            {"id": instrument.id},
        )
