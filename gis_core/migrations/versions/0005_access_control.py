"""Access control: accounts and their cell scopes, the append-only hash-chained audit log, a blind
index of residents' ID numbers (their ID numbers and phones are stored encrypted from now on), and
on PostGIS row-level security on every table with grid_cell_id plus the application role's grants.

Revision ID: 0005_access
Revises: 0004_grid_editing
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

from gis_core.security.rls import apply_row_security

revision = "0005_access"
down_revision = "0004_grid_editing"
branch_labels = None
depends_on = None

GENESIS = "0" * 64

_PG_AUDIT = """
CREATE OR REPLACE FUNCTION zhiwang_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE OR REPLACE FUNCTION zhiwang_audit_head() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
BEGIN
  UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION zhiwang_audit_head() FROM PUBLIC;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION zhiwang_audit_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION zhiwang_audit_append_only();
CREATE TRIGGER audit_log_head AFTER INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION zhiwang_audit_head();
"""

_SQLITE_AUDIT = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (UPDATE refused)'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (DELETE refused)'); END",
    "CREATE TRIGGER audit_log_head AFTER INSERT ON audit_log "
    "BEGIN UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1; END",
)


def upgrade() -> None:
    bind = op.get_bind()
    postgis = bind.dialect.name == "postgresql"

    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(128)),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("all_cells", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("failed_attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", sa.Float),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("password_changed_at", sa.String(32)),
    )
    op.create_table(
        "users_cells",
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("cell_id", sa.Integer, primary_key=True),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("ts", sa.String(32), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("object", sa.String(64)),
        sa.Column("count", sa.Integer),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(
        sa.table("audit_head", sa.column("id"), sa.column("seq"), sa.column("hash")),
        [{"id": 1, "seq": 0, "hash": GENESIS}],
    )

    # Residents: ciphertext needs more room than the clear value; the blind index finds an ID.
    if postgis:
        op.execute("ALTER TABLE residents ALTER COLUMN id_number TYPE text")
        op.execute("ALTER TABLE residents ALTER COLUMN phone TYPE text")
    op.add_column("residents", sa.Column("id_number_bidx", sa.String(64)))
    op.create_index("ix_residents_id_number_bidx", "residents", ["id_number_bidx"])

    if postgis:
        schema = bind.execute(sa.text("SELECT current_schema()")).scalar()
        op.execute(_PG_AUDIT.format(schema=schema))
        apply_row_security(bind)
    else:
        for ddl in _SQLITE_AUDIT:
            op.execute(ddl)


def downgrade() -> None:
    raise NotImplementedError(
        "access control is not downgraded: the audit log is append-only and personal data is "
        "encrypted; restore a backup instead"
    )
