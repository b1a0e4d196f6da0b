"""Layer styles: how a layer's objects are coloured. Pure data; renderers interpret it."""

from __future__ import annotations

from dataclasses import dataclass, replace

STYLE_MODES = ("single", "semantic", "categorical", "graduated")


@dataclass(frozen=True)
class LayerStyle:
    mode: str = "single"
    color: tuple[int, int, int] = (214, 210, 200)
    attribute: str | None = None
    colormap: str = "viridis"
    classes: int = 5
    classification: str = "quantile"  # equal_interval | quantile | natural_breaks

    def with_(self, **changes: object) -> LayerStyle:
        return replace(self, **changes)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, object]:
        return {
            "mode": self.mode,
            "color": list(self.color),
            "attribute": self.attribute,
            "colormap": self.colormap,
            "classes": self.classes,
            "classification": self.classification,
        }

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
        )


def _integer(value: object, what: str) -> int:
    """``int(value)`` for what a saved style can hold (a number or its text)."""
    if not isinstance(value, (int, float, str)):
        raise TypeError(f"{what} must be an integer, found {type(value).__name__}")
    return int(value)
