"""`feedback.given` no longer carries the words of an item: removed from the events already in
the outbox, which the feed serves for ever (also after an item was narrowed to private).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 10:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "UPDATE outbox_event SET payload = payload - 'topic' - 'body'"
        " WHERE type = 'feedback.given' AND (payload ? 'topic' OR payload ? 'body')"
    )


def downgrade() -> None:
    # The words are gone from the events; the API still serves them to those who may read them.
    pass
