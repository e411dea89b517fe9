"""Analysis runs: parameters, input versions and summary of each stored analysis, and its
per-grid-cell results, so a planner can reopen and compare runs.

Revision ID: 0003_analysis
Revises: 0002_live
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_analysis"
down_revision = "0002_live"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analysis_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("title", sa.String(256)),
        sa.Column("parameters", sa.JSON, nullable=False),
        sa.Column("input_versions", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(64)),
        sa.Column("summary", sa.JSON, nullable=False),
    )
    op.create_index("ix_analysis_runs_kind_created", "analysis_runs", ["kind", "created_at"])
    op.create_table(
        "analysis_cell_results",
        sa.Column(
            "run_id",
            sa.Integer,
            sa.ForeignKey("analysis_runs.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        # No foreign key: a stored run outlives re-drawn cells; the code keeps it readable.
        sa.Column("grid_cell_id", sa.Integer, primary_key=True),
        sa.Column("metric", sa.String(64), primary_key=True),
        sa.Column("cell_code", sa.String(32)),
        sa.Column("value", sa.Float),
    )


def downgrade() -> None:
    op.drop_table("analysis_cell_results")
    op.drop_index("ix_analysis_runs_kind_created", table_name="analysis_runs")
    op.drop_table("analysis_runs")
