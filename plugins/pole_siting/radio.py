"""RSRP and SINR of the chosen 5G small cells, recomputed after the plan is solved.

The covering model asks only that each demand point hears one pole above the RSRP
threshold; interference among the chosen cells is ignored there. Here every demand
point hears every chosen cell within ``REACH_M``: received power P = EIRP - PL (the
same path loss as the covering step: the 5G coverage plugin's UMi street canyon model
at 3.5 GHz, LOS or NLOS by the buildings), the best server gives the RSRP (as the plan's
threshold defines it: EIRP minus path loss) and SINR = P_best / (load * sum P_other + N)
with N = -174 dBm/Hz + 10 log10(bandwidth) + noise figure (coverage_5g.coverage.noise_dbm),
every cell on the same carrier and fully loaded (the worst case).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from typing import Any

import numpy as np

from pole_siting import covering

REACH_M = 1000.0  #: interferers farther than this are left out (< 0.1 dB here)
BANDWIDTH_MHZ = 100.0  #: one n78 carrier
NOISE_FIGURE_DB = 7.0  #: UE noise figure (3GPP TR 38.901 / 38.802 typical)
LOAD = 1.0  #: share of resources the other cells transmit on (1 = full load)
FREQUENCY_GHZ = 3.5
MODEL = "umi_street_canyon"


def load_coverage_5g() -> bool:
    """Make the 5G coverage plugin's package importable: already imported (its plugin
    is loaded, or an installed package), else from the folder beside this plugin (the
    built-in plugins ship together), registered the way the plugin loader registers a
    folder plugin. False when it is nowhere."""
    if "coverage_5g" in sys.modules:
        return True
    if importlib.util.find_spec("coverage_5g") is not None:
        importlib.import_module("coverage_5g")
        return True
    folder = Path(__file__).resolve().parents[1] / "coverage_5g"
    init = folder / "__init__.py"
    if not init.is_file():
        return False
    spec = importlib.util.spec_from_file_location("coverage_5g", init,
                                                  submodule_search_locations=[str(folder)])
    if spec is None or spec.loader is None:
        return False
    module = importlib.util.module_from_spec(spec)
    module.__cimviewer_folder_plugin__ = True  # type: ignore[attr-defined]
    sys.modules["coverage_5g"] = module
    try:
        spec.loader.exec_module(module)
    except Exception:
        for name in [n for n in sys.modules if n == "coverage_5g"
                     or n.startswith("coverage_5g.")]:
            del sys.modules[name]
        return False
    return True


def received_dbm(eirp_dbm: float, d: np.ndarray, h_tx: np.ndarray, h_rx: float,
                 los: np.ndarray) -> np.ndarray:
    if not load_coverage_5g():
        raise ImportError("the 5G coverage plugin (coverage_5g) is not available")
    from coverage_5g.models import path_loss

    return eirp_dbm - np.asarray(path_loss(MODEL, FREQUENCY_GHZ, np.maximum(d, 1.0), h_tx,
                                           h_rx, los=los), float)


def noise_dbm(bandwidth_mhz: float = BANDWIDTH_MHZ,
              noise_figure_db: float = NOISE_FIGURE_DB) -> float:
    if load_coverage_5g():
        from coverage_5g.coverage import noise_dbm as plugin_noise

        return float(plugin_noise(bandwidth_mhz, noise_figure_db))
    return -174.0 + 10.0 * np.log10(bandwidth_mhz * 1e6) + noise_figure_db


def evaluate(cells_xy: np.ndarray, cells_h: np.ndarray, demand_xy: np.ndarray,
             eirp_dbm: float, sight: Any = None, r_i: int | None = None, rx_h: float = 1.5,
             indoor_loss_db: float = 0.0, reach_m: float = REACH_M) -> dict[str, np.ndarray]:
    """Per demand point: best-server RSRP (dBm, -inf where no cell within reach), the
    best server (index into ``cells_xy``, -1 none) and SINR (dB, NaN where none)."""
    n = len(demand_xy)
    i, j, d = covering.pair_distances(cells_xy, demand_xy, reach_m)
    los = (sight.visible(r_i, cells_xy, cells_h, demand_xy, rx_h, i, j)
           if sight is not None else np.zeros(len(i), bool))
    p = received_dbm(eirp_dbm, d, np.asarray(cells_h, float)[j], rx_h, los) - indoor_loss_db
    best = np.full(n, -np.inf)
    np.maximum.at(best, i, p)
    server = np.full(n, -1, np.int64)
    top = p >= best[i]
    server[i[top]] = j[top]
    total = np.bincount(i, 10.0 ** (p / 10.0), minlength=n)
    has = np.isfinite(best)
    signal = np.where(has, 10.0 ** (np.where(has, best, 0.0) / 10.0), 0.0)
    interference = LOAD * np.maximum(total - signal, 0.0)
    with np.errstate(divide="ignore"):
        sinr = 10.0 * np.log10(signal / (interference + 10.0 ** (noise_dbm() / 10.0)))
    return {"rsrp_dbm": best, "server": server, "sinr_db": np.where(has, sinr, np.nan),
            "los_share": np.array(float(los.mean()) if len(los) else 0.0)}


def summary(rsrp: np.ndarray, sinr: np.ndarray, weights: np.ndarray,
            threshold_dbm: float) -> dict[str, float | None]:
    """Share of the (weighted) demand at or above the threshold, median RSRP and the
    median and 5th percentile of SINR over the points some cell reaches."""
    w = np.asarray(weights, float)
    total = float(w.sum())
    above = rsrp >= threshold_dbm
    served = np.isfinite(rsrp)

    def q(values: np.ndarray, pct: float) -> float | None:
        return round(float(np.percentile(values, pct)), 2) if len(values) else None

    return {"rsrp_share_above": round(float(w[above].sum() / total), 6) if total else 0.0,
            "rsrp_median_dbm": q(rsrp[served], 50),
            "sinr_median_db": q(sinr[served], 50),
            "sinr_p5_db": q(sinr[served], 5),
            "sinr_share_below_0db": (round(float(w[served & (sinr < 0)].sum() / total), 6)
                                     if total else 0.0)}
