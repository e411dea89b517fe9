"""Fusion fixtures: a generated three-source population written as the departments would send it
(CSV, GB18030 CSV and Excel), and a helper that imports and links it."""

from __future__ import annotations

import csv

import pytest

from gis_core.fusion.synthetic import SOURCE_SPECS, generate_population


def write_sources(pop, folder) -> dict[str, object]:
    """police.csv (UTF-8), street.csv (GB18030), grid.xlsx — clear personal data, as received."""
    import openpyxl

    paths = {}
    for code, (header, rows) in pop.sources.items():
        if code == "grid":
            path = folder / "grid.xlsx"
            book = openpyxl.Workbook()
            sheet = book.active
            sheet.append(header)
            for row in rows:
                sheet.append(row)
            book.save(path)
        else:
            path = folder / f"{code}.csv"
            encoding = "gb18030" if code == "street" else "utf-8"
            with open(path, "w", encoding=encoding, newline="") as f:
                w = csv.writer(f)
                w.writerow(header)
                w.writerows(rows)
        paths[code] = path
    return paths


@pytest.fixture(scope="module")
def population():
    return generate_population(1500, seed=11)


@pytest.fixture
def source_files(population, tmp_path):
    folder = tmp_path / "received"  # clear personal data, as the departments send it
    folder.mkdir()
    return write_sources(population, folder)


def register_all(store) -> None:
    from gis_core.fusion.sources import register_source

    for spec in SOURCE_SPECS.values():
        register_source(store, spec)
