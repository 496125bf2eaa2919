"""The 5-level model: an area's mean answer on 1 to 5 maps to a level by four thresholds kept with
the instrument, so that the mapping is explicit data rather than code.

A mean below the first threshold is level 1, below the second level 2, and so on; at or above
the fourth it is level 5. In SQL the same rule is `width_bucket(mean, thresholds) + 1`."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from decimal import Decimal
from enum import IntEnum
from itertools import pairwise


class Level(IntEnum):
    APATHETIC = 1
    STAGNATING = 2
    ORDERLY = 3
    COLLABORATIVE = 4
    UNBOUNDED = 5

    @property
    def management(self) -> str:
        """Levels 1 to 3 are Management 1.0, levels 4 and 5 Management 2.0."""
        return "1.0" if self <= Level.ORDERLY else "2.0"


# Equal bins over 1 to 5.
DEFAULT_THRESHOLDS: tuple[Decimal, ...] = (
    Decimal("1.8"),
    Decimal("2.6"),
    Decimal("3.4"),
    Decimal("4.2"),
)


def thresholds_problem(thresholds: Sequence[Decimal]) -> str | None:
    """Why `thresholds` cannot map means to levels, or None when they can."""
    if len(thresholds) != len(Level) - 1:
        return f"Give {len(Level) - 1} thresholds, one between each two levels."
    if any(not Decimal(1) < value < Decimal(5) for value in thresholds):
        return "Each threshold lies strictly between 1 and 5."
    if any(low >= high for low, high in pairwise(thresholds)):
        return "Thresholds rise strictly from level 1 to level 5."
    return None


def level_of(mean: Decimal, thresholds: Sequence[Decimal] = DEFAULT_THRESHOLDS) -> Level:
    return Level(bisect_right(thresholds, mean) + 1)
