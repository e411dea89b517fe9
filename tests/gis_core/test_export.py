"""Exports as a user would make them: GeoPackage in the working CRS, GeoJSON in EPSG:4326,
residents as masked CSV; and export → import into a fresh store gives the same rows back."""

from __future__ import annotations

import csv
import json
import uuid

import numpy as np
import pyogrio
import pytest
import shapely

from desktop.cli import main
from gis_core.exporter import ExportFailed, export_kind
from gis_core.importer import ImportFailed, assign_to_areas, import_file
from gis_core.store import Store
from tests.gis_core._io_helpers import footprints, points, seed_cells, snapshot

# Export → import round trip: geometries come back within this distance (metres). Measured: GPKG
# in the working CRS is exact; GeoJSON (EPSG:4326, 12 decimals ≈ 0.1 µm, then back through PROJ)
# is within ~1e-8 m.
ROUND_TRIP_M = 1e-6
N = 9


@pytest.fixture
def other_store(store, tmp_path):
    """A second, empty store on the same backend as ``store`` (a fresh database or file)."""
    if store.backend == "spatialite":
        s = Store.init(tmp_path / "other.sqlite")
        yield s
        s.close()
        return
    import psycopg

    base = store.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    admin = base.rsplit("/", 1)[0] + "/postgres"
    name = f"zw_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = base.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    s = Store.init(url)
    yield s
    s.close()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def filled(store):
    """A store with a community, cells, buildings, facilities, a street and residents."""
    info = seed_cells(store)
    geoms = footprints(N)
    store.bulk_insert(
        "buildings",
        {
            "source_id": [f"B{i:03d}" for i in range(N)],
            "address": [f"咸阳市秦都区人民路{i}号" for i in range(N)],
            "floors": [i + 1 if i % 3 else None for i in range(N)],
            "use": ["residential"] * N,
            "grid_cell_id": assign_to_areas(
                shapely.point_on_surface(geoms), np.arange(1, 5), np.array(info["cells"])
            ).tolist(),
        },
        geoms,
    )
    store.bulk_insert(
        "facilities",
        {
            "kind": ["clinic", "school", "park"],
            "name": ["诊所", "学校", "公园"],
            "capacity": [10.5, 300, None],
        },
        shapely.transform(points(3), lambda xy: xy + 7),
    )
    x, y = shapely.get_coordinates(points(1))[0]
    store.bulk_insert(
        "streets",
        {"name": ["人民路"], "kind": ["arterial"], "width_m": [24.0]},
        np.array([shapely.LineString([(x - 50, y + 3), (x + 150, y + 3)])], dtype=object),
    )
    store.bulk_insert(
        "residents",
        {
            "building_id": [1, 1, 4],
            "name": ["张三", "李四", "欧阳娜娜"],
            "id_number": ["610402199001011234", "61040219850505002X", None],
            "phone": ["13812345678", None, "02988881234"],
            "birth_date": ["1990-01-01", "1985-05-05", None],
            "tags": [["elderly_alone", "disabled"], [], None],
        },
    )
    return store


def _by(frame, key):
    order = np.argsort(frame.columns[key])
    return frame.geometry[order], {k: list(v[order]) for k, v in frame.columns.items()}


def _distance(a, b) -> float:
    return float(np.max(shapely.hausdorff_distance(shapely.normalize(a), shapely.normalize(b))))


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_export_then_import_into_a_fresh_store_round_trips(filled, other_store, tmp_path, suffix):
    for kind in ("communities", "grid_cells", "buildings", "facilities", "streets"):
        path = tmp_path / f"{kind}{suffix}"
        export_kind(filled, kind, path)
        assert import_file(other_store, path, kind).rows == filled.count(kind)
    people = tmp_path / "residents.csv"
    export_kind(filled, "residents", people, mask_personal=False)
    assert import_file(other_store, people, "residents").rows == 3

    cols = ["source_id", "address", "floors", "use"]
    ga, a = _by(filled.query_all("buildings", cols), "source_id")
    gb, b = _by(other_store.query_all("buildings", cols), "source_id")
    assert a == b
    assert _distance(ga, gb) < ROUND_TRIP_M
    for kind, key, cols in (
        ("grid_cells", "code", ["code", "name", "version"]),
        ("facilities", "name", ["name", "kind", "capacity"]),
        ("streets", "name", ["name", "kind", "width_m"]),
        ("communities", "code", ["code", "name"]),
    ):
        ga, a = _by(filled.query_all(kind, cols), key)
        gb, b = _by(other_store.query_all(kind, cols), key)
        assert a == b, kind
        assert _distance(ga, gb) < ROUND_TRIP_M, kind
    # Rows belong to the same cells (by code) after the round trip.
    for s in (filled, other_store):
        cells = s.query_all("grid_cells", ["code"])
        code = dict(zip(cells.ids, cells.columns["code"]))
        b = s.query_all("buildings", ["source_id", "grid_cell_id"])
        s.cell_codes = dict(
            zip(b.columns["source_id"], (code.get(c) for c in b.columns["grid_cell_id"]))
        )
    assert filled.cell_codes == other_store.cell_codes
    assert None not in other_store.cell_codes.values()

    def people_of(s):
        r = s.page("residents", ["name", "id_number", "phone", "birth_date", "tags", "building_id"])
        b = dict(
            zip(*(lambda f: (f.ids, f.columns["source_id"]))(s.page("buildings", ["source_id"])))
        )
        rows = []
        for i in range(len(r)):
            tags = r.columns["tags"][i]
            tags = json.loads(tags) if isinstance(tags, str) else tags
            rows.append(
                (
                    r.columns["name"][i],
                    r.columns["id_number"][i],
                    r.columns["phone"][i],
                    str(r.columns["birth_date"][i])[:10] if r.columns["birth_date"][i] else None,
                    tuple(tags or ()),
                    b.get(r.columns["building_id"][i]),
                )
            )
        return sorted(rows, key=str)

    assert people_of(filled) == people_of(other_store)


def test_geojson_is_rfc7946_wgs84_and_gpkg_keeps_the_working_crs(filled, tmp_path):
    export_kind(filled, "buildings", tmp_path / "b.geojson")
    doc = json.loads((tmp_path / "b.geojson").read_text(encoding="utf-8"))
    assert "crs" not in doc  # RFC 7946: WGS84 implied, no crs member
    lon, lat = doc["features"][0]["geometry"]["coordinates"][0][0]
    assert 108.69 < lon < 108.71 and 34.32 < lat < 34.34
    assert [f["properties"]["source_id"] for f in doc["features"]] == [
        f"B{i:03d}" for i in range(N)
    ]

    export_kind(filled, "buildings", tmp_path / "b.gpkg")
    assert pyogrio.read_info(tmp_path / "b.gpkg", layer="buildings")["crs"] == "EPSG:4545"
    export_kind(filled, "facilities", tmp_path / "b.gpkg", crs="EPSG:4490")
    assert sorted(pyogrio.list_layers(tmp_path / "b.gpkg")[:, 0]) == ["buildings", "facilities"]
    assert pyogrio.read_info(tmp_path / "b.gpkg", layer="facilities")["crs"] == "EPSG:4490"
    floors = pyogrio.read_dataframe(tmp_path / "b.gpkg", layer="buildings")["floors"]
    assert floors.isna().sum() == 3 and floors.dropna().tolist() == [2, 3, 5, 6, 8, 9]


def test_residents_export_is_csv_with_personal_fields_masked(filled, tmp_path):
    path = tmp_path / "people.csv"
    report = export_kind(filled, "residents", path)
    assert sorted(report.masked) == ["id_number", "name", "phone"]
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Chinese text
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert [r["id_number"] for r in rows] == ["6104**********1234", "6104**********002X", ""]
    assert [r["phone"] for r in rows] == ["138****5678", "", "029****1234"]
    assert [r["name"] for r in rows] == ["张*", "李*", "欧**娜"]
    assert rows[0]["tags"] == "elderly_alone;disabled"
    assert rows[0]["building_source_id"] == "B000"
    assert "6104021990" not in raw.decode("utf-8-sig")

    # A masked file cannot pollute a store: the import names the row and the masked field.
    before = snapshot(filled)
    with pytest.raises(ImportFailed) as err:
        import_file(filled, path, "residents")
    assert "people.csv" in str(err.value) and 'field "id_number"' in str(err.value)
    assert "row 1" in str(err.value) and "masked" in str(err.value)
    assert snapshot(filled) == before


@pytest.mark.parametrize(
    "kind, name, crs, words",
    [
        ("residents", "r.gpkg", None, "no geometry"),
        ("buildings", "b.csv", None, ".gpkg or .geojson"),
        ("buildings", "b.shp", None, ".gpkg, .geojson"),
        ("buildings", "b.geojson", "EPSG:4545", "RFC 7946"),
        ("buildings", "b.gpkg", "EPSG:999999", "unknown"),
    ],
)
def test_exports_that_cannot_be_done_say_why(filled, tmp_path, kind, name, crs, words):
    with pytest.raises(ExportFailed, match=words.replace(".", r"\.")):
        export_kind(filled, kind, tmp_path / name, crs=crs)
    assert not (tmp_path / name).exists()


def test_cli_export(filled, store_url, tmp_path, capsys):
    out = tmp_path / "cells.geojson"
    assert main(["export", "--store", store_url, "--as", "grid_cells", "--out", str(out)]) == 0
    assert "exported 4 grid_cells" in capsys.readouterr().out
    assert pyogrio.read_info(out)["features"] == 4
    bad = ["export", "--store", store_url, "--as", "residents", "--out", str(tmp_path / "r.gpkg")]
    assert main(bad) == 2
    err = capsys.readouterr().err
    assert "no geometry" in err and "Traceback" not in err


def test_cli_in_a_fresh_process_writes_geopackages_from_a_spatialite_store(tmp_path):
    """In a fresh process the store loads mod_spatialite before anything imports GDAL; GDAL loaded
    after it used to bind to the system's PROJ/SQLite and segfault on the first GeoPackage write."""
    import subprocess
    import sys

    path = tmp_path / "fresh.sqlite"
    with Store.init(path) as s:
        seed_cells(s)
    out = tmp_path / "cells.gpkg"
    cmd = [
        sys.executable,
        "-m",
        "desktop.cli",
        "export",
        "--store",
        str(path),
        "--as",
        "grid_cells",
    ]
    done = subprocess.run([*cmd, "--out", str(out)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "exported 4 grid_cells" in done.stdout
    assert pyogrio.read_info(out, layer="grid_cells")["features"] == 4
