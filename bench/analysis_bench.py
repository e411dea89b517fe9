"""Analysis benchmark: 2SFCA end to end next to PySAL ``access`` on the same data, in one run;
camera coverage for 2,500 cameras among 100,000 buildings.

    .venv/bin/python bench/analysis_bench.py [--buildings 100000] [--radius 1000] [--cameras 2500]

Data: the demo generator (``gis_core.demo.generate``) at the given size — its residents give the
demand per building; its facilities except parks and fire stations (≈700 at 100,000 buildings)
are the supply. Both sides start from building centroids and facility points and build their own
distance pairs: ours with a KD-tree, ``access``'s the way its ``create_euclidean_distance`` does
for non-point layers (a spatial join against buffered supply, then distances), because its
all-pairs cross join would need 70 million rows. Results must agree (relative difference ≤ 1e-9).
Goals: 2SFCA ≥ 10× faster than ``access``; camera coverage under 10 s. Not a timed test; figures
go to stdout and bench/out/analysis_bench.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
import warnings
from pathlib import Path

import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--buildings", type=int, default=100_000)
    ap.add_argument("--radius", type=float, default=1000.0)
    ap.add_argument("--cameras", type=int, default=2500)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    from gis_core import demo
    from gis_core.analysis.cameras import run_camera_coverage
    from gis_core.analysis.data import Cameras, Facilities, data_from_layers
    from gis_core.analysis.equity import EquityParams, run_equity

    t = time.perf_counter()
    generated = demo.generate(args.buildings, args.seed, residents=True)
    data = data_from_layers(generated.layers, generated.srid, dt.date(2026, 1, 1))
    print(
        f"demo data: {args.buildings:,} buildings, {len(data.residents):,} residents, "
        f"generated in {time.perf_counter() - t:.1f} s"
    )
    fac = data.facilities
    keep = ~np.isin(fac.kinds, ["park", "fire_station"])
    # Facilities without a capacity (police posts) count as 1 on both sides.
    cap = np.where(np.isfinite(fac.capacity[keep]), fac.capacity[keep], 1.0)
    supply = Facilities(fac.ids[keep], np.full(int(keep.sum()), "clinic"), cap, fac.xy[keep])
    data = data.with_facilities(supply)
    print(f"supply: {len(supply):,} facilities; radius {args.radius:g} m")
    figures: dict = {
        "buildings": args.buildings,
        "facilities": len(supply),
        "radius_m": args.radius,
    }

    # ------------------------------------------------------------------ ours
    params = EquityParams("clinic", "2sfca", args.radius)
    run_equity(data, params)  # warm-up (imports, first KD-tree)
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        ours = run_equity(data, params)
        runs.append(time.perf_counter() - t)
    ours_s = min(runs)
    from gis_core.analysis.distance import StraightLineDistance

    t = time.perf_counter()
    pairs = StraightLineDistance(data.buildings.xy).pairs(supply.xy, args.radius)
    pairs_s = time.perf_counter() - t
    figures.update(ours_total_s=ours_s, ours_pairs_s=pairs_s, pairs=len(pairs))

    # ------------------------------------------------------------------ PySAL access
    import geopandas as gpd
    import pandas as pd
    import shapely
    from access import Access

    def access_2sfca():
        t0 = time.perf_counter()
        demand_gdf = gpd.GeoDataFrame(
            {"origin": np.arange(len(data.buildings)), "pop": ours.demand},
            geometry=shapely.points(data.buildings.xy),
            crs=generated.srid,
        )
        supply_gdf = gpd.GeoDataFrame(
            {"dest": np.arange(len(supply)), "cap": supply.capacity},
            geometry=shapely.points(supply.xy),
            crs=generated.srid,
        )
        # access.create_euclidean_distance for non-point layers: sjoin with buffered supply, then
        # distances. Its buffer(threshold) is a polygon inside the circle and misses pairs near the
        # radius, so the buffer here is 1 % wider and the distances are filtered exactly.
        joined = gpd.sjoin(
            demand_gdf,
            supply_gdf.rename(columns={"geometry": "geomb"})
            .set_geometry("geomb")
            .set_geometry(supply_gdf.buffer(args.radius * 1.01)),
        )
        joined["cost"] = joined.distance(
            gpd.GeoSeries(supply_gdf.geometry.values[joined["dest"].to_numpy()], index=joined.index)
        )
        cost = joined.loc[joined["cost"] <= args.radius, ["origin", "dest", "cost"]]
        t1 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            acc = Access(
                demand_df=pd.DataFrame({"origin": demand_gdf["origin"], "pop": demand_gdf["pop"]}),
                demand_index="origin",
                demand_value="pop",
                supply_df=pd.DataFrame({"dest": supply_gdf["dest"], "cap": supply_gdf["cap"]}),
                supply_index="dest",
                supply_value="cap",
                cost_df=cost,
                cost_origin="origin",
                cost_dest="dest",
                cost_name="cost",
            )
            theirs = acc.two_stage_fca(max_cost=args.radius).iloc[:, 0]
        t2 = time.perf_counter()
        return theirs, t0, t1, t2, cost

    best = None
    for _ in range(2):  # best of two, like ours (best of three): the machine is shared
        out = access_2sfca()
        if best is None or out[3] - out[1] < best[3] - best[1]:
            best = out
    theirs, t0, t1, t2, cost = best
    theirs = theirs.reindex(np.arange(len(data.buildings))).fillna(0.0).to_numpy()
    access_s, access_pairs_s = t2 - t0, t1 - t0
    both_zero = (ours.accessibility == 0) & (theirs == 0)
    rel = np.abs(ours.accessibility - theirs) / np.maximum(np.abs(theirs), 1e-300)
    max_rel = float(np.max(np.where(both_zero, 0.0, rel)))
    figures.update(
        access_total_s=access_s,
        access_pairs_s=access_pairs_s,
        access_pairs=len(cost),
        max_relative_difference=max_rel,
        speedup=access_s / ours_s,
    )
    print()
    print("2SFCA, end to end (distance pairs included)")
    print(
        f"  ours (Zhiwang)   {ours_s:7.3f} s   of which distance pairs {pairs_s:.3f} s "
        f"({len(pairs):,} pairs)"
    )
    print(
        f"  PySAL access     {access_s:7.3f} s   of which distance pairs {access_pairs_s:.3f} s "
        f"({len(cost):,} pairs)"
    )
    print(f"  speed-up         {access_s / ours_s:7.1f}×   (goal ≥ 10×)")
    print(
        f"  results          max relative difference {max_rel:.2e} (goal ≤ 1e-9): "
        f"{'identical' if max_rel <= 1e-9 else 'DIFFERENT'}"
    )
    print(f"  inequality       Gini {ours.gini:.4f}, Theil {ours.theil:.4f}")

    # ------------------------------------------------------------------ cameras
    cams = data.cameras
    rng = np.random.default_rng(args.seed)
    pick = np.sort(rng.choice(len(cams), size=min(args.cameras, len(cams)), replace=False))
    extra = args.cameras - len(pick)
    xy, heading = cams.xy[pick], cams.heading_deg[pick]
    fov, rng_m = cams.fov_deg[pick], cams.range_m[pick]
    if extra > 0:  # the demo has fewer cameras than asked: add some at random building corners
        corners = shapely.get_coordinates(shapely.get_exterior_ring(data.buildings.footprints))
        at = corners[rng.choice(len(corners), extra, replace=False)]
        xy = np.vstack([xy, at])
        heading = np.r_[heading, rng.uniform(0, 360, extra)]
        fov = np.r_[fov, np.full(extra, 90.0)]
        rng_m = np.r_[rng_m, np.full(extra, 60.0)]
    cam_data = data.__class__(
        buildings=data.buildings,
        cells=data.cells,
        community=data.community,
        streets=data.streets,
        cameras=Cameras(np.arange(len(xy)), xy, heading, fov, rng_m),
        srid=data.srid,
    )
    t = time.perf_counter()
    cov = run_camera_coverage(cam_data)
    cam_s = time.perf_counter() - t
    s = cov.summary()
    figures.update(
        cameras=len(xy),
        camera_coverage_s=cam_s,
        camera_coverage=s["coverage"],
        public_area_m2=s["public_area_m2"],
    )
    print()
    print(
        f"camera coverage: {len(xy):,} cameras among {len(data.buildings):,} buildings, "
        f"{len(cov.cell_ids)} cells"
    )
    print(
        f"  ours             {cam_s:7.3f} s   (goal < 10 s); public space seen "
        f"{s['coverage']:.1%} of {s['public_area_m2'] / 1e6:.2f} km², "
        f"{len(cov.blind_parts)} largest blind areas listed"
    )

    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "analysis_bench.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
