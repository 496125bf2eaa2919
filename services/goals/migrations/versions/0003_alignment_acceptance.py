"""Links are accepted by the parent's side: an alignment has a `state` (`pending`,
`accepted`, `declined`) and who decided it, when. Only accepted links count in a roll-up.

Existing links: one made by someone who may change the parent objective (as the org copy
stands when this runs: its owner, a contributor, for a team a member or a lead of it or of a
team above, the owner's management chain — for a team its lead's —, an HR admin) is
`accepted`, decided by its maker when it was made; every other one is `pending`, and counts
in no roll-up until the parent's side accepts it.

Revision ID: 0003_alignment_acceptance
Revises: 0002_alignment, 0002_okr_core
Create Date: 2026-12-01 10:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_alignment_acceptance"
# Contributors, who may change the parent too, come with the OKR core.
down_revision: str | Sequence[str] | None = ("0002_alignment", "0002_okr_core")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Walks stop 64 levels up (far deeper than any real hierarchy, as the org copy's own walks),
# so that a corrupt copy cannot loop.
_ACCEPT_THOSE_MADE_BY_THE_PARENT_SIDE = """
WITH RECURSIVE chain(person_id, above_id, depth) AS (
    SELECT id, manager_id, 1 FROM org_person WHERE manager_id IS NOT NULL
    UNION ALL
    SELECT c.person_id, p.manager_id, c.depth + 1
    FROM chain c JOIN org_person p ON p.id = c.above_id
    WHERE p.manager_id IS NOT NULL AND c.depth < 64
),
line(team_id, above_team_id, depth) AS (
    SELECT id, id, 1 FROM org_team
    UNION ALL
    SELECT l.team_id, t.parent_id, l.depth + 1
    FROM line l JOIN org_team t ON t.id = l.above_team_id
    WHERE t.parent_id IS NOT NULL AND l.depth < 64
),
editors(objective_id, person_id) AS (
    SELECT id, owner_person_id FROM objective WHERE owner_person_id IS NOT NULL
    UNION
    SELECT objective_id, person_id FROM objective_contributor
    UNION
    SELECT o.id, c.above_id FROM objective o JOIN chain c ON c.person_id = o.owner_person_id
    UNION
    SELECT o.id, m.person_id FROM objective o JOIN org_membership m ON m.team_id = o.owner_team_id
    UNION
    SELECT o.id, t.lead_id
    FROM objective o
    JOIN line l ON l.team_id = o.owner_team_id
    JOIN org_team t ON t.id = l.above_team_id
    WHERE t.lead_id IS NOT NULL
    UNION
    SELECT o.id, c.above_id
    FROM objective o
    JOIN org_team t ON t.id = o.owner_team_id
    JOIN chain c ON c.person_id = t.lead_id
)
UPDATE alignment a
SET state = 'accepted', decided_by = a.created_by, decided_at = a.created_at
WHERE EXISTS (SELECT 1 FROM org_person p WHERE p.id = a.created_by AND p.is_hr_admin)
   OR EXISTS (
        SELECT 1 FROM editors e
        WHERE e.objective_id = a.parent_objective_id AND e.person_id = a.created_by
   )
"""


def upgrade() -> None:
    op.add_column(
        "alignment",
        sa.Column("state", sa.String(length=20), nullable=False, server_default="pending"),
    )
    op.add_column("alignment", sa.Column("decided_by", sa.Uuid(), nullable=True))
    op.add_column("alignment", sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
    op.alter_column("alignment", "state", server_default=None)
    op.create_check_constraint(
        op.f("ck_alignment_state_known"),
        "alignment",
        "state IN ('pending', 'accepted', 'declined')",
    )
    op.execute(_ACCEPT_THOSE_MADE_BY_THE_PARENT_SIDE)


def downgrade() -> None:
    op.drop_constraint(op.f("ck_alignment_state_known"), "alignment", type_="check")
    op.drop_column("alignment", "decided_at")
    op.drop_column("alignment", "decided_by")
    op.drop_column("alignment", "state")
