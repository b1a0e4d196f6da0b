"""Layer styles: how a layer's objects are coloured. Pure data; renderers interpret it."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace

STYLE_MODES = ("single", "semantic", "categorical", "graduated")
CLASSIFICATIONS = ("equal_interval", "quantile", "natural_breaks", "fixed")
RGB = tuple[int, int, int]


@dataclass(frozen=True)
class ValueClass:
    """One class of a fixed classification: values from ``lower`` (inclusive) up to the
    next class's lower bound get ``color`` and are listed in the legend as ``label``."""

    lower: float
    color: RGB
    label: str


@dataclass(frozen=True)
class LayerStyle:
    mode: str = "single"
    color: tuple[int, int, int] = (214, 210, 200)
    attribute: str | None = None
    colormap: str = "viridis"
    classes: int = 5
    classification: str = "quantile"  # equal_interval | quantile | natural_breaks | fixed
    #: with classification "fixed": the classes, by ascending lower bound (a planner's
    #: own classes, as the RSRP bands of a coverage legend)
    fixed_classes: tuple[ValueClass, ...] = ()
    #: what legends show instead of category values, (value, label) pairs: a plugin's
    #: codes ("new", "merged") in the user's language
    value_labels: tuple[tuple[str, str], ...] = ()
    #: what legends call the attribute ("" : its name)
    attribute_label: str = ""

    def with_(self, **changes: object) -> LayerStyle:
        return replace(self, **changes)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "mode": self.mode,
            "color": list(self.color),
            "attribute": self.attribute,
            "colormap": self.colormap,
            "classes": self.classes,
            "classification": self.classification,
        }
        if self.fixed_classes:
            out["fixed_classes"] = fixed_classes_to_list(self.fixed_classes)
        if self.value_labels:
            out["value_labels"] = [list(pair) for pair in self.value_labels]
        if self.attribute_label:
            out["attribute_label"] = self.attribute_label
        return out

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> LayerStyle:
        style = cls()
        mode = data.get("mode", style.mode)
        if mode not in STYLE_MODES:
            raise ValueError(f"unknown style mode {mode!r}")
        color = data.get("color", style.color)
        if not (isinstance(color, (list, tuple)) and len(color) == 3):
            raise ValueError("style colour must be three integers")
        r, g, b = (max(0, min(255, int(c))) for c in color)
        return cls(
            mode=str(mode),
            color=(r, g, b),
            attribute=None if data.get("attribute") is None else str(data["attribute"]),
            colormap=str(data.get("colormap", style.colormap)),
            classes=_integer(data.get("classes", style.classes), "style classes"),
            classification=str(data.get("classification", style.classification)),
            fixed_classes=fixed_classes_from(data.get("fixed_classes", [])),
            value_labels=value_labels_from(data.get("value_labels", [])),
            attribute_label=str(data.get("attribute_label") or ""),
        )


def value_labels_from(value: object) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, (list, tuple)) or not all(
            isinstance(pair, (list, tuple)) and len(pair) == 2 for pair in value):
        raise ValueError("style value labels must be [value, label] pairs")
    return tuple((str(v), str(label)) for v, label in value)


def fixed_classes_to_list(classes: tuple[ValueClass, ...]) -> list[dict[str, object]]:
    """Fixed classes in their saved form (JSON: no lower bound is None)."""
    return [{"lower": c.lower if math.isfinite(c.lower) else None, "color": list(c.color),
             "label": c.label} for c in classes]


def fixed_classes_from(value: object) -> tuple[ValueClass, ...]:
    """Fixed classes from their saved form (a list of {lower, color, label})."""
    if not isinstance(value, (list, tuple)):
        raise ValueError("fixed classes must be a list")
    out = []
    for entry in value:
        if not isinstance(entry, dict):
            raise ValueError("each fixed class must be an object with lower, color, label")
        color = entry.get("color")
        if not (isinstance(color, (list, tuple)) and len(color) == 3):
            raise ValueError("a fixed class colour must be three integers")
        r, g, b = (max(0, min(255, int(c))) for c in color)
        lower = entry.get("lower")  # None: no lower bound
        out.append(ValueClass(float("-inf") if lower is None else float(lower), (r, g, b),
                              str(entry.get("label", ""))))
    if any(a.lower >= b.lower for a, b in itertools.pairwise(out)):
        raise ValueError("fixed classes must be in ascending order of their lower bounds")
    return tuple(out)


def _integer(value: object, what: str) -> int:
    """``int(value)`` for what a saved style can hold (a number or its text)."""
    if not isinstance(value, (int, float, str)):
        raise TypeError(f"{what} must be an integer, found {type(value).__name__}")
    return int(value)
