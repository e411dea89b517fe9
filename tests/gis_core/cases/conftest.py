"""Fixtures of the case tests: a community of six 100 m grid cells, each with a grid worker."""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from pathlib import Path

import pytest
import shapely

from gis_core.cases import Actor, Catalogue

X0, Y0 = 500_000.0, 3_800_000.0  # EPSG:4545, near 108°E 34.3°N
STEP = 100.0
WORKERS = ["wang.wei", "li.na", "zhang.min", "liu.yang", "chen.jie", "zhao.lei"]
SHANGHAI = dt.timezone(dt.timedelta(hours=8))

OPERATOR = Actor("zhou.op", "operator")
SUPERVISOR = Actor("sun.sup", "grid_supervisor")


def local(*args) -> dt.datetime:
    """A local (Asia/Shanghai) time: local(2026, 11, 2, 9, 30)."""
    return dt.datetime(*args, tzinfo=SHANGHAI)


def cell_centre(cell_id: int) -> tuple[float, float]:
    i = cell_id - 1
    return X0 + (i % 3) * STEP + STEP / 2, Y0 + (i // 3) * STEP + STEP / 2


def add_cells(store) -> None:
    cells = [
        shapely.box(X0 + i * STEP, Y0 + j * STEP, X0 + (i + 1) * STEP, Y0 + (j + 1) * STEP)
        for j in range(2)
        for i in range(3)
    ]
    with store.begin() as conn:
        store.bulk_insert(
            "communities",
            {"id": [1], "code": ["610402-001"], "name": ["文汇社区"]},
            [shapely.MultiPolygon([shapely.box(X0, Y0, X0 + 3 * STEP, Y0 + 2 * STEP)])],
            conn=conn,
        )
        store.bulk_insert(
            "grid_cells",
            {
                "id": list(range(1, 7)),
                "community_id": [1] * 6,
                "code": [f"610402-001-0{i}" for i in range(1, 7)],
                "name": [f"第{i}网格" for i in range(1, 7)],
                "worker_name": WORKERS,
            },
            cells,
            conn=conn,
        )


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Path:
    """One migrated SpatiaLite store with the cells, copied for each test (a copy takes
    milliseconds, a migration half a second)."""
    from gis_core.store import Store

    path = tmp_path_factory.mktemp("cases-template") / "template.sqlite"
    with Store.init(path) as s:
        add_cells(s)
        with s.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture(scope="session")
def _postgis_template(postgis_server) -> str:
    """One migrated PostGIS database with the cells; each test gets a copy (CREATE DATABASE …
    TEMPLATE), much faster than migrating a new one."""
    import psycopg

    from gis_core.store import Store

    from ...conftest import _pg_admin_url

    name = f"zw_cases_tmpl_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgis_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = _pg_admin_url(name)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    with Store.init(url) as s:
        add_cells(s)
    yield name
    with psycopg.connect(postgis_server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["spatialite", "postgis"])
def cases_store(request, tmp_path):
    """A store with six grid cells and no cases, on each backend."""
    from gis_core.store import Store

    if request.param == "spatialite":
        path = tmp_path / "cases.sqlite"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        s = Store.open(path)
        yield s
        s.close()
        return
    import psycopg

    from ...conftest import PG_URL, _pg_admin_url

    template = request.getfixturevalue("_postgis_template")
    name = f"zw_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    s = Store.open(_pg_admin_url(name))
    yield s
    s.close()
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def sqlite_cases_store(tmp_path, _sqlite_template):
    from gis_core.store import Store

    path = tmp_path / "cases.sqlite"
    shutil.copyfile(_sqlite_template, path)
    s = Store.open(path)
    yield s
    s.close()


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return Catalogue.default()


def worker(cell_id: int) -> Actor:
    return Actor(WORKERS[cell_id - 1], "grid_worker")
