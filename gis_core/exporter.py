"""Export one layer kind of a store to GeoPackage, GeoJSON or (for residents) CSV.

GeoPackage keeps the working CRS unless another is asked for, and holds one layer per kind (export
several kinds into one file to get several layers). GeoJSON is always EPSG:4326 (RFC 7946),
written with 12 decimals (1e-12° ≈ 0.1 µm) rather than RFC 7946's suggested 7 (≈ 1 cm) so that an
export imports back to the same geometries: export → import round-trips within 1e-6 m (the
Gauss-Krüger ↔ WGS84 round trip through PROJ is exact to ~1e-9 m; tests check 1e-6 m).

Residents have no geometry and export to CSV only (UTF-8 with a byte-order mark, so Excel reads the
Chinese text). Personal fields (:data:`gis_core.masking.PERSONAL_FIELDS`: name, ID number, phone)
are masked unless ``mask_personal=False``. Rows that name a building also get its
``building_source_id``, which an import into another store resolves.

Example::

    export_kind(store, "buildings", "buildings.geojson")
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import JSON, BigInteger, Date, DateTime, Float, Integer

from gis_core import schema
from gis_core.crs import CRSError, parse_crs, transform_geometries
from gis_core.masking import PERSONAL_FIELDS, mask_values
from gis_core.security.personal import INDEX_COLUMNS, export_frame, record_export

__all__ = ["EXPORT_FORMATS", "ExportFailed", "ExportReport", "export_kind"]

EXPORT_FORMATS = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON", ".csv": "CSV"}
GEOJSON_DECIMALS = 12
TAG_SEPARATOR = ";"
_OGR_TYPES = {
    "POINT": "Point",
    "LINESTRING": "LineString",
    "POLYGON": "Polygon",
    "MULTIPOLYGON": "MultiPolygon",
}


class ExportFailed(Exception):
    """An export that cannot be done as asked (kind, format or CRS), with a message for the user."""


@dataclass
class ExportReport:
    kind: str
    path: str
    rows: int
    crs: str | None
    masked: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        text = f"exported {self.rows:,} {self.kind} to {Path(self.path).name}"
        if self.crs:
            text += f" ({self.crs})"
        if self.masked:
            text += f"; masked {', '.join(self.masked)}"
        return text + f"; {self.seconds:.2f} s"


def export_kind(
    store,
    kind: str,
    out_path: str | os.PathLike,
    crs: str | None = None,
    mask_personal: bool = True,
    user=None,
) -> ExportReport:
    """Write every row of ``kind`` to ``out_path`` (.gpkg, .geojson or .csv by its suffix).

    ``mask_personal=False`` needs ``export_personal`` (``user``, else the store session's user;
    gis_core.security). Every export is recorded in the audit log: what, how many, what masked.
    """
    import pandas as pd
    import pyogrio

    started = time.perf_counter()
    out = Path(out_path)
    if kind not in schema.KINDS:
        raise ExportFailed(f"unknown kind {kind!r}; known: {', '.join(schema.KINDS)}")
    driver = EXPORT_FORMATS.get(out.suffix.lower())
    if driver is None:
        raise ExportFailed(f"cannot export to {out.name}: use .gpkg, .geojson or (residents) .csv")
    gtype = schema.GEOMETRY_TYPES.get(kind)
    if gtype is None and driver != "CSV":
        raise ExportFailed(f"{kind} have no geometry; export them to a .csv file")
    if gtype is not None and driver == "CSV":
        raise ExportFailed(f"export {kind} to .gpkg or .geojson; CSV is for residents")
    working = f"EPSG:{store.srid}"
    if driver == "GeoJSON":
        if crs is not None and parse_crs(crs) != parse_crs("EPSG:4326"):
            raise ExportFailed("GeoJSON is always EPSG:4326 (RFC 7946); use .gpkg for other CRSs")
        target = "EPSG:4326"
    elif driver == "GPKG":
        target = working if crs is None else crs
        try:
            parse_crs(target)
        except CRSError as exc:
            raise ExportFailed(str(exc)) from None
    else:
        target = None
    if crs is not None and driver == "CSV":
        raise ExportFailed("a CSV of residents has no coordinates; --crs does not apply")

    table_cols = schema.KINDS[kind].__table__.columns
    names = [c.name for c in table_cols if c.name not in ("id", "geom", *INDEX_COLUMNS)]
    frame = export_frame(store, kind, names, mask_personal, user)  # checks who may; masked
    order = np.argsort(frame.ids, kind="stable")  # files in id order: stable and diffable
    frame = type(frame)(
        kind,
        frame.ids[order],
        frame.geometry[order] if len(frame.geometry) else frame.geometry,
        {k: v[order] for k, v in frame.columns.items()},
        frame.srid,
    )
    data: dict[str, Any] = {"id": frame.ids}
    for name in names:
        data[name] = _export_values(frame.columns[name], table_cols[name].type)
    if "building_id" in table_cols:
        data["building_source_id"] = _building_source_ids(store, frame.columns["building_id"])
    masked = []
    if mask_personal:
        for name, mask in PERSONAL_FIELDS.get(kind, {}).items():
            if name in data:
                data[name] = mask_values(mask, data[name])
                masked.append(name)
    df = pd.DataFrame({k: _column(v) for k, v in data.items()})

    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        if driver == "CSV":
            if out.exists():
                out.unlink()
            pyogrio.write_dataframe(df, out, driver="CSV", layer_options={"WRITE_BOM": "YES"})
        else:
            import geopandas as gpd

            assert target is not None and gtype is not None
            geoms = frame.geometry
            if target != working:
                geoms = transform_geometries(geoms, working, target)
            gdf = gpd.GeoDataFrame(df, geometry=np.asarray(geoms, dtype=object), crs=target)
            options = {}
            if driver == "GeoJSON":
                if out.exists():
                    out.unlink()
                options = {"RFC7946": "YES", "COORDINATE_PRECISION": GEOJSON_DECIMALS}
            pyogrio.write_dataframe(
                gdf,
                out,
                layer=kind if driver == "GPKG" else None,
                driver=driver,
                geometry_type=_OGR_TYPES[gtype],
                layer_options=options or None,
            )
    except ExportFailed:
        raise
    except Exception as exc:
        raise ExportFailed(f"cannot write {out}: {str(exc).strip().splitlines()[0]}") from exc
    record_export(
        store,
        kind,
        len(frame),
        str(out),
        masked,
        [] if mask_personal else list(PERSONAL_FIELDS.get(kind, {})),
        user,
        driver,
    )
    return ExportReport(
        kind,
        str(out),
        len(frame),
        target,
        masked,
        time.perf_counter() - started,
    )


def _column(values):
    if isinstance(values, np.ndarray) and values.dtype != object:
        return values
    if not isinstance(values, np.ndarray):
        return values  # a pandas extension array (nullable integers)
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


def _export_values(values: np.ndarray, ctype) -> np.ndarray:
    """Store values → what the file keeps: ISO text for dates, ``a;b`` for tag lists."""
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    if isinstance(ctype, JSON):
        for i, v in enumerate(out):
            if isinstance(v, str):
                v = json.loads(v)
            out[i] = TAG_SEPARATOR.join(map(str, v)) if isinstance(v, list) else v
    elif isinstance(ctype, DateTime | Date):
        for i, v in enumerate(out):
            if v is not None and not isinstance(v, str):
                out[i] = v.isoformat()
    elif isinstance(ctype, Integer | BigInteger):
        import pandas as pd

        return pd.array([None if v is None else int(v) for v in out], dtype="Int64")
    elif isinstance(ctype, Float):
        return np.array([np.nan if v is None else float(v) for v in out], dtype=float)
    return out


def _building_source_ids(store, building_ids: np.ndarray) -> np.ndarray:
    """The source id of each referenced building (None where there is none)."""
    out = np.empty(len(building_ids), dtype=object)
    if all(b is None for b in building_ids):
        return out
    table = store.page("buildings", ["source_id"], 0, 2**62)
    lookup = dict(zip(table.ids.tolist(), table.columns["source_id"].tolist()))
    for i, b in enumerate(building_ids):
        out[i] = None if b is None else lookup.get(int(b))
    return out
