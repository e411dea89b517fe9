"""The store: one API over PostGIS (shared server) and SpatiaLite (embedded file).

Everything above ``gis_core`` reads and writes through :class:`Store`: open by URL, ``init`` with a
working CRS (Alembic migrations), bulk inserts in one transaction, and viewport (bbox) and per-cell
queries that come back as a :class:`FeatureFrame` — geometries decoded in bulk into a shapely
array, attributes as numpy columns. Reads go through the driver's cursor with precompiled SQL
because a viewport query is on the render path and must stay within a few milliseconds.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sqlite3
import struct
import threading
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np

# GDAL (pyogrio's wheel) must load before mod_spatialite: SQLite dlopens extensions RTLD_GLOBAL, and
# GDAL loaded afterwards binds to the system PROJ/SQLite/GEOS and segfaults on its first GeoPackage
# write (same trap as shapely#904; shapely and pyproj are imported first here for the same reason).
import pyogrio  # noqa: F401
import shapely
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SAWarning

from gis_core import schema
from gis_core.crs import DEFAULT_WORKING_CRS, working_crs
from gis_core.masking import PERSONAL_FIELDS

__all__ = [
    "Store",
    "StoreError",
    "FeatureFrame",
    "default_store_path",
    "normalise_url",
    "geometry_columns",
    "SearchHit",
    "FILTER_OPS",
    "SEARCH_FIELDS",
]

# One entry of a SQLite R*Tree node (see Store._rtree_centres).
_RTREE_ENTRY = np.dtype(
    [("id", ">i8"), ("xmin", ">f4"), ("xmax", ">f4"), ("ymin", ">f4"), ("ymax", ">f4")]
)

log = logging.getLogger(__name__)

SPATIALITE_LIBRARY = os.environ.get("SPATIALITE_LIBRARY_PATH", "mod_spatialite")
PG_CONNECT_TIMEOUT_S = 10


class StoreError(RuntimeError):
    """A store that cannot be opened, initialised or written, with a message for the user."""


def default_store_path() -> Path:
    """The embedded store file in the user's data directory (``ZHIWANG_HOME`` overrides it)."""
    home = os.environ.get("ZHIWANG_HOME")
    if home:
        base = Path(home)
    else:
        from platformdirs import user_data_dir

        base = Path(user_data_dir("zhiwang", appauthor=False))
    return base / "zhiwang.sqlite"


def normalise_url(url: str | os.PathLike | None) -> str:
    """``postgresql://…`` → psycopg 3 URL; a bare path or ``sqlite:///…`` → SQLite file URL."""
    if url is None:
        url = default_store_path()
    url = os.fspath(url)
    if url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        rest = url.split("://", 1)[1]
        return f"postgresql+psycopg://{rest}"
    if url.startswith("sqlite:///"):
        return url
    if "://" in url:
        raise StoreError(f"unsupported store URL {url!r}: use postgresql://… or a SpatiaLite file")
    return f"sqlite:///{Path(url).expanduser().resolve()}"


def geometry_columns(kind: str) -> str | None:
    """The geometry type of a layer kind, or None if its rows have no geometry."""
    return schema.GEOMETRY_TYPES.get(kind)


@dataclass(frozen=True)
class FeatureFrame:
    """Features of one layer as arrays: ids, shapely geometries (working CRS) and attribute columns.

    The render and analysis code works on these arrays directly; ``to_geodataframe`` is for I/O.
    """

    kind: str
    ids: np.ndarray
    geometry: np.ndarray
    columns: dict[str, np.ndarray] = field(default_factory=dict)
    srid: int | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def to_geodataframe(self):
        import geopandas as gpd

        data = {"id": self.ids, **self.columns}
        crs = f"EPSG:{self.srid}" if self.srid else None
        return gpd.GeoDataFrame(data, geometry=self.geometry, crs=crs)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


class Store:
    """An open store. Thread-safe: writes check a connection out of the engine's pool; feature
    queries run on a read connection of the calling thread's own (autocommit), so a viewport
    query costs one round trip and no pool checkout, ping or reset."""

    def __init__(self, engine: Engine, srid: int | None):
        self.engine = engine
        self.backend = "postgis" if engine.dialect.name == "postgresql" else "spatialite"
        self.srid = srid
        self._sql_cache: dict[tuple, str] = {}
        self._types_cache: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[tuple[int, Any]] = []  # (process id, connection)
        # False when PostGIS cannot use the spatial index for viewports (see open()).
        self.viewport_index_usable = True
        # Access control (gis_core.security): the grid cells of this session (None: all), from
        # the URL, filter SpatiaLite reads (PostGIS enforces them by row-level security); ``user``
        # is the logged-in account of a session from ``open(url, user=…)`` or ``as_user``.
        self.scope: frozenset[int] | None = _url_scope(engine)
        self.user: Any = None

    # ----------------------------------------------------------------- opening
    @classmethod
    def _engine(cls, url: str | os.PathLike | None, create_file: bool = False) -> Engine:
        sa_url = normalise_url(url)
        if sa_url.startswith("sqlite"):
            path = Path(make_url(sa_url).database or "")
            if not create_file and not path.exists():
                raise StoreError(
                    f"no store at {path}; create one with `zhiwang init --store {path}` "
                    f"or `zhiwang demo --store {path}`"
                )
            path.parent.mkdir(parents=True, exist_ok=True)
            with warnings.catch_warnings():  # session settings ride in the URL (security.scope)
                warnings.filterwarnings("ignore", "Query string argument", SAWarning)
                engine = create_engine(
                    sa_url, connect_args={"check_same_thread": False, "timeout": 30}
                )
            event.listen(engine, "connect", _on_sqlite_connect)
            event.listen(engine, "begin", _on_sqlite_begin)
            if "zhiwang_cells=" in sa_url:  # a user's session: writes outside its cells refused
                from gis_core.security.scope import install_sqlite_guard

                install_sqlite_guard(engine, _url_scope(engine))
            return engine
        return create_engine(
            sa_url,
            pool_pre_ping=True,
            pool_size=4,
            max_overflow=8,
            connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S},
        )

    @classmethod
    def open(cls, url: str | os.PathLike | None = None, user: Any = None) -> Store:
        """Open an initialised store; raise StoreError with a clear message otherwise.

        Opening reads the working SRID and the schema revision — no table is scanned — and
        migrates only a store whose schema is older than this program's. With ``user`` (a
        logged-in account, gis_core.security.accounts) the store is that user's session.
        """
        if user is not None:  # the session sees and writes the user's grid cells only
            from gis_core.security.scope import scoped_url

            url = scoped_url(url, user.cells, user.username)
        sa_url = normalise_url(url)
        if sa_url.startswith("sqlite"):
            _check_store_file(Path(make_url(sa_url).database or ""))
        engine = cls._engine(url)
        try:
            with engine.connect() as conn:
                exists = conn.execute(
                    text(
                        "SELECT to_regclass('store_meta') IS NOT NULL"
                        if conn.dialect.name == "postgresql"
                        else "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'store_meta')"
                    )
                ).scalar()
                row = (
                    conn.execute(
                        text("SELECT value FROM store_meta WHERE key = 'working_srid'")
                    ).first()
                    if exists
                    else None
                )
        except Exception as exc:
            engine.dispose()
            raise StoreError(f"cannot open store {_redact(url)}: {_reason(exc)}") from exc
        if row is None:
            engine.dispose()
            raise StoreError(
                f"{_redact(url)} is not a Zhiwang store (no working CRS recorded); "
                "create one with `zhiwang init --store …`"
            )
        engine = _session_engine(cls, engine, url)
        store = cls(engine, int(row[0]))
        store.user = user
        try:
            store.upgrade()
        except Exception as exc:
            store.close()
            raise StoreError(f"cannot migrate store {_redact(url)}: {_reason(exc)}") from exc
        store._check_viewport_index()
        return store

    @classmethod
    def init(cls, url: str | os.PathLike | None = None, crs: str = DEFAULT_WORKING_CRS) -> Store:
        """Create the schema in an empty database or file with the given working CRS."""
        srid = cast(int, working_crs(crs).to_epsg())  # working_crs insists on an EPSG code
        engine = cls._engine(url, create_file=True)
        try:
            with engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
                existing = conn.execute(
                    text(
                        "SELECT 1 FROM information_schema.tables WHERE table_name = 'store_meta'"
                        if conn.dialect.name == "postgresql"
                        else "SELECT 1 FROM sqlite_master WHERE name = 'store_meta'"
                    )
                ).first()
                if existing:
                    have = conn.execute(
                        text("SELECT value FROM store_meta WHERE key = 'working_srid'")
                    ).scalar()
                    if have is not None and int(have) != srid:
                        raise StoreError(
                            f"{_redact(url)} is already a store in EPSG:{have}; "
                            f"it cannot be re-initialised in EPSG:{srid}"
                        )
                if conn.dialect.name == "sqlite":
                    _ensure_spatial_metadata(conn, srid)
        except StoreError:
            engine.dispose()
            raise
        except Exception as exc:
            engine.dispose()
            raise StoreError(f"cannot initialise store {_redact(url)}: {_reason(exc)}") from exc
        engine = _session_engine(cls, engine, url)
        store = cls(engine, srid)
        store.upgrade(working_srid=srid)
        store._check_viewport_index()
        return store

    def _check_viewport_index(self) -> None:
        """Warn when PostGIS cannot use the spatial index for viewports: under row-level
        security the planner keeps operators that are not LEAKPROOF out of index scans, and
        PostGIS ships ``&&`` without the mark — every viewport query would scan the table."""
        if self.backend != "postgis":
            return
        with self.engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT (SELECT proleakproof FROM pg_proc WHERE oid = "
                    "to_regprocedure('geometry_overlaps(geometry, geometry)')), "
                    "(SELECT relrowsecurity FROM pg_class WHERE oid = to_regclass('buildings'))"
                )
            ).first()
        self.viewport_index_usable = not (row is not None and row[1] and not row[0])
        if not self.viewport_index_usable:
            log.warning(
                "%s: row-level security is on and PostGIS's && is not LEAKPROOF, so viewport "
                "queries cannot use the spatial index and scan whole tables. A superuser fixes "
                "it once per database: ALTER FUNCTION geometry_overlaps(geometry, geometry) "
                "LEAKPROOF (installer/test.sh does)",
                self.url,
            )

    def upgrade(self, working_srid: int | None = None) -> None:
        """Bring the schema to the newest migration (a no-op when it is current)."""
        from alembic import command
        from alembic.config import Config
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        cfg = Config()
        cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        head = ScriptDirectory.from_config(cfg).get_current_head()
        with self.engine.connect() as conn:
            if MigrationContext.configure(conn).get_current_revision() == head:
                return
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            cfg.attributes["working_srid"] = working_srid or self.srid
            command.upgrade(cfg, "head")
            if self.backend == "postgis":  # every cell-scoped table, new ones too, under RLS
                from gis_core.security.rls import apply_row_security

                apply_row_security(conn)

    def close(self) -> None:
        with self._lock:
            readers, self._readers = self._readers, []
        for pid, reader in readers:
            if pid != os.getpid():
                continue  # the parent's, inherited through fork(): closing it would end theirs
            with suppress(Exception):  # a reader whose server went away: nothing to close
                reader.close()
        self._local = threading.local()
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def url(self) -> str:
        return _shown_url(self.engine.url)

    def as_user(self, user: Any) -> Store:
        """The session of logged-in ``user`` on this store: their grid cells only, ``user`` set
        (gis_core.security.accounts.open_session logs in and calls this)."""
        return Store.open(self.engine.url.render_as_string(hide_password=False), user=user)

    # ----------------------------------------------------------------- meta
    def meta(self, key: str, default: str | None = None) -> str | None:
        with self.engine.connect() as conn:
            value = conn.execute(
                text("SELECT value FROM store_meta WHERE key = :k"), {"k": key}
            ).scalar()
        return default if value is None else value

    def set_meta(self, key: str, value: str, conn: Connection | None = None) -> None:
        with self._conn(conn) as c:
            c.execute(text("DELETE FROM store_meta WHERE key = :k"), {"k": key})
            c.execute(
                text("INSERT INTO store_meta (key, value) VALUES (:k, :v)"), {"k": key, "v": value}
            )

    # ----------------------------------------------------------------- writing
    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction: everything written through the yielded connection lands, or nothing.

        On SpatiaLite it takes the write lock at once (BEGIN IMMEDIATE), so a second writer
        waits for the first instead of failing with "database is locked"; readers never wait.
        """
        with self.engine.connect() as conn:
            conn.info["zw_write"] = True
            try:
                with conn.begin():
                    yield conn
            finally:
                conn.info.pop("zw_write", None)

    @contextmanager
    def _conn(self, conn: Connection | None) -> Iterator[Connection]:
        if conn is not None:
            yield conn
        else:
            with self.begin() as own:
                yield own

    def bulk_insert(
        self,
        kind: str,
        columns: Mapping[str, Sequence[Any] | np.ndarray],
        geometry: np.ndarray | Sequence | None = None,
        conn: Connection | None = None,
    ) -> int:
        """Insert rows of one kind from columns (and a shapely geometry array in the working CRS).

        Explicit ids may be given in an ``id`` column. Values are converted to each column's type
        (numpy arrays, NaN/NA/NaT as NULL); geometries must be of the layer's type (a single
        part is promoted to a multi-part layer's type; Z is dropped). PostGIS gets one binary
        COPY; SpatiaLite one prepared statement over all rows with the R*Tree filled in bulk.
        A big load into an empty table builds its indexes once afterwards. Either every row is
        written or none (a savepoint inside ``conn``'s transaction). Returns the rows written.
        """
        model = schema.KINDS.get(kind)
        if model is None:
            raise StoreError(f"unknown kind {kind!r}; known: {', '.join(schema.KINDS)}")
        if kind in PERSONAL_FIELDS:  # ID numbers and phones are stored encrypted
            from gis_core.security.personal import protect_columns

            columns = protect_columns(self, kind, columns, conn)
        table = model.__tablename__
        table_cols = model.__table__.columns
        names = [name for name in columns if name != "geom"]
        unknown = [n for n in names if n not in table_cols]
        if unknown:
            raise StoreError(f"{kind} has no column(s) {', '.join(unknown)}")
        gtype = schema.GEOMETRY_TYPES.get(kind)
        if gtype and geometry is None:
            raise StoreError(f"{kind} rows need a geometry")
        lengths = {name: len(columns[name]) for name in names}
        if gtype is not None:
            lengths["geometry"] = len(geometry)  # type: ignore[arg-type]
        if len(set(lengths.values())) > 1:
            raise StoreError(
                f"{kind}: columns differ in length ("
                + ", ".join(f"{k} {v}" for k, v in lengths.items())
                + ")"
            )
        n = next(iter(lengths.values()), 0)
        if n == 0:
            return 0
        geoms = _layer_geometries(kind, gtype, geometry) if gtype is not None else None
        with self._conn(conn) as c, _savepoint(c, kind):
            raw = c.connection.driver_connection
            types = self._column_types(raw, table)
            missing = [name for name in names if name not in types]
            if missing:
                raise StoreError(
                    f"this store's {table} table has no column(s) {', '.join(missing)}: "
                    "its schema is older than this program's"
                )
            values = [
                _column_values(columns[name], types[name], self.backend, kind, name)
                for name in names
            ]
            if self.backend == "postgis":
                self._copy_postgis(raw, table, names, values, types, geoms, n)
            else:
                self._insert_spatialite(raw, table, names, values, geoms, n)
            if geoms is not None:
                self.grow_extent(kind, shapely.total_bounds(geoms), conn=c)
        return n

    def _column_types(self, raw: Any, table: str) -> dict[str, str]:
        """Column name → the database's own type name, read once per table."""
        types = self._types_cache.get(table)
        if types is None:
            if self.backend == "postgis":
                with raw.cursor() as cur:
                    cur.execute(
                        "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                        "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                        (table,),
                    )
                    types = {name: type_ for name, type_ in cur.fetchall()}
            else:
                rows = raw.execute(f'PRAGMA table_info("{table}")').fetchall()
                types = {row[1]: row[2] for row in rows}
            self._types_cache[table] = types
        return types

    def _copy_postgis(
        self,
        raw: Any,
        table: str,
        names: list[str],
        values: list[list],
        types: dict[str, str],
        geoms: np.ndarray | None,
        n: int,
    ) -> None:
        wire = [_PG_BINARY.get(_base_type(types[name])) for name in names]
        built = all(w in _COPY_FIELDS for w in wire)
        binary = built
        if built:
            # The whole binary COPY stream built from arrays (_binary_copy): fixed-width
            # columns without NULLs first, then the rest, geometry as EWKB.
            columns: list[tuple[Any, Any, bool]] = [
                (w, vals, w in _COPY_FIXED and None not in vals) for w, vals in zip(wire, values)
            ]
            if geoms is not None:  # encoded block by block, while the server parses
                code = _WKB_CODES[int(shapely.get_type_id(geoms[0]))]  # one type per layer
                columns.append((("ewkb", self.srid, code), geoms, False))
            order = sorted(range(len(columns)), key=lambda i: not columns[i][2])
            all_names = [[*names, "geom"][i] for i in order]
            columns = [columns[i] for i in order]
        else:  # a column type the builder does not know: psycopg formats each row
            all_names = [*names, "geom"] if geoms is not None else names
            binary = all(wire)
            if geoms is not None:
                # COPY into a typmod column needs the SRID inside the EWKB.
                ewkb = shapely.to_wkb(
                    shapely.set_srid(geoms, self.srid), hex=not binary, include_srid=True
                )
                values = [*values, ewkb.tolist()]
                wire = [*wire, "bytea"]
        cols_sql = ", ".join(f'"{name}"' for name in all_names)
        with raw.cursor() as cur:
            cur.execute(
                f"SELECT NOT EXISTS (SELECT 1 FROM {table}), pg_has_role(current_user, c.relowner, "
                "'MEMBER'), c.relforcerowsecurity, current_setting('zhiwang.cells', true) = '*' "
                "FROM pg_class c WHERE c.oid = %s::regclass",
                (table,),
            )
            empty, owner, forced, all_cells = cur.fetchone()
            rebuild = n >= REBUILD_MIN_ROWS and empty and owner
            if rebuild:
                # An empty table filled in one go: indexes built once afterwards (a sorted GiST
                # build) and foreign keys checked by one join, not row by row — 2-3x faster.
                # The table is locked for this transaction anyway, so the owner's session over
                # every cell (which every row policy lets through) may COPY straight into it.
                unforce = forced and all_cells
                if unforce:
                    cur.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
                cur.execute(
                    "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                    "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
                    "AND NOT x.indisprimary "
                    "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)",
                    (table,),
                )
                indexes = cur.fetchall()
                cur.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'f'",
                    (table,),
                )
                foreign_keys = cur.fetchall()
                for name, _ in foreign_keys:
                    cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                for name, _ in indexes:
                    cur.execute(f'DROP INDEX "{name}"')
            fmt = " (FORMAT BINARY)" if binary else ""
            # Row-level security refuses COPY FROM (gis_core.security.rls): such rows go through
            # a staging table and one INSERT … SELECT, so the cell policy checks each of them.
            target = _copy_target(cur, table, cols_sql)
            with cur.copy(f"COPY {target} ({cols_sql}) FROM STDIN{fmt}") as copy:
                if built:
                    for block in _binary_copy(columns, n):
                        copy.write(block)
                else:
                    if binary:
                        copy.set_types(wire)
                    for row in zip(*values):
                        copy.write_row(row)
            if target != table:
                cur.execute(f"INSERT INTO {table} ({cols_sql}) SELECT {cols_sql} FROM {target}")
                cur.execute(f"DROP TABLE {target}")
            if rebuild:
                for _, ddl in indexes:
                    cur.execute(ddl)
                for name, ddl in foreign_keys:
                    cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {ddl}')
                if unforce:
                    cur.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
            if "id" in names:
                # Past every id written; nextval rather than max(id), which row security hides.
                top = max((v for v in values[names.index("id")] if v is not None), default=1)
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST("
                    f"nextval(pg_get_serial_sequence('{table}', 'id')) - 1, %s, 1))",
                    (int(top),),
                )
            if n >= ANALYZE_MIN_ROWS:
                # Fresh statistics, so the planner picks the spatial index for viewports.
                cur.execute(f"ANALYZE {table}")

    def _insert_spatialite(
        self,
        raw: Any,
        table: str,
        names: list[str],
        values: list[list],
        geoms: np.ndarray | None,
        n: int,
    ) -> None:
        if geoms is None:
            sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
            raw.executemany(sql, zip(*values))
            return
        if "id" in names:
            ids = values[names.index("id")]
            if any(v is None for v in ids):
                raise StoreError(f"{table}: the id column has empty values")
        else:
            # Ids chosen here, so the R*Tree can be filled with them without reading back.
            last = raw.execute(f"SELECT max(id) FROM {table}").fetchone()[0] or 0
            ids = list(range(last + 1, last + 1 + n))
            names, values = [*names, "id"], [*values, ids]
        index = f"idx_{table}_geom"
        # SpatiaLite's per-row triggers check the geometry type (done above, vectorised), stamp
        # geometry_columns_time and insert each box into the R*Tree: ~25 us a row. They are
        # set aside for this statement and restored, all inside the transaction.
        triggers = raw.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? "
            "AND name IN (?, ?, ?)",
            (table, f"ggi_{table}_geom", f"tmi_{table}_geom", f"gii_{table}_geom"),
        ).fetchall()
        indexed = any(name.startswith("gii_") for name, _ in triggers)
        empty = raw.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is None
        for name, _ in triggers:
            raw.execute(f'DROP TRIGGER "{name}"')
        sql = (
            f"INSERT INTO {table} ({', '.join(names)}, geom) "
            f"VALUES ({', '.join('?' * len(names))}, GeomFromWKB(?, {self.srid}))"
        )
        raw.executemany(sql, zip(*values, shapely.to_wkb(geoms).tolist()))
        if indexed:
            _fill_rtree(raw, index, np.asarray(ids, dtype=np.int64), shapely.bounds(geoms), empty)
        for _, ddl in triggers:
            raw.execute(ddl)
        if any(name.startswith("tmi_") for name, _ in triggers):
            raw.execute(
                "UPDATE geometry_columns_time SET last_insert = strftime('%Y-%m-%dT%H:%M:%fZ', "
                "'now') WHERE Lower(f_table_name) = Lower(?) AND f_geometry_column = 'geom'",
                (table,),
            )

    def grow_extent(
        self, kind: str, bounds: Sequence[float], conn: Connection | None = None
    ) -> None:
        """Widen the recorded extent of ``kind`` to cover ``bounds`` (minx, miny, maxx, maxy).

        For code that writes geometries without :meth:`bulk_insert` (which calls it): one
        atomic upsert, so writers of one layer in concurrent transactions neither lose each
        other's bounds nor collide on the row.
        """
        box = np.asarray(bounds, dtype=float)
        if box.shape != (4,) or not np.all(np.isfinite(box)):
            return
        with self._conn(conn) as c:
            self._upsert_extent(c, kind, box)

    def _upsert_extent(self, conn: Connection, kind: str, bounds: np.ndarray) -> None:
        lo, hi = ("LEAST", "GREATEST") if self.backend == "postgis" else ("min", "max")
        conn.execute(
            text(
                "INSERT INTO layer_extents (kind, minx, miny, maxx, maxy) "
                "VALUES (:k, :a, :b, :c, :d) ON CONFLICT (kind) DO UPDATE SET "
                f"minx = {lo}(layer_extents.minx, excluded.minx), "
                f"miny = {lo}(layer_extents.miny, excluded.miny), "
                f"maxx = {hi}(layer_extents.maxx, excluded.maxx), "
                f"maxy = {hi}(layer_extents.maxy, excluded.maxy)"
            ),
            {
                "k": kind,
                "a": float(bounds[0]),
                "b": float(bounds[1]),
                "c": float(bounds[2]),
                "d": float(bounds[3]),
            },
        )

    # ----------------------------------------------------------------- reading
    def extent(self, kind: str) -> tuple[float, float, float, float] | None:
        """The layer's extent as recorded on write — no table scan."""
        with self.engine.connect() as conn:
            row = conn.execute(
                text("SELECT minx, miny, maxx, maxy FROM layer_extents WHERE kind = :k"),
                {"k": kind},
            ).first()
        return None if row is None else tuple(float(v) for v in row)  # type: ignore[return-value]

    def count(self, kind: str) -> int:
        """Exact row count — for summaries and reports, never on the render path."""
        table = self._source(kind)
        with self.engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0)

    def query_bbox(
        self,
        kind: str,
        bbox: Sequence[float],
        columns: Sequence[str] = (),
        limit: int | None = None,
    ) -> FeatureFrame:
        """Features whose bounding box intersects ``bbox`` (minx, miny, maxx, maxy), via the index.

        Boxes that touch count as intersecting. No table scan and no count: one index query.
        """
        minx, miny, maxx, maxy = (float(v) for v in bbox)
        if not (minx <= maxx and miny <= maxy):
            raise StoreError(f"bbox {tuple(bbox)} has min greater than max")
        sql = self._bbox_sql(kind, tuple(columns), limit)
        params = (
            (minx, miny, maxx, maxy)
            if self.backend == "postgis"
            else {"minx": minx, "miny": miny, "maxx": maxx, "maxy": maxy}
        )
        frame = self._fetch(kind, sql, params, columns)
        if len(frame):
            # Both indexes (and PostGIS's && itself) compare float32 boxes rounded outwards —
            # up to 0.5 m off at 3,800 km northings; recheck exactly, the same on both backends.
            b = shapely.bounds(frame.geometry)
            keep = (b[:, 0] <= maxx) & (b[:, 2] >= minx) & (b[:, 1] <= maxy) & (b[:, 3] >= miny)
            if not keep.all():
                frame = _take(frame, keep)
        return frame

    def query_cell(self, kind: str, cell_id: int, columns: Sequence[str] = ()) -> FeatureFrame:
        """Rows of a cell-scoped kind that belong to grid cell ``cell_id``."""
        if kind not in schema.CELL_SCOPED:
            raise StoreError(f"{kind} rows do not belong to grid cells")
        key = ("cell", kind, tuple(columns))
        sql = self._sql_cache.get(key)
        if sql is None:
            sql = self._select(kind, tuple(columns)) + (
                " WHERE t.grid_cell_id = %s"
                if self.backend == "postgis"
                else " WHERE t.grid_cell_id = :cell"
            )
            self._sql_cache[key] = sql
        params = (cell_id,) if self.backend == "postgis" else {"cell": cell_id}
        return self._fetch(kind, sql, params, columns)

    def query_all(self, kind: str, columns: Sequence[str] = ()) -> FeatureFrame:
        """Every row of a kind — for exports and analyses that need the whole layer."""
        return self._fetch(kind, self._select(kind, tuple(columns)), None, columns)

    def explain_bbox(self, kind: str, bbox: Sequence[float]) -> str:
        """The database's query plan for a viewport query (tests check the spatial index is used)."""
        sql = self._bbox_sql(kind, (), None)
        minx, miny, maxx, maxy = (float(v) for v in bbox)
        with self.engine.connect() as conn:
            raw: Any = conn.connection.driver_connection
            if self.backend == "postgis":
                with raw.cursor() as cur:
                    cur.execute("EXPLAIN " + sql, (minx, miny, maxx, maxy))
                    return "\n".join(r[0] for r in cur.fetchall())
            rows = raw.execute(
                "EXPLAIN QUERY PLAN " + sql,
                {"minx": minx, "miny": miny, "maxx": maxx, "maxy": maxy},
            ).fetchall()
            return "\n".join(str(r[-1]) for r in rows)

    def density(self, kind: str, bbox: Sequence[float], shape: tuple[int, int]) -> np.ndarray:
        """Feature counts on a ``shape`` = (rows, cols) grid over ``bbox``, row 0 at the south,
        by the centre of each feature's bounding box — counted in the database from the spatial
        index, so a map can draw a density raster of a million features without fetching them."""
        ny, nx = int(shape[0]), int(shape[1])
        minx, miny, maxx, maxy = (float(v) for v in bbox)
        if not (minx < maxx and miny < maxy and nx > 0 and ny > 0):
            raise StoreError(f"density needs a non-empty bbox and shape, got {bbox}, {shape}")
        sx, sy = nx / (maxx - minx), ny / (maxy - miny)
        table = self._table(kind)
        if self.backend == "postgis":
            cx, cy = "(ST_XMin(b) + ST_XMax(b)) * 0.5", "(ST_YMin(b) + ST_YMax(b)) * 0.5"
            sql = (
                f"SELECT floor(({cx} - %s) * %s)::int AS i, floor(({cy} - %s) * %s)::int AS j, "
                f"count(*) FROM (SELECT t.geom::box2d AS b FROM {table} t WHERE t.geom && "
                f"ST_MakeEnvelope(%s, %s, %s, %s, {self.srid})) s GROUP BY 1, 2"
            )
            params: tuple = (minx, sx, miny, sy, minx, miny, maxx, maxy)
        else:
            # Reading the whole index pays off when the bbox covers much of the layer.
            ext = self.extent(kind)
            big = ext is None or max(0.0, min(maxx, ext[2]) - max(minx, ext[0])) * max(
                0.0, min(maxy, ext[3]) - max(miny, ext[1])
            ) > 0.1 * max(ext[2] - ext[0], 1e-9) * max(ext[3] - ext[1], 1e-9)
            chunks = self._rtree_centres(table) if big and not self._rtree_scope(kind) else None
            if chunks is not None:
                flat = np.zeros(nx * ny, np.int64)
                for centres in chunks:
                    i = np.floor((centres[:, 0] - minx) * sx)
                    j = np.floor((centres[:, 1] - miny) * sy)
                    ok = (i >= 0) & (i < nx) & (j >= 0) & (j < ny)
                    cell = (j[ok] * nx + i[ok]).astype(np.int64)
                    flat += np.bincount(cell, minlength=nx * ny)
                return flat.reshape(ny, nx)
            # The R*Tree holds every feature's box: no geometry is read or decoded.
            sql = (
                # CAST truncates towards zero: shift by one so centres just west or south of
                # the bbox land in column/row -1 (dropped) rather than 0.
                f"SELECT CAST(((xmin + xmax) * 0.5 - ?) * ? + 1 AS INTEGER) - 1 AS i, "
                f"CAST(((ymin + ymax) * 0.5 - ?) * ? + 1 AS INTEGER) - 1 AS j, count(*) "
                f"FROM idx_{table}_geom{self._rtree_scope(kind)} "
                f"WHERE xmin <= ? AND xmax >= ? AND ymin <= ? AND ymax >= ? "
                f"GROUP BY i, j"
            )
            params = (minx, sx, miny, sy, maxx, minx, maxy, miny)
        grid = np.zeros((ny, nx), np.int64)
        rows = self._rows(sql, params)
        if rows:
            ijc = np.asarray(rows, dtype=np.int64)
            ok = (ijc[:, 0] >= 0) & (ijc[:, 0] < nx) & (ijc[:, 1] >= 0) & (ijc[:, 1] < ny)
            np.add.at(grid, (ijc[ok, 1], ijc[ok, 0]), ijc[ok, 2])
        return grid

    def _rtree_centres(self, table: str) -> Iterator[np.ndarray] | None:
        """Box centres (x, y) of every entry of a SpatiaLite R*Tree, in chunks, read from the
        index's node table in bulk: ~40 k blobs for a million rows take tens of milliseconds,
        where a million rows through the virtual table and a GROUP BY take seconds. The layout
        is SQLite's documented R*Tree format: a node is a 2-byte depth (root only), a 2-byte
        entry count, then entries of an 8-byte id and four big-endian float32 coordinates;
        leaves are the nodes that are no node's parent. Chunks keep each step short, so a render
        thread never holds the GIL for long. Returns None if the index does not look like
        that; the caller then falls back to SQL."""
        index = f"idx_{table}_geom"
        try:
            parents = self._rows(f"SELECT DISTINCT parentnode FROM {index}_parent", ())
            probe = self._rows(f"SELECT length(data) FROM {index}_node WHERE nodeno = 1", ())
        except Exception:
            return None
        if not probe:
            return None
        size = int(probe[0][0])
        if size < 28 or (size - 4) % 24:
            return None
        inner = np.array([r[0] for r in parents], np.int64)
        cap = (size - 4) // 24
        sql = f"SELECT nodeno, data FROM {index}_node"

        def chunks() -> Iterator[np.ndarray]:
            with self.engine.connect() as conn:
                cur = conn.connection.driver_connection.execute(sql)
                while batch := cur.fetchmany(2048):
                    nodes = [r[1] for r in batch if len(r[1]) == size]
                    if len(nodes) != len(batch):
                        raise StoreError(f"{index} has nodes of unexpected size")
                    nodeno = np.fromiter((r[0] for r in batch), np.int64, len(batch))
                    raw = np.frombuffer(b"".join(nodes), np.uint8).reshape(len(nodes), size)
                    raw = raw[~np.isin(nodeno, inner)]
                    count = raw[:, 2].astype(np.int64) << 8 | raw[:, 3]
                    e = np.ndarray(
                        (len(raw), cap), _RTREE_ENTRY, buffer=raw, offset=4, strides=(size, 24)
                    )
                    leaf = e[np.arange(cap)[None, :] < count[:, None]]
                    centres = np.empty((len(leaf), 2))
                    np.add(leaf["xmin"], leaf["xmax"], out=centres[:, 0], dtype=np.float64)
                    np.add(leaf["ymin"], leaf["ymax"], out=centres[:, 1], dtype=np.float64)
                    centres *= 0.5
                    yield centres

        return chunks()

    # ----------------------------------------------------------------- browsing
    def attribute_names(self, kind: str) -> list[str]:
        """The attribute columns of a kind (no ``id``, no geometry), in schema order."""
        self._table(kind)
        return [
            c.name for c in schema.KINDS[kind].__table__.columns if c.name not in ("id", "geom")
        ]

    def page(
        self,
        kind: str,
        columns: Sequence[str] = (),
        offset: int = 0,
        limit: int = 500,
        order_by: Sequence[tuple[str, bool]] = (),
        filter: Sequence[tuple[str, str, Any]] = (),
    ) -> FeatureFrame:
        """One page of rows without geometry, for lazy attribute tables.

        ``order_by`` is ``(column, descending)`` pairs and ``filter`` is ``(column, op, value)``
        triples joined by AND, ``op`` one of :data:`FILTER_OPS`; both run in the database, and
        ``id`` breaks ties so pages never overlap. Example::

            store.page("buildings", ["address"], 0, 100, [("floors", True)], [("use", "=", "public")])
        """
        cols = tuple(columns)
        where, params = self._where(kind, filter)
        order = [f"{self._column_ref(kind, c)} {'DESC' if desc else 'ASC'}" for c, desc in order_by]
        order.append("t.id")
        select = ", ".join(["t.id", *(self._column_ref(kind, c) for c in cols)])
        sql = (
            f"SELECT {select} FROM {self._source(kind)} t{where} ORDER BY {', '.join(order)} "
            f"LIMIT {int(limit)} OFFSET {int(offset)}"
        )
        rows = self._rows(sql, params)
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        attrs = {c: _column_array([r[1 + i] for r in rows]) for i, c in enumerate(cols)}
        if kind in PERSONAL_FIELDS:  # names, ID numbers and phones are read masked
            attrs = _masked(self, kind, attrs)
        return FeatureFrame(kind, ids, np.empty(0, dtype=object), attrs, self.srid)

    def count_where(self, kind: str, filter: Sequence[tuple[str, str, Any]] = ()) -> int:
        """Rows matching a :meth:`page` filter — a full scan on big tables; call it off the GUI thread."""
        where, params = self._where(kind, filter)
        return int(self._rows(f"SELECT count(*) FROM {self._source(kind)} t{where}", params)[0][0])

    def features(self, kind: str, ids: Sequence[int], columns: Sequence[str] = ()) -> FeatureFrame:
        """Rows by id (with geometry where the kind has one), in no particular order."""
        ids = [int(i) for i in ids]
        if not ids:
            return self._fetch(
                kind, self._select(kind, tuple(columns)) + " WHERE 1 = 0", (), columns
            )
        mark = "%s" if self.backend == "postgis" else "?"
        sql = (
            self._select(kind, tuple(columns)) + f" WHERE t.id IN ({', '.join([mark] * len(ids))})"
        )
        return self._fetch(kind, sql, tuple(ids), columns)

    def search(
        self, text_: str, kinds: Sequence[str] | None = None, limit: int = 20
    ) -> list[SearchHit]:
        """Features whose code, name or address contains ``text_``; exact and prefix matches first.

        Searches the kinds of :data:`SEARCH_FIELDS` (or ``kinds``), at most ``limit`` hits each.
        """
        needle = text_.strip()
        if not needle:
            return []
        hits: list[SearchHit] = []
        like = "ILIKE" if self.backend == "postgis" else "LIKE"
        mark = "%s" if self.backend == "postgis" else "?"
        geom = "ST_AsBinary(t.geom)" if self.backend == "postgis" else "AsBinary(t.geom)"
        pattern = "%" + _like_escape(needle) + "%"
        prefix = _like_escape(needle) + "%"
        for kind in kinds or SEARCH_FIELDS:
            fields = SEARCH_FIELDS.get(kind)
            if not fields:
                continue
            first = f't."{fields[0]}"'
            match = " OR ".join(f"t.\"{f}\" {like} {mark} ESCAPE '\\'" for f in fields)
            label = " || ' ' || ".join(f"COALESCE(t.\"{f}\", '')" for f in fields)
            sql = (
                f"SELECT t.id, {label}, {geom} FROM {self._source(kind)} t WHERE {match} "
                f"ORDER BY CASE WHEN {first} = {mark} THEN 0 WHEN {first} {like} {mark} ESCAPE '\\' "
                f"THEN 1 ELSE 2 END, t.id LIMIT {int(limit)}"
            )
            params = (*([pattern] * len(fields)), needle, prefix)
            for row in self._rows(sql, params):
                hits.append(
                    SearchHit(kind, int(row[0]), str(row[1]).strip(), shapely.from_wkb(row[2]))
                )
        rank = {True: 0, False: 1}
        hits.sort(key=lambda h: rank[h.label.split(" ")[0] == needle])
        return hits

    def distinct(self, kind: str, column: str, limit: int = 100) -> list:
        """The most frequent values of a column, most frequent first (for categorised styles)."""
        ref = self._column_ref(kind, column)
        sql = (
            f"SELECT {ref}, count(*) AS n FROM {self._source(kind)} t WHERE {ref} IS NOT NULL "
            f"GROUP BY {ref} ORDER BY n DESC, {ref} LIMIT {int(limit)}"
        )
        return [row[0] for row in self._rows(sql, ())]

    def _column_ref(self, kind: str, column: str) -> str:
        if column != "id" and column not in self.attribute_names(kind):
            raise StoreError(f"{kind} has no attribute column {column!r}")
        return f't."{column}"'

    def _where(self, kind: str, filter: Sequence[tuple[str, str, Any]]) -> tuple[str, tuple]:
        mark = "%s" if self.backend == "postgis" else "?"
        like = "ILIKE" if self.backend == "postgis" else "LIKE"
        table_cols = schema.KINDS[kind].__table__.columns
        terms, params = [], []
        for column, op, value in filter:
            ref = self._column_ref(kind, column)
            if op not in FILTER_OPS:
                raise StoreError(f"unknown filter operator {op!r}; known: {', '.join(FILTER_OPS)}")
            if op in ("is null", "not null"):
                terms.append(f"{ref} IS {'NOT ' if op == 'not null' else ''}NULL")
            elif op in ("contains", "starts"):
                text_ref = f"CAST({ref} AS TEXT)"
                pattern = _like_escape(str(value)) + "%"
                terms.append(f"{text_ref} {like} {mark} ESCAPE '\\'")
                params.append(pattern if op == "starts" else "%" + pattern)
            else:
                terms.append(f"{ref} {'<>' if op == '!=' else op} {mark}")
                params.append(_coerce(table_cols[column].type if column != "id" else None, value))
        return ((" WHERE " + " AND ".join(terms)) if terms else ""), tuple(params)

    def _rows(self, sql: str, params: tuple) -> list:
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection
            if self.backend == "postgis":
                with raw.cursor() as cur:
                    cur.execute(sql, params)
                    return cur.fetchall()
            return raw.execute(sql, params).fetchall()

    # ----------------------------------------------------------------- internals
    def _table(self, kind: str) -> str:
        model = schema.KINDS.get(kind)
        if model is None:
            raise StoreError(f"unknown kind {kind!r}; known: {', '.join(schema.KINDS)}")
        return model.__tablename__

    def _source(self, kind: str) -> str:
        """The table of ``kind`` as this session reads it: in a SpatiaLite session limited to some
        grid cells, a subquery of those cells' rows (PostGIS applies row-level security itself)."""
        table = self._table(kind)
        if self.scope is None or self.backend == "postgis" or kind not in schema.CELL_SCOPED:
            return table
        from gis_core.security.scope import sqlite_cell_filter

        return f"(SELECT * FROM {table} WHERE {sqlite_cell_filter(self.scope)})"

    def _rtree_scope(self, kind: str) -> str:
        """A join that limits a read of the R*Tree to this session's cells (see ``_source``)."""
        table = self._table(kind)
        if self._source(kind) == table:
            return ""
        from gis_core.security.scope import sqlite_cell_filter

        cells = sqlite_cell_filter(self.scope or frozenset(), "s.grid_cell_id")
        return f" JOIN {table} s ON s.id = pkid AND {cells}"

    def _select(self, kind: str, columns: tuple[str, ...]) -> str:
        table = self._source(kind)
        known = schema.KINDS[kind].__table__.columns
        bad = [c for c in columns if c not in known or c == "geom"]
        if bad:
            raise StoreError(f"{kind} has no attribute column(s) {', '.join(bad)}")
        cols = ["t.id"]
        if kind in schema.GEOMETRY_TYPES:
            cols.append("ST_AsBinary(t.geom)" if self.backend == "postgis" else "AsBinary(t.geom)")
        cols += [f't."{c}"' for c in columns]
        return f"SELECT {', '.join(cols)} FROM {table} t"

    def _bbox_sql(self, kind: str, columns: tuple[str, ...], limit: int | None) -> str:
        if kind not in schema.GEOMETRY_TYPES:
            raise StoreError(f"{kind} rows have no geometry to query by area")
        key = ("bbox", kind, columns, limit)
        sql = self._sql_cache.get(key)
        if sql is None:
            table = self._table(kind)
            if self.backend == "postgis":
                where = f" WHERE t.geom && ST_MakeEnvelope(%s, %s, %s, %s, {self.srid})"
            else:
                # Read the R*Tree directly: cheaper than the SpatialIndex virtual table.
                where = (
                    f" WHERE t.id IN (SELECT pkid FROM idx_{table}_geom WHERE xmin <= :maxx "
                    "AND xmax >= :minx AND ymin <= :maxy AND ymax >= :miny)"
                )
            sql = self._select(kind, columns) + where + (f" LIMIT {int(limit)}" if limit else "")
            self._sql_cache[key] = sql
        return sql

    def _fetch(self, kind: str, sql: str, params: Any, columns: Sequence[str]) -> FeatureFrame:
        has_geom = kind in schema.GEOMETRY_TYPES
        rows = self._read(sql, params)
        ncols = 1 + has_geom + len(columns)
        cols = list(zip(*rows)) if rows else [()] * ncols
        ids = np.fromiter(cols[0], dtype=np.int64, count=len(rows))
        if has_geom:
            wkb = np.empty(len(rows), dtype=object)
            wkb[:] = cols[1]
            geometry = shapely.from_wkb(wkb)
        else:
            geometry = np.empty(0, dtype=object)
        attrs = {name: _column_array(cols[1 + has_geom + i]) for i, name in enumerate(columns)}
        if kind in PERSONAL_FIELDS:  # names, ID numbers and phones are read masked
            attrs = _masked(self, kind, attrs)
        return FeatureFrame(kind, ids, geometry, attrs, self.srid)

    def _read(self, sql: str, params: Any) -> list:
        """All rows of one read-only statement, on this thread's read connection.

        A PostGIS reader whose connection was lost (server restart, idle timeout) is replaced
        and the statement retried once.
        """
        for attempt in (1, 2):
            reader = self._reader()
            try:
                if self.backend == "postgis":
                    # Binary results: WKB arrives as bytes, with no hex decoding.
                    with reader.cursor(binary=True) as cur:
                        cur.execute(sql, params)
                        return cur.fetchall()
                return reader.execute(sql, params if params is not None else ()).fetchall()
            except Exception as exc:
                if attempt == 1 and self.backend == "postgis" and (reader.closed or reader.broken):
                    self._drop_reader(reader)
                    continue
                if isinstance(exc, StoreError):
                    raise
                raise StoreError(f"cannot read from store {self.url}: {_reason(exc)}") from exc
        raise AssertionError("unreachable")

    def _reader(self) -> Any:
        reader = getattr(self._local, "reader", None)
        # A reader inherited through fork() belongs to the parent: never share its socket.
        if reader is None or self._local.pid != os.getpid():
            try:
                reader = self._connect_reader()
            except Exception as exc:
                raise StoreError(f"cannot read from store {self.url}: {_reason(exc)}") from exc
            self._local.reader, self._local.pid = reader, os.getpid()
            with self._lock:
                self._readers.append((os.getpid(), reader))
        return reader

    def _connect_reader(self) -> Any:
        url = self.engine.url
        if self.backend == "postgis":
            import psycopg

            _, params = self.engine.dialect.create_connect_args(url)
            params.setdefault("connect_timeout", PG_CONNECT_TIMEOUT_S)
            return psycopg.connect(**params, autocommit=True)
        reader = sqlite3.connect(url.database or "", timeout=30, check_same_thread=False)
        _on_sqlite_connect(reader, None)
        return reader

    def _drop_reader(self, reader: Any) -> None:
        self._local.reader = None
        with self._lock:
            self._readers = [(pid, r) for pid, r in self._readers if r is not reader]
        with suppress(Exception):
            reader.close()


FILTER_OPS = ("=", "!=", "<", "<=", ">", ">=", "contains", "starts", "is null", "not null")
"""Operators of :meth:`Store.page` filters."""

# Columns :meth:`Store.search` looks in, per kind; the first one ranks exact and prefix matches.
SEARCH_FIELDS: dict[str, tuple[str, ...]] = {
    "grid_cells": ("code", "name"),
    "communities": ("name", "code"),
    "facilities": ("name", "address"),
    "enterprises": ("name", "address"),
    "buildings": ("address", "name"),
    "streets": ("name",),
    "cameras": ("code", "name"),
    "sensors": ("code", "name"),
}


@dataclass(frozen=True)
class SearchHit:
    """One :meth:`Store.search` result: where it is and how to show it."""

    kind: str
    id: int
    label: str
    geometry: Any


def _like_escape(text_: str) -> str:
    return text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _coerce(column_type: Any, value: Any) -> Any:
    """A filter value typed for its column, so "12" compares as a number against an integer."""
    if value is None or column_type is None:
        return int(value) if column_type is None and value is not None else value
    try:
        python_type = column_type.python_type
    except NotImplementedError:
        return value
    if python_type in (int, float) and isinstance(value, str):
        return python_type(float(value)) if python_type is int else float(value)
    return value


def _take(frame: FeatureFrame, mask: np.ndarray) -> FeatureFrame:
    return FeatureFrame(
        frame.kind,
        frame.ids[mask],
        frame.geometry[mask],
        {k: v[mask] for k, v in frame.columns.items()},
        frame.srid,
    )


def _column_array(values: Sequence[Any]) -> np.ndarray:
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    if len(values) and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return arr.astype(np.int64)
    if len(values) and all(isinstance(v, float | int) and not isinstance(v, bool) for v in values):
        return arr.astype(np.float64)
    return arr


# ------------------------------------------------------------------------------ writing helpers
# A load of at least this many rows into an empty PostGIS table drops the table's secondary
# indexes and foreign keys and rebuilds them afterwards; smaller loads keep them in place.
REBUILD_MIN_ROWS = 50_000
# A load of at least this many rows refreshes the table's planner statistics (PostGIS).
ANALYZE_MIN_ROWS = 10_000

_GEOMETRY_TYPE_IDS = {
    "POINT": 0,
    "LINESTRING": 1,
    "POLYGON": 3,
    "MULTIPOINT": 4,
    "MULTILINESTRING": 5,
    "MULTIPOLYGON": 6,
}
_PROMOTE = {4: shapely.multipoints, 5: shapely.multilinestrings, 6: shapely.multipolygons}

# PostgreSQL type → the psycopg type its binary COPY field is dumped as (the server reads the
# field with the column's own receive function: geometry takes EWKB, json and varchar take text).
_PG_BINARY = {
    "smallint": "int2",
    "integer": "int4",
    "bigint": "int8",
    "real": "float4",
    "double precision": "float8",
    "boolean": "bool",
    "text": "text",
    "character varying": "text",
    "json": "text",
    "date": "date",
    "timestamp with time zone": "timestamptz",
    "bytea": "bytea",
    "geometry": "bytea",
}

# Database type name (PostgreSQL's format_type, SQLite's declared type) → kind of Python value.
_VALUE_KINDS = {
    "smallint": "int",
    "integer": "int",
    "bigint": "int",
    "int": "int",
    "real": "float",
    "double precision": "float",
    "float": "float",
    "double": "float",
    "numeric": "float",
    "boolean": "bool",
    "text": "str",
    "character varying": "str",
    "varchar": "str",
    "character": "str",
    "char": "str",
    "clob": "str",
    "json": "json",
    "jsonb": "json",
    "date": "date",
    "timestamp with time zone": "datetime",
    "timestamp without time zone": "datetime",
    "datetime": "datetime",
    "timestamp": "datetime",
    "bytea": "bytes",
    "blob": "bytes",
}
_VALUE_NOUNS = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "str": "text",
    "json": "JSON data",
    "date": "a date",
    "datetime": "a date and time",
    "bytes": "bytes",
    "other": "a value for this column",
}
# Python types that need no conversion for a kind of value.
_PLAIN: dict[str, set[type]] = {
    "int": {int, type(None)},
    "float": {float, int, type(None)},
    "bool": {bool, type(None)},
    "str": {str, type(None)},
    "bytes": {bytes, type(None)},
    "date": {dt.date, type(None)},
}


# Binary COPY fields _binary_copy builds itself; the fixed-width ones as big-endian numpy types.
_COPY_FIXED = {
    "int2": ">i2",
    "int4": ">i4",
    "int8": ">i8",
    "float4": ">f4",
    "float8": ">f8",
    "bool": "?",
    "date": ">i4",
    "timestamptz": ">i8",
}
_COPY_FIELDS = {*_COPY_FIXED, "text", "bytea"}
_COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + struct.pack("!ii", 0, 0)
_COPY_TRAILER = struct.pack("!h", -1)
_COPY_CHUNK = 65_536  # rows per block: bounded memory, and the server parses while we build
_PG_DAY0 = np.datetime64("2000-01-01", "D")
_PG_MICROSECOND0 = np.datetime64("2000-01-01T00:00:00", "us")
_WKB_CODES = {0: 1, 1: 2, 3: 3, 4: 4, 5: 5, 6: 6}  # shapely type id → WKB geometry type


def _copy_fixed(wire: str, values: list) -> np.ndarray:
    """Values without None → the field's binary form (big-endian; dates and times from 2000)."""
    if wire == "date":
        return (np.array(values, dtype="datetime64[D]") - _PG_DAY0).astype(">i4")
    if wire == "timestamptz":  # aware UTC datetimes (_to_datetime)
        naive = np.array([v.replace(tzinfo=None) for v in values], dtype="datetime64[us]")
        return (naive - _PG_MICROSECOND0).astype(">i8")
    arr = np.asarray(values)
    kind = _COPY_FIXED[wire]
    if kind in (">i2", ">i4") and arr.size:
        info = np.iinfo(kind)
        if arr.min() < info.min or arr.max() > info.max:
            raise StoreError(f"a value of {arr.min()}…{arr.max()} does not fit a {wire} column")
    return arr.astype(kind)


def _copy_variable(wire: Any, values: list, m: int) -> tuple[list, list]:
    """Values (None for NULL) → each row's field header (4-byte length, -1 for NULL, plus any
    fixed prefix) and payload, as two lists of bytes."""
    if isinstance(wire, tuple):  # ("ewkb", srid, WKB type): shapely geometries → EWKB
        _, srid, code = wire
        values = shapely.to_wkb(values, byte_order=1, output_dimension=2).tolist()
        head = np.empty(
            m, dtype=[("len", ">i4"), ("order", "u1"), ("type", "<u4"), ("srid", "<i4")]
        )
        head["len"] = np.fromiter(map(len, values), np.int64, m) + 4
        head["order"], head["type"], head["srid"] = 1, code | 0x20000000, srid
        # Slices of bytes, not memoryviews: these are not tracked by the garbage collector.
        return head.view(f"V{head.itemsize}").tolist(), [w[5:] for w in values]
    missing = [i for i, v in enumerate(values) if v is None] if None in values else []
    if wire == "text":
        if missing:
            values = ["" if v is None else v for v in values]
        # One encode for the whole block; NUL cannot occur in PostgreSQL text.
        payloads = "\0".join(values).encode("utf-8").split(b"\0")
        if len(payloads) != m:
            payloads = [v.encode("utf-8") for v in values]
    elif wire == "bytea":
        payloads = [b"" if v is None else v for v in values] if missing else values
    else:  # a fixed-width field with NULLs
        present = [v for v in values if v is not None]
        fixed = _copy_fixed(wire, present) if present else np.empty(0, _COPY_FIXED[wire])
        cells = fixed.view(f"V{fixed.dtype.itemsize}").tolist()
        if missing:
            payloads = [b""] * m
            for i, cell in zip((i for i, v in enumerate(values) if v is not None), cells):
                payloads[i] = cell
        else:
            payloads = cells
    lengths = np.fromiter(map(len, payloads), np.int64, m)
    if missing:
        lengths[missing] = -1
        for i in missing:
            payloads[i] = b""
    return lengths.astype(">i4").view("V4").tolist(), payloads


def _binary_copy(columns: list[tuple[Any, list, bool]], n: int) -> Iterator[bytes]:
    """A PostgreSQL binary COPY stream, in blocks, built from whole columns rather than row by
    row: ``columns`` are (field type, values, packed) in COPY order, the packed ones (fixed
    width, no NULL) first — those become one numpy record per row; each other field is a
    length header and a payload, interleaved with one ``bytes.join``. ~3x faster than
    ``Copy.write_row``."""
    yield _COPY_SIGNATURE
    for start in range(0, n, _COPY_CHUNK):
        m = min(n - start, _COPY_CHUNK)
        fields: list[tuple[str, str]] = [("n", ">i2")]
        packed, variable = [], []
        for i, (wire, values, is_packed) in enumerate(columns):
            block = values[start : start + m]
            if is_packed:
                arr = _copy_fixed(wire, block)
                fields += [(f"l{i}", ">i4"), (f"v{i}", arr.dtype.str)]
                packed.append((i, arr))
            else:
                variable.append(_copy_variable(wire, block, m))
        rows = np.empty(m, dtype=fields)
        rows["n"] = len(columns)
        for i, arr in packed:
            rows[f"l{i}"] = arr.dtype.itemsize
            rows[f"v{i}"] = arr
        if not variable:
            yield rows.tobytes()
            continue
        k = 1 + 2 * len(variable)
        parts: list[bytes] = [b""] * (m * k)
        parts[0::k] = rows.view(f"V{rows.itemsize}").tolist()
        for j, (heads, payloads) in enumerate(variable):
            parts[1 + 2 * j :: k] = heads
            parts[2 + 2 * j :: k] = payloads
        yield b"".join(parts)
    yield _COPY_TRAILER


def _base_type(type_name: str) -> str:
    """``character varying(64)`` → ``character varying``; ``geometry(Polygon,4545)`` → ``geometry``."""
    return type_name.split("(", 1)[0].strip().lower()


def _layer_geometries(kind: str, gtype: str, geometry: Any) -> np.ndarray:
    """The geometries of a bulk insert, checked against the layer's type, 2D, as an array."""
    geoms = np.asarray(geometry, dtype=object)
    if geoms.ndim != 1:
        raise StoreError(f"{kind}: geometry must be a one-dimensional array")
    try:
        type_ids = shapely.get_type_id(geoms)
    except TypeError as exc:
        raise StoreError(f"{kind}: geometries must be shapely geometries ({exc})") from exc
    expected = _GEOMETRY_TYPE_IDS[gtype]
    if expected in _PROMOTE:
        single = np.flatnonzero(type_ids == expected - 3)
        if len(single):
            geoms = geoms.copy()
            geoms[single] = _PROMOTE[expected](geoms[single], indices=np.arange(len(single)))
            type_ids = shapely.get_type_id(geoms)
    missing = (type_ids < 0) | shapely.is_empty(geoms)
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        raise StoreError(f"{kind}: row {i + 1} has no geometry (missing or empty)")
    wrong = type_ids != expected
    if wrong.any():
        i = int(np.flatnonzero(wrong)[0])
        raise StoreError(f"{kind} needs {gtype} geometries; row {i + 1} is a {geoms[i].geom_type}")
    if shapely.has_z(geoms).any():
        geoms = shapely.force_2d(geoms)
    return geoms


def _column_values(
    values: Sequence[Any] | np.ndarray, type_name: str, backend: str, kind: str, name: str
) -> list:
    """One column as plain Python values of the column's type, None for missing values.

    Numeric numpy arrays convert in bulk; other sequences are checked by type once and
    converted value by value only when some value is not already of the right type.
    """
    vkind = _VALUE_KINDS.get(_base_type(type_name), "other")
    if (
        isinstance(values, np.ndarray)
        and values.dtype.kind in "biuf"
        and vkind
        in (
            "int",
            "float",
            "bool",
            "other",
        )
    ):
        arr = values
        missing = np.isnan(arr) if arr.dtype.kind == "f" else np.zeros(len(arr), dtype=bool)
        if vkind == "int" and arr.dtype.kind == "f":
            known = arr[~missing]
            if not np.array_equal(known, np.trunc(known)):
                i = int(np.flatnonzero(~missing & (arr != np.trunc(arr)))[0])
                raise StoreError(f"{kind}.{name}: row {i + 1} is {arr[i]!r}, not a whole number")
            out = np.where(missing, 0, arr).astype(np.int64).tolist()
        elif vkind == "float":
            out = arr.astype(np.float64).tolist()
        elif vkind == "bool":
            out = arr.astype(bool).tolist()
        else:
            out = arr.tolist()
        if missing.any():
            for i in np.flatnonzero(missing).tolist():
                out[i] = None
        return out
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        unit = "datetime64[D]" if vkind == "date" else "datetime64[us]"
        values = values.astype(unit).astype(object)  # NaT → None
    out = values.tolist() if hasattr(values, "tolist") else list(values)
    types = set(map(type, out))
    plain = _PLAIN.get(vkind, set())
    if plain and types <= plain:
        if float in types:
            out = [None if v != v else v for v in out]  # NaN
        if vkind == "date" and backend == "spatialite":
            out = [None if v is None else v.isoformat() for v in out]
        return out
    convert = _CONVERT[vkind]
    result: list[Any] = []
    for i, v in enumerate(out):
        if v is None or (isinstance(v, float) and v != v):
            result.append(None)
            continue
        if type(v).__name__ in ("NAType", "NaTType"):
            result.append(None)
            continue
        if isinstance(v, np.generic):
            v = v.astype("datetime64[us]").item() if isinstance(v, np.datetime64) else v.item()
            if v is None or (isinstance(v, float) and v != v):
                result.append(None)
                continue
        try:
            result.append(convert(v, backend))
        except (TypeError, ValueError, OverflowError) as exc:
            raise StoreError(
                f"{kind}.{name}: row {i + 1} is {v!r}, not {_VALUE_NOUNS[vkind]}"
            ) from exc
    return result


def _to_int(v: Any, _backend: str) -> int:
    if isinstance(v, float) and not v.is_integer():
        raise ValueError("not a whole number")
    return int(v)


def _to_date(v: Any, backend: str) -> Any:
    if hasattr(v, "to_pydatetime"):
        v = v.to_pydatetime()
    if isinstance(v, dt.datetime):
        v = v.date()
    elif isinstance(v, str):
        v = dt.date.fromisoformat(v.strip()[:10])
    elif not isinstance(v, dt.date):
        raise TypeError(type(v).__name__)
    return v.isoformat() if backend == "spatialite" else v


def _to_datetime(v: Any, backend: str) -> Any:
    """Timestamps are stored in UTC; a naive one is taken as UTC already."""
    if hasattr(v, "to_pydatetime"):
        v = v.to_pydatetime()
    if isinstance(v, str):
        v = dt.datetime.fromisoformat(v.strip().replace("Z", "+00:00"))
    elif not isinstance(v, dt.datetime):
        if isinstance(v, dt.date):
            v = dt.datetime(v.year, v.month, v.day)
        else:
            raise TypeError(type(v).__name__)
    v = v.replace(tzinfo=dt.UTC) if v.tzinfo is None else v.astimezone(dt.UTC)
    # SQLite keeps text; one rendering per instant keeps comparisons and unique indexes right.
    return v.isoformat(" ") if backend == "spatialite" else v


def _to_bytes(v: Any, _backend: str) -> bytes:
    if isinstance(v, bytes | bytearray | memoryview):
        return bytes(v)
    raise TypeError(type(v).__name__)


def _to_bool(v: Any, _backend: str) -> bool:
    if isinstance(v, str):
        if v.strip().lower() in ("1", "true", "t", "yes", "y"):
            return True
        if v.strip().lower() in ("0", "false", "f", "no", "n"):
            return False
        raise ValueError("not a truth value")
    return bool(v)


def _to_other(v: Any, _backend: str) -> Any:
    if hasattr(v, "to_pydatetime"):
        return v.to_pydatetime()
    return v


_CONVERT = {
    "int": _to_int,
    "float": lambda v, _b: float(v),
    "bool": _to_bool,
    "str": lambda v, _b: v if isinstance(v, str) else str(v),
    "json": lambda v, _b: _dumps(v),
    "date": _to_date,
    "datetime": _to_datetime,
    "bytes": _to_bytes,
    "other": _to_other,
}


@contextmanager
def _savepoint(conn: Connection, kind: str) -> Iterator[None]:
    """A savepoint around one write: on failure the transaction is as before it, and usable."""
    nested = conn.begin_nested()
    try:
        yield
    except StoreError:
        nested.rollback()
        raise
    except Exception as exc:
        nested.rollback()
        raise StoreError(f"cannot write {kind}: {_first_line(exc)}") from exc
    nested.commit()


# SQLite's R*Tree keeps 32-bit float boxes rounded outwards, exactly like this (rtree.c
# rtreeValueDown / rtreeValueUp), so a packed tree holds the boxes an INSERT would have written.
_RTREE_TOWARDS, _RTREE_AWAY = 1.0 - 1.0 / 8388608.0, 1.0 + 1.0 / 8388608.0
_RTREE_CELL = np.dtype(
    [("id", ">i8"), ("xmin", ">f4"), ("xmax", ">f4"), ("ymin", ">f4"), ("ymax", ">f4")]
)


def _rtree_round(d: np.ndarray, down: bool) -> np.ndarray:
    f = d.astype(np.float32)
    bad = f > d if down else f < d
    if bad.any():
        db = d[bad]
        toward_zero = (db >= 0) if down else (db < 0)
        f[bad] = (db * np.where(toward_zero, _RTREE_TOWARDS, _RTREE_AWAY)).astype(np.float32)
    return f


def _fill_rtree(raw: Any, index: str, ids: np.ndarray, bounds: np.ndarray, empty: bool) -> None:
    """Put the boxes of new rows into a SpatiaLite R*Tree (``idx_<table>_geom``).

    Into an empty tree the boxes are packed (sort-tile-recursive) straight into the R*Tree's
    node tables — ~10x faster than inserting them one by one, and a tighter tree; otherwise
    they are inserted in spatial order. Either way the tree holds what SpatiaLite's triggers
    would have written (``rtreecheck`` passes).
    """
    lo_x, lo_y = _rtree_round(bounds[:, 0], True), _rtree_round(bounds[:, 1], True)
    hi_x, hi_y = _rtree_round(bounds[:, 2], False), _rtree_round(bounds[:, 3], False)
    boxes = np.column_stack([lo_x, hi_x, lo_y, hi_y])
    if empty:
        raw.execute("SAVEPOINT zw_rtree")
        try:
            _pack_rtree(raw, index, ids, boxes)
        except Exception:
            # e.g. SQLITE_DBCONFIG_DEFENSIVE makes the node tables read-only: insert instead.
            raw.execute("ROLLBACK TO zw_rtree")
        else:
            raw.execute("RELEASE zw_rtree")
            return
        raw.execute("RELEASE zw_rtree")
    order, _ = _str_groups(boxes, 64) if len(ids) > 64 else (np.arange(len(ids)), None)
    raw.executemany(
        f'INSERT INTO "{index}" (pkid, xmin, xmax, ymin, ymax) VALUES (?, ?, ?, ?, ?)',
        zip(ids[order].tolist(), *(boxes[order, i].astype(np.float64).tolist() for i in range(4))),
    )


def _str_groups(boxes: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray]:
    """Sort-tile-recursive grouping: an order of the boxes and the start of each group of
    at most ``cap`` (the last start is the number of boxes); groups are balanced in size."""
    m = len(boxes)
    cx = boxes[:, 0].astype(np.float64) + boxes[:, 1]
    cy = boxes[:, 2].astype(np.float64) + boxes[:, 3]
    nodes = -(-m // cap)
    slabs = int(np.ceil(np.sqrt(nodes)))
    per_slab = -(-nodes // slabs) * cap
    by_x = np.argsort(cx, kind="stable")
    order = by_x[np.lexsort((cy[by_x], np.arange(m) // per_slab))]
    starts: list[int] = []
    for s0 in range(0, m, per_slab):
        size = min(per_slab, m - s0)
        k = -(-size // cap)
        starts.extend((s0 + (np.arange(k) * size) // k).tolist())
    starts.append(m)
    return order, np.asarray(starts, dtype=np.int64)


def _rtree_nodes(keys: np.ndarray, boxes: np.ndarray, starts: np.ndarray, size: int) -> list:
    cells = np.empty(len(keys), _RTREE_CELL)
    cells["id"] = keys
    for i, name in enumerate(("xmin", "xmax", "ymin", "ymax")):
        cells[name] = boxes[:, i]
    data = cells.tobytes()
    width = _RTREE_CELL.itemsize
    blobs = []
    for a, b in zip(starts[:-1].tolist(), starts[1:].tolist()):
        body = data[a * width : b * width]
        blobs.append(struct.pack(">HH", 0, b - a) + body + bytes(size - 4 - len(body)))
    return blobs


def _pack_rtree(raw: Any, index: str, ids: np.ndarray, boxes: np.ndarray) -> None:
    """Write an STR-packed R*Tree into the empty ``index`` through its shadow tables.

    SQLite's documented R*Tree format: ``<index>_node`` holds node blobs (2-byte depth in the
    root, 2-byte cell count, then cells of an 8-byte id and four big-endian float32), node 1 is
    the root, ``_parent`` maps nodes to parents and ``_rowid`` ids to leaves.
    """
    size = raw.execute(f'SELECT length(data) FROM "{index}_node" WHERE nodeno = 1').fetchone()[0]
    cap = (size - 4) // _RTREE_CELL.itemsize
    keys = ids
    nodes: list[tuple[int, bytes]] = []
    parents: list[tuple[np.ndarray, np.ndarray]] = []
    leaves: tuple[np.ndarray, np.ndarray] | None = None
    next_no, depth = 2, 0
    while len(keys) > cap:
        order, starts = _str_groups(boxes, cap)
        keys, boxes = keys[order], boxes[order]
        numbers = np.arange(next_no, next_no + len(starts) - 1, dtype=np.int64)
        next_no += len(numbers)
        owner = np.repeat(numbers, np.diff(starts))
        if depth == 0:
            leaves = (keys, owner)
        else:
            parents.append((keys, owner))
        nodes.extend(zip(numbers.tolist(), _rtree_nodes(keys, boxes, starts, size)))
        first = starts[:-1]
        boxes = np.column_stack(
            [
                np.minimum.reduceat(boxes[:, 0], first),
                np.maximum.reduceat(boxes[:, 1], first),
                np.minimum.reduceat(boxes[:, 2], first),
                np.maximum.reduceat(boxes[:, 3], first),
            ]
        )
        keys = numbers
        depth += 1
    root = _rtree_nodes(keys, boxes, np.array([0, len(keys)]), size)[0]
    root = struct.pack(">H", depth) + root[2:]
    at_root = (keys, np.ones(len(keys), dtype=np.int64))
    if depth == 0:
        leaves = at_root
    else:
        parents.append(at_root)
    raw.execute(f'DELETE FROM "{index}_parent"')
    raw.execute(f'DELETE FROM "{index}_node" WHERE nodeno <> 1')
    raw.execute(f'UPDATE "{index}_node" SET data = ? WHERE nodeno = 1', (root,))
    raw.executemany(f'INSERT INTO "{index}_node" (nodeno, data) VALUES (?, ?)', nodes)
    for child, parent in parents:
        raw.executemany(
            f'INSERT INTO "{index}_parent" (nodeno, parentnode) VALUES (?, ?)',
            zip(child.tolist(), parent.tolist()),
        )
    assert leaves is not None
    by_id = np.argsort(leaves[0], kind="stable")  # appends to the B-tree: ~2x faster
    raw.executemany(
        f'INSERT INTO "{index}_rowid" (rowid, nodeno) VALUES (?, ?)',
        zip(leaves[0][by_id].tolist(), leaves[1][by_id].tolist()),
    )


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def _on_sqlite_connect(dbapi_conn, _record) -> None:
    dbapi_conn.enable_load_extension(True)
    try:
        dbapi_conn.load_extension(SPATIALITE_LIBRARY)
    except Exception as exc:
        raise StoreError(
            f"cannot load SpatiaLite ({SPATIALITE_LIBRARY}): {exc}. "
            "Install libsqlite3-mod-spatialite (installer/test.sh does)."
        ) from exc
    finally:
        dbapi_conn.enable_load_extension(False)
    # WAL lets the render threads read while a writer (ingest, edits) commits.
    dbapi_conn.execute("PRAGMA journal_mode=WAL")
    dbapi_conn.execute("PRAGMA synchronous=NORMAL")
    dbapi_conn.execute("PRAGMA foreign_keys=ON")
    dbapi_conn.execute("PRAGMA cache_size=-65536")
    # pysqlite's own transaction handling would defer BEGIN past DDL; SQLAlchemy's "begin" event
    # below issues BEGIN itself, as the SQLAlchemy docs recommend.
    dbapi_conn.isolation_level = None


def _on_sqlite_begin(conn: Connection) -> None:
    # A write transaction that began as a reader cannot take the write lock once another
    # writer has committed after its snapshot (SQLITE_BUSY_SNAPSHOT, no waiting): writers
    # (Store.begin) take it up front and wait their turn on the busy timeout.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("zw_write") else "BEGIN")


def _ensure_spatial_metadata(conn: Connection, srid: int) -> None:
    has = conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'spatial_ref_sys'")).first()
    if not has:
        # 0: inside our transaction. 'NONE' skips loading ~5,000 CRS definitions; we insert only the working CRS.
        conn.execute(text("SELECT InitSpatialMetadata(0, 'NONE')"))
    known = conn.execute(text("SELECT 1 FROM spatial_ref_sys WHERE srid = :s"), {"s": srid}).first()
    if not known and not conn.execute(text("SELECT InsertEpsgSrid(:s)"), {"s": srid}).scalar():
        raise StoreError(f"SpatiaLite does not know EPSG:{srid}")


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _reason(exc: BaseException) -> str:
    """The first line of a driver's message, without SQLAlchemy's ``(module.Class)`` prefix."""
    line = _first_line(exc)
    if line.startswith("(") and ") " in line:
        line = line.split(") ", 1)[1]
    return line.strip() or type(exc).__name__


def _check_store_file(path: Path) -> None:
    """A clear refusal for a missing file or one that is not SQLite, before SQLite touches it."""
    if not path.exists():
        raise StoreError(
            f"no store at {path}; create one with `zhiwang init --store {path}` "
            f"or `zhiwang demo --store {path}`"
        )
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a store file")
    # No plain open()/close() of the file here: closing any descriptor of a SQLite file drops every
    # POSIX lock this process holds on it, which would silently break a store already open in the
    # same process. SQLite's own probe below tracks its locks per inode and is safe.
    # Look before the engine's connections set WAL mode, which would rewrite another file.
    try:
        probe = sqlite3.connect(path, timeout=30)
        try:
            found = probe.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'store_meta'"
            ).fetchone()
        finally:
            probe.close()
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise StoreError(
                f"{path} is not a Zhiwang store (not a SQLite/SpatiaLite file)"
            ) from exc
        raise StoreError(f"cannot open store {path}: {exc}") from exc
    if found is None:
        raise StoreError(
            f"{path} is not a Zhiwang store (no working CRS recorded); "
            "create one with `zhiwang init --store …`"
        )


# ------------------------------------------------------------------------------ access control
def _url_scope(engine: Engine) -> frozenset[int] | None:
    """The grid cells a store URL limits its session to (None: no limit); gis_core.security."""
    if "zhiwang" not in str(engine.url):
        return None
    from gis_core.security.scope import url_session

    return url_session(engine.url)[1]


def _session_engine(cls: Any, engine: Engine, url: Any) -> Engine:
    """PostGIS without a user: the tables' owner gets a maintenance session over every cell;
    any other role sees no cell-scoped row (gis_core.security.scope)."""
    if engine.dialect.name != "postgresql":
        return engine
    from gis_core.security.scope import maintenance_url

    try:
        owner_url = maintenance_url(engine)
    except Exception as exc:
        engine.dispose()
        raise StoreError(f"cannot open store {_redact(url)}: {_reason(exc)}") from exc
    if owner_url is None:
        return engine
    engine.dispose()
    return cls._engine(owner_url)


def _shown_url(url: Any) -> str:
    """A store URL for people: no password, no session settings (they are not a place)."""
    query = {k: v for k, v in url.query.items() if not k.startswith("zhiwang_")}
    options = str(query.get("options", ""))
    if "zhiwang." in options:
        from gis_core.security.scope import strip_session_options

        options = strip_session_options(options)
        query = {k: v for k, v in query.items() if k != "options"} | (
            {"options": options} if options else {}
        )
    return url.set(query=query).render_as_string(hide_password=True)


def _masked(store: Store, kind: str, attrs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    from gis_core.security.personal import mask_columns

    return mask_columns(store, kind, attrs)


def _copy_target(cur: Any, table: str, cols_sql: str) -> str:
    """``table``, or a temporary staging table with its columns when row-level security applies
    to this session (PostgreSQL refuses COPY FROM into such a table)."""
    cur.execute("SELECT row_security_active(%s::regclass)", (table,))
    if not cur.fetchone()[0]:
        return table
    stage = f"zw_stage_{table}"
    cur.execute(f"DROP TABLE IF EXISTS pg_temp.{stage}")
    cur.execute(
        f"CREATE TEMP TABLE {stage} ON COMMIT DROP AS SELECT {cols_sql} FROM {table} WITH NO DATA"
    )
    return stage


def _redact(url: str | os.PathLike | None) -> str:
    if url is None:
        return str(default_store_path())
    try:
        shown = make_url(normalise_url(url)).render_as_string(hide_password=True)
    except Exception:
        return "the store"
    return shown.replace("postgresql+psycopg://", "postgresql://", 1)
