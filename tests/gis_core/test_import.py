"""Importing files as a user would: each format, CRSs and web offsets, mappings, and bad input that
must be reported by file, row and field while the store stays exactly as it was."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Polygon

from desktop.cli import main
from gis_core import offsets
from gis_core.importer import MAX_PROBLEMS, ImportFailed, import_file
from tests.gis_core._io_helpers import (
    footprints,
    origin,
    points,
    seed_cells,
    snapshot,
    to_crs,
)

N = 12


@pytest.fixture
def seeded(store):
    """A store with a community, four grid cells and N buildings B000…, as a user's store would be."""
    info = seed_cells(store)
    geoms = footprints(N)
    store.bulk_insert(
        "buildings",
        {
            "source_id": [f"B{i:03d}" for i in range(N)],
            "floors": [3] * N,
            "grid_cell_id": [int(c) for c in _cells_of(info, geoms)],
        },
        geoms,
    )
    return store


def _cells_of(info, geoms) -> np.ndarray:
    """The expected grid cell id (1-based insertion order) of each geometry."""
    cells = np.array(info["cells"], dtype=object)
    pts = shapely.point_on_surface(geoms)
    return np.array([int(np.flatnonzero(shapely.contains(cells, p))[0]) + 1 for p in pts])


def _buildings(n: int, crs: str, prefix: str = "N", offset: int = 3):
    """A GeoDataFrame of n new buildings (shifted off the seeded ones) in ``crs``."""
    geoms = shapely.transform(footprints(n), lambda xy: xy + offset)
    return gpd.GeoDataFrame(
        {
            "source_id": [f"{prefix}{i:03d}" for i in range(n)],
            "address": [f"咸阳市秦都区人民路{i}号" for i in range(n)],
            "floors": [str(2 + i % 20) for i in range(n)],
            "use": ["residential"] * n,
        },
        geometry=to_crs(geoms, crs),
        crs=crs,
    ), geoms


def _assert_names(exc: ImportFailed, file: str, row: int | None, field: str, *words: str):
    text = str(exc)
    assert file in text, text
    if row is not None:
        assert re.search(rf"\brow {row}\b", text), text
    assert f'field "{field}"' in text, text
    for w in words:
        assert w in text, text


def _max_distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(shapely.hausdorff_distance(shapely.normalize(a), shapely.normalize(b))))


# ---------------------------------------------------------------------------------- formats
def test_geopackage_layer_choice_crs_and_grid_cells(seeded, tmp_path):
    store = seeded
    gdf, expected = _buildings(8, "EPSG:4326")
    path = tmp_path / "城区.gpkg"
    pyogrio.write_dataframe(gdf, path, layer="buildings")
    pyogrio.write_dataframe(gdf.iloc[:2], path, layer="other")

    with pytest.raises(ImportFailed) as err:
        import_file(store, path, "buildings", layer="房屋")
    _assert_names(err.value, "城区.gpkg", None, "layer", "buildings", "other")

    report = import_file(store, path, "buildings")  # the layer named like the kind is chosen
    assert report.rows == 8 and report.layer == "buildings"
    assert report.src_crs == "EPSG:4326" and report.dst_crs == "EPSG:4545"
    got = store.query_all("buildings", ["source_id", "floors", "grid_cell_id", "address"])
    new = np.array([s.startswith("N") for s in got.columns["source_id"]])
    assert new.sum() == 8
    order = np.argsort(got.columns["source_id"][new])
    assert list(got.columns["floors"][new][order]) == [2 + i for i in range(8)]
    assert got.columns["address"][new][order][0] == "咸阳市秦都区人民路0号"
    assert _max_distance(got.geometry[new][order], expected) < 1e-6
    info = {"cells": [g for g in store.query_all("grid_cells").geometry]}
    assert list(got.columns["grid_cell_id"][new][order]) == list(_cells_of(info, expected))


def test_geojson_and_shapefile_with_single_part_multipolygons(seeded, tmp_path):
    store = seeded
    gdf, expected = _buildings(5, "EPSG:4326", prefix="J")
    pyogrio.write_dataframe(gdf, tmp_path / "b.geojson")
    assert import_file(store, tmp_path / "b.geojson", "buildings").rows == 5

    shp, expected_shp = _buildings(4, "EPSG:4545", prefix="S", offset=5)
    shp = shp.set_geometry([MultiPolygon([g]) for g in shp.geometry], crs="EPSG:4545")
    pyogrio.write_dataframe(shp, tmp_path / "b.shp", promote_to_multi=True)
    report = import_file(store, tmp_path / "b.shp", "buildings")
    assert report.rows == 4 and report.layer is None
    got = store.query_all("buildings", ["source_id"])
    mine = np.array([s.startswith("S") for s in got.columns["source_id"]])
    assert set(shapely.get_type_id(got.geometry[mine])) == {3}  # Polygon, as the column wants
    order = np.argsort(got.columns["source_id"][mine])
    assert _max_distance(got.geometry[mine][order], expected_shp) < 1e-6


def _write_csv(path: Path, header, rows, encoding="utf-8"):
    with path.open("w", newline="", encoding=encoding) as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def test_csv_with_lon_lat_and_with_chinese_headers_in_gbk(seeded, tmp_path):
    store = seeded
    pts = points(4)
    lonlat = shapely.get_coordinates(to_crs(pts, "EPSG:4326"))
    rows = [
        [f"诊所{i}", "clinic", f"{x:.10f}", f"{y:.10f}", 20 + i] for i, (x, y) in enumerate(lonlat)
    ]
    _write_csv(tmp_path / "f.csv", ["name", "kind", "lon", "lat", "capacity"], rows)
    report = import_file(store, tmp_path / "f.csv", "facilities", src_crs="EPSG:4326")
    assert report.rows == 4 and report.outside_cells == 0
    rows = [[f"卫生站{i}", *row[1:]] for i, row in enumerate(rows)]
    _write_csv(tmp_path / "g.csv", ["name", "kind", "经度", "纬度", "capacity"], rows, "gbk")
    assert import_file(store, tmp_path / "g.csv", "facilities", src_crs="4326").rows == 4
    # The same file again is refused: same places, same names, no ids.
    with pytest.raises(ImportFailed, match="imported before"):
        import_file(store, tmp_path / "g.csv", "facilities", src_crs="4326")
    got = store.query_all("facilities", ["name", "capacity", "grid_cell_id"])
    assert sorted(got.columns["name"]) == sorted(
        [f"诊所{i}" for i in range(4)] + [f"卫生站{i}" for i in range(4)]
    )
    assert np.all(got.columns["grid_cell_id"] != None)  # noqa: E711
    assert _max_distance(got.geometry[:4], pts) < 1e-3  # 10 decimals of a degree ≈ 10 µm


@pytest.mark.parametrize("system", ["gcj02", "bd09"])
def test_csv_in_web_offsets_lands_where_the_gps_truth_is(seeded, tmp_path, system):
    store = seeded
    pts = points(3)
    lon, lat = shapely.get_coordinates(to_crs(pts, "EPSG:4326")).T
    web = offsets.wgs84_to_gcj02(lon, lat)
    if system == "bd09":
        web = offsets.gcj02_to_bd09(*web)
    rows = [
        [f"药店{i}", "pharmacy", repr(float(x)), repr(float(y))]
        for i, (x, y) in enumerate(zip(*web))
    ]
    _write_csv(tmp_path / "web.csv", ["name", "kind", "lng", "lat"], rows)
    report = import_file(store, tmp_path / "web.csv", "facilities", src_crs=system)
    assert report.src_crs == system
    got = store.query_all("facilities", ["name"])
    order = np.argsort(got.columns["name"])
    # Within a centimetre of the GPS truth (the offset itself is hundreds of metres).
    assert _max_distance(got.geometry[order], pts) < 0.01
    # Read as if it were GPS, the same file would be off by hundreds of metres.
    as_wgs = to_crs(shapely.points(np.column_stack(web)), "EPSG:4545", srid=4326)
    assert float(np.min(shapely.distance(as_wgs, pts))) > 100


def test_mapping_file_fields_constants_id_and_coordinates(seeded, tmp_path):
    store = seeded
    pts = to_crs(points(3), "EPSG:4326")
    xy = shapely.get_coordinates(pts)
    rows = [[f"C-{i}", f"摄像头{i}", 90 * i, f"{x}", f"{y}", "保留"] for i, (x, y) in enumerate(xy)]
    _write_csv(tmp_path / "cams.csv", ["编号", "名称", "朝向", "东", "北", "备注"], rows)
    (tmp_path / "cams.yaml").write_text(
        "kind: cameras\n"
        "src_crs: EPSG:4326\n"
        "id: 编号\n"
        "x: 东\n"
        "y: 北\n"
        "fields:\n  名称: name\n  朝向: heading_deg\n"
        "constants:\n  fov_deg: 60\n  range_m: 35.5\n  purpose: security\n",
        encoding="utf-8",
    )
    report = import_file(store, tmp_path / "cams.csv", "cameras", mapping=tmp_path / "cams.yaml")
    assert report.rows == 3
    assert any("备注" in w for w in report.warnings)  # the unused field is named, not lost silently
    got = store.query_all(
        "cameras", ["code", "name", "heading_deg", "fov_deg", "range_m", "purpose"]
    )
    assert sorted(got.columns["code"]) == ["C-0", "C-1", "C-2"]
    assert set(got.columns["fov_deg"]) == {60.0} and set(got.columns["range_m"]) == {35.5}
    assert sorted(got.columns["heading_deg"]) == [0.0, 90.0, 180.0]

    (tmp_path / "bad.yaml").write_text("fields:\n  名称: label\n", encoding="utf-8")
    before = snapshot(store)
    with pytest.raises(ImportFailed) as err:
        import_file(store, tmp_path / "cams.csv", "cameras", mapping=tmp_path / "bad.yaml")
    _assert_names(err.value, "bad.yaml", None, "名称", "label")
    (tmp_path / "bad2.yaml").write_text(
        "id: 编号\nx: 东\ny: 北\nfields:\n  朝向: heading_deg\nconstants:\n  fov_deg: wide\n  range_m: 30\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed) as err:
        import_file(
            store, tmp_path / "cams.csv", "cameras", mapping=tmp_path / "bad2.yaml", src_crs="4326"
        )
    _assert_names(err.value, "bad2.yaml", None, "fov_deg", "'wide'", "not a number")
    assert [p.field for p in err.value.problems].count("fov_deg") == 1  # once, not per row
    assert snapshot(store) == before


def test_residents_csv_reference_buildings_and_take_their_cell(seeded, tmp_path):
    store = seeded
    rows = [
        [
            "B000",
            "张三",
            "610402199001011234",
            "13812345678",
            "1950-03-01",
            "elderly_alone;disabled",
        ],
        ["B005", "李四", "61040219900101123X", "", "1988/12/31", ""],
    ]
    header = ["building_source_id", "name", "id_number", "phone", "birth_date", "tags"]
    _write_csv(tmp_path / "people.csv", header, rows)
    assert import_file(store, tmp_path / "people.csv", "residents").rows == 2
    got = store.page("residents", ["building_id", "grid_cell_id", "tags", "birth_date", "phone"])
    buildings = store.page("buildings", ["source_id", "grid_cell_id"], 0, 100)
    cell_of = dict(zip(buildings.columns["source_id"], buildings.columns["grid_cell_id"]))
    id_of = dict(zip(buildings.columns["source_id"], buildings.ids))
    assert list(got.columns["building_id"]) == [id_of["B000"], id_of["B005"]]
    assert list(got.columns["grid_cell_id"]) == [cell_of["B000"], cell_of["B005"]]
    assert str(got.columns["birth_date"][1]).startswith("1988-12-31")
    assert got.columns["phone"][1] is None

    rows = [["B999", "王五", "610402199001011235", "13812345679", "", ""]]
    _write_csv(tmp_path / "ghost.csv", header, rows)
    before = snapshot(store)
    with pytest.raises(ImportFailed) as err:
        import_file(store, tmp_path / "ghost.csv", "residents")
    _assert_names(err.value, "ghost.csv", 1, "building_source_id", "B999")
    assert snapshot(store) == before


def test_file_crs_and_src_crs_differ_src_crs_wins_with_a_warning(seeded, tmp_path):
    store = seeded
    pts = to_crs(points(2), "EPSG:4326")
    lon, lat = shapely.get_coordinates(pts).T
    web = shapely.points(np.column_stack(offsets.wgs84_to_gcj02(lon, lat)))
    gdf = gpd.GeoDataFrame({"name": ["甲1", "甲2"], "kind": ["school"] * 2}, geometry=web, crs=4326)
    pyogrio.write_dataframe(gdf, tmp_path / "amap.geojson")
    report = import_file(store, tmp_path / "amap.geojson", "facilities", src_crs="gcj02")
    assert any("EPSG:4326" in w and "gcj02" in w for w in report.warnings)
    got = store.query_all("facilities", ["name"])
    assert _max_distance(got.geometry[np.argsort(got.columns["name"])], points(2)) < 0.01


def test_repair_flag_repairs_and_counts(seeded, tmp_path):
    store = seeded
    x0, y0 = origin()
    x, y = x0 + 50, y0 + 50
    # A square with a spike: invalid (self-intersection), repairable into one polygon.
    spike = Polygon([(x, y), (x + 10, y), (x + 10, y + 10), (x + 5, y + 10), (x + 5, y + 15),
                     (x + 5, y + 10), (x, y + 10), (x, y)])  # fmt: skip
    gdf = gpd.GeoDataFrame({"source_id": ["R1"]}, geometry=[spike], crs=4545)
    pyogrio.write_dataframe(gdf, tmp_path / "spike.gpkg")
    before = snapshot(store)
    with pytest.raises(ImportFailed) as err:
        import_file(store, tmp_path / "spike.gpkg", "buildings")
    _assert_names(err.value, "spike.gpkg", 1, "geometry", "Self-intersection", "--repair")
    assert snapshot(store) == before
    report = import_file(store, tmp_path / "spike.gpkg", "buildings", repair=True)
    assert report.rows == 1 and report.repaired == 1
    got = store.query_all("buildings", ["source_id"])
    fixed = got.geometry[list(got.columns["source_id"]).index("R1")]
    assert fixed.is_valid and fixed.area == pytest.approx(100.0)


# ---------------------------------------------------------------------------------- bad input
def _bad_gdf(tmp_path, name, change, crs="EPSG:4326", n=4, **write):
    gdf, _ = _buildings(n, crs)
    gdf = change(gdf) if change else gdf
    path = tmp_path / name
    pyogrio.write_dataframe(gdf, path, **write)
    return path


def _set(gdf, row, column, value):
    gdf = gdf.copy()
    if column == "geometry":
        geoms = np.asarray(gdf.geometry.array, dtype=object)
        geoms[row] = value
        return gdf.set_geometry(list(geoms), crs=gdf.crs)
    gdf[column] = gdf[column].astype(object)
    if row is None:
        gdf[column] = value
    else:
        gdf.loc[row, column] = value
    return gdf


BOWTIE = Polygon(
    [(108.7011, 34.3311), (108.7012, 34.3312), (108.7012, 34.3311), (108.7011, 34.3312)]
)
TWO_PARTS = MultiPolygon(
    [
        shapely.box(108.7011, 34.3311, 108.7012, 34.3312),
        shapely.box(108.7013, 34.3311, 108.7014, 34.3312),
    ]
)


def _corrupt(tmp_path):
    path = tmp_path / "broken.gpkg"
    path.write_bytes(b"SQLite format 3\x00" + b"\x13" * 3000)
    return path


def _no_prj(tmp_path):
    path = _bad_gdf(tmp_path, "noprj.shp", None)
    path.with_suffix(".prj").unlink()
    return path


def _no_crs_csv(tmp_path):
    path = tmp_path / "nocrs.csv"
    _write_csv(path, ["name", "kind", "lon", "lat"], [["a", "clinic", "108.701", "34.331"]])
    return path


def _same_footprints(tmp_path):
    """Two new buildings, then one of the seeded footprints again — none with a source id."""
    geoms = np.concatenate(
        [shapely.transform(footprints(2), lambda xy: xy + 3), footprints(N)[4:5]]
    )
    gdf = gpd.GeoDataFrame({"address": ["甲", "乙", "丙"]}, geometry=geoms, crs=4545)
    path = tmp_path / "again.geojson"
    pyogrio.write_dataframe(gdf.to_crs(4326), path)
    return path


BAD_CASES = {
    # case: (make file, kind, import kwargs, file, row, field, words in the message)
    "corrupt file": (_corrupt, "buildings", {}, "broken.gpkg", None, None, ("cannot read",)),
    "no CRS (shapefile without .prj)": (
        _no_prj, "buildings", {}, "noprj.shp", None, "--src-crs", ("no CRS",)
    ),
    "no CRS (CSV)": (_no_crs_csv, "facilities", {}, "nocrs.csv", None, "--src-crs", ("no CRS",)),
    "invalid geometry": (
        lambda p: _bad_gdf(p, "bowtie.geojson", lambda g: _set(g, 2, "geometry", BOWTIE)),
        "buildings", {}, "bowtie.geojson", 3, "geometry", ("Self-intersection",),
    ),
    "empty geometry": (
        lambda p: _bad_gdf(p, "empty.geojson", lambda g: _set(g, 1, "geometry", Polygon())),
        "buildings", {}, "empty.geojson", 2, "geometry", ("empty",),
    ),
    "multi-part geometry": (
        lambda p: _bad_gdf(p, "multi.gpkg", lambda g: _set(g, 0, "geometry", TWO_PARTS)),
        "buildings", {}, "multi.gpkg", 1, "geometry", ("2 parts",),
    ),
    "wrong type": (
        lambda p: _bad_gdf(p, "floors.geojson", lambda g: _set(g, 3, "floors", "abc")),
        "buildings", {}, "floors.geojson", 4, "floors", ("'abc'", "whole number"),
    ),
    "duplicate id in the file": (
        lambda p: _bad_gdf(p, "dup.gpkg", lambda g: _set(g, 2, "source_id", "N000")),
        "buildings", {}, "dup.gpkg", 3, "source_id", ("N000", "row 1"),
    ),
    "duplicate id against the store": (
        lambda p: _bad_gdf(p, "again.gpkg", lambda g: _set(g, 1, "source_id", "B004")),
        "buildings", {}, "again.gpkg", 2, "source_id", ("B004", "already in the store"),
    ),
    "same footprint as a stored building (no ids)": (
        _same_footprints, "buildings", {}, "again.geojson", 3, "geometry", ("already in the store",),
    ),
    "same footprint twice in the file (no ids)": (
        lambda p: _bad_gdf(
            p, "twice.geojson",
            lambda g: _set(_set(g, None, "source_id", None), 3, "geometry", g.geometry.iloc[1]),
        ),
        "buildings", {}, "twice.geojson", 4, "geometry", ("same geometry", "row 2"),
    ),
    "far outside the working CRS (wrong CRS)": (
        lambda p: _bad_gdf(p, "degrees.gpkg", None),
        "buildings", {"src_crs": "EPSG:4545"}, "degrees.gpkg", 1, "geometry", ("far outside",),
    ),
    "missing required field": (
        lambda p: _bad_gdf(p, "cams.gpkg", None),
        "cameras", {}, "cams.gpkg", None, "code", ("need a code",),
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_input_names_file_row_field_and_writes_nothing(seeded, tmp_path, case):
    make, kind, kwargs, file, row, field, words = BAD_CASES[case]
    path = make(tmp_path)
    before = snapshot(seeded)
    with pytest.raises(ImportFailed) as err:
        import_file(seeded, path, kind, **kwargs)
    text = str(err.value)
    assert file in text, text
    if row is not None:
        assert re.search(rf"\brow {row}\b", text), text
    if field is not None:
        assert f'field "{field}"' in text, text
    for w in words:
        assert w in text, text
    assert snapshot(seeded) == before


def test_many_problems_are_reported_together_up_to_the_limit(seeded, tmp_path):
    def spoil(gdf):
        gdf = gdf.copy()
        gdf["floors"] = "很多"
        return gdf

    path = _bad_gdf(tmp_path, "all_bad.geojson", spoil, n=30)
    before = snapshot(seeded)
    with pytest.raises(ImportFailed) as err:
        import_file(seeded, path, "buildings")
    assert err.value.total == 30 and len(err.value.problems) == MAX_PROBLEMS
    assert "30 problems" in str(err.value) and "10 more" in str(err.value)
    assert [p.row for p in err.value.problems] == list(range(1, MAX_PROBLEMS + 1))
    assert snapshot(seeded) == before


def test_a_failure_while_writing_rolls_everything_back(seeded, tmp_path, monkeypatch):
    path = _bad_gdf(tmp_path, "ok.gpkg", None, n=30)
    before = snapshot(seeded)
    import gis_core.importer as importer

    monkeypatch.setattr(importer, "WRITE_CHUNK", 10)
    calls = []
    real = type(seeded).bulk_insert

    def flaky(self, kind, columns, geometry=None, conn=None):
        calls.append(kind)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(self, kind, columns, geometry, conn=conn)

    monkeypatch.setattr(type(seeded), "bulk_insert", flaky)
    with pytest.raises(ImportFailed, match="disk full"):
        import_file(seeded, path, "buildings")
    monkeypatch.undo()
    assert snapshot(seeded) == before


# ---------------------------------------------------------------------------------- CLI
def test_cli_import_success_and_error(seeded, store_url, tmp_path, capsys):
    good = _bad_gdf(tmp_path, "good.gpkg", None, n=3)
    assert main(["import", "--store", store_url, str(good), "--as", "buildings"]) == 0
    out = capsys.readouterr().out
    assert "imported 3 buildings" in out and "0 repaired" in out and " s" in out

    bad = _bad_gdf(tmp_path, "bad.geojson", lambda g: _set(g, 0, "floors", "abc"), n=3)
    assert main(["import", "--store", store_url, str(bad), "--as", "buildings"]) == 2
    err = capsys.readouterr().err
    assert "bad.geojson" in err and "row 1" in err and 'field "floors"' in err
    assert "Traceback" not in err


# ---------------------------------------------------------------------------------- property
CODE = st.text(st.sampled_from("AB摄-"), max_size=4)
NUMBER_TEXT = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-1000, 1000).map(str),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=6),
)
VALID_ROW = st.tuples(
    CODE,
    st.floats(0, 360).map(repr),
    st.just("60"),
    st.just("30"),
    st.floats(108.7005, 108.7040).map(repr),
    st.floats(34.3305, 34.3330).map(repr),
)
# A valid row with one field replaced by anything at all.
SPOILED_ROW = st.tuples(VALID_ROW, st.integers(0, 5), NUMBER_TEXT).map(
    lambda t: t[0][: t[1]] + (t[2],) + t[0][t[1] + 1 :]
)
CAMERA_ROW = st.one_of(VALID_ROW, SPOILED_ROW)


def test_importer_robustness_property(seeded, tmp_path):
    """Whatever the rows, an import either writes all of them or raises ImportFailed and writes
    nothing — no other exception escapes."""
    counter = iter(range(10**6))

    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.lists(CAMERA_ROW, max_size=4))
    def check(rows):
        path = tmp_path / f"cams{next(counter)}.csv"
        _write_csv(path, ["code", "heading_deg", "fov_deg", "range_m", "lon", "lat"], rows)
        before = snapshot(seeded)
        try:
            report = import_file(seeded, path, "cameras", src_crs="EPSG:4326")
        except ImportFailed as exc:
            event("refused")
            assert exc.problems and str(exc)
            assert snapshot(seeded) == before
        else:
            event("imported")
            assert report.rows == len(rows)
            assert seeded.count("cameras") == before["cameras"] + len(rows)

    check()


RING = st.lists(
    st.tuples(st.floats(108.700, 108.705), st.floats(34.330, 34.334)), min_size=3, max_size=6
)


def test_importer_geometry_robustness_property(seeded, tmp_path):
    """Random (often invalid) polygons, with and without --repair: all or nothing."""
    counter = iter(range(10**6))

    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.lists(st.one_of(RING, RING, RING, st.none()), min_size=1, max_size=4), st.booleans())
    def check(rings, repair):
        geoms = [None if r is None else Polygon(r) for r in rings]
        k = next(counter)
        gdf = gpd.GeoDataFrame(
            {"source_id": [f"P{k}-{i}" for i in range(len(geoms))]}, geometry=geoms, crs=4326
        )
        path = tmp_path / f"poly{k}.geojson"
        pyogrio.write_dataframe(gdf, path)
        before = snapshot(seeded)
        try:
            report = import_file(seeded, path, "buildings", repair=repair)
        except ImportFailed as exc:
            event("refused")
            assert exc.problems
            assert snapshot(seeded) == before
        else:
            event("imported")
            assert report.rows == len(geoms)
            assert seeded.count("buildings") == before["buildings"] + len(geoms)
            got = seeded.query_all("buildings").geometry
            assert shapely.is_valid(got).all()

    check()
