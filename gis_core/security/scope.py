"""A store session's grid cells: carried by the store URL, enforced by PostGIS or the store layer.

A user's session is a store opened on a URL that names the user's cells, so every connection of
it — the pool, the render threads' readers, a render worker process that reopens the URL — has
the same scope without any call per query:

- PostGIS: ``options=-c zhiwang.cells=3,7 -c zhiwang.user=alice`` are set by the server when the
  connection starts; the row-level-security policies of :mod:`gis_core.security.rls` read
  ``zhiwang.cells`` (``*`` = every cell; missing or empty = nothing at all).
- SpatiaLite: ``?zhiwang_cells=3,7&zhiwang_user=alice``; the store reads cell-scoped kinds through
  ``grid_cell_id IN (…)`` filters (``Store._source``) and every connection gets TEMP triggers that
  refuse inserts, updates and deletes of rows outside the cells.

Rows without a grid cell (``grid_cell_id IS NULL``) belong to all-cells sessions only.

A store opened without a user on PostGIS is a maintenance session when the connected role owns the
tables (migrations, demo builds, bulk imports by the database owner): it sees every cell. Any other
role without a user context sees no cell-scoped row at all.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterable
from urllib.parse import unquote

from sqlalchemy import event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import SAWarning

__all__ = [
    "CELLS_SETTING",
    "USER_SETTING",
    "cells_setting",
    "parse_cells",
    "scoped_url",
    "url_session",
    "maintenance_url",
    "install_sqlite_guard",
    "sqlite_cell_filter",
    "cell_scoped_tables",
]

CELLS_SETTING = "zhiwang.cells"
USER_SETTING = "zhiwang.user"
_SQLITE_CELLS = "zhiwang_cells"
_SQLITE_USER = "zhiwang_user"
ALL = "*"
NONE = "none"
USERNAME_RE = re.compile(r"^[\w.@-]{1,64}$")

# pysqlite ignores query arguments it does not know and says so on every connect; ours are read by
# the store (see the module docstring), so that warning is noise.
warnings.filterwarnings(
    "ignore", message=r"Query string argument\(s\) 'zhiwang_", category=SAWarning
)


def cells_setting(cells: Iterable[int] | None) -> str:
    """``*`` for every cell, ``none`` for no cell, else ``3,7,12``."""
    if cells is None:
        return ALL
    ids = sorted({int(c) for c in cells})
    return ",".join(map(str, ids)) if ids else NONE


def parse_cells(value: str | None) -> frozenset[int] | None:
    """The inverse of :func:`cells_setting`: None for every cell, a set otherwise (fail closed)."""
    value = (value or "").strip()
    if value == ALL:
        return None
    if re.fullmatch(r"\d+(,\d+)*", value):
        return frozenset(int(v) for v in value.split(","))
    return frozenset()


def _pg_options(options: str) -> dict[str, str]:
    return dict(re.findall(r"-c\s*(zhiwang\.\w+)=(\S*)", options or ""))


def strip_session_options(options: str) -> str:
    """libpq options without our session settings."""
    return re.sub(r"-c\s*zhiwang\.\w+=\S*", "", options or "").strip()


def scoped_url(url: str | os.PathLike | None, cells: Iterable[int] | None, username: str) -> str:
    """The store URL of a session limited to ``cells`` (None: every cell), as ``username``."""
    from gis_core.store import normalise_url

    if not USERNAME_RE.match(username):
        raise ValueError(f"invalid user name {username!r}")
    sa = make_url(normalise_url(url))
    setting = cells_setting(cells)
    if sa.get_backend_name() == "postgresql":
        rest = strip_session_options(sa.query.get("options", ""))  # type: ignore[arg-type]
        options = f"{rest} -c {CELLS_SETTING}={setting} -c {USER_SETTING}={username}".strip()
        sa = sa.update_query_dict({"options": options})
    else:
        sa = sa.update_query_dict({_SQLITE_CELLS: setting, _SQLITE_USER: username})
    return sa.render_as_string(hide_password=False)


def url_session(url: URL | str) -> tuple[bool, frozenset[int] | None, str | None]:
    """(has a session context, its cells, its user name) as carried by a store URL."""
    sa = make_url(url) if isinstance(url, str) else url
    if sa.get_backend_name() == "postgresql":
        opts = _pg_options(unquote(str(sa.query.get("options", ""))))
        if CELLS_SETTING not in opts:
            return False, None, opts.get(USER_SETTING)
        return True, parse_cells(opts[CELLS_SETTING]), opts.get(USER_SETTING)
    cells = sa.query.get(_SQLITE_CELLS)
    if cells is None:
        return False, None, None
    return True, parse_cells(str(cells)), sa.query.get(_SQLITE_USER)  # type: ignore[return-value]


def maintenance_url(engine: Engine) -> str | None:
    """For a PostGIS engine without a session context whose role owns the store's tables (or is
    about to create them): the URL of a maintenance session over every cell. Otherwise None."""
    if engine.dialect.name != "postgresql" or url_session(engine.url)[0]:
        return None
    with engine.connect() as conn:
        owner = conn.execute(
            text(
                "SELECT to_regclass('store_meta') IS NULL OR pg_has_role(current_user, "
                "(SELECT relowner FROM pg_class WHERE oid = to_regclass('store_meta')), 'MEMBER')"
            )
        ).scalar()
    if not owner:
        return None
    rest = strip_session_options(str(engine.url.query.get("options", "")))
    options = f"{rest} -c {CELLS_SETTING}={ALL}".strip()
    return engine.url.update_query_dict({"options": options}).render_as_string(hide_password=False)


# ----------------------------------------------------------------------------- SpatiaLite
def cell_scoped_tables(dbapi_conn) -> list[str]:
    """Tables with a ``grid_cell_id`` column, from the SQLite catalogue."""
    rows = dbapi_conn.execute(
        "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p "
        "WHERE m.type = 'table' AND p.name = 'grid_cell_id' ORDER BY m.name"
    ).fetchall()
    return [r[0] for r in rows]


def sqlite_cell_filter(cells: frozenset[int], column: str = "grid_cell_id") -> str:
    """``+grid_cell_id IN (3, 7)``: the unary plus keeps SQLite on the query's own index (the
    R*Tree or the id) rather than the cell index."""
    return f"+{column} IN ({', '.join(str(int(c)) for c in sorted(cells))})"


def install_sqlite_guard(engine: Engine, cells: frozenset[int] | None) -> None:
    """TEMP triggers on each new connection that refuse writes outside ``cells``."""
    if cells is None:
        return
    listed = ", ".join(str(int(c)) for c in sorted(cells))

    def outside(row: str) -> str:
        if not listed:  # no cell at all: every row is outside (NOT IN (NULL) would be NULL)
            return "1"
        return f"{row}.grid_cell_id IS NULL OR {row}.grid_cell_id NOT IN ({listed})"

    def guard(dbapi_conn, _record) -> None:
        for table in cell_scoped_tables(dbapi_conn):
            out_new, out_old = outside("NEW"), outside("OLD")
            refuse = (
                f"BEGIN SELECT RAISE(ABORT, 'permission denied: a {table} row outside your "
                f"grid cells'); END"
            )
            for name, timing, when in (
                ("ins", "INSERT", out_new),
                ("upd", "UPDATE", f"{out_old} OR {out_new}"),
                ("del", "DELETE", out_old),
            ):
                dbapi_conn.execute(
                    f'CREATE TEMP TRIGGER IF NOT EXISTS "zw_scope_{table}_{name}" BEFORE {timing} '
                    f'ON main."{table}" WHEN {when} {refuse}'
                )

    event.listen(engine, "connect", guard)
