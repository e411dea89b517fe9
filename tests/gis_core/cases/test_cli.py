"""`zhiwang cases import | report | escalate | catalogue | list` on an embedded store."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess

import pytest

from desktop.cli import main
from gis_core.cases import EventReport, act, dispatch, report_event

from .conftest import OPERATOR, SHANGHAI, cell_centre, local, worker
from .test_imports import csv_file, lonlat


def one_handled_case(store):
    x, y = cell_centre(1)
    i = report_event(store, EventReport("garbage", x, y, "楼道垃圾"), actor=OPERATOR,
                     at=local(2026, 11, 2, 9))  # fmt: skip
    c = act(store, i.case_id, "verify", actor=OPERATOR, at=local(2026, 11, 2, 9, 30))
    dispatch(store, c.id, actor=OPERATOR, at=local(2026, 11, 2, 10))
    for action, at in (("accept", (10, 30)), ("start", (11, 0)), ("resolve", (15, 0))):
        act(store, c.id, action, actor=worker(1), at=local(2026, 11, 2, *at))
    act(store, c.id, "check", actor=OPERATOR, at=local(2026, 11, 2, 16))
    act(store, c.id, "close", actor=OPERATOR, at=local(2026, 11, 2, 17), satisfaction=4)


def test_import_checks_first_and_writes_only_when_confirmed(sqlite_cases_store, tmp_path, capsys):
    url = str(sqlite_cases_store.engine.url.database)
    now = dt.datetime.now(SHANGHAI)
    fmt = "%Y-%m-%d %H:%M"
    a = lonlat(*cell_centre(1))
    b = lonlat(*cell_centre(2))
    path = csv_file(tmp_path, [
        ("A-1", "垃圾堆放", (now - dt.timedelta(days=1)).strftime(fmt), *a, "good"),
        ("A-2", "占道经营", (now - dt.timedelta(days=1)).strftime(fmt), *a, "unknown category"),
        ("A-3", "dispute", (now + dt.timedelta(days=1)).strftime(fmt), *b, "future"),
        ("A-4", "dispute", (now - dt.timedelta(hours=3)).strftime(fmt), *b, "good"),
    ])  # fmt: skip
    assert main(["cases", "import", str(path), "--store", url, "--source", "城管"]) == 1
    out = capsys.readouterr().out
    assert "row 2, 类别: unknown category '占道经营'" in out
    assert "row 3, 上报时间: time in the future" in out
    assert "nothing written; run again with --confirm to import the 2 good row(s)" in out
    assert sqlite_cases_store.count("events") == 0
    assert (
        main(["cases", "import", str(path), "--store", url, "--source", "城管", "--confirm"]) == 0
    )
    assert "imported 2 event(s): 2 new case(s)" in capsys.readouterr().out
    assert sqlite_cases_store.count("events") == 2


def test_monthly_report_as_csv_and_pdf(sqlite_cases_store, tmp_path, capsys):
    one_handled_case(sqlite_cases_store)
    url = str(sqlite_cases_store.engine.url.database)
    out_csv = tmp_path / "report.csv"
    assert (
        main(["cases", "report", "--month", "2026-11", "--out", str(out_csv), "--store", url]) == 0
    )
    assert "1 case(s) handled" in capsys.readouterr().out
    with out_csv.open(encoding="utf-8-sig") as f:
        table = {(r["group"], r["key"]): r for r in csv.DictReader(f)}
    wang = table[("worker", "wang.wei")]
    assert (wang["steps"], wang["on_time_share"], wang["median_hours"]) == ("3", "1.0000", "0.5000")
    assert (wang["cases_handled"], wang["closed"], wang["satisfaction"]) == ("1", "1", "4.0000")
    assert table[("cell", "1")]["label"] == "第1网格 610402-001-01"
    assert table[("total", "all")]["steps"] == "7"

    out_pdf = tmp_path / "report.pdf"
    assert (
        main(["cases", "report", "--month", "2026-11", "--out", str(out_pdf), "--store", url]) == 0
    )
    data = out_pdf.read_bytes()
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(out_pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "网格员" in text and "wang.wei" in text and "100.0%" in text

    assert (
        main(["cases", "report", "--month", "2026-13", "--out", str(out_csv), "--store", url]) == 2
    )


def test_escalate_list_and_catalogue(sqlite_cases_store, capsys):
    url = str(sqlite_cases_store.engine.url.database)
    x, y = cell_centre(2)
    report_event(sqlite_cases_store, EventReport("dispute", x, y, "邻里纠纷"), actor=OPERATOR,
                 at=local(2026, 11, 2, 9))  # fmt: skip
    assert main(["cases", "escalate", "--store", url, "--now", "2026-11-02T10:00"]) == 0
    assert "0 case(s) escalated" in capsys.readouterr().out
    assert main(["cases", "escalate", "--store", url, "--now", "2026-11-02T11:30"]) == 0
    assert "escalated to level 1 (网格督导员 / grid supervisor)" in capsys.readouterr().out
    assert main(["cases", "list", "--store", url, "--open"]) == 0
    assert "escalated" in capsys.readouterr().out
    assert main(["cases", "catalogue", "--store", url]) == 0
    out = capsys.readouterr().out
    assert "fire_hazard" in out and "消防隐患" in out and "fusion: 50 m, 120 min" in out


@pytest.mark.parametrize("argv", [["cases", "report", "--month", "2026-11", "--out", "r.txt"]])
def test_report_refuses_other_formats(argv, sqlite_cases_store, capsys):
    url = str(sqlite_cases_store.engine.url.database)
    assert main([*argv, "--store", url]) == 2
