"""risk: scoring runs and per-account scores (points, PD, band, reasons, flags, segment)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "risk_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("model_version", sa.String(length=32), nullable=False),
        sa.Column("accounts", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"], name=op.f("fk_risk_runs_tenant_id_tenants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_runs")),
        sa.UniqueConstraint(
            "tenant_id", "as_of", "model_version", name=op.f("uq_risk_runs_tenant_id")
        ),
    )
    with op.batch_alter_table("risk_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_runs_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "risk_scores",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("dpd", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("pd", sa.String(length=24), nullable=False),
        sa.Column("band", sa.String(length=2), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("flags", sa.Text(), nullable=False),
        sa.Column("segment", sa.String(length=16), nullable=True),
        sa.Column("segment_reasons", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_risk_scores_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["risk_runs.id"], name=op.f("fk_risk_scores_run_id_risk_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_scores")),
        sa.UniqueConstraint("run_id", "account_id", name=op.f("uq_risk_scores_run_id")),
    )
    with op.batch_alter_table("risk_scores", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_scores_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_risk_scores_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("risk_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_scores_run_id"))
        batch_op.drop_index(batch_op.f("ix_risk_scores_account_id"))

    op.drop_table("risk_scores")
    with op.batch_alter_table("risk_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_runs_tenant_id"))

    op.drop_table("risk_runs")
