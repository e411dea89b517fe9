"""Distances: straight-line pairs include the radius; street-network distances follow the
streets (a detour is longer than the straight line) and match networkx on a random network."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from gis_core.analysis.distance import NetworkDistance, StraightLineDistance, StreetGraph
from gis_core.analysis.feedback import AnalysisError

from .synthetic import street_grid


def test_straight_pairs_include_the_radius_and_zero():
    eng = StraightLineDistance(np.array([[0.0, 0.0], [100.0, 0.0], [100.1, 0.0]]))
    p = eng.pairs(np.array([[0.0, 0.0]]), 100.0)
    assert sorted(zip(p.demand_index.tolist(), p.distance.tolist())) == [(0, 0.0), (1, 100.0)]
    d, idx = eng.nearest(np.array([[0.0, 0.0], [150.0, 0.0]]), 50.0)
    assert d[:2].tolist() == [0.0, 50.0] and idx.tolist() == [0, 1, 1]
    d, idx = eng.nearest(np.array([[0.0, 0.0]]), 50.0)
    assert d[1] == np.inf and idx.tolist() == [0, -1, -1]


def test_detour_along_the_street_is_longer_than_the_straight_line():
    # A U-shaped street: two points 20 m apart across the gap, 220 m apart along the street.
    u = shapely.LineString([(0, 100), (0, 0), (20, 0), (20, 100)])
    eng = NetworkDistance(np.array([u]), np.array([[0.0, 100.0]]))
    d, idx = eng.nearest(np.array([[20.0, 100.0]]), 1000.0)
    assert d[0] == pytest.approx(220.0)
    assert StraightLineDistance(np.array([[0.0, 100.0]])).nearest(
        np.array([[20.0, 100.0]]), 1000.0
    )[0][0] == pytest.approx(20.0)
    # Within a 150 m walk it is out of reach, though 20 m away as the crow flies.
    assert len(eng.pairs(np.array([[20.0, 100.0]]), 150.0)) == 0


def test_access_points_on_one_segment_are_chained():
    line = shapely.LineString([(0, 0), (1000, 0)])
    demand = np.array([[100.0, 5.0], [400.0, -5.0], [900.0, 10.0]])
    eng = NetworkDistance(np.array([line]), demand)
    p = eng.pairs(np.array([[450.0, 2.0]]), 10000.0)
    got = dict(zip(p.demand_index.tolist(), p.distance.tolist()))
    assert got[0] == pytest.approx(5 + 350 + 2)
    assert got[1] == pytest.approx(5 + 50 + 2)
    assert got[2] == pytest.approx(10 + 450 + 2)


def test_crossing_roads_without_shared_vertices_are_noded():
    # An imported road layer: two long lines crossing mid-way with no common vertex.
    a = shapely.LineString([(0, 500), (1000, 500)])
    b = shapely.LineString([(500, 0), (500, 1000)])
    eng = NetworkDistance(np.array([a, b]), np.array([[100.0, 500.0]]))
    d, _ = eng.nearest(np.array([[500.0, 900.0]]), 5000.0)
    assert d[0] == pytest.approx(400 + 400)


def test_matches_networkx_on_a_grid():
    nx = pytest.importorskip("networkx")
    rng = np.random.default_rng(5)
    streets = street_grid(5, 100.0)
    demand = rng.uniform(0, 500, (40, 2))
    supply = rng.uniform(0, 500, (5, 2))
    eng = NetworkDistance(streets, demand)
    p = eng.pairs(supply, 10000.0)
    g = eng.graph.csr().tocoo()
    G = nx.Graph()
    for u, v, w in zip(g.row.tolist(), g.col.tolist(), g.data.tolist()):
        G.add_edge(u, v, weight=w)
    nodes = eng.supply_nodes(supply)
    for j in range(len(supply)):
        ref = nx.single_source_dijkstra_path_length(G, int(nodes[j]))
        mine = p.distance[p.supply_index == j]
        theirs = np.array(
            [ref[int(n)] for n in eng.demand_nodes[p.demand_index[p.supply_index == j]]]
        )
        np.testing.assert_allclose(mine, theirs, rtol=1e-12)
        # And every node-to-node distance is at least the straight line.
        straight = np.hypot(*(demand[p.demand_index[p.supply_index == j]] - supply[j]).T)
        assert np.all(mine >= straight - 1e-9)


def test_no_streets_is_a_clear_error():
    with pytest.raises(AnalysisError, match="no streets to route along"):
        StreetGraph(np.array([], dtype=object))
