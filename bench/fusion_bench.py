"""Linkage of three generated sources of residents (default 200,000 people, ~530,000 records):
standardisation, then deterministic + Fellegi–Sunter linkage (gis_core.fusion.linkage), with
time, peak memory, precision and recall against the known truth.

    .venv/bin/python bench/fusion_bench.py [--people 200000] [--seed 3] [--store FILE.sqlite]

With ``--store`` the same runs through a store as well (import with encryption, link, golden
records and review queue). Anchor: Splink on DuckDB on the same records in the same run
(bench/fusion_splink_anchor.py: its configuration, training and how its memory is measured),
when the optional ``bench`` extra is installed (``pip install -e .[bench]``); ``--no-anchor``
skips it. Not a timed test.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np


def _mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--store", help="also import and link through this new SpatiaLite file")
    ap.add_argument("--no-anchor", action="store_true", help="skip the Splink anchor")
    args = ap.parse_args()

    from gis_core.fusion.linkage import LinkFrame, link
    from gis_core.fusion.standardise import standardise
    from gis_core.fusion.synthetic import generate_population, pairs_of

    t = time.perf_counter()
    pop = generate_population(args.people, seed=args.seed)
    print(f"generated {args.people:,} people in {time.perf_counter() - t:.1f} s")
    cols: dict[str, list] = {k: [] for k in ("id_key", "id_raw", "name", "birth", "gender",
                                             "phone", "address_key", "building_key", "road")}  # fmt: skip
    truth = []
    t = time.perf_counter()
    for code in ("police", "street", "grid"):
        c, _ = pop.columns(code)
        s = standardise("residents", c, code).columns
        cols["id_key"] += s["id_key"]
        cols["id_raw"] += s["id_number_raw"]
        for f in ("name", "gender", "phone", "address_key", "building_key", "road"):
            cols[f] += s[f]
        cols["birth"] += [0 if d is None else d.year * 10000 + d.month * 100 + d.day for d in s["birth_date"]]  # fmt: skip
        truth.append(pop.truth[code])
    t_std = time.perf_counter() - t
    labels_true = np.concatenate(truth)
    frame = LinkFrame.from_columns(cols)
    t = time.perf_counter()
    result = link(frame, "residents")
    t_link = time.perf_counter() - t
    true_pairs, found = pairs_of(labels_true), pairs_of(result.labels)
    both = len(true_pairs & found)
    precision, recall = both / len(found), both / len(true_pairs)
    peak = _mb()
    print(f"records {len(frame):,} (3 sources), candidate pairs {result.pairs:,}, "
          f"possible matches {len(result.possible):,}")  # fmt: skip
    from fusion_splink_anchor import available, run_anchor  # beside this file

    version = None if args.no_anchor else available()
    anchor: dict = {}
    if version is not None:
        print(f"anchor: Splink {version} on DuckDB, same {len(frame):,} records …", flush=True)
        anchor = run_anchor(cols, labels_true, threshold=0.95)
    steps = anchor.get("steps", {})

    def a(key, fmt):
        v = anchor.get(key, steps.get(key))
        return "—" if v is None else format(v, fmt)

    head = f"Splink {version}" if version else "anchor"
    print(f"{'':28}{'zhiwang (numpy FS)':>22}{head:>16}")
    print(f"{'standardise s':28}{t_std:>22.1f}{'(ours)':>16}")
    print(f"{'link s':28}{t_link:>22.1f}{a('seconds', '.1f'):>16}")
    for k, v in result.timings.items():
        print(f"{'  ' + k + ' s':28}{v:>22.2f}{'':>16}")
    for k in ("load", "training", "predict", "clustering"):
        if k in steps:
            print(f"{'  splink ' + k + ' s':28}{'':>22}{steps[k]:>16.2f}")
    print(f"{'precision':28}{precision:>22.4f}{a('precision', '.4f'):>16}")
    print(f"{'recall':28}{recall:>22.4f}{a('recall', '.4f'):>16}")
    print(f"{'peak memory MB':28}{peak:>22.0f}{a('peak_mb', '.0f'):>16}")
    if anchor:
        print(f"anchor: Splink {version}, DuckDB {anchor['duckdb']}, {anchor['pairs_over_0.5']:,} "
              "scored pairs over p=0.5, clustered at 0.95; its peak memory is its own process "
              "(records, pandas, DuckDB); ours includes generating the population")  # fmt: skip
        if anchor["untrained_m"]:
            print("anchor: m not estimated by EM (no match seen; Splink's default used): "
                  + "; ".join(anchor["untrained_m"]))  # fmt: skip
    else:
        print("anchor: not measured (--no-anchor, or `pip install -e .[bench]` for Splink)")
    if args.store:
        from gis_core.fusion.entities import link_kind
        from gis_core.fusion.sources import get_source, import_rows, register_source
        from gis_core.fusion.synthetic import SOURCE_SPECS
        from gis_core.store import Store

        with Store.init(args.store) as store:
            t = time.perf_counter()
            for code in ("police", "street", "grid"):
                register_source(store, SOURCE_SPECS[code])
                c, keys = pop.columns(code)
                import_rows(
                    store, get_source(store, code), c, keys, extracted_at=pop.extracted[code]
                )
            t_imp = time.perf_counter() - t
            summary = link_kind(store, "residents")
            print(f"store: import {t_imp:.1f} s, link + golden records {summary.seconds:.1f} s; "
                  f"{summary.summary()}; peak memory {_mb():.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
