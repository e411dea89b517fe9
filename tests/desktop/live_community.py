"""A small community with sensors, cameras and vulnerable residents for the live-monitoring tests.

Its community code is unique per store, so tests on the shared broker (127.0.0.1:1883) only see
their own messages. Positions are exact so pixels can be checked: 2×2 grid cells of 500 m,
sensors in a tight block in cell 1 (they cluster at city scale), two cameras.
"""

from __future__ import annotations

import datetime as dt
import uuid

import numpy as np
import shapely

X0, Y0 = 563_000.0, 3_796_000.0
SIDE = 1000.0
N_BLOCK = 25  # sensors in the block of cell 1 (5 × 5, 10 m apart)
SMOKE = "SMK-0001"  # the block's first sensor, in building 1 where the elderly live


def unique_code() -> str:
    return f"LT{uuid.uuid4().hex[:8]}"


def sensor_xy(k: int) -> tuple[float, float]:
    """Position of block sensor k (0..N_BLOCK-1)."""
    return X0 + 200.0 + 10.0 * (k % 5), Y0 + 200.0 + 10.0 * (k // 5)


def populate(store, community: str, video: str | None = None) -> dict:
    """Write the community into an initialised, empty store; returns what the tests need."""
    store.bulk_insert(
        "communities",
        {"id": [1], "code": [community], "name": ["实时测试社区"]},
        [shapely.MultiPolygon([shapely.box(X0, Y0, X0 + SIDE, Y0 + SIDE)])],
    )
    cells = [
        shapely.box(X0 + cx * 500, Y0 + cy * 500, X0 + (cx + 1) * 500, Y0 + (cy + 1) * 500)
        for cx, cy in [(0, 0), (1, 0), (0, 1), (1, 1)]
    ]
    codes = [f"{community}-{i:02d}" for i in range(1, 5)]
    store.bulk_insert(
        "grid_cells",
        {
            "id": [1, 2, 3, 4],
            "community_id": [1] * 4,
            "code": codes,
            "name": ["一", "二", "三", "四"],
        },
        cells,
    )
    # Building 1 under the smoke sensor; building 2 far away in cell 4.
    b1 = sensor_xy(0)
    store.bulk_insert(
        "buildings",
        {"id": [1, 2], "grid_cell_id": [1, 4], "use": ["residential", "residential"]},
        [shapely.box(b1[0] - 8, b1[1] - 8, b1[0] + 8, b1[1] + 8),
         shapely.box(X0 + 800, Y0 + 800, X0 + 816, Y0 + 816)],
    )  # fmt: skip
    store.bulk_insert(
        "residents",
        {
            "id": [1, 2, 3, 4],
            "grid_cell_id": [1, 1, 1, 4],
            "building_id": [1, 1, 1, 2],
            "tags": [["elderly_alone"], ["elderly_alone"], ["disabled"], None],
        },
    )
    kinds = ["smoke"] + ["smoke", "gas", "door", "water_level", "air_quality"] * 4 + ["smoke"] * 4
    kinds = kinds[:N_BLOCK]
    units = {"smoke": "%/m", "gas": "%LEL", "door": None, "water_level": "m", "air_quality": "AQI"}
    prefix = {
        "smoke": "SMK",
        "gas": "GAS",
        "door": "DOR",
        "water_level": "WTR",
        "air_quality": "AIR",
    }
    counters: dict[str, int] = {}
    sensor_codes = []
    for kind in kinds:
        counters[kind] = counters.get(kind, 0) + 1
        sensor_codes.append(f"{prefix[kind]}-{counters[kind]:04d}")
    xy = np.array([sensor_xy(k) for k in range(N_BLOCK)])
    store.bulk_insert(
        "sensors",
        {
            "id": np.arange(1, N_BLOCK + 1),
            "grid_cell_id": [1] * N_BLOCK,
            "building_id": [1] + [None] * (N_BLOCK - 1),
            "code": sensor_codes,
            "kind": kinds,
            "name": [f"测试点{k + 1}" for k in range(N_BLOCK)],
            "unit": [units[k] for k in kinds],
            "period_s": [60.0] * N_BLOCK,
        },
        shapely.points(xy),
    )
    store.bulk_insert(
        "cameras",
        {
            "id": [1, 2],
            "grid_cell_id": [2, 2],
            "code": ["CAM-0001", "CAM-0002"],
            "name": ["东门", "北门"],
            "purpose": ["security", "security"],
            "heading_deg": [45.0, 180.0],
            "fov_deg": [70.0, 60.0],
            "range_m": [60.0, 40.0],
            "stream_url": [video, None],
        },
        shapely.points([(X0 + 700, Y0 + 200), (X0 + 800, Y0 + 300)]),
    )
    store.bulk_insert(
        "events",
        {
            "id": [1],
            "grid_cell_id": [1],
            "category": ["fire_hazard"],
            "source": ["patrol"],
            "status": ["reported"],
            "reported_at": [dt.datetime.now(dt.UTC)],
        },
        shapely.points([(X0 + 100, Y0 + 100)]),
    )
    return {"community": community, "codes": sensor_codes, "cells": codes}


def write_video(path, frames: int = 60, size=(320, 240), fps: float = 20.0) -> str:
    """An MJPG AVI of a solid orange field with a white square moving across it."""
    import cv2

    w, h = size
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    for i in range(frames):
        frame = np.zeros((h, w, 3), np.uint8)
        frame[:] = (0, 128, 255)  # BGR orange
        x = (i * 7) % (w - 40)
        frame[100:140, x : x + 40] = 255
        writer.write(frame)
    writer.release()
    return str(path)
