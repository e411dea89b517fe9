"""`zhiwang init`: create an empty store with a working CRS."""

from __future__ import annotations

import argparse

from gis_core.crs import DEFAULT_WORKING_CRS
from gis_core.store import Store


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="create an empty store (PostGIS or SpatiaLite)")
    p.add_argument("--store", required=True, help="postgresql://… or a SpatiaLite file path")
    p.add_argument(
        "--crs",
        default=DEFAULT_WORKING_CRS,
        help=f"working CRS, projected in metres (default {DEFAULT_WORKING_CRS}, "
        "CGCS2000 3-degree Gauss-Kruger CM 108E)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with Store.init(args.store, crs=args.crs) as store:
        print(f"initialised {store.backend} store {store.url} in EPSG:{store.srid}")
    return 0
