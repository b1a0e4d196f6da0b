"""Sun position (NOAA solar calculator equations) and the project's sun settings: the
time in the project's time zone, the place, shadows on or off."""

from __future__ import annotations

import math
from datetime import datetime, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from psygnal import Signal


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


def nautical_time_zone(longitude: float) -> str:
    """The sea time zone of a longitude (``Etc/GMT-8`` east of 112.5°E): the fallback
    when no time-zone map is installed. The user can pick the civil zone."""
    hours = max(-12, min(14, round(longitude / 15.0)))
    if hours == 0:
        return "Etc/GMT"
    # the Etc names have the sign reversed (POSIX): Etc/GMT-8 is UTC+8
    return f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}"


def time_zone_at(latitude: float, longitude: float) -> str:
    """The IANA time zone at a place: from the time-zone map (``tzfpy``) when installed,
    else the sea zone of the longitude."""
    try:
        from tzfpy import get_tz  # optional: offline polygons of the civil zones
    except ImportError:
        return nautical_time_zone(longitude)
    name = get_tz(longitude, latitude)
    return name or nautical_time_zone(longitude)


def zone(name: str) -> tzinfo:
    """The time zone called ``name`` (ValueError for an unknown name)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


class SunSettings:
    """The sun the project is lit by: a wall-clock time in the project's time zone at a
    place, and whether buildings cast shadows. Saved with the project.

    ``when`` is naive: the time as a planner types it, read in ``time_zone`` (so
    15:00 in a Shenzhen project is 15:00 China time whatever the machine's zone).
    Without a time and a place the scene keeps its default light."""

    changed = Signal()

    def __init__(self) -> None:
        self.when: datetime | None = None
        self.time_zone: str | None = None
        self.latitude: float | None = None
        self.longitude: float | None = None
        self.shadows = False

    def set(self, *, when: datetime | None = None, time_zone: str | None = None,
            latitude: float | None = None, longitude: float | None = None,
            shadows: bool | None = None) -> None:
        """Change some settings; one ``changed`` event."""
        if time_zone is not None:
            zone(time_zone)  # refuse unknown names before changing anything
            self.time_zone = time_zone
        if when is not None:
            self.when = when.replace(tzinfo=None)
        if latitude is not None:
            if not -90 <= latitude <= 90:
                raise ValueError("latitude must be within -90..90")
            self.latitude = float(latitude)
        if longitude is not None:
            if not -180 <= longitude <= 180:
                raise ValueError("longitude must be within -180..180")
            self.longitude = float(longitude)
        if shadows is not None:
            self.shadows = bool(shadows)
        self.changed.emit()

    def aware_time(self) -> datetime | None:
        """``when`` in the project's time zone (None when unset)."""
        if self.when is None:
            return None
        name = self.time_zone or (nautical_time_zone(self.longitude)
                                  if self.longitude is not None else "UTC")
        return self.when.replace(tzinfo=zone(name))

    def position(self) -> tuple[float, float] | None:
        """(azimuth, elevation) in degrees, or None without a time and a place."""
        when = self.aware_time()
        if when is None or self.latitude is None or self.longitude is None:
            return None
        return sun_position(when, self.latitude, self.longitude)

    def to_dict(self) -> dict[str, Any]:
        return {"when": None if self.when is None else self.when.isoformat(),
                "time_zone": self.time_zone, "latitude": self.latitude,
                "longitude": self.longitude, "shadows": self.shadows}

    def update_from_dict(self, data: dict[str, Any]) -> None:
        """Replace all settings from :meth:`to_dict` output (ValueError when invalid)."""
        when = data.get("when")
        name = data.get("time_zone")
        if name is not None:
            zone(str(name))
        lat, lon = data.get("latitude"), data.get("longitude")
        self.when = None if when is None else datetime.fromisoformat(str(when)).replace(
            tzinfo=None)
        self.time_zone = None if name is None else str(name)
        self.latitude = None if lat is None else float(lat)
        self.longitude = None if lon is None else float(lon)
        self.shadows = bool(data.get("shadows", False))
        self.changed.emit()

    def reset(self) -> None:
        """No time, place or shadows (a new project)."""
        self.update_from_dict({})
