"""The data-fusion window features on a real SpatiaLite store: the known community plus two
departments' records of five residents, linked — two field conflicts and a name conflict in the
review queue, the entity located on the map, a decision that leaves the queue and is still there
when the store is opened again, nothing personal shown in clear (unless revealed, audited), the
data-quality layer drawn in its graduated colours, and the menu gated by role."""

from __future__ import annotations

import re
import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox

from tests.desktop import community
from tests.desktop.conftest import process_until, wait_rendered

ID_NUMBER = re.compile(r"\d{17}[\dXx]")
MOBILE = re.compile(r"1[3-9]\d{9}")
PASSWORDS = {"admin": "admin-pass-1", "steward": "steward-pass-1", "planner": "planner-pass-1"}


def _id(first17: str) -> str:
    from gis_core.fusion.idcodes import id_check_digit

    return first17 + id_check_digit(first17)


ZHANG, LI, WANG, ZHAO = (
    _id("61040219800101123"),
    _id("61040219851212456"),
    _id("61040219900303789"),
    _id("61040219950505321"),
)
PEOPLE = {  # police, then street: (name, ID number, phone, address)
    "police": [
        ("张三", ZHANG, "13800000001", "渭阳路1号1单元101室"),  # phones differ: a conflict
        ("李四", LI, "13811112222", "渭阳路21号"),  # 21 or 22: a conflict
        ("王五", WANG, "13722223333", "渭阳路400号2单元202室"),  # agree, cell 4
        ("赵六", ZHAO, "13633334444", "渭阳路2号"),  # 赵六 or 赵陆: a conflict
        ("孙七", "610402", "", "渭阳路3号"),  # an invalid ID, no phone: poor quality in cell 1
    ],
    "street": [
        ("张三", ZHANG, "13900000002", "渭阳路1号1单元101室"),
        ("李四", LI, "13811112222", "渭阳路22号"),
        ("王五", WANG, "13722223333", "渭阳路400号2单元202室"),
        ("赵陆", ZHAO, "13633334444", "渭阳路2号"),
    ],
}
DEPARTMENTS = {"police": "公安分局", "street": "街道办事处"}


@pytest.fixture(scope="module")
def key_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("key") / "zhiwang.key"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ZHIWANG_KEY_FILE", str(path))
        yield path


def _fuse(store) -> None:
    from gis_core.fusion.entities import link_kind
    from gis_core.fusion.sources import SourceSpec, get_source, import_rows, register_source

    for code, department in DEPARTMENTS.items():
        register_source(
            store,
            SourceSpec(code, "residents", department, trust={"*": 0.6}, key_field="k",
                       mapping={"name": "name", "id": "id_number", "tel": "phone",
                                "addr": "address"}),
        )  # fmt: skip
        rows = PEOPLE[code]
        columns = {
            f: [r[k] for r in rows] for k, f in enumerate(("name", "id_number", "phone", "address"))
        }
        keys = [f"{code[0]}{k}" for k in range(len(rows))]
        import_rows(store, get_source(store, code), columns, keys, extracted_at="2026-10-01")
    link_kind(store, "residents")


@pytest.fixture(scope="module")
def fused_file(tmp_path_factory, key_file):
    """A store without accounts (whoever opens it may do everything), fused."""
    from gis_core.store import Store

    path = tmp_path_factory.mktemp("fused") / "store.sqlite"
    with Store.init(str(path)) as store:
        community.populate(store)
        _fuse(store)
    return path


@pytest.fixture(scope="module")
def managed_file(tmp_path_factory, key_file):
    """The same with accounts: admin, steward (grid supervisor), planner."""
    from gis_core.security.accounts import authenticate, create_user
    from gis_core.store import Store

    path = tmp_path_factory.mktemp("managed") / "store.sqlite"
    with Store.init(str(path)) as store:
        community.populate(store)
        _fuse(store)
        create_user(store, "admin", PASSWORDS["admin"], "administrator", None)
        admin = authenticate(store, "admin", PASSWORDS["admin"])
        create_user(store, "steward", PASSWORDS["steward"], "grid_supervisor", None, by=admin)
        create_user(store, "planner", PASSWORDS["planner"], "planner", None, by=admin)
    return path


@pytest.fixture(params=["spatialite", "postgis"])
def fused_url(request, tmp_path, key_file):
    """The fused store on each backend (PostGIS: a database of its own, dropped after)."""
    if request.param == "spatialite":
        yield _copy(request.getfixturevalue("fused_file"), tmp_path)
        return
    import uuid

    import psycopg

    from gis_core.store import Store

    server = request.getfixturevalue("postgis_server")
    name = f"zw_fusion_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = server.rsplit("/", 1)[0] + f"/{name}"
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        with Store.init(url) as store:
            community.populate(store)
            _fuse(store)
        yield url
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _copy(path, tmp_path) -> str:
    target = tmp_path / "store.sqlite"
    shutil.copy(path, target)
    return str(target)


@pytest.fixture(scope="module")
def module_win(qapp, chinese_ui):
    from desktop.main_window import MainWindow

    w = MainWindow()
    w.resize(1300, 900)
    w.show()
    yield w
    w.close()
    w.deleteLater()


@pytest.fixture
def win(qtbot, module_win):
    w = module_win
    process_until(lambda: not w.runner.busy() and not w.writer.busy())
    for box in w.findChildren(QMessageBox):
        box.close()
    w.close_store()
    qtbot.waitExposed(w)
    return w


def _open(qtbot, w, url: str, user: str | None = None):
    if user is None:
        w.open_store_url(url, "fusion")
    else:
        w.open_store_url(url, "fusion", username=user, password=PASSWORDS[user])
    qtbot.waitUntil(
        lambda: w.store is not None and getattr(w.store.user, "username", None) == user,
        timeout=15_000,
    )
    wait_rendered(qtbot, w, timeout=30_000)  # the first render starts the render processes
    return w.store


def _idle(qtbot, w) -> None:
    qtbot.waitUntil(
        lambda: not w.fusion.busy() and not w.runner.busy() and not w.writer.busy(),
        timeout=15_000,
    )


def _open_queue(qtbot, w):
    w.fusion.act_review.trigger()
    _idle(qtbot, w)
    return w.fusion.review


def _clear_in(texts) -> list[str]:
    return [t for t in texts if ID_NUMBER.search(t) or MOBILE.search(t)]


def _select(panel, field: str):
    row = next(r for r, it in enumerate(panel.items) if it.field == field)
    panel.queue.selectRow(row)
    return panel.items[row]


def test_the_queue_lists_the_conflicts_masked_side_by_side_and_locates_the_entity(
    qtbot, win, fused_url
):
    w = win
    _open(qtbot, w, fused_url)
    panel = _open_queue(qtbot, w)
    assert w.fusion.review_dock.isVisible()
    assert sorted(i.field for i in panel.items) == ["address", "name", "phone"]
    assert panel.queue.rowCount() == 3 and "3" in panel.status.text()
    item = _select(panel, "phone")
    _idle(qtbot, w)
    t = panel.candidates
    assert t.columnCount() == 2  # the two candidates side by side
    column = {t.verticalHeaderItem(r).text(): r for r in range(t.rowCount())}
    assert set(column) >= {"值", "来源", "部门", "提取日期", "可信度"}
    values = sorted(t.item(column["值"], k).text() for k in range(2))
    assert values == ["138****0001", "139****0002"]
    departments = {t.item(column["部门"], k).text() for k in range(2)}
    assert departments == set(DEPARTMENTS.values())
    assert {t.item(column["提取日期"], k).text() for k in range(2)} == {"2026-10-01"}
    assert {t.item(column["可信度"], k).text() for k in range(2)} == {"0.60"}
    # Names are masked as the store masks them.
    _select(panel, "name")
    _idle(qtbot, w)
    assert {t.item(column["值"], k).text() for k in range(2)} == {"赵*"}
    # No clear ID number or phone anywhere in the dock; no reveal for a store without accounts?
    # (whoever opens it may do everything, so the audited reveal is offered).
    assert _clear_in(panel.texts()) == []
    # The entity is on the map: the phone conflict's resident lives in building 1.
    _select(panel, "phone")
    qtbot.waitUntil(lambda: w.selection.get("buildings") == frozenset({item.building_id}))
    assert item.building_id == community.building_id(0, 0)
    assert w.canvas._highlight_geom is not None
    x, y = community.building_center(0, 0)
    minx, miny, maxx, maxy = w.canvas.view.bbox
    assert minx < x < maxx and miny < y < maxy and maxx - minx < 500  # zoomed in on it
    assert "建筑" in panel.locate_label.text()


def test_a_decision_leaves_the_queue_and_persists(qtbot, win, fused_file, tmp_path):
    from sqlalchemy import text

    from gis_core.fusion.review import list_reviews
    from gis_core.store import Store

    w = win
    url = _copy(fused_file, tmp_path)
    _open(qtbot, w, url)
    panel = _open_queue(qtbot, w)
    item = _select(panel, "phone")
    pick = next(k for k, c in enumerate(item.candidates) if c.value.startswith("139"))
    panel.candidates.selectColumn(pick)
    panel.note.setText("电话回访确认")
    assert panel.accept_button.isEnabled()
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, w)
    assert sorted(i.field for i in panel.items) == ["address", "name"]
    assert panel.queue.rowCount() == 2 and panel.note.text() == ""
    # An edit, with the new value typed in.
    _select(panel, "address")
    panel.edit_value.setText("渭阳路22号")
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, w)
    assert [i.field for i in panel.items] == ["name"]
    w.close_store()
    with Store.open(url) as store:
        assert [i.field for i in list_reviews(store)] == ["name"]
        with store.engine.connect() as conn:
            rows = conn.execute(
                text("SELECT field, decision, note FROM fusion_decisions ORDER BY id")
            ).all()
    assert [tuple(r) for r in rows] == [
        ("phone", "accept", "电话回访确认"),
        ("address", "edit", None),
    ]
    # Opened again in the window, the queue shows what is left.
    _open(qtbot, w, url)
    panel = _open_queue(qtbot, w)
    assert [i.field for i in panel.items] == ["name"]


def test_the_quality_layer_draws_cells_in_their_graduated_colours(qtbot, win, fused_file, tmp_path):
    from gis_core.fusion.quality import cell_scores, quality_report

    w = win
    url = _copy(fused_file, tmp_path)
    store = _open(qtbot, w, url)
    w.fusion.act_quality.trigger()
    _idle(qtbot, w)
    layer = w.fusion.quality_layer
    assert layer is not None and layer in w.layers and layer.visible
    w.zoom_home()
    wait_rendered(qtbot, w, timeout=30_000)
    scores = cell_scores(quality_report(store, "residents"))
    assert set(scores) == {1, 4}  # the residents live in cells 1 and 4
    assert scores[1] < scores[4]
    image = w.canvas.image_of(layer)
    assert image is not None
    fills = []
    for cell, (i, j) in ((1, (3, 3)), (4, (15, 15))):  # between buildings, off the labels
        x = community.X0 + 50.0 * (i + 1)
        y = community.Y0 + 50.0 * (j + 1)
        px, py = (int(round(float(v))) for v in w.canvas.view.to_pixels(x, y))
        klass = int(layer.style.class_of([scores[cell]])[0])
        want = QColor(layer.style.symbols[klass].fill)
        got = image.pixelColor(px, py)
        assert max(abs(got.red() - want.red()), abs(got.green() - want.green()),
                   abs(got.blue() - want.blue())) <= 3, (cell, got.name(), want.name())  # fmt: skip
        fills.append(want.name())
    assert fills[0] != fills[1]
    # Cells without fusion records are not drawn (2 and 3).
    x, y = community.X0 + 750.0, community.Y0 + 150.0
    px, py = (int(round(float(v))) for v in w.canvas.view.to_pixels(x, y))
    assert image.pixelColor(px, py).alpha() == 0
    # Legend and per-source table.
    qp = w.fusion.quality_panel
    assert qp.legend_box.isVisible() and qp.legend_layout.count() >= 2 * 5
    assert qp.table.rowCount() == 2
    assert {qp.table.item(r, 0).text() for r in range(2)} == {"police", "street"}
    assert {qp.table.item(r, 1).text() for r in range(2)} == set(DEPARTMENTS.values())
    out = tmp_path / "quality.csv"
    w.fusion.export_quality(str(out))
    _idle(qtbot, w)
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("scope,name,records") and len(lines) == 1 + 2 + 2


def test_roles_gate_the_menu_and_unmasking_is_audited(qtbot, win, managed_file, tmp_path):
    from gis_core.security import audit

    w = win
    url = _copy(managed_file, tmp_path)
    _open(qtbot, w, url, "planner")
    f = w.fusion
    assert not f.act_review.isEnabled() and "编辑居民信息" in f.act_review.toolTip()
    assert not f.act_relink.isEnabled() and "导入数据" in f.act_relink.toolTip()
    assert f.act_quality.isEnabled() and f.act_export_quality.isEnabled()
    # A grid supervisor reviews, and may unmask — through the audited reveal.
    w.close_store()
    store = _open(qtbot, w, url, "steward")
    assert f.act_review.isEnabled() and f.act_relink.isEnabled()
    panel = _open_queue(qtbot, w)
    _select(panel, "phone")
    _idle(qtbot, w)
    assert _clear_in(panel.texts()) == []
    assert panel.reveal_button.isVisible() and panel.reveal_button.isEnabled()
    seq = max((e.seq for e in audit.entries(store)), default=0)
    qtbot.mouseClick(panel.reveal_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, w)
    shown = sorted(panel.candidates.item(0, k).text() for k in range(2))
    assert shown == ["13800000001", "13900000002"]
    new = [e for e in audit.entries(store) if e.seq > seq and e.action == "unmask"]
    assert len(new) == 1 and new[0].username == "steward"
    assert new[0].object == "fusion_reviews" and new[0].detail["fields"] == ["phone"]
    assert "13800000001" not in str(new[0].detail)
    assert audit.verify(store).ok


def test_a_possible_match_shows_two_records_with_link_and_keep_apart(qtbot, qapp, chinese_ui):
    from desktop.fusion.data import CandidateView, QueueItem
    from desktop.fusion.review_panel import ReviewPanel

    def record(source, dept, name, address):
        return CandidateView("", (source,), (dept,), "2026-10-01", None, 1,
                             {"name": name, "address": address})  # fmt: skip

    item = QueueItem(
        7, "match", 3, "residents", "match",
        (record("police", "公安分局", "张*", "渭阳路1号"), record("street", "街道办事处", "张*", "渭阳路1号")),
        None, 1, 1, True, 0.87,
    )  # fmt: skip
    panel = ReviewPanel()
    qtbot.addWidget(panel)
    panel.set_items([item])
    assert panel.candidates.columnCount() == 2 and "87%" in panel.heading.text()
    t = panel.candidates
    rows = [t.verticalHeaderItem(r).text() for r in range(t.rowCount())]
    assert rows[:2] == ["姓名", "地址"] and "部门" in rows
    assert [t.item(rows.index("部门"), k).text() for k in range(2)] == ["公安分局", "街道办事处"]
    assert (
        panel.accept_button.text() == "同一对象（关联）"
        and panel.reject_button.text() == "保持分开"
    )
    assert not panel.edit_button.isVisible()
    with qtbot.waitSignal(panel.decisionRequested) as sig:
        qtbot.mouseClick(panel.reject_button, Qt.MouseButton.LeftButton)
    assert sig.args[:2] == [7, "reject"]


# Near-duplicates planted by a third department: same flat, one character of the name apart,
# another birth date, no ID number or phone — the same person, or father and son?
PLANTED = {"g0": ("王伟", "1960-03-15", "渭阳路400号2单元202室"),  # like police p2, 王五
           "g1": ("张伟", "1965-05-05", "渭阳路1号1单元101室")}  # like police p0, 张三  # fmt: skip
# Five residents train a model so sure of itself that any pair in one flat scores far above the
# usual 0.95 bar; a bar near 1 puts the planted pairs in the review band (from 0.5) instead.
HIGH_BAR = 1 - 1e-9


def _plant(store) -> None:
    from gis_core.fusion.entities import link_kind
    from gis_core.fusion.sources import SourceSpec, get_source, import_rows, register_source

    register_source(
        store,
        SourceSpec("grid", "residents", "网格员补录", trust={"*": 0.5}, key_field="k",
                   mapping={"name": "name", "gender": "gender", "birth": "birth_date",
                            "addr": "address"}),
    )  # fmt: skip
    rows = list(PLANTED.values())
    columns = {"name": [r[0] for r in rows], "gender": ["男", "男"],
               "birth_date": [r[1] for r in rows], "address": [r[2] for r in rows]}  # fmt: skip
    import_rows(store, get_source(store, "grid"), columns, list(PLANTED), extracted_at="2026-10-02")
    assert link_kind(store, "residents", threshold=HIGH_BAR).possible_open == 2


@pytest.fixture(scope="module")
def matched_file(tmp_path_factory, key_file):
    """The fused store plus the two planted near-duplicates, queued as possible matches."""
    from gis_core.store import Store

    path = tmp_path_factory.mktemp("matched") / "store.sqlite"
    with Store.init(str(path)) as store:
        community.populate(store)
        _fuse(store)
        _plant(store)
    return path


def _entity(store, code: str, key: str) -> int:
    from sqlalchemy import text

    with store.engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT r.entity_id FROM fusion_records r JOIN fusion_sources s ON "
                "s.id = r.source_id WHERE s.code = :c AND r.source_key = :k"
            ),
            {"c": code, "k": key},
        ).scalar()


def _match_at(panel, address: str):
    row = next(
        r
        for r, it in enumerate(panel.items)
        if it.is_match and any(c.values.get("address") == address for c in it.candidates)
    )
    panel.queue.selectRow(row)
    return panel.items[row]


def test_possible_matches_from_the_core_are_linked_or_kept_apart_and_stay_so(
    qtbot, win, matched_file, tmp_path
):
    from sqlalchemy import text

    from gis_core.fusion.review import list_reviews
    from gis_core.store import Store

    w = win
    url = _copy(matched_file, tmp_path)
    _open(qtbot, w, url)
    panel = _open_queue(qtbot, w)
    assert sorted(i.field for i in panel.items) == ["address", "match", "match", "name", "phone"]
    assert panel.queue.rowCount() == 5
    item = _match_at(panel, PLANTED["g0"][2])
    _idle(qtbot, w)
    assert item.building_id is not None and 0.5 <= item.probability < 1
    t = panel.candidates
    assert t.columnCount() == 2  # the two records side by side
    rows = {t.verticalHeaderItem(r).text(): r for r in range(t.rowCount())}
    assert {"姓名", "身份证号", "出生日期", "地址", "来源", "部门"} <= set(rows)
    assert [t.item(rows["姓名"], k).text() for k in range(2)] == ["王*", "王*"]
    assert [t.item(rows["部门"], k).text() for k in range(2)] == ["公安分局", "网格员补录"]
    assert [t.item(rows["出生日期"], k).text() for k in range(2)] == ["1990-03-03", "1960-03-15"]
    assert "*" in t.item(rows["身份证号"], 0).text() and t.item(rows["身份证号"], 1).text() == ""
    assert "是同一个" in panel.heading.text() and "100%" not in panel.heading.text()
    assert panel.accept_button.text() == "同一对象（关联）" and panel.accept_button.isEnabled()
    assert panel.reject_button.text() == "保持分开" and not panel.edit_button.isVisible()
    assert _clear_in(panel.texts()) == []
    assert all("王五" not in s and "王伟" not in s for s in panel.texts())
    assert not panel.reveal_button.isVisible()  # nothing a possible match could reveal
    assert "户号" not in rows  # empty in both records
    panel.grab().save(str(tmp_path / "possible_match.png"))

    panel.note.setText("同一人，姓名录错")
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, w)
    assert [i.field for i in panel.items if i.is_match] == ["match"]
    _match_at(panel, PLANTED["g1"][2])
    _idle(qtbot, w)
    panel.note.setText("父子")
    qtbot.mouseClick(panel.reject_button, Qt.MouseButton.LeftButton)
    _idle(qtbot, w)
    assert not any(i.is_match for i in panel.items) and panel.queue.rowCount() == 3
    w.fusion.act_relink.trigger()  # re-link: the decisions hold
    _idle(qtbot, w)
    assert not any(i.is_match for i in panel.items)
    w.close_store()

    with Store.open(url) as store:
        assert _entity(store, "grid", "g0") == _entity(store, "police", "p2")
        assert _entity(store, "grid", "g1") != _entity(store, "police", "p0")
        assert list_reviews(store, item="match") == []
        with store.engine.connect() as conn:
            logged = conn.execute(
                text(
                    "SELECT decision, note FROM fusion_decisions WHERE field = 'match' ORDER BY id"
                )
            ).all()
        assert [tuple(r) for r in logged] == [("accept", "同一人，姓名录错"), ("reject", "父子")]
    # Opened again in the window: no possible match comes back, not even on a re-link.
    _open(qtbot, w, url)
    panel = _open_queue(qtbot, w)
    assert sorted(i.field for i in panel.items) == ["address", "name", "phone"]
    w.fusion.act_relink.trigger()
    _idle(qtbot, w)
    assert not any(i.is_match for i in panel.items)
    store = w.store
    assert _entity(store, "grid", "g0") == _entity(store, "police", "p2")
    assert _entity(store, "grid", "g1") != _entity(store, "police", "p0")
