"""Events from another department's system (CSV or JSON), in two phases: :func:`preview_import`
reads and checks every row and writes nothing; :func:`commit_import` writes the good rows — as
events, fused into cases like any report — when the user confirms.

Each problem names its row and field: unknown category, missing or unreadable time, a time in
the future, no position, a point outside every grid cell, an id twice in the file or already
imported. Fields are matched by name, English or Chinese::

    编号,类别,上报时间,经度,纬度,描述
    CG-2026-0101,垃圾堆放,2026-11-02 09:30,108.7012,34.3297,人民路18号门口垃圾堆积

Positions are ``lon``/``lat`` (WGS84; ``src_crs`` gcj02 or bd09 for positions picked on Amap or
Baidu) or ``x``/``y`` in the store's working CRS. Times without a zone are local
(the calendar's zone, Asia/Shanghai).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select

from gis_core.cases.calendar import utc
from gis_core.cases.catalogue import Catalogue, load_catalogue
from gis_core.cases.intake import (
    FUTURE_TOLERANCE,
    EventReport,
    cells_of,
    fusion_groups,
    report_event,
)
from gis_core.cases.lifecycle import PermissionDenied
from gis_core.cases.workflow import EVENTS, in_transaction, lock_for_write, resolve_actor
from gis_core.store import StoreError

__all__ = [
    "RowProblem",
    "ImportRow",
    "ImportPreview",
    "ImportResult",
    "preview_import",
    "commit_import",
    "FIELD_ALIASES",
]

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "external_id", "ref", "no", "编号", "事件编号", "工单号", "案件编号"),
    "category": ("category", "type", "类别", "事件类别", "事件类型", "分类"),
    "time": ("reported_at", "time", "datetime", "timestamp", "上报时间", "发生时间", "时间"),
    "x": ("x",),
    "y": ("y",),
    "lon": ("lon", "lng", "longitude", "经度"),
    "lat": ("lat", "latitude", "纬度"),
    "description": ("description", "desc", "detail", "content", "描述", "内容", "事件描述"),
    "title": ("title", "标题", "事件标题"),
    "address": ("address", "地址", "位置"),
    "photos": ("photos", "photo", "images", "照片", "图片"),
}
_MAX_SHOWN = 200


@dataclass(frozen=True)
class RowProblem:
    """``row``: the data row, 1 = the first after the header (0: the whole file)."""

    row: int
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        return f"{where}{f', {self.field}' if self.field else ''}: {self.message}"


@dataclass(frozen=True)
class ImportRow:
    row: int
    report: EventReport
    cell: int
    group: int  # rows sharing a group are proposed as one case


@dataclass
class ImportPreview:
    """What :func:`commit_import` would write, and what it would leave out and why."""

    path: str
    source: str
    total: int
    rows: list[ImportRow]
    problems: list[RowProblem]
    checked_at: dt.datetime
    by_category: dict[str, int] = field(default_factory=dict)

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems if p.row})

    @property
    def groups(self) -> int:
        return len({r.group for r in self.rows})

    def summary(self) -> str:
        lines = [
            f"{self.path}: {self.total} rows — {len(self.rows)} good, {self.bad_rows} with "
            f"problems; the good rows make {self.groups} case(s) "
            f"({len(self.rows) - self.groups} proposed as the same problem as another row)"
        ]
        if self.by_category:
            lines.append(
                "  by category: " + ", ".join(f"{k} {v}" for k, v in self.by_category.items())
            )
        for p in self.problems[:_MAX_SHOWN]:
            lines.append(f"  {p}")
        if len(self.problems) > _MAX_SHOWN:
            lines.append(f"  … and {len(self.problems) - _MAX_SHOWN} more problems")
        return "\n".join(lines)


@dataclass(frozen=True)
class ImportResult:
    events: int
    cases_opened: int
    proposed: int
    skipped: list[RowProblem]
    case_ids: tuple[int, ...]


# ------------------------------------------------------------------------------------- reading
def _read_rows(path: Path) -> list[dict[str, Any]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            body = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise StoreError(f"{path}: neither UTF-8 nor GBK text")
    if path.suffix.lower() in (".json", ".geojson"):
        try:
            data = json.loads(body)
        except json.JSONDecodeError as exc:
            raise StoreError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from exc
        if isinstance(data, Mapping) and data.get("type") == "FeatureCollection":
            rows = []
            for feature in data.get("features") or ():
                props = dict(feature.get("properties") or {})
                geom = feature.get("geometry") or {}
                if geom.get("type") == "Point" and len(geom.get("coordinates") or ()) >= 2:
                    props.setdefault("lon", geom["coordinates"][0])
                    props.setdefault("lat", geom["coordinates"][1])
                rows.append(props)
            return rows
        if isinstance(data, Mapping):
            for key in ("events", "rows", "data", "items", "records"):
                if isinstance(data.get(key), list):
                    data = data[key]
                    break
        if not isinstance(data, list) or not all(isinstance(r, Mapping) for r in data):
            raise StoreError(f"{path}: expected a list of objects (one per event)")
        return [dict(r) for r in data]
    reader = csv.DictReader(io.StringIO(body))
    if not reader.fieldnames:
        raise StoreError(f"{path}: no header row")
    return [dict(r) for r in reader]


def _columns(rows: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Our field → the file's column name."""
    names: list[str] = []
    for r in rows:
        for k in r:
            if k is not None and k not in names:
                names.append(k)
    lowered = {str(n).strip().lower(): n for n in names}
    found = {}
    for ours, aliases in FIELD_ALIASES.items():
        for a in aliases:
            if a.lower() in lowered:
                found[ours] = lowered[a.lower()]
                break
    return found


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


_CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?\s*")


def _parse_time(value: str, tz) -> dt.datetime:
    s = value.strip()
    s = _CN_DATE.sub(lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d} ", s).strip()
    s = s.replace("/", "-").replace("Z", "+00:00")
    m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})(.*)$", s)
    if m:  # pad 2026-1-5 9:30 to ISO
        rest = m[4].strip()
        if rest:
            hm = re.match(r"^[T ]?(\d{1,2}):(\d{2})(.*)$", rest)
            if hm:
                rest = f" {int(hm[1]):02d}:{hm[2]}{hm[3]}"
        s = f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}{rest}"
    t = dt.datetime.fromisoformat(s)
    if t.tzinfo is None:
        t = t.replace(tzinfo=tz)
    return utc(t)


def _to_working(store, lon: np.ndarray, lat: np.ndarray, src_crs: str | None):
    from gis_core import offsets
    from gis_core.crs import transformer

    key = (src_crs or "EPSG:4326").strip().lower().replace("-", "").replace("_", "")
    if key in offsets.OFFSET_SYSTEMS:
        lon, lat = offsets.to_wgs84(key, lon, lat)
        src = "EPSG:4326"
    else:
        src = src_crs or "EPSG:4326"
    x, y = transformer(src, f"EPSG:{store.srid}").transform(lon, lat)
    return np.asarray(x, float), np.asarray(y, float)


def _number(value: Any) -> float:
    s = _text(value)
    if not s:
        return np.nan
    try:
        return float(s)
    except ValueError:
        return np.nan


# ------------------------------------------------------------------------------------- preview
def preview_import(
    store,
    path: str | Path,
    *,
    source: str = "external",
    src_crs: str | None = None,
    now: dt.datetime | None = None,
    catalogue: Catalogue | None = None,
) -> ImportPreview:
    """Read and check a file of events; write nothing. ``source``: the sending system's name
    (kept in each event's reference ``import:<source>:<id>``, which also refuses rows imported
    before)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    cat = catalogue or load_catalogue(store)
    now = utc(now or dt.datetime.now(dt.UTC))
    rows = _read_rows(path)
    cols = _columns(rows)
    problems: list[RowProblem] = []
    n = len(rows)
    if "category" not in cols:
        problems.append(RowProblem(0, "category", "no category column (类别 / category)"))
    if "time" not in cols:
        problems.append(RowProblem(0, "time", "no time column (上报时间 / reported_at)"))
    has_xy = "x" in cols and "y" in cols
    has_lonlat = "lon" in cols and "lat" in cols
    if not (has_xy or has_lonlat):
        problems.append(
            RowProblem(0, "position", "no position columns (经度/纬度, lon/lat or x/y)")
        )
    if problems:
        return ImportPreview(str(path), source, n, [], problems, now)

    bad = np.zeros(n, dtype=bool)

    def problem(i: int, field_: str | None, message: str) -> None:
        bad[i] = True
        problems.append(RowProblem(i + 1, field_, message))

    def get(r: Mapping[str, Any], key: str) -> str:
        return _text(r.get(cols[key])) if key in cols else ""

    # Categories.
    categories: list[str] = []
    for i, r in enumerate(rows):
        name = get(r, "category")
        found = cat.find(name) if name else None
        if found is None:
            problem(
                i,
                cols["category"],
                f"unknown category {name!r}" if name else "no category",
            )
            categories.append("")
        else:
            categories.append(found.code)
    # Times.
    times: list[dt.datetime | None] = []
    for i, r in enumerate(rows):
        value = get(r, "time")
        if not value:
            problem(i, cols["time"], "no time")
            times.append(None)
            continue
        try:
            t = _parse_time(value, cat.calendar.tz)
        except ValueError:
            problem(i, cols["time"], f"unreadable time {value!r} (use 2026-11-02 09:30)")
            times.append(None)
            continue
        if t > now + FUTURE_TOLERANCE:
            local = t.astimezone(cat.calendar.tz)
            problem(i, cols["time"], f"time in the future ({local:%Y-%m-%d %H:%M})")
        times.append(t)
    # Positions.
    if has_xy:
        x = np.array([_number(r.get(cols["x"])) for r in rows])
        y = np.array([_number(r.get(cols["y"])) for r in rows])
        pos_field = f"{cols['x']}/{cols['y']}"
    else:
        lon = np.array([_number(r.get(cols["lon"])) for r in rows])
        lat = np.array([_number(r.get(cols["lat"])) for r in rows])
        ok = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180) & (np.abs(lat) <= 90)
        x = np.full(n, np.nan)
        y = np.full(n, np.nan)
        if ok.any():
            x[ok], y[ok] = _to_working(store, lon[ok], lat[ok], src_crs)
        pos_field = f"{cols['lon']}/{cols['lat']}"
    finite = np.isfinite(x) & np.isfinite(y)
    for k in np.flatnonzero(~finite).tolist():
        problem(k, pos_field, "no valid position")
    cells = cells_of(store, x, y)
    for k in np.flatnonzero(finite & (cells < 0)).tolist():
        problem(k, pos_field, "the point is outside every grid cell")
    # Ids: twice in the file, or imported before.
    refs: list[str | None] = []
    seen: dict[str, int] = {}
    for i, r in enumerate(rows):
        ident = get(r, "id")
        if not ident:
            refs.append(None)
            continue
        ref = f"import:{source}:{ident}"[:128]
        if ref in seen:
            problem(i, cols["id"], f"id {ident!r} is also in row {seen[ref] + 1}")
        seen.setdefault(ref, i)
        refs.append(ref)
    present = _existing_refs(store, [r for r in refs if r])
    for i, known in enumerate(refs):
        if known is not None and known in present:
            problem(i, cols["id"], f"id {known.split(':', 2)[2]!r} was imported before")

    good = np.flatnonzero(~bad)
    out_rows: list[ImportRow] = []
    if len(good):
        secs = np.array([times[i].timestamp() for i in good])  # type: ignore[union-attr]
        labels = fusion_groups([categories[i] for i in good], x[good], y[good], secs, cat.fusion)
        for k, i in enumerate(good.tolist()):
            r = rows[i]
            description = get(r, "description") or None
            address = get(r, "address")
            if address:
                description = f"{description}（{address}）" if description else address
            photos = tuple(p.strip() for p in re.split(r"[;|；]", get(r, "photos")) if p.strip())
            out_rows.append(
                ImportRow(
                    int(i) + 1,
                    EventReport(
                        categories[i],
                        float(x[i]),
                        float(y[i]),
                        description,
                        get(r, "title") or None,
                        "import",
                        times[i],
                        photos,
                        refs[i],
                        None,
                        f"import:{source}"[:64],
                    ),
                    int(cells[i]),
                    int(good[labels[k]]) + 1,
                )
            )
    problems.sort(key=lambda p: (p.row, p.field or ""))
    by_category = dict(Counter(cat.category(r.report.category).name for r in out_rows))
    return ImportPreview(str(path), source, n, out_rows, problems, now, by_category)


def _existing_refs(store, refs: Sequence[str], conn=None) -> set[str]:
    if not refs:
        return set()
    out: set[str] = set()
    q = EVENTS.c.external_ref
    with store.engine.connect() if conn is None else nullcontext(conn) as c:
        for start in range(0, len(refs), 500):
            chunk = list(refs[start : start + 500])
            out.update(r[0] for r in c.execute(select(q).where(q.in_(chunk))))
    return out


# ------------------------------------------------------------------------------------- commit
def commit_import(
    store,
    preview: ImportPreview,
    *,
    actor: Any = None,
    at: dt.datetime | None = None,
    catalogue: Catalogue | None = None,
) -> ImportResult:
    """Write the preview's good rows in one transaction: each becomes an event and opens a case
    or is proposed for one (rows of one group go to one case). Rows imported by someone else
    since the preview are skipped and listed."""
    from gis_core.security.roles import may

    who = resolve_actor(store, actor)
    if who.role != "system" and not may(who.role, "import_data"):
        raise PermissionDenied(
            f"{who.username} ({who.role}) may not import data (导入数据)", who.username, None
        )
    cat = catalogue or load_catalogue(store)
    now = utc(at or dt.datetime.now(dt.UTC))

    def work(c) -> ImportResult:
        lock_for_write(store, c)
        refs = [r.report.external_ref for r in preview.rows if r.report.external_ref]
        present = _existing_refs(store, refs, c)
        skipped = []
        opened: list[int] = []
        proposed = written = 0
        for row in preview.rows:
            if row.report.external_ref in present:
                skipped.append(RowProblem(row.row, "id", "imported by someone else meanwhile"))
                continue
            intake = report_event(
                store, row.report, actor=who, at=now, catalogue=cat, conn=c, cell=row.cell
            )
            written += 1
            if intake.proposed:
                proposed += 1
            else:
                opened.append(intake.case_id)
        return ImportResult(written, len(opened), proposed, skipped, tuple(opened))

    return in_transaction(store, None, work)
