"""ledger: the 16 leaf hashes of each level-4 node, kept apart from the event rows

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


def upgrade() -> None:
    with op.batch_alter_table("ledger_nodes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("leaves", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ledger_nodes", schema=None) as batch_op:
        batch_op.drop_column("leaves")
