"""Typed algorithm parameters: one declaration drives the GUI form, the CLI and validation.

Each parameter turns raw input into a checked value with :meth:`Parameter.validate`.
Raw input is what a caller has: a string from the command line, a widget value, or an
already-typed Python value. Errors are :class:`ParameterError` with one line that
names the parameter.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from cimviewer.core.layers import CityModelLayer, Layer, VectorLayer

LayerResolver = Callable[[str], Layer]


class ParameterError(ValueError):
    """A parameter value is missing or not acceptable (one line, names the parameter)."""

    def __init__(self, name: str, message: str):
        self.name = name
        self.message = message
        super().__init__(f"parameter {name!r}: {message}")


@dataclass
class ValidationContext:
    """What validation may look at: the values checked so far and how to find layers.

    ``resolve_layer`` turns a string (a file path, or a layer name in a project) into a
    layer; the GUI passes layers directly and needs none.
    """

    values: dict[str, Any] = field(default_factory=dict)
    resolve_layer: LayerResolver | None = None


@dataclass
class Parameter:
    """Base class. ``label`` is shown in forms; ``description`` in tooltips and --help."""

    name: str
    label: str = ""
    description: str = ""
    default: Any = None
    optional: bool = False
    type_name: ClassVar[str] = "value"

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"parameter name {self.name!r} must be a Python identifier")
        self.label = self.label or self.name.replace("_", " ").capitalize()

    def validate(self, raw: Any, ctx: ValidationContext | None = None) -> Any:
        """The checked value for ``raw`` (None/"" means the default)."""
        ctx = ctx or ValidationContext()
        if raw is None or (isinstance(raw, str) and raw.strip() == ""):
            if self.default is not None:
                raw = self.default
            elif self.optional:
                return None
            else:
                raise ParameterError(self.name, "a value is required")
        return self.convert(raw, ctx)

    def convert(self, raw: Any, ctx: ValidationContext) -> Any:
        return raw

    def fail(self, message: str) -> ParameterError:
        return ParameterError(self.name, message)

    def describe(self) -> dict[str, Any]:
        """A JSON-able description (``plugins list --json``, ``run --help``)."""
        out = {"name": self.name, "type": self.type_name, "label": self.label,
               "optional": self.optional}
        if self.description:
            out["description"] = self.description
        if self.default is not None:
            out["default"] = _jsonable(self.default)
        out.update(self.extra_description())
        return out

    def extra_description(self) -> dict[str, Any]:
        return {}

    def cli_hint(self) -> str:
        return self.type_name


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return str(value)


@dataclass
class Number(Parameter):
    """A number in ``[minimum, maximum]``, with a unit ("m", "dBm", "%")."""

    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    integer: bool = False
    type_name: ClassVar[str] = "number"

    def convert(self, raw: Any, ctx: ValidationContext) -> float | int:
        if isinstance(raw, bool):
            raise self.fail(f"expected a number, not {raw!r}")
        try:
            value = float(raw.strip()) if isinstance(raw, str) else float(raw)
        except (TypeError, ValueError):
            raise self.fail(f"expected a number, not {raw!r}") from None
        if not math.isfinite(value):
            raise self.fail("must be a finite number")
        if self.integer:
            if value != int(value):
                raise self.fail(f"expected a whole number, not {raw!r}")
            value = int(value)
        if self.minimum is not None and value < self.minimum:
            raise self.fail(f"{value:g} is below the minimum {self.minimum:g}{self._unit()}")
        if self.maximum is not None and value > self.maximum:
            raise self.fail(f"{value:g} is above the maximum {self.maximum:g}{self._unit()}")
        return value

    def _unit(self) -> str:
        """The unit as it follows a number: "100 m", but "50%" and "30°"."""
        if not self.unit:
            return ""
        return self.unit if self.unit in ("%", "°", "‰") else f" {self.unit}"

    def extra_description(self) -> dict[str, Any]:
        return {"minimum": self.minimum, "maximum": self.maximum, "unit": self.unit,
                "integer": self.integer}

    def cli_hint(self) -> str:
        lo = "" if self.minimum is None else f"{self.minimum:g}"
        hi = "" if self.maximum is None else f"{self.maximum:g}"
        rng = f" [{lo}..{hi}]" if lo or hi else ""
        unit = f" {self.unit}" if self.unit else ""
        return f"{'integer' if self.integer else 'number'}{rng}{unit}"


@dataclass
class Enum(Parameter):
    """One of ``choices`` (stored values); ``labels`` maps values to display text.

    Choices that depend on another parameter declared before this one (API 1.4): name
    it in ``depends_on`` and give ``choices_from(value) -> choices``, e.g. the LoDs of
    the chosen city layer (``choices_from=lambda layer: layer.model.lods``). ``choices``
    are then the fallback while that parameter has no value.
    """

    choices: Sequence[str] = ()
    labels: dict[str, str] = field(default_factory=dict)
    depends_on: str = ""
    choices_from: Callable[[Any], Sequence[Any]] | None = None
    type_name: ClassVar[str] = "enum"

    def __post_init__(self) -> None:
        super().__post_init__()
        if bool(self.depends_on) != (self.choices_from is not None):
            raise ValueError(f"parameter {self.name!r}: depends_on and choices_from go "
                             "together")

    def choices_for(self, values: dict[str, Any]) -> list[str]:
        """The choices given the values checked so far (the form's current values)."""
        other = values.get(self.depends_on) if self.depends_on else None
        if self.choices_from is None or other is None:
            return [str(c) for c in self.choices]
        try:
            return [str(c) for c in self.choices_from(other)]
        except Exception as exc:  # the plugin's function: a clear line, not a traceback
            raise self.fail(f"cannot list the choices for {self.depends_on!r} "
                            f"({type(exc).__name__}: {exc})") from None

    def convert(self, raw: Any, ctx: ValidationContext) -> str:
        value = str(raw).strip()
        choices = self.choices_for(ctx.values)
        if value not in choices:
            where = f" for this {self.depends_on}" if self.depends_on in ctx.values else ""
            raise self.fail(f"{value!r} is not one of {', '.join(choices) or 'none'}{where}")
        return value

    def extra_description(self) -> dict[str, Any]:
        out: dict[str, Any] = {"choices": list(self.choices)}
        if self.depends_on:
            out["depends_on"] = self.depends_on
        return out

    def cli_hint(self) -> str:
        if self.depends_on:
            return f"one of those of {self.depends_on}"
        return "|".join(self.choices)


@dataclass
class Bool(Parameter):
    default: Any = False
    type_name: ClassVar[str] = "bool"
    TRUE: ClassVar[frozenset[str]] = frozenset({"1", "true", "yes", "on", "y"})
    FALSE: ClassVar[frozenset[str]] = frozenset({"0", "false", "no", "off", "n"})

    def convert(self, raw: Any, ctx: ValidationContext) -> bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise self.fail(f"expected true or false, not {raw!r}")

    def cli_hint(self) -> str:
        return "true|false"


@dataclass
class Text(Parameter):
    type_name: ClassVar[str] = "text"

    def convert(self, raw: Any, ctx: ValidationContext) -> str:
        return str(raw)


@dataclass
class LayerParam(Parameter):
    """A layer of one of ``kinds`` ("citymodel", "terrain", "vector", "raster"; empty = any).

    ``geometry`` narrows vector layers to "point", "line" or "polygon".
    """

    kinds: Sequence[str] = ()
    geometry: Sequence[str] = ()
    type_name: ClassVar[str] = "layer"

    def convert(self, raw: Any, ctx: ValidationContext) -> Layer:
        if isinstance(raw, Layer):
            layer = raw
        elif isinstance(raw, (str, Path)) and ctx.resolve_layer is not None:
            try:
                layer = ctx.resolve_layer(str(raw))
            except ParameterError:
                raise
            except Exception as exc:
                raise self.fail(str(exc)) from None
        else:
            raise self.fail(f"expected a layer, not {raw!r}")
        if self.kinds and layer.kind not in self.kinds:
            raise self.fail(f"layer {layer.name!r} is a {layer.kind} layer; "
                            f"expected {' or '.join(self.kinds)}")
        if (self.geometry and isinstance(layer, VectorLayer)
                and layer.data.kind not in self.geometry):
            raise self.fail(f"layer {layer.name!r} has {layer.data.kind} features; "
                            f"expected {' or '.join(self.geometry)}")
        return layer

    def accepts(self, layer: Layer) -> bool:
        try:
            self.convert(layer, ValidationContext())
        except ParameterError:
            return False
        return True

    def extra_description(self) -> dict[str, Any]:
        return {"kinds": list(self.kinds), "geometry": list(self.geometry)}

    def cli_hint(self) -> str:
        return f"{'|'.join(self.kinds) or 'any'} layer (file path or layer name)"


def layer_fields(layer: Layer, numeric: bool = False, text: bool = False) -> list[str]:
    """Attribute names of a city-model or vector layer: numeric ones only if ``numeric``,
    text ones (names, categories: no number among their values) only if ``text``."""
    if isinstance(layer, CityModelLayer):
        columns: dict[str, list[Any]] = {}
        for row in layer.model.objects.attributes:
            for key, value in row.items():
                columns.setdefault(key, []).append(value)
    elif isinstance(layer, VectorLayer):
        columns = layer.data.columns
    else:
        return []
    out = []
    for key, values in columns.items():
        has_number = any(_is_number(v) for v in values)
        if (numeric and not has_number) or (text and has_number):
            continue
        out.append(key)
    return out


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclass
class FieldParam(Parameter):
    """An attribute of the layer given by parameter ``layer`` (declared before this one)."""

    layer: str = ""
    numeric: bool = False
    #: only fields without numbers: names, categories (API 1.4)
    text: bool = False
    type_name: ClassVar[str] = "field"

    def convert(self, raw: Any, ctx: ValidationContext) -> str:
        value = str(raw).strip()
        layer = ctx.values.get(self.layer)
        if layer is None:
            return value
        names = layer_fields(layer, self.numeric, self.text)
        if value not in names:
            shown = ", ".join(names[:12]) + (" ..." if len(names) > 12 else "")
            kind = "numeric " if self.numeric else "text " if self.text else ""
            raise self.fail(f"layer {layer.name!r} has no {kind}field {value!r} "
                            f"(has: {shown or 'none'})")
        return value

    def extra_description(self) -> dict[str, Any]:
        return {"layer": self.layer, "numeric": self.numeric, "text": self.text}


@dataclass
class FileParam(Parameter):
    """A file to read (``mode="open"``, must exist) or to write (``mode="save"``)."""

    mode: str = "open"
    suffixes: Sequence[str] = ()
    type_name: ClassVar[str] = "file"

    def convert(self, raw: Any, ctx: ValidationContext) -> Path:
        path = Path(str(raw)).expanduser()
        if self.suffixes and not path.name.lower().endswith(tuple(self.suffixes)):
            raise self.fail(f"{path.name} must end with {' or '.join(self.suffixes)}")
        if self.mode == "open" and not path.is_file():
            raise self.fail(f"{path} does not exist")
        if self.mode == "save" and not path.parent.is_dir():
            raise self.fail(f"folder {path.parent} does not exist")
        return path

    def extra_description(self) -> dict[str, Any]:
        return {"mode": self.mode, "suffixes": list(self.suffixes)}


@dataclass
class CRSParam(Parameter):
    """A coordinate reference system ("EPSG:4547", a WKT or PROJ string)."""

    type_name: ClassVar[str] = "crs"

    def convert(self, raw: Any, ctx: ValidationContext) -> str:
        from pyproj import CRS
        from pyproj.exceptions import CRSError

        try:
            crs = CRS.from_user_input(str(raw).strip())
        except CRSError:
            raise self.fail(f"{raw!r} is not a known coordinate reference system") from None
        auth = crs.to_authority()
        return f"{auth[0]}:{auth[1]}" if auth else crs.to_wkt()


def _coords(text: str) -> tuple[float, float]:
    parts = [p for p in text.replace(",", " ").split() if p]
    if len(parts) != 2:
        raise ValueError(text)
    x, y = (float(p) for p in parts)
    if not (math.isfinite(x) and math.isfinite(y)):
        raise ValueError(text)
    return x, y


@dataclass
class PointParam(Parameter):
    """A point in project coordinates: ``"x,y"`` or a pair of numbers."""

    type_name: ClassVar[str] = "point"

    def convert(self, raw: Any, ctx: ValidationContext) -> tuple[float, float]:
        try:
            if isinstance(raw, str):
                return _coords(raw)
            x, y = (float(v) for v in list(raw)[:2])
        except (TypeError, ValueError):
            raise self.fail(f"expected a point 'x,y', not {raw!r}") from None
        return x, y

    def cli_hint(self) -> str:
        return "x,y"


@dataclass
class PolygonParam(Parameter):
    """A polygon in project coordinates: ``"x1,y1;x2,y2;x3,y3"``, WKT, or a point list."""

    type_name: ClassVar[str] = "polygon"

    def convert(self, raw: Any, ctx: ValidationContext) -> list[tuple[float, float]]:
        try:
            if isinstance(raw, str) and raw.strip().upper().startswith("POLYGON"):
                from shapely import wkt

                ring = list(wkt.loads(raw).exterior.coords)
                points = [(float(x), float(y)) for x, y, *_ in ring]
            elif isinstance(raw, str):
                points = [_coords(p) for p in raw.split(";") if p.strip()]
            else:
                points = [(float(p[0]), float(p[1])) for p in raw]
        except Exception:
            raise self.fail("expected a polygon 'x1,y1;x2,y2;x3,y3' or WKT") from None
        if len(points) > 1 and points[0] == points[-1]:
            points = points[:-1]
        if len(points) < 3:
            raise self.fail("a polygon needs at least three points")
        return points

    def cli_hint(self) -> str:
        return "x1,y1;x2,y2;x3,y3"


def validate_all(parameters: Sequence[Parameter], raw: dict[str, Any],
                 resolve_layer: LayerResolver | None = None) -> dict[str, Any]:
    """Check every parameter in declaration order; unknown names are an error."""
    names = {p.name for p in parameters}
    unknown = sorted(set(raw) - names)
    if unknown:
        raise ParameterError(unknown[0], f"unknown parameter (known: {', '.join(sorted(names))})")
    ctx = ValidationContext(resolve_layer=resolve_layer)
    for param in parameters:
        ctx.values[param.name] = param.validate(raw.get(param.name), ctx)
    return dict(ctx.values)
