"""Import GeoPackage, GeoJSON, Shapefile and CSV files into a store, all-or-nothing.

:func:`import_file` reads a file through pyogrio, maps its fields to a layer kind's columns (by
name, or with a mapping YAML), converts the source CRS — any EPSG code, or the Chinese web offsets
``gcj02`` / ``bd09`` — into the store's working CRS, assigns every row to its grid cell, and
checks everything before it writes. Problems (unreadable file, missing CRS, empty or invalid
geometry, wrong types, duplicate ids, coordinates far outside the working CRS's area) are collected,
up to :data:`MAX_PROBLEMS` of them, and raised together as :class:`ImportFailed`, each naming the
file, row and field; nothing is written then. A clean file is written in one transaction.

A mapping file (YAML) looks like this; every key is optional::

    kind: cameras            # must match --as when given
    layer: 摄像头             # layer of a multi-layer file
    src_crs: gcj02           # any EPSG code, gcj02 or bd09; overrides the file's own CRS
    encoding: GB18030        # for CSV or Shapefiles without a .cpg
    id: 设备编号              # the source field holding the row's id (cameras.code, buildings.source_id…)
    x: 经度                   # CSV coordinate columns (else detected: x/y, lon/lat, lng/lat, 经度/纬度)
    y: 纬度
    fields:                  # source field: our column
      名称: name
      朝向: heading_deg
    constants:               # our column: one value for every row
      fov_deg: 60
      range_m: 40

Example::

    report = import_file(store, "buildings.gpkg", "buildings", src_crs="EPSG:4326")
    print(report.summary())
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import re
import time
import warnings as warnings_
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from sqlalchemy import JSON, BigInteger, Date, DateTime, Float, Integer, String, Text

from gis_core import offsets, schema
from gis_core.crs import CRSError, parse_crs, transform_geometries, transformer
from gis_core.masking import is_masked

__all__ = [
    "IMPORT_KINDS",
    "KEY_COLUMNS",
    "MAX_PROBLEMS",
    "ImportFailed",
    "ImportReport",
    "Problem",
    "ImportMapping",
    "import_file",
    "assign_to_areas",
    "GeoTable",
    "read_geo_table",
]

# Layer kinds a file can be imported as: every kind with geometry, plus residents (no geometry).
IMPORT_KINDS: tuple[str, ...] = (*schema.GEOMETRY_TYPES, "residents")

# The column that identifies a row across systems (a mapping's ``id:``); duplicates are refused,
# within the file and against the store.
KEY_COLUMNS: dict[str, str] = {
    "communities": "code",
    "grid_cells": "code",
    "buildings": "source_id",
    "residents": "id_number",
    "enterprises": "credit_code",
    "cameras": "code",
    "sensors": "code",
}

# Columns the importer computes; a file's values for them are ignored.
COMPUTED_COLUMNS = frozenset({"id", "geom", "grid_cell_id", "community_id", "building_id"})
# Ways a row can name its building (kinds with a building_id column): by source id or store id.
BUILDING_REFERENCES = ("building_source_id", "building_id")
# Fields our own exports write that are not imported (ids of the exporting store).
EXPORT_ONLY_FIELDS = frozenset({"id", "fid", "grid_cell_id", "community_id"})
# Values filled in when the file has none for a required column.
IMPORT_DEFAULTS: dict[str, dict[str, Any]] = {"events": {"source": "import"}}

COORDINATE_PAIRS = (
    ("x", "y"),
    ("lon", "lat"),
    ("lng", "lat"),
    ("long", "lat"),
    ("longitude", "latitude"),
    ("经度", "纬度"),
)
WKT_FIELDS = ("wkt", "geometry", "geom")
CSV_SUFFIXES = (".csv", ".tsv", ".txt")

# Plausible ranges (inclusive) for numeric columns; outside them is a row error.
RANGES: dict[str, tuple[float | None, float | None]] = {
    "floors": (0, 300),
    "units": (0, None),
    "capacity": (0, None),
    "beds": (0, None),
    "employees": (0, None),
    "heading_deg": (0, 360),
    "fov_deg": (0, 360),
    "range_m": (0, None),
    "period_s": (0, None),
    "width_m": (0, None),
}
ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("buildings", "use"): schema.BUILDING_USES,
    ("facilities", "kind"): schema.FACILITY_KINDS,
    ("sensors", "kind"): schema.SENSOR_KINDS,
}

MAX_PROBLEMS = 20
# How far (degrees) beyond the working CRS's area of use a geometry may lie before it is taken as a
# sign of a wrong source CRS.
FAR_OUTSIDE_DEG = 2.0
WRITE_CHUNK = 20_000
_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)
_ID_NUMBER = re.compile(r"^(\d{17}[\dX]|\d{15})$")
_PHONE = re.compile(r"^\+?[\d\- ()]{3,32}$")
_TAG_SPLIT = re.compile(r"[;,|、，；]")

Progress = Callable[[str, int, int], None]


# ---------------------------------------------------------------------------------------- errors
@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where (file, row, field) and what."""

    file: str
    message: str
    row: int | None = None  # 1-based data row (the header of a CSV is not a row)
    field: str | None = None
    where: str | None = None  # how to find the row: "line 5" in a CSV, "fid 12" in a GeoPackage

    def __str__(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}" + (f" ({self.where})" if self.where else ""))
        if self.field is not None:
            parts.append(f'field "{self.field}"')
        return ", ".join(parts) + ": " + self.message


class ImportFailed(Exception):
    """An import that wrote nothing, with every problem found (up to :data:`MAX_PROBLEMS`)."""

    def __init__(self, path: str | os.PathLike, problems: list[Problem], total: int | None = None):
        self.path = str(path)
        self.problems = problems
        self.total = max(total or 0, len(problems))
        super().__init__(str(self))

    def __str__(self) -> str:
        name = Path(self.path).name
        if self.total == 1:
            return f"{self.problems[0]} — nothing was written"
        lines = [f"cannot import {name}: {self.total} problems, nothing was written"]
        lines += [f"  - {p}" for p in self.problems]
        if self.total > len(self.problems):
            lines.append(f"  … and {self.total - len(self.problems)} more")
        return "\n".join(lines)


class _Problems:
    """Collects row problems cheaply: vectorised checks hand in index arrays, only a few become text."""

    def __init__(self, file: str, where: Callable[[int], str | None]):
        self.file = file
        self.where = where
        self.items: list[tuple[int, int, Problem]] = []  # (row index or -1, order, problem)
        self.total = 0

    def file_level(self, message: str, field: str | None = None, file: str | None = None) -> None:
        self.total += 1
        self.items.append((-1, len(self.items), Problem(file or self.file, message, None, field)))

    def rows(self, index: np.ndarray, field: str | None, message: Callable[..., str]) -> None:
        index = np.flatnonzero(index) if index.dtype == bool else np.asarray(index)
        self.total += len(index)
        for i in index[:MAX_PROBLEMS]:
            i = int(i)
            self.items.append(
                (i, len(self.items), Problem(self.file, message(i), i + 1, field, self.where(i)))
            )

    def __bool__(self) -> bool:
        return self.total > 0

    def raise_if_any(self, path: str | os.PathLike) -> None:
        if self.total:
            ordered = [p for _, _, p in sorted(self.items, key=lambda t: (t[0], t[1]))]
            raise ImportFailed(path, ordered[:MAX_PROBLEMS], self.total)


def _fail(path: str | os.PathLike, message: str, field: str | None = None) -> ImportFailed:
    return ImportFailed(path, [Problem(Path(path).name, message, None, field)])


# ---------------------------------------------------------------------------------------- report
@dataclass
class ImportReport:
    """What an import did."""

    path: str
    kind: str
    rows: int
    layer: str | None = None
    src_crs: str | None = None
    dst_crs: str | None = None
    repaired: int = 0
    outside_cells: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        src = f"layer {self.layer!r} of " if self.layer else ""
        text = f"imported {self.rows:,} {self.kind} from {src}{Path(self.path).name}"
        if self.src_crs:
            text += f" ({self.src_crs} → {self.dst_crs})"
        if self.dst_crs:
            text += f"; {self.repaired:,} repaired geometries"
        if self.outside_cells:
            text += f"; {self.outside_cells:,} outside every grid cell"
        return text + f"; {self.seconds:.2f} s"


# ---------------------------------------------------------------------------------------- mapping
@dataclass
class ImportMapping:
    """A mapping file: source fields → our columns, constants, coordinate and id fields."""

    fields: dict[str, str] = field(default_factory=dict)
    constants: dict[str, Any] = field(default_factory=dict)
    x: str | None = None
    y: str | None = None
    id: str | None = None
    layer: str | None = None
    src_crs: str | None = None
    encoding: str | None = None
    kind: str | None = None
    source: str = "mapping"

    KEYS = ("kind", "layer", "src_crs", "encoding", "id", "x", "y", "fields", "constants")

    @classmethod
    def load(cls, mapping: str | os.PathLike | Mapping | ImportMapping | None) -> ImportMapping:
        """Read a mapping from a YAML file or a dict; raise ImportFailed naming the bad key."""
        if mapping is None:
            return cls()
        if isinstance(mapping, ImportMapping):
            return mapping
        source = "mapping"
        if not isinstance(mapping, Mapping):
            import yaml

            source = str(mapping)
            try:
                data = yaml.safe_load(Path(mapping).read_text(encoding="utf-8-sig"))
            except FileNotFoundError:
                raise _fail(source, "mapping file not found") from None
            except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
                raise _fail(source, f"cannot read the mapping file: {_one_line(exc)}") from None
            if data is None:
                data = {}
            if not isinstance(data, Mapping):
                raise _fail(source, "a mapping file is a YAML dictionary (fields:, constants:, …)")
        else:
            data = mapping
        unknown = [k for k in data if k not in cls.KEYS]
        if unknown:
            raise _fail(
                source,
                f"unknown key(s) {', '.join(map(str, unknown))}; known: {', '.join(cls.KEYS)}",
                str(unknown[0]),
            )
        for key in ("fields", "constants"):
            if data.get(key) is not None and not isinstance(data[key], Mapping):
                raise _fail(source, f"{key}: must be a dictionary", key)
        for key in ("kind", "layer", "src_crs", "encoding", "id", "x", "y"):
            value = data.get(key)
            if value is not None and not isinstance(value, str | int):
                raise _fail(source, f"{key}: must be a single name", key)
        fields_ = {str(k): str(v) for k, v in (data.get("fields") or {}).items()}
        return cls(
            fields=fields_,
            constants={str(k): v for k, v in (data.get("constants") or {}).items()},
            x=_opt_str(data.get("x")),
            y=_opt_str(data.get("y")),
            id=_opt_str(data.get("id")),
            layer=_opt_str(data.get("layer")),
            src_crs=_opt_str(data.get("src_crs")),
            encoding=_opt_str(data.get("encoding")),
            kind=_opt_str(data.get("kind")),
            source=source,
        )


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


# ---------------------------------------------------------------------------------------- reading
@dataclass
class _Source:
    frame: Any  # pandas DataFrame of attributes
    geometry: np.ndarray | None  # shapely objects, None where missing
    crs: Any  # pyproj CRS or None
    layer: str | None
    is_csv: bool
    fids: np.ndarray | None = None


def _detect_encoding(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(1 << 20)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "UTF-8"
    except UnicodeDecodeError:
        # Chinese spreadsheets saved by Excel are GBK; GB18030 is its superset.
        return "GB18030"


def _read(path: Path, layer: str | None, encoding: str | None, kind: str) -> _Source:
    import pyogrio

    if not path.exists():
        raise _fail(path, "file not found")
    if path.is_dir() and path.suffix.lower() != ".gdb":
        raise _fail(path, "is a folder, not a file")
    is_csv = path.suffix.lower() in CSV_SUFFIXES
    try:
        if is_csv:
            enc = encoding or _detect_encoding(path)
            frame = pyogrio.read_dataframe(path, read_geometry=False, encoding=enc)
            return _Source(frame, None, None, None, True)
        layers = [str(name) for name in pyogrio.list_layers(path)[:, 0]]
    except ImportFailed:
        raise
    except Exception as exc:
        raise _fail(
            path, f"cannot read the file (corrupt or not a supported format): {_one_line(exc)}"
        ) from None
    if not layers:
        raise _fail(path, "the file has no layers")
    if layer is not None:
        if layer not in layers:
            raise _fail(path, f"no layer {layer!r}; its layers are: {', '.join(layers)}", "layer")
    elif len(layers) == 1:
        layer = layers[0]
    elif kind in layers:
        layer = kind
    else:
        raise _fail(
            path,
            f"the file has {len(layers)} layers ({', '.join(layers)}); choose one with --layer",
            "layer",
        )
    try:
        frame = pyogrio.read_dataframe(path, layer=layer, fid_as_index=True, encoding=encoding)
    except Exception as exc:
        raise _fail(
            path, f"cannot read layer {layer!r} (corrupt file?): {_one_line(exc)}"
        ) from None
    fids = np.asarray(frame.index)
    geometry = None
    crs = None
    if hasattr(frame, "geometry") and "geometry" in frame.columns:
        geometry = np.asarray(frame.geometry.array, dtype=object)
        crs = frame.crs
        frame = frame.drop(columns="geometry")
    frame = frame.reset_index(drop=True)
    show_fids = path.suffix.lower() == ".gpkg" and not np.array_equal(
        fids, np.arange(1, len(fids) + 1)
    )
    shown_layer = layer if len(layers) > 1 or path.suffix.lower() == ".gpkg" else None
    return _Source(frame, geometry, crs, shown_layer, False, fids if show_fids else None)


# ---------------------------------------------------------------------------------------- values
def _as_text(series) -> np.ndarray:
    """Values as stripped strings (object array), None where blank; 12.0 → '12'."""
    import pandas as pd

    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        out = np.empty(len(series), dtype=object)
        values = series.to_numpy(dtype=object)
        for i, v in enumerate(values):
            if v is None or pd.isna(v):
                continue
            if isinstance(v, float | np.floating) and float(v).is_integer():
                v = int(v)
            out[i] = str(v)
        return out
    text = series.astype("string").str.strip()
    out = text.to_numpy(dtype=object, na_value=None)
    out[out == ""] = None
    return out


def _is_blank(series) -> np.ndarray:
    return np.array([v is None for v in _as_text(series)], dtype=bool)


def _numbers(text: np.ndarray) -> np.ndarray:
    """Text → floats (NaN where blank or not a number); full-width digits and 1,234 are read too."""
    import pandas as pd

    present = np.array([v is not None for v in text], dtype=bool)
    nums = np.full(len(text), np.nan)
    if present.any():
        values = pd.Series(text[present], dtype=object)
        got = np.array(pd.to_numeric(values, errors="coerce"), dtype=float)
        retry = np.isnan(got)
        if retry.any():
            got[retry] = pd.to_numeric(values[retry].map(_fullwidth), errors="coerce").to_numpy(
                dtype=float, na_value=np.nan
            )
        nums[present] = got
    return nums


_FULLWIDTH = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")


def _fullwidth(value: str) -> str:
    return value.translate(_FULLWIDTH).replace(",", "") if isinstance(value, str) else value


_DATE_FORMATS = ("%Y年%m月%d日", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日 %H:%M:%S", "%Y.%m.%d")
_CST = dt.timezone(dt.timedelta(hours=8), "CST")


def _parse_date(value: str, with_time: bool):
    """One date or timestamp (ISO 8601 and common Chinese spellings); naive times are UTC+8."""
    import pandas as pd

    stamp = None
    try:
        stamp = pd.Timestamp(value).to_pydatetime()
    except (ValueError, TypeError, OverflowError):
        for fmt in _DATE_FORMATS:
            try:
                stamp = dt.datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
    if stamp is None or not isinstance(stamp, dt.datetime):
        raise ValueError(value)
    if not with_time:
        return stamp.date()
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=_CST)
    return stamp.astimezone(dt.UTC)


def _parse_dates(text: np.ndarray, with_time: bool) -> tuple[np.ndarray, np.ndarray]:
    """Text → dates (or UTC datetimes) and a mask of the values that are not dates."""
    out = np.empty(len(text), dtype=object)
    bad = np.zeros(len(text), dtype=bool)
    seen: dict[str, Any] = {}
    for i, v in enumerate(text):
        if v is None:
            continue
        if v not in seen:
            try:
                seen[v] = _parse_date(v, with_time)
            except ValueError:
                seen[v] = None
        out[i] = seen[v]
        bad[i] = seen[v] is None
    return out, bad


def _tags(value: str) -> list[str] | None:
    if value.startswith("["):
        parsed = json.loads(value)
        if not isinstance(parsed, list) or not all(isinstance(t, str) for t in parsed):
            raise ValueError("not a list of texts")
        return [t.strip() for t in parsed if t.strip()]
    return [t.strip() for t in _TAG_SPLIT.split(value) if t.strip()]


def _coerce(
    kind: str, name: str, column, text: np.ndarray, problems: _Problems, rows: np.ndarray
) -> np.ndarray:
    """Text values of one column → values of the column's type; problems for the rows that are not."""
    ctype = column.type
    present = np.array([v is not None for v in text], dtype=bool)
    show = lambda i: repr(text[i]) if len(str(text[i])) <= 40 else repr(str(text[i])[:37] + "…")  # noqa: E731
    if isinstance(ctype, Integer | BigInteger | Float):
        nums = _numbers(text)
        is_int = isinstance(ctype, Integer | BigInteger)
        word = "a whole number" if is_int else "a number"
        bad = present & ~np.isfinite(nums)
        problems.rows(rows[bad[rows]], name, lambda i: f"{show(i)} is not {word}")
        good = present & np.isfinite(nums)
        if is_int:
            frac = good & (nums != np.floor(np.where(good, nums, 0)))
            problems.rows(rows[frac[rows]], name, lambda i: f"{show(i)} is not {word}")
            good &= ~frac
            lo, hi = _INT64 if isinstance(ctype, BigInteger) else _INT32
            big = good & ((nums < lo) | (nums > hi))
            problems.rows(rows[big[rows]], name, lambda i: f"{show(i)} is too large")
            good &= ~big
        bounds = RANGES.get(name)
        if bounds:
            low, high = bounds
            out_range = good & (
                ((nums < low) if low is not None else False)
                | ((nums > high) if high is not None else False)
            )
            if np.any(out_range):
                span = f"{low}–{high}" if high is not None else f"≥ {low}"
                problems.rows(
                    rows[out_range[rows]], name, lambda i: f"{show(i)} is out of range ({span})"
                )
                good &= ~out_range
        out = np.empty(len(text), dtype=object)
        for i in np.flatnonzero(good):
            out[i] = int(nums[i]) if is_int else float(nums[i])
        return out
    if isinstance(ctype, DateTime | Date):
        out, bad = _parse_dates(text, isinstance(ctype, DateTime))
        word = (
            "a date and time (e.g. 2024-05-01 08:30)"
            if isinstance(ctype, DateTime)
            else "a date (e.g. 2024-05-01)"
        )
        problems.rows(rows[bad[rows]], name, lambda i: f"{show(i)} is not {word}")
        return out
    if isinstance(ctype, JSON):
        out = np.empty(len(text), dtype=object)
        bad = np.zeros(len(text), dtype=bool)
        for i in np.flatnonzero(present):
            try:
                out[i] = _tags(text[i])
            except (ValueError, TypeError):
                bad[i] = True
        problems.rows(
            rows[bad[rows]], name, lambda i: f"{show(i)} is not a list of tags (a;b or a JSON list)"
        )
        return out
    # String / Text
    out = text.copy()
    nul = np.array([v is not None and "\x00" in v for v in text], dtype=bool)
    problems.rows(rows[nul[rows]], name, lambda i: "contains a NUL character")
    length = (
        getattr(ctype, "length", None)
        if isinstance(ctype, String) and not isinstance(ctype, Text)
        else None
    )
    if length:
        too_long = np.array([v is not None and len(v) > length for v in text], dtype=bool)
        problems.rows(
            rows[too_long[rows]],
            name,
            lambda i: f"is {len(text[i])} characters long; at most {length} fit",
        )
    if name == "id_number":
        out = np.array([v.upper() if v is not None else None for v in text], dtype=object)
        masked = np.array([is_masked(v) for v in out], dtype=bool)
        problems.rows(
            rows[masked[rows]],
            name,
            lambda i: (
                f"{show(i)} is masked (a masked export?); import an unmasked export "
                "(zhiwang export --unmasked)"
            ),
        )
        bad = (
            present
            & ~masked
            & np.array([v is not None and not _ID_NUMBER.match(v) for v in out], dtype=bool)
        )
        problems.rows(
            rows[bad[rows]],
            name,
            lambda i: f"{show(i)} is not an ID number (18 digits, the last may be X)",
        )
    elif name in ("phone", "worker_phone"):
        masked = np.array([is_masked(v) for v in text], dtype=bool)
        problems.rows(
            rows[masked[rows]],
            name,
            lambda i: (
                f"{show(i)} is masked (a masked export?); import an unmasked export "
                "(zhiwang export --unmasked)"
            ),
        )
        bad = (
            present
            & ~masked
            & np.array([v is not None and not _PHONE.match(v) for v in text], dtype=bool)
        )
        problems.rows(rows[bad[rows]], name, lambda i: f"{show(i)} is not a phone number")
    return out


# ---------------------------------------------------------------------------------------- geometry
_TYPE_NAMES = {
    0: "Point",
    1: "LineString",
    2: "LinearRing",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
    7: "GeometryCollection",
}
_WANTED = {"POINT": 0, "LINESTRING": 1, "POLYGON": 3, "MULTIPOLYGON": 6}
_MULTI_OF = {0: 4, 1: 5, 3: 6}


def _check_geometry(
    kind: str,
    geoms: np.ndarray,
    skip: np.ndarray,
    repair: bool,
    problems: _Problems,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Check and coerce geometries to the kind's type; returns (geoms, ok mask, repaired count)."""
    wanted_name = schema.GEOMETRY_TYPES[kind]
    wanted = _WANTED[wanted_name]
    n = len(geoms)
    geoms = geoms.copy()
    missing = shapely.is_missing(geoms) & ~skip
    problems.rows(missing, "geometry", lambda i: "has no geometry")
    ok = ~shapely.is_missing(geoms) & ~skip
    geoms[ok] = shapely.force_2d(geoms[ok])
    empty = ok & shapely.is_empty(geoms)
    problems.rows(empty, "geometry", lambda i: "geometry is empty")
    ok &= ~empty
    coords, index = shapely.get_coordinates(geoms[ok], return_index=True)
    bad_idx = np.unique(index[~np.all(np.isfinite(coords), axis=1)])
    nonfinite = np.zeros(n, dtype=bool)
    nonfinite[np.flatnonzero(ok)[bad_idx]] = True
    problems.rows(nonfinite, "geometry", lambda i: "has coordinates that are not numbers")
    ok &= ~nonfinite

    # Coerce single-part multis (Shapefiles always say Multi…) and the reverse for communities.
    type_id = np.full(n, -1)
    type_id[ok] = shapely.get_type_id(geoms[ok])
    nparts = np.zeros(n, dtype=int)
    nparts[ok] = shapely.get_num_geometries(geoms[ok])
    if wanted == 6:
        poly = ok & (type_id == 3)
        geoms[poly] = shapely.multipolygons(geoms[poly][:, None]) if poly.any() else geoms[poly]
        type_id[poly] = 6
    else:
        single = ok & (type_id == _MULTI_OF[wanted]) & (nparts == 1)
        geoms[single] = shapely.get_geometry(geoms[single], 0)
        type_id[single] = wanted
        if wanted == 1:
            multi = ok & (type_id == 5)
            if multi.any():
                merged = shapely.line_merge(geoms[multi])
                joined = shapely.get_type_id(merged) == 1
                idx = np.flatnonzero(multi)[joined]
                geoms[idx] = merged[joined]
                type_id[idx] = 1
    multi = ok & (type_id == _MULTI_OF.get(wanted, -2))
    problems.rows(
        multi,
        "geometry",
        lambda i: (
            f"is a {_TYPE_NAMES[int(type_id[i])]} of {nparts[i]} parts; {kind} take one "
            f"{wanted_name.title().replace('string', 'String')} per row — split it into {nparts[i]} rows"
        ),
    )
    ok &= ~multi
    wrong = ok & (type_id != wanted)
    problems.rows(
        wrong,
        "geometry",
        lambda i: (
            f"is a {_TYPE_NAMES.get(int(type_id[i]), 'geometry')}; {kind} need "
            f"{wanted_name.lower()}s"
        ),
    )
    ok &= ~wrong

    invalid = np.zeros(n, dtype=bool)
    invalid[ok] = ~shapely.is_valid(geoms[ok])
    repaired = 0
    if invalid.any():
        reasons = {}
        for i in np.flatnonzero(invalid)[:MAX_PROBLEMS]:
            reasons[int(i)] = shapely.is_valid_reason(geoms[i])
        if not repair:
            problems.rows(
                invalid,
                "geometry",
                lambda i: (
                    f"geometry is invalid: {reasons.get(i) or shapely.is_valid_reason(geoms[i])}"
                    " — fix it in the source or import with --repair"
                ),
            )
            ok &= ~invalid
        else:
            idx = np.flatnonzero(invalid)
            method = "structure" if wanted in (3, 6) else "linework"
            fixed = shapely.make_valid(geoms[idx], method=method, keep_collapsed=False)
            for j, i in enumerate(idx):
                result = _of_type(fixed[j], wanted)
                if result is None:
                    kept = [
                        g
                        for g in shapely.get_parts(shapely.get_parts(fixed[j]))
                        if shapely.get_type_id(g) == (3 if wanted == 6 else wanted)
                        and not g.is_empty
                    ]
                    outcome = (
                        f"repairing it gives {len(kept)} separate {wanted_name.lower()}s; {kind} "
                        f"take one per row"
                        if kept
                        else f"repairing it leaves no {wanted_name.lower()} (it collapses)"
                    )
                    reason = reasons.get(int(i)) or shapely.is_valid_reason(geoms[i])
                    problems.rows(
                        np.array([i]),
                        "geometry",
                        lambda i, outcome=outcome, reason=reason: (
                            f"geometry is invalid ({reason}) and {outcome} — fix it in the source"
                        ),
                    )
                    ok[i] = False
                else:
                    geoms[i] = result
                    repaired += 1
    return geoms, ok, repaired


def _of_type(geom, wanted: int):
    """The repaired geometry as the wanted type, or None if it does not fit in one."""
    if geom is None or geom.is_empty:
        return None
    parts = [
        g
        for g in shapely.get_parts(geom)
        if shapely.get_type_id(g) in (wanted, _MULTI_OF.get(wanted, -1))
    ]
    parts = [p for q in parts for p in shapely.get_parts(q)]
    if wanted == 6:
        polys = [p for p in parts if shapely.get_type_id(p) == 3]
        return shapely.multipolygons(polys) if polys else None
    if wanted == 1 and len(parts) > 1:
        merged = shapely.line_merge(shapely.multilinestrings(parts))
        return merged if shapely.get_type_id(merged) == 1 else None
    return parts[0] if len(parts) == 1 else None


def _resolve_src_crs(text: str | None):
    """``None`` / ``gcj02`` / ``bd09`` / any EPSG or PROJ text → (offset system or None, CRS or None)."""
    if text is None:
        return None, None
    key = str(text).strip().lower().replace("-", "").replace("_", "")
    if key in offsets.OFFSET_SYSTEMS:
        return key, parse_crs("EPSG:4326")
    return None, parse_crs(str(text).strip())


def _crs_label(crs) -> str:
    epsg = crs.to_epsg() if crs is not None else None
    return f"EPSG:{epsg}" if epsg else (crs.name if crs is not None else "?")


def _crs_key(crs) -> str:
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else crs.to_wkt()


def assign_to_areas(points: np.ndarray, area_ids: np.ndarray, area_geoms: np.ndarray) -> np.ndarray:
    """For each point the id of the area that contains it (lowest id on shared edges), or -1.

    ``points`` are shapely points (None allowed); areas are polygons with their ids. One STRtree
    query over all points.
    """
    out = np.full(len(points), -1, dtype=np.int64)
    if not len(points) or not len(area_geoms):
        return out
    tree = shapely.STRtree(area_geoms)
    present = np.flatnonzero(~shapely.is_missing(points))
    if not len(present):
        return out
    pairs = tree.query(points[present], predicate="intersects")
    if pairs.shape[1]:
        point_idx, area_idx = pairs
        ids = np.asarray(area_ids)[area_idx]
        order = np.lexsort((ids, point_idx))
        point_idx, ids = point_idx[order], ids[order]
        first = np.unique(point_idx, return_index=True)[1]
        out[present[point_idx[first]]] = ids[first]
    return out


# ---------------------------------------------------------------------------------------- import
def import_file(
    store,
    path: str | os.PathLike,
    kind: str,
    layer: str | None = None,
    mapping: str | os.PathLike | Mapping | ImportMapping | None = None,
    src_crs: str | None = None,
    repair: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import one file (or one layer of it) as rows of ``kind`` into ``store``: all or nothing.

    ``mapping`` is a mapping YAML path or dict (see the module docstring); ``src_crs`` is any EPSG
    code, ``gcj02`` or ``bd09`` and overrides the file's CRS (with a warning when they differ).
    ``repair`` repairs invalid geometries with ``make_valid`` and counts them in the report.
    ``progress(stage, done, total)`` is called as the import goes. Raises :class:`ImportFailed`
    naming file, row and field; the store is unchanged then.
    """
    started = time.perf_counter()
    path = Path(path)
    name = path.name
    if kind not in IMPORT_KINDS:
        raise _fail(path, f"cannot import as {kind!r}; kinds: {', '.join(IMPORT_KINDS)}", "--as")
    spec = ImportMapping.load(mapping)
    if spec.kind is not None and spec.kind != kind:
        raise _fail(spec.source, f"this mapping is for {spec.kind}, not {kind}", "kind")
    report_progress = progress or (lambda stage, done, total: None)
    warnings: list[str] = []
    model = schema.KINDS[kind]
    table_cols = model.__table__.columns
    gtype = schema.GEOMETRY_TYPES.get(kind)

    report_progress("reading", 0, 0)
    with warnings_.catch_warnings(record=True) as caught:
        # GDAL's warnings (truncated fields, odd headers) become report lines, not stderr noise.
        warnings_.simplefilter("always")
        source = _read(path, layer or spec.layer, spec.encoding, kind)
    for message in dict.fromkeys(str(w.message) for w in caught):
        warnings.append(f"reading: {message}")
    frame = source.frame
    n = len(frame)
    rows = np.arange(n)
    report_progress("checking", 0, n)

    fids = source.fids

    def where(i: int) -> str | None:
        if source.is_csv:
            return f"line {i + 2}"  # the header is line 1
        return None if fids is None else f"fid {fids[i]}"

    problems = _Problems(name, where)
    src_fields = [str(c) for c in frame.columns]
    by_lower: dict[str, str] = {}
    for f in src_fields:
        by_lower.setdefault(f.lower(), f)
    used_fields: set[str] = set()
    mapping_file = Path(spec.source).name if spec.source != "mapping" else None

    # ---- which source field feeds which column
    importable = [c.name for c in table_cols if c.name not in COMPUTED_COLUMNS]
    if "building_id" in table_cols:
        importable += list(BUILDING_REFERENCES)
    sources: dict[str, str] = {}  # our column → source field
    for src_field, ours in spec.fields.items():
        if src_field not in src_fields:
            problems.file_level(
                f"the mapping names field {src_field!r}, which the file does not have; its fields: "
                f"{', '.join(src_fields) or '(none)'}",
                src_field,
                mapping_file,
            )
            continue
        if ours not in importable:
            problems.file_level(
                f"the mapping maps {src_field!r} to {ours!r}, which {kind} do not have; columns: "
                f"{', '.join(importable)}",
                src_field,
                mapping_file,
            )
            continue
        if ours in sources:
            problems.file_level(
                f"{sources[ours]!r} and {src_field!r} both map to {ours!r}", src_field, mapping_file
            )
            continue
        sources[ours] = src_field
    key_col = KEY_COLUMNS.get(kind)
    if spec.id is not None:
        if spec.id not in src_fields:
            problems.file_level(
                f"the mapping's id field {spec.id!r} is not in the file; its fields: "
                f"{', '.join(src_fields) or '(none)'}",
                spec.id,
                mapping_file,
            )
        elif key_col is None:
            warnings.append(
                f"{kind} keep no source id; {spec.id!r} was only checked for duplicates in the file"
            )
            used_fields.add(spec.id)
        elif key_col in sources and sources[key_col] != spec.id:
            problems.file_level(
                f"id: {spec.id!r} and fields: {sources[key_col]!r} both map to {key_col!r}",
                spec.id,
                mapping_file,
            )
        else:
            sources[key_col] = spec.id
    for col in spec.constants:
        if col not in importable:
            problems.file_level(
                f"the mapping gives a constant for {col!r}, which {kind} do not have; columns: "
                f"{', '.join(importable)}",
                col,
                mapping_file,
            )
        elif col in sources:
            problems.file_level(
                f"{col!r} has both a constant and a source field ({sources[col]!r})",
                col,
                mapping_file,
            )
    mapped_sources = set(sources.values())
    for col in importable:
        if col in sources or col in spec.constants:
            continue
        same_name = by_lower.get(col.lower())
        if same_name is not None and same_name not in mapped_sources:
            sources[col] = same_name
    used_fields |= set(sources.values())

    # ---- geometry from the file, or from CSV coordinate / WKT columns
    geoms: np.ndarray | None = None
    geom_reported = np.zeros(n, dtype=bool)
    if gtype is not None:
        if source.geometry is not None:
            geoms = source.geometry
        else:
            geoms, geom_reported = _csv_geometry(
                frame, spec, by_lower, problems, used_fields, n, gtype
            )
    elif source.geometry is not None and not shapely.is_missing(source.geometry).all():
        warnings.append(f"{kind} have no geometry; the file's geometries were ignored")

    # ---- CRS
    offset_system = None
    src: Any = None  # the source CRS (pyproj), once known
    if gtype is not None:
        try:
            offset_system, given = _resolve_src_crs(src_crs or spec.src_crs)
        except CRSError as exc:
            raise _fail(path, str(exc), "--src-crs") from None
        if given is not None:
            src = given
            if (
                source.crs is not None
                and source.crs != given
                or (source.crs is not None and offset_system)
            ):
                warnings.append(
                    f"the file says {_crs_label(source.crs)}; using "
                    f"{offset_system or _crs_label(given)} as given"
                )
        elif source.crs is not None:
            src = source.crs
        else:
            problems.file_level(
                "the file has no CRS and none was given; give --src-crs (EPSG:4326 for GPS, "
                "gcj02 for Amap/Tencent, bd09 for Baidu, or the EPSG code of its projection)",
                "--src-crs",
            )

    # ---- attribute values
    values: dict[str, np.ndarray] = {}
    for col in importable:
        if col in sources:
            text = _as_text(frame[sources[col]])
        elif col in spec.constants:
            text = None
        else:
            continue
        column = table_cols[col] if col in table_cols else table_cols["building_id"]
        if col == "building_source_id":
            column = schema.Building.__table__.columns["source_id"]
        if text is not None:
            values[col] = _coerce(kind, col, column, text, problems, rows)
            continue
        # A constant is checked once, and a bad one is the mapping file's problem.
        constant = spec.constants[col]
        one = np.array([None if constant is None else str(constant).strip() or None], dtype=object)
        check = _Problems(mapping_file or name, lambda i: None)
        coerced = _coerce(kind, col, column, one, check, np.arange(1))
        for _, _, p in check.items:
            problems.file_level(f"constant {p.message}", col, mapping_file)
        values[col] = np.empty(n, dtype=object)
        values[col].fill(coerced[0])
    defaults = IMPORT_DEFAULTS.get(kind, {})
    for column in table_cols:
        col = column.name
        if col in COMPUTED_COLUMNS or column.nullable:
            continue
        fill = defaults.get(col)
        if (
            fill is None
            and column.default is not None
            and getattr(column.default, "is_scalar", False)
        ):
            fill = column.default.arg
        if col not in values:
            if fill is not None:
                values[col] = np.full(n, fill, dtype=object)
            elif n:
                problems.file_level(
                    f"{kind} need a {col}; the file has no such field (its fields: "
                    f"{', '.join(src_fields) or 'none'}) — map one under fields: in a mapping file, "
                    "or give a constant",
                    col,
                )
            continue
        missing = np.array([v is None for v in values[col]], dtype=bool)
        if fill is not None:
            values[col][missing] = fill
        elif col in sources:
            problems.rows(
                missing & _is_blank(frame[sources[col]]),
                col,
                lambda i, col=col: f"is empty; {kind} need a {col}",
            )
        elif missing.any() and str(spec.constants.get(col) or "").strip() == "":
            problems.file_level(f"the constant is empty; {kind} need a {col}", col, mapping_file)
    for (k, col), allowed in ENUMS.items():
        if k == kind and col in values:
            odd = sorted({v for v in values[col] if v is not None and v not in allowed})
            if odd:
                warnings.append(
                    f"{col}: {len(odd)} value(s) not among the known ones ({', '.join(allowed)}): "
                    f"{', '.join(map(str, odd[:5]))}{' …' if len(odd) > 5 else ''}"
                )

    # ---- duplicate ids, in the file and against the store
    report_progress("checking", n // 4, n)
    dup_field = None
    dup_values = None
    if key_col is not None and key_col in values:
        dup_field, dup_values = sources.get(key_col, key_col), values[key_col]
    elif spec.id is not None and spec.id in src_fields:
        dup_field, dup_values = spec.id, _as_text(frame[spec.id])
    if dup_values is not None:
        first_row: dict[Any, int] = {}
        dup = np.zeros(n, dtype=bool)
        first_of = np.full(n, -1)
        for i, v in enumerate(dup_values):
            if v is None:
                continue
            j = first_row.setdefault(v, i)
            if j != i:
                dup[i] = True
                first_of[i] = j
        problems.rows(
            dup,
            dup_field,
            lambda i: f"duplicate id {dup_values[i]!r} (also in row {first_of[i] + 1})",
        )
        if key_col is not None and key_col in values:
            present = {v for v in dup_values if v is not None}
            if present:
                existing = _existing_keys(store, kind, key_col)
                clash = np.array([v is not None and v in existing for v in dup_values], dtype=bool)
                clash &= ~dup
                if (
                    clash.sum() > 1
                    and clash.sum() == sum(v is not None for v in dup_values) - dup.sum()
                ):
                    # Every id is taken: the file was almost certainly imported before.
                    problems.file_level(
                        f"all {int(clash.sum()):,} ids (e.g. {dup_values[np.argmax(clash)]!r}) are "
                        f"already in the store ({kind}.{key_col}) — was this file imported before?",
                        dup_field,
                    )
                else:
                    problems.rows(
                        clash,
                        dup_field,
                        lambda i: (
                            f"id {dup_values[i]!r} is already in the store ({kind}.{key_col})"
                        ),
                    )

    # ---- geometry checks, reprojection, area of use
    report_progress("checking", n // 2, n)
    repaired = 0
    geom_ok = np.ones(n, dtype=bool)
    dst = f"EPSG:{store.srid}"
    if gtype is not None and geoms is not None:
        geoms, geom_ok, repaired = _check_geometry(kind, geoms, geom_reported, repair, problems)
        if src is not None and geom_ok.any():
            geoms = _reproject(
                geoms, geom_ok, offset_system, src, store.srid, problems, _crs_label(src)
            )
            geom_ok &= ~shapely.is_missing(geoms)
        _check_same_geometry(store, kind, geoms, geom_ok, values, key_col, problems)

    # ---- references: grid cell, community, building
    report_progress("checking", 3 * n // 4, n)
    grid_cell = np.full(n, None, dtype=object)
    community = None
    outside_cells = 0
    if gtype is not None and geoms is not None and n:
        points = np.full(n, None, dtype=object)
        points[geom_ok] = shapely.point_on_surface(geoms[geom_ok])
        if "grid_cell_id" in table_cols:
            cells = store.query_all("grid_cells")
            cell = assign_to_areas(points, cells.ids, cells.geometry)
            grid_cell[cell >= 0] = cell[cell >= 0].tolist()
            outside_cells = int(np.sum(geom_ok & (cell < 0))) if len(cells) else 0
            if not len(cells):
                warnings.append("the store has no grid cells yet; rows belong to no cell")
        if "community_id" in table_cols:
            comms = store.query_all("communities")
            found = assign_to_areas(points, comms.ids, comms.geometry)
            if len(comms) == 1:
                found[(found < 0) & geom_ok] = int(comms.ids[0])
            community = np.full(n, None, dtype=object)
            community[found >= 0] = found[found >= 0].tolist()
            if not table_cols["community_id"].nullable:
                if not len(comms):
                    problems.file_level(
                        f"{kind} belong to a community and the store has none; import the "
                        "community boundary first (--as communities)",
                        "geometry",
                    )
                else:
                    problems.rows(
                        geom_ok & (found < 0),
                        "geometry",
                        lambda i: "lies in none of the store's communities",
                    )
    building = None
    if "building_id" in table_cols and any(r in values for r in BUILDING_REFERENCES):
        building, building_cell = _resolve_buildings(store, values, n, sources, problems)
        if gtype is None:
            grid_cell = building_cell

    ignored = [
        f
        for f in src_fields
        if f not in used_fields
        and f.lower() not in EXPORT_ONLY_FIELDS
        and f not in BUILDING_REFERENCES
    ]
    if ignored:
        warnings.append(f"ignored field(s) that {kind} do not have: {', '.join(ignored)}")

    problems.raise_if_any(path)

    # ---- write, in one transaction
    columns: dict[str, Any] = {}
    for col, vals in values.items():
        if col in table_cols:
            columns[col] = vals
    if "grid_cell_id" in table_cols:
        columns["grid_cell_id"] = grid_cell
    if community is not None:
        columns["community_id"] = community
    if building is not None:
        columns["building_id"] = building
    if not columns:
        # A kind whose every column is optional, from a file without attributes.
        columns["grid_cell_id" if "grid_cell_id" in table_cols else "name"] = np.full(
            n, None, dtype=object
        )
    written = 0
    if n:
        report_progress("writing", 0, n)
        try:
            with store.begin() as conn:
                for start in range(0, n, WRITE_CHUNK):
                    stop = min(start + WRITE_CHUNK, n)
                    chunk = {k: v[start:stop] for k, v in columns.items()}
                    written += store.bulk_insert(
                        kind, chunk, geoms[start:stop] if geoms is not None else None, conn=conn
                    )
                    report_progress("writing", stop, n)
                from gis_core.security.audit import record  # the audit trail: what, how many

                info = {"file": Path(path).name}
                record(store, "import", object=kind, count=written, detail=info, conn=conn)
        except Exception as exc:
            raise _fail(path, f"the store refused the rows: {_one_line(exc)}") from exc
    return ImportReport(
        path=str(path),
        kind=kind,
        rows=written,
        layer=source.layer,
        src_crs=(offset_system or _crs_label(src)) if src is not None else None,
        dst_crs=dst if gtype else None,
        repaired=repaired,
        outside_cells=outside_cells,
        warnings=warnings,
        seconds=time.perf_counter() - started,
    )


@dataclass
class GeoTable:
    """A file's attribute table as text (``columns[field][row]``, None where blank) and each row's
    representative point in the store's working CRS (``points``: None where the row has no
    geometry; the whole array None when the file has none)."""

    header: list[str]
    columns: dict[str, np.ndarray]
    points: np.ndarray | None
    layer: str | None = None
    src_crs: str | None = None
    warnings: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()), []))


def read_geo_table(
    path: str | os.PathLike,
    srid: int,
    layer: str | None = None,
    src_crs: str | None = None,
    x: str | None = None,
    y: str | None = None,
    encoding: str | None = None,
) -> GeoTable:
    """Read a GeoPackage, GeoJSON, Shapefile or CSV (with coordinate or WKT columns) the way
    :func:`import_file` does — ``layer`` of a multi-layer file, ``src_crs`` (EPSG code, gcj02,
    bd09) over the file's own — for callers that map the attributes themselves (data fusion).

    Geometries are optional per row (a row without one gets None; a CSV without coordinate
    columns has no points at all); points and polygons alike become their representative point
    (``point_on_surface``) in ``EPSG:<srid>``. Raises :class:`ImportFailed` naming file, row and
    field on unreadable input, bad coordinates or a missing CRS.
    """
    path = Path(path)
    with warnings_.catch_warnings(record=True) as caught:
        warnings_.simplefilter("always")
        source = _read(path, layer, encoding, "")
    warnings = [f"reading: {m}" for m in dict.fromkeys(str(w.message) for w in caught)]
    frame = source.frame
    n = len(frame)
    fids = source.fids

    def where(i: int) -> str | None:
        if source.is_csv:
            return f"line {i + 2}"
        return None if fids is None else f"fid {fids[i]}"

    problems = _Problems(path.name, where)
    header = [str(c) for c in frame.columns]
    by_lower: dict[str, str] = {}
    for f in header:
        by_lower.setdefault(f.lower(), f)
    used: set[str] = set()
    geoms = source.geometry
    bad = np.zeros(n, dtype=bool)
    if source.is_csv:
        has_pair = bool(x or y) or any(a in by_lower and b in by_lower for a, b in COORDINATE_PAIRS)
        has_wkt = any(w in by_lower for w in WKT_FIELDS)
        if has_pair or has_wkt:
            spec = ImportMapping(x=x, y=y)
            geoms, bad = _csv_geometry(
                frame, spec, by_lower, problems, used, n, "POINT" if has_pair else "", True
            )
    points = None
    label = None
    if geoms is not None:
        geoms = np.asarray(geoms, dtype=object).copy()
        geoms[bad] = None
        ok = ~shapely.is_missing(geoms)
        ok[ok] = ~shapely.is_empty(geoms[ok])
        coords, index = shapely.get_coordinates(geoms[ok], return_index=True)
        nonfinite = np.zeros(n, dtype=bool)
        nonfinite[np.flatnonzero(ok)[np.unique(index[~np.all(np.isfinite(coords), axis=1)])]] = True
        problems.rows(nonfinite, "geometry", lambda i: "has coordinates that are not numbers")
        ok &= ~nonfinite
        geoms[~ok] = None
        src = None
        offset_system = None
        try:
            offset_system, given = _resolve_src_crs(src_crs)
        except CRSError as exc:
            raise _fail(path, str(exc), "--src-crs") from None
        src = given if given is not None else source.crs
        if given is not None and source.crs is not None and (source.crs != given or offset_system):
            warnings.append(
                f"the file says {_crs_label(source.crs)}; using "
                f"{offset_system or _crs_label(given)} as given"
            )
        if src is None and ok.any():
            problems.file_level(
                "the file has no CRS and none was given; give --src-crs (EPSG:4326 for GPS, "
                "gcj02 for Amap/Tencent, bd09 for Baidu, or the EPSG code of its projection)",
                "--src-crs",
            )
        elif ok.any():
            label = offset_system or _crs_label(src)
            geoms = _reproject(geoms, ok, offset_system, src, srid, problems, _crs_label(src))
            ok &= ~shapely.is_missing(geoms)
        points = np.full(n, None, dtype=object)
        if ok.any():
            points[ok] = shapely.point_on_surface(geoms[ok])
    problems.raise_if_any(path)
    columns = {f: _as_text(frame[f]) for f in header}
    return GeoTable(header, columns, points, source.layer, label, warnings)


def _csv_geometry(
    frame,
    spec: ImportMapping,
    by_lower,
    problems: _Problems,
    used: set,
    n: int,
    gtype: str,
    allow_empty: bool = False,
):
    """Points from coordinate columns (or geometries from a WKT column) of a table without geometry.

    ``allow_empty``: a row with both coordinates empty has no geometry (None) rather than a
    problem (for tables where a location is optional)."""
    reported = np.zeros(n, dtype=bool)
    geoms = np.full(n, None, dtype=object)
    pair = None
    if spec.x or spec.y:
        missing = [f for f in (spec.x, spec.y) if f is None or f not in frame.columns]
        if missing:
            problems.file_level(
                "the mapping's coordinate field(s) "
                f"{', '.join(repr(m) for m in missing)} are not in the file; its fields: "
                f"{', '.join(map(str, frame.columns))}",
                str(missing[0]),
            )
            return geoms, np.ones(n, dtype=bool)
        pair = (spec.x, spec.y)
    else:
        for xn, yn in COORDINATE_PAIRS:
            if xn in by_lower and yn in by_lower:
                pair = (by_lower[xn], by_lower[yn])
                break
    if pair is None:
        wkt = next((by_lower[w] for w in WKT_FIELDS if w in by_lower), None)
        if wkt is None:
            problems.file_level(
                "no coordinate columns found (x/y, lon/lat, lng/lat, longitude/latitude, 经度/纬度, "
                "or a WKT column); name them with x: and y: in a mapping file",
                "x/y",
            )
            return geoms, np.ones(n, dtype=bool)
        used.add(wkt)
        text = _as_text(frame[wkt])
        present = np.array([v is not None for v in text], dtype=bool)
        wkt_text = np.where(present, text, np.array(None, dtype=object))
        parsed = shapely.from_wkt(wkt_text, on_invalid="ignore")
        bad = present & shapely.is_missing(parsed)
        problems.rows(bad, wkt, lambda i: "is not a WKT geometry")
        reported |= bad
        return parsed, reported
    used.update(pair)
    if gtype != "POINT":
        problems.file_level(
            f"coordinate columns give points, and this kind needs {gtype.lower()}s; use a WKT "
            "column, or a GeoPackage, GeoJSON or Shapefile",
            "geometry",
        )
        return geoms, np.ones(n, dtype=bool)
    xs = _as_text(frame[pair[0]])
    ys = _as_text(frame[pair[1]])
    if allow_empty:
        reported |= np.array([x is None and y is None for x, y in zip(xs, ys)], dtype=bool)
        absent = reported.copy()
    coords = []
    for name_, text in zip(pair, (xs, ys)):
        nums = _numbers(text)
        present = np.array([v is not None for v in text], dtype=bool)
        empty = ~present
        problems.rows(empty & ~reported, name_, lambda i: "coordinate is empty")
        reported |= empty
        bad = present & ~np.isfinite(nums)
        problems.rows(bad, name_, lambda i, text=text: f"{text[i]!r} is not a number")
        reported |= bad
        coords.append(nums)
    good = ~reported
    geoms[good] = shapely.points(coords[0][good], coords[1][good])
    if allow_empty:
        reported &= ~absent  # no geometry, and not a problem
    return geoms, reported


def _reproject(geoms, ok, offset_system, src, srid: int, problems: _Problems, src_label: str):
    """Source CRS (or gcj02/bd09) → working CRS, with checks for untransformable and far-off rows."""
    out = geoms.copy()
    idx = np.flatnonzero(ok)
    part = geoms[idx]
    if offset_system is not None:
        lonlat = shapely.get_coordinates(part)
        off_range = (np.abs(lonlat[:, 0]) > 180) | (np.abs(lonlat[:, 1]) > 90)
        if off_range.any():
            _, index = shapely.get_coordinates(part, return_index=True)
            bad_rows = np.unique(index[off_range])
            problems.rows(
                idx[bad_rows],
                "geometry",
                lambda i: f"coordinates are not longitude/latitude, as {offset_system} needs",
            )
            keep = np.ones(len(idx), dtype=bool)
            keep[bad_rows] = False
            out[idx[~keep]] = None
            idx, part = idx[keep], part[keep]

        def _to_wgs(xy):
            lon, lat = offsets.to_wgs84(offset_system, xy[:, 0], xy[:, 1])
            return np.column_stack([lon, lat])

        part = shapely.transform(part, _to_wgs)
        src_key = "EPSG:4326"
    else:
        src_key = _crs_key(src)
    dst = f"EPSG:{srid}"
    try:
        with np.errstate(all="ignore"):
            moved = transform_geometries(part, src_key, dst)
    except Exception as exc:
        problems.file_level(
            f"cannot transform from {src_label} to {dst}: {_one_line(exc)}", "geometry"
        )
        out[idx] = None
        return out
    coords, index = shapely.get_coordinates(moved, return_index=True)
    nonfinite = np.unique(index[~np.all(np.isfinite(coords), axis=1)])
    if len(nonfinite):
        problems.rows(
            idx[nonfinite],
            "geometry",
            lambda i: (
                f"cannot be transformed from {src_label}: its coordinates are outside that "
                "CRS's range — is the source CRS right?"
            ),
        )
    keep = np.ones(len(idx), dtype=bool)
    keep[nonfinite] = False
    out[idx[~keep]] = None
    out[idx[keep]] = moved[keep]
    # Far outside the working CRS's area of use: almost always a wrong source CRS.
    area = parse_crs(dst).area_of_use
    if area is not None and keep.any():
        good = idx[keep]
        bounds = shapely.bounds(out[good])
        cx = (bounds[:, 0] + bounds[:, 2]) / 2
        cy = (bounds[:, 1] + bounds[:, 3]) / 2
        with np.errstate(all="ignore"):
            lon, lat = transformer(dst, "EPSG:4326").transform(cx, cy)
        m = FAR_OUTSIDE_DEG
        far = ~(
            (lon >= area.west - m)
            & (lon <= area.east + m)
            & (lat >= area.south - m)
            & (lat <= area.north + m)
        )
        far_rows = good[far]
        where = {int(r): (float(a), float(b)) for r, a, b in zip(far_rows, lon[far], lat[far])}
        problems.rows(
            far_rows,
            "geometry",
            lambda i: (
                f"lies at {_deg(where[i])}, far outside {dst}'s area "
                f"({area.west:g}–{area.east:g}°E, {area.south:g}–{area.north:g}°N) — is the source "
                f"CRS ({src_label}) right?"
            ),
        )
        out[far_rows] = None
    return out


def _check_same_geometry(store, kind, geoms, ok, values, key_col, problems: _Problems) -> None:
    """Rows without an id whose geometry (to 1 cm, with the same name) is already in the file or
    the store: a file imported twice would otherwise double its rows silently."""
    keyless = ok.copy()
    if key_col is not None and key_col in values:
        keyless &= np.array([v is None for v in values[key_col]], dtype=bool)
    if not keyless.any():
        return
    table_cols = schema.KINDS[kind].__table__.columns
    label = next((c for c in ("name", "title") if c in table_cols), None)
    idx = np.flatnonzero(keyless)
    labels = values.get(label, np.full(len(geoms), None, dtype=object)) if label else None
    mine = _signatures(geoms[idx], None if labels is None else labels[idx])
    first: dict[bytes, int] = {}
    dup_rows, dup_of = [], {}
    for i, sig in zip(idx, mine):
        j = first.setdefault(sig, int(i))
        if j != i:
            dup_rows.append(int(i))
            dup_of[int(i)] = j
    what = f"geometry{f' and {label}' if label else ''}"
    problems.rows(
        np.array(dup_rows, dtype=int),
        "geometry",
        lambda i: f"has the same {what} as row {dup_of[i] + 1}",
    )
    bounds = shapely.total_bounds(geoms[idx])
    existing = store.query_bbox(kind, bounds, [label] if label else [])
    if not len(existing):
        return
    theirs = dict(
        zip(
            _signatures(existing.geometry, existing.columns[label] if label else None),
            existing.ids.tolist(),
        )
    )
    clash = np.array([sig in theirs for sig in mine], dtype=bool)
    clash_rows = idx[clash]
    clash_rows = clash_rows[~np.isin(clash_rows, dup_rows)]
    if not len(clash_rows):
        return
    sig_of = dict(zip(idx.tolist(), mine))
    if len(clash_rows) > 1 and len(clash_rows) == len(idx) - len(dup_rows):
        problems.file_level(
            f"all {len(clash_rows):,} rows without an id have the same {what} as rows already in "
            f"the store (e.g. {kind} id {theirs[sig_of[int(clash_rows[0])]]}) — was this file "
            "imported before?",
            "geometry",
        )
        return
    problems.rows(
        clash_rows,
        "geometry",
        lambda i: f"the same {what} is already in the store ({kind} id {theirs[sig_of[i]]})",
    )


def _signatures(geoms: np.ndarray, labels) -> list[bytes]:
    snapped = shapely.to_wkb(shapely.normalize(shapely.set_precision(geoms, 0.01)))
    if labels is None:
        return list(snapped)
    return [w + b"|" + str(t).encode() for w, t in zip(snapped, labels)]


def _deg(lonlat: tuple[float, float]) -> str:
    lon, lat = lonlat
    if not (np.isfinite(lon) and np.isfinite(lat)):
        return "no place on Earth"
    return f"{abs(lon):.2f}°{'E' if lon >= 0 else 'W'}, {abs(lat):.2f}°{'N' if lat >= 0 else 'S'}"


def _existing_keys(store, kind: str, key_col: str) -> set:
    if kind == "residents" and key_col == "id_number":  # stored encrypted: by blind index
        from gis_core.security.personal import stored_id_numbers

        return stored_id_numbers(store)  # type: ignore[return-value]
    frame = store.page(kind, [key_col], 0, 2**62, filter=[(key_col, "not null", None)])
    return {str(v) for v in frame.columns[key_col]}


def _resolve_buildings(store, values, n: int, sources, problems: _Problems):
    """Building ids (and their grid cells) from building_source_id, else building_id."""
    by_source = values.get("building_source_id")
    by_id = values.get("building_id")
    needed_source = by_source is not None and any(v is not None for v in by_source)
    needed_id = by_id is not None and any(v is not None for v in by_id)
    building = np.full(n, None, dtype=object)
    cell = np.full(n, None, dtype=object)
    if not (needed_source or needed_id):
        return building, cell
    table = store.page("buildings", ["source_id", "grid_cell_id"], 0, 2**62)
    ids = table.ids.tolist()
    cells_of = dict(zip(ids, table.columns["grid_cell_id"].tolist()))
    by_source_map: dict[str, int] = {}
    for i, s in zip(ids, table.columns["source_id"].tolist()):
        if s is not None:
            by_source_map.setdefault(str(s), i)
    not_found = np.zeros(n, dtype=bool)
    not_found_id = np.zeros(n, dtype=bool)
    for r in range(n):
        s = by_source[r] if by_source is not None else None
        if s is not None:
            b = by_source_map.get(s)
            if b is None:
                not_found[r] = True
                continue
        else:
            b = by_id[r] if by_id is not None else None
            if b is None:
                continue
            if b not in cells_of:
                not_found_id[r] = True
                continue
        building[r] = b
        cell[r] = cells_of[b]
    field_s = sources.get("building_source_id", "building_source_id")
    field_i = sources.get("building_id", "building_id")
    problems.rows(
        not_found,
        field_s,
        lambda i: (
            f"no building in the store has source id {by_source[i]!r}; import the buildings first"
        ),
    )
    problems.rows(not_found_id, field_i, lambda i: f"no building in the store has id {by_id[i]}")
    return building, cell


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
