"""The linkage engine on arrays: enterprises by credit code and name, buildings by address, and
the rule that two different valid identifiers never end up in one entity."""

from __future__ import annotations

from gis_core.fusion.linkage import LinkFrame, link
from gis_core.fusion.standardise import standardise


def _frame(kind, columns):
    s = standardise(kind, columns, "test").columns
    raw = s.get("credit_code_raw") or s.get("id_number_raw")
    return LinkFrame.from_columns(
        {
            "id_key": s["id_key"],
            "id_raw": raw if raw is not None else [None] * len(s["id_key"]),
            "name": s["name"],
            "phone": s.get("phone"),
            "address_key": s["address_key"],
            "building_key": s["building_key"],
            "road": s["road"],
        }
    )


def test_enterprises_link_on_credit_code_and_name():
    frame = _frame(
        "enterprises",
        {
            "name": ["西安某某科技有限公司", "西安某某科技有限公司 ", "西安另一家公司"],
            "credit_code": ["91350100M000100Y43", "", "91350100M000100Y44"],
            "address": ["东大街5号", "东大街5号", "南大街1号"],
        },
    )
    assert link(frame, "enterprises").labels.tolist() == [0, 0, 1]


def test_buildings_link_on_their_address():
    frame = _frame(
        "buildings",
        {"address": ["东大街5号1栋", "东大街5号一栋", "南大街1号"], "name": ["甲", "甲", "乙"]},
    )
    assert link(frame, "buildings").labels.tolist() == [0, 0, 1]


def test_different_valid_id_numbers_are_never_one_person():
    # Twins: same name written, same flat, same phone — but two valid ID numbers.
    frame = LinkFrame.from_columns(
        {
            "id_key": ["k1", "k2", None],
            "id_raw": ["110105194912310021", "11010519491231002X", None],
            "name": ["张伟", "张伟", "张伟"],
            "birth": [19491231, 19491231, 19491231],
            "phone": ["13800000001"] * 3,
            "address_key": ["书院门路|12|3|2|501"] * 3,
            "building_key": ["书院门路|12|3"] * 3,
            "road": ["书院门路"] * 3,
        }
    )
    labels = link(frame, "residents").labels.tolist()
    assert labels[0] != labels[1]
