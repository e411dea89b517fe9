"""A demo store per test, on each backend, copied from one built per session (fast)."""

from __future__ import annotations

import shutil
import uuid

import pytest

from tests.conftest import _pg_admin_url

DEMO_BUILDINGS = 1000  # four cells around one street crossing, 23,000 residents


def _build(url: str) -> None:
    from gis_core import demo
    from gis_core.store import Store

    store = Store.init(url)
    demo.build_demo(store, DEMO_BUILDINGS, seed=7)
    store.close()


@pytest.fixture(scope="session")
def _spatialite_template(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("edit-template") / "demo.sqlite")
    _build(path)
    return path


@pytest.fixture(scope="session")
def _postgis_template(postgis_server):
    import psycopg

    name = f"zw_tpl_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgis_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = _pg_admin_url(name)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    _build(url)
    yield name
    with psycopg.connect(postgis_server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["spatialite", "postgis"])
def demo_url(request, tmp_path):
    """A store URL holding the 1,000-building demo, private to the test."""
    if request.param == "spatialite":
        path = tmp_path / "store.sqlite"
        shutil.copy(request.getfixturevalue("_spatialite_template"), path)
        yield str(path)
        return
    import psycopg

    template = request.getfixturevalue("_postgis_template")
    server = request.getfixturevalue("postgis_server")
    name = f"zw_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    yield _pg_admin_url(name)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
