"""The services, the gateway and the demo the command finds through their entry points, and
how a command registers itself: its function's docstring is its help."""

from __future__ import annotations

import argparse
import inspect
from collections.abc import Callable, Sequence
from importlib.metadata import EntryPoint, entry_points
from typing import TypeAlias

from kit.api import ServiceSpec

SERVICES_GROUP = "inspire.services"
# The GraphQL gateway registers itself here; `serve` and `dev` run it beside the services.
GATEWAY_GROUP = "inspire.gateway"
DEMO_GROUP = "inspire.demo"

Run = Callable[[argparse.Namespace], int]
# argparse's own type for it, which it cannot subscript at run time.
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


class CommandError(Exception):
    """What the user must fix before the command can run; printed without a traceback."""


def add_command(commands: Commands, name: str, run: Run) -> argparse.ArgumentParser:
    """A sub-command whose summary is the first line of `run`'s docstring and whose
    description is the rest (argparse rewraps both)."""
    summary, _, description = (inspect.getdoc(run) or "").partition("\n\n")
    sub = commands.add_parser(name, help=summary, description=description)
    sub.set_defaults(run=run)
    return sub


def entry_points_of(group: str) -> dict[str, EntryPoint]:
    return {entry.name: entry for entry in entry_points(group=group)}


def _load(entry: EntryPoint) -> ServiceSpec:
    spec = entry.load()
    if not isinstance(spec, ServiceSpec):
        raise CommandError(f"entry point {entry.name} = {entry.value} is not a kit.api.ServiceSpec")
    return spec


def specs(names: Sequence[str], *groups: str) -> list[ServiceSpec]:
    """The named specs from `groups`, or all of them when no name is given."""
    known = {name: entry for group in groups for name, entry in entry_points_of(group).items()}
    if unknown := [name for name in names if name not in known]:
        choices = ", ".join(sorted(known)) or "none is installed"
        raise CommandError(f"unknown service {', '.join(unknown)} (known: {choices})")
    return [_load(known[name]) for name in (names or sorted(known))]
