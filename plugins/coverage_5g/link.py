"""Point-to-point link budget over the height raster."""

from __future__ import annotations

import numpy as np

from coverage_5g.height_raster import HeightRaster, sample_bilinear
from coverage_5g.los import trace
from coverage_5g.models import C, fresnel_nu, knife_edge_loss, path_loss, validity_warnings


def profile(raster: HeightRaster, a: np.ndarray, b: np.ndarray,
            step: float | None = None) -> dict[str, list[float]]:
    """Surface and straight-line heights along a→b every ``step`` m (default one cell)."""
    step = step or raster.cell
    d = float(np.hypot(*(b[:2] - a[:2])))
    t = np.linspace(0.0, 1.0, max(int(d / step), 1) + 1)
    xy = a[:2] + t[:, None] * (b[:2] - a[:2])
    return {"distance_m": (t * d).tolist(),
            "surface_m": raster.surface_at(xy[:, 0], xy[:, 1]).astype(float).tolist(),
            "ray_m": (a[2] + t * (b[2] - a[2])).tolist()}


def link_budget(model: str, frequency_ghz: float, tx: tuple[float, float, float],
                rx: tuple[float, float, float], *, raster: HeightRaster | None = None,
                eirp_dbm: float = 43.0, rx_gain_dbi: float = 0.0, los: bool | None = None,
                diffraction: bool = False) -> dict:
    """Path loss and received power between ``tx`` and ``rx`` (x, y, height above ground).

    With ``raster`` the LOS state comes from the geometry (and ``diffraction`` adds
    ITU-R P.526 knife-edge loss of the main obstruction to the model's LOS loss);
    without it, ``los`` (default True) is taken as given.
    """
    h_tx, h_rx = float(tx[2]), float(rx[2])
    d2 = float(np.hypot(rx[0] - tx[0], rx[1] - tx[1]))
    out: dict = {"model": model, "frequency_ghz": frequency_ghz, "distance_m": d2,
                 "tx_height_m": h_tx, "rx_height_m": h_rx, "profile": None,
                 "diffraction_db": 0.0}
    if raster is not None:
        gx = np.array([tx[0], rx[0]])
        gy = np.array([tx[1], rx[1]])
        ground = sample_bilinear(raster.ground, raster.x0, raster.y0, raster.cell, raster.cell,
                                 gx, gy)
        a = np.array([tx[0], tx[1], ground[0] + h_tx])
        b = np.array([rx[0], rx[1], ground[1] + h_rx])
        lam = C / (frequency_ghz * 1e9)
        blocked, nu = trace(raster.surface, raster.x0, raster.y0, raster.cell, tuple(a),
                            b[None, :], wavelength_m=lam if diffraction else 0.0)
        los = not bool(blocked[0])
        out["profile"] = profile(raster, a, b)
        if diffraction:
            out["nu"] = float(nu[0])
            out["diffraction_db"] = float(knife_edge_loss(nu[0]))
    los = True if los is None else bool(los)
    pl = float(path_loss(model, frequency_ghz, max(d2, 1.0), h_tx, h_rx,
                         True if diffraction else los)) + out["diffraction_db"]
    out.update(los=los, path_loss_db=pl, received_power_dbm=eirp_dbm + rx_gain_dbi - pl,
               warnings=validity_warnings(model, frequency_ghz, d2, h_tx, h_rx))
    return out


__all__ = ["fresnel_nu", "link_budget", "profile"]
