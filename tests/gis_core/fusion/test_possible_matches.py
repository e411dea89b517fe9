"""Possible matches in the review queue: a near-duplicate planted in a fourth source (same flat,
one character of the name apart, another birth date, no ID number or phone — "father and son, or
one person?") is listed beside the record it resembles; accept links the two, reject keeps them
apart, and both decisions hold over a re-import that changes the records and a new link."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import text

from desktop.cli import main
from gis_core.fusion.entities import link_kind
from gis_core.fusion.linkage import LinkFrame, link
from gis_core.fusion.review import decide, list_reviews
from gis_core.fusion.sources import FusionError, SourceSpec, get_source, import_rows
from gis_core.fusion.sources import register_source as register
from gis_core.store import Store
from tests.gis_core.fusion.conftest import register_all

PLANT = SourceSpec("plant", "residents", "网格员补录", trust={"*": 0.5}, key_field="k",
                   mapping={"name": "name", "gender": "gender", "birth": "birth_date",
                            "addr": "address"})  # fmt: skip


def _near(name: str) -> str:
    """The name with its last character changed (one character apart)."""
    return name[:-1] + ("伟" if name[-1] != "伟" else "强")


def _plant_rows(police, rows: dict[str, int], same_birth: set[str] = frozenset()) -> dict:
    cols: dict[str, list] = {"name": [], "gender": [], "birth_date": [], "address": []}
    for key, k in rows.items():
        year = int(police["birth_date"][k][:4])
        cols["name"].append(_near(police["name"][k]))
        cols["gender"].append(police["gender"][k])
        cols["birth_date"].append(
            police["birth_date"][k]
            if key in same_birth
            else f"{year - 30 if year > 1960 else year + 30}-03-15"
        )
        cols["address"].append(police["address"][k])
    return cols


def _entity_of(store, code: str, key: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT r.entity_id FROM fusion_records r JOIN fusion_sources s ON "
                "s.id = r.source_id WHERE s.code = :c AND r.source_key = :k"
            ),
            {"c": code, "k": key},
        ).scalar()


@pytest.fixture
def planted(tmp_path, population):
    """The generated population through a store, plus two planted near-duplicates of police
    records: ``x`` (of police row 3) and ``y`` (of police row 7)."""
    store = Store.init(str(tmp_path / "fusion.sqlite"))
    register_all(store)
    for code in ("police", "street", "grid"):
        c, keys = population.columns(code)
        import_rows(
            store, get_source(store, code), c, keys, extracted_at=population.extracted[code]
        )
    register(store, PLANT)
    police, police_keys = population.columns("police")
    rows = {"x": 3, "y": 7}
    import_rows(store, get_source(store, "plant"), _plant_rows(police, rows), list(rows),
                extracted_at="2026-10-01")  # fmt: skip
    yield store, police, police_keys, rows
    store.close()


def _match_items(store) -> dict[str, object]:
    """Open possible matches that involve a planted record, by its key."""
    out = {}
    for item in list_reviews(store, item="match", limit=10_000):
        for c in item.candidates:
            if c["source"] == "plant":
                with store.engine.connect() as conn:
                    key = conn.execute(
                        text("SELECT source_key FROM fusion_records WHERE id = :r"),
                        {"r": c["record"]},
                    ).scalar()
                out[key] = item
    return out


def test_near_duplicates_are_queued_and_decisions_hold_over_reimport(planted):
    store, police, police_keys, rows = planted
    summary = link_kind(store, "residents")
    assert summary.possible_open >= 2
    items = _match_items(store)
    assert set(items) == {"x", "y"}
    x = items["x"]
    # Side by side: the planted record and the police record it resembles, ID number masked.
    other = next(c for c in x.candidates if c["source"] != "plant")
    assert other["source"] == "police"
    assert other["entity"] == _entity_of(store, "police", police_keys[3])
    assert "*" in other["values"]["id_number"]
    assert other["values"]["address"] == police["address"][3]
    assert 0.5 <= x.probability < 0.95
    assert "possible match" in x.line()
    # Listed by weight, highest first; field conflicts are not among them.
    weights = [i.weight for i in list_reviews(store, item="match", limit=10_000)]
    assert weights == sorted(weights, reverse=True)
    assert all(i.item == "field" for i in list_reviews(store, item="field"))
    with pytest.raises(FusionError):
        decide(store, x.id, "edit", value="x")

    decide(store, x.id, "accept", by="steward", note="the same person, name mistyped")
    decide(store, items["y"].id, "reject", by="steward", note="father and son")
    px, py = (_entity_of(store, "police", police_keys[k]) for k in (3, 7))
    assert _entity_of(store, "plant", "x") == px  # linked at once
    assert _entity_of(store, "plant", "y") != py
    assert _match_items(store) == {}
    with store.engine.connect() as conn:
        logged = conn.execute(
            text("SELECT decision, decided_by, note FROM fusion_decisions WHERE field = 'match'")
        ).all()
    assert sorted(logged) == [("accept", "steward", "the same person, name mistyped"),
                              ("reject", "steward", "father and son")]  # fmt: skip

    # Re-import: x moves away (no longer even a candidate of its police record), y now has the
    # police record's birth date (it would link on its own weight) — both are placed again.
    moved = _plant_rows(police, rows, same_birth={"y"})
    moved["address"][0] = "书院门路99号1栋1单元101室"
    result = import_rows(store, get_source(store, "plant"), moved, list(rows),
                         extracted_at="2026-11-01")  # fmt: skip
    assert result.changed == 2
    summary = link_kind(store, "residents", retrain=True)
    assert summary.compared == 2
    assert _entity_of(store, "plant", "x") == _entity_of(store, "police", police_keys[3])
    assert _entity_of(store, "plant", "y") != _entity_of(store, "police", police_keys[7])
    assert _match_items(store) == {}  # a decided pair does not come back


def test_without_a_reject_the_changed_record_would_link(planted):
    """The control of the re-import above: y with the police record's birth date links."""
    store, police, police_keys, rows = planted
    import_rows(store, get_source(store, "plant"), _plant_rows(police, rows, same_birth={"y"}),
                list(rows), extracted_at="2026-11-01")  # fmt: skip
    link_kind(store, "residents")
    assert _entity_of(store, "plant", "y") == _entity_of(store, "police", police_keys[7])


def test_cli_lists_and_decides_possible_matches(planted, capsys):
    store, *_ = planted
    link_kind(store, "residents")
    url = str(store.engine.url.database)
    assert main(["fusion", "review", "list", "--store", url, "--item", "match"]) == 0
    out, err = capsys.readouterr()
    assert "possible match" in out and "possible match(es)" in err
    first = int(out.split()[0].lstrip("#"))
    assert main(["fusion", "review", "decide", str(first), "reject", "--store", url]) == 0
    assert main(["fusion", "review", "list", "--store", url, "--item", "match"]) == 0
    out, _ = capsys.readouterr()
    assert f"#{first} " not in out


def test_the_queue_is_capped_by_match_weight(planted):
    store, *_ = planted
    summary = link_kind(store, "residents", possible_cap=1)
    assert summary.possible_matches >= 2 and summary.possible_open == 1
    assert summary.possible_queued == 1
    assert len(list_reviews(store, item="match")) == 1


def test_link_constraints_on_arrays():
    """cannot_link keeps two records apart even through a third; must_link joins a pair."""
    frame = LinkFrame.from_columns(
        {"id_key": ["A", None, "A", None], "name": ["张三", "张三", "张三", "李四"]}
    )
    assert link(frame).labels.tolist() == [0, 1, 0, 2]  # 0 and 2 share an ID number
    # 1 accepted with 2, 1 rejected with 0: the ID link of 0 and 2 would join 0 and 1 through 2.
    labels = link(frame, must_link=np.array([[1, 2]]), cannot_link=np.array([[0, 1]])).labels
    assert labels[1] == labels[2] and labels[0] != labels[2]
    labels = link(frame, must_link=np.array([[1, 3]])).labels
    assert labels[1] == labels[3] != labels[0]
