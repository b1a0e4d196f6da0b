"""Propagation models against scalar re-implementations of the standards' formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest
from coverage_5g import models
from coverage_5g.models import MODELS, knife_edge_loss, path_loss, validity_warnings

C = 299_792_458.0
FREQS = [0.9, 2.0, 3.5, 28.0]
DISTANCES = [12.0, 50.0, 150.0, 400.0, 1200.0, 4000.0]


# --- independent scalar formulas (written from the documents, not from models.py) ---

def ref_fspl(f_ghz, d2, h_bs, h_ut):
    d3 = math.hypot(d2, h_bs - h_ut)
    return 20 * math.log10(d3) + 20 * math.log10(f_ghz * 1e9) + 20 * math.log10(4 * math.pi / C)


def ref_38901(kind, los, f_ghz, d2, h_bs, h_ut):
    """TR 38.901 Table 7.4.1-1, h_E = 1 m."""
    d3 = math.sqrt(d2 ** 2 + (h_bs - h_ut) ** 2)
    dbp = 4 * (h_bs - 1) * (h_ut - 1) * f_ghz * 1e9 / C
    lg = math.log10
    if kind == "umi":
        pl1 = 32.4 + 21 * lg(d3) + 20 * lg(f_ghz)
        pl2 = 32.4 + 40 * lg(d3) + 20 * lg(f_ghz) - 9.5 * lg(dbp ** 2 + (h_bs - h_ut) ** 2)
        nlos = 35.3 * lg(d3) + 22.4 + 21.3 * lg(f_ghz) - 0.3 * (h_ut - 1.5)
    else:
        pl1 = 28.0 + 22 * lg(d3) + 20 * lg(f_ghz)
        pl2 = 28.0 + 40 * lg(d3) + 20 * lg(f_ghz) - 9 * lg(dbp ** 2 + (h_bs - h_ut) ** 2)
        nlos = 13.54 + 39.08 * lg(d3) + 20 * lg(f_ghz) - 0.6 * (h_ut - 1.5)
    pl_los = pl1 if d2 <= dbp else pl2
    return pl_los if los else max(pl_los, nlos)


def ref_hata(f_ghz, d2, h_b, h_m, c_m):
    f = f_ghz * 1000
    lg = math.log10
    a = (1.1 * lg(f) - 0.7) * h_m - (1.56 * lg(f) - 0.8)
    return 46.3 + 33.9 * lg(f) - 13.82 * lg(h_b) - a + (44.9 - 6.55 * lg(h_b)) * lg(d2 / 1000) + c_m


def ref_j(nu):
    if nu <= -0.78:
        return 0.0
    return 6.9 + 20 * math.log10(math.sqrt((nu - 0.1) ** 2 + 1) + nu - 0.1)


@pytest.mark.parametrize("f", FREQS)
@pytest.mark.parametrize("h_bs,h_ut", [(10.0, 1.5), (25.0, 1.5), (25.0, 22.5), (10.0, 8.0)])
def test_models_match_scalar_formulas(f, h_bs, h_ut):
    d = np.array(DISTANCES)
    for i, d2 in enumerate(DISTANCES):
        assert path_loss("fspl", f, d, h_bs, h_ut)[i] == pytest.approx(
            ref_fspl(f, d2, h_bs, h_ut), abs=1e-9)
        for kind, name in (("umi", "umi_street_canyon"), ("uma", "uma")):
            for los in (True, False):
                assert path_loss(name, f, d, h_bs, h_ut, los)[i] == pytest.approx(
                    ref_38901(kind, los, f, d2, h_bs, h_ut), abs=1e-9), (name, los, d2)
        assert path_loss("cost231_hata_urban", f, d, h_bs, h_ut)[i] == pytest.approx(
            ref_hata(f, d2, h_bs, h_ut, 3.0), abs=1e-9)
        assert path_loss("cost231_hata_suburban", f, d, h_bs, h_ut)[i] == pytest.approx(
            ref_hata(f, d2, h_bs, h_ut, 0.0), abs=1e-9)


def test_spot_values_computed_by_hand():
    # FSPL: 20 log10(4π · 1000 m · 3.5 GHz / c) = 103.33 dB
    assert path_loss("fspl", 3.5, 1000.0, 10.0, 10.0) == pytest.approx(103.33, abs=0.01)
    assert path_loss("fspl", 28.0, 100.0, 1.5, 1.5) == pytest.approx(101.39, abs=0.01)
    # UMi, 3.5 GHz, h_BS 10, h_UT 1.5: d'_BP = 4·9·0.5·3.5e9/c = 210.15 m
    assert models.breakpoint_distance(3.5, 10.0, 1.5) == pytest.approx(210.15, abs=0.01)
    # d = 100 m (< d'_BP): PL1 = 32.4 + 21 log10(100.36) + 20 log10(3.5) = 85.31 dB
    assert path_loss("umi_street_canyon", 3.5, 100.0, 10.0, 1.5, True) == pytest.approx(
        85.31, abs=0.01)
    # d = 500 m (> d'_BP): PL2 = 107.11 dB; NLOS: 35.3 log10(500.07) + 22.4 + 21.3 log10 3.5
    assert path_loss("umi_street_canyon", 3.5, 500.0, 10.0, 1.5, True) == pytest.approx(
        107.11, abs=0.01)
    assert path_loss("umi_street_canyon", 3.5, 500.0, 10.0, 1.5, False) == pytest.approx(
        129.26, abs=0.01)
    # UMa, 3.5 GHz, h_BS 25, h_UT 1.5: d'_BP = 560.39 m
    assert models.breakpoint_distance(3.5, 25.0, 1.5) == pytest.approx(560.39, abs=0.01)
    assert path_loss("uma", 3.5, 200.0, 25.0, 1.5, True) == pytest.approx(89.57, abs=0.01)
    assert path_loss("uma", 3.5, 200.0, 25.0, 1.5, False) == pytest.approx(114.46, abs=0.01)
    assert path_loss("uma", 3.5, 1000.0, 25.0, 1.5, True) == pytest.approx(109.41, abs=0.01)
    # COST-231 Hata, 1800 MHz, h_b 30, h_m 1.5, 2 km, C_m = 3 dB: 149.80 dB
    assert path_loss("cost231_hata_urban", 1.8, 2000.0, 30.0, 1.5) == pytest.approx(
        149.80, abs=0.01)
    assert path_loss("cost231_hata_suburban", 1.8, 2000.0, 30.0, 1.5) == pytest.approx(
        146.80, abs=0.01)


@pytest.mark.parametrize("name,h_bs", [("umi_street_canyon", 10.0), ("uma", 25.0)])
@pytest.mark.parametrize("f", [2.0, 3.5, 28.0])
def test_breakpoint_both_sides_and_continuity(name, h_bs, f):
    dbp = float(models.breakpoint_distance(f, h_bs, 1.5))
    los = models.umi_los if name.startswith("umi") else models.uma_los
    kind = "umi" if name.startswith("umi") else "uma"
    for d in (0.5 * dbp, 0.999 * dbp, 1.001 * dbp, 2.0 * dbp):
        assert los(f, d, h_bs, 1.5) == pytest.approx(ref_38901(kind, True, f, d, h_bs, 1.5))
    # the two slopes meet at the breakpoint (d3D there is sqrt(d'_BP² + Δh²))
    assert los(f, dbp * (1 - 1e-9), h_bs, 1.5) == pytest.approx(los(f, dbp * (1 + 1e-9), h_bs, 1.5),
                                                                 abs=1e-5)
    # the slope is ~20 dB/decade before (21 or 22) and 40 after
    near = los(f, np.array([0.4, 0.8]) * dbp, h_bs, 1.5)
    far = los(f, np.array([2.0, 4.0]) * dbp, h_bs, 1.5)
    assert 5.5 < near[1] - near[0] < 7.0
    assert far[1] - far[0] == pytest.approx(12.0, abs=0.1)


def test_nlos_takes_the_max_with_los():
    d = np.geomspace(10, 5000, 60)
    for name in ("umi_street_canyon", "uma"):
        for h_ut in (1.5, 10.0, 22.5):
            los = path_loss(name, 3.5, d, 25.0, h_ut, True)
            nlos = path_loss(name, 3.5, d, 25.0, h_ut, False)
            assert (nlos >= los).all()
    # UMa with a tall terminal: PL'_NLOS drops 0.6·21 dB below the LOS curve near the site
    d = np.array([20.0, 30.0])
    raw = 13.54 + 39.08 * np.log10(np.hypot(d, 2.5)) + 20 * np.log10(3.5) - 0.6 * 21
    los = path_loss("uma", 3.5, d, 25.0, 22.5, True)
    assert (raw < los).all()
    assert np.array_equal(path_loss("uma", 3.5, d, 25.0, 22.5, False), los)


def test_los_array_selects_per_element():
    d = np.array([100.0, 100.0])
    out = path_loss("umi_street_canyon", 3.5, d, 10.0, 1.5, np.array([True, False]))
    assert out[0] == pytest.approx(ref_38901("umi", True, 3.5, 100, 10, 1.5))
    assert out[1] == pytest.approx(ref_38901("umi", False, 3.5, 100, 10, 1.5))


def test_model_names_and_unknown_model():
    assert MODELS == ("fspl", "umi_street_canyon", "uma", "cost231_hata_urban",
                      "cost231_hata_suburban")
    assert isinstance(path_loss("uma", 3.5, 100.0, 25.0, 1.5, True), float)
    with pytest.raises(ValueError, match="unknown propagation model"):
        path_loss("hata", 3.5, 100.0, 25.0, 1.5)


def test_validity_flags_are_reported():
    assert validity_warnings("umi_street_canyon", 3.5, 100.0, 10.0, 1.5) == []
    assert validity_warnings("uma", 3.5, [50.0, 4000.0], 25.0, 22.5) == []
    w = validity_warnings("umi_street_canyon", 3.5, [5.0, 100.0, 6000.0], 10.0, 1.5)
    assert len(w) == 1 and "2D distance" in w[0] and "2 of 3" in w[0]
    w = validity_warnings("umi_street_canyon", 3.5, 100.0, 12.0, 30.0)
    assert any("h_BS" in x for x in w) and any("h_UT" in x for x in w)
    w = validity_warnings("uma", 3.5, 100.0, 30.0, 1.0)
    assert any("h_BS" in x for x in w) and any("h_UT" in x for x in w)
    w = validity_warnings("cost231_hata_urban", 3.5, 500.0, 30.0, 1.5)
    assert any("frequency" in x for x in w) and any("distance" in x for x in w)
    assert validity_warnings("cost231_hata_suburban", 1.8, 2000.0, 30.0, 1.5) == []
    flags = models.validity_flags("umi_street_canyon", 3.5, np.array([5.0, 50.0]), 10.0, 1.5)
    assert flags["d"].tolist() == [True, False] and flags["h_bs"].shape == (2,)


def test_knife_edge_known_values():
    assert knife_edge_loss(0.0) == pytest.approx(6.03, abs=0.01)  # ≈ 6 dB at grazing
    assert knife_edge_loss(1.0) == pytest.approx(13.93, abs=0.01)
    assert knife_edge_loss(2.4) == pytest.approx(20.54, abs=0.01)
    assert knife_edge_loss(-0.5) == pytest.approx(1.96, abs=0.01)
    assert knife_edge_loss(-0.78) == 0.0
    assert knife_edge_loss(-2.0) == 0.0
    nu = np.linspace(-3, 5, 81)
    assert np.allclose(knife_edge_loss(nu), [ref_j(v) for v in nu])
    # large ν: J ≈ 13 + 20 log10 ν (P.526 approximation)
    assert knife_edge_loss(10.0) == pytest.approx(13 + 20 * math.log10(10.0), abs=0.2)


def test_fresnel_nu():
    # h = 10 m, d1 = d2 = 500 m, 3.5 GHz: ν = 10 sqrt(2·1000 / (λ · 250000))
    lam = C / 3.5e9
    assert models.fresnel_nu(10.0, 500.0, 500.0, 3.5) == pytest.approx(
        10 * math.sqrt(2 * 1000 / (lam * 500 * 500)))
