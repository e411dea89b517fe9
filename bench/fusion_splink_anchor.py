"""The anchor of bench/fusion_bench.py: the same standardised records linked by Splink on DuckDB
(the library issue 9 names), configured like ours, with its time, peak memory, precision and
recall.

Configuration, kept as close to gis_core.fusion.linkage as Splink allows:

- one table of all records, ``dedupe_only`` (ours also finds duplicates within a source);
- blocking rules for prediction: the ID number as written, its first 14, last 8, and first 10 +
  last 4 digits, name + birth date, phone, flat + surname, building + name (ours, less the cap of
  60 records per block);
- comparisons: ID number (exact / Damerau–Levenshtein 1 / else), name (exact / Levenshtein ≤ 3
  bytes — DuckDB counts UTF-8 bytes, one Chinese character is 3 — / else), birth date (Splink's
  DateOfBirthComparison), gender and phone (exact), address (same flat / building / road / else);
- training as Splink's documentation recommends: the prior from a deterministic rule (same valid
  ID number, recall 0.9), ``u`` by random sampling (10^7 pairs), ``m`` by expectation–
  maximisation in two sessions (blocked on name + birth date, then on the ID number);
- predict, then cluster with connected components at match probability 0.95 (our threshold).

It runs in a fresh process (spawn) so its peak memory is its own: the records handed over in a
parquet file, pandas, DuckDB and Splink. The figure is the kernel's peak resident set of that
process, the one ``ru_maxrss`` reports for ours — read as ``VmHWM`` from /proc/self/status,
because Linux carries a parent's ``ru_maxrss`` over fork and exec into the child.
Splink and DuckDB are the optional ``bench`` extra (``pip install -e .[bench]``), never needed by
the application or its tests.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import tempfile
import time
from collections.abc import Mapping, Sequence

import numpy as np

__all__ = ["available", "run_anchor"]


def available() -> str | None:
    """Splink's version, or None when the bench extra is not installed."""
    try:
        import duckdb  # noqa: F401
        import splink
    except ImportError:
        return None
    return splink.__version__


def run_anchor(
    columns: Mapping[str, Sequence], truth: np.ndarray, threshold: float = 0.95
) -> dict[str, float | str | int]:
    """Link the records (the bench's column dict) with Splink in a child process; returns its
    figures: ``seconds`` (and per step), ``peak_mb``, ``pairs``, ``precision``, ``recall``."""
    import pandas as pd

    with tempfile.TemporaryDirectory(prefix="zhiwang-splink-") as tmp:
        births = np.asarray(columns["birth"], np.int64)
        frame = pd.DataFrame(
            {
                "unique_id": np.arange(len(births), dtype=np.int64),
                "id_key": list(columns["id_key"]),
                "id_raw": list(columns["id_raw"]),
                "name": list(columns["name"]),
                "birth_date": [
                    None if b == 0 else f"{b // 10000:04d}-{b // 100 % 100:02d}-{b % 100:02d}"
                    for b in births.tolist()
                ],
                "gender": list(columns["gender"]),
                "phone": list(columns["phone"]),
                "address_key": list(columns["address_key"]),
                "building_key": list(columns["building_key"]),
                "road": list(columns["road"]),
            }
        )
        path = os.path.join(tmp, "records.parquet")
        frame.to_parquet(path)
        del frame
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(1) as pool:
            figures, labels = pool.apply(_link_in_child, (path, threshold))
    from gis_core.fusion.synthetic import pairs_of

    true_pairs, found = pairs_of(truth), pairs_of(labels)
    both = len(true_pairs & found)
    figures["precision"] = both / max(len(found), 1)
    figures["recall"] = both / max(len(true_pairs), 1)
    return figures


def _settings(threshold: float):
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    address = cl.CustomComparison(
        output_column_name="address",
        comparison_levels=[
            cll.NullLevel("road"),
            cll.ExactMatchLevel("address_key").configure(label_for_charts="same flat"),
            cll.ExactMatchLevel("building_key").configure(label_for_charts="same building"),
            cll.ExactMatchLevel("road").configure(label_for_charts="same road"),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.DamerauLevenshteinAtThresholds("id_raw", [1]),
            cl.LevenshteinAtThresholds("name", [3]),
            cl.DateOfBirthComparison("birth_date", input_is_string=True),
            cl.ExactMatch("gender"),
            cl.ExactMatch("phone"),
            address,
        ],
        blocking_rules_to_generate_predictions=[
            block_on("id_raw"),
            block_on("substr(id_raw, 1, 14)"),
            block_on("substr(id_raw, 11, 8)"),
            block_on("substr(id_raw, 1, 10) || substr(id_raw, 15, 4)"),
            block_on("name", "birth_date"),
            block_on("phone"),
            block_on("address_key", "substr(name, 1, 1)"),
            block_on("building_key", "name"),
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def _peak_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _link_in_child(path: str, threshold: float) -> tuple[dict, np.ndarray]:
    import logging

    import duckdb
    import pandas as pd
    import splink
    from splink import DuckDBAPI, Linker, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)
    steps: dict[str, float] = {}
    t0 = t = time.perf_counter()
    con = duckdb.connect()
    db_api = DuckDBAPI(connection=con)
    records = db_api.register(pd.read_parquet(path), dataset_display_name="records")
    linker = Linker(records, _settings(threshold), log_level=logging.WARNING)
    steps["load"] = time.perf_counter() - t
    t = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match(
        ["l.id_key = r.id_key"], recall=0.9
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("name", "birth_date")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("id_raw"))
    steps["training"] = time.perf_counter() - t
    untrained = [  # levels EM saw no match in: Splink uses its default m there
        f"{c.output_column_name}: {cl.label_for_charts}"
        for c in linker._settings_obj.comparisons
        for cl in c.comparison_levels
        if not cl._m_is_trained
    ]
    t = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    pairs = int(con.execute(f"SELECT count(*) FROM {predictions.physical_name}").fetchall()[0][0])
    steps["predict"] = time.perf_counter() - t
    t = time.perf_counter()
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    rows = con.execute(
        f"SELECT unique_id, cluster_id FROM {clusters.physical_name} ORDER BY unique_id"
    ).fetchnumpy()
    steps["clustering"] = time.perf_counter() - t
    _, labels = np.unique(rows["cluster_id"], return_inverse=True)
    figures = {
        "version": splink.__version__,
        "duckdb": duckdb.__version__,
        "seconds": time.perf_counter() - t0,
        "steps": steps,
        "pairs_over_0.5": pairs,
        "peak_mb": _peak_mb(),
        "untrained_m": untrained,
    }
    return figures, labels.astype(np.int64)
