"""Grid editing: the version history of grid cells (every committed edit writes new versions of
the cells it touched) and the journal of pending edits that survives a crash.

Revision ID: 0004_grid_editing
Revises: 0003_analysis
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

from gis_core.migrations.spatial import add_geometry_column, drop_geometry_column, working_srid

revision = "0004_grid_editing"
down_revision = "0003_analysis"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "grid_cell_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        # No foreign key: the history of a merged-away cell outlives the cell.
        sa.Column("cell_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("community_id", sa.Integer),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(128)),
        sa.Column("worker_name", sa.String(64)),
        sa.Column("worker_phone", sa.String(32)),
        sa.Column("supervisor", sa.String(64)),
        # original / edit / create / delete / restore
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("editor", sa.String(64)),
        sa.Column("edited_at", TS, nullable=False),
        sa.Column("reason", sa.Text),
    )
    add_geometry_column("grid_cell_versions", "POLYGON", working_srid())
    op.create_index(
        "ix_grid_cell_versions_cell", "grid_cell_versions", ["cell_id", "version"], unique=True
    )
    op.create_table(
        "edit_journal",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("session_id", sa.String(36), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("community_id", sa.Integer),
        sa.Column("editor", sa.String(64)),
        sa.Column("command", sa.Text, nullable=False),  # JSON: the command and its change
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_edit_journal_session", "edit_journal", ["session_id", "seq"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_edit_journal_session", table_name="edit_journal")
    op.drop_table("edit_journal")
    op.drop_index("ix_grid_cell_versions_cell", table_name="grid_cell_versions")
    drop_geometry_column("grid_cell_versions")
    op.drop_table("grid_cell_versions")
