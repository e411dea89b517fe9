"""Households (户) as a fusion kind: the household register and the street office's ledger of the
same generated households, linked on the head's ID number, on the household number within the
same flat, and by Fellegi–Sunter on address and head's name — precision and recall against the
known truth; a re-import changes nothing; no head's ID number or phone in clear in the store."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from sqlalchemy import text

from desktop.cli import main
from gis_core.fusion.entities import decrypt_golden, link_kind
from gis_core.fusion.export import export_golden
from gis_core.fusion.sources import import_source, register_source
from gis_core.fusion.synthetic import HOUSEHOLD_SPECS, generate_households, pairs_of
from gis_core.security.keys import store_key
from gis_core.store import Store
from tests.gis_core.fusion.test_fusion_store import ID_NUMBER, MOBILE, lite_path

PRECISION_BAR, RECALL_BAR = 0.98, 0.95


@pytest.fixture(scope="module")
def households():
    return generate_households(800, seed=5)


@pytest.fixture
def lite(tmp_path):
    s = Store.init(str(tmp_path / "fusion.sqlite"))
    yield s
    s.close()


@pytest.fixture
def files(households, tmp_path):
    folder = tmp_path / "received"
    folder.mkdir()
    paths = {}
    for code, (header, rows) in households.sources.items():
        paths[code] = folder / f"{code}.csv"
        with open(paths[code], "w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([header, *rows])
    return paths


def _import(store, pop, files):
    return {
        code: import_source(store, code, files[code], pop.extracted[code])
        for code in ("hukou", "street_hh")
    }


def _entities(store) -> dict[tuple[str, str], int]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT s.code, r.source_key, r.entity_id FROM fusion_records r "
                "JOIN fusion_sources s ON s.id = r.source_id WHERE r.kind = 'households'"
            )
        ).all()
    return {(a, b): e for a, b, e in rows}


def _precision_recall(pop, entities) -> tuple[float, float]:
    truth_of = {}
    for code, (_header, rows) in pop.sources.items():
        for row, hh in zip(rows, pop.truth[code].tolist()):
            truth_of[(code, row[0])] = hh
    keys = sorted(entities)
    t = pairs_of(np.array([truth_of[k] for k in keys]))
    f = pairs_of(np.array([entities[k] for k in keys]))
    both = len(t & f)
    return both / len(f), both / len(t)


def test_household_rows_are_standardised_with_findings():
    from gis_core.fusion.standardise import standardise

    std = standardise(
        "households",
        {"household_code": ["ｈ 0012", "H0013"], "head_name": ["张 三", "李四"],
         "head_id_number": ["11010519491231002x", "110105194912310021"],
         "members": ["3", "45"], "phone": ["+86 13812345678", ""],
         "address": ["书院门路12号3-2-501", "书院门路12号3栋2单元502室"]},
        "street_hh",
    )  # fmt: skip
    c = std.columns
    assert c["household_code"] == ["H0012", "H0013"]
    assert c["head_name"] == ["张三", "李四"]
    assert c["id_key"] == ["11010519491231002X", None]  # the second fails the check digit
    assert c["members"] == [3, None] and c["phone"] == ["13812345678", None]
    assert (
        c["address_key"][0] != c["address_key"][1] and c["building_key"][0] == c["building_key"][1]
    )
    found = {(f.row, f.field) for f in std.findings}
    assert {(2, "head_id_number"), (2, "members")} <= found
    assert not any(f.row == 1 for f in std.findings)


def test_two_household_sources_link_to_the_known_households(lite, households, files, tmp_path):
    for spec in HOUSEHOLD_SPECS.values():
        register_source(lite, spec)
    results = _import(lite, households, files)
    assert results["street_hh"].rows == len(households.sources["street_hh"][1])
    summary = link_kind(lite, "households")
    precision, recall = _precision_recall(households, _entities(lite))
    print(f"\nhouseholds: {summary.summary()}\nprecision {precision:.4f}, recall {recall:.4f}")
    assert precision >= PRECISION_BAR and recall >= RECALL_BAR
    # All three ways of linking were used: the head's ID number, the household number in the
    # same flat (ledger rows without a head's ID), and the model (neither).
    assert {"id", "household", "fs"} <= set(summary.by_rule)
    # Golden records: the head's ID number encrypted at rest, in clear only when decrypted;
    # the member count from the more recent ledger.
    with lite.engine.connect() as conn:
        golden, prov = conn.execute(
            text(
                "SELECT golden, provenance FROM fusion_entities WHERE kind = 'households' "
                "AND sources = 2 ORDER BY id LIMIT 1"
            )
        ).one()
    golden = json.loads(golden) if isinstance(golden, str) else golden
    prov = json.loads(prov) if isinstance(prov, str) else prov
    assert golden["head_id_number"].startswith("zw1:")
    clear = decrypt_golden(store_key(lite), golden)
    assert clear["head_id_number"] in households.people["head_id_number"]
    assert prov["members"]["rule"] in ("agree", "recent")
    # Masked export: the head's name and ID number masked.
    out = tmp_path / "households.csv"
    assert export_golden(lite, "households", out, provenance=True) == summary.entities
    with open(out, encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert all("*" in r["head_id_number"] for r in rows if r["head_id_number"])
    rules = {r["household_code_rule"] for r in rows}
    assert rules <= {"agree", "trusted", "recent", "review", ""}  # "": no source gave one


def test_households_reimport_changes_nothing_and_nothing_personal_in_clear(
    lite, households, files, tmp_path
):
    for spec in HOUSEHOLD_SPECS.values():
        register_source(lite, spec)
    _import(lite, households, files)
    link_kind(lite, "households")
    before = _entities(lite)
    with lite.engine.connect() as conn:
        golden_before = conn.execute(text("SELECT id, provenance FROM fusion_entities")).all()
    again = _import(lite, households, files)
    assert all(r.added == r.changed == r.removed == 0 for r in again.values())
    summary = link_kind(lite, "households")
    assert (summary.compared, summary.new_entities, summary.merged) == (0, 0, 0)
    assert _entities(lite) == before
    with lite.engine.connect() as conn:
        assert (
            conn.execute(text("SELECT id, provenance FROM fusion_entities")).all() == golden_before
        )
    url = str(lite_path(lite))
    lite.close()
    # The CLI takes --kind households (link again: nothing to place) and reports on them.
    assert main(["fusion", "link", "--store", url, "--kind", "households"]) == 0
    assert main(["fusion", "report", "--store", url, "--kind", "households"]) == 0
    data = b"".join(
        p.read_bytes()
        for p in lite_path(lite).parent.iterdir()
        if p.name.startswith("fusion.sqlite")
    )
    assert ID_NUMBER.findall(data) == [] and MOBILE.findall(data) == []
    assert b"zw1:" in data
