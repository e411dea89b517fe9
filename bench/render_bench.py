"""Map rendering benchmark: Zhiwang's renderer next to QGIS on the same data, views and image size.

Builds (once, cached in bench/out/) a SpatiaLite store of the demo city at each size (residents
off) and a GeoPackage of the same grid cells and buildings, then renders 1920×1080 images at
three views — the whole city, a district (~6,000 buildings in view), a street (~250 in view) —
and prints the median time per view of several repeats beside QGIS (Debian's python3-qgis,
QgsMapRendererSequentialJob, grid + buildings layers, default styles), run in a subprocess of
/usr/bin/python3 in the same run. Each repeat renders a view with Zhiwang and then with QGIS, so
both see the same machine load (the load average is printed too). Times are render only (no PNG
encoding); "first" is Zhiwang's first render of the view (cold caches). The PNGs of the last
repeat are kept in bench/out/ so the images can be compared.

    .venv/bin/python bench/render_bench.py                 # 100,000 and 1,000,000 buildings
    .venv/bin/python bench/render_bench.py --sizes 100000 --repeats 3

Goals (issue 3): faster than QGIS at every view; the whole city of 1,000,000 buildings under 1 s;
a street view under 15 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gis_core.demo import generate, load  # noqa: E402
from gis_core.store import Store  # noqa: E402
from layers.model import default_layers  # noqa: E402
from layers.render import ensure_gui_app, render_map  # noqa: E402
from layers.view import MapView  # noqa: E402

OUT = ROOT / "bench" / "out"
SIZE = (1920, 1080)
SEED = 7
TARGETS = {"district": 6000, "street": 250}
QGIS_PYTHON = "/usr/bin/python3"
CITY_GOAL_S = 1.0  # whole city of 1,000,000 buildings
STREET_GOAL_S = 0.015

# A small QGIS render server: loads the GeoPackage once, then renders one view per line of stdin
# ({"view": name, "bbox": [...]}) and answers with the seconds it took, so that its renders can be
# interleaved with ours and both run under the same machine load.
QGIS_SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    from qgis.core import (Qgis, QgsApplication, QgsMapRendererSequentialJob, QgsMapSettings,
                           QgsRectangle, QgsVectorLayer)
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    job = json.loads(sys.argv[1])
    app = QgsApplication([], False)
    app.initQgis()
    grid = QgsVectorLayer(job["gpkg"] + "|layername=grid_cells", "grid_cells", "ogr")
    bld = QgsVectorLayer(job["gpkg"] + "|layername=buildings", "buildings", "ogr")
    assert grid.isValid() and bld.isValid(), "QGIS cannot open the GeoPackage layers"
    settings = QgsMapSettings()
    settings.setLayers([bld, grid])  # first is on top: buildings over the (filled) cells
    settings.setDestinationCrs(bld.crs())
    settings.setOutputSize(QSize(*job["size"]))
    settings.setBackgroundColor(QColor("#f5f3ee"))
    print("READY " + Qgis.QGIS_VERSION, flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        settings.setExtent(QgsRectangle(*req["bbox"]))
        t0 = time.perf_counter()
        r = QgsMapRendererSequentialJob(settings)
        r.start()
        r.waitForFinished()
        image = r.renderedImage()
        dt = time.perf_counter() - t0
        if req.get("png"):
            image.save(req["png"])
        print("TIME " + json.dumps(dt), flush=True)
    app.exitQgis()
    """
)


class QgisRenderer:
    """The QGIS render server in a subprocess of Debian's /usr/bin/python3."""

    def __init__(self, gpkg: Path) -> None:
        job = {"gpkg": str(gpkg), "size": list(SIZE)}
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        env.pop("PYTHONPATH", None)
        self.proc = subprocess.Popen(
            [QGIS_PYTHON, "-c", QGIS_SCRIPT, json.dumps(job)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=str(OUT),
        )
        self.version = self._expect("READY ")

    def _expect(self, prefix: str) -> str:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith(prefix):
                return line[len(prefix) :].strip()
        err = self.proc.stderr.read() if self.proc.stderr else ""
        raise RuntimeError(f"QGIS render server stopped: {err.strip()[-300:]}")

    def render(self, bbox, png: str | None = None) -> float:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"bbox": list(bbox), "png": png}) + "\n")
        self.proc.stdin.flush()
        return float(self._expect("TIME "))

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=120)


def qgis_available() -> str | None:
    """None if QGIS can be used, else why not."""
    if not Path(QGIS_PYTHON).exists():
        return f"{QGIS_PYTHON} not found"
    probe = subprocess.run(
        [QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True, text=True, timeout=120
    )
    if probe.returncode != 0:
        return "QGIS not installed (apt-get install -y python3-qgis)"
    return None


def _say(msg: str) -> None:
    print(msg, flush=True)


def build(n: int, rebuild: bool) -> tuple[Path, Path]:
    """The cached store and GeoPackage of the demo city with ``n`` buildings."""
    OUT.mkdir(parents=True, exist_ok=True)
    store_path = OUT / f"render_{n}.sqlite"
    gpkg_path = OUT / f"render_{n}.gpkg"
    if rebuild:
        for p in (store_path, gpkg_path):
            p.unlink(missing_ok=True)
    if not store_path.exists():
        _say(f"building the demo city with {n:,} buildings → {store_path.name}")
        tmp = store_path.with_suffix(".tmp.sqlite")
        tmp.unlink(missing_ok=True)
        t0 = time.perf_counter()
        with Store.init(tmp) as store:
            load(store, generate(n, seed=SEED, residents=False, srid=store.srid))
        tmp.rename(store_path)
        _say(f"  built in {time.perf_counter() - t0:.0f} s")
    if not gpkg_path.exists():
        _say(f"writing the same grid cells and buildings to {gpkg_path.name}")
        tmp = gpkg_path.with_suffix(".tmp.gpkg")
        tmp.unlink(missing_ok=True)
        with Store.open(store_path) as store:
            for kind, cols in (("grid_cells", ["code", "name"]), ("buildings", ["use", "floors"])):
                gdf = store.query_all(kind, cols).to_geodataframe()
                gdf.to_file(tmp, layer=kind, driver="GPKG", engine="pyogrio", SPATIAL_INDEX="YES")
        tmp.rename(gpkg_path)
    return store_path, gpkg_path


def choose_views(store: Store) -> dict[str, MapView]:
    """Whole city (the extent of the communities), and views around the middle of the city
    whose scale is chosen so that about TARGETS[name] buildings are in view."""
    w, h = SIZE
    city = store.extent("communities") or store.extent("buildings")
    views = {"city": MapView.fit(city, w, h)}
    # Centre on a dense spot near the middle: the building nearest the extent's centre.
    cx, cy = (city[0] + city[2]) / 2, (city[1] + city[3]) / 2
    near = store.query_bbox("buildings", (cx - 300, cy - 300, cx + 300, cy + 300))
    if len(near):
        import shapely

        c = shapely.get_coordinates(shapely.centroid(near.geometry))
        k = int(((c[:, 0] - cx) ** 2 + (c[:, 1] - cy) ** 2).argmin())
        cx, cy = float(c[k, 0]), float(c[k, 1])
    for name, target in TARGETS.items():
        lo, hi = 0.01, views["city"].scale
        for _ in range(30):  # bisect the scale on the number of buildings in view
            mid = (lo * hi) ** 0.5
            n = len(store.query_bbox("buildings", MapView(cx, cy, mid, w, h).bbox))
            if n > target:
                hi = mid
            else:
                lo = mid
            if abs(n - target) <= target * 0.03:
                break
        views[name] = MapView(cx, cy, (lo * hi) ** 0.5, w, h)
    return views


def run_views(store: Store, gpkg: Path, views: dict[str, MapView], repeats: int, n: int, qgis):
    """Median-ready render times per view: ours and (if given) QGIS's, one after the other in
    every repeat so that both see the same machine load. PNGs of the last repeat are kept."""
    layers = [lyr for lyr in default_layers(store) if lyr.name in ("buildings", "grid_cells")]
    ours: dict[str, list[float]] = {k: [] for k in views}
    theirs: dict[str, list[float]] = {k: [] for k in views}
    for rep in range(repeats):
        last = rep == repeats - 1
        for name, view in views.items():
            t0 = time.perf_counter()
            image = render_map(layers, view)
            ours[name].append(time.perf_counter() - t0)
            if last:
                image.save(str(OUT / f"render_{n}_{name}_zhiwang.png"))
            if qgis is not None:
                png = str(OUT / f"render_{n}_{name}_qgis.png") if last else None
                theirs[name].append(qgis.render(view.bbox, png))
    return ours, theirs


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}" if seconds < 0.1 else f"{seconds * 1000:,.0f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000", help="building counts, comma-separated")
    ap.add_argument("--repeats", type=int, default=7, help="renders per view (median reported)")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the cached stores")
    ap.add_argument("--no-qgis", action="store_true", help="skip the QGIS column")
    args = ap.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    ensure_gui_app()
    rows = []
    notes = []
    qgis_version = None
    why_not = "skipped (--no-qgis)" if args.no_qgis else qgis_available()
    if why_not:
        notes.append(f"QGIS column skipped — {why_not}")
    for n in sizes:
        store_path, gpkg = build(n, args.rebuild)
        qgis = None if why_not else QgisRenderer(gpkg)
        if qgis is not None:
            qgis_version = qgis.version
        with Store.open(store_path) as store:
            views = choose_views(store)
            in_view = {k: len(store.query_bbox("buildings", v.bbox)) for k, v in views.items()}
            who = "Zhiwang and QGIS, interleaved" if qgis else "Zhiwang"
            _say(f"{n:,} buildings: rendering {', '.join(views)} × {args.repeats} ({who})")
            ours, theirs = run_views(store, gpkg, views, args.repeats, n, qgis)
        if qgis is not None:
            qgis.close()
        for name, view in views.items():
            med = statistics.median(ours[name])
            q = statistics.median(theirs[name]) if theirs[name] else None
            goals = []
            if q is not None:
                goals.append(("faster than QGIS", med < q))
            if name == "city" and n >= 1_000_000:
                goals.append(("< 1 s", med < CITY_GOAL_S))
            if name == "street":
                goals.append(("< 15 ms", med < STREET_GOAL_S))
            q_best = min(theirs[name]) if theirs[name] else None
            rows.append(
                (
                    n,
                    name,
                    in_view[name],
                    view.scale,
                    ours[name][0],
                    med,
                    q,
                    goals,
                    min(ours[name]),
                    q_best,
                )
            )
    print()
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(
        f"Render 1920x1080, grid cells + buildings, median of {args.repeats} (ms); "
        f"QGIS {qgis_version or 'n/a'}; {os.cpu_count()} CPUs, load average {load}"
    )
    head = (
        f"{'buildings':>10} {'view':<9} {'in view':>9} {'m/px':>7} {'first':>8} "
        f"{'Zhiwang':>9} {'QGIS':>9} {'speed-up':>9} {'best Z/Q':>15}  goals"
    )
    print(head)
    print("-" * (len(head) + 30))
    for n, name, count, scale, first, med, q, goals, best, q_best in rows:
        qs = _ms(q) if q is not None else "—"
        speed = f"{q / med:,.1f}x" if q is not None else "—"
        bests = f"{_ms(best)}/{_ms(q_best) if q_best is not None else '—'}"
        verdict = ", ".join(f"{g}: {'PASS' if ok else 'MISS'}" for g, ok in goals) or "—"
        print(
            f"{n:>10,} {name:<9} {count:>9,} {scale:>7.2f} {_ms(first):>8} {_ms(med):>9} "
            f"{qs:>9} {speed:>9} {bests:>15}  {verdict}"
        )
    print("(medians decide the goals; 'best' is the fastest repeat of each, for a loaded machine)")
    for note in notes:
        print("note:", note)
    print(f"images: {OUT}/render_<n>_<view>_{{zhiwang,qgis}}.png")
    shutil.rmtree(OUT / "__pycache__", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
