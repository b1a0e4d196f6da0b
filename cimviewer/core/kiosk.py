"""Kiosk settings: what an unattended exhibition screen shows and how it behaves.

Pure data (saved as the project's ``kiosk`` section, see ``io/project/kiosk.py``):
the story (bookmarks with captions in Chinese and English), timeouts, the layers
shown and the ones visitors may toggle, sensor overlays, language, the operator PIN
(a salted PBKDF2 hash, never the PIN itself) and the monitor.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from cimviewer.core.bookmarks import Bookmark
from cimviewer.core.camera import CameraState, overview_camera

LANGUAGES = ("zh_CN", "en")
PIN_ALGORITHM = "pbkdf2_sha256"
PIN_ITERATIONS = 120_000
MIN_PIN_DIGITS = 4
#: (field, lowest, highest) for the timing fields, in seconds (degrees/s for the orbit)
LIMITS: dict[str, tuple[float, float]] = {
    "idle_timeout_s": (1.0, 86_400.0),
    "countdown_s": (1.0, 600.0),
    "attract_delay_s": (0.0, 30.0),
    "flight_s": (0.2, 120.0),
    "dwell_s": (0.5, 3_600.0),
    "orbit_deg_per_s": (0.0, 45.0),
}


@dataclass(frozen=True)
class StoryStop:
    """One stop of the tour: a bookmark by name with its captions."""

    bookmark: str
    caption_en: str = ""
    caption_zh: str = ""

    def caption(self, language: str) -> str:
        """The caption in ``language``, falling back to the other one."""
        first, second = ((self.caption_zh, self.caption_en) if language == "zh_CN"
                         else (self.caption_en, self.caption_zh))
        return first or second or self.bookmark

    def to_dict(self) -> dict[str, str]:
        return {"bookmark": self.bookmark, "caption_en": self.caption_en,
                "caption_zh": self.caption_zh}


@dataclass(frozen=True)
class KioskSettings:
    """How the kiosk presents a project. ``layers`` None keeps the project's own
    visibility; ``toggle_layers`` are offered as buttons to visitors."""

    stops: tuple[StoryStop, ...] = ()
    idle_timeout_s: float = 90.0
    countdown_s: float = 10.0
    attract_delay_s: float = 20.0
    flight_s: float = 5.0
    dwell_s: float = 10.0
    orbit_deg_per_s: float = 3.0
    layers: tuple[str, ...] | None = None
    toggle_layers: tuple[str, ...] = ()
    sensor_labels: bool = True
    sensor_surface: str | None = None
    language: str = "zh_CN"
    pin_hash: str | None = None
    monitor: int = 0
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def with_(self, **changes: Any) -> KioskSettings:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.extra)  # keys of a newer version, kept unchanged
        out.update({
            "stops": [stop.to_dict() for stop in self.stops],
            "idle_timeout_s": self.idle_timeout_s,
            "countdown_s": self.countdown_s,
            "attract_delay_s": self.attract_delay_s,
            "flight_s": self.flight_s,
            "dwell_s": self.dwell_s,
            "orbit_deg_per_s": self.orbit_deg_per_s,
            "layers": None if self.layers is None else list(self.layers),
            "toggle_layers": list(self.toggle_layers),
            "sensor_labels": self.sensor_labels,
            "sensor_surface": self.sensor_surface,
            "language": self.language,
            "pin_hash": self.pin_hash,
            "monitor": self.monitor,
        })
        return out

    def check_pin(self, pin: str) -> bool:
        """True when ``pin`` matches; with no PIN set, the operator chord alone exits."""
        return True if self.pin_hash is None else verify_pin(pin, self.pin_hash)


# --- the operator PIN ---------------------------------------------------------------------
def hash_pin(pin: str, *, salt: bytes | None = None,
             iterations: int = PIN_ITERATIONS) -> str:
    """``pbkdf2_sha256$iterations$salt hex$hash hex`` for a PIN of at least 4 digits."""
    if not (pin.isdigit() and pin.isascii() and len(pin) >= MIN_PIN_DIGITS):
        raise ValueError(f"the PIN must be at least {MIN_PIN_DIGITS} digits")
    salt = os.urandom(16) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode("ascii"), salt, iterations)
    return f"{PIN_ALGORITHM}${iterations}${salt.hex()}${digest.hex()}"


def parse_pin_hash(text: str) -> tuple[int, bytes, bytes]:
    """(iterations, salt, digest) of a stored hash; ValueError when malformed."""
    parts = text.split("$")
    if len(parts) != 4 or parts[0] != PIN_ALGORITHM:
        raise ValueError(f"must look like {PIN_ALGORITHM}$iterations$salt$hash")
    iterations = int(parts[1])
    if not 1_000 <= iterations <= 10_000_000:
        raise ValueError("the iteration count must be between 1000 and 10000000")
    salt, digest = bytes.fromhex(parts[2]), bytes.fromhex(parts[3])
    if len(salt) < 8 or len(digest) != 32:
        raise ValueError("the salt or the hash has the wrong length")
    return iterations, salt, digest


def verify_pin(pin: str, stored: str) -> bool:
    """Constant-time comparison of ``pin`` with a stored hash (False when malformed)."""
    try:
        iterations, salt, digest = parse_pin_hash(stored)
    except ValueError:
        return False
    given = hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, iterations)
    return hmac.compare_digest(given, digest)


# --- the built-in tour (the demo city, or a project without a kiosk section) -------------------
BUILT_IN_CAPTIONS: tuple[tuple[str, str, str], ...] = (
    ("Overview", "The whole district at a glance", "城区全景"),
    ("From the east", "Live air quality from street sensors", "街道传感器实时空气质量"),
    ("Towers", "The tallest buildings of the district", "城区最高的建筑"),
    ("From the north", "Roads, poles and substations", "道路、智慧灯杆与变电站"),
    ("From the west", "A smart city, updated every second", "每秒更新的智慧城市"),
)


def built_in_tour(bbox: np.ndarray,
                  towers: np.ndarray | None = None) -> tuple[list[Bookmark], list[StoryStop]]:
    """Bookmarks and stops around ``bbox``: an overview, three compass views and,
    when ``towers`` (a point near the tallest buildings) is given, a closer look."""
    lo, hi = np.asarray(bbox[:3], float), np.asarray(bbox[3:], float)
    centre = (lo + hi) / 2
    overview = overview_camera(bbox, pitch=50.0)
    distance = float(np.linalg.norm(np.subtract(overview.position, overview.focal_point)))

    def around(heading_deg: float, pitch_deg: float, target: np.ndarray,
               dist: float) -> CameraState:
        h, p = np.radians(heading_deg), np.radians(pitch_deg)
        # the eye stands opposite the heading it looks along
        offset = np.array([-np.sin(h) * np.cos(p), -np.cos(h) * np.cos(p), np.sin(p)])
        return CameraState(tuple(target + offset * dist), tuple(target), (0.0, 0.0, 1.0),
                           overview.view_angle)

    cameras = {"Overview": overview,
               "From the east": around(270.0, 35.0, centre, distance * 0.7),
               "From the north": around(180.0, 40.0, centre, distance * 0.7),
               "From the west": around(90.0, 30.0, centre, distance * 0.75)}
    if towers is not None:
        cameras["Towers"] = around(30.0, 30.0, np.asarray(towers, float), distance * 0.35)
    marks, stops = [], []
    for name, en, zh in BUILT_IN_CAPTIONS:
        if name in cameras:
            marks.append(Bookmark(name, cameras[name]))
            stops.append(StoryStop(name, en, zh))
    return marks, stops
