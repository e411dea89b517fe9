"""`zhiwang cases`: import events from another department, the monthly report, escalation of
overdue cases, the event catalogue, and a list of cases."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from gis_core.commands.login import add_login_argument, open_store

__all__ = ["register"]


def _store_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", help="postgresql://… or a SpatiaLite file (default: embedded store)")
    add_login_argument(p)


def register(sub: argparse._SubParsersAction) -> None:
    cases = sub.add_parser(
        "cases",
        help="events and cases: import, monthly report, escalation, catalogue",
        description="Events, dispatch and the closed loop (事件处置闭环).",
    )
    csub = cases.add_subparsers(dest="cases_command", required=True, metavar="ACTION")

    p = csub.add_parser(
        "import",
        help="import events from another department's CSV/JSON (checks first; --confirm writes)",
        description="Check every row of a CSV or JSON file of events and report the problems "
        "per row (unknown category, time in the future, point outside every grid cell, …). "
        "Nothing is written unless --confirm is given; then the good rows go in.",
    )
    p.add_argument("file", metavar="FILE", help=".csv (UTF-8 or GBK) or .json / .geojson")
    _store_args(p)
    p.add_argument("--source", default="external",
                   help="the sending system's name; ids already imported from it are refused")  # fmt: skip
    p.add_argument("--src-crs", metavar="CRS",
                   help="CRS of lon/lat columns: EPSG:4326 (default), gcj02 or bd09")  # fmt: skip
    p.add_argument("--confirm", action="store_true", help="write the good rows")
    p.set_defaults(func=run_import)

    r = csub.add_parser(
        "report",
        help="the monthly performance report (per worker, department, cell) as PDF or CSV",
    )
    r.add_argument("--month", required=True, metavar="YYYY-MM", help="e.g. 2026-11")
    r.add_argument("--out", required=True, metavar="FILE", help="report.pdf or report.csv")
    _store_args(r)
    r.set_defaults(func=run_report)

    e = csub.add_parser(
        "escalate", help="escalate every overdue open case one rung up its category's ladder"
    )
    _store_args(e)
    e.add_argument("--now", metavar="ISO", help="act as if it were this time (for replays)")
    e.set_defaults(func=run_escalate)

    c = csub.add_parser("catalogue", help="show the store's event catalogue, or load one")
    _store_args(c)
    c.add_argument("--load", metavar="CATALOGUE.yaml", help="make this catalogue the store's")
    c.add_argument("--calendar", metavar="CALENDAR.yaml",
                   help="with --load: the working calendar (default: the shipped one)")  # fmt: skip
    c.set_defaults(func=run_catalogue)

    ls = csub.add_parser("list", help="cases, most urgent first")
    _store_args(ls)
    ls.add_argument("--state", action="append", help="only this state (repeatable)")
    ls.add_argument("--open", action="store_true", help="open cases only")
    ls.set_defaults(func=run_list)


def run_import(args: argparse.Namespace) -> int:
    from gis_core.cases.imports import commit_import, preview_import

    with open_store(args.store, args.user) as store:
        preview = preview_import(store, args.file, source=args.source, src_crs=args.src_crs)
        print(preview.summary())
        if not args.confirm:
            if preview.rows:
                print(
                    f"nothing written; run again with --confirm to import the {len(preview.rows)} good row(s)"
                )
            return 1 if preview.problems else 0
        if not preview.rows:
            print("nothing to import", file=sys.stderr)
            return 2
        result = commit_import(store, preview)
    print(
        f"imported {result.events} event(s): {result.cases_opened} new case(s), "
        f"{result.proposed} proposed for an existing case"
    )
    for p in result.skipped:
        print(f"  skipped {p}")
    return 0


def run_report(args: argparse.Namespace) -> int:
    from gis_core.cases.report import monthly_report

    if not args.out.lower().endswith((".pdf", ".csv")):
        print("zhiwang cases report: error: --out must end in .pdf or .csv", file=sys.stderr)
        return 2
    with open_store(args.store, args.user) as store:
        try:
            report = monthly_report(store, args.month)
        except ValueError as exc:
            print(f"zhiwang cases report: error: {exc}", file=sys.stderr)
            return 2
        path = report.write(args.out)
    t = report.table.total
    print(
        f"{path}: {args.month} — {t.cases_handled} case(s) handled, {t.steps} step(s), "
        f"{len(report.table.rows('worker'))} worker(s), "
        f"{len(report.table.rows('department'))} department(s), "
        f"{len(report.table.rows('cell'))} cell(s)"
    )
    return 0


def run_escalate(args: argparse.Namespace) -> int:
    from gis_core.cases.escalation import escalate_overdue

    now = None
    if args.now:
        now = dt.datetime.fromisoformat(args.now)
        if now.tzinfo is None:
            from gis_core.cases.catalogue import Catalogue

            now = now.replace(tzinfo=Catalogue.default().calendar.tz)
    with open_store(args.store, args.user) as store:
        done = escalate_overdue(store, now=now)
    for e in done:
        print(f"case {e.case_id}: escalated to level {e.level} ({e.rung})")
    print(f"{len(done)} case(s) escalated")
    return 0


def run_catalogue(args: argparse.Namespace) -> int:
    from gis_core.cases.calendar import WorkingCalendar
    from gis_core.cases.catalogue import Catalogue, load_catalogue, save_catalogue

    with open_store(args.store, args.user) as store:
        if args.load:
            from gis_core.security.accounts import authorize

            authorize(store, getattr(store, "user", None), "manage_users")
            calendar = WorkingCalendar.load(args.calendar) if args.calendar else None
            save_catalogue(store, Catalogue.load(args.load, calendar))
        cat = load_catalogue(store)
    for c in cat.categories.values():
        limits = ", ".join(f"{k} {v:g}h" for k, v in c.limits.items())
        ladder = " → ".join(r.name for r in c.ladder)
        print(f"{c.code:<22} {c.name} / {c.name_en} [{c.clock}] {limits}; ladder: {ladder}")
    print(f"departments: {', '.join(f'{d.code} ({d.name})' for d in cat.departments.values())}")
    print(f"fusion: {cat.fusion.distance_m:g} m, {cat.fusion.minutes:g} min")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from gis_core.cases.catalogue import load_catalogue
    from gis_core.cases.workflow import list_cases, time_left

    with open_store(args.store, args.user) as store:
        cat = load_catalogue(store)
        rows = list_cases(store, states=args.state, open_only=args.open)
    for c in rows:
        left = time_left(c, cat)
        due = (
            ""
            if left is None
            else (f"{left:.1f} h left" if left >= 0 else f"{-left:.1f} h OVERDUE")
        )
        print(
            f"#{c.id:<6} v{c.version:<3} {c.state:<12} {c.category:<20} "
            f"{c.handler or '-':<16} {due:<16} {c.title or ''}"
        )
    print(f"{len(rows)} case(s)")
    return 0
