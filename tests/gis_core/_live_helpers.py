"""Shared by the live-data tests: a small community with one sensor of each kind, and a store
per test module and backend that each test gets back empty (creating a PostGIS database and
migrating it costs a second or two; emptying a few tables costs milliseconds).

A module (or conftest) declares the two fixtures with :func:`open_live_backend` and
:func:`fresh_live_store` (tests/sensor_adapters/conftest.py does).
"""

from __future__ import annotations

import datetime as dt
import uuid

import numpy as np
import shapely

COMMUNITY = "610402-001"

# code, kind, unit, period_s, warn, alarm
SENSORS = [
    ("SMK-0001", "smoke", "%/m", 60.0, 2.0, 4.0),
    ("SMK-0002", "smoke", "%/m", 60.0, 2.0, 4.0),
    ("BIN-0001", "bin_fill", "%", 300.0, 75.0, 90.0),
    ("DOR-0001", "door", None, 60.0, 1.0, 2.0),
    ("WTR-0001", "water_level", "m", 60.0, 1.5, 2.5),
    ("AIR-0001", "air_quality", "AQI", 300.0, 150.0, 200.0),
    ("GAS-0001", "gas", "%LEL", 30.0, 10.0, 25.0),
    ("MHL-0001", "manhole", "deg", 600.0, 5.0, 15.0),
]
UNIT = {code: unit for code, _k, unit, *_ in SENSORS}
KIND = {code: kind for code, kind, *_ in SENSORS}

X0, Y0 = 36_500_000.0, 3_800_000.0


BACKENDS = ["spatialite", "postgis"]


def open_live_backend(request, tmp_path_factory):
    """Yields (url, store): one initialised store per test module and backend (a generator for a
    module-scoped fixture parametrised over :data:`BACKENDS`)."""
    from gis_core.store import Store

    if request.param == "spatialite":
        url = str(tmp_path_factory.mktemp("live") / "store.sqlite")
        drop = None
    else:
        import psycopg

        server = request.getfixturevalue("postgis_server")
        name = f"zw_live_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        url = f"{server.rsplit('/', 1)[0]}/{name}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")

        def drop() -> None:
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    store = Store.init(url)
    yield url, store
    store.close()
    if drop is not None:
        drop()


def fresh_live_store(backend):
    """The module's store, emptied, with the community, cell and sensors above."""
    _url, store = backend
    wipe(store)
    add_live_fixtures(store)
    return store


def wipe(store) -> None:
    """Delete every row the schema knows of (children first), keeping store_meta."""
    from sqlalchemy import inspect, text

    from gis_core import schema

    with store.begin() as conn:
        present = set(inspect(conn).get_table_names())
        for table in reversed(schema.Base.metadata.sorted_tables):
            if table.name in present and table.name != "store_meta":
                conn.execute(text(f"DELETE FROM {table.name}"))


def add_live_fixtures(store, cameras: list[dict] | None = None) -> None:
    """A community, one grid cell and the sensors above (and cameras if given)."""
    square = shapely.box(X0, Y0, X0 + 500, Y0 + 500)
    with store.begin() as conn:
        store.bulk_insert(
            "communities",
            {"id": [1], "code": [COMMUNITY], "name": ["文汇社区"]},
            [shapely.MultiPolygon([square])],
            conn=conn,
        )
        store.bulk_insert(
            "grid_cells",
            {"id": [1], "community_id": [1], "code": [f"{COMMUNITY}-01"], "name": ["第一网格"]},
            [square],
            conn=conn,
        )
        n = len(SENSORS)
        store.bulk_insert(
            "sensors",
            {
                "id": np.arange(1, n + 1),
                "grid_cell_id": [1] * n,
                "code": [s[0] for s in SENSORS],
                "kind": [s[1] for s in SENSORS],
                "unit": [s[2] for s in SENSORS],
                "period_s": [s[3] for s in SENSORS],
                "warn_threshold": [s[4] for s in SENSORS],
                "alarm_threshold": [s[5] for s in SENSORS],
            },
            shapely.points(np.column_stack([X0 + 10 + 50 * np.arange(n), np.full(n, Y0 + 100)])),
            conn=conn,
        )
        if cameras:
            add_cameras(store, cameras, conn)


def add_cameras(store, cameras: list[dict], conn=None) -> None:
    """Cameras in grid cell 1: dicts with code and optionally purpose, heading_deg, stream_url."""
    store.bulk_insert(
        "cameras",
        {
            "id": np.arange(1, len(cameras) + 1),
            "grid_cell_id": [1] * len(cameras),
            "code": [c["code"] for c in cameras],
            "purpose": [c.get("purpose", "security") for c in cameras],
            "heading_deg": [c.get("heading_deg", 90.0) for c in cameras],
            "fov_deg": [c.get("fov_deg", 60.0) for c in cameras],
            "range_m": [c.get("range_m", 50.0) for c in cameras],
            "stream_url": [c.get("stream_url") for c in cameras],
        },
        shapely.points([[X0 + 20 * i, Y0 + 300] for i in range(len(cameras))]),
        conn=conn,
    )


def payload(code: str, value: float, ts: dt.datetime | float, **extra) -> bytes:
    from gis_core.payload import encode_payload

    return encode_payload(KIND[code], value, UNIT[code], ts, **extra)


def topic(code: str, community: str = COMMUNITY) -> str:
    from gis_core.payload import sensor_topic

    return sensor_topic(community, code)
