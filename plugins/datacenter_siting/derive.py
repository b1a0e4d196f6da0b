"""Site columns derived from other data: estimated PUE and free-cooling hours from climate
normals, PUE caps by policy class, latency to demand centres, nearest substation."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from datacenter_siting.latency import great_circle_km, latency_ms, planar_km
from datacenter_siting.pue import CoolingModel, annual_pue
from datacenter_siting.sites import Sites, SitesError

DATA = Path(__file__).resolve().parent / "data"
MONTHS = [f"t{m:02d}" for m in range(1, 13)]
RH_MONTHS = [f"rh{m:02d}" for m in range(1, 13)]


def default_caps() -> dict[str, float]:
    raw = json.loads((DATA / "pue_caps.json").read_text(encoding="utf-8"))
    return {k: float(v) for k, v in raw.items() if not k.startswith("_")}


def parse_caps(text: str | None) -> dict[str, float]:
    """``CLASS=CAP,...`` over the defaults of ``data/pue_caps.json``."""
    caps = default_caps()
    for item in (t.strip() for t in (text or "").split(",")):
        if not item:
            continue
        name, sep, value = item.partition("=")
        try:
            caps[name.strip()] = float(value)
        except ValueError:
            raise SitesError(f"pue_caps: {item!r}: write CLASS=CAP, e.g. western_hub=1.2") \
                from None
        if not sep:
            raise SitesError(f"pue_caps: {item!r}: write CLASS=CAP")
    return caps


def add_pue(sites: Sites, model: CoolingModel | None = None) -> bool:
    """``pue_est`` and ``free_cooling_h`` from monthly normals t01..t12 (C) with rh01..rh12
    or an annual ``rh`` (%); False when the sites have no climate columns."""
    if not all(m in sites.columns for m in MONTHS):
        return False
    temp = np.column_stack([sites.column(m, "climate") for m in MONTHS])
    if all(m in sites.columns for m in RH_MONTHS):
        rh: np.ndarray = np.column_stack([sites.column(m, "climate") for m in RH_MONTHS])
    elif "rh" in sites.columns:
        rh = sites.column("rh", "climate")
    else:
        raise SitesError("climate: monthly temperatures t01..t12 need humidity: an 'rh' "
                         "column (annual mean, %) or rh01..rh12")
    out = annual_pue(temp, rh, model)
    sites.set_column("pue_est", np.round(out["pue"], 4))
    sites.set_column("free_cooling_h", np.round(out["free_hours"], 0))
    return True


def add_caps(sites: Sites, caps: dict[str, float]) -> bool:
    """``pue_cap`` from the ``policy_class`` column and the caps; False without one."""
    if "policy_class" not in sites.columns:
        return False
    classes = [str(c or "").strip() for c in sites.columns["policy_class"]]
    unknown = sorted({c for c in classes if c not in caps})
    if unknown:
        raise SitesError(f"pue_caps: no cap for policy class {', '.join(unknown)} "
                         f"(known: {', '.join(caps)})")
    sites.set_column("pue_cap", np.array([caps[c] for c in classes]))
    return True


def add_latency(sites: Sites, demand: Sites, route_factor: float, hop_ms: float) -> None:
    """``latency_ms`` (demand-weighted mean, one way) and ``latency_max_ms`` to the demand
    centres, from great-circle (lon/lat) or planar (x/y) distances."""
    weights = (demand.column("weight", "demand") if "weight" in demand.columns
               else np.ones(demand.n))
    if sites.lonlat is not None and demand.lonlat is not None:
        km = great_circle_km(sites.lonlat[:, None, 0], sites.lonlat[:, None, 1],
                             demand.lonlat[None, :, 0], demand.lonlat[None, :, 1])
    elif sites.xy is not None and demand.xy is not None:
        km = planar_km(sites.xy[:, None, 0], sites.xy[:, None, 1],
                       demand.xy[None, :, 0], demand.xy[None, :, 1])
    else:
        raise SitesError("demand: sites and demand centres both need lon/lat or both x/y")
    ms = latency_ms(km, route_factor, hop_ms)
    sites.set_column("latency_ms", np.round((ms * weights).sum(axis=1) / weights.sum(), 4))
    sites.set_column("latency_max_ms", np.round(ms.max(axis=1), 4))


def add_substations(sites: Sites, xy: np.ndarray, capacity: np.ndarray | None) -> None:
    """``substation_m`` (distance to the nearest substation) and, with a capacity column,
    ``substation_capacity`` (of the nearest one; e.g. spare MW or kVA)."""
    if sites.xy is None:
        raise SitesError("substations: the sites have no x/y positions (a layer or x, y "
                         "columns in the project CRS)")
    d = np.hypot(sites.xy[:, None, 0] - xy[None, :, 0], sites.xy[:, None, 1] - xy[None, :, 1])
    nearest = np.argmin(d, axis=1)
    sites.set_column("substation_m", np.round(d[np.arange(sites.n), nearest], 1))
    if capacity is not None:
        sites.set_column("substation_capacity", np.asarray(capacity, float)[nearest])
