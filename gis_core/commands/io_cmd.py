"""`zhiwang import` and `zhiwang export`: files in and out of a store."""

from __future__ import annotations

import argparse
import sys
import time

from gis_core.commands.login import add_login_argument, open_store
from gis_core.exporter import EXPORT_FORMATS, ExportFailed, export_kind
from gis_core.importer import IMPORT_KINDS, ImportFailed, import_file
from gis_core.schema import KINDS
from gis_core.store import Store

# Progress goes to stderr only for files at least this big (rows).
PROGRESS_ROWS = 20_000


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="import a GeoPackage, GeoJSON, Shapefile or CSV file as one layer kind",
        description="Import a file into a store, all or nothing: every problem is reported with "
        "its file, row and field, and nothing is written unless the whole file is clean.",
    )
    p.add_argument("file", metavar="FILE", help=".gpkg, .geojson, .shp or .csv")
    p.add_argument("--store", help="postgresql://… or a SpatiaLite file (default: embedded store)")
    p.add_argument("--as", dest="kind", required=True, choices=IMPORT_KINDS, metavar="KIND",
                   help=f"layer kind: {', '.join(IMPORT_KINDS)}")  # fmt: skip
    p.add_argument("--layer", help="layer of a multi-layer file (GeoPackage)")
    p.add_argument("--mapping", metavar="M.yaml", help="mapping of source fields to ours (YAML)")
    p.add_argument(
        "--src-crs",
        metavar="CRS",
        help="source CRS: EPSG:XXXX, gcj02 (Amap/Tencent) or bd09 (Baidu); overrides the file's",
    )
    p.add_argument(
        "--repair", action="store_true", help="repair invalid geometries with make_valid"
    )
    p.set_defaults(func=run_import)

    e = sub.add_parser(
        "export", help="export one layer kind to .gpkg, .geojson or (residents) .csv"
    )
    e.add_argument("--store", help="postgresql://… or a SpatiaLite file (default: embedded store)")
    e.add_argument("--as", dest="kind", required=True, choices=tuple(KINDS), metavar="KIND",
                   help=f"layer kind: {', '.join(KINDS)}")  # fmt: skip
    e.add_argument("--out", required=True, metavar="FILE", help=", ".join(EXPORT_FORMATS))
    e.add_argument(
        "--crs", help="CRS of a GeoPackage (default: the working CRS); GeoJSON is EPSG:4326"
    )
    e.add_argument(
        "--unmasked",
        action="store_true",
        help="write personal fields (names, ID numbers, phones) unmasked — for moving data "
        "between stores; handle the file as personal data",
    )
    add_login_argument(e)  # a store with accounts: --unmasked needs export_personal
    e.set_defaults(func=run_export)


class _Progress:
    """Progress lines on stderr for big files, at most one per stage and tenth."""

    def __init__(self) -> None:
        self.shown: set[tuple[str, int]] = set()
        self.started = time.perf_counter()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total < PROGRESS_ROWS:
            return
        tenth = int(10 * done / total)
        if (stage, tenth) in self.shown:
            return
        self.shown.add((stage, tenth))
        elapsed = time.perf_counter() - self.started
        print(
            f"  {stage} {done:,}/{total:,} rows ({10 * tenth}%) {elapsed:.1f} s",
            file=sys.stderr,
            flush=True,
        )


def run_import(args: argparse.Namespace) -> int:
    with Store.open(args.store) as store:
        try:
            report = import_file(
                store,
                args.file,
                args.kind,
                layer=args.layer,
                mapping=args.mapping,
                src_crs=args.src_crs,
                repair=args.repair,
                progress=_Progress(),
            )
        except ImportFailed as exc:
            print(f"zhiwang import: error: {exc}", file=sys.stderr)
            return 2
    print(report.summary())
    for warning in report.warnings:
        print(f"  warning: {warning}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    with open_store(args.store, args.user) as store:  # a user exports their grid cells only
        try:
            report = export_kind(
                store, args.kind, args.out, crs=args.crs, mask_personal=not args.unmasked
            )
        except ExportFailed as exc:
            print(f"zhiwang export: error: {exc}", file=sys.stderr)
            return 2
    print(report.summary())
    if args.unmasked and report.kind in ("residents",):
        print("  note: personal fields are unmasked in this file", file=sys.stderr)
    return 0
