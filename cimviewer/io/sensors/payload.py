"""Sensor message payloads: the default JSON shape and a configurable field mapping.

The default payload is a JSON object::

    {"id": "SEN-001", "value": 42.5, "time": "2024-11-19T18:00:00+08:00", "unit": "µg/m³"}

``time`` (ISO 8601; without an offset it is read in the mapping's time zone; missing: the
time of arrival) and ``unit`` are optional. Other shapes are read through a
:class:`PayloadMapping`: dotted field paths, and the sensor id taken from a topic
segment, e.g. OGC SensorThings observations ``{"result": 3.2, "phenomenonTime": "..."}``
on ``v1.1/Datastreams(17)/Observations`` with ``id_topic_segment=1``.
"""

from __future__ import annotations

import re
import sys
import time as _time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import orjson


class MalformedMessageError(ValueError):
    """A message that cannot be read as a sensor reading (counted and skipped)."""


@dataclass(frozen=True)
class PayloadMapping:
    id_field: str | None = "id"
    value_field: str = "value"
    time_field: str | None = "time"
    unit_field: str | None = "unit"
    #: take the id from this topic segment (0-based; negative counts from the end)
    id_topic_segment: int | None = None
    #: optional regular expression applied to that segment; group 1 is the id
    id_topic_pattern: str | None = None
    #: time zone of times without an offset, as hours east of UTC
    utc_offset_hours: float = 0.0
    #: optional position of the sensor (used to place sensors the layer does not know)
    x_field: str | None = "lon"
    y_field: str | None = "lat"
    position_crs: str = "EPSG:4326"  # of x_field / y_field (default: WGS 84 degrees)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> PayloadMapping:
        data = dict(data or {})
        preset = data.pop("preset", None)
        base = PRESETS.get(preset, cls()) if preset else cls()
        known = {k: v for k, v in data.items() if k in base.to_dict()}
        return cls(**{**base.to_dict(), **known})


PRESETS: dict[str, PayloadMapping] = {
    "default": PayloadMapping(),
    "sensorthings": PayloadMapping(id_field=None, value_field="result",
                                   time_field="phenomenonTime", unit_field=None,
                                   id_topic_segment=-2, id_topic_pattern=r"\((.+)\)"),
}


def epoch_seconds(number: float) -> float:
    """Epoch seconds from a number of epoch seconds, milliseconds, microseconds or
    nanoseconds (IoT payloads use all four): told apart by size, since any date after
    1973 in milliseconds exceeds every date before the year 5000 in seconds."""
    magnitude = abs(number)
    for limit, scale in ((1e11, 1.0), (1e14, 1e-3), (1e17, 1e-6)):
        if magnitude < limit:
            return number * scale
    return number * 1e-9


#: readings outside these times are malformed: a device clock at 1e300 or the year 1
#: would break every datetime made from them later (reports, the time slider)
EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.utc).timestamp()
LATEST = datetime(2200, 1, 1, tzinfo=timezone.utc).timestamp()


def parse_time(value: Any, tz: timezone) -> float:
    """Epoch seconds from ISO 8601 text or a number (epoch s, ms, µs or ns), between
    the years 1900 and 2200 (else MalformedMessageError)."""
    when = _parse_time(value, tz)
    if not (EARLIEST <= when < LATEST):  # also NaN
        raise MalformedMessageError(f"time {value!r:.40} is out of range (years 1900-2199)")
    return when


def _parse_time(value: Any, tz: timezone) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return epoch_seconds(float(value))
        except OverflowError:
            raise MalformedMessageError(f"time {value!r:.40} is out of range") from None
    if not isinstance(value, str):
        raise MalformedMessageError(f"time is not ISO 8601 text: {value!r}")
    text = value.split("/", 1)[0]  # SensorThings intervals: start/end -> start
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise MalformedMessageError(f"time is not ISO 8601: {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    try:
        return parsed.timestamp()
    except (OverflowError, ValueError, OSError):
        raise MalformedMessageError(f"time {value!r:.40} is out of range") from None


def _field(obj: dict, path: str) -> Any:
    if "." not in path:
        return obj.get(path)
    value: Any = obj
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


#: the id pattern is applied to topic segments up to this long
MAX_PATTERN_TEXT = 256
MAX_PATTERN_LENGTH = 200


def compile_topic_pattern(pattern: str) -> re.Pattern[str]:
    """A user's id pattern, compiled; ValueError (one line) when it is invalid, has no
    group 1, or nests quantifiers (``(a+)+``), which take exponential time on long
    topics."""
    if not isinstance(pattern, str) or len(pattern) > MAX_PATTERN_LENGTH:
        raise ValueError(f"id topic pattern must be text of at most {MAX_PATTERN_LENGTH} "
                         "characters")
    try:
        compiled = re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        raise ValueError(f"id topic pattern {pattern!r} is not a regular expression: "
                         f"{exc}") from None
    if compiled.groups < 1:
        raise ValueError(f"id topic pattern {pattern!r} needs a group: (...) is the id")
    if _nested_repeat(pattern):
        raise ValueError(f"id topic pattern {pattern!r} repeats a repeated part (like "
                         "(a+)+): it can take exponential time; simplify it")
    return compiled


def _nested_repeat(pattern: str) -> bool:
    if sys.version_info >= (3, 11):
        from re import _constants as c  # type: ignore[attr-defined]  # private, no stub
        from re import _parser as parser  # type: ignore[attr-defined]  # private, no stub
    else:  # pragma: no cover - Python < 3.11
        import sre_constants as c
        import sre_parse as parser
    repeats = {c.MAX_REPEAT, c.MIN_REPEAT}

    def walk(items, inside: bool) -> bool:
        for op, arg in items:
            if op in repeats:
                _lo, hi, body = arg
                unbounded = hi == c.MAXREPEAT or hi > 1
                if unbounded and inside:
                    return True
                if walk(body, inside or unbounded):
                    return True
            elif op == c.SUBPATTERN:
                if walk(arg[-1], inside):
                    return True
            elif op == c.BRANCH:
                if any(walk(branch, inside) for branch in arg[1]):
                    return True
            elif op in (c.ASSERT, c.ASSERT_NOT) and walk(arg[1], inside):
                return True
        return False

    try:
        return walk(parser.parse(pattern), False)
    except Exception:  # an unusual pattern the walk does not know: refuse to guess
        return True


class PayloadParser:
    """Turns (topic, payload bytes) into (id, epoch seconds, value, unit)."""

    def __init__(self, mapping: PayloadMapping | None = None):
        self.mapping = m = mapping or PayloadMapping()
        self._tz = timezone(timedelta(hours=m.utc_offset_hours))
        self._pattern = compile_topic_pattern(m.id_topic_pattern) if m.id_topic_pattern \
            else None

    def topic_id(self, topic: str) -> str:
        parts = topic.split("/")
        seg = self.mapping.id_topic_segment
        try:
            text = parts[seg]  # type: ignore[index]
        except IndexError:
            raise MalformedMessageError("topic has no id segment") from None
        if self._pattern is not None:
            if len(text) > MAX_PATTERN_TEXT:  # bounds the pattern's work on long topics
                raise MalformedMessageError(f"topic segment is longer than "
                                            f"{MAX_PATTERN_TEXT} characters")
            match = self._pattern.search(text)
            if match is None:
                raise MalformedMessageError(f"topic segment {text!r} has no id")
            text = match.group(1)
        return text

    def parse(self, topic: str, payload: bytes) -> tuple[str, float, float, str]:
        return self.parse_full(topic, payload)[:4]

    def parse_full(self, topic: str, payload: bytes
                   ) -> tuple[str, float, float, str, float, float]:
        """(id, epoch seconds, value, unit, x, y); x and y are NaN when the message gives
        no position (in :attr:`PayloadMapping.position_crs`)."""
        m = self.mapping
        try:
            obj = orjson.loads(payload)
        except orjson.JSONDecodeError:
            raise MalformedMessageError("payload is not JSON") from None
        if not isinstance(obj, dict):
            raise MalformedMessageError("payload is not a JSON object")
        if m.id_topic_segment is not None:
            sid = self.topic_id(topic)
        else:
            raw_id = _field(obj, m.id_field or "id")
            if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
                raise MalformedMessageError("no sensor id")
            sid = str(raw_id)
            if not sid:
                raise MalformedMessageError("empty sensor id")
        value = _field(obj, m.value_field)
        if isinstance(value, str):  # many devices send "12.5": a number in quotes
            try:
                value = float(value.strip())
            except ValueError:
                raise MalformedMessageError(f"{m.value_field} is not a number") from None
            if value != value or value in (float("inf"), float("-inf")):
                raise MalformedMessageError(f"{m.value_field} is not a finite number")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise MalformedMessageError(f"{m.value_field} is not a number")
        raw_time = _field(obj, m.time_field) if m.time_field else None
        when = _time.time() if raw_time is None else parse_time(raw_time, self._tz)
        unit = _field(obj, m.unit_field) if m.unit_field else None
        x = _coordinate(obj, m.x_field)
        y = _coordinate(obj, m.y_field)
        if x != x or y != y:
            x = y = float("nan")
        return sid, when, float(value), unit if isinstance(unit, str) else "", x, y


def _coordinate(obj: dict, path: str | None) -> float:
    """A finite number at ``path`` (numbers in quotes too), else NaN: a bad position is
    no position, the reading itself still counts."""
    value = _field(obj, path) if path else None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return float("nan")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return float("nan")
    value = float(value)
    return value if value - value == 0 else float("nan")
