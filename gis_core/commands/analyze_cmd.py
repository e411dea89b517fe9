"""`zhiwang analyze`: service equity, service and camera coverage, siting; stored runs.

Every sub-command builds the same parameter object the desktop dialog does, runs the analysis
with progress on stderr, stores the run (unless ``--no-save``) and writes ``--out`` (.csv, .gpkg
or .html).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys

__all__ = ["register"]


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", help="postgresql://… or a SpatiaLite file (default: embedded store)")


def _common(p: argparse.ArgumentParser, out_required: bool = True) -> None:
    _store_arg(p)
    p.add_argument("--out", required=out_required, help="result file: .csv, .gpkg or .html")
    p.add_argument("--date", help="reference date for ages (YYYY-MM-DD, default today)")
    p.add_argument("--title", help="a name for the stored run")
    p.add_argument("--no-save", action="store_true", help="do not store the run in the store")


def _distance(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--distance",
        choices=("straight", "network"),
        default="straight",
        help="straight line or along the streets (default straight)",
    )


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("analyze", help="coverage, service-equity and siting analyses")
    asub = p.add_subparsers(dest="analysis", required=True, metavar="ANALYSIS")

    e = asub.add_parser("equity", help="accessibility of a service (2SFCA, E2SFCA, gravity, ratio)")
    _common(e)
    e.add_argument("--service", required=True, help="facility kind, e.g. clinic")
    e.add_argument("--method", default="2sfca", choices=("2sfca", "e2sfca", "ratio", "gravity"))
    e.add_argument("--radius", type=float, default=1000.0, help="catchment radius in metres")
    _distance(e)
    e.add_argument("--decay", choices=("step", "gaussian", "gravity"), help="distance decay")
    e.add_argument("--steps", help="step weights 'metres:weight,…', e.g. 300:1,600:0.68,1000:0.22")
    e.add_argument("--sigma", type=float, help="Gaussian decay sigma in metres")
    e.add_argument("--beta", type=float, default=1.0, help="gravity exponent (default 1)")
    e.add_argument("--min-distance", type=float, default=10.0, help="gravity minimum distance (m)")
    e.add_argument("--group", help="demand group: all, elderly, children_3_6, children_6_12")
    e.add_argument("--threshold", type=float, help="supply per person below which a cell is short")
    e.set_defaults(func=run_equity_cmd)

    c = asub.add_parser("coverage", help="service or camera coverage")
    csub = c.add_subparsers(dest="target", required=True, metavar="TARGET")
    s = csub.add_parser("service", help="residents within D metres of a facility; isochrones")
    _common(s)
    s.add_argument("--service", required=True)
    s.add_argument("--radius", type=float, default=500.0)
    _distance(s)
    s.add_argument("--group")
    s.add_argument("--minutes", default="5,10,15", help="isochrone walking times (minutes)")
    s.add_argument("--speed", type=float, default=80.0, help="walking speed in m/min")
    s.set_defaults(func=run_service_cmd)
    k = csub.add_parser("cameras", help="camera views, blind spots, suggested new cameras")
    _common(k)
    k.add_argument("--suggest", type=int, default=0, help="suggest K new cameras")
    k.add_argument("--fov", type=float, default=90.0, help="field of view of suggested cameras")
    k.add_argument("--range", type=float, default=50.0, help="range of suggested cameras (m)")
    k.add_argument("--headings", default="0,45,90,135,180,225,270,315")
    k.set_defaults(func=run_cameras_cmd)

    t = asub.add_parser("siting", help="where to add facilities (MCLP, LSCP, p-median)")
    _common(t)
    t.add_argument("--service", required=True)
    t.add_argument("--add", type=int, default=3, help="number of new facilities")
    t.add_argument("--radius", type=float, default=800.0, help="service radius in metres")
    t.add_argument("--model", choices=("mclp", "lscp", "pmedian"), default="mclp")
    _distance(t)
    t.add_argument("--group")
    t.add_argument("--spacing", type=float, default=100.0, help="candidate spacing along streets")
    t.add_argument("--time-limit", type=float, default=60.0, help="solver time limit (s)")
    t.set_defaults(func=run_siting_cmd)

    r = asub.add_parser("runs", help="list stored runs")
    _store_arg(r)
    r.add_argument("--kind")
    r.set_defaults(func=run_list_cmd)
    m = asub.add_parser("compare", help="compare two stored runs cell by cell")
    _store_arg(m)
    m.add_argument("run_a", type=int)
    m.add_argument("run_b", type=int)
    m.add_argument("--out", help="write the comparison as CSV")
    m.set_defaults(func=run_compare_cmd)


# ---------------------------------------------------------------------- helpers
def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _error(f"--date {text!r} is not a date (YYYY-MM-DD)") from None


def _error(message: str) -> Exception:
    from gis_core.analysis.feedback import AnalysisError

    return AnalysisError(message)


def _floats(text: str, what: str) -> tuple[float, ...]:
    try:
        return tuple(float(x) for x in text.split(",") if x.strip())
    except ValueError:
        raise _error(f"{what} must be numbers separated by commas, got {text!r}") from None


def _guard(fn):
    """Run a command; analysis errors become one clear line and exit code 2."""

    def wrapper(args: argparse.Namespace) -> int:
        from gis_core.analysis.feedback import AnalysisCancelled, AnalysisError

        try:
            return fn(args)
        except AnalysisError as exc:
            print(f"zhiwang analyze: error: {exc}", file=sys.stderr)
            return 2
        except AnalysisCancelled:
            print("zhiwang analyze: cancelled", file=sys.stderr)
            return 130

    return wrapper


def _finish(store, result, data, args) -> int:
    from gis_core.analysis.report import write_result
    from gis_core.analysis.runs import save_run

    path = write_result(result, data, args.out)
    run_id = None if args.no_save else save_run(store, result, title=args.title)
    summary = result.summary()
    for key, value in summary.items():
        if isinstance(value, float):
            value = f"{value:.6g}"
        elif isinstance(value, list | dict):
            value = json.dumps(value, ensure_ascii=False, default=str)
        print(f"{key}: {value}")
    for note in result.notes:
        print(f"note: {note}")
    if run_id is not None:
        print(f"stored as run {run_id}")
    print(f"wrote {path}")
    return 0


def _open(args):
    from gis_core.store import Store

    return Store.open(args.store)


# ---------------------------------------------------------------------- commands
@_guard
def run_equity_cmd(args: argparse.Namespace) -> int:
    from gis_core.analysis.data import load_data
    from gis_core.analysis.equity import Decay, EquityParams, run_equity
    from gis_core.analysis.feedback import StderrFeedback

    decay = None
    if args.decay == "step" or args.steps:
        try:
            steps = tuple(
                (float(a), float(b))
                for a, b in (s.split(":") for s in (args.steps or "").split(","))
            )
        except ValueError:
            raise _error("--steps must look like 300:1,600:0.68,1000:0.22") from None
        decay = Decay("step", steps)
    elif args.decay == "gaussian":
        decay = Decay("gaussian", sigma_m=args.sigma)
    elif args.decay == "gravity" or args.method == "gravity":
        decay = Decay("gravity", beta=args.beta, min_distance_m=args.min_distance)
    params = EquityParams(
        service=args.service,
        method=args.method,
        radius_m=args.radius,
        distance=args.distance,
        decay=decay,
        demand_group=args.group,
        threshold=args.threshold,
    ).validated()
    with _open(args) as store:
        layers = ["buildings", "residents", "facilities", "cells"]
        if args.distance == "network":
            layers.append("streets")
        data = load_data(store, layers, _date(args.date), facility_kind=params.service)
        result = run_equity(data, params, StderrFeedback())
        return _finish(store, result, data, args)


@_guard
def run_service_cmd(args: argparse.Namespace) -> int:
    from gis_core.analysis.data import load_data
    from gis_core.analysis.feedback import StderrFeedback
    from gis_core.analysis.service_coverage import ServiceCoverageParams, run_service_coverage

    params = ServiceCoverageParams(
        service=args.service,
        radius_m=args.radius,
        distance=args.distance,
        demand_group=args.group,
        isochrone_minutes=_floats(args.minutes, "--minutes"),
        walk_speed_m_per_min=args.speed,
    ).validated()
    with _open(args) as store:
        layers = ["buildings", "residents", "facilities", "cells", "streets"]
        data = load_data(store, layers, _date(args.date), facility_kind=params.service)
        result = run_service_coverage(data, params, StderrFeedback())
        return _finish(store, result, data, args)


@_guard
def run_cameras_cmd(args: argparse.Namespace) -> int:
    from gis_core.analysis.cameras import CameraCoverageParams, SuggestParams, run_camera_coverage
    from gis_core.analysis.data import load_data
    from gis_core.analysis.feedback import StderrFeedback

    suggest = None
    if args.suggest:
        suggest = SuggestParams(
            k=args.suggest,
            headings_deg=_floats(args.headings, "--headings"),
            fov_deg=args.fov,
            range_m=args.range,
        ).validated()
    with _open(args) as store:
        data = load_data(
            store, ["buildings", "cells", "streets", "cameras", "community"], _date(args.date)
        )
        result = run_camera_coverage(data, CameraCoverageParams(), StderrFeedback(), suggest)
        return _finish(store, result, data, args)


@_guard
def run_siting_cmd(args: argparse.Namespace) -> int:
    from gis_core.analysis.data import load_data
    from gis_core.analysis.feedback import StderrFeedback
    from gis_core.analysis.siting import SitingParams, run_siting

    params = SitingParams(
        service=args.service,
        model=args.model,
        add=args.add,
        radius_m=args.radius,
        distance=args.distance,
        demand_group=args.group,
        candidate_spacing_m=args.spacing,
        time_limit_s=args.time_limit,
    ).validated()
    with _open(args) as store:
        layers = ["buildings", "residents", "facilities", "cells", "streets"]
        data = load_data(store, layers, _date(args.date), facility_kind=params.service)
        result = run_siting(data, params, StderrFeedback())
        return _finish(store, result, data, args)


@_guard
def run_list_cmd(args: argparse.Namespace) -> int:
    from gis_core.analysis.runs import list_runs

    with _open(args) as store:
        for r in list_runs(store, kind=args.kind):
            print(
                f"{r.id}\t{r.kind}\t{r.created_at:%Y-%m-%d %H:%M}\t{r.title or ''}\t"
                + json.dumps(r.parameters, ensure_ascii=False)
            )
    return 0


@_guard
def run_compare_cmd(args: argparse.Namespace) -> int:
    from gis_core.analysis.runs import compare_runs

    with _open(args) as store:
        cmp = compare_runs(store, args.run_a, args.run_b)
    for key, (a, b, d) in cmp.summary_delta.items():
        print(f"{key}: {a:.6g} → {b:.6g} ({d:+.6g})")
    for key, (a, b) in cmp.inputs_changed.items():
        print(f"input {key}: {a} → {b}")
    rows = cmp.rows()
    if args.out:
        with open(args.out, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["cell_id"])
            w.writeheader()
            w.writerows(rows)
        print(f"wrote {args.out}")
    return 0
