"""3GPP sector pattern, sites and resource blocks."""

from __future__ import annotations

import numpy as np
import pytest
from coverage_5g.antenna import direction_angles, gain_towards, sector_attenuation_db
from coverage_5g.height_raster import build_height_raster
from coverage_5g.sites import Site, n_resource_blocks, resolve_sites, spread_points


def test_sector_pattern_table_7_3_1():
    assert sector_attenuation_db(90.0, 0.0) == 0.0
    assert sector_attenuation_db(90.0, 32.5) == pytest.approx(-3.0)  # half the 65° beamwidth
    assert sector_attenuation_db(90.0 + 32.5, 0.0) == pytest.approx(-3.0)
    assert sector_attenuation_db(90.0, 180.0) == pytest.approx(-30.0)  # A_m
    assert sector_attenuation_db(0.0, 180.0) == pytest.approx(-30.0)  # capped at A_m
    assert sector_attenuation_db(90.0, 190.0) == sector_attenuation_db(90.0, -170.0)
    # A = -min(-(A_V + A_H), A_m) at an arbitrary angle
    theta, phi = 100.0, 40.0
    a_v = -min(12 * ((theta - 96.0) / 65) ** 2, 30)
    a_h = -min(12 * (phi / 65) ** 2, 30)
    assert sector_attenuation_db(theta, phi, theta_tilt_deg=96.0) == pytest.approx(
        -min(-(a_v + a_h), 30))


def test_gain_towards_uses_azimuth_and_downtilt():
    site = {"antenna": "sector", "gain_dbi": 8.0, "azimuth_deg": 90.0, "downtilt_deg": 10.0,
            "v_beamwidth_deg": 65.0, "h_beamwidth_deg": 65.0, "front_to_back_db": 30.0,
            "sla_v_db": 30.0}
    d = 100.0
    dz = -d * np.tan(np.radians(10.0))
    g = gain_towards(site, np.array([d, -d, 0.0]), np.array([0.0, 0.0, d]),
                     np.array([dz, dz, dz]))
    assert g[0] == pytest.approx(8.0)  # east, on the tilted boresight
    assert g[1] == pytest.approx(8.0 - 30.0)  # behind
    assert g[2] == pytest.approx(8.0 - 12.0 * (90 / 65) ** 2)  # north: 90° off boresight
    omni = {"antenna": "omni", "gain_dbi": 2.0}
    assert (gain_towards(omni, [1.0, -5.0], [0.0, 3.0], [0.0, 9.0]) == 2.0).all()
    theta, bearing = direction_angles(0.0, 1.0, 0.0)
    assert theta == pytest.approx(90.0) and bearing == pytest.approx(0.0)


def test_n_resource_blocks():
    assert n_resource_blocks(100, 30) == 273
    assert n_resource_blocks(20, 15) == 106
    assert n_resource_blocks(400, 120) == 264
    with pytest.raises(ValueError):
        n_resource_blocks(33, 30)


def test_resolve_sites_heights_and_eirp():
    v = np.array([[0, 0, 20], [10, 0, 20], [10, 10, 20], [0, 10, 20.0]])
    t = np.array([[0, 1, 2], [0, 2, 3]])
    dem = (np.full((10, 10), 5.0), -20.0, 30.0, 5.0, 5.0)
    r = build_height_raster((-20, -20, 30, 30), 1.0, dem=dem, vertices=v, triangles=t)
    sites = resolve_sites([Site(x=5, y=5, height_m=3, mount="roof", antenna="sector"),
                           Site(x=-10, y=-10, height_m=10, eirp_dbm=50.0),
                           {"x": 20.0, "y": 20.0, "ground_z": 7.0, "height_m": 6.0}], r)
    assert sites[0]["z"] == pytest.approx(23.0) and sites[0]["h_bs"] == pytest.approx(18.0)
    assert sites[0]["eirp_peak_dbm"] == pytest.approx(35.0 + 8.0)
    assert sites[1]["z"] == pytest.approx(15.0) and sites[1]["eirp_peak_dbm"] == 50.0
    assert sites[2]["z"] == pytest.approx(13.0) and sites[2]["h_bs"] == pytest.approx(6.0)
    assert sites[0]["n_rb"] == 273 and sites[2]["name"] == "site-3"
    with pytest.raises(ValueError):
        resolve_sites([Site(x=0, y=0, antenna="yagi")], r)


def test_spread_points_is_deterministic_and_spread():
    rng = np.random.default_rng(1)
    xy = rng.uniform(0, 1000, (500, 2))
    a = spread_points(xy, 10)
    assert np.array_equal(a, spread_points(xy, 10)) and len(set(a.tolist())) == 10
    d = np.hypot(*(xy[a][:, None] - xy[a][None]).transpose(2, 0, 1))
    assert d[~np.eye(10, dtype=bool)].min() > 150
