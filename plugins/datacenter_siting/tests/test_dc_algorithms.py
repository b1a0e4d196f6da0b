"""The ``rank`` and ``edge`` algorithms through the framework, on the shipped national
example and on the demo city's fibre nodes and substations."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

from cimviewer.api import open_layer

PLUGIN_DIR = Path(__file__).resolve().parents[1]  # (not from conftest: its name is shared)
DATA = PLUGIN_DIR / "data"

DEMO = PLUGIN_DIR.parents[1] / "resources" / "demo"
NATIONAL = dict(sites=str(DATA / "national_sites.csv"), demand=str(DATA / "national_demand.csv"),
                criteria="pue_est:cost,price_cny_kwh:cost,latency_ms:cost,water_stress:cost",
                ahp_matrix=str(DATA / "national_ahp.csv"), constraints="pue_est<=pue_cap")


@pytest.fixture
def manager(cim_plugins):
    return cim_plugins(PLUGIN_DIR)


def table_rows(table):
    cols = table.columns
    return [dict(zip(cols, row, strict=True)) for row in table.rows()]


def test_national_example(manager, cim_run):
    out = cim_run(manager, "datacenter_siting.rank", mc_runs=200, **NATIONAL)
    rows = {r["id"]: r for r in table_rows(out["table"])}
    assert len(rows) == 14 and out["consistency_ratio"] < 0.1
    # physics: the cool, dry west needs less cooling than the humid south
    for west in ("zw", "hlge", "qy"):
        assert rows[west]["pue_est"] < rows["gz"]["pue_est"] < rows["sz"]["pue_est"] + 1e-9
    # mean latency to the demand centres: the central east beats the far north-west
    for east in ("sh", "wh", "cq", "bj"):
        assert rows[east]["latency_ms"] < rows["zw"]["latency_ms"]
    # a stricter cap for big cities excludes exactly those above it
    strict = cim_run(manager, "datacenter_siting.rank", mc_runs=0,
                     pue_caps="big_city=1.2,eastern_hub=1.19", **NATIONAL)
    srows = table_rows(strict["table"])
    caps = {"western_hub": 1.2, "eastern_hub": 1.19, "big_city": 1.2}
    import csv

    with (DATA / "national_sites.csv").open(encoding="utf-8") as fh:
        klass = {r["id"]: r["policy_class"] for r in csv.DictReader(fh)}
    for r in srows:
        over = r["pue_est"] > caps[klass[r["id"]]]
        assert (r["excluded_by"] == "pue_est<=pue_cap") == over, r
        assert (r["rank"] is None) == over
    assert 0 < strict["excluded"] < 14
    ranked = [r for r in strict["ranking"] if r["rank"] is not None]
    assert sorted(r["rank"] for r in ranked) == list(range(1, len(ranked) + 1))


def test_fibre_nodes_ranked_with_substations(manager, cim_run):
    nodes = open_layer(DEMO / "infrastructure.gpkg", options={"layer": "fibre_nodes"})
    subs = open_layer(DEMO / "infrastructure.gpkg", options={"layer": "substations"})
    out = cim_run(manager, "datacenter_siting.rank", site_layer=nodes, substations=subs,
                  capacity_field="capacity_kva", method="topsis", mc_runs=100,
                  criteria="ports_free:benefit,substation_m:cost,substation_capacity:benefit",
                  constraints="ports_free>=20")
    ids = nodes.data.columns["node_id"]
    assert [r["id"] for r in out["ranking"]] == ids  # the layer's own ids, in order
    free = np.array(nodes.data.columns["ports_free"])
    ranked = np.array([r["rank"] is not None for r in out["ranking"]])
    np.testing.assert_array_equal(ranked, free >= 20)
    # substation_m really is the distance to the nearest substation
    xy = np.asarray(nodes.data.vertices[:, :2])
    sxy = np.asarray(subs.data.vertices[:, :2])
    nearest = np.hypot(*(xy[:, None] - sxy[None]).transpose(2, 0, 1)).min(axis=1)
    rows = {r["id"]: r for r in table_rows(out["table"])}
    got = np.array([rows[i]["substation_m"] for i in ids])
    np.testing.assert_allclose(got, nearest, atol=0.06)
    # the scored layer carries the same scores, for styling
    layer = out["scored_sites"]
    scores = [r["score"] for r in out["ranking"]]
    assert layer.data.n_features == len(ids)
    assert [s if s is None else round(s, 6) for s in layer.data.columns["dc_score"]] == \
        [s if s is None else round(s, 6) for s in scores]


def test_edge_p_median_on_the_demo_matches_brute_force(manager, cim_run):
    from datacenter_siting.latency import latency_ms

    nodes = open_layer(DEMO / "infrastructure.gpkg", options={"layer": "fibre_nodes"})
    demand = open_layer(DEMO / "buildings.city.json")
    out = cim_run(manager, "datacenter_siting.edge", candidates=nodes, demand=demand,
                  model="pmedian", p=2, demand_cell_m=300)
    a = out["assignment"].columns
    xy = np.column_stack([a["x"], a["y"]])
    w = np.array(a["weight"])
    cand = np.asarray(nodes.data.vertices[:, :2])
    lat = latency_ms(np.hypot(*(cand[:, None] - xy[None]).transpose(2, 0, 1)) / 1000.0)
    best = min(float((w * lat[list(c)].min(axis=0)).sum())
               for c in combinations(range(len(cand)), 2))
    assert out["selected"] == 2 and out["optimal"] is True
    assert out["mean_latency_ms"] * w.sum() == pytest.approx(best, rel=1e-5)
    assert out["edge_sites"].data.n_features == 2


def test_edge_cover_keeps_the_cap(manager, cim_run):
    nodes = open_layer(DEMO / "infrastructure.gpkg", options={"layer": "fibre_nodes"})
    demand = open_layer(DEMO / "buildings.city.json")
    out = cim_run(manager, "datacenter_siting.edge", candidates=nodes, demand=demand,
                  model="cover", latency_cap_ms=0.206, demand_cell_m=300)
    assert max(out["assignment"].columns["latency_ms"]) <= 0.206
    assert out["max_latency_ms"] <= 0.206 and out["selected"] >= 2
    # 0.2 ms is the two hops alone: nobody can be served, and the message says why
    from cimviewer.api import AlgorithmError

    with pytest.raises(AlgorithmError, match=r"have no candidate within 0\.2 ms"):
        cim_run(manager, "datacenter_siting.edge", candidates=nodes, demand=demand,
                model="cover", latency_cap_ms=0.2, demand_cell_m=300)
