"""Sun directions over an analysis window of one day, in true solar time or clock time.

Chinese sunlight standards (GB 50180-2018, GB/T 50947-2014) count hours in **true solar
time** (真太阳时): 08:00-16:00 on the Major Cold day (大寒, 20 January) and 09:00-15:00
on the Winter Solstice (冬至, 21/22 December). True solar noon is found from the API's
``sun_position`` (the moment the sun crosses the meridian); a true solar hour ``h`` is
then ``noon + (h - 12)`` hours, which ignores the drift of the equation of time within
one day (well under a minute).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import numpy as np

from cimviewer.api import sun_direction, sun_position

#: day presets: (month, day, start hour, end hour) in true solar time
PRESETS = {"major_cold": (1, 20, 8.0, 16.0), "winter_solstice": (12, 21, 9.0, 15.0)}


@dataclass
class SunSteps:
    """Sample instants (mid-points of the time steps) and where the sun is then."""

    hours: np.ndarray        # (n,) local hour of each sample (solar or clock)
    utc: list[datetime]      # (n,) the instants
    directions: np.ndarray   # (n, 3) unit vectors towards the sun (x east, y north, z up)
    elevation: np.ndarray    # (n,) degrees
    step_minutes: float


def _east(when: datetime, latitude: float, longitude: float) -> float:
    azimuth, elevation = sun_position(when, latitude, longitude)
    return sun_direction(azimuth, elevation)[0]


def solar_noon(day: date, latitude: float, longitude: float) -> datetime:
    """The UTC instant of true solar noon (the sun on the meridian) on ``day``."""
    guess = datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc) - timedelta(
        hours=longitude / 15.0)
    lo, hi = guess - timedelta(minutes=40), guess + timedelta(minutes=40)
    for _ in range(30):  # the sun moves from east (x > 0) to west (x < 0) through noon
        mid = lo + (hi - lo) / 2
        if _east(mid, latitude, longitude) > 0:
            lo = mid
        else:
            hi = mid
    return lo + (hi - lo) / 2


def sun_steps(day: date, latitude: float, longitude: float, start_hour: float,
              end_hour: float, step_minutes: float = 10.0, *, basis: str = "solar",
              utc_offset_hours: float = 8.0) -> SunSteps:
    """The sun at the middle of each ``step_minutes`` step from ``start_hour`` to
    ``end_hour`` of ``day``; hours in true solar time (``basis="solar"``) or in clock time
    at ``utc_offset_hours`` (``basis="clock"``)."""
    if end_hour <= start_hour:
        raise ValueError("the end hour must be after the start hour")
    n = max(1, round((end_hour - start_hour) * 60.0 / step_minutes))
    step = (end_hour - start_hour) * 60.0 / n
    hours = start_hour + (np.arange(n) + 0.5) * step / 60.0
    if basis == "solar":
        base = solar_noon(day, latitude, longitude) - timedelta(hours=12)
    elif basis == "clock":
        base = datetime(day.year, day.month, day.day, tzinfo=timezone(
            timedelta(hours=utc_offset_hours))).astimezone(timezone.utc)
    else:
        raise ValueError(f"time basis must be 'solar' or 'clock', not {basis!r}")
    utc = [base + timedelta(hours=float(h)) for h in hours]
    dirs, elev = [], []
    for when in utc:
        azimuth, elevation = sun_position(when, latitude, longitude)
        dirs.append(sun_direction(azimuth, elevation))
        elev.append(elevation)
    return SunSteps(hours, utc, np.asarray(dirs, float).reshape(-1, 3), np.asarray(elev, float),
                    step)
