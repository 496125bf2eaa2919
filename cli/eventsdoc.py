"""`inspire events-doc`: `docs/events.md` written from the event catalogues of the services
installed (their entry points), the same catalogues each serves at `GET /v1/event-types`."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.registry import SERVICES_GROUP, Commands, add_command, specs
from kit.settings import Environment
from services.webhooks.catalogue import describe, render_markdown
from services.webhooks.schemas import EventTypeRead

EVENTS_DOC = Path(__file__).resolve().parent.parent / "docs" / "events.md"
# Building an app opens no connection; the catalogue is read from the app, never a database.
_UNUSED_DATABASE = "postgresql://catalogue@127.0.0.1:1/unused"


def catalogue_entries() -> list[EventTypeRead]:
    """Every event type of every installed service, as its app serves it."""
    items: list[EventTypeRead] = []
    for spec in specs([], SERVICES_GROUP):
        settings = spec.settings_class(database_url=_UNUSED_DATABASE, environment=Environment.TEST)
        app = spec.create_app(settings)
        items += describe(spec.name, app.state.catalogue.describe())
    return sorted(items, key=lambda item: (item.service, item.name))


def events_doc() -> str:
    return render_markdown(catalogue_entries())


def write_events_doc(args: argparse.Namespace) -> int:
    """write docs/events.md from the services' event catalogues

    With --check, write nothing and exit 1 when the page is not what the catalogues say.
    """
    text = events_doc()
    current = EVENTS_DOC.read_text() if EVENTS_DOC.exists() else ""
    if args.check:
        if current != text:
            print(f"{EVENTS_DOC} is stale: run `inspire events-doc`")
            return 1
        return 0
    EVENTS_DOC.write_text(text)
    print(f"wrote {EVENTS_DOC}")
    return 0


def add_commands(commands: Commands) -> None:
    sub = add_command(commands, "events-doc", write_events_doc)
    sub.add_argument("--check", action="store_true", help="only check that it is up to date")
