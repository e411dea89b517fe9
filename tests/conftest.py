"""Shared fixtures. Database tests run on both backends through the ``store_url`` fixture.

PostGIS comes from ZHIWANG_TEST_PG (installer/test.sh sets it). With CI=true an unreachable
PostGIS fails the run instead of skipping the PostGIS half of the suite.
"""

from __future__ import annotations

import os
import uuid

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PG_URL = os.environ.get(
    "ZHIWANG_TEST_PG", "postgresql://zhiwang:zhiwang@127.0.0.1:5432/zhiwang_test"
)


def _pg_admin_url(dbname: str) -> str:
    base, _ = PG_URL.rsplit("/", 1)
    return f"{base}/{dbname}"


def _service_missing(what: str, exc: BaseException) -> None:
    message = f"{what} unreachable: {exc}"
    if CI:
        pytest.fail(message + " (CI=true: a missing service is a failure)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgis_server() -> str:
    """The base URL of a reachable PostGIS server (connectable as a role that may CREATE DATABASE)."""
    import psycopg

    try:
        with psycopg.connect(PG_URL.replace("postgresql+psycopg", "postgresql"), connect_timeout=5):
            pass
    except Exception as exc:
        _service_missing("PostGIS", exc)
    return PG_URL


@pytest.fixture
def fresh_postgis_url(postgis_server: str):
    """A new, empty database with PostGIS, dropped after the test."""
    import psycopg

    name = f"zw_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(postgis_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = _pg_admin_url(name)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    yield url
    with psycopg.connect(postgis_server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["spatialite", "postgis"])
def store_url(request, tmp_path):
    """An empty store location on each backend: a SpatiaLite file path or a PostGIS database."""
    if request.param == "spatialite":
        yield str(tmp_path / "store.sqlite")
    else:
        yield request.getfixturevalue("fresh_postgis_url")


@pytest.fixture
def store(store_url):
    """An initialised, empty store on each backend (working CRS EPSG:4545)."""
    from gis_core.store import Store

    s = Store.init(store_url)
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Keep the embedded default store and settings out of the real user's data directory."""
    monkeypatch.setenv("ZHIWANG_HOME", str(tmp_path / "zhiwang-home"))
    monkeypatch.setenv("ZHIWANG_KEY_STORE", "file")  # personal-data keys: never the OS keyring
