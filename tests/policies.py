"""A service's routes against its policy tables, as every service's policy tests check them."""

from __future__ import annotations

from fastapi import FastAPI

from kit.policies import route_actions

PUBLIC = frozenset({"/healthz", "/readyz"})
"""The paths anyone may call: they declare no action."""


def routes_without_one_action(app: FastAPI) -> list[str]:
    """The routes of `app` that declare no policy action, or several; the public paths aside."""
    actions = route_actions(app)
    assert len(actions) > len(PUBLIC), "the app has routes of its own"
    return sorted(
        route
        for route, declared in actions.items()
        if len(declared) != 1 and route.split(" ", 1)[1] not in PUBLIC
    )


def declared_actions(app: FastAPI) -> set[str]:
    return set().union(*route_actions(app).values())
