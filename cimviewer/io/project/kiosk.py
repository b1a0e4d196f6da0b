"""The project file's ``kiosk`` section: reading with clear errors, and its place in a
:class:`Project` (kept beside the project like the window layout, see ``file.py``).

An optional top-level key: files without it are unchanged, and an older cimviewer
keeps it as a key it does not understand and writes it back as it was, so the schema
version stays 2 (no migration).
"""

from __future__ import annotations

from typing import Any

from cimviewer.core.kiosk import LANGUAGES, LIMITS, KioskSettings, StoryStop, parse_pin_hash
from cimviewer.io.project.schema import Checker

KEY = "kiosk"
KEYS = {"stops", *LIMITS, "layers", "toggle_layers", "sensor_labels", "sensor_surface",
        "language", "pin_hash", "monitor"}
STOP_KEYS = {"bookmark", "caption_en", "caption_zh"}
MAX_STOPS = 200


def parse(value: Any, check: Checker) -> KioskSettings:
    """Validate the section; errors name the field (``kiosk.stops[1].bookmark: ...``)."""
    data = check.obj(value, KEY)
    extra = check.note_unknown(data, KEYS, KEY)
    default = KioskSettings()
    raw_stops = check.array(data.get("stops", []), f"{KEY}.stops")
    if len(raw_stops) > MAX_STOPS:
        raise check.fail(f"{KEY}.stops", f"at most {MAX_STOPS} stops")
    stops = []
    for i, raw in enumerate(raw_stops):
        where = f"{KEY}.stops[{i}]"
        stop = check.obj(raw, where)
        check.note_unknown(stop, STOP_KEYS, where)
        stops.append(StoryStop(
            bookmark=check.text(stop.get("bookmark"), f"{where}.bookmark", nonempty=True),  # type: ignore[arg-type]
            caption_en=check.text(stop.get("caption_en", ""), f"{where}.caption_en"),  # type: ignore[arg-type]
            caption_zh=check.text(stop.get("caption_zh", ""), f"{where}.caption_zh")))  # type: ignore[arg-type]
    timing = {name: check.number(data.get(name, getattr(default, name)), f"{KEY}.{name}",
                                 lo, hi) for name, (lo, hi) in LIMITS.items()}
    layers = data.get("layers")
    language = data.get("language", default.language)
    if language not in LANGUAGES:
        raise check.fail(f"{KEY}.language", f"must be one of {', '.join(LANGUAGES)}")
    pin_hash = check.text(data.get("pin_hash"), f"{KEY}.pin_hash", optional=True)
    if pin_hash is not None:
        try:
            parse_pin_hash(pin_hash)
        except ValueError as exc:
            raise check.fail(f"{KEY}.pin_hash", str(exc)) from None
    return KioskSettings(
        stops=tuple(stops),
        layers=None if layers is None else _names(layers, f"{KEY}.layers", check),
        toggle_layers=_names(data.get("toggle_layers", []), f"{KEY}.toggle_layers", check),
        sensor_labels=check.flag(data.get("sensor_labels", True), f"{KEY}.sensor_labels"),
        sensor_surface=check.text(data.get("sensor_surface"), f"{KEY}.sensor_surface",
                                  optional=True, nonempty=True),
        language=language, pin_hash=pin_hash,
        monitor=check.integer(data.get("monitor", 0), f"{KEY}.monitor", 0, 63),
        extra=extra, **timing)


def _names(value: Any, where: str, check: Checker) -> tuple[str, ...]:
    items = check.array(value, where)
    return tuple(check.text(v, f"{where}[{i}]", nonempty=True)  # type: ignore[misc]
                 for i, v in enumerate(items))


def references(settings: KioskSettings, bookmarks: list[str],
               layers: list[str]) -> list[str]:
    """Messages for stops and layers the project does not have (they are skipped, the
    project still opens: a bookmark deleted later must not lock the file out)."""
    out = []
    for i, stop in enumerate(settings.stops):
        if stop.bookmark not in bookmarks:
            out.append(f"{KEY}.stops[{i}].bookmark: no bookmark named {stop.bookmark!r}; "
                       f"the stop is skipped")
    for where, names in (("layers", settings.layers or ()),
                         ("toggle_layers", settings.toggle_layers)):
        out.extend(f"{KEY}.{where}: no layer named {name!r}" for name in names
                   if name not in layers)
    return out
