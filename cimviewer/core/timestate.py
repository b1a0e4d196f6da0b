"""The project's clock: current time, range and playback speed (for sensor replay)."""

from __future__ import annotations

from datetime import datetime

from psygnal import Signal


def _parse(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("times must be ISO 8601 strings")
    return datetime.fromisoformat(value)


#: replay speed of a new clock: a day of 15-minute readings plays in about 1.5 minutes
DEFAULT_SPEED = 900.0


class TimeState:
    changed = Signal()

    def __init__(self) -> None:
        self.current: datetime | None = None
        self.start: datetime | None = None
        self.end: datetime | None = None
        self.speed: float = DEFAULT_SPEED
        self.live: bool = False

    def set(self, *, current: datetime | None = None, start: datetime | None = None,
            end: datetime | None = None, speed: float | None = None,
            live: bool | None = None) -> None:
        if current is not None:
            self.current = current
        if start is not None:
            self.start = start
        if end is not None:
            self.end = end
        if speed is not None:
            if not speed > 0:
                raise ValueError("playback speed must be positive")
            self.speed = float(speed)
        if live is not None:
            self.live = bool(live)
        self.changed.emit()

    def to_dict(self) -> dict:
        iso = lambda t: None if t is None else t.isoformat()  # noqa: E731
        return {"current": iso(self.current), "start": iso(self.start), "end": iso(self.end),
                "speed": self.speed, "live": self.live}

    def update_from_dict(self, data: dict) -> None:
        speed = float(data.get("speed", DEFAULT_SPEED))
        if not speed > 0 or speed != speed:
            raise ValueError("playback speed must be positive")
        self.current = _parse(data.get("current"))
        self.start = _parse(data.get("start"))
        self.end = _parse(data.get("end"))
        self.speed = speed
        self.live = bool(data.get("live", False))
        self.changed.emit()
