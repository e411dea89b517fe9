"""The inputs of an analysis as arrays: buildings, residents, facilities, cells, streets, cameras.

:func:`load_data` snapshots what an analysis needs from a store (so the analysis can run in a
worker thread while the store changes); tests and benchmarks build :class:`AnalysisData` directly.
Demand groups (elderly, children of kindergarten or primary-school age) are derived from the
residents' birth dates on a reference date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import numpy as np
import shapely

from gis_core.analysis.feedback import AnalysisError

__all__ = [
    "DEMAND_GROUPS",
    "SERVICE_DEMAND",
    "AnalysisData",
    "Buildings",
    "Residents",
    "Facilities",
    "GridCells",
    "Cameras",
    "ages_on",
    "demand_group_for",
    "load_data",
]

# Age bands are half-open [lo, hi): a child of exactly 6 counts for primary school, not kindergarten.
DEMAND_GROUPS: dict[str, tuple[float, float]] = {
    "all": (0.0, np.inf),
    "elderly": (60.0, np.inf),
    "children_3_6": (3.0, 6.0),
    "children_6_12": (6.0, 12.0),
}

# Which residents a facility kind serves; kinds not listed serve everyone.
SERVICE_DEMAND: dict[str, str] = {
    "elderly_care": "elderly",
    "kindergarten": "children_3_6",
    "school": "children_6_12",
}


def demand_group_for(service: str, group: str | None = None) -> str:
    """The demand group of a service kind (or the explicitly chosen one, validated)."""
    if group is None:
        return SERVICE_DEMAND.get(service, "all")
    if group not in DEMAND_GROUPS:
        raise AnalysisError(
            f"unknown demand group {group!r}; choose one of {', '.join(DEMAND_GROUPS)}"
        )
    return group


@dataclass(frozen=True)
class Buildings:
    """Building footprints (working CRS), their grid cell (-1 when none) and use."""

    ids: np.ndarray
    footprints: np.ndarray
    cell_ids: np.ndarray
    use: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def xy(self) -> np.ndarray:
        """Access points: footprint centroids, shape (n, 2)."""
        cached = self.__dict__.get("_xy")
        if cached is None:
            cached = shapely.get_coordinates(shapely.centroid(self.footprints))
            object.__setattr__(self, "_xy", cached)
        return cached


@dataclass(frozen=True)
class Residents:
    """Residents as the index of their building in :class:`Buildings` and their age in years."""

    building_index: np.ndarray
    age: np.ndarray

    def __len__(self) -> int:
        return len(self.building_index)


@dataclass(frozen=True)
class Facilities:
    """Public-service facilities: id, kind, capacity (supply) and position."""

    ids: np.ndarray
    kinds: np.ndarray
    capacity: np.ndarray
    xy: np.ndarray
    cell_ids: np.ndarray | None = None
    names: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def of_kind(self, kind: str) -> Facilities:
        keep = self.kinds == kind
        return Facilities(
            self.ids[keep],
            self.kinds[keep],
            self.capacity[keep],
            self.xy[keep],
            None if self.cell_ids is None else self.cell_ids[keep],
            None if self.names is None else self.names[keep],
        )


@dataclass(frozen=True)
class GridCells:
    ids: np.ndarray
    codes: np.ndarray
    geometry: np.ndarray
    versions: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def index_of(self, cell_ids: np.ndarray) -> np.ndarray:
        """Position of each cell id in this table, -1 for unknown ids (or -1)."""
        if len(self.ids) == 0:
            return np.full(len(cell_ids), -1, dtype=np.int64)
        order = np.argsort(self.ids)
        pos = np.searchsorted(self.ids[order], cell_ids)
        pos = np.clip(pos, 0, len(self.ids) - 1)
        found = self.ids[order][pos] == cell_ids
        return np.where(found, order[pos], -1)


@dataclass(frozen=True)
class Cameras:
    """Cameras: heading in degrees clockwise from north, field of view and range."""

    ids: np.ndarray
    xy: np.ndarray
    heading_deg: np.ndarray
    fov_deg: np.ndarray
    range_m: np.ndarray
    codes: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class AnalysisData:
    """A snapshot of everything an analysis may read; absent layers are ``None``."""

    buildings: Buildings | None = None
    residents: Residents | None = None
    facilities: Facilities | None = None
    cells: GridCells | None = None
    streets: np.ndarray | None = None
    cameras: Cameras | None = None
    community: shapely.Geometry | None = None
    srid: int | None = None
    reference_date: dt.date | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def with_facilities(self, facilities: Facilities) -> AnalysisData:
        return replace(self, facilities=facilities)

    def input_versions(self) -> dict:
        """What the analysis read, recorded with a stored run: counts and grid-cell versions."""
        out: dict = dict(self.counts)
        for name in ("buildings", "residents", "facilities", "cameras"):
            layer = getattr(self, name)
            if layer is not None:
                out[name] = len(layer)
        if self.cells is not None:
            out["grid_cells"] = len(self.cells)
            if self.cells.versions is not None and len(self.cells.versions):
                out["grid_cells_version_sum"] = int(np.sum(self.cells.versions))
        if self.streets is not None:
            out["streets"] = len(self.streets)
        if self.reference_date is not None:
            out["reference_date"] = self.reference_date.isoformat()
        return out

    def demand(self, group: str) -> np.ndarray:
        """Residents of ``group`` per building (float), from the residents' ages."""
        if self.buildings is None:
            raise AnalysisError("the store has no buildings; import or generate buildings first")
        if self.residents is None or len(self.residents) == 0:
            raise AnalysisError(
                "the store has no residents, so there is no demand to measure; "
                "import residents (with their building) first"
            )
        lo, hi = DEMAND_GROUPS[group]
        r = self.residents
        keep = r.building_index >= 0
        if group != "all":
            keep &= (r.age >= lo) & (r.age < hi)
        return np.bincount(r.building_index[keep], minlength=len(self.buildings.ids)).astype(
            np.float64
        )


def ages_on(birth_dates: np.ndarray, on: dt.date) -> np.ndarray:
    """Completed years of age on date ``on`` (NaN for unknown birth dates), vectorised."""
    b = _as_datetime64(birth_dates)
    known = ~np.isnat(b)
    years = b.astype("datetime64[Y]").astype(np.int64) + 1970
    months = b.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (b - b.astype("datetime64[M]")).astype(np.int64) + 1
    not_yet = (on.month * 100 + on.day) < (months * 100 + days)
    age = (on.year - years - not_yet).astype(np.float64)
    age[~known] = np.nan
    return age


def _as_datetime64(values: np.ndarray) -> np.ndarray:
    if np.issubdtype(np.asarray(values).dtype, np.datetime64):
        return np.asarray(values).astype("datetime64[D]")
    try:
        # ISO strings (SpatiaLite), date/datetime objects (PostGIS) and None all convert at once.
        return np.array(values, dtype="datetime64[D]")
    except (ValueError, TypeError):
        pass
    out = np.empty(len(values), dtype="datetime64[D]")
    out[:] = np.datetime64("NaT")
    for k, v in enumerate(values):  # rare fallback for odd strings
        try:
            out[k] = np.datetime64(str(v)[:10])
        except ValueError:
            continue
    return out


def load_data(
    store,
    layers: Iterable[str] = ("buildings", "residents", "facilities", "cells"),
    reference_date: dt.date | None = None,
    facility_kind: str | None = None,
) -> AnalysisData:
    """Snapshot the layers an analysis needs from a :class:`gis_core.store.Store`.

    ``layers`` names any of buildings, residents, facilities, cells, streets, cameras, community.
    """
    layers = set(layers)
    ref = reference_date or dt.date.today()
    buildings = residents = facilities = cells = cameras = None
    streets = community = None
    if "buildings" in layers or "residents" in layers:
        f = store.query_all("buildings", columns=["grid_cell_id", "use"])
        buildings = Buildings(
            f.ids, f.geometry, _int_or_minus_one(f.columns["grid_cell_id"]), f.columns["use"]
        )
    if "residents" in layers:
        r = store.query_all("residents", columns=["building_id", "birth_date"])
        bid = _int_or_minus_one(r.columns["building_id"])
        order = np.argsort(buildings.ids)
        pos = np.clip(np.searchsorted(buildings.ids[order], bid), 0, max(len(order) - 1, 0))
        if len(order):
            found = buildings.ids[order][pos] == bid
            index = np.where(found, order[pos], -1)
        else:
            index = np.full(len(bid), -1, dtype=np.int64)
        residents = Residents(index, ages_on(r.columns["birth_date"], ref))
    if "facilities" in layers:
        f = store.query_all("facilities", columns=["kind", "capacity", "grid_cell_id", "name"])
        cap = np.array(
            [np.nan if v is None else float(v) for v in f.columns["capacity"]], dtype=np.float64
        )
        facilities = Facilities(
            f.ids,
            np.asarray(f.columns["kind"]).astype(str),
            cap,
            shapely.get_coordinates(f.geometry),
            _int_or_minus_one(f.columns["grid_cell_id"]),
            np.asarray(f.columns["name"]).astype(str),
        )
        if facility_kind is not None:
            facilities = facilities.of_kind(facility_kind)
    if "cells" in layers:
        f = store.query_all("grid_cells", columns=["code", "version"])
        cells = GridCells(
            f.ids,
            np.asarray(f.columns["code"]).astype(str),
            f.geometry,
            _int_or_minus_one(f.columns["version"]),
        )
    if "streets" in layers:
        streets = store.query_all("streets").geometry
    if "cameras" in layers:
        f = store.query_all("cameras", columns=["code", "heading_deg", "fov_deg", "range_m"])
        cameras = Cameras(
            f.ids,
            shapely.get_coordinates(f.geometry),
            np.asarray(f.columns["heading_deg"], dtype=np.float64),
            np.asarray(f.columns["fov_deg"], dtype=np.float64),
            np.asarray(f.columns["range_m"], dtype=np.float64),
            np.asarray(f.columns["code"]).astype(str),
        )
    if "community" in layers:
        geoms = store.query_all("communities").geometry
        community = shapely.union_all(geoms) if len(geoms) else None
    return AnalysisData(
        buildings=buildings,
        residents=residents,
        facilities=facilities,
        cells=cells,
        streets=streets,
        cameras=cameras,
        community=community,
        srid=store.srid,
        reference_date=ref,
    )


def _int_or_minus_one(values: np.ndarray) -> np.ndarray:
    arr = np.asarray(values)
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64)
    return np.array([-1 if v is None else int(v) for v in arr], dtype=np.int64)


def cell_index_of_points(cells: GridCells | None, xy: np.ndarray, cell_ids=None) -> np.ndarray:
    """Position in ``cells`` of each point's grid cell: by its stored cell id, else by location.

    -1 where a point is in no cell.
    """
    n = len(xy)
    if cells is None or len(cells) == 0:
        return np.full(n, -1, dtype=np.int64)
    index = (
        cells.index_of(np.asarray(cell_ids, dtype=np.int64))
        if cell_ids is not None
        else np.full(n, -1, dtype=np.int64)
    )
    missing = np.flatnonzero(index < 0)
    if len(missing):
        tree = shapely.STRtree(cells.geometry)
        pts, hit = tree.query(shapely.points(xy[missing]), predicate="intersects")
        # A point on a shared edge belongs to the first cell found, once.
        first = np.unique(pts, return_index=True)[1]
        index[missing[pts[first]]] = hit[first]
    return index


def data_from_layers(
    layers: dict, srid: int | None = None, reference_date: dt.date | None = None
) -> AnalysisData:
    """An :class:`AnalysisData` from in-memory layers ``kind → (columns, geometry)`` — the shape
    of ``gis_core.demo.DemoData.layers`` and of :meth:`Store.bulk_insert`'s arguments — so
    benchmarks and tests can analyse generated data without a store round trip.
    """
    ref = reference_date or dt.date.today()

    def get(kind):
        return layers.get(kind, (None, None))

    cols, geom = get("buildings")
    buildings = None
    if cols is not None:
        buildings = Buildings(
            np.asarray(cols["id"], dtype=np.int64),
            np.asarray(geom, dtype=object),
            _int_or_minus_one(np.asarray(cols.get("grid_cell_id", [-1] * len(geom)), dtype=object)),
            np.asarray(cols.get("use", [None] * len(geom)), dtype=object),
        )
    cols, _ = get("residents")
    residents = None
    if cols is not None and buildings is not None and len(cols.get("building_id", [])):
        bid = _int_or_minus_one(np.asarray(cols["building_id"], dtype=object))
        order = np.argsort(buildings.ids)
        pos = np.clip(np.searchsorted(buildings.ids[order], bid), 0, len(order) - 1)
        index = np.where(buildings.ids[order][pos] == bid, order[pos], -1)
        residents = Residents(index, ages_on(np.asarray(cols["birth_date"], dtype=object), ref))
    cols, geom = get("facilities")
    facilities = None
    if cols is not None:
        cap = np.array(
            [np.nan if v is None else float(v) for v in np.asarray(cols["capacity"], dtype=object)]
        )
        facilities = Facilities(
            np.asarray(cols["id"], dtype=np.int64),
            np.asarray(cols["kind"]).astype(str),
            cap,
            shapely.get_coordinates(geom),
            _int_or_minus_one(
                np.asarray(cols.get("grid_cell_id", [None] * len(cap)), dtype=object)
            ),
            np.asarray(cols.get("name", [""] * len(cap))).astype(str),
        )
    cols, geom = get("grid_cells")
    cells = None
    if cols is not None:
        cells = GridCells(
            np.asarray(cols["id"], dtype=np.int64),
            np.asarray(cols["code"]).astype(str),
            np.asarray(geom, dtype=object),
            _int_or_minus_one(np.asarray(cols.get("version", [1] * len(geom)), dtype=object)),
        )
    cols, geom = get("cameras")
    cameras = None
    if cols is not None:
        cameras = Cameras(
            np.asarray(cols["id"], dtype=np.int64),
            shapely.get_coordinates(geom),
            np.asarray(cols["heading_deg"], dtype=np.float64),
            np.asarray(cols["fov_deg"], dtype=np.float64),
            np.asarray(cols["range_m"], dtype=np.float64),
            np.asarray(cols.get("code", [""] * len(geom))).astype(str),
        )
    streets = get("streets")[1]
    comm = get("communities")[1]
    return AnalysisData(
        buildings=buildings,
        residents=residents,
        facilities=facilities,
        cells=cells,
        streets=None if streets is None else np.asarray(streets, dtype=object),
        cameras=cameras,
        community=None if comm is None or len(comm) == 0 else shapely.union_all(comm),
        srid=srid,
        reference_date=ref,
    )
