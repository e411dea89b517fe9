"""Grid-editing benchmark: move a vertex shared by four cells in a 10,000-cell grid over
1,000,000 buildings, on SpatiaLite and PostGIS, and time what the supervisor waits for.

The buildings, streets and devices come from ``gis_core.demo.generate(N, residents=False)``
(whose own grid has ~3,200 cells at that size); over the same extent the benchmark lays a
100 × 100 regular grid as one community and assigns every row to its cell. Then, per backend,
for several interior vertices:

- validation: ``MoveVertex.check`` — every coverage rule on the touched cells and their
  neighbours, including the building-cut test against the store;
- impact preview: ``EditSession.preview`` — rows of every cell-scoped kind that change cell;
- commit: ``EditSession.save`` — new versions, re-assignment of the moved rows, journal cleared,
  one transaction.

Goals (the issue's): preview < 100 ms, commit < 500 ms.

    .venv/bin/python bench/edit_bench.py                       # 1,000,000 buildings
    .venv/bin/python bench/edit_bench.py --buildings 100000    # a quick run

PostGIS comes from ZHIWANG_TEST_PG; the benchmark creates and drops its own database there.
Files go to bench/out/.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gis_core import demo  # noqa: E402
from gis_core.editing import EditSession, MoveVertex, SnapIndex, regular_grid  # noqa: E402
from gis_core.store import Store  # noqa: E402

PG_URL = os.environ.get(
    "ZHIWANG_TEST_PG", "postgresql://zhiwang:zhiwang@127.0.0.1:5432/zhiwang_test"
)
GOAL_PREVIEW_MS = 100.0
GOAL_COMMIT_MS = 500.0
GRID = 100  # cells per side


def grid_data(n: int, seed: int) -> tuple[demo.DemoData, tuple[float, float, float, float]]:
    """The demo's layers with its communities and cells replaced by one community covered by a
    GRID × GRID regular grid, and every cell-scoped row assigned to its cell."""
    data = demo.generate(n, seed=seed, residents=False)
    bounds = tuple(float(v) for v in shapely.total_bounds(data.layers["communities"][1]))
    ids, polys, attrs = regular_grid(bounds, GRID, GRID, community_code="610402-001")
    minx, miny, maxx, maxy = bounds
    dx, dy = (maxx - minx) / GRID, (maxy - miny) / GRID
    communities = {
        "id": np.array([1]),
        "code": np.array(["610402-001"], dtype=object),
        "name": np.array(["文汇社区"], dtype=object),
        "district": np.array(["秦都区"], dtype=object),
        "street_office": np.array(["人民街道"], dtype=object),
    }
    boundary = np.array([shapely.MultiPolygon([shapely.box(*bounds)])])
    n_cells = len(ids)
    cells = {
        "id": ids,
        "community_id": np.ones(n_cells, dtype=np.int64),
        "code": np.array([a.code for a in attrs], dtype=object),
        "name": np.array([a.name for a in attrs], dtype=object),
        "worker_name": np.full(n_cells, None, dtype=object),
        "worker_phone": np.full(n_cells, None, dtype=object),
        "supervisor": np.full(n_cells, None, dtype=object),
        "version": np.ones(n_cells, dtype=np.int64),
    }
    layers = dict(data.layers)
    layers["communities"] = (communities, boundary)
    layers["grid_cells"] = (cells, polys)
    for kind, (cols, geoms) in list(layers.items()):
        if geoms is None or "grid_cell_id" not in cols or kind == "grid_cells":
            continue
        pts = shapely.get_coordinates(shapely.point_on_surface(geoms))
        i = np.clip(np.floor((pts[:, 0] - minx) / dx), 0, GRID - 1).astype(np.int64)
        j = np.clip(np.floor((pts[:, 1] - miny) / dy), 0, GRID - 1).astype(np.int64)
        cols = dict(cols)
        cols["grid_cell_id"] = ids[j * GRID + i]
        if "community_id" in cols:
            cols["community_id"] = np.ones(len(geoms), dtype=np.int64)
        layers[kind] = (cols, geoms)
    for kind in ("streets",):
        cols = dict(layers[kind][0])
        if "community_id" in cols:
            cols["community_id"] = np.ones(len(cols["id"]), dtype=np.int64)
        layers[kind] = (cols, layers[kind][1])
    return demo.DemoData(srid=data.srid, layers=layers, meta=data.meta), bounds


def interior_vertices(bounds, count: int) -> list[tuple[float, float]]:
    """Grid crossings (each shared by four cells) spread over the middle of the grid."""
    minx, miny, maxx, maxy = bounds
    dx, dy = (maxx - minx) / GRID, (maxy - miny) / GRID
    rng = np.random.default_rng(3)
    picks = rng.integers(10, GRID - 10, size=(count, 2))
    return [(minx + i * dx, miny + j * dy) for i, j in picks.tolist()]


def bench_backend(name: str, url: str, data: demo.DemoData, bounds, vertices) -> dict:
    t = time.perf_counter()
    store = Store.init(url)
    demo.load(store, data)
    load_s = time.perf_counter() - t
    store.close()
    store = Store.open(url)
    t = time.perf_counter()
    session = EditSession.open(store, editor="bench")
    open_ms = (time.perf_counter() - t) * 1000
    cov = session.coverage
    assert len(cov) == GRID * GRID
    minx, miny, maxx, maxy = bounds
    dx, dy = (maxx - minx) / GRID, (maxy - miny) / GRID
    rows = {"validate": [], "preview": [], "commit": [], "moved": []}
    for k, (x, y) in enumerate(vertices):
        to = (x + 0.3 * dx * (1 if k % 2 else -1), y + 0.2 * dy)
        owners = cov.vertex_owners((x, y))
        assert len(owners) == 4, owners
        t = time.perf_counter()
        problems = MoveVertex((x, y), to).check(cov)
        rows["validate"].append((time.perf_counter() - t) * 1000)
        assert all(p.confirmable for p in problems), problems
        session.apply(MoveVertex((x, y), to, allow_cut=True))
        t = time.perf_counter()
        impact = session.preview()
        rows["preview"].append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        result = session.save("bench")
        rows["commit"].append((time.perf_counter() - t) * 1000)
        assert result.ok
        rows["moved"].append(sum(impact.total(kind) for kind in impact.counts))
    # Snapping: the index over every building and street (built off the GUI thread in the
    # window), then snaps at random places with a 10 px tolerance at ~0.5 m/px.
    t = time.perf_counter()
    index = SnapIndex.from_store(store)
    index_s = time.perf_counter() - t
    rng = np.random.default_rng(5)
    pts = np.column_stack([rng.uniform(minx, maxx, 1000), rng.uniform(miny, maxy, 1000)])
    snaps = []
    for x, y in pts.tolist():
        t = time.perf_counter()
        index.snap(cov, (x, y), tolerance=5.0)
        snaps.append((time.perf_counter() - t) * 1000)
    store.close()
    return {
        "backend": name,
        "load_s": load_s,
        "open_ms": open_ms,
        "index_s": index_s,
        "snap": snaps,
        **rows,
    }


def _fmt(values: list[float]) -> str:
    return f"median {statistics.median(values):7.1f}   max {max(values):7.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buildings", type=int, default=1_000_000)
    parser.add_argument("--moves", type=int, default=7)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-postgis", action="store_true")
    args = parser.parse_args()

    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    data, bounds = grid_data(args.buildings, args.seed)
    print(
        f"generated {args.buildings:,} buildings and a {GRID}×{GRID} grid over "
        f"{(bounds[2] - bounds[0]) / 1000:.1f} × {(bounds[3] - bounds[1]) / 1000:.1f} km "
        f"in {time.perf_counter() - t:.1f} s"
    )
    vertices = interior_vertices(bounds, args.moves)
    results = []
    path = out / f"edit_{args.buildings}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    results.append(bench_backend("SpatiaLite", str(path), data, bounds, vertices))
    if not args.skip_postgis:
        import psycopg

        name = f"zw_editbench_{uuid.uuid4().hex[:8]}"
        base, _ = PG_URL.rsplit("/", 1)
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        url = f"{base}/{name}"
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            results.append(bench_backend("PostGIS", url, data, bounds, vertices))
        finally:
            with psycopg.connect(PG_URL, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    lines = [
        f"Move a vertex shared by 4 cells: {GRID * GRID:,} cells, {args.buildings:,} buildings, "
        f"{args.moves} moves per backend (ms)",
    ]
    for r in results:
        lines += [
            f"{r['backend']}: load {r['load_s']:.1f} s, open session (10,000 cells) "
            f"{r['open_ms']:.0f} ms, rows changing cell per move: "
            f"{min(r['moved'])}–{max(r['moved'])}",
            f"  validation      {_fmt(r['validate'])}",
            f"  impact preview  {_fmt(r['preview'])}   goal < {GOAL_PREVIEW_MS:.0f}"
            f"   {'ok' if max(r['preview']) < GOAL_PREVIEW_MS else 'MISSED'}",
            f"  commit          {_fmt(r['commit'])}   goal < {GOAL_COMMIT_MS:.0f}"
            f"   {'ok' if max(r['commit']) < GOAL_COMMIT_MS else 'MISSED'}",
            f"  snapping: index of all buildings and streets {r['index_s']:.1f} s (off the GUI "
            f"thread); a snap: p50 {np.percentile(r['snap'], 50):.2f}, "
            f"p99 {np.percentile(r['snap'], 99):.2f}",
        ]
    text = "\n".join(lines)
    print(text)
    (out / "edit_bench.txt").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
