"""When a series' next meeting is: its cadence, weekday and local time, counted on from its
latest meeting in its own time zone (so the local time holds across daylight-saving changes)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from services.feedback.oneonones.models import Series
from services.feedback.oneonones.schemas import Cadence

_MAX_STEPS = 1000  # cadence steps to find the next meeting: decades of weekly meetings


def _on_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _step(series: Series, day: date) -> date:
    if series.cadence is Cadence.MONTHLY:
        first_of_next = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
        return _on_weekday(first_of_next, series.weekday.number)
    # The first weekday after the week(s) that follow: a meeting moved a day or two keeps the
    # series on its weekday, not a week further.
    weeks = 2 if series.cadence is Cadence.BIWEEKLY else 1
    return _on_weekday(day + timedelta(days=1, weeks=weeks - 1), series.weekday.number)


def next_start(series: Series, previous: datetime | None, now: datetime) -> datetime:
    """The first time the cadence gives after both `previous` (the series' latest meeting) and
    `now`, on the series' weekday at its local time."""
    zone = ZoneInfo(series.time_zone)

    def starts(day: date) -> datetime:
        return datetime.combine(day, series.at, tzinfo=zone).astimezone(UTC)

    after = max(previous or now, now)
    if previous is None:
        day = _on_weekday(now.astimezone(zone).date(), series.weekday.number)
    else:
        day = _step(series, previous.astimezone(zone).date())
    for _ in range(_MAX_STEPS):
        if starts(day) > after:
            return starts(day)
        day = _step(series, day)
    return starts(day)
