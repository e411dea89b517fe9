"""Run every exporter and the commands that print or log, then scan every file they wrote (and
the log) for an ID number (\\d{17}[\\dXx]) or a mobile number (1[3-9]\\d{9}) in clear."""

from __future__ import annotations

import json
import logging
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from desktop.cli import main
from gis_core import schema
from gis_core.exporter import export_kind
from gis_core.security import audit, personal
from gis_core.security.roles import PermissionDenied
from tests.gis_core.security.conftest import PASSWORDS, PEOPLE

# A number standing on its own: not part of a longer number, a decimal fraction (coordinates),
# a hex digest (the audit chain) or base64 — delimited the way a CSV, JSON or log shows it.
_EDGE = r"0-9A-Za-z.+/="
ID_NUMBER = re.compile(rf"(?<![{_EDGE}])\d{{17}}[\dXx](?![{_EDGE}])")
MOBILE = re.compile(rf"(?<![{_EDGE}])1[3-9]\d{{9}}(?![{_EDGE}])")


def _formats(kind: str) -> list[str]:
    return [".gpkg", ".geojson"] if kind in schema.GEOMETRY_TYPES else [".csv"]


def _scan(root: Path) -> list[str]:
    found = []
    secrets = [p[2] for p in PEOPLE] + [p[3] for p in PEOPLE]
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for encoding in ("utf-8", "utf-16-le", "latin-1"):
            text_ = data.decode(encoding, errors="ignore")
            found += [f"{path.name}: {s} in clear" for s in secrets if s in text_]
            found += [f"{path.name}: ID number {m}" for m in ID_NUMBER.findall(text_)]
            found += [f"{path.name}: mobile {m}" for m in MOBILE.findall(text_)]
    return sorted(set(found))


def _cli(out_dir: Path, name: str, argv: list[str]) -> int:
    with (
        open(out_dir / f"{name}.out", "w", encoding="utf-8") as out,
        open(out_dir / f"{name}.err", "w", encoding="utf-8") as err,
        redirect_stdout(out),
        redirect_stderr(err),
    ):
        return main(argv)


def test_no_export_or_log_holds_an_id_number_or_phone_in_clear(
    world, session, tmp_path, monkeypatch
):
    out = tmp_path / "written"
    out.mkdir()
    log = logging.FileHandler(out / "zhiwang.log", encoding="utf-8")
    log.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(log)
    root.setLevel(logging.DEBUG)
    try:
        operator = session("operator")
        written = 0
        for kind in schema.KINDS:
            for suffix in _formats(kind):
                export_kind(operator, kind, out / f"{kind}{suffix}")
                written += 1
        # The command line, masked, without and with a login; verbose logging on.
        cli_out = out / "cli"
        cli_out.mkdir()
        store = ["--store", world.app_url]
        assert _cli(cli_out, "export", ["-v", "export", *store, "--as", "residents",
                                       "--out", str(out / "cli-residents.csv")]) == 0  # fmt: skip
        monkeypatch.setenv("ZHIWANG_PASSWORD", PASSWORDS["admin"])
        for name, argv in {
            "audit-show": ["audit", "show", *store, "--last", "200", "--user", "admin"],
            "user-list": ["user", "list", *store, "--user", "admin"],
            "key-status": ["key", "status", *store],
            "audit-verify": ["audit", "verify", *store],
        }.items():
            assert _cli(cli_out, name, ["-v", *argv]) == 0, name
        # Refusals and failures leave their messages in the log too.
        monkeypatch.setenv("ZHIWANG_PASSWORD", "wrong")
        assert _cli(cli_out, "bad-login", ["-v", "export", *store, "--as", "residents",
                                          "--out", str(out / "x.csv"), "--unmasked",
                                          "--user", "admin"]) == 2  # fmt: skip
        with pytest.raises(PermissionDenied) as err:
            personal.reveal(session("planner"), [1, 2, 3])
        logging.getLogger("zhiwang.test").warning("refused: %s", err.value)
        # Unmasking does happen (and is logged) — the values go to the screen, not to files.
        assert personal.reveal(operator, [1])[1]["id_number"] == PEOPLE[0][2]
        entries = [e.__dict__ for e in audit.entries(operator)]
        (out / "audit.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    finally:
        root.removeHandler(log)
        root.setLevel(old_level)
        log.close()
    assert written == sum(len(_formats(k)) for k in schema.KINDS)
    assert "6104**********1234" in (out / "residents.csv").read_text(encoding="utf-8-sig")
    assert any(e["action"] == "unmask" for e in entries)
    assert _scan(tmp_path) == []
