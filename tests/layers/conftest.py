"""Fixtures for the renderer tests: one small demo city per backend, shared by a test module."""

from __future__ import annotations

import uuid

import pytest


@pytest.fixture(scope="module", params=["spatialite", "postgis"])
def map_store(request, tmp_path_factory):
    """(store, url): an initialised store holding the demo city (~800 buildings, no residents).

    Module-scoped so the pixel tests of one backend share one demo build."""
    from gis_core.demo import build_demo
    from gis_core.store import Store

    drop = None
    if request.param == "spatialite":
        url = str(tmp_path_factory.mktemp("map") / "map.sqlite")
    else:
        import psycopg

        server = request.getfixturevalue("postgis_server")
        name = f"zw_map_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        url = server.rsplit("/", 1)[0] + "/" + name

        def drop() -> None:
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    store = Store.init(url)
    try:
        build_demo(store, buildings=800, seed=11, residents=False)
        yield store, url
    finally:
        store.close()
        if drop is not None:
            drop()
