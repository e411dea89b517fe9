"""Writing analysis results: CSV (one row per building, or per cell / site where there are no
buildings), GeoPackage (one layer per result part) and a self-contained HTML map report.

The HTML report is a folium (Leaflet) map with the result layers and a summary table. It opens
with no network: Leaflet's JS, CSS and images are inlined from ``resources/web/leaflet`` (the npm
``leaflet`` package, BSD-2-Clause), folium's CDN links are dropped and the map has no tile layer.
"""

from __future__ import annotations

import base64
import csv
import html
import json
import math
import re
from pathlib import Path

import numpy as np
import shapely

from gis_core.analysis.data import AnalysisData
from gis_core.analysis.feedback import AnalysisError

__all__ = ["write_result", "write_csv", "write_gpkg", "write_html", "result_layers", "LEAFLET_DIR"]

LEAFLET_DIR = Path(__file__).resolve().parents[2] / "resources" / "web" / "leaflet"
_FORMATS = (".csv", ".gpkg", ".html")


def write_result(result, data: AnalysisData, path: str | Path) -> Path:
    """Write ``result`` in the format its file suffix names (.csv, .gpkg or .html)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _FORMATS:
        raise AnalysisError(f"unknown output format {path.suffix!r}; use {', '.join(_FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    {".csv": write_csv, ".gpkg": write_gpkg, ".html": write_html}[suffix](result, data, path)
    return path


# ---------------------------------------------------------------------- tables
def _cell_code_of(result, positions: np.ndarray) -> list[str]:
    codes = np.asarray(result.cell_codes, dtype=object)
    return [str(codes[p]) if p >= 0 else "" for p in positions.tolist()]


def _csv_table(result) -> tuple[list[str], list[list]]:
    kind = result.kind
    if kind == "equity":
        header = ["building_id", "grid_cell_code", "demand", "accessibility"]
        rows = zip(
            result.building_ids.tolist(),
            _cell_code_of(result, result.building_cell),
            result.demand.tolist(),
            result.accessibility.tolist(),
        )
        return header, [list(r) for r in rows]
    if kind == "coverage_service":
        header = [
            "building_id",
            "grid_cell_code",
            "demand",
            "nearest_distance_m",
            "nearest_facility_id",
            "covered",
        ]
        dist = [round(d, 3) if math.isfinite(d) else "" for d in result.nearest_distance.tolist()]
        rows = zip(
            result.building_ids.tolist(),
            _cell_code_of(result, result.building_cell),
            result.demand.tolist(),
            dist,
            result.nearest_facility.tolist(),
            [int(c) for c in result.covered.tolist()],
        )
        return header, [list(r) for r in rows]
    if kind == "coverage_cameras":
        header = ["grid_cell_code", "public_m2", "seen_m2", "blind_m2", "coverage"]
        rows = zip(
            map(str, result.cell_codes),
            result.cell_public_m2.tolist(),
            result.cell_seen_m2.tolist(),
            (result.cell_public_m2 - result.cell_seen_m2).tolist(),
            result.cell_coverage.tolist(),
        )
        return header, [list(r) for r in rows]
    if kind == "siting":
        header = ["rank", "x", "y", "source"]
        rows = [
            [k + 1, x, y, src]
            for k, ((x, y), src) in enumerate(
                zip(result.site_xy.tolist(), result.site_source.tolist())
            )
        ]
        return header, rows
    raise AnalysisError(f"cannot write a result of kind {kind!r}")


def write_csv(result, data: AnalysisData, path: Path) -> None:
    header, rows = _csv_table(result)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


# ---------------------------------------------------------------------- layers
def result_layers(
    result, data: AnalysisData
) -> dict[str, tuple[np.ndarray, dict[str, np.ndarray]]]:
    """The result's map layers: name → (geometries in the working CRS, attribute columns)."""
    layers: dict[str, tuple[np.ndarray, dict]] = {}
    cells = data.cells
    if cells is not None and len(cells) and len(result.cell_ids):
        cols = {"code": np.asarray(result.cell_codes, dtype=object)}
        for metric, (_, values) in result.cell_metrics().items():
            cols[metric] = np.asarray(values, dtype=float)
        pos = cells.index_of(np.asarray(result.cell_ids))
        layers["cells"] = (cells.geometry[pos], cols)
    kind = result.kind
    if kind in ("equity", "coverage_service"):
        fp = data.buildings.footprints
        cols = {"building_id": result.building_ids, "demand": result.demand}
        if kind == "equity":
            cols["accessibility"] = result.accessibility
        else:
            cols["nearest_distance_m"] = np.where(
                np.isfinite(result.nearest_distance), result.nearest_distance, np.nan
            )
            cols["covered"] = result.covered.astype(np.int64)
        layers["buildings"] = (fp, cols)
        fcols = {"facility_id": result.facility_ids}
        if kind == "equity":
            fcols.update(
                supply=result.facility_supply,
                catchment_demand=result.facility_catchment_demand,
                supply_per_person=result.facility_ratio,
            )
        layers["facilities"] = (shapely.points(result.facility_xy), fcols)
    if kind == "coverage_service" and len(result.isochrones):
        layers["isochrones"] = (
            result.isochrones[::-1],
            {"minutes": result.isochrone_minutes[::-1]},
        )
    if kind == "coverage_cameras":
        layers["camera_views"] = (result.views, {"camera_id": result.camera_ids})
        layers["blind_spots"] = (
            result.blind_parts,
            {"rank": np.arange(1, len(result.blind_parts) + 1), "area_m2": result.blind_part_area},
        )
        if result.suggestions:
            s = result.suggestions
            layers["suggested_cameras"] = (
                shapely.points([[c.x, c.y] for c in s]),
                {
                    "rank": np.arange(1, len(s) + 1),
                    "heading_deg": np.array([c.heading_deg for c in s]),
                    "gain_m2": np.array([c.gain_m2 for c in s]),
                },
            )
            layers["suggested_views"] = (
                np.array([c.view for c in s], dtype=object),
                {"rank": np.arange(1, len(s) + 1)},
            )
    if kind == "siting":
        layers["new_sites"] = (
            shapely.points(result.site_xy),
            {
                "rank": np.arange(1, len(result.site_xy) + 1),
                "source": result.site_source.astype(object),
            },
        )
        if len(result.existing_xy):
            layers["facilities"] = (
                shapely.points(result.existing_xy),
                {"facility_id": result.existing_ids},
            )
    return layers


def write_gpkg(result, data: AnalysisData, path: Path) -> None:
    import geopandas as gpd

    if path.exists():
        path.unlink()
    crs = f"EPSG:{data.srid}" if data.srid else None
    wrote = 0
    for name, (geoms, cols) in result_layers(result, data).items():
        if len(geoms) == 0:
            continue
        frame = gpd.GeoDataFrame(dict(cols), geometry=np.asarray(geoms, dtype=object), crs=crs)
        if name in (
            "cells",
            "blind_spots",
            "camera_views",
            "suggested_views",
            "isochrones",
            "buildings",
        ):
            frame["geometry"] = shapely.make_valid(frame.geometry.values)
        frame.to_file(path, layer=name, driver="GPKG")
        wrote += 1
    # The summary as a table without geometry, for reports built from the GeoPackage.
    summary = gpd.pd.DataFrame(
        {
            "key": list(result.summary()),
            "value": [
                json.dumps(v, ensure_ascii=False, default=str) for v in result.summary().values()
            ],
        }
    )
    import pyogrio

    pyogrio.write_dataframe(summary, path, layer="summary", driver="GPKG")
    if not wrote:
        raise AnalysisError("the result has no layers to write")


# ---------------------------------------------------------------------- HTML
_KIND_TITLE = {
    "equity": "服务公平性 Service equity",
    "coverage_service": "服务覆盖 Service coverage",
    "coverage_cameras": "监控覆盖 Camera coverage",
    "siting": "设施选址 Facility siting",
}


def _leaflet_assets() -> tuple[str, str]:
    js = (LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8")
    css = (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match) -> str:
        img = LEAFLET_DIR / match.group(1)
        data = base64.b64encode(img.read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    css = re.sub(r"url\((images/[\w.-]+\.png)\)", inline, css)
    return js, css


def _ramp(values: np.ndarray) -> list[str]:
    """Red (low) → yellow → green (high) colours; grey where there is no value."""
    v = np.asarray(values, dtype=float)
    ok = np.isfinite(v)
    out = ["#bbbbbb"] * len(v)
    if not ok.any():
        return out
    lo, hi = np.nanmin(v), np.nanmax(v)
    t = np.zeros(len(v)) if hi <= lo else (v - lo) / (hi - lo)
    for k in np.flatnonzero(ok):
        x = float(t[k])
        r = int(215 + (26 - 215) * max(0.0, x - 0.5) * 2) if x > 0.5 else 215
        g = (
            int(48 + (255 - 48) * min(1.0, x * 2))
            if x <= 0.5
            else int(255 + (150 - 255) * (x - 0.5) * 2)
        )
        b = int(39 + (65 - 39) * x)
        out[k] = f"#{r:02x}{g:02x}{b:02x}"
    return out


def _feature_collection(geoms_4326, cols: dict, colours: list[str] | None) -> dict:
    feats = []
    geo = shapely.to_geojson(geoms_4326)
    for k, g in enumerate(geo.tolist()):
        if g is None:
            continue
        props = {}
        for name, values in cols.items():
            v = values[k]
            if isinstance(v, np.generic):
                v = v.item()
            if isinstance(v, float) and not math.isfinite(v):
                v = None
            props[name] = v
        if colours is not None:
            props["_colour"] = colours[k]
        feats.append({"type": "Feature", "geometry": json.loads(g), "properties": props})
    return {"type": "FeatureCollection", "features": feats}


def write_html(result, data: AnalysisData, path: Path) -> None:
    import folium

    from gis_core.crs import transform_geometries

    if not data.srid:
        raise AnalysisError("the store's working CRS is unknown; cannot place the map")
    layers = result_layers(result, data)
    js, css = _leaflet_assets()
    # Buildings are many and small: the cells carry the map; buildings go to the CSV/GPKG.
    layers.pop("buildings", None)
    all_geoms = np.concatenate([g for g, _ in layers.values()]) if layers else np.empty(0)
    all_geoms = all_geoms[~shapely.is_missing(all_geoms)]
    if len(all_geoms) == 0:
        raise AnalysisError("nothing to map")
    minx, miny, maxx, maxy = shapely.total_bounds(all_geoms)
    corners = transform_geometries(shapely.points([[minx, miny], [maxx, maxy]]), data.srid, 4326)
    (w, s), (e, n) = shapely.get_coordinates(corners).tolist()
    fmap = folium.Map(
        location=[(s + n) / 2, (w + e) / 2], tiles=None, zoom_start=15, prefer_canvas=True
    )
    fmap.default_js = []  # no CDN: Leaflet is inlined below
    fmap.default_css = []
    fig = fmap.get_root()
    fig.header.add_child(folium.Element(f"<style>{css}</style>"), name="leaflet_css")
    fig.header.add_child(folium.Element(f"<script>{js}</script>"), name="leaflet_js")
    fig.header.add_child(
        folium.Element(
            "<style>html,body{height:100%;margin:0;font-family:sans-serif}"
            ".folium-map{height:70vh!important}"
            "#zw-summary{padding:8px 16px;font-size:13px}"
            "#zw-summary table{border-collapse:collapse;margin:6px 0}"
            "#zw-summary td,#zw-summary th{border:1px solid #ccc;padding:2px 8px;text-align:left}"
            "</style>"
        ),
        name="zw_style",
    )
    colour_metric = {
        "equity": "accessibility",
        "coverage_service": "covered_share",
        "coverage_cameras": "coverage",
        "siting": "covered_after",
    }[result.kind]
    styles = {
        "isochrones": dict(color="#3366cc", weight=1, fillOpacity=0.15),
        "camera_views": dict(color="#1a9641", weight=0.5, fillOpacity=0.25),
        "blind_spots": dict(color="#d7191c", weight=1, fillOpacity=0.5),
        "suggested_views": dict(color="#7b3294", weight=1.5, fillOpacity=0.35),
    }
    for name, (geoms, cols) in layers.items():
        geoms = np.asarray(geoms, dtype=object)
        if len(geoms) == 0:
            continue
        g4326 = transform_geometries(geoms, data.srid, 4326)
        if name == "cells":
            colours = _ramp(cols.get(colour_metric, np.full(len(geoms), np.nan)))
            fc = _feature_collection(g4326, cols, colours)
            folium.GeoJson(
                fc,
                name=f"网格 cells ({colour_metric})",
                style_function=lambda f: {
                    "fillColor": f["properties"]["_colour"],
                    "color": "#555555",
                    "weight": 1,
                    "fillOpacity": 0.6,
                },
                tooltip=folium.GeoJsonTooltip(fields=[k for k in cols][:6]),
            ).add_to(fmap)
        elif shapely.get_type_id(geoms[0]) == 0:  # points
            group = folium.FeatureGroup(name=name)
            xy = shapely.get_coordinates(g4326)
            colour = {
                "facilities": "#2b83ba",
                "new_sites": "#d7191c",
                "suggested_cameras": "#7b3294",
            }.get(name, "#333333")
            for k, (lon, lat) in enumerate(xy.tolist()):  # a few hundred markers at most
                label = ", ".join(f"{c}={_fmt(v[k])}" for c, v in cols.items())
                folium.CircleMarker(
                    [lat, lon], radius=6, color=colour, fill=True, fill_opacity=0.9, tooltip=label
                ).add_to(group)
            group.add_to(fmap)
        else:
            style = styles.get(name, dict(color="#333333", weight=1, fillOpacity=0.2))
            fc = _feature_collection(g4326, cols, None)
            folium.GeoJson(fc, name=name, style_function=lambda f, s=style: s).add_to(fmap)
    fmap.fit_bounds([[s, w], [n, e]])
    folium.LayerControl(collapsed=False).add_to(fmap)
    fig.html.add_child(folium.Element(_summary_html(result)))
    text = fig.render()
    text = _strip_remote(text)
    path.write_text(text, encoding="utf-8")


def _fmt(v) -> str:
    if isinstance(v, float | np.floating):
        return "—" if not math.isfinite(v) else f"{v:.4g}"
    return html.escape(str(v))


def _summary_html(result) -> str:
    s = result.summary()
    rows = []
    for k, v in s.items():
        if isinstance(v, list | dict):
            v = json.dumps(v, ensure_ascii=False, default=str)
            v = v if len(v) < 400 else v[:400] + "…"
        rows.append(f"<tr><th>{html.escape(str(k))}</th><td>{_fmt(v)}</td></tr>")
    ranked = ""
    items = getattr(result, "ranked_cells", None) or getattr(result, "ranked_blind", None) or []
    if items:
        cols = list(items[0])
        head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
        body = "".join(
            "<tr>" + "".join(f"<td>{_fmt(it[c])}</td>" for c in cols) + "</tr>" for it in items[:15]
        )
        ranked = f"<h3>排名 Ranked</h3><table><tr>{head}</tr>{body}</table>"
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in getattr(result, "notes", []))
    notes = f"<ul>{notes}</ul>" if notes else ""
    return (
        f'<div id="zw-summary"><h2>{html.escape(_KIND_TITLE.get(result.kind, result.kind))}</h2>'
        f"<table>{''.join(rows)}</table>{ranked}{notes}</div>"
    )


def _strip_remote(text: str) -> str:
    """Drop any <script src> or <link href> that points off this file."""
    text = re.sub(r'<script[^>]*\bsrc\s*=\s*["\']?(?:https?:)?//[^>]*>\s*</script>', "", text)
    text = re.sub(r'<link[^>]*\bhref\s*=\s*["\']?(?:https?:)?//[^>]*>', "", text)
    return text
