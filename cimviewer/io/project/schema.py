"""Validating the fields of a project file, with errors that name the JSON path.

Every check raises :class:`ProjectError` with ``where`` set to the JSON path, e.g.
``layers[2].opacity: must be a number between 0 and 1``.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from cimviewer.core.camera import CameraState
from cimviewer.core.style import (
    CLASSIFICATIONS,
    STYLE_MODES,
    LayerStyle,
    fixed_classes_from,
    value_labels_from,
)
from cimviewer.io.errors import ReadError

PLUGIN_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,99}$")
MAX_TEXT = 100_000


class ProjectError(ReadError):
    """A project file could not be read or written: one line naming file and field."""


class Checker:
    """Type and range checks for one file; collects keys it does not understand."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = path
        self.unknown: list[str] = []

    def fail(self, where: str, message: str) -> ProjectError:
        return ProjectError(message, self.path, where or None)

    # --- scalars ------------------------------------------------------------------
    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "must be a JSON object")
        return value

    def array(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, "must be a JSON array")
        return value

    def text(self, value: Any, where: str, *, optional: bool = False,
             nonempty: bool = False) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, str) or (nonempty and not value.strip()):
            kind = "a non-empty string" if nonempty else "a string"
            raise self.fail(where, f"must be {kind}" + (" or null" if optional else ""))
        if len(value) > MAX_TEXT or "\x00" in value:
            raise self.fail(where, "string is too long or contains NUL")
        return value

    def flag(self, value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(where, "must be true or false")
        return value

    def number(self, value: Any, where: str, lo: float | None = None, hi: float | None = None,
               *, lo_open: bool = False) -> float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok:
            try:
                number = float(value)
            except OverflowError:
                ok = False
            else:
                ok = math.isfinite(number) and (lo is None or number > lo if lo_open
                                                else lo is None or number >= lo)
                ok = ok and (hi is None or number <= hi)
        if not ok:
            raise self.fail(where, _range_text("a number", lo, hi, lo_open))
        return number

    def integer(self, value: Any, where: str, lo: int | None = None,
                hi: int | None = None) -> int:
        if (not isinstance(value, int) or isinstance(value, bool)
                or (lo is not None and value < lo) or (hi is not None and value > hi)):
            raise self.fail(where, _range_text("an integer", lo, hi, False))
        return value

    def vec3(self, value: Any, where: str) -> tuple[float, float, float]:
        items = self.array(value, where)
        if len(items) != 3:
            raise self.fail(where, "must be three numbers")
        return tuple(self.number(v, f"{where}[{i}]") for i, v in enumerate(items))  # type: ignore[return-value]

    def time(self, value: Any, where: str) -> datetime | None:
        if value is None:
            return None
        text = self.text(value, where)
        try:
            return datetime.fromisoformat(text)  # type: ignore[arg-type]
        except ValueError:
            raise self.fail(where, "must be an ISO 8601 date and time or null") from None

    def note_unknown(self, data: dict[str, Any], known: set[str], where: str) -> dict[str, Any]:
        """Record (and return) the keys of ``data`` that this version does not know."""
        extra = {k: v for k, v in data.items() if k not in known}
        prefix = f"{where}." if where else ""
        self.unknown.extend(f"{prefix}{k}" for k in extra)
        return extra

    # --- composite values ---------------------------------------------------------
    def camera(self, value: Any, where: str) -> CameraState:
        data = self.obj(value, where)
        self.note_unknown(data, {"position", "focal_point", "view_up", "view_angle"}, where)
        for key in ("position", "focal_point"):
            if key not in data:
                raise self.fail(f"{where}.{key}", "is missing")
        position = self.vec3(data["position"], f"{where}.position")
        focal = self.vec3(data["focal_point"], f"{where}.focal_point")
        up = self.vec3(data.get("view_up", [0.0, 0.0, 1.0]), f"{where}.view_up")
        angle = self.number(data.get("view_angle", 30.0), f"{where}.view_angle", 0, 179,
                            lo_open=True)
        if position == focal:
            raise self.fail(where, "position and focal_point must differ")
        if not any(up):
            raise self.fail(f"{where}.view_up", "must not be the zero vector")
        return CameraState(position, focal, up, angle)

    def style(self, value: Any, where: str) -> LayerStyle:
        data = self.obj(value, where)
        default = LayerStyle()
        # fixed classes and labels are written only when a style has them
        self.note_unknown(data, set(default.to_dict()) | {
            "fixed_classes", "value_labels", "attribute_label"}, where)
        mode = data.get("mode", default.mode)
        if mode not in STYLE_MODES:
            raise self.fail(f"{where}.mode", f"must be one of {', '.join(STYLE_MODES)}")
        colour = self.array(data.get("color", list(default.color)), f"{where}.color")
        if len(colour) != 3:
            raise self.fail(f"{where}.color", "must be three integers between 0 and 255")
        rgb = tuple(self.integer(c, f"{where}.color[{i}]", 0, 255) for i, c in enumerate(colour))
        classification = data.get("classification", default.classification)
        if classification not in CLASSIFICATIONS:
            raise self.fail(f"{where}.classification",
                            f"must be one of {', '.join(CLASSIFICATIONS)}")
        try:
            fixed = fixed_classes_from(data.get("fixed_classes", []))
        except (TypeError, ValueError) as exc:
            raise self.fail(f"{where}.fixed_classes", str(exc)) from None
        try:
            labels = value_labels_from(data.get("value_labels", []))
        except ValueError as exc:
            raise self.fail(f"{where}.value_labels", str(exc)) from None
        return LayerStyle(
            fixed_classes=fixed,
            value_labels=labels,
            attribute_label=self.text(data.get("attribute_label", ""),
                                      f"{where}.attribute_label"),  # type: ignore[arg-type]
            mode=mode,
            color=rgb,  # type: ignore[arg-type]
            attribute=self.text(data.get("attribute"), f"{where}.attribute", optional=True),
            colormap=self.text(data.get("colormap", default.colormap), f"{where}.colormap",
                               nonempty=True),  # type: ignore[arg-type]
            classes=self.integer(data.get("classes", default.classes), f"{where}.classes", 1, 64),
            classification=classification,
        )


def _range_text(kind: str, lo: float | None, hi: float | None, lo_open: bool) -> str:
    if lo is not None and hi is not None:
        return f"must be {kind} between {lo:g} and {hi:g}" + (f" (not {lo:g})" if lo_open else "")
    if lo is not None:
        return f"must be {kind} {'>' if lo_open else '>='} {lo:g}"
    if hi is not None:
        return f"must be {kind} <= {hi:g}"
    return f"must be a finite {kind.split()[-1]}"
