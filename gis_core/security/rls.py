"""PostGIS row-level security by grid cell, and the application role's privileges.

Every table with a ``grid_cell_id`` column — found in the catalogue, so tables added by later
migrations are covered by running :func:`apply_row_security` again (``Store.upgrade`` does after
every migration; ``zhiwang rls apply`` does by hand) — gets row-level security, *forced* so that
the tables' owner is subject to it too, and one policy: a row is visible and writable when its
cell is in the session's ``zhiwang.cells`` (``*`` = all cells; rows without a cell need ``*``);
with the setting missing or empty nothing is.

Deployment: the database owner (a role that owns the tables) runs migrations; workstations
connect as :data:`APP_ROLE` (``zhiwang_app``) or a login role that is a member of it. That role
owns nothing, has no BYPASSRLS, may not change ``store_meta`` or the schema, and may only append
to the audit log.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

__all__ = [
    "APP_ROLE",
    "POLICY",
    "apply_row_security",
    "cell_scoped_tables",
    "row_security_report",
    "TableSecurity",
]

APP_ROLE = os.environ.get("ZHIWANG_APP_ROLE", "zhiwang_app")
POLICY = "zhiwang_cell_scope"

# Evaluated once per statement (scalar subqueries become init plans), so a viewport query pays
# for the policy once, not per row, and ``grid_cell_id = ANY(…)`` can use the cell index.
_FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION zhiwang_all_cells() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT coalesce(current_setting('zhiwang.cells', true), '') = '*' $$;

CREATE OR REPLACE FUNCTION zhiwang_cells() RETURNS integer[]
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT CASE WHEN s ~ '^[0-9]+(,[0-9]+)*$' THEN string_to_array(s, ',')::integer[]
              ELSE '{}'::integer[] END
  FROM coalesce(current_setting('zhiwang.cells', true), '') AS s
$$;
"""
_CONDITION = (
    "((SELECT zhiwang_all_cells()) OR grid_cell_id = ANY ((SELECT zhiwang_cells())::integer[]))"
)

# Tables the application role reads but never writes, and the audit log it may only append to.
READ_ONLY = ("store_meta", "alembic_version", "audit_head")
APPEND_ONLY = ("audit_log", "case_steps")  # case_steps: the immutable case log (gis_core.cases)
NO_DELETE = ("users",)  # accounts are disabled, not deleted: the audit log names them


def _ident(name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"unexpected identifier {name!r}")
    return name


def cell_scoped_tables(conn: Connection) -> list[str]:
    """Base tables of the current schema with a ``grid_cell_id`` column (the catalogue's word)."""
    return list(
        conn.execute(
            text(
                "SELECT c.table_name FROM information_schema.columns c "
                "JOIN information_schema.tables t "
                "  ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
                "WHERE c.column_name = 'grid_cell_id' AND c.table_schema = current_schema() "
                "AND t.table_type = 'BASE TABLE' ORDER BY c.table_name"
            )
        ).scalars()
    )


def apply_row_security(conn: Connection, app_role: str | None = None) -> list[str]:
    """Enable and force row-level security with the cell policy on every cell-scoped table, and
    grant the application role what it needs (if the role exists, or can be created here as
    NOLOGIN). Idempotent; run by the tables' owner. Returns the tables secured."""
    if conn.dialect.name != "postgresql":
        return []
    conn.execute(text(_FUNCTIONS))
    tables = cell_scoped_tables(conn)
    for table in map(_ident, tables):
        conn.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
        conn.execute(text(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY"))
        conn.execute(text(f"DROP POLICY IF EXISTS {POLICY} ON {table}"))
        conn.execute(
            text(
                f"CREATE POLICY {POLICY} ON {table} FOR ALL "
                f"USING {_CONDITION} WITH CHECK {_CONDITION}"
            )
        )
    grant_app_role(conn, app_role or APP_ROLE)
    return tables


def grant_app_role(conn: Connection, role: str) -> bool:
    """Privileges of the application role on the store's tables and sequences; False when the
    role does not exist and this session may not create it."""
    role = _ident(role)
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
    if not exists:
        may_create = conn.execute(
            text("SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user")
        ).scalar()
        if not may_create:
            return False
        conn.execute(text(f"CREATE ROLE {role} NOLOGIN NOBYPASSRLS"))
    owned = list(
        conn.execute(
            text(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
                "AND pg_has_role(current_user, c.relowner, 'USAGE') "
                "AND c.relname <> 'spatial_ref_sys'"
            )
        ).scalars()
    )
    conn.execute(text(f"GRANT USAGE ON SCHEMA {_schema(conn)} TO {role}"))
    for table in map(_ident, owned):
        conn.execute(text(f"REVOKE ALL ON {table} FROM {role}"))
        if table in READ_ONLY:
            privileges = "SELECT"
        elif table in APPEND_ONLY:
            privileges = "SELECT, INSERT"
        elif table in NO_DELETE:
            privileges = "SELECT, INSERT, UPDATE"
        else:
            privileges = "SELECT, INSERT, UPDATE, DELETE"
        conn.execute(text(f"GRANT {privileges} ON {table} TO {role}"))
    conn.execute(
        text(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {_schema(conn)} TO {role}")
    )
    return True


def _schema(conn: Connection) -> str:
    return _ident(str(conn.execute(text("SELECT current_schema()")).scalar()))


@dataclass(frozen=True)
class TableSecurity:
    table: str
    enabled: bool
    forced: bool
    policies: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.enabled and self.forced and POLICY in self.policies


def row_security_report(conn: Connection) -> list[TableSecurity]:
    """Row-level security of every cell-scoped table, from the catalogue."""
    out = []
    for table in cell_scoped_tables(conn):
        enabled, forced = conn.execute(
            text(
                "SELECT relrowsecurity, relforcerowsecurity FROM pg_class "
                "WHERE oid = to_regclass(:t)"
            ),
            {"t": table},
        ).one()
        policies = tuple(
            conn.execute(
                text("SELECT policyname FROM pg_policies WHERE tablename = :t ORDER BY 1"),
                {"t": table},
            ).scalars()
        )
        out.append(TableSecurity(table, bool(enabled), bool(forced), policies))
    return out
