"""The store as its users meet it: init and open, bulk writes, viewport and cell queries, on both
backends (SpatiaLite file and PostGIS database) through the ``store``/``store_url`` fixtures."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

import numpy as np
import pytest
import shapely

import gis_core.store as store_module
from gis_core import schema
from gis_core.crs import CRSError
from gis_core.store import Store, StoreError

X0, Y0 = 560_000.0, 3_800_000.0  # central Xianyang in EPSG:4545


# ------------------------------------------------------------------------------------ helpers
def _boxes(rng: np.random.Generator, n: int, spread: float = 3000.0) -> np.ndarray:
    x = X0 + rng.uniform(0, spread, n)
    y = Y0 + rng.uniform(0, spread, n)
    return shapely.box(x, y, x + rng.uniform(4, 60, n), y + rng.uniform(4, 60, n))


def _community_and_cells(store: Store, cells: int = 4) -> None:
    """One community of ``cells`` grid cells side by side, ids 1…cells."""
    store.bulk_insert(
        "communities",
        {"id": [1], "code": ["610402-001"], "name": ["文汇社区"]},
        [shapely.box(X0, Y0, X0 + 1000 * cells, Y0 + 1000)],  # a Polygon: promoted to Multi
    )
    x = X0 + 1000.0 * np.arange(cells)
    store.bulk_insert(
        "grid_cells",
        {
            "id": np.arange(1, cells + 1),
            "community_id": np.ones(cells, dtype=int),
            "code": [f"610402-001-{i:02d}" for i in range(1, cells + 1)],
            "name": [f"第{i}网格" for i in range(1, cells + 1)],
        },
        shapely.box(x, Y0, x + 1000, Y0 + 1000),
    )


def _buildings(store: Store, geoms: np.ndarray, start: int = 1, **extra) -> np.ndarray:
    ids = np.arange(start, start + len(geoms))
    columns = {
        "id": ids,
        "floors": (ids % 30) + 1,
        "use": np.where(ids % 2, "residential", "mixed"),
    }
    store.bulk_insert("buildings", {**columns, **extra}, geoms)
    return ids


def _snapshot(store: Store) -> dict:
    kinds = ("communities", "grid_cells", "buildings", "residents", "facilities")
    return {
        "counts": {k: store.count(k) for k in kinds},
        "extents": {k: store.extent(k) for k in kinds},
        "ids": sorted(store.query_all("buildings").ids.tolist()),
    }


def _spatialite_indexes_intact(store: Store, table: str = "buildings") -> None:
    """SpatiaLite keeps its R*Tree by triggers: they must all be there, and the tree sound."""
    if store.backend != "spatialite":
        return
    with store.engine.connect() as conn:
        raw = conn.connection.driver_connection
        triggers = {
            r[0]
            for r in raw.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)
            )
        }
        check = raw.execute(f"SELECT rtreecheck('idx_{table}_geom')").fetchone()[0]
        tree = raw.execute(f"SELECT count(*) FROM idx_{table}_geom").fetchone()[0]
        rows = raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    assert {f"ggi_{table}_geom", f"tmi_{table}_geom", f"gii_{table}_geom"} <= triggers
    assert check == "ok"
    assert tree == rows


# ------------------------------------------------------------------------------------ init
@pytest.mark.parametrize("crs", ["EPSG:4545", "EPSG:4547"])
def test_init_with_a_working_crs_keeps_geometries_in_it(store_url, crs):
    with Store.init(store_url, crs=crs) as store:
        assert store.srid == int(crs.split(":")[1])
        geoms = _boxes(np.random.default_rng(1), 20)
        _buildings(store, geoms)
        with store.engine.connect() as conn:
            raw = conn.connection.driver_connection
            sql = (
                "SELECT Find_SRID('public', 'buildings', 'geom')"
                if store.backend == "postgis"
                else "SELECT srid FROM geometry_columns WHERE f_table_name = 'buildings'"
            )
            srid = raw.execute(sql).fetchone()[0]
        assert srid == store.srid
    with Store.open(store_url) as store:  # the CRS is the store's, not the caller's
        assert store.srid == int(crs.split(":")[1])
        got = store.query_bbox("buildings", shapely.total_bounds(geoms))
        assert len(got) == 20 and shapely.equals(got.geometry[np.argsort(got.ids)], geoms).all()


@pytest.mark.parametrize(
    "crs, words",
    [
        ("EPSG:4326", "not a projected CRS.*in metres.*EPSG:4534"),  # WGS 84, degrees
        ("EPSG:4490", "not a projected CRS.*in metres.*EPSG:4534"),  # CGCS2000 geographic
        ("EPSG:2249", "measures in US survey foot.*must use metres"),  # Massachusetts, feet
    ],
)
@pytest.mark.parametrize("where", ["spatialite", "postgis"])
def test_init_refuses_a_crs_that_is_not_projected_in_metres(tmp_path, crs, words, where):
    # Refused before anything is created: no file, and no server contacted (port 9 is closed).
    url = (
        str(tmp_path / "s.sqlite")
        if where == "spatialite"
        else "postgresql://zhiwang:zhiwang@127.0.0.1:9/none"
    )
    with pytest.raises(CRSError, match=words):
        Store.init(url, crs=crs)
    assert not (tmp_path / "s.sqlite").exists()


def test_reinit_in_another_crs_is_refused_and_the_same_crs_keeps_the_data(store_url):
    with Store.init(store_url, crs="EPSG:4545") as store:
        _buildings(store, _boxes(np.random.default_rng(2), 5))
    with pytest.raises(StoreError, match=r"already a store in EPSG:4545.*EPSG:4547"):
        Store.init(store_url, crs="EPSG:4547")
    with Store.init(store_url, crs="EPSG:4545") as store:
        assert store.count("buildings") == 5


# ------------------------------------------------------------------------------------ open
def test_open_from_a_path_a_sqlite_url_and_the_default_location(tmp_path, monkeypatch):
    path = tmp_path / "城区" / "store.sqlite"  # non-ASCII folder, created on init
    Store.init(str(path)).close()
    for url in (str(path), path, f"sqlite:///{path}"):
        with Store.open(url) as store:
            assert store.backend == "spatialite" and store.srid == 4545

    home = tmp_path / "home"
    monkeypatch.setenv("ZHIWANG_HOME", str(home))
    with Store.init() as store:
        _buildings(store, _boxes(np.random.default_rng(3), 3))
    assert (home / "zhiwang.sqlite").is_file()
    with Store.open() as store:
        assert store.count("buildings") == 3


def test_open_from_a_postgresql_url(fresh_postgis_url):
    Store.init(fresh_postgis_url).close()
    for url in (fresh_postgis_url, fresh_postgis_url.replace("postgresql://", "postgres://", 1)):
        with Store.open(url) as store:
            assert store.backend == "postgis" and store.srid == 4545


def _assert_clear(message: str, *secrets: str) -> None:
    assert "Traceback" not in message and 'File "' not in message
    assert "\n" not in message
    assert "(psycopg" not in message and "(sqlite3" not in message
    for secret in secrets:
        assert secret not in message


def test_open_refuses_a_missing_file_a_folder_and_files_that_are_not_stores(tmp_path):
    with pytest.raises(StoreError, match="no store at .*zhiwang init") as err:
        Store.open(tmp_path / "missing.sqlite")
    _assert_clear(str(err.value))
    assert not (tmp_path / "missing.sqlite").exists()

    with pytest.raises(StoreError, match="is a folder"):
        Store.open(tmp_path)

    text_file = tmp_path / "notes.sqlite"
    text_file.write_text("网格员名单\n" * 100, encoding="utf-8")
    with pytest.raises(StoreError, match="not a Zhiwang store") as err:
        Store.open(text_file)
    _assert_clear(str(err.value))

    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    before = other.read_bytes()
    with pytest.raises(StoreError, match="not a Zhiwang store") as err:
        Store.open(other)
    _assert_clear(str(err.value))
    assert other.read_bytes() == before  # looked at, not converted


def test_open_refuses_a_database_that_is_not_a_store(fresh_postgis_url):
    with pytest.raises(StoreError, match="not a Zhiwang store") as err:
        Store.open(fresh_postgis_url)
    _assert_clear(str(err.value))


class PasswordRefusingServer:
    """A stand-in PostgreSQL server on a free local port that asks for a password and refuses
    it the way PostgreSQL does (ErrorResponse 28P01) — the test server trusts local logins."""

    def __init__(self):
        import socket
        import threading

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.passwords: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        import struct

        def read(conn, n):
            data = b""
            while len(data) < n:
                chunk = conn.recv(n - len(data))
                if not chunk:
                    raise ConnectionError
                data += chunk
            return data

        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                try:
                    while True:  # SSL and GSS encryption requests are declined
                        size = struct.unpack("!i", read(conn, 4))[0]
                        body = read(conn, size - 4)
                        if struct.unpack("!i", body[:4])[0] in (80877103, 80877104):
                            conn.sendall(b"N")
                            continue
                        break
                    conn.sendall(b"R" + struct.pack("!ii", 8, 3))  # cleartext password, please
                    _kind, size = read(conn, 1), struct.unpack("!i", read(conn, 4))[0]
                    self.passwords.append(read(conn, size - 4).rstrip(b"\0"))
                    fields = b"".join(
                        code + text.encode() + b"\0"
                        for code, text in (
                            (b"S", "FATAL"),
                            (b"V", "FATAL"),
                            (b"C", "28P01"),
                            (b"M", 'password authentication failed for user "zhiwang"'),
                        )
                    )
                    conn.sendall(b"E" + struct.pack("!i", len(fields) + 5) + fields + b"\0")
                except (ConnectionError, OSError, struct.error):
                    pass

    def close(self) -> None:
        self.sock.close()


def test_unreachable_postgis_gives_a_clear_error_without_the_password(postgis_server):
    secret = "Geheim-9f3kq"
    refusing = PasswordRefusingServer()
    base = postgis_server.rsplit("/", 1)[0]
    cases = [
        (f"postgresql://zhiwang:{secret}@127.0.0.1:9/zhiwang_test", "Connection refused"),
        (
            f"postgresql://zhiwang:{secret}@127.0.0.1:{refusing.port}/zhiwang_test",
            'password authentication failed for user "zhiwang"',
        ),
        (f"{base}/zw_no_such_db", 'database "zw_no_such_db" does not exist'),
    ]
    try:
        for url, words in cases:
            with pytest.raises(StoreError) as err:
                Store.open(url)
            message = str(err.value)
            assert message.startswith("cannot open store postgresql://zhiwang:***@127.0.0.1:")
            assert words in message
            _assert_clear(message, secret)
    finally:
        refusing.close()
    assert secret.encode() in refusing.passwords  # the password was really offered, then refused


# ------------------------------------------------------------------------------------ writing
def _every_kind(store: Store) -> dict[str, int]:
    """One write of every kind, every column filled, the way an importer hands them over."""
    _community_and_cells(store, cells=2)
    rng = np.random.default_rng(4)
    b = _boxes(rng, 6, spread=900)
    store.bulk_insert(
        "streets",
        {
            "community_id": [1, 1],
            "name": ["人民路", "渭阳路"],
            "kind": ["arterial", "lane"],
            "width_m": [24.0, np.nan],
        },
        shapely.linestrings([[(X0, Y0), (X0 + 2000, Y0)], [(X0, Y0 + 500), (X0 + 900, Y0 + 500)]]),
    )
    store.bulk_insert(
        "buildings",
        {
            "id": np.arange(1, 7),
            "grid_cell_id": [1, 1, 1, 2, 2, None],
            "source_id": [f"B{i}" for i in range(6)],
            "name": ["文汇苑", None, "", "a", "b", "c"],
            "address": ["咸阳市秦都区人民路1号"] * 6,
            "floors": np.array([3, 6, np.nan, 1, 2, 33]),
            "units": np.arange(6, dtype=np.int32),
            "use": ["residential"] * 6,
        },
        b,
    )
    store.bulk_insert(
        "residents",
        {
            "grid_cell_id": [1, 1, 2],
            "building_id": [1, 1, 4],
            "household_code": ["H1", "H1", "H2"],
            "name": ["张三", "李四", "王五"],
            "id_number": ["610402199001011234", None, "x"],
            "phone": ["13800000000", None, None],
            "gender": ["男", "女", "男"],
            "birth_date": [dt.date(1950, 1, 2), np.datetime64("1990-06-30"), None],
            "tags": [["elderly_alone"], [], None],
        },
    )
    points = shapely.points(X0 + rng.uniform(0, 900, 3), Y0 + rng.uniform(0, 900, 3))
    store.bulk_insert(
        "enterprises",
        {
            "grid_cell_id": [1, 1, 2],
            "building_id": [1, 2, 4],
            "name": ["甲", "乙", "丙"],
            "credit_code": ["91610402MA6XXXXXX1", None, None],
            "address": [None] * 3,
            "industry": ["零售"] * 3,
            "employees": [3, 12, None],
        },
        points,
    )
    store.bulk_insert(
        "facilities",
        {
            "grid_cell_id": [1, 2],
            "kind": ["clinic", "school"],
            "name": ["卫生站", "小学"],
            "address": [None, "x"],
            "capacity": [120.5, 900],
            "beds": [4, None],
        },
        points[:2],
    )
    store.bulk_insert(
        "cameras",
        {
            "grid_cell_id": [1],
            "code": ["C-1"],
            "name": ["东门"],
            "purpose": ["security"],
            "heading_deg": [90],
            "fov_deg": [60.0],
            "range_m": [35.5],
            "stream_url": ["rtsp://x/1"],
        },
        points[:1],
    )
    store.bulk_insert(
        "sensors",
        {
            "grid_cell_id": [1, 2],
            "building_id": [1, None],
            "code": ["S-1", "S-2"],
            "kind": ["smoke", "water_level"],
            "name": ["烟感", None],
            "unit": [None, "m"],
            "period_s": [60.0, 30.0],
            "warn_threshold": [None, 1.5],
            "alarm_threshold": [0.5, 2.0],
        },
        points[:2],
    )
    utc8 = dt.timezone(dt.timedelta(hours=8))
    store.bulk_insert(
        "readings",
        {
            "sensor_id": [1, 1, 2],
            "grid_cell_id": [1, 1, 2],
            "ts": [
                dt.datetime(2026, 11, 22, 8, 0, tzinfo=utc8),
                dt.datetime(2026, 11, 22, 0, 1),
                np.datetime64("2026-11-22T00:02"),
            ],
            "kind": ["smoke", "smoke", "water_level"],
            "value": [0.0, 0.1, 1.2],
            "unit": [None, None, "m"],
            "quality": ["good"] * 3,
        },
    )
    store.bulk_insert(
        "events",
        {
            "grid_cell_id": [2],
            "category": ["垃圾满溢"],
            "source": ["patrol"],
            "status": ["reported"],
            "title": ["垃圾桶满"],
            "description": ["东门垃圾桶满溢"],
            "reported_at": ["2026-11-22T09:30:00+08:00"],
            "version": [1],
        },
        points[2:],
    )
    return {
        "communities": 1,
        "grid_cells": 2,
        "streets": 2,
        "buildings": 6,
        "residents": 3,
        "enterprises": 3,
        "facilities": 2,
        "cameras": 1,
        "sensors": 2,
        "readings": 3,
        "events": 1,
    }


def test_bulk_insert_of_every_kind_round_trips(store):
    expected = _every_kind(store)
    for kind, n in expected.items():
        assert store.count(kind) == n, kind
        assert len(store.query_all(kind)) == n, kind
    assert set(expected) | {"alarms"} == set(schema.KINDS)

    b = store.query_all("buildings", ["floors", "units", "name", "grid_cell_id"])
    order = np.argsort(b.ids)
    assert list(b.columns["floors"][order]) == [3, 6, None, 1, 2, 33]  # NaN → NULL
    assert list(b.columns["name"][order][:3]) == ["文汇苑", None, ""]
    assert list(b.columns["grid_cell_id"][order]) == [1, 1, 1, 2, 2, None]

    r = store.query_all("residents", ["birth_date", "tags", "name"])
    order = np.argsort(r.ids)
    births = np.array(list(r.columns["birth_date"][order]), dtype="datetime64[D]")
    assert births[:2].tolist() == [dt.date(1950, 1, 2), dt.date(1990, 6, 30)]
    assert np.isnat(births[2])
    tags = [t if not isinstance(t, str) else __import__("json").loads(t) for t in r.columns["tags"]]
    assert [tags[i] for i in order] == [["elderly_alone"], [], None]

    # Every instant is kept in UTC: 08:00+08:00 is 00:00Z; a naive time is taken as UTC.
    readings = store.query_all("readings", ["ts"])
    ts = sorted(
        (v if isinstance(v, dt.datetime) else dt.datetime.fromisoformat(v)).astimezone(dt.UTC)
        for v in readings.columns["ts"]
    )
    assert [t.minute for t in ts] == [0, 1, 2] and {t.hour for t in ts} == {0}
    event = store.query_all("events", ["reported_at"]).columns["reported_at"][0]
    event = event if isinstance(event, dt.datetime) else dt.datetime.fromisoformat(event)
    assert event.astimezone(dt.UTC) == dt.datetime(2026, 11, 22, 1, 30, tzinfo=dt.UTC)

    communities = store.query_all("communities")
    assert communities.geometry[0].geom_type == "MultiPolygon"  # a Polygon was promoted


def test_attribute_columns_come_back_typed(store):
    _community_and_cells(store, cells=2)
    geoms = _boxes(np.random.default_rng(5), 50, spread=1500)
    _buildings(store, geoms, grid_cell_id=np.arange(50) % 2 + 1)
    store.bulk_insert(
        "facilities",
        {"kind": ["clinic"] * 3, "name": ["a", "b", "c"], "capacity": [1.5, 2, 3.25]},
        shapely.points([X0, X0 + 1, X0 + 2], [Y0, Y0, Y0]),
    )
    frame = store.query_bbox("buildings", shapely.total_bounds(geoms), ["floors", "use"])
    assert frame.ids.dtype == np.int64
    assert frame.columns["floors"].dtype == np.int64
    assert frame.columns["use"].dtype == object and set(frame.columns["use"]) == {
        "residential",
        "mixed",
    }
    assert frame.geometry.dtype == object and set(shapely.get_type_id(frame.geometry)) == {3}
    fac = store.query_all("facilities", ["capacity"])
    assert fac.columns["capacity"].dtype == np.float64
    assert sorted(fac.columns["capacity"]) == [1.5, 2.0, 3.25]
    empty = store.query_bbox("buildings", (0, 0, 1, 1), ["floors", "use"])
    assert len(empty) == 0 and set(empty.columns) == {"floors", "use"}


def test_bulk_insert_refuses_bad_rows_with_the_row_named(store):
    geoms = _boxes(np.random.default_rng(6), 3)
    cases = [
        ({"id": [1, 2, 3]}, np.array([geoms[0], None, geoms[2]]), "row 2 has no geometry"),
        ({"id": [1, 2, 3]}, np.array([geoms[0], geoms[1], shapely.Polygon()]), "row 3 has no"),
        (
            {"id": [1, 2, 3]},
            np.array([geoms[0], shapely.Point(X0, Y0), geoms[2]]),
            "needs POLYGON geometries; row 2 is a Point",
        ),
        ({"id": [1, 2]}, geoms, "differ in length"),
        ({"id": [1, 2, 3], "floors": [1.0, 2.5, 3.0]}, geoms, "floors: row 2 is 2.5"),
        ({"id": [1, 2, 3], "storeys": [1, 2, 3]}, geoms, "no column"),
        ({"id": [1, 1, 2]}, geoms, "cannot write buildings"),  # duplicate id
    ]
    for columns, g, words in cases:
        with pytest.raises(StoreError, match=words):
            store.bulk_insert("buildings", columns, g)
    assert store.count("buildings") == 0 and store.extent("buildings") is None
    _spatialite_indexes_intact(store)

    # A 3D geometry is stored flat; a single Polygon goes into a MultiPolygon layer.
    z = shapely.force_3d(geoms, 12.0)
    store.bulk_insert("buildings", {"id": [1, 2, 3]}, z)
    assert not shapely.has_z(store.query_all("buildings").geometry).any()


# ------------------------------------------------------------------------------------ queries
def test_bbox_query_returns_exactly_the_features_whose_box_intersects(store):
    rng = np.random.default_rng(7)
    polys = _boxes(rng, 1500, spread=4000)
    # Rotated triangles: their box meets a viewport more often than their shape does.
    c = shapely.get_coordinates(shapely.centroid(polys[:300]))
    tri = shapely.polygons(np.stack([c, c + [40, 3], c + [3, 40], c], axis=1))
    geoms = np.concatenate([polys, tri])
    _buildings(store, geoms)
    points = shapely.points(X0 + rng.uniform(0, 4000, 500), Y0 + rng.uniform(0, 4000, 500))
    store.bulk_insert("facilities", {"kind": ["park"] * 500, "name": ["p"] * 500}, points)

    b = shapely.bounds(geoms)
    viewports = [np.array([X0 + 1000, Y0 + 1000, X0 + 1500, Y0 + 1400])]
    viewports += [b[i] for i in range(5)]  # exactly one feature's box: it touches on all sides
    # Boxes 1 cm clear of a feature: inside float32 rounding (0.25 m here), so only an exact
    # recheck leaves the feature out.
    viewports += [
        b[i] + [b[i, 2] - b[i, 0] + 0.01, 0, b[i, 2] - b[i, 0] + 0.01, 0] for i in range(5)
    ]
    for _ in range(30):
        x, y = X0 + rng.uniform(-200, 4000), Y0 + rng.uniform(-200, 4000)
        w, h = rng.uniform(1, 1500), rng.uniform(1, 1500)
        viewports.append(np.array([x, y, x + w, y + h]))
    viewports.append(np.array([X0 - 10_000, Y0 - 10_000, X0 + 50_000, Y0 + 50_000]))
    pb = shapely.bounds(points)
    for vp in viewports:
        minx, miny, maxx, maxy = vp
        hit = (b[:, 0] <= maxx) & (b[:, 2] >= minx) & (b[:, 1] <= maxy) & (b[:, 3] >= miny)
        got = store.query_bbox("buildings", vp)
        assert sorted(got.ids.tolist()) == (np.flatnonzero(hit) + 1).tolist()
        order = np.argsort(got.ids)
        assert shapely.equals_exact(got.geometry[order], geoms[hit], tolerance=0).all()
        phit = (pb[:, 0] <= maxx) & (pb[:, 0] >= minx) & (pb[:, 1] <= maxy) & (pb[:, 1] >= miny)
        assert len(store.query_bbox("facilities", vp)) == phit.sum()
    limited = store.query_bbox("buildings", viewports[-1], limit=10)
    assert len(limited) == 10
    with pytest.raises(StoreError, match="min greater than max"):
        store.query_bbox("buildings", (1, 1, 0, 0))
    with pytest.raises(StoreError, match="no geometry"):
        store.query_bbox("residents", (0, 0, 1, 1))


def test_query_cell_returns_the_rows_of_one_cell(store):
    _community_and_cells(store, cells=3)
    geoms = _boxes(np.random.default_rng(8), 30, spread=900)
    cells = np.arange(30) % 3 + 1
    _buildings(store, geoms, grid_cell_id=cells)
    store.bulk_insert(
        "residents",
        {"grid_cell_id": [2, 2, 3], "building_id": [2, 5, 3], "household_code": ["甲", "乙", "丙"]},
    )
    for cell in (1, 2, 3):
        got = store.query_cell("buildings", cell, ["grid_cell_id"])
        assert sorted(got.ids.tolist()) == (np.flatnonzero(cells == cell) + 1).tolist()
        assert set(got.columns["grid_cell_id"]) == {cell}
    residents = store.query_cell("residents", 2, ["household_code"])
    assert sorted(residents.columns["household_code"]) == ["乙", "甲"]
    assert len(residents.geometry) == 0
    assert len(store.query_cell("buildings", 99)) == 0
    with pytest.raises(StoreError, match="do not belong to grid cells"):
        store.query_cell("communities", 1)


def test_extent_is_kept_on_write(store):
    assert store.extent("buildings") is None
    rng = np.random.default_rng(9)
    first = _boxes(rng, 40)
    _buildings(store, first)
    assert store.extent("buildings") == pytest.approx(tuple(shapely.total_bounds(first)))
    far = shapely.box(X0 - 5000, Y0 + 9000, X0 - 4990, Y0 + 9010)
    _buildings(store, np.array([far]), start=100)
    both = shapely.total_bounds(np.append(first, far))
    assert store.extent("buildings") == pytest.approx(tuple(both))
    inside = shapely.transform(_boxes(rng, 5, spread=100), lambda c: c + 1000)
    _buildings(store, inside, start=200)  # inside: the extent stays
    assert store.extent("buildings") == pytest.approx(tuple(both))
    assert store.extent("facilities") is None


def test_two_writers_of_one_layer_both_land_and_the_extent_covers_both(store):
    """Two workstations importing into one layer at once: the second waits, then lands."""
    import threading

    west = shapely.box(X0 - 9000, Y0, X0 - 8990, Y0 + 10)
    east = shapely.box(X0 + 9000, Y0, X0 + 9010, Y0 + 10)
    first_written, errors = threading.Event(), []

    def first():
        try:
            with store.begin() as conn:
                store.bulk_insert("buildings", {"id": [1]}, [west], conn=conn)
                first_written.set()
                threading.Event().wait(0.3)  # still open while the second one writes
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
            first_written.set()

    thread = threading.Thread(target=first)
    thread.start()
    first_written.wait(10)
    with store.begin() as conn:
        store.bulk_insert("buildings", {"id": [2]}, [east], conn=conn)
    thread.join(10)
    assert errors == []
    assert store.count("buildings") == 2
    assert store.extent("buildings") == pytest.approx(
        tuple(shapely.total_bounds(np.array([west, east])))
    )


@pytest.mark.parametrize("big", [False, True], ids=["small", "bulk-path"])
def test_a_failed_bulk_insert_in_a_transaction_leaves_the_store_as_before(store, monkeypatch, big):
    if big:
        # The paths for big loads into empty tables (indexes and foreign keys rebuilt, R*Tree
        # packed), exercised at test size.
        monkeypatch.setattr(store_module, "REBUILD_MIN_ROWS", 10)
    _community_and_cells(store, cells=2)
    rng = np.random.default_rng(10)
    before = _snapshot(store)
    with pytest.raises(StoreError), store.begin() as conn:
        store.bulk_insert("buildings", {"id": np.arange(1, 201)}, _boxes(rng, 200), conn=conn)
        store.bulk_insert("residents", {"grid_cell_id": [1, 2], "building_id": [1, 2]}, conn=conn)
        store.bulk_insert(
            "facilities",
            {"kind": ["clinic"], "name": ["远"]},
            [shapely.Point(X0 + 1e5, Y0)],
            conn=conn,
        )
        # grid cell 7 does not exist: the foreign key refuses the whole batch
        store.bulk_insert(
            "buildings",
            {"id": np.arange(201, 231), "grid_cell_id": np.full(30, 7)},
            _boxes(rng, 30),
            conn=conn,
        )
    assert _snapshot(store) == before
    _spatialite_indexes_intact(store)

    # The store is fully usable afterwards, with every index and constraint in place.
    geoms = _boxes(rng, 50)
    _buildings(store, geoms, grid_cell_id=np.full(50, 1))
    assert len(store.query_bbox("buildings", shapely.total_bounds(geoms))) == 50
    _spatialite_indexes_intact(store)
    with pytest.raises(StoreError, match="cannot write buildings"):
        _buildings(store, _boxes(rng, 20), start=1000, grid_cell_id=np.full(20, 7))
    if store.backend == "postgis":
        with store.engine.connect() as conn:
            raw = conn.connection.driver_connection
            indexes = {
                r[0]
                for r in raw.execute(
                    "SELECT indexname FROM pg_indexes WHERE tablename = 'buildings'"
                )
            }
        assert {"idx_buildings_geom", "ix_buildings_grid_cell_id", "buildings_pkey"} <= indexes


def test_a_failed_write_inside_a_transaction_can_be_recovered_from(store):
    """bulk_insert undoes its own part (a savepoint), so the caller's transaction goes on."""
    _community_and_cells(store, cells=1)
    rng = np.random.default_rng(11)
    with store.begin() as conn:
        store.bulk_insert("buildings", {"id": [1, 2]}, _boxes(rng, 2), conn=conn)
        with pytest.raises(StoreError):
            store.bulk_insert("buildings", {"id": [2, 3]}, _boxes(rng, 2), conn=conn)
        store.bulk_insert("buildings", {"id": [3]}, _boxes(rng, 1), conn=conn)
    assert sorted(store.query_all("buildings").ids.tolist()) == [1, 2, 3]
    _spatialite_indexes_intact(store)


def test_a_bulk_load_into_an_empty_layer_and_later_appends_stay_indexed(store, monkeypatch):
    monkeypatch.setattr(store_module, "REBUILD_MIN_ROWS", 100)
    rng = np.random.default_rng(12)
    first = _boxes(rng, 6000, spread=5000)  # packed R*Tree of three levels on SpatiaLite
    _buildings(store, first)
    _spatialite_indexes_intact(store)
    more = _boxes(rng, 300, spread=5000)  # appended: inserted into the tree
    store.bulk_insert("buildings", {"floors": np.full(300, 2)}, more)  # ids from the store
    _spatialite_indexes_intact(store)
    all_geoms = np.concatenate([first, more])
    b = shapely.bounds(all_geoms)
    vp = (X0 + 2000, Y0 + 2000, X0 + 2600, Y0 + 2500)
    hit = (b[:, 0] <= vp[2]) & (b[:, 2] >= vp[0]) & (b[:, 1] <= vp[3]) & (b[:, 3] >= vp[1])
    got = store.query_bbox("buildings", vp)
    assert len(got) == hit.sum()
    assert set(got.ids.tolist()) >= set((np.flatnonzero(hit[:6000]) + 1).tolist())
    assert sorted(store.query_all("buildings").ids.tolist()) == list(range(1, 6301))
    if store.backend == "spatialite":
        # An ordinary SQL edit still maintains the tree through SpatiaLite's own triggers.
        with store.begin() as conn:
            conn.exec_driver_sql(
                f"UPDATE buildings SET geom = BuildMbr({X0 - 900}, {Y0}, {X0 - 800}, {Y0 + 50}, "
                "4545) WHERE id = 1"
            )
        moved = store.query_bbox("buildings", (X0 - 1000, Y0 - 10, X0 - 700, Y0 + 100))
        assert moved.ids.tolist() == [1]
        _spatialite_indexes_intact(store)


def test_viewport_queries_use_the_spatial_index(store):
    _buildings(store, _boxes(np.random.default_rng(13), 12_000, spread=20_000))
    plan = store.explain_bbox("buildings", (X0 + 100, Y0 + 100, X0 + 600, Y0 + 500))
    if store.backend == "postgis":
        assert "idx_buildings_geom" in plan and "Seq Scan" not in plan
    else:
        assert "idx_buildings_geom" in plan and "VIRTUAL TABLE INDEX" in plan
        assert "SCAN t" not in plan.replace("SCAN t USING", "")


# ------------------------------------------------------------------------------------ tracing
class DriverTrace:
    """Every statement the drivers send once started, seen by the drivers themselves (raw
    cursors included): SQLite's trace callback, and libpq's protocol trace for psycopg."""

    def __init__(self, monkeypatch, path: Path):
        self.monkeypatch, self.path = monkeypatch, path
        self.sqlite: list[str] = []
        self.pg_connections: list = []
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)

    def start(self) -> None:
        import psycopg
        from psycopg import pq

        real_sqlite, real_pg = sqlite3.connect, psycopg.connect

        def sqlite_connect(*args, **kwargs):
            conn = real_sqlite(*args, **kwargs)
            conn.set_trace_callback(self.sqlite.append)
            return conn

        def pg_connect(*args, **kwargs):
            conn = real_pg(*args, **kwargs)
            conn.pgconn.trace(os.dup(self.fd))
            conn.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS)
            self.pg_connections.append(conn)
            return conn

        self.monkeypatch.setattr(sqlite3, "connect", sqlite_connect)
        self.monkeypatch.setattr(sqlite3.dbapi2, "connect", sqlite_connect)  # SQLAlchemy's
        self.monkeypatch.setattr(psycopg, "connect", pg_connect)

    def statements(self) -> list[str]:
        for conn in self.pg_connections:
            if not conn.closed:
                conn.pgconn.untrace()  # flushes libpq's buffer
        sent = [
            line.split("\t", 3)[3]
            for line in self.path.read_text(errors="replace").splitlines()
            if line.startswith("F\t") and line.split("\t")[2] in ("Query", "Parse")
        ]
        return self.sqlite + sent


@pytest.fixture
def driver_trace(monkeypatch, tmp_path):
    trace = DriverTrace(monkeypatch, tmp_path / "libpq.trace")
    yield trace
    # Drivers unpatched before the fd goes: a later connection could get its number and have
    # libpq write the trace into its own socket.
    monkeypatch.undo()
    for conn in trace.pg_connections:
        if not conn.closed:
            conn.pgconn.untrace()
    os.close(trace.fd)


def test_opening_a_layer_issues_no_full_table_count_or_extent(store_url, driver_trace):
    with Store.init(store_url) as store:
        _buildings(store, _boxes(np.random.default_rng(14), 3000, spread=6000))
    driver_trace.start()
    with Store.open(store_url) as store:
        ext = store.extent("buildings")
        got = store.query_bbox("buildings", (ext[0], ext[1], ext[0] + 800, ext[1] + 800), ["use"])
        assert len(got) > 0
        sent = driver_trace.statements()
    assert any("idx_buildings_geom" in s or "&&" in s for s in sent), sent  # it did observe
    assert any("layer_extents" in s for s in sent), sent
    for statement in sent:
        low = statement.lower()
        assert "count(" not in low, statement
        assert "extent(" not in low, statement  # ST_Extent / Extent
        assert "alembic_version (" not in low and "create " not in low, statement


# ------------------------------------------------------------------------------------ readers
def test_a_query_survives_a_lost_server_connection(fresh_postgis_url):
    store = Store.init(fresh_postgis_url)
    geoms = _boxes(np.random.default_rng(15), 100)
    _buildings(store, geoms)
    bbox = shapely.total_bounds(geoms)
    assert len(store.query_bbox("buildings", bbox)) == 100
    with store.engine.connect() as conn:  # as a server restart or an idle timeout would
        killed = conn.exec_driver_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).all()
    assert any(ok for (ok,) in killed)  # the reader's session was among them
    assert len(store.query_bbox("buildings", bbox)) == 100
    store.close()


def test_queries_from_several_threads(store):
    from concurrent.futures import ThreadPoolExecutor

    geoms = _boxes(np.random.default_rng(16), 2000, spread=3000)
    _buildings(store, geoms)
    b = shapely.bounds(geoms)
    rng = np.random.default_rng(17)
    viewports = [
        (x, y, x + 500, y + 500)
        for x, y in zip(X0 + rng.uniform(0, 2500, 40), Y0 + rng.uniform(0, 2500, 40))
    ]

    def expected(vp):
        return int(
            (
                (b[:, 0] <= vp[2]) & (b[:, 2] >= vp[0]) & (b[:, 1] <= vp[3]) & (b[:, 3] >= vp[1])
            ).sum()
        )

    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda vp: len(store.query_bbox("buildings", vp)), viewports))
    assert got == [expected(vp) for vp in viewports]


def test_a_missing_file_is_not_created_by_open(tmp_path):
    path = tmp_path / "sub" / "x.sqlite"
    with pytest.raises(StoreError):
        Store.open(path)
    assert not path.parent.exists()
