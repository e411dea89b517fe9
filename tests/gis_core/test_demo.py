"""The demo community: deterministic, topologically clean, plausible, and loadable on both backends."""

from __future__ import annotations

import datetime as dt
import re
import sys
import types

import numpy as np
import pytest
import shapely

from gis_core import demo, schema

N = 700  # two cells' worth: small enough to be fast, big enough to have every block type


@pytest.fixture(scope="module")
def data() -> demo.DemoData:
    return demo.generate(N, seed=11)


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray) and a.dtype.kind == "O" or isinstance(a, list):
        return list(a) == list(b)
    return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=np.asarray(a).dtype.kind == "f")


def _cells(data):
    cols, geoms = data.layers["grid_cells"]
    return cols["id"], geoms


# ---------------------------------------------------------------------------------- determinism
def test_same_seed_gives_identical_data(data):
    again = demo.generate(N, seed=11)
    assert again.meta == data.meta and again.counts() == data.counts()
    for kind in demo.LOAD_ORDER:
        (c1, g1), (c2, g2) = data.layers[kind], again.layers[kind]
        assert c1.keys() == c2.keys()
        for name in c1:
            assert _same(c1[name], c2[name]), f"{kind}.{name} differs between two runs"
        if g1 is not None:
            assert list(shapely.to_wkb(g1)) == list(shapely.to_wkb(g2)), kind


def test_another_seed_gives_other_data(data):
    other = demo.generate(N, seed=12)
    b1, b2 = data.layers["buildings"], other.layers["buildings"]
    assert len(b2[1]) == N
    assert not np.array_equal(
        shapely.get_coordinates(b1[1])[:50], shapely.get_coordinates(b2[1])[:50]
    )
    assert list(data.layers["residents"][0]["name"][:50]) != list(
        other.layers["residents"][0]["name"][:50]
    )


def test_leaving_out_residents_changes_nothing_else(data):
    lean = demo.generate(N, seed=11, residents=False)
    assert lean.counts()["residents"] == 0
    for kind in ("buildings", "grid_cells", "facilities", "cameras", "sensors", "enterprises"):
        assert list(shapely.to_wkb(lean.layers[kind][1])) == list(
            shapely.to_wkb(data.layers[kind][1])
        )
        assert _same(lean.layers[kind][0]["name"], data.layers[kind][0]["name"])


@pytest.mark.parametrize("n", [1, 57, 3000])
def test_exactly_the_requested_number_of_buildings(n):
    d = demo.generate(n, seed=3, residents=False)
    cols, geoms = d.layers["buildings"]
    assert len(geoms) == len(cols["id"]) == n
    assert set(d.layers["facilities"][0]["kind"]) == set(schema.FACILITY_KINDS)
    assert set(d.layers["sensors"][0]["kind"]) == set(schema.SENSOR_KINDS)


# ---------------------------------------------------------------------------------- topology
def test_cells_form_a_valid_coverage_equal_to_the_community(data):
    _, cells = _cells(data)
    cell_cols = data.layers["grid_cells"][0]
    assert shapely.coverage_is_valid(cells)
    assert shapely.is_valid(cells).all()
    comm_cols, boundaries = data.layers["communities"]
    for cid, boundary in zip(comm_cols["id"], boundaries, strict=True):
        union = shapely.coverage_union_all(cells[cell_cols["community_id"] == cid])
        assert shapely.equals(union, boundary)
        assert abs(union.area - boundary.area) < 1e-6 * boundary.area


def test_a_district_of_communities_is_one_valid_coverage():
    d = demo.generate(40_000, seed=5, residents=False)
    cols, cells = d.layers["grid_cells"]
    comm_cols, boundaries = d.layers["communities"]
    assert len(boundaries) > 1
    assert shapely.coverage_is_valid(cells)
    assert shapely.coverage_is_valid(boundaries)
    assert all(re.fullmatch(r"610402-\d{3}-\d{2}", c) for c in cols["code"])
    assert len(set(cols["code"])) == len(cols["code"])
    per_cell = len(d.layers["buildings"][1]) / len(cells)
    assert 200 <= per_cell <= 400


def test_buildings_overlap_neither_each_other_nor_streets(data):
    _, buildings = data.layers["buildings"]
    assert shapely.is_valid(buildings).all()
    left, right = shapely.STRtree(buildings).query(buildings, predicate="intersects")
    assert (left == right).all(), "two buildings touch or overlap"
    street_cols, streets = data.layers["streets"]
    carriageways = shapely.buffer(streets, street_cols["width_m"] / 2, cap_style="flat")
    _, hit = shapely.STRtree(buildings).query(carriageways, predicate="intersects")
    assert len(hit) == 0, "a building stands on a street"
    # Some footprints are concave (L-shaped): more than the five points of a rectangle.
    assert (shapely.get_num_coordinates(buildings) == 7).sum() > 0


def test_every_cell_scoped_row_carries_the_cell_that_contains_it(data):
    cell_ids, cells = _cells(data)
    tree = shapely.STRtree(cells)
    for kind in schema.CELL_SCOPED:
        if kind not in data.layers or data.layers[kind][1] is None:
            continue
        cols, geoms = data.layers[kind]
        points = shapely.point_on_surface(geoms)
        feature, cell = tree.query(points, predicate="within")
        assert np.array_equal(np.sort(feature), np.arange(len(geoms))), (
            f"{kind}: not in exactly one cell"
        )
        order = np.argsort(feature)
        assert np.array_equal(cell_ids[cell[order]], cols["grid_cell_id"]), kind
    res = data.layers["residents"][0]
    bld = data.layers["buildings"][0]
    assert np.array_equal(bld["grid_cell_id"][res["building_id"] - 1], res["grid_cell_id"])


def test_streets_have_three_kinds_and_lanes_join_the_network(data):
    cols, streets = data.layers["streets"]
    assert {"arterial", "secondary", "lane"} <= set(cols["kind"])
    assert {"人民路", "文汇路"} <= set(cols["name"])
    lane = cols["kind"] == "lane"
    # A lane ends where street segments end (a node), so routing can reach it.
    nodes = {
        tuple(p) for p in np.round(shapely.get_coordinates(shapely.boundary(streets[~lane])), 3)
    }
    lane_ends = np.round(shapely.get_coordinates(shapely.boundary(streets[lane])), 3)
    assert all(tuple(p) in nodes for p in lane_ends)


# ---------------------------------------------------------------------------------- attributes
def _gb11643_ok(number: str) -> bool:
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    total = sum(int(c) * w for c, w in zip(number[:17], weights, strict=True))
    return "10X98765432"[total % 11] == number[17]


def _gb32100_ok(code: str) -> bool:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [3**i % 31 for i in range(17)]
    total = sum(alphabet.index(c) * w for c, w in zip(code[:17], weights, strict=True))
    return alphabet[(31 - total % 31) % 31] == code[17]


def test_residents_have_valid_id_numbers_phones_and_a_plausible_population(data):
    res = data.layers["residents"][0]
    n = len(res["id"])
    assert n > 10 * N  # people live in the houses
    ids = list(res["id_number"])
    assert all(len(i) == 18 and i.startswith("610402") for i in ids)
    assert all(_gb11643_ok(i) for i in ids)
    assert len(set(ids)) == n
    births = res["birth_date"].astype("datetime64[D]").astype(str)
    assert all(i[6:14] == b.replace("-", "") for i, b in zip(ids, births, strict=True))
    male = res["gender"] == "male"
    assert np.array_equal(np.array([int(i[16]) % 2 == 1 for i in ids]), male)
    phones = [p for p in res["phone"] if p is not None]
    assert len(phones) > 0.7 * n
    assert all(re.fullmatch(r"1[3-9]\d{9}", p) for p in phones)
    ref = dt.date(2026, 7, 1)
    age = np.array([(ref - dt.date.fromisoformat(b)).days / 365.25 for b in births])
    assert ((age >= 3) & (age < 6)).sum() > 0.01 * n  # kindergarten age
    assert ((age >= 6) & (age < 12)).sum() > 0.03 * n  # primary school age
    assert (age >= 65).mean() > 0.1
    assert all(re.fullmatch(r"H\d{11}", h) for h in res["household_code"])
    tags = res["tags"]
    alone = np.array(["elderly_alone" in t for t in tags])
    assert alone.any() and (age[alone] >= 65).all()
    sizes = dict(zip(*np.unique(res["household_code"], return_counts=True), strict=True))
    assert all(sizes[h] == 1 for h in res["household_code"][alone])
    assert {"disabled", "low_income"} <= {t for ts in tags for t in ts}


def test_buildings_have_addresses_floors_units_and_uses(data):
    cols = data.layers["buildings"][0]
    assert set(cols["use"]) <= set(schema.BUILDING_USES)
    assert {"residential", "commercial", "mixed", "public"} <= set(cols["use"])
    assert all(re.fullmatch(r"\w+[路街]\d+号\d+栋", a) for a in cols["address"])
    assert len(set(cols["address"])) == N
    assert (cols["floors"] >= 1).all() and cols["floors"].max() >= 18
    housing = np.isin(cols["use"], ("residential", "mixed"))
    assert (cols["units"][housing] >= 1).all()


def test_enterprises_facilities_cameras_and_sensors(data):
    ent = data.layers["enterprises"][0]
    assert len(ent["id"]) == round(40 * N / 3000)  # a few dozen at the default size
    assert all(len(c) == 18 and _gb32100_ok(c) for c in ent["credit_code"])
    fac = data.layers["facilities"][0]
    assert set(fac["kind"]) == set(schema.FACILITY_KINDS)
    assert (np.nan_to_num(fac["capacity"][fac["kind"] == "school"]) > 0).all()
    assert all(b is not None and b > 0 for b in fac["beds"][fac["kind"] == "hospital"])
    cam = data.layers["cameras"][0]
    assert set(cam["purpose"]) == {"security", "bin_overflow"}
    assert ((cam["heading_deg"] >= 0) & (cam["heading_deg"] < 360)).all()
    assert (cam["fov_deg"] > 0).all() and (cam["range_m"] > 0).all()
    assert all(u is None for u in cam["stream_url"])
    sen = data.layers["sensors"][0]
    assert set(sen["kind"]) == set(schema.SENSOR_KINDS)
    assert len(set(sen["code"])) == len(sen["code"])
    assert all(re.fullmatch(r"[A-Z]{3}-\d{4,}", c) for c in sen["code"])
    assert (sen["warn_threshold"] < sen["alarm_threshold"]).all()


def test_sensor_units_and_thresholds_match_the_live_pipeline():
    live = pytest.importorskip("gis_core.live")
    for kind, (_prefix, unit, _period, warn, alarm, _label) in demo.SENSOR_SPECS.items():
        spec = live.kind_spec(kind)
        assert (spec.unit, spec.warn, spec.alarm) == (unit, warn, alarm), kind


def test_default_size_is_one_community_of_a_dozen_cells():
    d = demo.generate(seed=7, residents=False)
    cols = d.layers["grid_cells"][0]
    assert d.meta["community_name"] == "文汇社区" and d.meta["community_code"] == "610402-001"
    assert 8 <= len(cols["id"]) <= 15
    assert 24 <= len(d.layers["enterprises"][0]["id"]) <= 60
    assert cols["code"][2] == "610402-001-03" and cols["name"][2] == "文汇社区第3网格"
    assert all(re.fullmatch(r"1[3-9]\d{9}", p) for p in cols["worker_phone"])
    per_cell = np.bincount(d.layers["buildings"][0]["grid_cell_id"])[1:]
    assert 200 <= per_cell.mean() <= 400


# ---------------------------------------------------------------------------------- store
def test_load_into_a_store(store, data):
    counts = demo.load(store, data)
    assert counts == data.counts()
    for kind, n in counts.items():
        assert store.count(kind) == n, kind
    assert store.meta("demo") == "1" and store.meta("community_name") == "文汇社区"
    assert demo.store_state(store) == "demo"
    cell = store.query_cell("buildings", 1, ["address"])
    assert len(cell) == (data.layers["buildings"][0]["grid_cell_id"] == 1).sum()
    text = demo.summary(store)
    assert "文汇社区" in text and f"{N:,}" in text and "buildings" in text
    # A second load fails as a whole and leaves the store as it was.
    with pytest.raises(Exception):  # noqa: B017 - the driver's duplicate-key error
        demo.load(store, data)
    assert store.count("buildings") == N
    demo.reset_demo(store)
    assert demo.store_state(store) == "empty" and store.count("residents") == 0
    assert store.meta("working_srid") == str(store.srid)


# ---------------------------------------------------------------------------------- CLI
def _run(*argv: str) -> int:
    from desktop.cli import main

    return main(["demo", *argv])


def test_cli_builds_keeps_and_resets_the_demo(store_url, capsys):
    from gis_core.store import Store

    assert _run("--no-gui", "--store", store_url, "--buildings", "300", "--seed", "3") == 0
    out = capsys.readouterr().out
    assert "built the demo" in out and "文汇社区" in out and "300" in out
    assert _run("--no-gui", "--store", store_url, "--buildings", "300", "--seed", "4") == 0
    out = capsys.readouterr().out
    assert "already holds the demo" in out and "--reset" in out
    with Store.open(store_url) as s:
        assert s.meta("demo_seed") == "3" and s.count("buildings") == 300
    args = ("--no-gui", "--store", store_url, "--buildings", "250", "--seed", "4", "--reset")
    assert _run(*args) == 0
    with Store.open(store_url) as s:
        assert s.meta("demo_seed") == "4" and s.count("buildings") == 250


def test_cli_refuses_a_store_with_other_data(tmp_path, capsys):
    from gis_core.store import Store

    path = tmp_path / "city.sqlite"
    with Store.init(path) as s:
        s.bulk_insert("buildings", {"id": [1], "address": ["x"]}, [shapely.box(0, 0, 1, 1)])
    assert _run("--no-gui", "--store", str(path), "--reset") == 2
    assert "not the demo" in capsys.readouterr().err
    with Store.open(path) as s:
        assert s.count("buildings") == 1


def test_cli_default_store_without_a_display(monkeypatch, capsys):
    from gis_core.store import default_store_path

    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(sys, "platform", "linux")
    assert _run("--buildings", "200") == 0
    out = capsys.readouterr().out
    assert default_store_path().exists()
    assert "needs a display" in out and "房屋 buildings" in out


def test_cli_opens_the_app_when_there_is_a_display(monkeypatch, capsys):
    from gis_core.store import default_store_path

    calls = []
    fake = types.ModuleType("desktop.app")
    fake.run_app = lambda url: calls.append(url) or 0
    monkeypatch.setitem(sys.modules, "desktop.app", fake)
    monkeypatch.setenv("DISPLAY", ":0")
    assert _run("--buildings", "200") == 0
    assert calls == [str(default_store_path())]
