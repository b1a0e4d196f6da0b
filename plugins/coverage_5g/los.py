"""Geometric line of sight over a height raster, for many receivers at once.

Each ray is marched from the receiver towards the transmitter in steps of
``step`` metres of horizontal distance (default: one cell); a sample whose cell is
higher than the ray blocks it. For the LOS flag alone the march stops at the first
blocking cell (most street-level NLOS rays end within a few cells). With
``wavelength_m`` it also returns the Fresnel parameter ν of the main obstruction
(max over samples of h·sqrt(2 d / (λ d1 d2))), which needs the whole path.

The numba kernel runs in parallel over receivers; without numba a numpy kernel marches
all receivers of a chunk one step at a time (a loop over steps, never over pixels).
"""

from __future__ import annotations

import math

import numpy as np

try:  # numba is optional
    from numba import njit, prange
except ImportError:  # pragma: no cover - exercised when numba is absent
    njit = None
    prange = range


def _march_py(surface, x0, y0, cell, tx, ty, tz, rx, ry, rz, step, wavelength,
              blocked, nu):  # pragma: no cover - compiled by numba
    rows, cols = surface.shape
    want_nu = wavelength > 0.0
    for i in prange(rx.shape[0]):
        dx = tx - rx[i]
        dy = ty - ry[i]
        dz = tz - rz[i]
        d = math.sqrt(dx * dx + dy * dy)
        n = int(d / step)
        hit = False
        vmax = -np.inf
        for k in range(1, n + 1):
            t = k * step / d
            if t >= 1.0:
                break
            c = math.floor((rx[i] + t * dx - x0) / cell)
            r = math.floor((y0 - (ry[i] + t * dy)) / cell)
            if r < 0 or c < 0 or r >= rows or c >= cols:
                continue
            over = surface[r, c] - (rz[i] + t * dz)
            if over > 0.0:
                hit = True
                if not want_nu:
                    break
            if want_nu:
                d1 = t * d
                d2 = d - d1
                v = over * math.sqrt(2.0 * d / (wavelength * d1 * d2))
                vmax = max(vmax, v)
        blocked[i] = hit
        nu[i] = vmax


_march_nb = (njit(parallel=True, cache=True, nogil=True)(_march_py) if njit is not None
             else None)


def _march_numpy(surface, x0, y0, cell, tx, ty, tz, rx, ry, rz, step, wavelength,
                 blocked, nu, chunk: int = 262_144) -> None:
    rows, cols = surface.shape
    want_nu = wavelength > 0.0
    for s in range(0, len(rx), chunk):
        sl = slice(s, s + chunk)
        dx, dy, dz = tx - rx[sl], ty - ry[sl], tz - rz[sl]
        d = np.hypot(dx, dy)
        n = (d / step).astype(np.int64)
        hit = np.zeros(len(d), bool)
        vmax = np.full(len(d), -np.inf)
        active = np.flatnonzero(n >= 1)
        k = 1
        while len(active):
            t = k * step / d[active]
            ok = t < 1.0
            active, t = active[ok], t[ok]
            if not len(active):
                break
            c = np.floor((rx[sl][active] + t * dx[active] - x0) / cell).astype(np.int64)
            r = np.floor((y0 - (ry[sl][active] + t * dy[active])) / cell).astype(np.int64)
            inside = (r >= 0) & (c >= 0) & (r < rows) & (c < cols)
            over = np.full(len(active), -np.inf)
            over[inside] = surface[r[inside], c[inside]] - (rz[sl][active[inside]]
                                                            + t[inside] * dz[active[inside]])
            hit[active[over > 0]] = True
            if want_nu:
                d1 = t * d[active]
                with np.errstate(invalid="ignore"):
                    v = over * np.sqrt(2.0 * d[active] / (wavelength * d1 * (d[active] - d1)))
                v = np.where(inside, v, -np.inf)
                vmax[active] = np.maximum(vmax[active], v)
            else:
                active = active[~(over > 0)]
            k += 1
        blocked[sl] = hit
        nu[sl] = vmax


def trace(surface: np.ndarray, x0: float, y0: float, cell: float,
          tx: tuple[float, float, float], receivers: np.ndarray, *, step: float | None = None,
          wavelength_m: float = 0.0, backend: str = "auto") -> tuple[np.ndarray, np.ndarray]:
    """(blocked bool, ν float64) for rays from ``tx`` (x, y, z) to ``receivers`` (n, 3).

    ``ν`` is -inf unless ``wavelength_m`` > 0. ``backend``: "numba", "numpy" or "auto".
    """
    pts = np.ascontiguousarray(receivers, dtype=np.float64)
    n = len(pts)
    blocked = np.zeros(n, bool)
    nu = np.full(n, -np.inf)
    if not n:
        return blocked, nu
    step = float(step or cell)
    surf = np.ascontiguousarray(surface, dtype=np.float32)
    args = (surf, float(x0), float(y0), float(cell), float(tx[0]), float(tx[1]), float(tx[2]),
            np.ascontiguousarray(pts[:, 0]), np.ascontiguousarray(pts[:, 1]),
            np.ascontiguousarray(pts[:, 2]), step, float(wavelength_m), blocked, nu)
    use_numba = backend == "numba" or (backend == "auto" and _march_nb is not None)
    if use_numba:
        if _march_nb is None:
            raise RuntimeError("numba is not installed")
        _march_nb(*args)
    else:
        _march_numpy(*args)
    return blocked, nu


def has_numba() -> bool:
    return _march_nb is not None
