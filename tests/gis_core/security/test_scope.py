"""A user sees and changes only the rows of their grid cells — on PostGIS by row-level security
(connecting as the application role), on SpatiaLite in the store layer."""

from __future__ import annotations

import psycopg
import pytest
import shapely
from sqlalchemy import text

from gis_core.security.rls import POLICY, apply_row_security, row_security_report
from gis_core.store import Store, StoreError
from tests.gis_core.security.conftest import CELL, X0, Y0

# Tests of PostGIS itself take the PostGIS half of the module's world.
POSTGIS_ONLY = pytest.mark.parametrize("world", ["postgis"], indirect=True)


def _ids(frame) -> set[int]:
    return set(frame.ids.tolist())


def test_a_grid_worker_reads_only_their_cells(world, session):
    worker = session("worker1")
    mine = set(world.buildings[1])
    assert worker.user.username == "worker1" and worker.scope == frozenset({1})
    assert _ids(worker.query_all("buildings")) == mine
    assert _ids(worker.query_bbox("buildings", world.extent)) == mine
    assert len(worker.query_cell("buildings", 2)) == 0
    assert _ids(worker.features("buildings", world.buildings[2] + world.buildings[None])) == set()
    assert worker.count("buildings") == len(mine)
    assert worker.count("residents") == len(world.residents[1])
    assert _ids(worker.page("residents", ["name"])) == set(world.residents[1])
    assert worker.count_where("residents", [("gender", "=", "男")]) == 2
    assert {h.id for h in worker.search("测试路", ["buildings"])} == mine
    assert int(worker.density("buildings", world.extent, (4, 12)).sum()) == len(mine)
    assert _ids(worker.query_all("events")) == set(world.events[1])
    # Cells themselves (the map's frame) are not cell data: all three outlines are shown.
    assert len(worker.query_all("grid_cells")) == 3


def test_rows_without_a_cell_belong_to_all_cells_users(world, session):
    admin, worker2 = session("admin"), session("worker2")
    assert set(world.buildings[None]) <= _ids(admin.query_all("buildings"))
    assert _ids(admin.query_all("buildings")) == {
        b for ids in world.buildings.values() for b in ids
    }
    assert _ids(worker2.query_all("buildings")) == set(world.buildings[2] + world.buildings[3])
    assert admin.count("residents") == 6 and worker2.count("residents") == 3


def test_a_worker_process_reopening_the_session_url_keeps_its_scope(world, session):
    """The desktop's render workers reopen a store from its URL (password included)."""
    worker = session("worker1")
    url = worker.engine.url.render_as_string(hide_password=False)
    with Store.open(url) as again:
        assert _ids(again.query_bbox("buildings", world.extent)) == set(world.buildings[1])
    assert "cells" not in worker.url and "worker1" not in worker.url  # users see the store


def _event(cell: int, id_: int):
    return (
        {
            "id": [id_],
            "grid_cell_id": [cell],
            "category": ["噪音"],
            "source": ["resident"],
            "status": ["reported"],
            "title": [f"新事件{cell}"],
            "reported_at": ["2026-02-01T09:00:00Z"],
        },
        [shapely.Point(X0 + ((cell or 2) - 0.5) * CELL, Y0 + 50)],
    )


def test_writes_outside_the_users_cells_are_refused(world, session):
    worker = session("worker1")
    with pytest.raises(StoreError) as err:
        worker.bulk_insert("events", *_event(2, 900))
    assert "row-level security" in str(err.value) or "outside your grid cells" in str(err.value)
    with pytest.raises(StoreError):
        worker.bulk_insert("events", *_event(None, 901))  # no cell: all-cells users only
    moving = text("UPDATE events SET grid_cell_id = 2 WHERE id = 1")  # mine, to another cell
    with pytest.raises(Exception, match="row-level security|outside your grid cells"):  # noqa: SIM117
        with worker.begin() as conn:
            conn.execute(moving)

    # Changing or deleting another cell's rows: refused (SpatiaLite) or not even seen (PostGIS).
    for sql in (
        "UPDATE events SET title = 'hijacked' WHERE id = 2",
        "DELETE FROM events WHERE id = 2",
    ):
        try:
            with worker.begin() as conn:
                conn.execute(text(sql))
        except Exception as exc:
            assert "outside your grid cells" in str(exc)
    with Store.open(world.owner_url) as owner:
        row = owner.features("events", [2], ["title", "grid_cell_id"])
        assert row.columns["title"].tolist() == ["事件2"]
        assert row.columns["grid_cell_id"].tolist() == [2]
        assert owner.features("events", [1], ["grid_cell_id"]).columns["grid_cell_id"][0] == 1

    # In their own cell a grid worker's write lands.
    worker.bulk_insert("events", *_event(1, 902))
    assert 902 in _ids(worker.query_cell("events", 1))
    with worker.begin() as conn:
        conn.execute(text("DELETE FROM events WHERE id = 902"))


def test_the_importer_is_refused_rows_outside_the_users_cells(world, session, tmp_path):
    from gis_core.importer import ImportFailed, import_file

    worker = session("worker1")
    path = tmp_path / "events.csv"
    x, y = X0 + 1.5 * CELL, Y0 + 50  # in cell 2
    path.write_text(
        f"category,source,status,title,reported_at,x,y\n噪音,resident,reported,越界,2026-02-01,{x},{y}\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed, match="row-level security|outside your grid cells"):
        import_file(worker, path, "events", src_crs="EPSG:4545")
    assert worker.count("events") == len(world.events[1])


# ----------------------------------------------------------------------------- PostGIS itself
def _pg(url: str):
    return psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True)


@POSTGIS_ONLY
def test_every_table_with_a_grid_cell_has_forced_row_security_and_a_policy(world):
    with _pg(world.owner_url) as conn:
        tables = {
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.columns WHERE column_name = "
                "'grid_cell_id' AND table_schema = current_schema()"
            )
        }
        rows = conn.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
            "(SELECT count(*) FROM pg_policies p WHERE p.tablename = c.relname "
            f" AND p.policyname = '{POLICY}' AND p.cmd = 'ALL') "
            "FROM pg_class c WHERE c.relname = ANY(%s)",
            (list(tables),),
        ).fetchall()
    assert {"buildings", "residents", "events", "readings", "alarms"} <= tables
    assert {r[0] for r in rows} == tables
    assert [r for r in rows if not (r[1] and r[2] and r[3] == 1)] == []


@POSTGIS_ONLY
def test_the_application_role_owns_nothing_bypasses_nothing_and_sees_nothing_unasked(world):
    with _pg(world.app_url) as conn:
        role = conn.execute(
            "SELECT rolsuper, rolbypassrls, "
            "pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE relname = 'residents'),"
            " 'MEMBER') FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        assert role == (False, False, False)
        # A connection without a user context: no cell-scoped row at all.
        for table in ("buildings", "residents", "events"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM grid_cells").fetchone()[0] == 3
        for sql in (
            "UPDATE store_meta SET value = 'x'",
            "DELETE FROM audit_log",
            "UPDATE audit_log SET username = 'x'",
            "ALTER TABLE residents DISABLE ROW LEVEL SECURITY",
        ):
            with pytest.raises(psycopg.Error):
                conn.execute(sql)
    # Through the store: the same without logging in.
    with Store.open(world.app_url) as anonymous:
        assert len(anonymous.query_bbox("buildings", world.extent)) == 0
        assert anonymous.count("residents") == 0
        assert len(anonymous.query_all("grid_cells")) == 3
    # Forced: even the owner, in a raw session that says nothing, sees nothing.
    with _pg(world.owner_url) as conn:
        assert conn.execute("SELECT count(*) FROM residents").fetchone()[0] == 0
        conn.execute("SET zhiwang.cells = '2'")
        assert conn.execute("SELECT count(*) FROM residents").fetchone()[0] == 2


@POSTGIS_ONLY
def test_a_viewport_query_under_row_security_still_uses_the_spatial_index(world, session):
    worker = session("worker2")
    with worker.engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")  # a 7-row table: ask for the index
        plan = "\n".join(
            r[0]
            for r in conn.exec_driver_sql(
                "EXPLAIN SELECT id FROM buildings t WHERE t.geom && "
                f"ST_MakeEnvelope({X0}, {Y0}, {X0 + 900}, {Y0 + 300}, 4545)"
            )
        )
    assert "idx_buildings_geom" in plan
    assert "InitPlan" in plan  # the policy's cell list is computed once per query


def test_a_later_table_with_grid_cell_id_is_secured_by_rerunning_the_helper(fresh_postgis_url):
    with Store.init(fresh_postgis_url) as store, store.begin() as conn:
        conn.execute(text("CREATE TABLE patrols (id serial PRIMARY KEY, grid_cell_id integer)"))
        report = {t.table: t for t in row_security_report(conn)}
        assert not report["patrols"].ok
        assert "patrols" in apply_row_security(conn)
        report = {t.table: t for t in row_security_report(conn)}
        assert report["patrols"].ok and all(t.ok for t in report.values())


def test_an_account_scoped_to_no_cell_sees_and_writes_nothing(world):
    from gis_core.security.accounts import User

    nobody = User(99, "nobody", "grid_worker", frozenset())
    with Store.open(world.app_url, user=nobody) as s:
        assert len(s.query_all("buildings")) == 0 and s.count("residents") == 0
        assert len(s.query_all("grid_cells")) == 3
        with pytest.raises(StoreError):
            s.bulk_insert("events", *_event(1, 950))
