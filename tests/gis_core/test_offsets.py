"""GCJ-02 / BD-09 offsets: known values, the documented round-trip accuracy, outside China."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gis_core import offsets
from gis_core.offsets import (
    ROUND_TRIP_TOLERANCE_DEG,
    bd09_to_gcj02,
    bd09_to_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

# China's extent (the property tests' domain): mainland from Xinjiang to Heilongjiang, down to Hainan.
LON = st.floats(73.5, 135.0, allow_nan=False)
LAT = st.floats(18.0, 53.5, allow_nan=False)
METRES_PER_DEG = 111_320.0


def test_forward_formulas_match_the_published_reference_values():
    # The wandergis/coordtransform README's vectors (116.404, 39.915), which eviltransform and
    # other public implementations reproduce digit for digit.
    assert wgs84_to_gcj02(116.404, 39.915) == pytest.approx(
        (116.41024449916938, 39.91640428150164), abs=1e-12
    )
    assert gcj02_to_bd09(116.404, 39.915) == pytest.approx(
        (116.41036949371029, 39.92133699351021), abs=1e-12
    )
    assert wgs84_to_bd09(116.404, 39.915) == pytest.approx(
        (116.41662724378733, 39.922699552216216), abs=1e-12
    )


def test_inverses_agree_with_the_published_one_step_values_to_their_accuracy():
    # The README's inverses are one-step approximations: ours differ from them by less than their
    # error (~1e-5° for GCJ-02, ~2e-6° for BD-09) and invert the forward formula exactly.
    assert gcj02_to_wgs84(116.404, 39.915) == pytest.approx(
        (116.39775550083061, 39.91359571849836), abs=2e-5
    )
    assert bd09_to_gcj02(116.404, 39.915) == pytest.approx(
        (116.39762729119315, 39.90865673957631), abs=3e-6
    )
    assert wgs84_to_gcj02(*gcj02_to_wgs84(116.404, 39.915)) == pytest.approx(
        (116.404, 39.915), abs=ROUND_TRIP_TOLERANCE_DEG
    )


def test_shift_is_a_few_hundred_metres_in_china_and_none_outside():
    lon, lat = (
        np.array([108.70, 121.47, 2.35]),
        np.array([34.33, 31.23, 48.86]),
    )  # Xianyang, Shanghai, Paris
    glon, glat = wgs84_to_gcj02(lon, lat)
    shift_m = np.hypot((glon - lon) * np.cos(np.radians(lat)), glat - lat) * METRES_PER_DEG
    assert np.all((shift_m[:2] > 100) & (shift_m[:2] < 1000))
    assert shift_m[2] == 0
    assert bd09_to_wgs84(2.35, 48.86) == (2.35, 48.86)


def test_vectorised_over_arrays_and_scalars_alike():
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(73.5, 135, 1000), rng.uniform(18, 53.5, 1000)
    alon, alat = wgs84_to_bd09(lon, lat)
    assert alon.shape == (1000,)
    one = wgs84_to_bd09(float(lon[17]), float(lat[17]))
    assert np.ndim(one[0]) == 0
    assert one == (alon[17], alat[17])


def test_inverse_beats_the_one_step_approximation():
    # Near Kashgar the one-step inverse is off by metres; ours by far less than the guarantee.
    lon, lat = np.linspace(73.6, 80, 200), np.linspace(36, 40, 200)
    glon, glat = wgs84_to_gcj02(lon, lat)
    one_step_lon = glon - (wgs84_to_gcj02(glon, glat)[0] - glon)
    assert np.max(np.abs(one_step_lon - lon)) > 1e-6
    wlon, wlat = gcj02_to_wgs84(glon, glat)
    assert np.max(np.abs(wlon - lon)) < ROUND_TRIP_TOLERANCE_DEG
    assert np.max(np.abs(wlat - lat)) < ROUND_TRIP_TOLERANCE_DEG


def test_worst_case_over_a_grid_of_china_is_within_the_documented_accuracy():
    lon, lat = np.meshgrid(np.linspace(73.5, 135.0, 150), np.linspace(18.0, 53.5, 120))
    lon, lat = lon.ravel(), lat.ravel()
    for forward, inverse in (
        (wgs84_to_gcj02, gcj02_to_wgs84),
        (gcj02_to_bd09, bd09_to_gcj02),
        (wgs84_to_bd09, bd09_to_wgs84),
    ):
        blon, blat = inverse(*forward(lon, lat))
        err = max(np.max(np.abs(blon - lon)), np.max(np.abs(blat - lat)))
        assert err < ROUND_TRIP_TOLERANCE_DEG, (forward.__name__, err)


@settings(max_examples=300, deadline=None)
@given(LON, LAT)
def test_gcj02_round_trip_property(lon, lat):
    wlon, wlat = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert abs(wlon - lon) < ROUND_TRIP_TOLERANCE_DEG
    assert abs(wlat - lat) < ROUND_TRIP_TOLERANCE_DEG
    # and the other way round: GCJ-02 → WGS84 → GCJ-02
    glon, glat = wgs84_to_gcj02(*gcj02_to_wgs84(lon, lat))
    assert abs(glon - lon) < ROUND_TRIP_TOLERANCE_DEG
    assert abs(glat - lat) < ROUND_TRIP_TOLERANCE_DEG


@settings(max_examples=300, deadline=None)
@given(LON, LAT)
def test_bd09_round_trip_property(lon, lat):
    glon, glat = bd09_to_gcj02(*gcj02_to_bd09(lon, lat))
    assert abs(glon - lon) < ROUND_TRIP_TOLERANCE_DEG
    assert abs(glat - lat) < ROUND_TRIP_TOLERANCE_DEG
    wlon, wlat = bd09_to_wgs84(*wgs84_to_bd09(lon, lat))
    assert abs(wlon - lon) < ROUND_TRIP_TOLERANCE_DEG
    assert abs(wlat - lat) < ROUND_TRIP_TOLERANCE_DEG


@settings(max_examples=100, deadline=None)
@given(
    st.floats(-180, 180, allow_nan=False).filter(lambda v: v < 72 or v > 138),
    st.floats(-90, 90, allow_nan=False),
)
def test_no_offset_outside_china(lon, lat):
    assert wgs84_to_bd09(lon, lat) == (lon, lat)
    assert bd09_to_wgs84(lon, lat) == (lon, lat)


def test_unknown_system_is_refused():
    with pytest.raises(ValueError, match="gcj02"):
        offsets.to_wgs84("wgs", 108.0, 34.0)
