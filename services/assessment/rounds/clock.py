"""The time rounds open and close by: the wall clock, or one a test sets on the app
(`app.state.clock`, a function returning an aware datetime)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, FastAPI, Request

from kit.models import utcnow


def now_of(app: FastAPI) -> datetime:
    clock = getattr(app.state, "clock", None)
    return clock() if clock is not None else utcnow()


def _now(request: Request) -> datetime:
    return now_of(request.app)


Now = Annotated[datetime, Depends(_now)]
