"""Sites (base stations) and their carrier: placement, power, antenna, resource blocks."""

from __future__ import annotations

from dataclasses import asdict, dataclass, is_dataclass

import numpy as np

from coverage_5g.height_raster import HeightRaster, sample_bilinear

#: Maximum transmission bandwidth N_RB, 3GPP TS 38.101-1 Table 5.3.2-1 (FR1) and
#: TS 38.101-2 Table 5.3.2-1 (FR2): {(SCS kHz, bandwidth MHz): N_RB}.
N_RB: dict[tuple[int, int], int] = {
    **{(15, b): n for b, n in {5: 25, 10: 52, 15: 79, 20: 106, 25: 133, 30: 160, 40: 216,
                               50: 270}.items()},
    **{(30, b): n for b, n in {5: 11, 10: 24, 15: 38, 20: 51, 25: 65, 30: 78, 40: 106,
                               50: 133, 60: 162, 70: 189, 80: 217, 90: 245,
                               100: 273}.items()},
    **{(60, b): n for b, n in {10: 11, 15: 18, 20: 24, 25: 31, 30: 38, 40: 51, 50: 65,
                               60: 79, 70: 93, 80: 107, 90: 121, 100: 135, 200: 264}.items()},
    **{(120, b): n for b, n in {50: 32, 100: 66, 200: 132, 400: 264}.items()},
}


def n_resource_blocks(bandwidth_mhz: float, scs_khz: float) -> int:
    """N_RB of a carrier from the 3GPP tables; ValueError for combinations not listed."""
    key = (round(scs_khz), round(bandwidth_mhz))
    if key not in N_RB or abs(bandwidth_mhz - key[1]) > 1e-9:
        raise ValueError(f"no N_RB in TS 38.101 for {bandwidth_mhz:g} MHz at {scs_khz:g} kHz")
    return N_RB[key]


@dataclass
class Site:
    """One transmitter. ``height_m`` is above ground, or above the roof when ``mount="roof"``.

    Peak EIRP is ``eirp_dbm`` when given, else ``tx_power_dbm + gain_dbi``. ``gain_dbi``
    defaults to 8 dBi (38.901 element) for ``antenna="sector"`` and 0 dBi for omni.
    ``ground_z`` (e.g. the z of a pole) overrides the DEM height under the site.
    """

    x: float
    y: float
    height_m: float = 10.0
    mount: str = "ground"
    ground_z: float | None = None
    tx_power_dbm: float = 35.0
    eirp_dbm: float | None = None
    frequency_ghz: float = 3.5
    bandwidth_mhz: float = 100.0
    scs_khz: float = 30.0
    antenna: str = "omni"
    gain_dbi: float | None = None
    azimuth_deg: float = 0.0
    downtilt_deg: float = 6.0
    h_beamwidth_deg: float = 65.0
    v_beamwidth_deg: float = 65.0
    front_to_back_db: float = 30.0
    sla_v_db: float = 30.0
    name: str = ""


def resolve_sites(sites: list[Site | dict], raster: HeightRaster) -> list[dict]:
    """Plain dicts with absolute antenna z, h_BS above ground, peak EIRP and N_RB."""
    out = []
    for i, s in enumerate(sites):
        # any Site dataclass, also one of an earlier load of this plugin (reloaded
        # plugins bring a new class), checked field by field through Site(**...)
        d = asdict(Site(**(asdict(s) if is_dataclass(s) and not isinstance(s, type) else s)))
        if d["antenna"] not in ("omni", "sector"):
            raise ValueError(f"site {i}: antenna must be 'omni' or 'sector', not {d['antenna']!r}")
        if d["mount"] not in ("ground", "roof"):
            raise ValueError(f"site {i}: mount must be 'ground' or 'roof', not {d['mount']!r}")
        ground = d["ground_z"]
        if ground is None:
            ground = float(sample_bilinear(raster.ground, raster.x0, raster.y0, raster.cell,
                                           raster.cell, np.array([d["x"]]),
                                           np.array([d["y"]]))[0])
        base = ground
        if d["mount"] == "roof":
            base = max(ground, float(raster.surface_at(np.array([d["x"]]),
                                                       np.array([d["y"]]))[0]))
        if d["gain_dbi"] is None:
            d["gain_dbi"] = 8.0 if d["antenna"] == "sector" else 0.0
        d["z"] = base + d["height_m"]
        d["h_bs"] = d["z"] - ground
        d["ground"] = ground
        d["eirp_peak_dbm"] = (d["eirp_dbm"] if d["eirp_dbm"] is not None
                              else d["tx_power_dbm"] + d["gain_dbi"])
        d["n_rb"] = n_resource_blocks(d["bandwidth_mhz"], d["scs_khz"])
        d["name"] = d["name"] or f"site-{i + 1}"
        d["index"] = i
        out.append(d)
    return out


def sites_from_points(xyz: np.ndarray, heights_m: np.ndarray | float, **defaults) -> list[Site]:
    """One site per point (x, y, ground z), e.g. poles; ``defaults`` fill the other fields."""
    xyz = np.asarray(xyz, float)
    heights = np.broadcast_to(np.asarray(heights_m, float), (len(xyz),))
    return [Site(x=float(p[0]), y=float(p[1]), ground_z=float(p[2]), height_m=float(h),
                 **defaults) for p, h in zip(xyz, heights, strict=True)]


def spread_points(xy: np.ndarray, n: int) -> np.ndarray:
    """Indices of ``n`` well-spread points (greedy farthest-point, deterministic)."""
    xy = np.asarray(xy, float)[:, :2]
    if n >= len(xy):
        return np.arange(len(xy))
    centre = xy.mean(axis=0)
    chosen = [int(np.argmin(((xy - centre) ** 2).sum(axis=1)))]
    dist = ((xy - xy[chosen[0]]) ** 2).sum(axis=1)
    for _ in range(n - 1):
        k = int(np.argmax(dist))
        chosen.append(k)
        dist = np.minimum(dist, ((xy - xy[k]) ** 2).sum(axis=1))
    return np.array(chosen)
