"""The free-cooling PUE model and fibre latency, against hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest
from datacenter_siting.latency import great_circle_km, latency_ms
from datacenter_siting.pue import CoolingModel, annual_pue, wet_bulb


def test_wet_bulb_matches_stull():
    # Stull (2011) quotes T = 20 C, RH = 50 % -> Tw = 13.7 C
    assert float(wet_bulb(20.0, 50.0)) == pytest.approx(13.7, abs=0.05)


def test_cold_and_hot_climates_give_the_mode_pues():
    dry = CoolingModel(use_wet_bulb=False)
    out = annual_pue(np.array([np.full(12, -20.0), np.full(12, 45.0)]), model=dry)
    np.testing.assert_allclose(out["pue"], [dry.pue_free, dry.pue_mech], atol=1e-6)
    np.testing.assert_allclose(out["free_hours"], [8760, 0], atol=0.1)


def test_monthly_normals_at_the_threshold_by_hand():
    # every month at t_free = 12 C (dry-bulb), sd 4.5 K, band 6 K:
    # free = Phi(0) = 0.5; partial = Phi(6 / 4.5) - 0.5 = Phi(1.3333) - 0.5 = 0.408789
    # (normal table: Phi(1.33) = 0.90824, Phi(1.34) = 0.90988, interpolated 0.90879);
    # mechanical 0.091211 -> PUE = 0.5 * 1.10 + 0.408789 * 1.18 + 0.091211 * 1.30 = 1.150945
    out = annual_pue(np.full(12, 12.0), model=CoolingModel(use_wet_bulb=False))
    assert float(out["pue"]) == pytest.approx(1.150945, abs=2e-5)
    assert float(out["free_hours"]) == pytest.approx(4380, abs=0.5)


def test_hourly_normals_count_hours():
    # 8760 hours: a quarter at 5 C (free), a quarter at 15 C (partial), half at 30 C
    t = np.concatenate([np.full(2190, 5.0), np.full(2190, 15.0), np.full(4380, 30.0)])
    out = annual_pue(t, model=CoolingModel(use_wet_bulb=False))
    assert float(out["pue"]) == pytest.approx(0.25 * 1.10 + 0.25 * 1.18 + 0.5 * 1.30)


def test_warmer_or_more_humid_never_lowers_pue():
    rng = np.random.default_rng(5)
    base = rng.uniform(-10, 30, (40, 12))
    rh = rng.uniform(20, 90, 40)
    p0 = annual_pue(base, rh)["pue"]
    assert (annual_pue(base + rng.uniform(0, 5, (40, 1)), rh)["pue"] >= p0 - 1e-12).all()
    assert (annual_pue(base, rh + 5)["pue"] >= p0 - 1e-12).all()


def test_latency_by_hand():
    # 1000 km straight x 1.5 = 1500 km of fibre x 5 us = 7.5 ms;
    # hops 2 + 1500 / 200 = 9.5 x 0.1 ms = 0.95 ms -> 8.45 ms one way
    assert float(latency_ms(1000.0)) == pytest.approx(8.45)
    assert float(latency_ms(0.0, hop_ms=0.0)) == 0.0


def test_great_circle():
    # one degree of latitude is pi / 180 * 6371.0088 km = 111.195 km
    assert float(great_circle_km(116.0, 39.0, 116.0, 40.0)) == pytest.approx(111.195, abs=1e-3)
    # Beijing - Shanghai is about 1070 km as the crow flies
    assert 1050 < float(great_circle_km(116.40, 39.90, 121.47, 31.23)) < 1090
