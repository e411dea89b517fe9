"""Events, cases and dispatch: the event catalogue (categories, departments), cases and their
links to events, and the append-only case step log; events gain photos, who entered them and
where they came from.

The step log refuses UPDATE always and DELETE except in the demo store (``store_meta.demo = 1``,
which a trainer resets after a course); PostGIS also refuses TRUNCATE. On PostGIS, row-level
security by grid cell covers ``cases`` and ``case_steps`` (both carry ``grid_cell_id``).

Revision ID: 0006_cases
Revises: 0005_access
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_cases"
down_revision = "0005_access"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)

_PG_APPEND_ONLY = """
CREATE OR REPLACE FUNCTION zhiwang_case_steps_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE'
     AND coalesce((SELECT value FROM store_meta WHERE key = 'demo'), '') = '1' THEN
    RETURN OLD;  -- the demo store is reset after a course
  END IF;
  RAISE EXCEPTION 'the case step log is append-only (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER case_steps_append_only BEFORE UPDATE OR DELETE ON case_steps
  FOR EACH ROW EXECUTE FUNCTION zhiwang_case_steps_append_only();
CREATE TRIGGER case_steps_no_truncate BEFORE TRUNCATE ON case_steps
  FOR EACH STATEMENT EXECUTE FUNCTION zhiwang_case_steps_append_only();
"""

_SQLITE_APPEND_ONLY = (
    "CREATE TRIGGER case_steps_no_update BEFORE UPDATE ON case_steps "
    "BEGIN SELECT RAISE(ABORT, 'the case step log is append-only (UPDATE refused)'); END",
    "CREATE TRIGGER case_steps_no_delete BEFORE DELETE ON case_steps "
    "WHEN coalesce((SELECT value FROM store_meta WHERE key = 'demo'), '') <> '1' "
    "BEGIN SELECT RAISE(ABORT, 'the case step log is append-only (DELETE refused)'); END",
)


def upgrade() -> None:
    bind = op.get_bind()
    postgis = bind.dialect.name == "postgresql"

    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("photos", sa.JSON))
        batch.add_column(sa.Column("reported_by", sa.String(64)))
        batch.add_column(sa.Column("external_ref", sa.String(128)))
        batch.add_column(sa.Column("alarm_id", sa.BigInteger))
    op.create_index("ix_events_external_ref", "events", ["external_ref"])
    # Fusion looks for events of one category in a time window.
    op.create_index("ix_events_category_reported_at", "events", ["category", "reported_at"])

    op.create_table(
        "departments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("name_en", sa.String(128)),
        sa.Column("contact", sa.String(128)),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    )
    op.create_table(
        "case_categories",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("name_en", sa.String(128)),
        sa.Column("clock", sa.String(16), nullable=False, server_default="working"),
        sa.Column("limits", sa.JSON, nullable=False),
        sa.Column("ladder", sa.JSON, nullable=False),
        sa.Column("department", sa.String(64)),
        sa.Column("sort", sa.Integer, nullable=False, server_default="0"),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True),
        # No foreign key: a case outlives a re-drawn cell (its history stays where it was handled).
        sa.Column("grid_cell_id", sa.Integer),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("title", sa.String(256)),
        sa.Column("description", sa.Text),
        sa.Column("x", sa.Float, nullable=False),
        sa.Column("y", sa.Float, nullable=False),
        sa.Column("opened_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("due_at", TS),
        sa.Column("assignee", sa.String(64)),
        sa.Column("department", sa.String(64)),
        sa.Column("escalation_level", sa.Integer, nullable=False, server_default="0"),
        sa.Column("resume_state", sa.String(16)),
        sa.Column("reopen_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("closed_at", TS),
        sa.Column("satisfaction", sa.Integer),
        sa.Column("feedback", sa.Text),
        sa.CheckConstraint("satisfaction BETWEEN 1 AND 5", name="ck_cases_satisfaction"),
    )
    op.create_index("ix_cases_grid_cell_id", "cases", ["grid_cell_id"])
    op.create_index("ix_cases_state", "cases", ["state"])
    op.create_index("ix_cases_due_at", "cases", ["due_at"])
    op.create_table(
        "case_events",
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id"), primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("link", sa.String(16), nullable=False),
        sa.Column("linked_at", TS, nullable=False),
        sa.Column("linked_by", sa.String(64)),
    )
    op.create_index("ix_case_events_case_id", "case_events", ["case_id"])
    op.create_table(
        "case_steps",
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("from_state", sa.String(16)),
        sa.Column("to_state", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("attachments", sa.JSON),
        sa.Column("assignee", sa.String(64)),
        sa.Column("department", sa.String(64)),
        sa.Column("grid_cell_id", sa.Integer),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("due_at", TS),
        sa.Column("escalation_level", sa.Integer, nullable=False, server_default="0"),
        sa.Column("satisfaction", sa.Integer),
        sa.Column("comment", sa.Text),
        sa.Column("detail", sa.JSON),
    )
    op.create_index("ix_case_steps_at", "case_steps", ["at"])
    op.create_index("ix_case_steps_grid_cell_id", "case_steps", ["grid_cell_id"])

    if postgis:
        op.execute(_PG_APPEND_ONLY)
        # Row-level security for the new cell-scoped tables: Store.upgrade applies it after
        # every migration (gis_core.security.rls.apply_row_security).
    else:
        for ddl in _SQLITE_APPEND_ONLY:
            op.execute(ddl)


def downgrade() -> None:
    raise NotImplementedError(
        "cases are not downgraded: the case step log is append-only; restore a backup instead"
    )
