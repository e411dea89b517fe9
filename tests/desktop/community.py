"""A small, fully known community for the desktop tests: where every building is, is known.

``gis_core.demo`` builds the realistic demo; these tests need exact positions to check pixels, so
they lay out their own: 2×2 grid cells of 500 m, 20×20 buildings of 16 m on a 50 m raster, a few
facilities and two streets, in EPSG:4545 near Xianyang.
"""

from __future__ import annotations

import numpy as np
import shapely

X0, Y0 = 563_000.0, 3_796_000.0  # south-west corner of the community
SIDE = 1000.0
SPACING = 50.0
BUILDING = 16.0
N = 20
USES = ("residential", "commercial", "public", "mixed")


def cell_code(i: int) -> str:
    return f"610402-001-{i + 1:02d}"


def building_center(i: int, j: int) -> tuple[float, float]:
    """Centre of building (column i, row j); ids are 1 + j * N + i."""
    return X0 + 25.0 + i * SPACING, Y0 + 25.0 + j * SPACING


def building_id(i: int, j: int) -> int:
    return 1 + j * N + i


def address(i: int, j: int) -> str:
    return f"渭阳路{building_id(i, j)}号"


def populate(store) -> None:
    """Write the community into an initialised, empty store."""
    boundary = shapely.MultiPolygon([shapely.box(X0, Y0, X0 + SIDE, Y0 + SIDE)])
    store.bulk_insert(
        "communities",
        {"id": [1], "code": ["610402-001"], "name": ["渭阳社区"], "district": ["秦都区"]},
        np.array([boundary], dtype=object),
    )
    cells, codes = [], []
    for k, (cx, cy) in enumerate([(0, 0), (1, 0), (0, 1), (1, 1)]):
        cells.append(
            shapely.box(X0 + cx * 500, Y0 + cy * 500, X0 + (cx + 1) * 500, Y0 + (cy + 1) * 500)
        )
        codes.append(cell_code(k))
    store.bulk_insert(
        "grid_cells",
        {
            "id": [1, 2, 3, 4],
            "community_id": [1] * 4,
            "code": codes,
            "name": [f"第{k + 1}网格" for k in range(4)],
            "worker_name": ["王芳", "李强", "张伟", "刘洋"],
            "worker_phone": ["13812345678", "13900001111", "13700002222", "13600003333"],
        },
        np.array(cells, dtype=object),
    )
    ii, jj = np.meshgrid(np.arange(N), np.arange(N))
    ii, jj = ii.ravel(), jj.ravel()  # row-major: id = 1 + j * N + i
    cx = X0 + 25.0 + ii * SPACING
    cy = Y0 + 25.0 + jj * SPACING
    h = BUILDING / 2
    geoms = shapely.box(cx - h, cy - h, cx + h, cy + h)
    cell = 1 + (ii >= 10).astype(int) + 2 * (jj >= 10).astype(int)
    store.bulk_insert(
        "buildings",
        {
            "id": (1 + jj * N + ii).tolist(),
            "grid_cell_id": cell.tolist(),
            "address": [address(i, j) for i, j in zip(ii.tolist(), jj.tolist())],
            "floors": ((ii + jj) % 18 + 1).tolist(),
            "units": ((ii * 7 + jj) % 60 + 4).tolist(),
            "use": ["residential" if (i + j) % 5 else USES[(i * j) % 4] for i, j in zip(ii, jj)],
        },
        geoms,
    )
    store.bulk_insert(
        "facilities",
        {
            "id": [1, 2, 3],
            "grid_cell_id": [1, 2, 4],
            "kind": ["clinic", "school", "pharmacy"],
            "name": ["渭阳社区卫生服务站", "渭阳小学", "仁和药店"],
            "address": ["渭阳路1号", "渭阳路2号", "渭阳路3号"],
            "capacity": [120.0, 800.0, 50.0],
        },
        np.array(
            [
                shapely.Point(X0 + 250, Y0 + 200),
                shapely.Point(X0 + 750, Y0 + 300),
                shapely.Point(X0 + 800, Y0 + 800),
            ],
            dtype=object,
        ),
    )
    store.bulk_insert(
        "streets",
        {"id": [1, 2], "name": ["渭阳路", "文林路"], "kind": ["arterial", "secondary"]},
        np.array(
            [
                shapely.LineString([(X0, Y0 + 500), (X0 + SIDE, Y0 + 500)]),
                shapely.LineString([(X0 + 500, Y0), (X0 + 500, Y0 + SIDE)]),
            ],
            dtype=object,
        ),
    )
    store.bulk_insert(
        "residents",
        {
            "id": [1, 2],
            "grid_cell_id": [1, 1],
            "building_id": [1, 1],
            "name": ["张三丰", "李四"],
            "id_number": ["610402199001011234", "610402198502023456"],
            "phone": ["13812345678", "13987654321"],
        },
    )
