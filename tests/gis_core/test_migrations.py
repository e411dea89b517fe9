"""Migrations: a fresh store is exactly the ORM models, an up-to-date store is left alone on
open, and an older one is brought up to date — on both backends."""

from __future__ import annotations

import warnings

import numpy as np
import shapely
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

import gis_core.migrations
from gis_core import schema
from gis_core.migrations.spatial import add_geometry_column, drop_geometry_column
from gis_core.store import Store

MIGRATIONS = gis_core.migrations.__path__[0]


def _head() -> str:
    cfg = Config()
    cfg.set_main_option("script_location", MIGRATIONS)
    return ScriptDirectory.from_config(cfg).get_current_head()


def _revision(store: Store) -> str | None:
    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _geometry_tables() -> dict[str, str]:
    """Tables of the models with a geometry column → the column's geometry type."""
    out = {}
    for table in schema.Base.metadata.tables.values():
        for column in table.columns:
            if column.name == "geom":
                out[table.name] = column.type.geometry_type
    return out


def _sqlite_affinity(type_name: str) -> str:
    """SQLite's type affinity rules (sqlite.org/datatype3.html §3.1): all SQLite keeps of a type."""
    t = type_name.upper()
    if "INT" in t:
        return "INTEGER"
    if any(k in t for k in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in t or not t:
        return "BLOB"
    if any(k in t for k in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def test_a_fresh_store_is_exactly_the_orm_models(store):
    models = schema.Base.metadata
    geometry = _geometry_tables()

    def include_object(obj, name, type_, reflected, compare_to):
        if type_ == "table":  # SpatiaLite's and Alembic's own tables are not ours
            return name in models.tables
        if type_ == "index" and name and name.startswith("idx_") and name.endswith("_geom"):
            return False  # spatial indexes: checked below
        return not (type_ == "column" and name == "geom")  # geometry columns: checked below

    def compare_type(context, inspected_column, metadata_column, inspected_type, metadata_type):
        if context.dialect.name != "sqlite":
            return None  # Alembic's own comparison
        dialect = context.dialect
        return _sqlite_affinity(inspected_type.compile(dialect)) != _sqlite_affinity(
            metadata_type.compile(dialect)
        )

    with store.engine.connect() as conn, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy does not know SpatiaLite's column types
        context = MigrationContext.configure(
            conn, opts={"include_object": include_object, "compare_type": compare_type}
        )
        diff = compare_metadata(context, models)
        inspector = inspect(conn)
        nullable = {
            t: {c["name"]: c["nullable"] for c in inspector.get_columns(t)} for t in geometry
        }
        if store.backend == "postgis":
            rows = conn.exec_driver_sql(
                "SELECT f_table_name, type, srid FROM geometry_columns "
                "WHERE f_geometry_column = 'geom'"
            ).all()
            found = {t: (kind.upper(), srid) for t, kind, srid in rows}
            indexed = {
                r[0]
                for r in conn.exec_driver_sql(
                    "SELECT tablename FROM pg_indexes WHERE indexname = 'idx_' || tablename "
                    "|| '_geom' AND position('USING gist (geom)' IN indexdef) > 0"
                )
            }
        else:
            names = {1: "POINT", 2: "LINESTRING", 3: "POLYGON", 6: "MULTIPOLYGON"}
            rows = conn.exec_driver_sql(
                "SELECT f_table_name, geometry_type, srid, spatial_index_enabled "
                "FROM geometry_columns WHERE f_geometry_column = 'geom'"
            ).all()
            found = {t: (names.get(kind, str(kind)), srid) for t, kind, srid, _ in rows}
            indexed = {t for t, _, _, enabled in rows if enabled == 1}
    assert diff == []
    assert found == {t: (kind, store.srid) for t, kind in geometry.items()}
    assert indexed == set(geometry)
    # NOT NULL where the models say so (only fusion records' optional location is nullable).
    assert {t: cols["geom"] for t, cols in nullable.items()} == {
        t: bool(models.tables[t].c.geom.nullable) for t in geometry
    }


def test_opening_an_up_to_date_store_runs_no_migration(store_url, monkeypatch):
    Store.init(store_url).close()

    def refuse(*args, **kwargs):
        raise AssertionError("Store.open ran a migration on an up-to-date store")

    monkeypatch.setattr(command, "upgrade", refuse)
    with Store.open(store_url) as store:
        assert _revision(store) == _head()


def test_an_older_store_is_migrated_on_open(store_url, monkeypatch):
    real_upgrade = command.upgrade
    first = "0001"
    monkeypatch.setattr(command, "upgrade", lambda cfg, _rev, **kw: real_upgrade(cfg, first, **kw))
    with Store.init(store_url) as old:
        assert _revision(old) == first
        old.bulk_insert(
            "buildings",
            {"id": [1], "floors": [5]},
            [shapely.box(560_000, 3_800_000, 560_020, 3_800_030)],
        )
    monkeypatch.undo()
    with Store.open(store_url) as store:
        assert _revision(store) == _head()
        got = store.query_bbox("buildings", (559_000, 3_799_000, 561_000, 3_801_000), ["floors"])
        assert got.ids.tolist() == [1] and got.columns["floors"].tolist() == [5]
        store.bulk_insert(
            "buildings", {"id": [2]}, [shapely.box(560_100, 3_800_000, 560_120, 3_800_030)]
        )
        assert store.count("buildings") == 2


def test_geometry_columns_can_be_added_and_dropped_by_later_revisions(store):
    """The helpers later revisions use: a nullable column on a table with rows, then gone."""
    from alembic.operations import Operations

    store.bulk_insert("residents", {"name": ["甲", "乙"]})
    with store.begin() as conn:
        context = MigrationContext.configure(conn)
        with Operations.context(context):
            add_geometry_column("residents", "POINT", store.srid, column="home", nullable=True)
        cols = {c["name"]: c for c in inspect(conn).get_columns("residents")}
        assert cols["home"]["nullable"]
        conn.exec_driver_sql(
            "UPDATE residents SET home = "
            + (
                f"ST_SetSRID(ST_MakePoint(560000, 3800000), {store.srid})"
                if store.backend == "postgis"
                else f"MakePoint(560000, 3800000, {store.srid})"
            )
            + " WHERE id = 1"
        )
        with Operations.context(context):
            drop_geometry_column("residents", column="home")
        assert "home" not in {c["name"] for c in inspect(conn).get_columns("residents")}
    assert np.array_equal(np.sort(store.query_all("residents").ids), [1, 2])
