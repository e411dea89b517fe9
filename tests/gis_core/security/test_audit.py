"""The audit log is append-only and hash-chained: `zhiwang audit verify` finds an altered, a
deleted and a missing last entry, and says which."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
from sqlalchemy import text

from desktop.cli import main
from gis_core.security import audit


def _fill(store, n: int = 5) -> None:
    for i in range(n):
        audit.record(
            store, "export", object="buildings", count=10 * i, detail={"file": f"b{i}.gpkg"}
        )


def _tamper(store, *sql: str) -> None:
    """What someone with the database owner's or the file's rights could do behind our back."""
    if store.backend == "spatialite":
        path = store.engine.url.database
        with sqlite3.connect(path) as conn:  # a plain SQLite client: no triggers of ours loaded
            conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
            conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
            for statement in sql:
                conn.execute(statement)
    else:
        url = store.engine.url.set(drivername="postgresql", query={}).render_as_string(False)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
            for statement in sql:
                conn.execute(statement)
            conn.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")


def _verify(store, capsys) -> tuple[int, str]:
    url = store.engine.url.render_as_string(hide_password=False)
    code = main(["audit", "verify", "--store", url])
    return code, capsys.readouterr().out.strip()


def test_an_intact_log_verifies_and_the_log_refuses_changes(store, capsys):
    _fill(store)
    assert _verify(store, capsys) == (
        0,
        audit.verify(store).summary(),
    )
    assert audit.verify(store).entries == 5
    for sql in (
        "UPDATE audit_log SET count = 0 WHERE seq = 2",
        "DELETE FROM audit_log WHERE seq = 2",
    ):
        with pytest.raises(Exception, match="append-only"), store.begin() as conn:
            conn.execute(text(sql))
    assert audit.verify(store).ok


def test_an_altered_entry_is_found(store, capsys):
    _fill(store)
    _tamper(store, "UPDATE audit_log SET count = 999 WHERE seq = 3")
    code, out = _verify(store, capsys)
    assert code == 1
    assert out.startswith("audit log BROKEN at entry #3:") and "altered" in out


def test_a_cut_off_tail_a_deleted_entry_and_a_forged_one_are_found(store, capsys):
    _fill(store)
    _tamper(store, "DELETE FROM audit_log WHERE seq = 5")
    code, out = _verify(store, capsys)
    assert code == 1
    assert out.endswith("the log ends at #4 but #5 was written: the last 1 entry is missing")
    _tamper(store, "DELETE FROM audit_log WHERE seq = 2")
    assert _verify(store, capsys) == (
        1,
        "audit log BROKEN at entry #2: entry #2 is missing (deleted); the log continues at #3",
    )
    # Put back with plausible content and a made-up hash: it does not chain.
    _tamper(
        store,
        "INSERT INTO audit_log (seq, ts, username, action, object, count, detail, prev_hash, hash) "
        "VALUES (2, '2026-01-01T00:00:00.000000Z', 'x', 'export', 'buildings', 10, '{}', "
        f"'{'0' * 64}', '{'f' * 64}')",
    )
    code, out = _verify(store, capsys)
    assert code == 1 and out.startswith("audit log BROKEN at entry #2: it does not follow entry #1")


def test_imports_and_grid_edits_are_in_the_log(store, tmp_path):
    from gis_core.importer import import_file
    from tests.gis_core._io_helpers import points, seed_cells

    seed_cells(store)
    xy = points(3, store.srid)
    path = tmp_path / "设施.csv"
    rows = "\n".join(f"诊所{i},clinic,{p.x},{p.y}" for i, p in enumerate(xy))
    path.write_text(f"name,kind,x,y\n{rows}\n", encoding="utf-8")
    import_file(store, path, "facilities", src_crs=f"EPSG:{store.srid}")
    last = audit.entries(store, newest_first=True, limit=1)[0]
    assert (last.action, last.object, last.count, last.detail) == (
        "import",
        "facilities",
        3,
        {"file": "设施.csv"},
    )


def test_a_saved_grid_edit_is_in_the_log(tmp_path):
    from gis_core import demo
    from gis_core.editing import EditSession, MoveVertex
    from gis_core.store import Store

    with Store.init(tmp_path / "demo.sqlite") as store:
        demo.build_demo(store, buildings=1000, seed=7, residents=False)
        session = EditSession.open(store, editor="王芳")
        # The 1,000-building demo's four cells meet at this street crossing.
        session.apply(MoveVertex((564422.0, 3800480.0), (564482.0, 3800520.0), allow_cut=True))
        assert session.save("社区调整").ok
        last = audit.entries(store, newest_first=True, limit=1)[0]
        assert (last.username, last.action, last.object) == ("王芳", "edit", "grid_cells")
        assert last.detail == {"cells": [1, 2, 3, 4], "reason": "社区调整"}
        assert audit.verify(store).ok
