"""Fusion sources in the formats of the foundation import: a GeoPackage layer of enterprises
(points, WGS 84), a GeoJSON of building footprints (polygons) and a residents CSV with 经度/纬度
columns, into a store (SpatiaLite, PostGIS) with four grid cells. Attributes go through the source
mapping; each record keeps its point (a polygon's representative point) in the working CRS and is
placed in a grid cell by address when its address names a building, else by location. Bad input
is refused naming file, row and field, with nothing written; a re-import changes nothing."""

from __future__ import annotations

import csv

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import box
from sqlalchemy import text

from gis_core.crs import transform_geometries
from gis_core.fusion.entities import link_kind
from gis_core.fusion.sources import FusionError, SourceSpec, import_source, register_source
from gis_core.store import Store
from tests.gis_core._io_helpers import CELL, seed_cells

WGS = "EPSG:4326"


def _seed(s: Store) -> Store:
    seeded = seed_cells(s)
    x0, y0 = seeded["origin"]
    # One building, in cell 1, whose address the enterprise 甲 names.
    s.bulk_insert(
        "buildings",
        {"address": ["书院门路12号"], "grid_cell_id": [1]},
        np.array([box(x0 + 50, y0 + 50, x0 + 70, y0 + 70)], dtype=object),
    )
    s.seeded = seeded
    return s


@pytest.fixture
def lite(tmp_path):
    s = _seed(Store.init(str(tmp_path / "fusion.sqlite")))
    yield s
    s.close()


@pytest.fixture
def seeded(store):
    """The same on each backend (SpatiaLite and PostGIS)."""
    return _seed(store)


def _cell_centres(store) -> list[shapely.Point]:
    """Centres of the four cells (ids 1..4) in the working CRS."""
    x0, y0 = store.seeded["origin"]
    return [
        shapely.Point(x0 + (i + 0.5) * CELL, y0 + (j + 0.5) * CELL)
        for j in range(2)
        for i in range(2)
    ]


def _wgs(store, geoms) -> np.ndarray:
    return transform_geometries(np.asarray(geoms, dtype=object), f"EPSG:{store.srid}", WGS)


def _records(store, code: str) -> dict[str, tuple]:
    """source key → (grid cell, building, content hash, location as WKT in the working CRS)."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT r.source_key, r.grid_cell_id, r.building_id, r.content_hash, "
                "ST_AsText(r.geom) FROM fusion_records r JOIN fusion_sources s "
                "ON s.id = r.source_id WHERE s.code = :c"
            ),
            {"c": code},
        ).all()
    return {r[0]: tuple(r[1:]) for r in rows}


def _counts(store) -> tuple[int, int]:
    with store.engine.connect() as conn:
        return tuple(
            conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
            for t in ("fusion_records", "fusion_imports")
        )


def _enterprise_gpkg(store, path):
    c = _cell_centres(store)
    frame = gpd.GeoDataFrame(
        {
            "编号": ["E1", "E2", "E3"],
            "企业名称": ["西安甲商贸有限公司", "西安乙餐饮有限公司", "西安丙科技有限公司"],
            "地址": ["书院门路12号", "无名路99号", None],
            "从业人数": [12, 5, 40],
        },
        # 甲 stands in cell 4 but its address names the building in cell 1; 乙 and 丙 by location.
        geometry=list(_wgs(store, [c[3], c[1], c[2]])),
        crs=WGS,
    )
    frame.to_file(path, layer="企业", driver="GPKG", engine="pyogrio")
    frame.iloc[:1].to_file(path, layer="其他", driver="GPKG", engine="pyogrio")


def test_geopackage_geojson_and_csv_with_coordinates(seeded, tmp_path):
    lite = seeded  # SpatiaLite or PostGIS
    register_source(
        lite,
        SourceSpec("market", "enterprises", "市场监管局", key_field="编号",
                   mapping={"企业名称": "name", "地址": "address", "从业人数": "employees"}),
    )  # fmt: skip
    register_source(
        lite,
        SourceSpec("housing", "buildings", "住建局", key_field="bid",
                   mapping={"addr": "address", "floors": "floors"}),
    )  # fmt: skip
    register_source(
        lite,
        SourceSpec("grid_gps", "residents", "网格中心", key_field="rec",
                   mapping={"姓名": "name", "身份证": "id_number", "住址": "address"}),
    )  # fmt: skip
    c = _cell_centres(lite)
    # GeoPackage: the layer chosen; the file's own CRS (WGS 84) read.
    gpkg = tmp_path / "market.gpkg"
    _enterprise_gpkg(lite, gpkg)
    result = import_source(lite, "market", gpkg, "2026-10-01", layer="企业")
    assert (result.rows, result.added) == (3, 3)
    recs = _records(lite, "market")
    assert recs["E1"][:2] == (1, 1)  # by address: the building's cell, not where the point is
    assert recs["E2"][:2] == (2, None) and recs["E3"][:2] == (3, None)  # by location
    e3 = shapely.from_wkt(recs["E3"][3])
    assert e3.distance(c[2]) < 0.01  # kept in the working CRS, to the centimetre
    # GeoJSON polygons: each footprint's representative point, inside the footprint.
    feet = [box(p.x - 10, p.y - 10, p.x + 10, p.y + 10) for p in c]
    geojson = tmp_path / "housing.geojson"
    gpd.GeoDataFrame(
        {"bid": ["B1", "B2", "B3", "B4"], "addr": [None, "南大街5号", None, None],
         "floors": [6, 18, 3, 7]},
        geometry=list(_wgs(lite, feet)), crs=WGS,
    ).to_file(geojson, driver="GeoJSON", engine="pyogrio")  # fmt: skip
    assert import_source(lite, "housing", geojson).added == 4
    recs = _records(lite, "housing")
    for k, foot in enumerate(feet, start=1):
        cell, _, _, wkt = recs[f"B{k}"]
        assert cell == k and foot.contains(shapely.from_wkt(wkt))
    # CSV with 经度/纬度 (given as WGS 84); a row without coordinates is kept, unplaced.
    lonlat = shapely.get_coordinates(_wgs(lite, [c[0], c[3]]))
    path = tmp_path / "grid_gps.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(
            [["rec", "姓名", "身份证", "住址", "经度", "纬度"],
             ["R1", "张三", "11010519491231002X", "湘子庙街3号", lonlat[0, 0], lonlat[0, 1]],
             ["R2", "李四", "", "粉巷8号", lonlat[1, 0], lonlat[1, 1]],
             ["R3", "王五", "", "德福巷1号", "", ""]]
        )  # fmt: skip
    assert import_source(lite, "grid_gps", path, src_crs=WGS).added == 3
    recs = _records(lite, "grid_gps")
    assert [recs[k][0] for k in ("R1", "R2", "R3")] == [1, 4, None]
    assert recs["R3"][3] is None
    # Linked entities take their records' cells.
    link_kind(lite, "enterprises")
    with lite.engine.connect() as conn:
        cells = conn.execute(
            text("SELECT grid_cell_id FROM fusion_entities WHERE kind = 'enterprises' ORDER BY id")
        ).scalars()
        assert list(cells) == [1, 2, 3]
    # Re-importing every file changes nothing, the locations included.
    before = {code: _records(lite, code) for code in ("market", "housing", "grid_gps")}
    again = [
        import_source(lite, "market", gpkg, "2026-10-01", layer="企业"),
        import_source(lite, "housing", geojson),
        import_source(lite, "grid_gps", path, src_crs=WGS),
    ]
    assert all((r.added, r.changed, r.removed) == (0, 0, 0) for r in again)
    assert {code: _records(lite, code) for code in before} == before
    # A moved enterprise is a changed row, placed again by location.
    frame = gpd.read_file(gpkg, layer="企业", engine="pyogrio")
    frame.loc[1, "geometry"] = _wgs(lite, [c[3]])[0]
    frame.to_file(gpkg, layer="企业", driver="GPKG", engine="pyogrio")
    moved = import_source(lite, "market", gpkg, "2026-10-02", layer="企业")
    assert (moved.changed, moved.unchanged) == (1, 2)
    assert _records(lite, "market")["E2"][0] == 4


def test_bad_geo_input_is_refused_naming_file_row_and_field(lite, tmp_path):
    register_source(
        lite,
        SourceSpec("market", "enterprises", "市场监管局", key_field="编号",
                   mapping={"企业名称": "name", "地址": "address"}),
    )  # fmt: skip
    register_source(
        lite,
        SourceSpec("grid_gps", "residents", "网格中心", key_field="rec",
                   mapping={"姓名": "name", "住址": "address", "lon": "x", "lat": "y"}),
    )  # fmt: skip
    gpkg = tmp_path / "market.gpkg"
    _enterprise_gpkg(lite, gpkg)
    before = _counts(lite)

    def refused(*args, **kwargs) -> str:
        with pytest.raises(FusionError) as err:
            import_source(lite, *args, **kwargs)
        return str(err.value)

    message = refused("market", gpkg)
    assert "market.gpkg" in message and "--layer" in message and "企业" in message
    assert "no layer '企业2'" in refused("market", gpkg, layer="企业2")
    path = tmp_path / "grid_gps.csv"
    rows = [["rec", "姓名", "住址", "lon", "lat"], ["R1", "张三", "粉巷8号", "108.70", "34.33"],
            ["R2", "李四", "粉巷9号", "东经108度", "34.33"], ["R3", "王五", "粉巷1号", "108.7", ""]]  # fmt: skip
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    message = refused("grid_gps", path, src_crs=WGS)
    assert 'grid_gps.csv, row 2 (line 3), field "lon"' in message
    assert 'row 3 (line 4), field "lat": coordinate is empty' in message
    assert "nothing was written" in message
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows[:2])
    assert "--src-crs" in refused("grid_gps", path)  # coordinates, and no CRS to read them in
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["rec", "名字", "住址", "lon", "lat"], rows[1]])
    assert "no column(s) 姓名" in refused("grid_gps", path, src_crs=WGS)
    assert _counts(lite) == before  # nothing written by any of them


def test_fusion_import_cli_takes_layer_and_src_crs(lite, tmp_path, capsys):
    from desktop.cli import main

    register_source(
        lite,
        SourceSpec("market", "enterprises", "市场监管局", key_field="编号",
                   mapping={"企业名称": "name", "地址": "address"}),
    )  # fmt: skip
    gpkg = tmp_path / "market.gpkg"
    _enterprise_gpkg(lite, gpkg)
    url = str(lite.engine.url.database)
    argv = ["fusion", "import", str(gpkg), "--store", url, "--source", "market"]
    assert main([*argv, "--layer", "企业", "--src-crs", WGS]) == 0
    assert "3 rows — 3 added" in capsys.readouterr().out
    assert [r[0] for r in _records(lite, "market").values()] == [1, 2, 3]
