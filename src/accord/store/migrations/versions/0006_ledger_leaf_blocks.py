"""ledger: the 16 leaf hashes of each level-4 node, kept apart from the event rows; the events
subject index covers agreement subjects only (partial)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 19:00:00

Nodes written before this revision keep ``leaves`` NULL; exports read those blocks' leaf hashes
from ``events.leaf_hash`` instead.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


AGREEMENT_SUBJECTS = "subject LIKE 'agreement:%'"


def upgrade() -> None:
    with op.batch_alter_table("ledger_nodes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("leaves", sa.LargeBinary(), nullable=True))
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_tenant_subject")
        batch_op.create_index(
            "ix_events_tenant_agreement",
            ["tenant_id", "subject"],
            unique=False,
            sqlite_where=sa.text(AGREEMENT_SUBJECTS),
            postgresql_where=sa.text(AGREEMENT_SUBJECTS),
        )


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_tenant_agreement")
        batch_op.create_index("ix_events_tenant_subject", ["tenant_id", "subject"], unique=False)
    with op.batch_alter_table("ledger_nodes", schema=None) as batch_op:
        batch_op.drop_column("leaves")
