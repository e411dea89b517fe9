"""Events from another department's file: per-row problems, nothing written until confirmed."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from gis_core.cases import Actor, commit_import, linked_events, preview_import
from gis_core.crs import transformer

from .conftest import X0, Y0, cell_centre, local

NOW = local(2026, 11, 2, 12, 0)
ADMIN = Actor("admin", "administrator")


def lonlat(x, y):
    lon, lat = transformer("EPSG:4545", "EPSG:4326").transform(x, y)
    return round(float(lon), 8), round(float(lat), 8)


def csv_file(tmp_path, rows, encoding="gbk"):
    header = "编号,类别,上报时间,经度,纬度,描述\n"
    body = "".join(",".join(map(str, r)) + "\n" for r in rows)
    path = tmp_path / "城管系统导出.csv"
    path.write_bytes((header + body).encode(encoding))
    return path


def rows():
    a = lonlat(*cell_centre(1))
    near_a = lonlat(cell_centre(1)[0] + 20, cell_centre(1)[1])
    b = lonlat(*cell_centre(5))
    outside = lonlat(X0 - 800, Y0 - 800)
    return [
        ("CG-001", "垃圾堆放", "2026-11-02 09:30", *a, "人民路18号门口垃圾"),  # 1 good
        ("CG-002", "占道经营", "2026-11-02 09:40", *a, "unknown category"),  # 2
        ("CG-003", "garbage", "2026-11-03 09:00", *a, "tomorrow"),  # 3 future
        ("CG-004", "设施损坏", "2026/11/2 10:05", *outside, "far away"),  # 4 outside
        ("CG-005", "违章停车", "yesterday", *b, "bad time"),  # 5
        ("CG-001", "违章停车", "2026-11-02 10:00", *b, "duplicate id"),  # 6
        ("CG-007", "illegal_parking", "2026年11月2日 10:10", *b, "good"),  # 7 good
        ("CG-008", "垃圾堆放", "2026-11-02T09:50+08:00", *near_a, "same heap"),  # 8 good
        ("CG-009", "dispute", "2026-11-02 10:30", "", "", "no position"),  # 9
    ]


def count(store, table):
    with store.engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()


def test_problems_are_reported_per_row_and_nothing_is_written(cases_store, tmp_path):
    s = cases_store
    path = csv_file(tmp_path, rows())
    preview = preview_import(s, path, source="城管", now=NOW)
    problems = {(p.row, p.field): p.message for p in preview.problems}
    assert problems == {
        (2, "类别"): "unknown category '占道经营'",
        (3, "上报时间"): "time in the future (2026-11-03 09:00)",
        (4, "经度/纬度"): "the point is outside every grid cell",
        (5, "上报时间"): "unreadable time 'yesterday' (use 2026-11-02 09:30)",
        (6, "编号"): "id 'CG-001' is also in row 1",
        (9, "经度/纬度"): "no valid position",
    }
    assert [r.row for r in preview.rows] == [1, 7, 8]
    assert preview.groups == 2  # rows 1 and 8: the same heap of garbage, 20 m apart
    assert "9 rows — 3 good, 6 with problems" in preview.summary()
    assert (count(s, "events"), count(s, "cases"), count(s, "case_steps")) == (0, 0, 0)

    result = commit_import(s, preview, actor=ADMIN, at=NOW)
    assert (result.events, result.cases_opened, result.proposed) == (3, 2, 1)
    assert (count(s, "events"), count(s, "cases")) == (3, 2)
    first = linked_events(s, result.case_ids[0])
    assert [(e["external_ref"], e["link"]) for e in first] == [
        ("import:城管:CG-001", "primary"),
        ("import:城管:CG-008", "proposed"),
    ]
    assert first[0]["reported_at"] == local(2026, 11, 2, 9, 30)
    assert first[0]["source"] == "import" and first[0]["grid_cell_id"] == 1

    again = preview_import(s, path, source="城管", now=NOW)
    assert {(p.row, p.message) for p in again.problems if p.row in (1, 7, 8)} == {
        (1, "id 'CG-001' was imported before"),
        (7, "id 'CG-007' was imported before"),
        (8, "id 'CG-008' was imported before"),
    }
    assert again.rows == []


def test_rows_imported_meanwhile_are_skipped_at_commit(sqlite_cases_store, tmp_path):
    s = sqlite_cases_store
    path = csv_file(tmp_path, rows()[:1], encoding="utf-8")
    first, second = (preview_import(s, path, now=NOW) for _ in range(2))
    commit_import(s, first, actor=ADMIN, at=NOW)
    result = commit_import(s, second, actor=ADMIN, at=NOW)
    assert result.events == 0 and [str(p) for p in result.skipped] == [
        "row 1, id: imported by someone else meanwhile"
    ]
    assert count(s, "events") == 1


def test_geojson_with_english_fields(sqlite_cases_store, tmp_path):
    s = sqlite_cases_store
    lon, lat = lonlat(*cell_centre(6))
    path = tmp_path / "events.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [lon, lat]},
                        "properties": {
                            "id": "J-1",
                            "category": "noise",
                            "reported_at": "2026-11-02T01:00:00Z",
                            "description": "工地夜间施工",
                            "photos": "a.jpg; b.jpg",
                        },
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    preview = preview_import(s, path, now=NOW)
    assert preview.problems == [] and len(preview.rows) == 1
    assert preview.rows[0].cell == 6 and preview.rows[0].report.photos == ("a.jpg", "b.jpg")
    result = commit_import(s, preview, actor=ADMIN, at=NOW)
    assert result.cases_opened == 1


def test_a_file_without_the_needed_columns(sqlite_cases_store, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("名称,备注\n甲,乙\n", encoding="utf-8")
    preview = preview_import(sqlite_cases_store, path, now=NOW)
    assert [str(p) for p in preview.problems] == [
        "file, category: no category column (类别 / category)",
        "file, time: no time column (上报时间 / reported_at)",
        "file, position: no position columns (经度/纬度, lon/lat or x/y)",
    ]


def test_only_those_who_may_import_can_commit(sqlite_cases_store, tmp_path):
    path = csv_file(tmp_path, rows()[:1], encoding="utf-8")
    preview = preview_import(sqlite_cases_store, path, now=NOW)
    with pytest.raises(Exception, match="may not import"):
        commit_import(sqlite_cases_store, preview, actor=Actor("w", "grid_worker"), at=NOW)
    assert count(sqlite_cases_store, "events") == 0
