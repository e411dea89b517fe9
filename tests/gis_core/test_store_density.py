"""Store.density: features per cell of a raster over a bbox, counted without fetching them."""

import numpy as np
import pytest
import shapely

X0, Y0 = 500_000.0, 3_800_000.0


def _boxes(centres: np.ndarray, half: float = 0.4) -> np.ndarray:
    x, y = centres.T
    return shapely.box(x - half, y - half, x + half, y + half)


def test_density_counts_feature_centres_per_cell(store):
    rng = np.random.default_rng(3)
    centres = np.column_stack([X0 + rng.uniform(-20, 120, 3000), Y0 + rng.uniform(-20, 120, 3000)])
    store.bulk_insert("buildings", {"use": ["residential"] * len(centres)}, _boxes(centres))
    grid = store.density("buildings", (X0, Y0, X0 + 100, Y0 + 100), (10, 20))
    inside = (centres >= [X0, Y0]).all(1) & (centres < [X0 + 100, Y0 + 100]).all(1)
    expected, _, _ = np.histogram2d(
        centres[inside, 1],
        centres[inside, 0],
        bins=(10, 20),
        range=((Y0, Y0 + 100), (X0, X0 + 100)),
    )
    assert grid.shape == (10, 20)
    # Row 0 is the south. SpatiaLite's index keeps float32 boxes (0.25 m steps at y = 3.8e6),
    # so a centre near a cell edge may land in the neighbouring cell.
    assert grid.sum() == pytest.approx(inside.sum(), abs=15)
    assert np.abs(grid - expected).sum() <= 0.05 * inside.sum()
    assert np.corrcoef(grid.ravel(), expected.ravel())[0, 1] > 0.97


def test_density_of_an_empty_area_is_zero(store):
    store.bulk_insert("buildings", {"use": ["public"]}, _boxes(np.array([[X0, Y0]])))
    assert store.density("buildings", (X0 + 500, Y0 + 500, X0 + 600, Y0 + 600), (4, 4)).sum() == 0


def test_spatialite_index_reader_agrees_with_sql(tmp_path):
    from gis_core.store import Store

    rng = np.random.default_rng(5)
    with Store.init(tmp_path / "d.sqlite") as s:
        centres = np.column_stack(
            [X0 + rng.uniform(0, 5000, 20000), Y0 + rng.uniform(0, 3000, 20000)]
        )
        s.bulk_insert("buildings", {"use": ["residential"] * len(centres)}, _boxes(centres, 5))
        bbox = (X0 - 100, Y0 - 100, X0 + 5100, Y0 + 3100)
        fast = s.density("buildings", bbox, (60, 100))
        s._rtree_centres = lambda *a: None  # force the SQL GROUP BY path
        slow = s.density("buildings", bbox, (60, 100))
    assert fast.sum() == 20000
    assert np.array_equal(fast, slow)
