"""ledger: signed entries, tree nodes, custodial keys, checkpoints, private salts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 09:00:00

Events written before this revision were never signed nor hashed into a tree, and a migration
has no access to the master key that unlocks the signing keys, so it refuses to run on a database
that already holds events (export them and re-import into a fresh database instead).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    count = op.get_bind().execute(sa.text("SELECT count(*) FROM events")).scalar_one()
    if count:
        raise RuntimeError(
            f"migration 0002 cannot sign {count} pre-ledger events; start from a fresh database"
        )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("author", sa.String(length=160), nullable=False))
        batch_op.add_column(sa.Column("sigs", sa.Text(), nullable=False))
        batch_op.add_column(sa.Column("leaf_hash", sa.LargeBinary(), nullable=False))

    op.create_table(
        "ledger_nodes",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("idx", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_ledger_nodes_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("tenant_id", "level", "idx", name=op.f("pk_ledger_nodes")),
    )
    op.create_table(
        "ledger_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("party", sa.String(length=160), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("kid", sa.String(length=16), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("wrapped", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_ledger_keys_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_keys")),
        sa.UniqueConstraint("tenant_id", "kid", name=op.f("uq_ledger_keys_tenant_id")),
    )
    with op.batch_alter_table("ledger_keys", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_keys_tenant_party", ["tenant_id", "party"], unique=False)

    op.create_table(
        "ledger_checkpoints",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("root", sa.LargeBinary(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_ledger_checkpoints_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_checkpoints")),
        sa.UniqueConstraint("tenant_id", "size", name=op.f("uq_ledger_checkpoints_tenant_id")),
    )
    op.create_table(
        "ledger_salts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("salt", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_ledger_salts_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_salts")),
        sa.UniqueConstraint(
            "tenant_id", "subject", "field", name=op.f("uq_ledger_salts_tenant_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("ledger_salts")
    op.drop_table("ledger_checkpoints")
    with op.batch_alter_table("ledger_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_keys_tenant_party")
    op.drop_table("ledger_keys")
    op.drop_table("ledger_nodes")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("leaf_hash")
        batch_op.drop_column("sigs")
        batch_op.drop_column("author")
