"""A started process sets what lives as long as it does outside the garbage collector's passes,
and cyclic garbage made after that is still collected."""

from __future__ import annotations

import gc

from kit.api import GC_THRESHOLDS, settle_heap


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_settled_heap_is_frozen_and_still_collects_new_cycles() -> None:
    # given a process that has settled its heap (once: a second call changes nothing)
    settle_heap()
    frozen = gc.get_freeze_count()
    settle_heap()
    # when garbage in a cycle is made afterwards
    _Cycle()
    # then start-up's objects are out of the collector's passes, it runs less often, and a
    # collection still finds the new cycle
    assert frozen > 0
    assert gc.get_freeze_count() == frozen
    assert gc.get_threshold() == GC_THRESHOLDS
    assert gc.collect() >= 1
