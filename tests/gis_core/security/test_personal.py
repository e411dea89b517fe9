"""Personal data: encrypted at rest, masked whenever read, unmasked only for roles that may —
and every unmasking is in the audit log."""

from __future__ import annotations

import os
import re
from pathlib import Path

import psycopg
import pytest

from desktop.cli import main
from gis_core.security import audit, keys, personal
from gis_core.security.roles import PermissionDenied
from gis_core.store import Store
from tests.gis_core.security.conftest import PASSWORDS, PEOPLE

IDS = [p[2] for p in PEOPLE]
PHONES = [p[3] for p in PEOPLE]


def _secrets() -> list[bytes]:
    out = []
    for v in IDS + PHONES:
        out += [v.encode(), v.encode("utf-16-le")]
    return out


def test_the_database_holds_no_id_number_or_phone_in_clear(world):
    if world.backend == "spatialite":
        with Store.open(world.owner_url) as store, store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # fold the WAL in first
        paths = (world.owner_url, world.owner_url + "-wal")
        raw = b"".join(Path(p).read_bytes() for p in paths if os.path.exists(p))
        assert raw.startswith(b"SQLite format 3")
    else:
        with psycopg.connect(world.owner_url, autocommit=True) as conn:
            conn.execute("SET zhiwang.cells = '*'")  # the owner, seeing every row
            rows = conn.execute("SELECT r::text FROM residents r").fetchall()
            assert len(rows) == len(PEOPLE)
            with conn.cursor().copy("COPY residents TO STDOUT") as copy:
                dumped = b"".join(bytes(chunk) for chunk in copy)
        raw = "\n".join(r[0] for r in rows).encode() + dumped
        assert raw.count(b"zw1:") >= 2 * len(PEOPLE)
    for secret in _secrets():
        assert secret not in raw, secret
    assert "张三丰".encode() in raw  # names are stored (masked when read), IDs and phones not


def test_every_store_read_masks_names_id_numbers_and_phones(world, session):
    operator = session("operator")
    frame = operator.page("residents", ["name", "id_number", "phone", "id_number_bidx"])
    got = dict(
        zip(frame.ids.tolist(), zip(*(frame.columns[c] for c in ("name", "id_number", "phone"))))
    )
    assert got[1] == ("张*丰", "6104**********1234", "138****5678")
    assert got[2] == ("李*", "6104**********345X", "139****4321")
    every = operator.query_all("residents", ["id_number", "phone"])
    assert all(re.fullmatch(r"6104\*{10}\d{3}[\dX]", v) for v in every.columns["id_number"])
    assert all(re.fullmatch(r"1\d\d\*{4}\d{4}", v) for v in every.columns["phone"])
    assert all(re.fullmatch(r"[0-9a-f]{32}", v) for v in frame.columns["id_number_bidx"])


def test_unmasking_needs_the_right_role_and_is_logged(world, session):
    worker, planner = session("worker1"), session("planner")
    seen = personal.reveal(worker, [1, 3], reason="上门走访")
    assert seen == {1: {"name": "张三丰", "id_number": IDS[0], "phone": PHONES[0]}}  # 3: not mine
    last = audit.entries(worker, newest_first=True, limit=1)[0]
    assert (last.username, last.action, last.object, last.count) == (
        "worker1",
        "unmask",
        "residents",
        1,
    )
    assert last.detail == {
        "ids": [1],
        "fields": ["name", "id_number", "phone"],
        "reason": "上门走访",
    }
    assert IDS[0] not in repr(last) and PHONES[0] not in repr(last)

    with pytest.raises(PermissionDenied, match="planner .*may not see personal data unmasked"):
        personal.reveal(planner, [1])
    denied = audit.entries(planner, newest_first=True, limit=1)[0]
    assert (denied.username, denied.action, denied.detail) == (
        "planner",
        "denied",
        {"action": "view_personal_unmasked"},
    )
    with Store.open(world.app_url) as anonymous, pytest.raises(PermissionDenied, match="log in"):
        personal.reveal(anonymous, [1])


def test_exact_lookup_by_id_number_uses_the_blind_index(world, session):
    worker, worker2 = session("worker1"), session("worker2")
    assert personal.find_by_id_number(worker, "61040219850202345x ") == [2]  # x, spaces: same ID
    assert personal.find_by_id_number(worker2, IDS[1]) == []  # another cell's resident
    assert personal.find_by_id_number(worker, "610402199901019999") == []
    with pytest.raises(PermissionDenied):
        personal.find_by_id_number(session("viewer"), IDS[2])


def test_a_bulk_export_in_clear_needs_export_personal_and_is_recorded(world, session, tmp_path):
    from gis_core.exporter import export_kind

    operator, admin = session("operator"), session("admin")
    masked = export_kind(operator, "residents", tmp_path / "masked.csv")
    text_ = (tmp_path / "masked.csv").read_text(encoding="utf-8-sig")
    assert "6104**********1234" in text_ and IDS[0] not in text_ and "id_number_bidx" not in text_
    assert masked.masked == ["name", "id_number", "phone"]
    with pytest.raises(PermissionDenied, match="export personal data unmasked"):
        export_kind(operator, "residents", tmp_path / "clear.csv", mask_personal=False)
    assert not (tmp_path / "clear.csv").exists()

    export_kind(admin, "residents", tmp_path / "clear.csv", mask_personal=False)
    assert IDS[0] in (tmp_path / "clear.csv").read_text(encoding="utf-8-sig")
    entry = audit.entries(admin, newest_first=True, limit=1)[0]
    assert (entry.username, entry.action, entry.object, entry.count) == (
        "admin",
        "export_personal",
        "residents",
        len(PEOPLE),
    )
    assert entry.detail == {
        "file": "clear.csv",
        "format": "CSV",
        "unmasked": ["name", "id_number", "phone"],
    }
    exports = [e for e in audit.entries(admin) if e.action == "export" and e.username == "operator"]
    assert exports and exports[-1].detail["masked"] == ["name", "id_number", "phone"]
    with pytest.raises(PermissionDenied, match="worker1 .*may not export data"):
        export_kind(session("worker1"), "buildings", tmp_path / "b.gpkg")  # not even masked


def test_the_export_command_asks_for_a_login_and_the_permission(
    world, tmp_path, monkeypatch, capsys
):
    out = tmp_path / "people.csv"
    base = [
        "export",
        "--store",
        world.app_url,
        "--as",
        "residents",
        "--out",
        str(out),
        "--unmasked",
    ]
    assert main(base) == 2
    assert "log in" in capsys.readouterr().err
    monkeypatch.setenv("ZHIWANG_PASSWORD", PASSWORDS["planner"])
    assert main([*base, "--user", "planner"]) == 2
    assert "may not export personal data unmasked" in capsys.readouterr().err
    monkeypatch.setenv("ZHIWANG_PASSWORD", PASSWORDS["admin"])
    assert main([*base, "--user", "admin"]) == 0
    assert IDS[0] in out.read_text(encoding="utf-8-sig")
    monkeypatch.setenv("ZHIWANG_PASSWORD", "wrong password")
    assert main([*base, "--user", "admin"]) == 2
    assert "wrong user name or password" in capsys.readouterr().err


def test_the_importer_still_finds_id_numbers_already_in_the_store(world, tmp_path):
    from gis_core.importer import ImportFailed, import_file

    path = tmp_path / "people.csv"
    path.write_text(
        f"name,id_number,phone,building_id\n新人,{IDS[0]},13800001111,1\n", encoding="utf-8"
    )
    with (
        Store.open(world.owner_url) as owner,
        pytest.raises(ImportFailed, match="already in the store"),
    ):
        import_file(owner, path, "residents")


# ----------------------------------------------------------------------------- keys
@pytest.mark.parametrize("world", ["spatialite"], indirect=True)  # keys do not depend on it
def test_key_files_others_can_read_are_refused_and_a_wrong_key_is_named(
    world, tmp_path, monkeypatch
):
    key = keys.generate_key()
    path = keys.write_key_file(tmp_path / "k.key", key)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert keys.read_key_file(path).key_id == key.key_id
    path.chmod(0o644)
    with pytest.raises(keys.KeyUnavailable, match="chmod 600"):
        keys.read_key_file(path)
    path.chmod(0o600)

    monkeypatch.setenv("ZHIWANG_KEY_FILE", str(path))  # another key than the store's
    with Store.open(world.owner_url) as store:
        with pytest.raises(keys.WrongKey, match=f"holds key {key.key_id}"):
            keys.store_key(store)
        # Without its key the store still reads, fully masked: the length is all it shows.
        shown = store.page("residents", ["id_number", "phone"]).columns
        assert shown["id_number"][0] == "*" * 18 and shown["phone"][0] == "*" * 11
        admin = store.as_user(_user(store, "admin"))
        with pytest.raises(keys.WrongKey):
            personal.reveal(admin, [1])
        admin.close()
    # The key is never in the database: only its id is.
    monkeypatch.undo()
    with Store.open(world.owner_url) as store:
        real = keys.store_key(store)
        assert store.meta(keys.META_KEY_ID) == real.key_id
        with store.engine.connect() as conn:
            meta = " ".join(
                str(v) for row in conn.exec_driver_sql("SELECT * FROM store_meta") for v in row
            )
        import base64

        assert base64.b64encode(real.secret).decode() not in meta


def _user(store, name):
    from gis_core.security.accounts import authenticate

    return authenticate(store, name, PASSWORDS[name])


def test_clear_values_from_before_encryption_are_encrypted_by_key_init(store, tmp_path):
    from sqlalchemy import text

    with store.begin() as conn:  # as an older version of the program wrote them
        conn.execute(
            text("INSERT INTO residents (id, name, id_number, phone) VALUES (1, '甲', :i, :p)"),
            {"i": IDS[0], "p": PHONES[0]},
        )
    assert store.page("residents", ["id_number"]).columns["id_number"][0] == "6104**********1234"
    url = store.engine.url.render_as_string(hide_password=False)
    assert main(["key", "init", "--store", url]) == 0
    with store.engine.connect() as conn:
        stored = conn.exec_driver_sql(
            "SELECT id_number, phone, id_number_bidx FROM residents"
        ).one()
    assert stored[0].startswith("zw1:") and stored[1].startswith("zw1:") and stored[2]
    assert personal.reveal(store, [1])[1]["id_number"] == IDS[0]
    assert main(["key", "status", "--store", url]) == 0


def test_the_blind_index_is_hmac_sha256_of_the_normalised_id_number():
    import hmac

    key = keys.generate_key()
    got = key.blind_many([" 61040219850202345x", None])
    want = hmac.new(key._blind, b"61040219850202345X", "sha256").hexdigest()[:32]
    assert got == [want, None]
