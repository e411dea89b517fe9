"""`zhiwang analyze …` on a real store (both backends): CSV rows per building, a GeoPackage layer
per result, an HTML report that needs no network, stored runs, clear errors."""

from __future__ import annotations

import argparse
import csv
import re
import shutil
import subprocess

import numpy as np
import pytest

from gis_core.analysis.data import load_data
from gis_core.analysis.equity import EquityParams, run_equity
from gis_core.commands import analyze_cmd
from gis_core.store import Store

from .synthetic import REF, community, populate


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="zhiwang")
    analyze_cmd.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.fixture(scope="module")
def spatialite_path(tmp_path_factory):
    """One SpatiaLite store for the tests whose output does not depend on the backend."""
    path = str(tmp_path_factory.mktemp("cli") / "store.sqlite")
    data = community(n_buildings=250, n_facilities=6, seed=4, kinds=("clinic", "kindergarten"))
    with Store.init(path) as s:
        populate(s, data)
    return path


@pytest.fixture
def store_path(store_url):
    data = community(n_buildings=250, n_facilities=6, seed=4, kinds=("clinic", "kindergarten"))
    with Store.init(store_url) as s:
        populate(s, data)
    return store_url


def test_equity_csv_has_one_row_per_building(store_path, tmp_path, capsys):
    out = tmp_path / "r.csv"
    argv = ["analyze", "equity", "--store", store_path, "--service", "clinic"]
    assert _run(argv + ["--radius", "400", "--out", str(out), "--date", "2026-01-01"]) == 0
    with open(out, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["building_id", "grid_cell_code", "demand", "accessibility"]
    assert len(rows) == 250
    with Store.open(store_path) as s:
        ref = run_equity(load_data(s, reference_date=REF), EquityParams("clinic", "2sfca", 400.0))
    by_id = {int(r["building_id"]): float(r["accessibility"]) for r in rows}
    ours = np.array([by_id[int(b)] for b in ref.building_ids])
    np.testing.assert_allclose(ours, ref.accessibility, rtol=1e-12)
    assert all(r["grid_cell_code"].startswith("610402-001-") for r in rows)
    printed = capsys.readouterr()
    assert "stored as run" in printed.out and "gini:" in printed.out
    assert "%]" in printed.err  # progress goes to stderr


def test_gpkg_has_a_layer_per_result(store_path, tmp_path):
    pyogrio = pytest.importorskip("pyogrio")
    out = tmp_path / "s.gpkg"
    assert (
        _run(
            [
                "analyze",
                "coverage",
                "service",
                "--store",
                store_path,
                "--service",
                "kindergarten",
                "--radius",
                "300",
                "--distance",
                "network",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    layers = {name for name, _ in pyogrio.list_layers(out)}
    assert {"cells", "buildings", "facilities", "isochrones", "summary"} <= layers
    iso = pyogrio.read_dataframe(out, layer="isochrones")
    assert sorted(iso["minutes"]) == [5.0, 10.0, 15.0] and iso.crs.to_epsg() == 4545


def test_html_report_needs_no_network(spatialite_path, tmp_path):
    out = tmp_path / "c.html"
    assert (
        _run(
            [
                "analyze",
                "coverage",
                "cameras",
                "--store",
                spatialite_path,
                "--suggest",
                "2",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    html = out.read_text(encoding="utf-8")
    remote = re.findall(r"<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", html)
    assert remote == []
    assert "L.map(" in html and "leaflet-control-layers" in html  # Leaflet is inlined
    assert "data:image/png;base64" in html  # its images too
    assert "blind_spots" in html and "zw-summary" in html
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        return  # parsed above; no browser to render with here
    dom = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=3000",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--dump-dom",
            out.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    # Leaflet ran (offline) and drew the layers into its overlay pane.
    assert "leaflet-container" in dom and "leaflet-overlay-pane" in dom
    assert "<canvas" in dom or "<path" in dom


def test_siting_and_stored_runs(store_path, tmp_path, capsys):
    for model in ("mclp", "pmedian"):
        out = tmp_path / f"{model}.csv"
        assert (
            _run(
                [
                    "analyze",
                    "siting",
                    "--store",
                    store_path,
                    "--service",
                    "clinic",
                    "--add",
                    "2",
                    "--radius",
                    "250",
                    "--model",
                    model,
                    "--out",
                    str(out),
                ]
            )
            == 0
        )
        with open(out, encoding="utf-8") as f:
            assert len(list(csv.DictReader(f))) == 2
    capsys.readouterr()
    assert _run(["analyze", "runs", "--store", store_path]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and lines[0].split("\t")[1] == "siting"
    ids = [int(line.split("\t")[0]) for line in lines]
    assert (
        _run(
            [
                "analyze",
                "compare",
                "--store",
                store_path,
                str(ids[1]),
                str(ids[0]),
                "--out",
                str(tmp_path / "cmp.csv"),
            ]
        )
        == 0
    )
    assert "covered_after" in (tmp_path / "cmp.csv").read_text()


@pytest.mark.parametrize(
    "argv,message",
    [
        (["equity", "--service", "clinic", "--radius", "-5"], "radius must be a positive"),
        (["equity", "--service", "spa"], "unknown service kind 'spa'"),
        (["equity", "--service", "hospital"], "empty supply"),
        (["equity", "--service", "clinic", "--steps", "300:1,x"], "--steps must look like"),
        (["siting", "--service", "clinic", "--add", "0"], "add at least one"),
    ],
)
def test_invalid_parameters_exit_2_with_a_clear_message(
    spatialite_path, tmp_path, capsys, argv, message
):
    argv = ["analyze", *argv, "--store", spatialite_path, "--out", str(tmp_path / "x.csv")]
    assert _run(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_registered_in_the_cli():
    from desktop.cli import COMMAND_MODULES

    assert "gis_core.commands.analyze_cmd" in COMMAND_MODULES
