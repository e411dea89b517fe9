"""The monthly performance report: figures per grid worker, department and cell from the case
step log (:mod:`gis_core.cases.performance`), written as CSV (UTF-8 with BOM, for Excel) or PDF
(:mod:`gis_core.cases.pdf`). The month is a calendar month in the calendar's time zone.

Example::

    report = monthly_report(store, "2026-11")
    report.write("report.pdf")
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import and_, select, text

from gis_core.cases.calendar import utc
from gis_core.cases.catalogue import Catalogue, load_catalogue
from gis_core.cases.performance import GroupFigures, PerformanceTable, compute_performance
from gis_core.cases.workflow import STEPS, _naive, _step

__all__ = ["MonthlyReport", "monthly_report", "month_bounds", "CSV_COLUMNS"]

CSV_COLUMNS = (
    "group",
    "key",
    "label",
    "cases_handled",
    "steps",
    "timed_steps",
    "on_time_steps",
    "on_time_share",
    "median_hours",
    "closed",
    "closed_first_check",
    "first_check_share",
    "reopened",
    "reopened_share",
    "satisfaction",
    "satisfaction_n",
)
_GROUP_TITLES = {
    "worker": ("网格员", "grid workers"),
    "department": ("职能部门", "departments"),
    "cell": ("网格", "grid cells"),
    "total": ("合计", "total"),
}


def month_bounds(month: str, catalogue: Catalogue) -> tuple[dt.datetime, dt.datetime]:
    """``2026-11`` → the month's first and the next month's first instant, local time, in UTC."""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", month.strip())
    if not m or not 1 <= int(m[2]) <= 12:
        raise ValueError(f"not a month: {month!r} (use YYYY-MM, e.g. 2026-11)")
    year, mon = int(m[1]), int(m[2])
    tz = catalogue.calendar.tz
    start = dt.datetime(year, mon, 1, tzinfo=tz)
    end = dt.datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=tz)
    return utc(start), utc(end)


@dataclass(frozen=True)
class MonthlyReport:
    month: str
    table: PerformanceTable
    generated_at: dt.datetime
    timezone: str

    def rows(self) -> list[GroupFigures]:
        return [r for g in ("worker", "department", "cell", "total") for r in self.table.rows(g)]

    def write(self, path: str | Path) -> Path:
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".csv":
            return self.write_csv(path)
        if suffix == ".pdf":
            return self.write_pdf(path)
        raise ValueError(f"{path}: write .csv or .pdf")

    def write_csv(self, path: str | Path) -> Path:
        path = Path(path)
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(CSV_COLUMNS)
            for r in self.rows():
                d = r.as_dict()
                w.writerow([_csv(d[c]) for c in CSV_COLUMNS])
        return path

    def write_pdf(self, path: str | Path) -> Path:
        from gis_core.cases.pdf import PdfDocument

        pdf = PdfDocument(title=f"月度绩效报告 {self.month}")
        margin, y = 40.0, 56.0
        pdf.text(margin, y, f"事件处置绩效月报 Monthly performance report — {self.month}", 15, True)
        y += 18
        local = self.generated_at.astimezone(_tz(self.timezone))
        pdf.text(
            margin,
            y,
            f"生成 generated {local:%Y-%m-%d %H:%M} ({self.timezone}) · 数据来源：案件流转日志 "
            "(case step log)",
            8,
            color=(0.35, 0.35, 0.35),
        )
        y += 20
        t = self.table.total
        summary = [
            ("处置案件 cases handled", str(t.cases_handled)),
            ("环节按时率 steps on time", _pct(t.on_time_share)),
            ("环节中位时长 median step (h)", _hours(t.median_hours)),
            ("结案 closed", str(t.closed)),
            ("一次核查通过率 closed on first check", _pct(t.first_check_share)),
            ("重启率 reopened", _pct(t.reopened_share)),
            ("平均满意度 satisfaction (1–5)", _sat(t.satisfaction)),
        ]
        for i, (label, value) in enumerate(summary):
            col = i % 2
            x = margin + col * 262
            pdf.rect(x, y - 11, 250, 16, fill=(0.95, 0.96, 0.98))
            pdf.text(x + 6, y, label, 8.5)
            pdf.text(x + 244, y, value, 9.5, True, align="right")
            if col == 1 or i == len(summary) - 1:
                y += 20
        y += 8
        for group in ("worker", "department", "cell"):
            rows = self.table.rows(group)
            y = _table(pdf, margin, y, group, rows)
        _footer(pdf)
        return pdf.save(path)


def _tz(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def _csv(v):
    if isinstance(v, float):
        return f"{v:.4f}"
    return "" if v is None else v


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{100 * v:.1f}%"


def _hours(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}"


def _sat(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f}"


_HEAD = (
    ("名称 name", 150, "left"),
    ("处置 handled", 48, "right"),
    ("环节 steps", 42, "right"),
    ("按时 on time", 58, "right"),
    ("中位h median h", 58, "right"),
    ("结案 closed", 44, "right"),
    ("一次通过 1st check", 58, "right"),
    ("重启 reopened", 44, "right"),
    ("满意度 sat.", 40, "right"),
)


def _table(pdf, margin: float, y: float, group: str, rows: list[GroupFigures]) -> float:
    zh, en = _GROUP_TITLES[group]
    bottom = pdf.height - 60
    if y > bottom - 60:
        _footer(pdf)
        pdf.new_page()
        y = 56.0
    pdf.text(margin, y, f"{zh} {en}", 12, True)
    y += 8
    if not rows:
        pdf.text(margin, y + 12, "（本月无记录 no records this month）", 9, color=(0.4, 0.4, 0.4))
        return y + 32

    def header(y: float) -> float:
        pdf.rect(margin, y, sum(w for _, w, _ in _HEAD), 22, fill=(0.18, 0.33, 0.55))
        x = margin
        for label, w, align in _HEAD:
            zh_, _, en_ = label.partition(" ")
            tx = x + 4 if align == "left" else x + w - 4
            pdf.text(tx, y + 9, zh_, 7.5, color=(1, 1, 1), align=align)
            pdf.text(tx, y + 18, en_, 6.5, color=(0.85, 0.9, 1), align=align)
            x += w
        return y + 22

    y = header(y)
    for i, r in enumerate(rows):
        if y > bottom:
            _footer(pdf)
            pdf.new_page()
            y = header(56.0)
        if i % 2:
            pdf.rect(margin, y, sum(w for _, w, _ in _HEAD), 14, fill=(0.95, 0.96, 0.98))
        on_time = r.on_time_share
        cells = (
            pdf.fit(r.label or r.key, 8, 142),
            str(r.cases_handled),
            str(r.steps),
            _pct(on_time),
            _hours(r.median_hours),
            str(r.closed),
            _pct(r.first_check_share),
            _pct(r.reopened_share),
            _sat(r.satisfaction),
        )
        x = margin
        for (label, w, align), value in zip(_HEAD, cells):
            colour = (0.0, 0.0, 0.0)
            if label.startswith("按时") and on_time is not None and on_time < 0.8:
                colour = (0.75, 0.1, 0.1)
            pdf.text(x + 4 if align == "left" else x + w - 4, y + 10, value, 8, color=colour,
                     align=align)  # fmt: skip
            x += w
        # On-time share as a bar under the row: the eye finds the late ones.
        if on_time is not None:
            pdf.rect(margin + 150, y + 12, 220 * on_time, 1.2, fill=(0.2, 0.55, 0.3))
        y += 14
    return y + 18


def _footer(pdf) -> None:
    pdf.text(
        pdf.width / 2,
        pdf.height - 28,
        f"织网 Zhiwang — {pdf.page_count}",
        7,
        color=(0.5, 0.5, 0.5),
        align="centre",
    )


def _labels(store, table_keys: set[tuple[str, str]], catalogue: Catalogue) -> dict:
    labels: dict[tuple[str, str], str] = {}
    for code, d in catalogue.departments.items():
        labels[("department", code)] = f"{d.name} {d.name_en}"
    cells = [int(k) for g, k in table_keys if g == "cell" and k.isdigit()]
    with store.engine.connect() as conn:
        if cells:
            for cid, code, name in conn.execute(
                text("SELECT id, code, name FROM grid_cells"),
            ):
                labels[("cell", str(cid))] = f"{name or ''} {code}".strip()
        try:
            for username, display in conn.execute(
                text("SELECT username, display_name FROM users WHERE display_name IS NOT NULL")
            ):
                labels[("worker", username)] = f"{display} ({username})"
        except Exception:  # pragma: no cover - a store without accounts tables
            pass
    return labels


def monthly_report(
    store,
    month: str,
    catalogue: Catalogue | None = None,
    now: dt.datetime | None = None,
) -> MonthlyReport:
    """The figures of ``month`` (``YYYY-MM``) from the step log of every case with a step in it."""
    cat = catalogue or load_catalogue(store)
    start, end = month_bounds(month, cat)
    touched = (
        select(STEPS.c.case_id)
        .where(and_(STEPS.c.at >= _naive(start), STEPS.c.at < _naive(end)))
        .distinct()
    )
    q = (
        select(STEPS)
        .where(and_(STEPS.c.case_id.in_(touched), STEPS.c.at < _naive(end)))
        .order_by(STEPS.c.case_id, STEPS.c.seq)
    )
    with store.engine.connect() as conn:
        steps = [_step(r) for r in conn.execute(q)]
    table = compute_performance(steps, start, end, cat)
    labels = _labels(store, set(table.figures), cat)
    for key, f in table.figures.items():
        f.label = labels.get(key, f.key if key[0] != "total" else "合计 total")
    return MonthlyReport(month, table, utc(now or dt.datetime.now(dt.UTC)), cat.calendar.timezone)
