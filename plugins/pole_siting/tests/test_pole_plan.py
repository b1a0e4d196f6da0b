"""Lighting layout and the whole plan on the demo city (and on a road drawn by hand)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from pole_siting.equipment import PlanError, check_requirements, load_json
from pole_siting.lighting import load_rules, plan_layout

from cimviewer.api import Context, VectorData, VectorLayer, execute, validate

PLUGIN = Path(__file__).resolve().parents[1]
DEMO = Path(__file__).resolve().parents[3] / "resources" / "demo"


def road(points, klass="primary", width=20.0):
    v = np.column_stack([np.asarray(points, float), np.zeros(len(points))])
    return VectorData("line", v, vertex_offsets=np.array([0, len(v)]),
                      part_offsets=np.array([0, 1]), columns={"class": [klass],
                                                              "width_m": [width]},
                      crs="EPSG:4547", n_features=1)


@pytest.mark.parametrize(("klass", "width", "arrangement", "spacing"), [
    ("primary", 10.0, "one_side", 36.0),      # H 12 >= 1.0 x 9
    ("primary", 16.0, "staggered", 36.0),     # 12 >= 0.7 x 15
    ("primary", 22.0, "opposite", 36.0),      # 12 >= 0.5 x 21
    ("residential", 7.0, "one_side", 28.0),   # H 8, semi cut-off: 8 >= 1.2 x 6; S 3.5H
])
def test_a_straight_road_follows_the_rules(klass, width, arrangement, spacing):
    layout = plan_layout(road([(0, 0), (500, 0)], klass, width), load_rules())
    assert set(layout.arrangement) == {arrangement}
    assert layout.counts["new"] == layout.n
    xs = np.sort(np.unique(np.round(layout.xy[:, 0], 6)))
    gaps = np.diff(xs)
    assert xs[0] == pytest.approx(0) and xs[-1] == pytest.approx(500)  # poles at the road ends
    assert gaps.max() <= spacing + 1e-6 and len(gaps) == int(np.ceil(500 / spacing))
    offsets = np.abs(layout.xy[:, 1])
    assert np.allclose(offsets, width / 2 + 0.75)  # beside the carriageway, not on it
    sides = np.sign(layout.xy[np.argsort(layout.xy[:, 0]), 1])
    if arrangement == "one_side":
        assert len(set(sides)) == 1
    elif arrangement == "staggered":
        assert (sides[1:] != sides[:-1]).all()
    else:
        assert (sides > 0).sum() == (sides < 0).sum() == len(xs)


def test_junction_mouths_stay_clear_and_existing_poles_merge():
    roads = VectorData(
        "line", np.array([[0, 0, 0], [200, 0, 0], [400, 0, 0], [200, -150, 0], [200, 0, 0],
                          [200, 150, 0]], float),
        vertex_offsets=np.array([0, 3, 6]), part_offsets=np.array([0, 1, 2]),
        columns={"class": ["primary", "tertiary"], "width_m": [20.0, 10.0]},
        crs="EPSG:4547", n_features=2)
    first = plan_layout(roads, load_rules())
    d = np.hypot(first.xy[:, 0] - 200, first.xy[:, 1])
    assert d.min() > 10 + 3 - 1e-6  # outside the mouth of the widest road + margin
    assert len(first.junctions) == 1 and first.junctions[0] == pytest.approx([200, 0])
    # existing poles: one on a planned spot (merged), one a few metres off (merged),
    # a lamp far from any spot (removed), a signal far from any spot (kept)
    spot = first.xy[3]
    ex = np.array([[*spot, 0], [spot[0] + 3, spot[1] + 2, 0], [100, 60, 0], [300, 60, 0],
                   [*first.xy[5], 0]])
    poles = VectorData("point", ex, columns={
        "kind": ["street_lamp", "street_lamp", "street_lamp", "traffic_signal",
                 "street_lamp"],
        "state": ["", "", "", "", "damaged"]}, crs="EPSG:4547", n_features=5)
    layout = plan_layout(roads, load_rules(), poles, merge_tolerance_m=8)
    c = layout.counts
    assert (c["merged"], c["kept"], c["removed"], c["unusable"]) == (1, 1, 3, 1)
    assert c["merged"] + c["kept"] + c["removed"] == c["existing"] == 5
    merged = layout.status == "merged"
    assert np.allclose(layout.xy[merged], spot)  # the old pole stands where it stood
    assert layout.n == first.n + 1  # the kept signal joins the plan


def test_demo_city_layout(demo_layers):
    roads = demo_layers["Roads"].data
    layout = plan_layout(roads, load_rules(), demo_layers["Poles"].data)
    c = layout.counts
    assert c["merged"] + c["kept"] + c["removed"] == c["existing"] == 1761
    assert c["merged"] > 800  # the demo lamps stand every 30-40 m, as the rules ask
    assert layout.n == c["new"] + c["merged"] + c["kept"]
    # no pole on a carriageway
    import shapely

    counts = np.diff(roads.vertex_offsets)
    lines = shapely.linestrings(roads.vertices[:, :2], indices=np.repeat(np.arange(len(counts)),
                                                                         counts))
    width = np.array(roads.columns["width_m"], float)[roads.feature_of_part()]
    carriage = shapely.union_all(shapely.buffer(lines, width / 2 - 0.01))
    new = layout.status == "new"
    assert not shapely.intersects(carriage, shapely.points(layout.xy[new])).any()
    assert len(layout.junctions) > 300


def test_requirement_no_pole_can_carry_is_named():
    catalogue = load_json(None, "catalogue.json")
    catalogue["equipment"]["screen"]["power_w"] = 50_000
    reqs = load_json(None, "requirements.json")["requirements"]
    with pytest.raises(PlanError, match=r"requirement 8 \(Urban management.*screen\).*no pole "
                                        "type can carry screen"):
        check_requirements(reqs, catalogue)
    with pytest.raises(PlanError, match="'drone' is not in the price list"):
        check_requirements([{"department": "X", "equipment": "drone", "demand": "buildings",
                             "radius_m": 10}], catalogue)


@pytest.fixture
def plan(demo_layers, cim_plugins, demo_area):
    algorithm = cim_plugins(PLUGIN).algorithm("pole_siting.plan")
    params = validate(algorithm, {"roads": demo_layers["Roads"], "poles": demo_layers["Poles"],
                                  "buildings": demo_layers["Buildings"],
                                  "terrain": demo_layers["Terrain"], "area": demo_area,
                                  "time_limit_s": 30})
    return execute(algorithm, params, Context(plugin="pole_siting"))


def test_demo_plan_meets_every_requirement_on_proven_fewest_poles(plan):
    assert plan["optimal"] is True and plan["gap"] == 0
    met = plan["requirements_met"].columns
    assert len(met["equipment"]) == 9
    assert all(c == p for c, p in zip(met["covered"], met["coverable"], strict=True))
    assert min(met["points"]) > 0
    layer = plan["plan"]
    cols = layer.data.columns
    assert layer.data.n_features == plan["poles"] == (plan["new_poles"] + plan["merged_poles"]
                                                      + plan["kept_poles"])
    smart = np.array(cols["smart"])
    assert smart.sum() == plan["smart_poles"] == plan["objective"]
    # each pole's equipment fits its type's slots and power
    catalogue = load_json(None, "catalogue.json")
    for t, eq, power in zip(cols["pole_type"], cols["equipment"], cols["power_w"],
                            strict=True):
        items = [e for e in eq.split(", ") if e]
        spec = catalogue["pole_types"][t]
        assert sum(catalogue["equipment"][e]["slots"] for e in items) <= spec["slots"]
        assert power <= spec["power_w"] or t == "lighting_pole"
        assert set(items) - {"lighting"} <= set(spec["carries"]) or t == "lighting_pole"
    assert plan["total_cost_cny"] == pytest.approx(sum(cols["cost_cny"]))
    assert set(cols["status"]) <= {"new", "merged", "reused"}
    z = layer.data.vertices[:, 2]
    assert (z > 0).all()  # on the terrain
    bill = plan["bill"].columns
    assert "small_cell_5g" in bill["item"]
    # 5G by radius: the chosen cells' RSRP and SINR are still recomputed and reported
    assert plan["sinr_p5_db"] <= plan["sinr_median_db"]
    assert 0 < plan["rsrp_share_above"] <= 1
    assert "SINR median" in plan["report"].text


def test_plan_cli_headless(tmp_path, demo_area):
    out = subprocess.run(
        [sys.executable, "-m", "cimviewer", "run", "pole_siting.plan",
         "--param", f"roads={DEMO / 'roads.gpkg'}",
         "--param", f"poles={DEMO / 'street_furniture.gpkg'}",
         "--param", f"area={demo_area}", "--param", "objective=cost",
         "--param", "time_limit_s=30", "--param", f"pdf_report={tmp_path / 'plan.pdf'}",
         "--json", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["poles"] > 100 and result["optimal"] is True
    assert result["total_cost_cny"] > 0
    assert (tmp_path / "plan.gpkg").exists() and (tmp_path / "bill.csv").exists()
    assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF")
    from cimviewer.api import open_layer

    layer = open_layer(tmp_path / "plan.gpkg")
    assert isinstance(layer, VectorLayer) and layer.data.n_features == result["poles"]


def test_layout_algorithm_reports_merged_kept_removed(demo_layers, cim_plugins, cim_run):
    manager = cim_plugins(PLUGIN)
    out = cim_run(manager, "pole_siting.layout", roads=demo_layers["Roads"],
                  poles=demo_layers["Poles"])
    assert out["merged_poles"] + out["kept_poles"] + out["removed_poles"] == 1761
    assert out["poles"] == out["new_poles"] + out["merged_poles"] + out["kept_poles"]
    layer = out["layout"]
    assert layer.data.n_features == out["poles"]
    assert set(layer.data.columns["status"]) == {"new", "merged", "reused"}
    assert "merged" in out["report"].text


def test_roads_and_poles_in_different_crs_are_refused(demo_layers, cim_plugins, cim_run):
    from cimviewer.api import AlgorithmError

    data = demo_layers["Poles"].data
    moved = VectorData("point", data.vertices.copy(), columns=dict(data.columns),
                       crs="EPSG:32650", n_features=data.n_features)
    with pytest.raises(AlgorithmError, match=r"poles: layer is in EPSG:32650 but roads"):
        cim_run(cim_plugins(PLUGIN), "pole_siting.layout", roads=demo_layers["Roads"],
                poles=VectorLayer("Other poles", moved))
