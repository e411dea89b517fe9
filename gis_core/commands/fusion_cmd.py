"""`zhiwang fusion …`: register sources, import their files, link, report data quality, work the
review queue and export the reconciled records (masked unless the user may export personal data)."""

from __future__ import annotations

import argparse
import json
import sys

from gis_core.commands.login import add_login_argument, open_store
from gis_core.store import Store

_STORE_HELP = "postgresql://… or a SpatiaLite file (default: embedded store)"
_KINDS = ("residents", "households", "enterprises", "buildings")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("fusion", help="data fusion across departments (sources, linkage, review)")
    fs = p.add_subparsers(dest="fusion_command", required=True, metavar="ACTION")

    src = fs.add_parser("source", help="register and list sources")
    ss = src.add_subparsers(dest="source_command", required=True, metavar="ACTION")
    add = ss.add_parser("add", help="register a source (a department's system)")
    add.add_argument("code")
    add.add_argument("--store", help=_STORE_HELP)
    add.add_argument("--kind", required=True, choices=_KINDS)
    add.add_argument("--department", required=True)
    add.add_argument("--system")
    add.add_argument("--extracted", metavar="YYYY-MM-DD")
    add.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                     help="a source column and our field (repeat)")  # fmt: skip
    add.add_argument("--trust", action="append", default=[], metavar="FIELD=0.8",
                     help="trust of a field (or * for all), 0..1 (repeat)")  # fmt: skip
    add.add_argument("--key", metavar="COLUMN", help="the source's own row key column")
    add.add_argument("--area-code", metavar="029", help="area code for landlines without one")
    add.add_argument("--replace", action="store_true", help="update a registered source")
    add.set_defaults(func=run_source_add)
    ls = ss.add_parser("list", help="registered sources")
    ls.add_argument("--store", help=_STORE_HELP)
    ls.set_defaults(func=run_source_list)

    imp = fs.add_parser(
        "import",
        help="import a source's file: CSV, Excel, GeoPackage, GeoJSON, Shapefile, CSV with "
        "coordinates",
    )
    imp.add_argument("file")
    imp.add_argument("--store", help=_STORE_HELP)
    imp.add_argument("--source", required=True)
    imp.add_argument("--extracted", metavar="YYYY-MM-DD", help="extraction date of this file")
    imp.add_argument("--sheet", help="Excel sheet (default: the first)")
    imp.add_argument("--layer", help="layer of a multi-layer file (GeoPackage)")
    imp.add_argument("--src-crs", metavar="CRS",
                     help="the file's CRS: EPSG code, gcj02 or bd09 (needed for CSV "
                     "coordinates; overrides a file's own)")  # fmt: skip
    imp.set_defaults(func=run_import)

    ln = fs.add_parser("link", help="link records to entities and update golden records")
    ln.add_argument("--store", help=_STORE_HELP)
    ln.add_argument("--kind", default="residents", choices=_KINDS)
    ln.add_argument("--retrain", action="store_true", help="estimate the model again")
    ln.add_argument("--threshold", type=float, default=0.95, help="match probability to link")
    ln.add_argument("--possible-cap", type=int, default=1000, metavar="N",
                    help="open possible matches kept for review, highest weight first")  # fmt: skip
    ln.set_defaults(func=run_link)

    rp = fs.add_parser("report", help="data-quality report per source and grid cell")
    rp.add_argument("--store", help=_STORE_HELP)
    rp.add_argument("--kind", choices=_KINDS)
    rp.add_argument("--out", metavar="FILE.csv")
    rp.set_defaults(func=run_report)

    rv = fs.add_parser("review", help="the review queue")
    rs = rv.add_subparsers(dest="review_command", required=True, metavar="ACTION")
    rl = rs.add_parser(
        "list",
        help="open conflicts and possible matches, candidates side by side (masked)",
    )
    rl.add_argument("--store", help=_STORE_HELP)
    rl.add_argument("--kind", choices=_KINDS)
    rl.add_argument("--item", choices=("field", "match"),
                    help="field conflicts or possible matches only")  # fmt: skip
    rl.add_argument("--limit", type=int, default=50)
    rl.set_defaults(func=run_review_list)
    rd = rs.add_parser(
        "decide",
        help="accept, reject or edit a conflict; accept (link) or reject (keep apart) a possible match",
    )
    rd.add_argument("item", type=int)
    rd.add_argument("decision", choices=("accept", "reject", "edit"))
    rd.add_argument("--store", help=_STORE_HELP)
    rd.add_argument("--choice", type=int, help="candidate number (default: the proposal)")
    rd.add_argument("--value", help="the value of an edit")
    rd.add_argument("--note")
    add_login_argument(rd)
    rd.set_defaults(func=run_review_decide)

    ex = fs.add_parser("export", help="export golden records (personal fields masked)")
    ex.add_argument("--store", help=_STORE_HELP)
    ex.add_argument("--kind", default="residents", choices=_KINDS)
    ex.add_argument("--out", required=True, metavar="FILE.csv")
    ex.add_argument("--provenance", action="store_true", help="add each field's source and rule")
    ex.add_argument(
        "--unmasked", action="store_true", help="clear personal fields (needs export_personal)"
    )
    add_login_argument(ex)
    ex.set_defaults(func=run_export)


def _pairs(items: list[str], what: str, cast=str) -> dict:
    out = {}
    for item in items:
        if "=" not in item:
            raise SystemExit(f"zhiwang fusion: {what} {item!r} is not NAME=VALUE")
        k, v = item.split("=", 1)
        out[k.strip()] = cast(v.strip())
    return out


def run_source_add(args) -> int:
    import datetime as dt

    from gis_core.fusion.sources import SourceSpec, register_source

    spec = SourceSpec(
        code=args.code, kind=args.kind, department=args.department, system=args.system,
        extracted_at=dt.date.fromisoformat(args.extracted) if args.extracted else None,
        mapping=_pairs(args.map, "--map"), trust=_pairs(args.trust, "--trust", float) or {"*": 0.5},
        key_field=args.key, default_area=args.area_code,
    )  # fmt: skip
    with Store.open(args.store) as store:
        sid = register_source(store, spec, replace=args.replace)
    print(f"source {spec.code} (#{sid}): {spec.kind} from {spec.department}")
    return 0


def run_source_list(args) -> int:
    from gis_core.fusion.sources import list_sources

    with Store.open(args.store) as store:
        for s in list_sources(store):
            print(f"{s.code}\t{s.kind}\t{s.department}\t{s.system or ''}\t"
                  f"{s.extracted_at or ''}\t{json.dumps(s.trust, ensure_ascii=False)}")  # fmt: skip
    return 0


def run_import(args) -> int:
    from gis_core.fusion.sources import import_source

    with Store.open(args.store) as store:
        result = import_source(store, args.source, args.file, args.extracted, args.sheet,
                               layer=args.layer, src_crs=args.src_crs)  # fmt: skip
    print(result.summary())
    for f in result.findings[:20]:
        print(f"  {f}")
    if len(result.findings) > 20:
        print(f"  … {len(result.findings) - 20} more (zhiwang fusion report)")
    return 0


def run_link(args) -> int:
    from gis_core.fusion.entities import link_kind

    with Store.open(args.store) as store:
        summary = link_kind(store, args.kind, retrain=args.retrain, threshold=args.threshold,
                            possible_cap=args.possible_cap)  # fmt: skip
    print(summary.summary())
    return 0


def run_report(args) -> int:
    from gis_core.fusion.quality import quality_report, write_csv

    with Store.open(args.store) as store:
        rows = quality_report(store, args.kind)
    if args.out:
        write_csv(rows, args.out)
        print(f"{len(rows)} rows written to {args.out}")
    print("scope\tname\trecords\tcomplete\tvalid\tdup\tconflicts\tage_days\tscore")
    for r in rows:
        print(f"{r.scope}\t{r.name}\t{r.records}\t{r.completeness:.3f}\t{r.validity:.3f}\t"
              f"{r.duplicates}\t{r.conflicts}\t{r.freshness_days if r.freshness_days is not None else ''}\t"
              f"{r.score:.3f}")  # fmt: skip
    return 0


def run_review_list(args) -> int:
    from gis_core.fusion.review import list_reviews

    with Store.open(args.store) as store:
        items = list_reviews(store, kind=args.kind, limit=args.limit, item=args.item)
    for item in items:
        print(item.line())
    matches = sum(i.item == "match" for i in items)
    print(f"{len(items)} open item(s): {len(items) - matches} field conflict(s), "
          f"{matches} possible match(es)", file=sys.stderr)  # fmt: skip
    return 0


def run_review_decide(args) -> int:
    from gis_core.fusion.review import decide

    with open_store(args.store, args.user) as store:
        user = getattr(store, "user", None)
        if user is not None:
            from gis_core.security.roles import require

            require(user, "edit_residents")
        decide(store, args.item, args.decision, args.choice, args.value,
               by=getattr(user, "username", None), note=args.note)  # fmt: skip
    print(f"#{args.item}: {args.decision}")
    return 0


def run_export(args) -> int:
    from gis_core.fusion.export import export_golden

    with open_store(args.store, args.user) as store:
        n = export_golden(store, args.kind, args.out, provenance=args.provenance,
                          mask_personal=not args.unmasked)  # fmt: skip
    print(f"{n} {args.kind} written to {args.out}" + ("" if args.unmasked else " (masked)"))
    return 0
