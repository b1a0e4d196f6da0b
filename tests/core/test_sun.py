"""The sun's position in the project's time zone, checked against another algorithm."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from cimviewer.core.project import Project
from cimviewer.core.sun import SunSettings, nautical_time_zone, sun_position, time_zone_at

SHENZHEN = (22.54, 114.06)


def almanac_elevation(utc: datetime, latitude: float, longitude: float) -> float:
    """Sun elevation by the Astronomical Almanac's low-precision formulas (Michalsky
    1988), independent of the NOAA equations under test: good to about 0.01°."""
    n = (utc - datetime(2000, 1, 1, 12, tzinfo=timezone.utc)) / timedelta(days=1)
    mean_long = (280.460 + 0.9856474 * n) % 360
    anomaly = math.radians((357.528 + 0.9856003 * n) % 360)
    ecl_long = math.radians(mean_long + 1.915 * math.sin(anomaly)
                            + 0.020 * math.sin(2 * anomaly))
    obliquity = math.radians(23.439 - 0.0000004 * n)
    ra = math.degrees(math.atan2(math.cos(obliquity) * math.sin(ecl_long),
                                 math.cos(ecl_long)))
    dec = math.asin(math.sin(obliquity) * math.sin(ecl_long))
    hours = utc.hour + utc.minute / 60 + utc.second / 3600
    gmst = (6.697375 + 0.0657098242 * n + hours) % 24
    hour_angle = math.radians((gmst + longitude / 15) * 15 - ra)
    lat = math.radians(latitude)
    return math.degrees(math.asin(math.sin(dec) * math.sin(lat)
                                  + math.cos(dec) * math.cos(lat) * math.cos(hour_angle)))


@pytest.mark.parametrize(("when", "place"), [
    (datetime(2024, 6, 21, 15, 0), SHENZHEN),
    (datetime(2025, 12, 21, 9, 30), SHENZHEN),
    (datetime(2026, 3, 20, 17, 45), (31.23, 121.47)),  # Shanghai, low evening sun
])
def test_elevation_in_the_project_time_zone_matches_the_almanac(when, place):
    sun = SunSettings()
    sun.set(when=when, time_zone="Asia/Shanghai", latitude=place[0], longitude=place[1])
    _azimuth, elevation = sun.position()
    utc = when.replace(tzinfo=timezone(timedelta(hours=8))).astimezone(timezone.utc)
    assert abs(elevation - almanac_elevation(utc, *place)) < 0.5


def test_afternoon_in_shenzhen_is_daylight_whatever_the_machine_zone(monkeypatch):
    # the bug: 15:00 read in the machine's zone (UTC) put the sun at -39.6°
    monkeypatch.setenv("TZ", "UTC")
    sun = SunSettings()
    sun.set(when=datetime(2024, 6, 21, 15, 0), time_zone=time_zone_at(*SHENZHEN),
            latitude=SHENZHEN[0], longitude=SHENZHEN[1])
    assert sun.position()[1] > 30
    misread = sun_position(datetime(2024, 6, 21, 15, 0, tzinfo=timezone.utc), *SHENZHEN)
    assert misread[1] < 0


def test_time_zone_from_the_location():
    pytest.importorskip("tzfpy")
    assert time_zone_at(*SHENZHEN) == "Asia/Shanghai"
    assert time_zone_at(40.4, -3.7) == "Europe/Madrid"  # UTC+1, though at 4° west


def test_sea_time_zone_without_a_map(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "tzfpy", None)  # not installed
    offset = datetime(2024, 1, 1, tzinfo=ZoneInfo(time_zone_at(*SHENZHEN))).utcoffset()
    assert offset == timedelta(hours=8)
    assert nautical_time_zone(114.06) == "Etc/GMT-8"
    assert nautical_time_zone(-74.0) == "Etc/GMT+5"
    assert nautical_time_zone(3.0) == "Etc/GMT"


def test_settings_round_trip_and_refuse_unknown_zones():
    sun = SunSettings()
    sun.set(when=datetime(2024, 6, 21, 15, 0), time_zone="Asia/Shanghai",
            latitude=22.5, longitude=114.0, shadows=True)
    again = SunSettings()
    again.update_from_dict(sun.to_dict())
    assert again.to_dict() == sun.to_dict()
    with pytest.raises(ValueError):
        sun.set(time_zone="Mars/Olympus")
    assert sun.time_zone == "Asia/Shanghai"


def test_changing_the_sun_modifies_the_project_and_clear_resets_it():
    project = Project()
    project.sun.set(shadows=True)
    assert project.modified
    project.clear()
    assert not project.sun.shadows and project.sun.when is None
