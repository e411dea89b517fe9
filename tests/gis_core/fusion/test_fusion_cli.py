"""`zhiwang fusion …` end to end on SpatiaLite, verbose logging on: every file, printout and log
line it produces is scanned for ID numbers and mobiles in clear (the received source files, which
hold them by nature, live in another folder)."""

from __future__ import annotations

import csv
import logging
import re
from contextlib import redirect_stderr, redirect_stdout

from desktop.cli import main
from gis_core.fusion.synthetic import SOURCE_SPECS
from gis_core.store import Store

_EDGE = r"0-9A-Za-z.+/="
ID_NUMBER = re.compile(rf"(?<![{_EDGE}])\d{{17}}[\dXx](?![{_EDGE}])")
MOBILE = re.compile(rf"(?<![{_EDGE}])1[3-9]\d{{9}}(?![{_EDGE}])")


def _cli(out_dir, name, argv) -> int:
    with (
        open(out_dir / f"{name}.out", "w", encoding="utf-8") as out,
        open(out_dir / f"{name}.err", "w", encoding="utf-8") as err,
        redirect_stdout(out),
        redirect_stderr(err),
    ):
        return main(["-v", *argv])


def test_fusion_commands_and_no_personal_data_in_their_output(tmp_path, population, source_files):
    out = tmp_path / "written"
    out.mkdir()
    url = str(tmp_path / "store.sqlite")
    Store.init(url).close()
    log = logging.FileHandler(out / "zhiwang.log", encoding="utf-8")
    root = logging.getLogger()
    old = root.level
    root.addHandler(log)
    root.setLevel(logging.DEBUG)
    try:
        for code, spec in SOURCE_SPECS.items():
            argv = ["fusion", "source", "add", code, "--store", url, "--kind", spec.kind,
                    "--department", spec.department, "--key", spec.key_field,
                    "--area-code", "029"]  # fmt: skip
            argv += [a for c, f in spec.mapping.items() for a in ("--map", f"{c}={f}")]
            argv += [a for f, t in spec.trust.items() for a in ("--trust", f"{f}={t}")]
            assert _cli(out, f"add-{code}", argv) == 0
            assert _cli(out, f"import-{code}", ["fusion", "import", str(source_files[code]),
                        "--store", url, "--source", code,
                        "--extracted", str(population.extracted[code])]) == 0  # fmt: skip
        assert _cli(out, "list", ["fusion", "source", "list", "--store", url]) == 0
        assert "police\tresidents\t公安分局" in (out / "list.out").read_text(encoding="utf-8")
        assert _cli(out, "link", ["fusion", "link", "--store", url]) == 0
        assert "entities" in (out / "link.out").read_text(encoding="utf-8")
        assert _cli(out, "report", ["fusion", "report", "--store", url,
                                    "--out", str(out / "quality.csv")]) == 0  # fmt: skip
        assert _cli(out, "review", ["fusion", "review", "list", "--store", url]) == 0
        assert _cli(out, "export", ["fusion", "export", "--store", url, "--provenance",
                                    "--out", str(out / "golden.csv")]) == 0  # fmt: skip
    finally:
        root.removeHandler(log)
        root.setLevel(old)
        log.close()
    with open(out / "quality.csv", encoding="utf-8-sig") as f:
        quality = list(csv.DictReader(f))
    by_source = {r["name"]: r for r in quality if r["scope"] == "source"}
    assert set(by_source) == {"police", "street", "grid"}
    assert float(by_source["grid"]["completeness"]) < float(by_source["police"]["completeness"])
    assert int(by_source["grid"]["duplicates"]) > 0  # grid workers entered some people twice
    with open(out / "golden.csv", encoding="utf-8-sig") as f:
        golden = list(csv.DictReader(f))
    assert len(golden) > 1000
    assert all("*" in r["id_number"] for r in golden if r["id_number"])
    assert {r["name_rule"] for r in golden} <= {"agree", "trusted", "frequent", "review"}
    found = []
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8", errors="ignore")
        found += [f"{path.name}: {m}" for m in ID_NUMBER.findall(text) + MOBILE.findall(text)]
    assert found == []
