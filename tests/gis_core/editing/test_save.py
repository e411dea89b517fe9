"""Saving edits on both backends: versions and history, rows re-assigned by a spatial join,
restore, the crash journal, and two editors on one store (never last-save-wins)."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import shapely
from sqlalchemy import text

from gis_core.editing import (
    NO_CELL,
    Conflict,
    EditRefused,
    EditSession,
    MergeCells,
    MoveVertex,
    SetAttributes,
    SplitCell,
    history,
    load_coverage,
)
from gis_core.store import Store

# The 1,000-building demo has four cells: 1 NW, 2 NE, 3 SW, 4 SE around this crossing.
CENTRE = (564422.0, 3800480.0)
EDGE_12 = (564422.0, 3800619.0)  # a street crossing on the edge between cells 1 and 2 only
EDGE_34 = (564422.0, 3800335.0)  # … between cells 3 and 4 only


@pytest.fixture
def url(demo_url):
    return demo_url


def _cells_of(store, kind):
    f = store.query_all(kind, ["grid_cell_id"])
    return dict(zip(f.ids.tolist(), f.columns["grid_cell_id"].tolist()))


def _assert_rows_follow_cells(store):
    """Every building and device sits in the cell that holds its representative point, and
    every resident in the cell of their building — what a user filtering by cell relies on."""
    cells = store.query_all("grid_cells")
    order = np.argsort(cells.ids)
    ids, geoms = cells.ids[order], cells.geometry[order]
    tree = shapely.STRtree(geoms)
    for kind in ("buildings", "sensors", "cameras", "enterprises"):
        f = store.query_all(kind, ["grid_cell_id"])
        pts = shapely.point_on_surface(f.geometry)
        pi, ci = tree.query(pts, predicate="intersects")
        want = np.full(len(pts), NO_CELL)
        for p, c in zip(pi[::-1], ci[::-1]):  # lowest id wins: write the highest first
            want[p] = ids[c]
        have = np.array([NO_CELL if v is None else v for v in f.columns["grid_cell_id"]])
        assert (want == have).all(), f"{kind} not in the cell that holds them"
    with store.engine.connect() as conn:
        bad = conn.execute(
            text(
                "SELECT count(*) FROM residents r JOIN buildings b ON b.id = r.building_id "
                "WHERE r.grid_cell_id <> b.grid_cell_id"
            )
        ).scalar()
    assert bad == 0


def test_a_save_writes_new_versions_and_moves_rows_to_their_new_cell(url):
    store = Store.open(url)
    session = EditSession.open(store, editor="王芳")
    assert session.coverage.validate() == []
    old = {c: session.coverage.geometry(c) for c in (1, 2, 3, 4)}
    cmd = MoveVertex(CENTRE, (CENTRE[0] + 60, CENTRE[1] + 40), allow_cut=True)
    session.apply(cmd)
    impact = session.preview()
    assert impact.total("buildings") > 0 and impact.total("residents") > 0
    moved_buildings = dict(
        zip(impact.moves["buildings"].ids.tolist(), impact.moves["buildings"].new.tolist())
    )
    result = session.save("社区调整")
    assert result.ok and result.versions == {1: 2, 2: 2, 3: 2, 4: 2}
    assert not EditSession.pending(store)

    cells = store.query_all("grid_cells", ["version"])
    stored = dict(zip(cells.ids.tolist(), cells.geometry))
    for c in (1, 2, 3, 4):
        assert shapely.equals_exact(stored[c], session.coverage.geometry(c), tolerance=0)
    now = _cells_of(store, "buildings")
    assert all(now[b] == c for b, c in moved_buildings.items())
    _assert_rows_follow_cells(store)

    hist = history(store, 1)
    assert [(v.version, v.action, v.editor, v.reason) for v in hist] == [
        (1, "original", None, None),
        (2, "edit", "王芳", "社区调整"),
    ]
    assert shapely.equals_exact(hist[0].geometry, old[1], tolerance=0)
    # Another workstation opening the store now sees the edit, and a valid grid.
    again = load_coverage(store)
    assert again.validate() == [] and again.versions[1] == 2
    store.close()


def test_split_merge_and_restore_are_saved_as_versions(url):
    store = Store.open(url)
    s = EditSession.open(store, editor="王芳")
    x = 564200.0
    s.apply(SplitCell([(x, 3800926.0 + 5), (x, 3800480.0 - 5)], cell_id=1, allow_cut=True))
    result = s.save("拆分")
    new_id = next(iter(result.ids.values()))
    assert new_id > 4 and s.coverage.attributes(new_id).code == "610402-001-05"
    assert new_id in _cells_of(store, "buildings").values()
    _assert_rows_follow_cells(store)

    s.apply(MergeCells([3, 4]))
    s.save("合并")
    assert 4 not in store.query_all("grid_cells").ids
    assert 4 not in _cells_of(store, "buildings").values()
    assert [v.action for v in history(store, 4)] == ["original", "delete"]
    _assert_rows_follow_cells(store)

    # Restoring cell 1 as it was before the split would swallow the split-off cell: refused.
    with pytest.raises(EditRefused) as refused:
        s.apply(s.restore_command(1, 1))
    assert refused.value.code == "not_polygon"
    # Merged back first, the restore goes through and is saved as a new version.
    s.apply(MergeCells([1, new_id]))
    s.apply(s.restore_command(1, 1))
    s.save("恢复")
    hist = history(store, 1)
    assert [v.action for v in hist] == ["original", "edit", "restore"]
    assert shapely.equals(hist[-1].geometry, hist[0].geometry)
    assert load_coverage(store).validate() == []
    _assert_rows_follow_cells(store)
    store.close()


def test_closed_events_stay_in_the_cell_that_handled_them(url):
    store = Store.open(url)
    # In cell 3 (south-west of the crossing); with the crossing dragged 30 m south-west it
    # falls in cell 2 (north-east of it).
    p = shapely.Point(CENTRE[0] - 5, CENTRE[1] - 5)
    store.bulk_insert(
        "events",
        {
            "grid_cell_id": [3, 3],
            "category": ["garbage", "garbage"],
            "source": ["patrol", "patrol"],
            "status": ["reported", "closed"],
            "reported_at": ["2026-11-01T08:00:00+00:00"] * 2,
        },
        np.array([p, p]),
    )
    s = EditSession.open(store, editor="王芳")
    s.apply(MoveVertex(CENTRE, (CENTRE[0] - 30, CENTRE[1] - 30), allow_cut=True))
    assert s.preview().counts["events"] == {(3, 2): 1}
    s.save("x")
    f = store.query_all("events", ["status", "grid_cell_id"])
    assert dict(zip(f.columns["status"].tolist(), f.columns["grid_cell_id"].tolist())) == {
        "reported": 2,
        "closed": 3,
    }
    store.close()


def test_second_save_of_the_same_cell_is_refused_and_other_cells_both_succeed(url):
    alice_store, bob_store = Store.open(url), Store.open(url)
    alice = EditSession.open(alice_store, editor="王芳")
    bob = EditSession.open(bob_store, editor="李强")

    # Different cells: both saves go through.
    alice.apply(MoveVertex(EDGE_12, (EDGE_12[0] + 20, EDGE_12[1]), allow_cut=True))
    bob.apply(MoveVertex(EDGE_34, (EDGE_34[0] - 20, EDGE_34[1]), allow_cut=True))
    assert alice.save("a").ok and bob.save("b").ok
    cov = load_coverage(alice_store)
    assert cov.validate() == []
    assert set(cov.versions.values()) == {2}

    # The same cell: the second save is refused, with theirs and mine for the conflict view.
    alice.apply(SetAttributes(1, worker_name="赵敏"))
    mine = (EDGE_12[0] + 20, EDGE_12[1] - 30)
    bob_cmd = MoveVertex((EDGE_12[0] + 20, EDGE_12[1]), mine, allow_cut=True)
    with pytest.raises(EditRefused):
        bob.apply(bob_cmd)  # bob's cells are as he loaded them: alice's vertex is not there
    bob = EditSession.open(bob_store, editor="李强")
    alice.save("worker")
    bob.apply(SetAttributes(1, worker_name="钱伟"))
    bob.apply(bob_cmd)
    conflict = bob.save("b2")
    assert isinstance(conflict, Conflict) and not conflict
    assert [c.cell_id for c in conflict.cells] == [1]
    c1 = conflict.cells[0]
    assert c1.their_version == 3 and c1.base_version == 2 and c1.their_editor == "王芳"
    assert shapely.equals_exact(c1.mine, bob.coverage.geometry(1), tolerance=0)
    # Nothing of bob's was written; his edits are still pending (and journalled).
    stored = load_coverage(alice_store)
    assert stored.attributes(1).worker_name == "赵敏"
    assert stored.versions[2] == 2
    assert [p.count for p in EditSession.pending(bob_store, "李强")] == [2]
    # Rebase: reload and redo bob's edits on the new state; then his save goes through.
    report = bob.rebase()
    assert report.replayed == 2
    assert bob.save("b3").ok
    assert load_coverage(alice_store).attributes(1).worker_name == "钱伟"
    alice_store.close()
    bob_store.close()


def test_simultaneous_saves_of_one_cell_let_exactly_one_through(url):
    stores = [Store.open(url) for _ in range(2)]
    sessions = [EditSession.open(s, editor=f"editor{i}") for i, s in enumerate(stores)]
    for i, s in enumerate(sessions):
        s.apply(SetAttributes(2, worker_name=f"网格员{i}"))
    barrier = threading.Barrier(2)
    results = [None, None]

    def save(i):
        barrier.wait()
        results[i] = sessions[i].save("race")

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(bool(r) for r in results) == [False, True]
    winner = [i for i, r in enumerate(results) if r][0]
    assert load_coverage(stores[0]).attributes(2).worker_name == f"网格员{winner}"
    for s in stores:
        s.close()


def test_codes_proposed_for_two_splits_do_not_collide(url):
    a_store, b_store = Store.open(url), Store.open(url)
    a = EditSession.open(a_store, editor="a")
    b = EditSession.open(b_store, editor="b")
    a.apply(SplitCell([(564200.0, 3800931.0), (564200.0, 3800475.0)], cell_id=1, allow_cut=True))
    b.apply(SplitCell([(564800.0, 3800485.0), (564800.0, 3800047.0)], cell_id=4, allow_cut=True))
    assert a.save("a").ok
    rb = b.save("b")
    assert rb.ok and list(rb.renamed.values()) == ["610402-001-06"]
    codes = set(load_coverage(a_store).codes())
    assert {"610402-001-05", "610402-001-06"} <= codes
    a_store.close()
    b_store.close()


def test_the_journal_follows_apply_undo_and_discard(url):
    store = Store.open(url)
    s = EditSession.open(store, editor="王芳")
    s.apply(MoveVertex(EDGE_12, (EDGE_12[0] + 10, EDGE_12[1])))
    s.apply(SetAttributes(3, name="南区"))
    assert [p.texts for p in EditSession.pending(store)] == [
        ("Move vertex", "Edit cell attributes")
    ]
    s.undo()
    assert [p.count for p in EditSession.pending(store)] == [1]
    s.redo()
    assert [p.count for p in EditSession.pending(store)] == [2]
    s.discard()
    assert EditSession.pending(store) == []
    assert load_coverage(store).versions == {1: 1, 2: 1, 3: 1, 4: 1}
    store.close()
