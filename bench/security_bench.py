"""What access control costs: encryption of the demo's residents, the demo load with and without
personal fields, COPY through the row-level-security staging table, and a viewport query of a
scoped session next to the owner's.

    .venv/bin/python bench/security_bench.py [--buildings 3000] [--pg postgresql://…/db]

Anchors measured in the same run: the same residents loaded without ID numbers and phones (no
encryption), the same buildings copied with RLS not forced (plain COPY), the owner's viewport query
(policy short-circuits on ``*``). Goal: the demo (3,000 buildings, ~73,000 residents) still loads
in about two seconds on SpatiaLite. Not a timed test; figures go to stdout and
bench/out/security_bench.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import tempfile
import time
import uuid
from pathlib import Path


def _timed(fn, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--buildings", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--pg",
        default=os.environ.get(
            "ZHIWANG_TEST_PG", "postgresql://zhiwang:zhiwang@127.0.0.1:5432/zhiwang_test"
        ),
    )
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="zw-secbench-"))
    os.environ.setdefault("ZHIWANG_HOME", str(tmp / "home"))
    os.environ.setdefault("ZHIWANG_KEY_STORE", "file")

    from gis_core import demo
    from gis_core.security import personal
    from gis_core.security.keys import generate_key
    from gis_core.store import Store

    data = demo.generate(args.buildings, args.seed, True, 4545)
    res_cols, _ = data.layers["residents"]
    n = len(res_cols["id"])
    figures: dict[str, float | int | str] = {"buildings": args.buildings, "residents": n}

    key = generate_key()
    ids = [str(v) for v in res_cols["id_number"].tolist()]
    phones = [None if v is None else str(v) for v in res_cols["phone"].tolist()]
    figures["encrypt_id_numbers_s"] = _timed(
        lambda: key.encrypt_many(ids, "residents.id_number"), 3
    )
    figures["encrypt_phones_s"] = _timed(lambda: key.encrypt_many(phones, "residents.phone"), 3)
    figures["blind_index_s"] = _timed(lambda: key.blind_many(ids), 3)
    enc = key.encrypt_many(ids, "residents.id_number")
    figures["decrypt_and_mask_s"] = _timed(
        lambda: [
            personal.PERSONAL_FIELDS["residents"]["id_number"](v)
            for v in key.decrypt_many(enc, "residents.id_number")
        ],
        3,
    )

    # The demo load on SpatiaLite: as is, and with the personal fields left out (the anchor).
    def load(path: Path, strip: bool) -> float:
        with Store.init(path) as store:
            d = demo.generate(args.buildings, args.seed, True, store.srid)
            if strip:
                cols, geom = d.layers["residents"]
                d.layers["residents"] = (
                    {k: v for k, v in cols.items() if k not in ("id_number", "phone")},
                    geom,
                )
            t = time.perf_counter()
            demo.load(store, d)
            return time.perf_counter() - t

    figures["demo_load_spatialite_s"] = load(tmp / "with.sqlite", False)
    # Anchor: the same values written in clear (the store's encryption hook bypassed).
    real = personal.protect_columns
    personal.protect_columns = lambda store, kind, columns, conn=None: dict(columns)
    try:
        figures["demo_load_spatialite_clear_s"] = load(tmp / "clear.sqlite", False)
    finally:
        personal.protect_columns = real
    figures["demo_load_spatialite_no_personal_s"] = load(tmp / "without.sqlite", True)

    try:
        figures.update(_postgis(args, tmp))
    except Exception as exc:  # no server: the SpatiaLite figures still stand
        figures["postgis"] = f"skipped: {exc}"

    width = max(map(len, figures))
    for k, v in figures.items():
        shown = f"{v:.3f}" if isinstance(v, float) else str(v)
        print(f"{k:<{width}}  {shown}")
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / "security_bench.json").write_text(
        json.dumps({"when": dt.datetime.now().isoformat(timespec="seconds"), **figures}, indent=2)
    )


def _postgis(args, tmp: Path) -> dict:
    import psycopg

    from gis_core import demo
    from gis_core.security.accounts import User
    from gis_core.store import Store

    base = args.pg.rsplit("/", 1)[0]
    name = f"zw_secbench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.pg, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = f"{base}/{name}"
    out: dict = {}
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        with Store.init(url) as store:
            d = demo.generate(args.buildings, args.seed, True, store.srid)
            t = time.perf_counter()
            demo.load(store, d)
            out["demo_load_postgis_s"] = time.perf_counter() - t
            cols, _ = d.layers["residents"]
            plain = {
                k: demo._for_store(v)
                for k, v in cols.items()
                if k not in ("id", "id_number", "phone")
            }
            # Residents again (without personal fields: COPY cost alone) into the emptied table:
            # through the staging table (RLS forced) and, the anchor, by plain COPY.
            with store.begin() as conn:
                conn.exec_driver_sql("DELETE FROM residents")
            out["copy_residents_rls_staging_s"] = _timed(lambda: _reload(store, plain), 1)
            with store.begin() as conn:
                conn.exec_driver_sql("DELETE FROM residents")
                conn.exec_driver_sql("ALTER TABLE residents NO FORCE ROW LEVEL SECURITY")
            out["copy_residents_plain_s"] = _timed(lambda: _reload(store, plain), 1)
            with store.begin() as conn:
                conn.exec_driver_sql("ALTER TABLE residents FORCE ROW LEVEL SECURITY")
            ext = store.extent("buildings")
            cx, cy = (ext[0] + ext[2]) / 2, (ext[1] + ext[3]) / 2
            view = (cx - 400, cy - 300, cx + 400, cy + 300)
            cells = store.query_all("grid_cells").ids.tolist()
            owner_ms = _timed(lambda: store.query_bbox("buildings", view), 20) * 1000
            scoped = store.as_user(
                User(1, "bench", "grid_worker", frozenset(cells[: len(cells) // 2]))
            )
            scoped_ms = _timed(lambda: scoped.query_bbox("buildings", view), 20) * 1000
            out["viewport_owner_ms"] = owner_ms
            out["viewport_scoped_half_cells_ms"] = scoped_ms
            out["viewport_rows_owner"] = len(store.query_bbox("buildings", view))
            out["viewport_rows_scoped"] = len(scoped.query_bbox("buildings", view))
            scoped.close()
    finally:
        with psycopg.connect(args.pg, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    return out


def _reload(store, cols) -> None:
    with store.begin() as conn:
        store.bulk_insert("residents", cols, conn=conn)


if __name__ == "__main__":
    main()
