"""Sources and their imports: a source is one department's system (department, system, extraction
date, field mapping, trust per field); importing its file standardises every row and upserts it as
a fusion record, in one transaction.

Files: CSV and Excel (.xlsx), and the formats of the foundation import — GeoPackage, GeoJSON,
Shapefile and CSV with coordinate (or WKT) columns — read by gis_core.importer.read_geo_table
(``layer``, ``src_crs``). Their attribute columns go through the source's mapping like CSV
headers (a mapping may name coordinate columns as ``x`` / ``y``); each row's geometry (a point,
or a polygon's representative point) is kept in the store's working CRS (``fusion_records.geom``).

Placing a record in a grid cell: by its address (the building whose address it names, and that
building's cell), else by location (the cell its point lies in).

Re-importing the same file changes nothing: rows are matched on the source's own key (or, for a
source without one, on a keyed hash of the row), and only added and changed rows are written —
changed ones are unlinked so the next ``link`` places them again. Rows no longer in the file are
marked inactive.

ID numbers and phones are encrypted with the store's personal-data key before they are written;
the valid ID number's (or credit code's) blind index is the deterministic linkage key.

Example::

    register_source(store, SourceSpec("police", "residents", "公安分局", system="人口库",
                    mapping={"姓名": "name", "身份证号": "id_number"}, trust={"*": 0.9}))
    result = import_source(store, "police", "police.csv")
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import text

from gis_core.fusion.addresses import parse_addresses
from gis_core.fusion.findings import ERROR, Finding
from gis_core.fusion.standardise import FIELDS, FUSION_KINDS, KEY_FIELD, parse_date, standardise
from gis_core.store import StoreError

__all__ = [
    "GEO_SUFFIXES",
    "SourceSpec",
    "ImportResult",
    "PERSONAL_VALUES",
    "register_source",
    "list_sources",
    "get_source",
    "read_table",
    "import_source",
    "import_rows",
    "building_index",
    "encrypt_values",
    "decrypt_values",
]

# Values of a fusion record that are encrypted at rest (the rest are names, dates and addresses).
PERSONAL_VALUES = ("id_number", "head_id_number", "phone")
# Mapping targets that name a CSV's coordinate columns rather than a field.
COORDINATE_FIELDS = ("x", "y")
# Files read through pyogrio (a .csv too, when it has coordinate or WKT columns).
GEO_SUFFIXES = (".gpkg", ".geojson", ".json", ".shp", ".zip")
_AAD = "fusion_records.{}"


class FusionError(StoreError):
    """A fusion operation that cannot go ahead, with a message for the user."""


@dataclass(frozen=True)
class SourceSpec:
    code: str
    kind: str
    department: str
    system: str | None = None
    extracted_at: dt.date | None = None
    mapping: dict[str, str] = field(default_factory=dict)  # source column -> our field
    trust: dict[str, float] = field(default_factory=lambda: {"*": 0.5})
    key_field: str | None = None  # the source column holding its own row key
    default_area: str | None = None
    note: str | None = None
    id: int | None = None

    def trust_of(self, name: str) -> float:
        return float(self.trust.get(name, self.trust.get("*", 0.5)))


@dataclass
class ImportResult:
    source: str
    rows: int
    added: int
    changed: int
    unchanged: int
    removed: int
    findings: list[Finding]

    def summary(self) -> str:
        errors = sum(f.severity == ERROR for f in self.findings)
        return (
            f"{self.source}: {self.rows} rows — {self.added} added, {self.changed} changed, "
            f"{self.unchanged} unchanged, {self.removed} removed; {len(self.findings)} findings "
            f"({errors} errors)"
        )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _check_spec(spec: SourceSpec) -> None:
    if spec.kind not in FUSION_KINDS:
        raise FusionError(f"unknown kind {spec.kind!r}; fusion knows {', '.join(FUSION_KINDS)}")
    wanted = set(FIELDS[spec.kind]) | set(COORDINATE_FIELDS)
    bad = sorted(v for v in spec.mapping.values() if v not in wanted)
    if bad:
        raise FusionError(
            f"source {spec.code}: mapping names unknown field(s) {', '.join(bad)}; "
            f"{spec.kind} fields: {', '.join(FIELDS[spec.kind])}"
        )
    for name, value in spec.trust.items():
        if not 0 <= float(value) <= 1:
            raise FusionError(f"source {spec.code}: trust of {name} must be within 0..1")


def register_source(store, spec: SourceSpec, replace: bool = False) -> int:
    """Register a source (or, with ``replace``, update a registered one). Returns its id."""
    _check_spec(spec)
    values = {
        "code": spec.code,
        "kind": spec.kind,
        "department": spec.department,
        "system": spec.system,
        "extracted_at": spec.extracted_at,
        "mapping": json.dumps(spec.mapping, ensure_ascii=False),
        "trust": json.dumps(spec.trust, ensure_ascii=False),
        "key_field": spec.key_field,
        "default_area": spec.default_area,
        "note": spec.note,
        "at": _now(),
    }
    with store.begin() as conn:
        have = conn.execute(
            text("SELECT id FROM fusion_sources WHERE code = :c"), {"c": spec.code}
        ).scalar()
        if have is not None and not replace:
            raise FusionError(f"source {spec.code} is already registered")
        if have is not None:
            conn.execute(
                text(
                    "UPDATE fusion_sources SET kind = :kind, department = :department, "
                    "system = :system, extracted_at = :extracted_at, mapping = :mapping, "
                    "trust = :trust, key_field = :key_field, default_area = :default_area, "
                    "note = :note WHERE id = :id"
                ),
                {**values, "id": have},
            )
            return int(have)
        conn.execute(
            text(
                "INSERT INTO fusion_sources (code, kind, department, system, extracted_at, "
                "mapping, trust, key_field, default_area, registered_at, note) VALUES (:code, "
                ":kind, :department, :system, :extracted_at, :mapping, :trust, :key_field, "
                ":default_area, :at, :note)"
            ),
            values,
        )
        return int(
            conn.execute(
                text("SELECT id FROM fusion_sources WHERE code = :c"), {"c": spec.code}
            ).scalar()
        )


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _spec(row) -> SourceSpec:
    extracted = row.extracted_at
    if isinstance(extracted, str):
        extracted = dt.date.fromisoformat(extracted[:10])
    return SourceSpec(
        code=row.code,
        kind=row.kind,
        department=row.department,
        system=row.system,
        extracted_at=extracted,
        mapping=_json(row.mapping),
        trust=_json(row.trust),
        key_field=row.key_field,
        default_area=row.default_area,
        note=row.note,
        id=row.id,
    )


_SOURCE_COLS = (
    "id, code, kind, department, system, extracted_at, mapping, trust, key_field, "
    "default_area, note"
)


def list_sources(store, conn=None) -> list[SourceSpec]:
    sql = text(f"SELECT {_SOURCE_COLS} FROM fusion_sources ORDER BY id")
    if conn is not None:
        return [_spec(r) for r in conn.execute(sql)]
    with store.engine.connect() as c:
        return [_spec(r) for r in c.execute(sql)]


def get_source(store, code: str, conn=None) -> SourceSpec:
    for spec in list_sources(store, conn):
        if spec.code == code:
            return spec
    raise FusionError(f"no source {code!r}; register it with `zhiwang fusion source add`")


# ----------------------------------------------------------------------------- reading files
def read_table(path: str | os.PathLike, sheet: str | None = None) -> tuple[list[str], list[list]]:
    """Header and rows of a CSV (UTF-8, UTF-8 with BOM or GB18030) or Excel (.xlsx) file."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            ws = book[sheet] if sheet else book.worksheets[0]
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
        finally:
            book.close()
        if not rows:
            return [], []
        header = [str(h).strip() if h is not None else "" for h in rows[0]]
        return header, [r for r in rows[1:] if any(v is not None for v in r)]
    if path.suffix.lower() != ".csv":
        raise FusionError(
            f"{path}: fusion imports .csv, .xlsx, .gpkg, .geojson and .shp (zipped too) files"
        )
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            decoded = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FusionError(f"{path}: neither UTF-8 nor GB18030")
    reader = csv.reader(decoded.splitlines())
    header = [h.strip() for h in next(reader, [])]
    return header, [r for r in reader if any(v.strip() for v in r)]


# ----------------------------------------------------------------------------- personal values
def encrypt_values(key, values: Sequence[str | None], name: str) -> list[str | None]:
    return key.encrypt_many(list(values), _AAD.format(name))


def decrypt_values(key, values: Sequence[Any], name: str) -> list[str | None]:
    return key.decrypt_many(list(values), _AAD.format(name))


def building_index(store) -> dict[str, tuple[int, int | None]]:
    """``road|number|building`` of each building's address → (building id, grid cell id)."""
    frame = store.query_all("buildings", ["address", "grid_cell_id"])
    if not len(frame):
        return {}
    parsed = parse_addresses(frame.columns["address"].tolist())
    cells = frame.columns["grid_cell_id"].tolist()
    out: dict[str, tuple[int, int | None]] = {}
    for bid, (a, _), cell in zip(frame.ids.tolist(), parsed, cells):
        if a is not None and a.building_key:
            cell = None if cell is None or cell != cell else int(cell)
            out.setdefault(a.building_key, (int(bid), cell))
            if not a.building:  # "书院门路12号" also stands for its only building
                out.setdefault(f"{a.road}|{a.number}|", (int(bid), cell))
    return out


# ----------------------------------------------------------------------------- importing
def import_source(
    store,
    code: str,
    path: str | os.PathLike,
    extracted_at: dt.date | str | None = None,
    sheet: str | None = None,
    today: dt.date | None = None,
    layer: str | None = None,
    src_crs: str | None = None,
) -> ImportResult:
    """Import one file of a registered source (see the module docstring). ``layer`` picks a
    layer of a multi-layer file and ``src_crs`` (EPSG code, gcj02, bd09) overrides the file's
    CRS, as in the foundation import; nothing is written when the file has a problem."""
    spec = get_source(store, code)
    path = Path(path)
    points = None
    coords = {ours: src for src, ours in spec.mapping.items() if ours in COORDINATE_FIELDS}
    if _is_geo(path, coords):
        from gis_core.importer import ImportFailed, read_geo_table

        try:
            table = read_geo_table(
                path, store.srid, layer=layer, src_crs=src_crs, x=coords.get("x"),
                y=coords.get("y"),
            )  # fmt: skip
        except ImportFailed as exc:
            raise FusionError(str(exc)) from None
        header = table.header
        by_name = table.columns
        n = len(table)
        points = table.points

        def column(name: str) -> list:
            return list(by_name[name])
    else:
        if layer or src_crs:
            raise FusionError(
                f"{path.name}: --layer and --src-crs are for files with geometry (GeoPackage, "
                "GeoJSON, Shapefile, CSV with coordinate columns)"
            )
        header, rows = read_table(path, sheet)
        n = len(rows)

        def column(name: str) -> list:
            i = header.index(name)
            return [r[i] if i < len(r) else None for r in rows]

    missing = [c for c in spec.mapping if c not in header]
    if spec.key_field and spec.key_field not in header:
        missing.append(spec.key_field)
    if missing:
        raise FusionError(
            f"{path.name}: no column(s) {', '.join(missing)} (mapping of {code}); its columns: "
            f"{', '.join(header) or '(none)'}"
        )
    columns: dict[str, list] = {
        ours: column(src) for src, ours in spec.mapping.items() if ours not in COORDINATE_FIELDS
    }
    if not columns:
        columns = {"address": [None] * n}
    keys = None
    if spec.key_field:
        keys = [None if v in (None, "") else str(v).strip() for v in column(spec.key_field)]
    return import_rows(
        store, spec, columns, keys, file=path.name, extracted_at=extracted_at, today=today,
        points=points,
    )  # fmt: skip


def _is_geo(path: Path, coords: Mapping[str, str]) -> bool:
    """Whether a file is read through pyogrio: a spatial format, or a CSV with coordinates."""
    suffix = path.suffix.lower()
    if suffix in GEO_SUFFIXES or path.is_dir():
        return True
    if suffix != ".csv":
        return False
    if coords:
        return True
    from gis_core.importer import COORDINATE_PAIRS, WKT_FIELDS

    header, _ = read_table(path) if path.exists() else ([], [])
    lower = {h.lower() for h in header}
    return any(a in lower and b in lower for a, b in COORDINATE_PAIRS) or any(
        w in lower for w in WKT_FIELDS
    )


def import_rows(
    store,
    spec: SourceSpec,
    columns: Mapping[str, Sequence[Any]],
    keys: Sequence[str | None] | None = None,
    file: str | None = None,
    extracted_at: dt.date | str | None = None,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
    points: Sequence[Any] | None = None,
) -> ImportResult:
    """Import already-read rows (columns named by our fields) of a source; see the module doc.
    ``points``: each row's location (a shapely point in the store's working CRS, or None)."""
    from gis_core.security.keys import store_key

    extracted = parse_date(extracted_at) if extracted_at else spec.extracted_at
    n = len(next(iter(columns.values()), []))
    std = standardise(spec.kind, columns, spec.code, default_area=spec.default_area, today=today)
    key = store_key(store, create=True)
    row_keys = _row_keys(key, columns, keys, n)
    dup = _duplicates(row_keys)
    findings = list(std.findings) + [
        Finding(spec.code, i + 1, spec.key_field or "row", "duplicate_key",
                "the source key repeats an earlier row's; the later row is skipped")
        for i in dup
    ]  # fmt: skip
    values = _record_values(spec.kind, std.columns, n)
    # The hash of the clear values (keyed), before personal values get their random nonces.
    wkb = _point_wkb(points, n)
    hashed = [
        v if w is None else {**v, "_geom": w.hex()} for v, w in zip(values, wkb)
    ]  # a moved point is a changed row; a row without one hashes as before
    hashes = key.blind_many([json.dumps(v, ensure_ascii=False, sort_keys=True) for v in hashed])
    _encrypt_personal(key, values)
    bidx = key.blind_many(std.columns["id_key"])
    buildings = building_index(store)
    place = [
        buildings.get(b) if b else None for b in std.columns["building_key"]
    ]  # (building id, cell): by address
    place = _place_by_location(store, place, points)
    geom_sql = f"{'ST_GeomFromWKB' if store.backend == 'postgis' else 'GeomFromWKB'}(:g, {int(store.srid)})"
    now = _now()
    added = changed = unchanged = 0
    with store.begin() as conn:
        source_id = spec.id
        existing = {
            r[0]: (r[1], r[2], r[3])
            for r in conn.execute(
                text(
                    "SELECT source_key, id, content_hash, active FROM fusion_records "
                    "WHERE source_id = :s"
                ),
                {"s": source_id},
            )
        }
        inserts, updates, touched = [], [], set()
        skip = set(dup)
        record_of_row: list[int | None] = [None] * n
        for i in range(n):
            if i in skip:
                continue
            rk = row_keys[i]
            touched.add(rk)
            b = place[i]
            row = {
                "source_id": source_id,
                "source_key": rk,
                "kind": spec.kind,
                "row_no": i + 1,
                "hash": hashes[i],
                "bidx": bidx[i],
                "values": json.dumps(values[i], ensure_ascii=False),
                "extracted_at": extracted,
                "at": now,
                "cell": b[1] if b else None,
                "building": b[0] if b else None,
                "g": wkb[i],
            }
            have = existing.get(rk)
            if have is None:
                inserts.append(row)
            elif have[1] != hashes[i] or not have[2]:
                updates.append({**row, "id": have[0]})
                record_of_row[i] = have[0]
            else:
                unchanged += 1
                record_of_row[i] = have[0]
        if inserts:
            conn.execute(
                text(
                    "INSERT INTO fusion_records (source_id, source_key, kind, row_no, active, "
                    'content_hash, id_bidx, "values", extracted_at, imported_at, grid_cell_id, '
                    "building_id, geom) VALUES (:source_id, :source_key, :kind, :row_no, :active, "
                    f":hash, :bidx, :values, :extracted_at, :at, :cell, :building, {geom_sql})"
                ),
                [{**r, "active": True} for r in inserts],
            )
            added = len(inserts)
        if updates:
            # A changed row is placed again by the next link (match_rule NULL); its entity id
            # stays as the fallback, so an entity whose only record changed keeps its id.
            conn.execute(
                text(
                    "UPDATE fusion_records SET row_no = :row_no, active = :active, "
                    'content_hash = :hash, id_bidx = :bidx, "values" = :values, '
                    "extracted_at = :extracted_at, imported_at = :at, grid_cell_id = :cell, "
                    f"building_id = :building, geom = {geom_sql}, match_rule = NULL, "
                    "match_weight = NULL WHERE id = :id"
                ),
                [{**r, "active": True} for r in updates],
            )
            changed = len(updates)
        gone = [v[0] for k, v in existing.items() if k not in touched and v[2]]
        if gone:
            conn.execute(
                text("UPDATE fusion_records SET active = :f WHERE id = :id"),
                [{"id": i, "f": False} for i in gone],
            )
        if extracted is not None:
            conn.execute(
                text(
                    "UPDATE fusion_sources SET extracted_at = :d WHERE id = :s "
                    "AND (extracted_at IS NULL OR extracted_at < :d)"
                ),
                {"d": extracted, "s": source_id},
            )
        ids = {
            r[0]: r[1]
            for r in conn.execute(
                text("SELECT source_key, id FROM fusion_records WHERE source_id = :s"),
                {"s": source_id},
            )
        }
        conn.execute(text("DELETE FROM fusion_findings WHERE source_id = :s"), {"s": source_id})
        if findings:
            conn.execute(
                text(
                    "INSERT INTO fusion_findings (source_id, record_id, row_no, field, rule, "
                    "severity, message, grid_cell_id) VALUES (:s, :r, :row, :field, :rule, "
                    ":sev, :msg, :cell)"
                ),
                [
                    {
                        "s": source_id,
                        "r": ids.get(row_keys[f.row - 1]) if f.row - 1 not in skip else None,
                        "row": f.row,
                        "field": f.field,
                        "rule": f.rule,
                        "sev": f.severity,
                        "msg": f.message,
                        "cell": place[f.row - 1][1] if place[f.row - 1] else None,
                    }
                    for f in findings
                ],
            )
        conn.execute(
            text(
                "INSERT INTO fusion_imports (source_id, file, extracted_at, imported_at, rows, "
                "added, changed, unchanged, removed, findings) VALUES (:s, :f, :e, :at, :n, :a, "
                ":c, :u, :r, :k)"
            ),
            {
                "s": source_id,
                "f": file,
                "e": extracted,
                "at": now,
                "n": n,
                "a": added,
                "c": changed,
                "u": unchanged,
                "r": len(gone),
                "k": len(findings),
            },
        )
    return ImportResult(spec.code, n, added, changed, unchanged, len(gone), findings)


def _point_wkb(points: Sequence[Any] | None, n: int) -> list[bytes | None]:
    """Each row's point as WKB, rounded to the millimetre (so a re-read file hashes the same)."""
    if points is None:
        return [None] * n
    import shapely

    pts = np.asarray(points, dtype=object)
    out: list[bytes | None] = [None] * n
    have = np.flatnonzero(~shapely.is_missing(pts))
    if len(have):
        rounded = shapely.set_precision(pts[have], 0.001)
        for i, w in zip(have.tolist(), shapely.to_wkb(rounded).tolist()):
            out[i] = w
    return out


def _place_by_location(store, place: list, points: Sequence[Any] | None) -> list:
    """Rows not placed by address (or placed in a building without a cell) go to the grid cell
    their point lies in."""
    if points is None:
        return place
    import shapely

    from gis_core.importer import assign_to_areas

    pts = np.asarray(points, dtype=object)
    todo = [
        i
        for i, p in enumerate(place)
        if (p is None or p[1] is None) and not shapely.is_missing(pts[i])
    ]
    if not todo:
        return place
    cells = store.query_all("grid_cells", [])
    found = assign_to_areas(pts[todo], cells.ids, cells.geometry)
    out = list(place)
    for i, c in zip(todo, found.tolist()):
        if c >= 0:
            out[i] = (place[i][0] if place[i] else None, int(c))
    return out


def _row_keys(key, columns: Mapping[str, Sequence[Any]], keys, n: int) -> list[str]:
    if keys is not None:
        return [k if k else f"row:{i + 1}" for i, k in enumerate(keys)]
    # No key column: a keyed hash of the row (a plain hash of a row with an ID number could be
    # reversed by trying numbers).
    names = sorted(columns)
    texts = [json.dumps([str(columns[c][i]) for c in names], ensure_ascii=False) for i in range(n)]
    return [f"h:{h}" for h in key.blind_many(texts)]


def _duplicates(keys: Sequence[str]) -> list[int]:
    seen: set[str] = set()
    dup = []
    for i, k in enumerate(keys):
        if k in seen:
            dup.append(i)
        seen.add(k)
    return dup


def _record_values(kind: str, columns: Mapping[str, list], n: int) -> list[dict]:
    """The values of each record: standardised fields, ID number and phone still in clear."""
    id_field = KEY_FIELD[kind]
    raw_id = f"{id_field}_raw" if id_field else None
    stored = [
        name
        for name in (
            *FIELDS[kind],
            "street",
            "community",
            "road",
            "number",
            "building",
            "unit",
            "room",
            "district",
            "address_key",
            "building_key",
        )  # fmt: skip
        if name in columns or name == id_field
    ]
    out = []
    for i in range(n):
        v: dict[str, Any] = {}
        for name in stored:
            if name == id_field:
                x = columns[raw_id][i] if raw_id and raw_id in columns else None
            else:
                x = columns[name][i]  # ID numbers and credit codes as written, valid or not
            if x is not None:
                v[name] = x.isoformat() if isinstance(x, dt.date) else x
        if raw_id:
            v["id_valid"] = columns["id_key"][i] is not None
        out.append(v)
    return out


def _encrypt_personal(key, values: list[dict]) -> None:
    """ID numbers and phones of the values encrypted in place (credit codes are public)."""
    for name in PERSONAL_VALUES:
        present = [i for i, v in enumerate(values) if name in v]
        if not present:
            continue
        enc = encrypt_values(key, [values[i][name] for i in present], name)
        for i, e in zip(present, enc):
            values[i][name] = e


def spec_dict(spec: SourceSpec) -> dict:
    d = asdict(spec)
    if spec.extracted_at:
        d["extracted_at"] = spec.extracted_at.isoformat()
    return d
