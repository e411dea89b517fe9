"""Coordinate reference systems: the working CRS of a store and transforms into and out of it."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from pyproj import CRS, Transformer

__all__ = [
    "DEFAULT_WORKING_CRS",
    "CRSError",
    "parse_crs",
    "working_crs",
    "gk_zone_for_longitude",
    "transformer",
    "transform_geometries",
]

# CGCS2000 / 3-degree Gauss-Kruger CM 108E: the zone of the demo community (Xianyang, Shaanxi).
DEFAULT_WORKING_CRS = "EPSG:4545"


class CRSError(ValueError):
    """A CRS that cannot be used where it was given."""


@lru_cache(maxsize=64)
def parse_crs(text: str | int) -> CRS:
    """Parse ``EPSG:XXXX``, a bare EPSG number, WKT or PROJ text into a pyproj CRS."""
    try:
        return CRS.from_user_input(int(text) if str(text).isdigit() else text)
    except Exception as exc:  # pyproj raises CRSError subclasses and others
        raise CRSError(f"unknown coordinate reference system {text!r}: {exc}") from exc


def working_crs(text: str | int) -> CRS:
    """A CRS valid as a store's working CRS: projected, in metres, with an EPSG code."""
    crs = parse_crs(text)
    if not crs.is_projected:
        raise CRSError(
            f"{text} is not a projected CRS; the working CRS must be projected in metres "
            f"(e.g. a CGCS2000 3-degree Gauss-Kruger zone, EPSG:4534–4554)"
        )
    units = {axis.unit_name for axis in crs.axis_info}
    if units != {"metre"}:
        raise CRSError(
            f"{text} measures in {', '.join(sorted(units))}; the working CRS must use metres"
        )
    if crs.to_epsg() is None:
        raise CRSError(f"{text} has no EPSG code; give the working CRS as EPSG:XXXX")
    return crs


def gk_zone_for_longitude(lon: float) -> str:
    """The CGCS2000 3-degree Gauss-Kruger zone (EPSG:4534–4554, no zone prefix) for a longitude."""
    central = 3 * round(lon / 3)
    if not 75 <= central <= 135:
        raise CRSError(f"longitude {lon} is outside China's 3-degree zones (75°E–135°E)")
    return f"EPSG:{4534 + (central - 75) // 3}"


@lru_cache(maxsize=64)
def transformer(src: str | int, dst: str | int) -> Transformer:
    """A cached, always-x/y (lon/lat, easting/northing) transformer."""
    return Transformer.from_crs(parse_crs(src), parse_crs(dst), always_xy=True)


def transform_geometries(geoms: np.ndarray, src: str | int, dst: str | int) -> np.ndarray:
    """Transform an array of shapely geometries between CRSs, vectorised over all coordinates."""
    if parse_crs(src) == parse_crs(dst):
        return geoms
    t = transformer(src, dst)

    def _xy(coords: np.ndarray) -> np.ndarray:
        x, y = t.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, _xy)
