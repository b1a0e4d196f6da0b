"""Antenna patterns: omni and the 3GPP TR 38.901 Table 7.3-1 sector element."""

from __future__ import annotations

import numpy as np


def sector_attenuation_db(theta_deg, phi_deg, *, theta_tilt_deg: float = 90.0,
                          theta_3db: float = 65.0, phi_3db: float = 65.0,
                          a_max: float = 30.0, sla_v: float = 30.0) -> np.ndarray:
    """Relative pattern A(θ, φ) ≤ 0 dB of 38.901 Table 7.3-1.

    ``theta_deg`` is the zenith angle (90° = horizon) and ``phi_deg`` the azimuth off
    boresight (−180..180). ``theta_tilt_deg`` = 90° + electrical downtilt.
    """
    theta = np.asarray(theta_deg, float)
    phi = (np.asarray(phi_deg, float) + 180.0) % 360.0 - 180.0
    a_v = -np.minimum(12.0 * ((theta - theta_tilt_deg) / theta_3db) ** 2, sla_v)
    a_h = -np.minimum(12.0 * (phi / phi_3db) ** 2, a_max)
    return -np.minimum(-(a_v + a_h), a_max)


def direction_angles(dx, dy, dz) -> tuple[np.ndarray, np.ndarray]:
    """Zenith angle and compass bearing (degrees, clockwise from north) of vectors."""
    dx = np.asarray(dx, float)
    dy = np.asarray(dy, float)
    dz = np.asarray(dz, float)
    theta = np.degrees(np.arctan2(np.hypot(dx, dy), dz))
    bearing = np.degrees(np.arctan2(dx, dy))
    return theta, bearing


def gain_towards(site: dict, dx, dy, dz) -> np.ndarray:
    """Gain (dBi) of a resolved site's antenna towards offsets (dx, dy, dz) from it."""
    dx = np.asarray(dx, float)
    if site["antenna"] == "omni":
        return np.full(dx.shape, site["gain_dbi"])
    theta, bearing = direction_angles(dx, dy, dz)
    att = sector_attenuation_db(
        theta, bearing - site["azimuth_deg"], theta_tilt_deg=90.0 + site["downtilt_deg"],
        theta_3db=site["v_beamwidth_deg"], phi_3db=site["h_beamwidth_deg"],
        a_max=site["front_to_back_db"], sla_v=site["sla_v_db"])
    return site["gain_dbi"] + att
