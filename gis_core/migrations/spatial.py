"""Dialect-specific DDL for geometry columns, shared by the migration scripts."""

from __future__ import annotations

from alembic import op
from sqlalchemy import text


def working_srid() -> int:
    """The store's working SRID: from store_meta once written, else what ``init`` passed in."""
    bind = op.get_bind()
    row = bind.execute(text("SELECT value FROM store_meta WHERE key = 'working_srid'")).first()
    if row is not None:
        return int(row[0])
    return int(op.get_context().config.attributes["working_srid"])


def add_geometry_column(
    table: str, geometry_type: str, srid: int, column: str = "geom", nullable: bool = False
) -> None:
    """Add a geometry column in the working SRID, with its spatial index.

    PostGIS gets a typmod column and a GiST index ``idx_<table>_<column>``; SpatiaLite a
    registered geometry column (type and SRID checked by its triggers) and an R*Tree of the
    same name, which the store's viewport queries read directly. NOT NULL unless ``nullable``
    (a column added to a table that already has rows must be nullable on both backends).
    """
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        null = "" if nullable else " NOT NULL"
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN {column} geometry({geometry_type}, {srid}){null}"
        )
        op.execute(f"CREATE INDEX idx_{table}_{column} ON {table} USING GIST ({column})")
    else:
        ok = bind.execute(
            text(
                f"SELECT AddGeometryColumn('{table}', '{column}', {srid}, '{geometry_type}', "
                f"'XY', {0 if nullable else 1})"
            )
        ).scalar()
        if ok != 1:
            raise RuntimeError(f"SpatiaLite refused geometry column {table}.{column} (SRID {srid})")
        bind.execute(text(f"SELECT CreateSpatialIndex('{table}', '{column}')"))


def drop_geometry_column(table: str, column: str = "geom") -> None:
    """Drop a geometry column with its spatial index (and SpatiaLite's registration of it)."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {column}")  # the index goes too
        return
    bind.execute(text(f"SELECT DisableSpatialIndex('{table}', '{column}')"))
    bind.execute(text(f"DROP TABLE IF EXISTS idx_{table}_{column}"))
    bind.execute(text(f"SELECT DiscardGeometryColumn('{table}', '{column}')"))
    bind.execute(text(f"ALTER TABLE {table} DROP COLUMN {column}"))
