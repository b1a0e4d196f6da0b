"""Sunlight hours: the shadow test against a plain brute-force ray test, analytic cases,
the algorithm through the framework and the CLI."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from datetime import date, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from sunlight import facade_points, ground_grid, shadowed, solar_noon, sun_steps, sunlit_minutes

from cimviewer.api import sun_direction, sun_position
from cimviewer.testing import box

PLUGIN = Path(__file__).resolve().parents[1]
LAT, LON = 22.54, 114.06  # Shenzhen


def brute_force_lit(vertices, triangles, point, normal, direction):
    """Plain Möller-Trumbore over every triangle, one ray: is ``point`` in the sun?"""
    if direction[2] <= 0 or np.dot(normal, direction) <= 0:
        return False
    for tri in triangles:
        a, b, c = vertices[tri]
        e1, e2 = b - a, c - a
        h = np.cross(direction, e2)
        det = np.dot(e1, h)
        if abs(det) < 1e-12:
            continue
        s = point - a
        u = np.dot(s, h) / det
        q = np.cross(s, e1)
        v = np.dot(direction, q) / det
        t = np.dot(e2, q) / det
        if u >= 0 and v >= 0 and u + v <= 1 and t > 1e-6:
            return False
    return True


def plain_steps(day, start, end, step):
    """The sun every ``step`` minutes (mid-points) in true solar time, written out."""
    noon = solar_noon(day, LAT, LON)
    out = []
    n = round((end - start) * 60 / step)
    for k in range(n):
        hour = start + (k + 0.5) * step / 60
        az, el = sun_position(noon + timedelta(hours=hour - 12), LAT, LON)
        out.append(np.array(sun_direction(az, el)))
    return out


def test_solar_noon_is_when_the_sun_is_highest():
    noon = solar_noon(date(2025, 1, 20), LAT, LON)
    # Beijing clock: 12:00 + 4 min per degree west of 120° E + the equation of time (~11 min)
    local = noon.astimezone(timezone(timedelta(hours=8)))
    assert abs(local.hour * 60 + local.minute - (12 * 60 + 24 + 11)) <= 2
    el = [sun_position(noon + timedelta(minutes=m), LAT, LON)[1] for m in (-10, 0, 10)]
    assert el[1] > el[0] and el[1] > el[2]
    assert sun_position(noon, LAT, LON)[0] == pytest.approx(180, abs=0.1)
    steps = sun_steps(date(2025, 1, 20), LAT, LON, 8, 16, 10)
    assert len(steps.hours) == 48 and steps.step_minutes == 10
    assert steps.elevation[0] == pytest.approx(steps.elevation[-1], abs=0.2)  # symmetric
    with pytest.raises(ValueError):
        sun_steps(date(2025, 1, 20), LAT, LON, 16, 8, 10)


def test_open_walls_analytic():
    """No obstacle: a south wall sees the sun all of 08-16 on Major Cold, a north wall
    never (the sun stays south of the equator-facing latitude 22.5° N in January)."""
    v, t = box(0, 0, 20, 10, 0, 10)
    south = np.array([[10.0, -0.1, 5.0]])
    north = np.array([[10.0, 10.1, 5.0]])
    steps = sun_steps(date(2025, 1, 20), LAT, LON, 8, 16, 10)
    for pts, normal, expected in ((south, [0, -1, 0], 8.0), (north, [0, 1, 0], 0.0)):
        minutes = sunlit_minutes(v, t, pts, np.array([normal], float), steps.directions, 10)
        assert minutes[0] / 60 == pytest.approx(expected)
    steps = sun_steps(date(2025, 12, 21), LAT, LON, 9, 15, 10)
    minutes = sunlit_minutes(v, t, south, np.array([[0, -1.0, 0]]), steps.directions, 10)
    assert minutes[0] / 60 == pytest.approx(6.0)


@pytest.mark.parametrize("use_numba", [True, False])
def test_wall_behind_an_obstacle_matches_brute_force(use_numba, monkeypatch):
    """A south-facing wall of a 30 m long block, a 40 m tall block 15 m to its south:
    hours per façade sample from the plugin against a plain per-step ray loop."""
    v1, t1 = box(0, 0, 30, 12, 0, 18)       # the receiving building; south wall y = 0
    v2, t2 = box(5, -27, 25, -15, 0, 40)    # the obstacle
    vertices = np.vstack([v1, v2])
    triangles = np.vstack([t1, t2 + len(v1)])
    owner = np.r_[np.zeros(len(t1), int), np.ones(len(t2), int)]
    rec = facade_points(vertices, triangles, owner, spacing_m=4, offset_m=0.05)
    south = (rec["building"] == 0) & (rec["normal"][:, 1] < -0.99)
    pts, normals = rec["xyz"][south], rec["normal"][south]
    assert len(pts) > 20
    steps = sun_steps(date(2025, 1, 20), LAT, LON, 8, 16, 10)
    if not use_numba:
        import sunlight.shadow as sh

        monkeypatch.setattr(sh, "_kernel", None)
    got = sunlit_minutes(vertices, triangles, pts, normals, steps.directions, 10) / 60
    plain = plain_steps(date(2025, 1, 20), 8, 16, 10)
    expected = np.array([sum(brute_force_lit(vertices, triangles, p, n, d) for d in plain)
                         for p, n in zip(pts, normals, strict=True)]) * 10 / 60
    assert np.abs(got - expected).max() <= 10 / 60 + 1e-9  # within one time step
    assert (got == expected).mean() > 0.95
    assert expected.max() < 6 and expected.min() < expected.max()  # shade varies on the wall


def test_shadow_of_a_box_on_the_ground():
    """A point on the ground north of a tall box at noon is shaded; far away it is not."""
    v, t = box(-5, -5, 5, 5, 0, 30)
    noon = solar_noon(date(2025, 1, 20), LAT, LON)
    d = np.array(sun_direction(*sun_position(noon, LAT, LON)))
    el = math.degrees(math.asin(d[2]))
    length = 30 / math.tan(math.radians(el))  # shadow length behind the box's top edge
    pts = np.array([[0, 5 + length - 1, 0.01], [0, 5 + length + 1, 0.01], [0, -8, 0.01]])
    assert shadowed(v, t, pts, d).tolist() == [True, False, False]
    v, t = box(-6, -6, 6, 6, 0, 30)
    grid = ground_grid(v, t, (-20, -20, 20, 20), 2.0)
    assert grid["mask"].sum() == 400 - 36  # the 6 x 6 cells under the box are dropped


def test_algorithm_facades_and_ground(cim_plugins, cim_run):
    from cimviewer.api import CityModelLayer
    from cimviewer.testing import make_city

    layer = CityModelLayer("City", make_city(9))
    manager = cim_plugins(PLUGIN)
    out = cim_run(manager, "sunlight.hours", buildings=layer, spacing_m=8, required_hours=2)
    table = out["buildings_table"].columns
    assert sorted(table["object_index"]) == list(range(9))
    assert all(lo <= m <= hi for lo, m, hi in zip(table["min_hours"], table["mean_hours"],
                                                 table["max_hours"], strict=True))
    assert out["pass_share"] == pytest.approx(np.mean(table["passes"]))
    assert max(table["max_hours"]) == pytest.approx(8.0)  # a free south wall, 08-16
    points = out["receivers_layer"].data
    assert points.kind == "point" and points.n_features == len(points.columns["hours"])
    assert "true solar time" in out["report"].text and "22." in out["report"].text
    ground = cim_run(manager, "sunlight.hours", buildings=layer, receivers="ground", cell_m=10,
                     day="winter_solstice", required_hours=1)
    assert ground["buildings_table"] is None
    from sunlight.algorithms import HOUR_COLOURS

    from cimviewer.testing import legend_rows

    overlay = ground["hours_overlay"]
    grid = overlay.grid
    assert grid.unit == "h" and np.isnan(grid.values).any()  # holes under buildings
    hours = np.asarray(ground["receivers_layer"].data.columns["hours"])
    np.testing.assert_allclose(np.sort(grid.values[np.isfinite(grid.values)]), np.sort(hours),
                               atol=1e-4)  # the receivers table keeps 4 decimals
    assert [c for _label, c in legend_rows(overlay)] == [c for _h, c in HOUR_COLOURS]
    assert hours.max() == pytest.approx(6.0) and hours.min() < 6.0


def test_cli_runs_headless_on_the_demo_city(cim_demo_project_session, tmp_path):
    from cimviewer.testing import buildings_layer

    source = buildings_layer(cim_demo_project_session).source
    out = subprocess.run([sys.executable, "-m", "cimviewer", "run", "sunlight.hours",
                          "--param", f"buildings={source}", "--param", "spacing_m=40",
                          "--param", "step_min=30", "--out", str(tmp_path / "out"), "--json"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert 0 < result["pass_share"] < 1
    assert "latitude 22.5" in out.stdout and "buildings_table" in result["outputs"]
    assert (tmp_path / "out").exists()
