"""A small community with three grid cells and people in each, on both backends, with accounts.

``world`` is built once per module and backend: the PostGIS half is owned by the test role
(``zhiwang``) and read by the application role (``zhiwang_app``), as a deployment would.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field

import numpy as np
import pytest
import shapely
from shapely.geometry import MultiPolygon, box

from tests.conftest import CI, _pg_admin_url

X0, Y0, CELL = 563_000.0, 3_800_000.0, 300.0
APP_ROLE = os.environ.get("ZHIWANG_APP_ROLE", "zhiwang_app")
APP_PASSWORD = os.environ.get("ZHIWANG_TEST_APP_PASSWORD", "zhiwang_app")

# People of the test community: their ID numbers and phones must never show up in clear in the
# database, an export or a log.
PEOPLE = [
    # cell, name, ID number, phone
    (1, "张三丰", "610402199001011234", "13812345678"),
    (1, "李四", "61040219850202345X", "13987654321"),
    (2, "王五", "610402197003034567", "15011112222"),
    (2, "赵六", "610402200104045678", "18633334444"),
    (3, "孙七", "610402196505056789", "17755556666"),
    (None, "周八", "610402199912127890", "13600007777"),  # no cell yet
]
PASSWORDS = {
    "admin": "admin-pass-1",
    "worker1": "worker-pass-1",
    "worker2": "worker-pass-2",
    "planner": "planner-pass-1",
    "operator": "operator-pass-1",
    "viewer": "viewer-pass-1",
}


@dataclass
class World:
    backend: str
    owner_url: str  # the tables' owner (maintenance sessions)
    app_url: str  # what a workstation connects with
    buildings: dict = field(default_factory=dict)  # cell (or None) → building ids
    residents: dict = field(default_factory=dict)  # cell (or None) → resident ids
    events: dict = field(default_factory=dict)  # cell (or None) → event ids
    extent: tuple = (X0, Y0, X0 + 3 * CELL, Y0 + CELL)


def cell_box(c: int):
    return box(X0 + (c - 1) * CELL, Y0, X0 + c * CELL, Y0 + CELL)


def build(store) -> dict:
    """Three cells side by side; two buildings, people and an event in each; one of each
    without a cell."""
    from gis_core.security.accounts import create_user

    store.bulk_insert(
        "communities",
        {"id": [1], "code": ["610402-001"], "name": ["测试社区"]},
        np.array([MultiPolygon([box(X0, Y0, X0 + 3 * CELL, Y0 + CELL)])], dtype=object),
    )
    store.bulk_insert(
        "grid_cells",
        {
            "id": [1, 2, 3],
            "community_id": [1, 1, 1],
            "code": ["610402-001-01", "610402-001-02", "610402-001-03"],
            "name": ["第1网格", "第2网格", "第3网格"],
        },
        np.array([cell_box(c) for c in (1, 2, 3)], dtype=object),
    )
    b_cells = [1, 1, 2, 2, 3, 3, None]
    b_geoms = []
    for k, c in enumerate(b_cells):
        cx = X0 + ((c or 2) - 1) * CELL + (60 if k % 2 == 0 else 200)
        cy = Y0 + (150 if c else 280)
        b_geoms.append(box(cx, cy - 10, cx + 20, cy + 10))
    store.bulk_insert(
        "buildings",
        {
            "id": list(range(1, 8)),
            "grid_cell_id": b_cells,
            "address": [f"测试路{k}号楼" for k in range(1, 8)],
            "floors": [3] * 7,
        },
        np.array(b_geoms, dtype=object),
    )
    first_building = {1: 1, 2: 3, 3: 5, None: 7}
    store.bulk_insert(
        "residents",
        {
            "id": list(range(1, len(PEOPLE) + 1)),
            "grid_cell_id": [p[0] for p in PEOPLE],
            "building_id": [first_building[p[0]] for p in PEOPLE],
            "name": [p[1] for p in PEOPLE],
            "id_number": [p[2] for p in PEOPLE],
            "phone": [p[3] for p in PEOPLE],
            "gender": ["男", "男", "男", "女", "男", "女"],
        },
    )
    e_cells = [1, 2, 3, None]
    store.bulk_insert(
        "events",
        {
            "id": [1, 2, 3, 4],
            "grid_cell_id": e_cells,
            "category": ["垃圾"] * 4,
            "source": ["patrol"] * 4,
            "status": ["reported"] * 4,
            "title": [f"事件{c}" for c in e_cells],
            "reported_at": ["2026-01-01T08:00:00Z"] * 4,
        },
        shapely.points([(X0 + ((c or 2) - 0.5) * CELL, Y0 + 100) for c in e_cells]),
    )
    create_user(store, "admin", PASSWORDS["admin"], "administrator", None)
    admin = _login(store, "admin")
    create_user(store, "worker1", PASSWORDS["worker1"], "grid_worker", {1}, by=admin)
    create_user(store, "worker2", PASSWORDS["worker2"], "grid_worker", {2, 3}, by=admin)
    create_user(store, "planner", PASSWORDS["planner"], "planner", None, by=admin)
    create_user(store, "operator", PASSWORDS["operator"], "operator", None, by=admin)
    create_user(store, "viewer", PASSWORDS["viewer"], "viewer", {2}, by=admin)
    by_cell = {c: [i + 1 for i, p in enumerate(PEOPLE) if p[0] == c] for c in (1, 2, 3, None)}
    return {
        "buildings": {
            c: [i + 1 for i, bc in enumerate(b_cells) if bc == c] for c in (1, 2, 3, None)
        },
        "residents": by_cell,
        "events": {c: [i + 1 for i, ec in enumerate(e_cells) if ec == c] for c in (1, 2, 3, None)},
    }


def _login(store, name):
    from gis_core.security.accounts import authenticate

    return authenticate(store, name, PASSWORDS[name])


def app_url_for(owner_url: str) -> str:
    from sqlalchemy.engine import make_url

    from gis_core.store import normalise_url

    url = make_url(normalise_url(owner_url)).set(username=APP_ROLE, password=APP_PASSWORD)
    return url.render_as_string(hide_password=False)


def require_app_role(url: str) -> None:
    import psycopg

    try:
        with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), connect_timeout=5):
            pass
    except Exception as exc:
        message = (
            f"the application role {APP_ROLE} cannot connect ({exc}); installer/test.sh creates it"
        )
        if CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="module")
def key_file(tmp_path_factory):
    """One personal-data key for the module (its stores outlive each test's home directory)."""
    path = tmp_path_factory.mktemp("key") / "zhiwang.key"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ZHIWANG_KEY_FILE", str(path))
        yield path


@pytest.fixture(scope="module", params=["spatialite", "postgis"])
def world(request, tmp_path_factory, key_file):
    import psycopg

    from gis_core.store import Store

    if request.param == "spatialite":
        url = str(tmp_path_factory.mktemp("world") / "world.sqlite")
        with Store.init(url) as store:
            ids = build(store)
        yield World("spatialite", url, url, **ids)
        return
    server = request.getfixturevalue("postgis_server")
    name = f"zw_sec_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = _pg_admin_url(name)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        with Store.init(url) as store:
            ids = build(store)
        app = app_url_for(url)
        require_app_role(app)
        yield World("postgis", url, app, **ids)
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def session(world):
    """``session("worker1")``: that user's store session (closed after the test)."""
    from gis_core.security.accounts import open_session

    opened = []

    def open_(name: str):
        s = open_session(world.app_url, name, PASSWORDS[name])
        opened.append(s)
        return s

    yield open_
    for s in opened:
        s.close()
