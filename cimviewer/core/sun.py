"""Sun position (NOAA solar calculator equations), for lighting and shadows."""

from __future__ import annotations

import math
from datetime import datetime, timezone


def sun_position(when: datetime, latitude: float, longitude: float) -> tuple[float, float]:
    """(azimuth degrees clockwise from north, elevation degrees above the horizon).

    ``when`` must be timezone-aware. Accurate to a fraction of a degree for
    1901-2099, which is plenty for shading a city model.
    """
    if when.tzinfo is None:
        raise ValueError("time must carry a time zone")
    utc = when.astimezone(timezone.utc)
    jd = utc.timestamp() / 86400.0 + 2440587.5
    t = (jd - 2451545.0) / 36525.0
    l0 = (280.46646 + t * (36000.76983 + t * 0.0003032)) % 360
    m = 357.52911 + t * (35999.05029 - 0.0001537 * t)
    e = 0.016708634 - t * (0.000042037 + 0.0000001267 * t)
    mr = math.radians(m)
    c = (math.sin(mr) * (1.914602 - t * (0.004817 + 0.000014 * t))
         + math.sin(2 * mr) * (0.019993 - 0.000101 * t) + math.sin(3 * mr) * 0.000289)
    true_long = l0 + c
    omega = 125.04 - 1934.136 * t
    app_long = true_long - 0.00569 - 0.00478 * math.sin(math.radians(omega))
    eps0 = 23 + (26 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60) / 60
    eps = eps0 + 0.00256 * math.cos(math.radians(omega))
    decl = math.asin(math.sin(math.radians(eps)) * math.sin(math.radians(app_long)))
    y = math.tan(math.radians(eps) / 2) ** 2
    l0r = math.radians(l0)
    eq_time = 4 * math.degrees(
        y * math.sin(2 * l0r) - 2 * e * math.sin(mr) + 4 * e * y * math.sin(mr) * math.cos(2 * l0r)
        - 0.5 * y * y * math.sin(4 * l0r) - 1.25 * e * e * math.sin(2 * mr))
    minutes = utc.hour * 60 + utc.minute + utc.second / 60
    true_solar = (minutes + eq_time + 4 * longitude) % 1440
    hour_angle = true_solar / 4 - 180 if true_solar / 4 >= 0 else true_solar / 4 + 180
    lat = math.radians(latitude)
    ha = math.radians(hour_angle)
    cos_zenith = (math.sin(lat) * math.sin(decl) + math.cos(lat) * math.cos(decl) * math.cos(ha))
    zenith = math.acos(max(-1.0, min(1.0, cos_zenith)))
    elevation = 90 - math.degrees(zenith)
    az_den = math.cos(lat) * math.sin(zenith)
    if abs(az_den) < 1e-12:
        azimuth = 180.0 if latitude > 0 else 0.0
    else:
        cos_az = (math.sin(lat) * math.cos(zenith) - math.sin(decl)) / az_den
        az = math.degrees(math.acos(max(-1.0, min(1.0, cos_az))))
        azimuth = (az + 180) % 360 if hour_angle > 0 else (540 - az) % 360
    return azimuth, elevation


def sun_direction(azimuth: float, elevation: float) -> tuple[float, float, float]:
    """Unit vector from the ground towards the sun (x east, y north, z up)."""
    az, el = math.radians(azimuth), math.radians(elevation)
    return (math.sin(az) * math.cos(el), math.cos(az) * math.cos(el), math.sin(el))
