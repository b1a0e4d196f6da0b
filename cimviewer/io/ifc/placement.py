"""Where an IFC model stands on the map: from the file's georeferencing or the user.

The geometry iterator gives coordinates in metres in the model's own (engineering)
system. A :class:`Placement` turns them into coordinates of a map CRS:
``map = offset + scale * R(rotation) @ model`` (the rotation is about z, anticlockwise,
and the same scale applies to heights). It is found, in this order:

1. load options (``origin_x``, ``origin_y``, ``origin_z``, ``rotation`` in degrees
   anticlockwise from map east to the model's x axis, and ``crs``) given by the user;
2. ``IfcMapConversion`` (IFC4, also ``IfcMapConversionScaled`` and ``IfcRigidOperation``)
   with its ``IfcProjectedCRS``; in IFC2x3 files the ``ePSet_MapConversion`` and
   ``ePSet_ProjectedCRS`` property sets on ``IfcProject`` or ``IfcSite``;
3. ``IfcSite`` reference latitude, longitude and elevation, placed in the UTM zone of
   that point, turned by the context's ``TrueNorth`` and the grid convergence there;
4. nothing: the model keeps its own coordinates, without a CRS, with a warning.

Units: Eastings, Northings and OrthogonalHeight are in the map unit (``MapUnit``, else
the named CRS's own unit, else the file's length unit); model coordinates are in the
file's length unit.
IFC4 says ``Scale`` converts between the two (0.001 for a file in millimetres and a
CRS in metres), but many exporters leave it empty and leave the unit conversion to the
reader (IFC 4.3 reads it that way). A ``Scale`` within 1 % of the unit ratio is taken
to include the unit conversion; any other value is a true scale factor and the units
are converted as well. Either way a millimetre file comes out in metres.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cimviewer.io.crs import crs_from_name, crs_from_pyproj

#: the load options that place a model by hand
PLACEMENT_OPTIONS = ("origin_x", "origin_y", "origin_z", "rotation")


@dataclass
class Placement:
    """Model metres -> map coordinates: ``offset + scale * R(rotation_deg) @ xyz``."""

    crs: str | None = None
    offset: tuple[float, float, float] = (0.0, 0.0, 0.0)
    rotation_deg: float = 0.0
    scale: float = 1.0
    #: model point (metres) that goes to ``offset`` (the site's origin for 3.)
    pivot: tuple[float, float, float] = (0.0, 0.0, 0.0)
    #: where the placement comes from: "options", "IfcMapConversion",
    #: "ePSet_MapConversion", "IfcSite", or "none"
    source: str = "none"
    notes: list[str] = field(default_factory=list)

    def matrix(self) -> np.ndarray:
        """The 4 x 4 matrix of the placement (model metres -> map coordinates)."""
        c, s = math.cos(math.radians(self.rotation_deg)), math.sin(math.radians(self.rotation_deg))
        m = np.eye(4)
        m[:3, :3] = self.scale * np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
        m[:3, 3] = np.asarray(self.offset) - m[:3, :3] @ np.asarray(self.pivot)
        return m

    def apply(self, xyz: np.ndarray) -> np.ndarray:
        """(n, 3) model metres -> (n, 3) map coordinates (float64, a new array)."""
        m = self.matrix()
        return np.asarray(xyz, np.float64) @ m[:3, :3].T + m[:3, 3]

    def describe(self) -> dict[str, Any]:
        return {"source": self.source, "crs": self.crs, "offset": list(self.offset),
                "rotation": self.rotation_deg, "scale": self.scale}


def find_placement(ifc: Any, options: dict[str, Any], warnings: list[str]) -> Placement:
    """The placement of an opened IFC file (see the module docstring)."""
    given = {k: float(options[k]) for k in PLACEMENT_OPTIONS if options.get(k) is not None}
    user_crs = options.get("crs") or None
    file_placement = (_map_conversion(ifc, warnings) or _epset_conversion(ifc, warnings)
                      or _site_reference(ifc, warnings))
    if given:
        placement = Placement(
            crs=None, offset=(given.get("origin_x", 0.0), given.get("origin_y", 0.0),
                              given.get("origin_z", 0.0)),
            rotation_deg=given.get("rotation", 0.0), source="options")
        # an origin given without a CRS is in the CRS the file names, if any
        placement.crs = file_placement.crs if file_placement is not None else None
    elif file_placement is not None:
        placement = file_placement
    else:
        placement = Placement()
    if user_crs:
        placement.crs = _checked_crs(user_crs, warnings, "the crs load option")
    if placement.source == "none" and placement.crs is None:
        warnings.append("placement unknown: the file has no IfcMapConversion and no site "
                        "latitude and longitude; the model keeps its own coordinates "
                        "(give origin_x, origin_y, rotation and crs to place it)")
    warnings.extend(placement.notes)
    return placement


def _checked_crs(name: str | None, warnings: list[str], where: str) -> str | None:
    """A CRS name pyproj knows ("EPSG:32650"), else None with a warning."""
    if not name:
        return None
    short = crs_from_name(name)
    from pyproj import CRS

    for candidate in (short, name):
        try:
            return crs_from_pyproj(CRS.from_user_input(candidate))
        except Exception:
            continue
    warnings.append(f"unknown coordinate reference system {name!r} in {where}: the model "
                    "is placed without a CRS (give the crs load option)")
    return None


def unit_metres(unit: Any) -> float:
    """Metres per unit of an IfcNamedUnit (1.0 when it cannot be told)."""
    if unit is None:
        return 1.0
    try:
        from ifcopenshell.util.unit import get_named_unit_scale

        value = float(get_named_unit_scale(unit))
    except Exception:
        return 1.0
    return value if math.isfinite(value) and value > 0 else 1.0


def _file_unit(ifc: Any) -> float:
    from ifcopenshell.util.unit import calculate_unit_scale

    value = float(calculate_unit_scale(ifc))
    return value if math.isfinite(value) and value > 0 else 1.0


def _factor(scale: float | None, ratio: float) -> float:
    """Map units per model unit: ``Scale`` when it includes the unit conversion (it
    is within 1 % of ``ratio``), else ``Scale`` times the unit ratio."""
    if scale is None or not math.isfinite(scale) or scale <= 0:
        return ratio
    if abs(scale / ratio - 1.0) <= 0.01:
        return scale
    return scale * ratio


def _crs_unit(crs: str | None) -> float | None:
    """Metres per unit of a CRS's first axis (None when the CRS is unknown)."""
    if not crs:
        return None
    from pyproj import CRS

    try:
        axes = CRS.from_user_input(crs).axis_info
        factor = float(axes[0].unit_conversion_factor) if axes else 1.0
    except Exception:
        return None
    return factor if math.isfinite(factor) and factor > 0 else None


def _conversion_placement(ifc: Any, crs_name: str | None, map_unit: float | None,
                          east: float, north: float, height: float, abscissa: float | None,
                          ordinate: float | None, scale: float | None, source: str,
                          warnings: list[str]) -> Placement:
    """``map = (E, N, H) + factor * R @ model`` in map units, then in the CRS's units.

    The map unit is ``MapUnit``, else the unit of the named CRS (EPSG:32650: metres),
    else the file's length unit (a conversion without a known CRS or unit: Eastings
    are taken in the file's unit, as ifcopenshell reads them). Without a CRS the
    result is in metres."""
    unit = _file_unit(ifc)
    crs = _checked_crs(crs_name, warnings, source) if crs_name else None
    crs_unit = _crs_unit(crs)
    if map_unit is None:
        map_unit = crs_unit if crs_unit is not None else unit
    to_output = map_unit / (crs_unit if crs_unit is not None else 1.0)
    factor = _factor(scale, unit / map_unit)  # map units per file unit
    a = 1.0 if abscissa is None else float(abscissa)
    o = 0.0 if ordinate is None else float(ordinate)
    if a == 0.0 and o == 0.0:
        a = 1.0
    placement = Placement(
        crs=crs, offset=(float(east) * to_output, float(north) * to_output,
                         float(height) * to_output),
        rotation_deg=math.degrees(math.atan2(o, a)),
        scale=factor * to_output / unit,  # the iterator gives metres, not file units
        source=source)
    if not crs_name:
        placement.notes.append(f"{source} without a named CRS: placed in map coordinates "
                               "without a CRS (give the crs load option)")
    wcs = _world_coordinate_system(ifc)
    if wcs is not None:  # the conversion applies to coordinates in the context's system
        placement.pivot = tuple(float(v) * unit for v in wcs[:3, 3])  # type: ignore[assignment]
        placement.rotation_deg -= math.degrees(math.atan2(wcs[1, 0], wcs[0, 0]))
    return placement


def _world_coordinate_system(ifc: Any) -> np.ndarray | None:
    """The model context's WorldCoordinateSystem when it is not the identity."""
    try:
        from ifcopenshell.util.geolocation import get_wcs

        wcs = get_wcs(ifc)
    except Exception:
        return None
    if wcs is None or np.allclose(wcs, np.eye(4)):
        return None
    return np.asarray(wcs, np.float64)


def _map_conversion(ifc: Any, warnings: list[str]) -> Placement | None:
    if ifc.schema == "IFC2X3":
        return None
    operations = [op for op in ifc.by_type("IfcCoordinateOperation")
                  if op.is_a("IfcMapConversion") or op.is_a("IfcRigidOperation")]
    if not operations:
        return None
    # the one from the 3D model context, when there are several
    operations.sort(key=lambda op: 0 if getattr(op.SourceCRS, "ContextType", None) == "Model"
                    else 1)
    op = operations[0]
    target = op.TargetCRS
    crs_name = getattr(target, "Name", None)
    map_unit = unit_metres(target.MapUnit) if getattr(target, "MapUnit", None) else None
    if op.is_a("IfcRigidOperation"):
        east = _measure(op.FirstCoordinate)
        north = _measure(op.SecondCoordinate)
        return _conversion_placement(ifc, crs_name, map_unit, east, north, op.Height or 0.0,
                                     None, None, None, "IfcRigidOperation", warnings)
    scale = op.Scale
    if op.is_a("IfcMapConversionScaled") and op.FactorX and op.FactorY:
        scale = (scale or 1.0) * float(op.FactorX)
        if abs(float(op.FactorX) - float(op.FactorY)) > 1e-9 or \
                abs(float(op.FactorZ or 1.0) - float(op.FactorX)) > 1e-9:
            warnings.append("IfcMapConversionScaled with different factors per axis: "
                            "FactorX used for all axes")
    return _conversion_placement(ifc, crs_name, map_unit, op.Eastings or 0.0,
                                 op.Northings or 0.0, op.OrthogonalHeight or 0.0,
                                 op.XAxisAbscissa, op.XAxisOrdinate, scale,
                                 "IfcMapConversion", warnings)


def _measure(value: Any) -> float:
    return float(getattr(value, "wrappedValue", value) or 0.0)


def _epset_conversion(ifc: Any, warnings: list[str]) -> Placement | None:
    """IFC2x3 georeferencing by property sets (the buildingSMART guide's convention)."""
    from ifcopenshell.util.element import get_pset

    for owner in (*ifc.by_type("IfcProject"), *ifc.by_type("IfcSite")):
        conversion = get_pset(owner, "ePSet_MapConversion")
        if not conversion:
            continue
        crs = get_pset(owner, "ePSet_ProjectedCRS") or {}
        if not crs:
            for other in (*ifc.by_type("IfcProject"), *ifc.by_type("IfcSite")):
                crs = get_pset(other, "ePSet_ProjectedCRS") or {}
                if crs:
                    break
        unit_name = str(crs.get("MapUnit") or "").upper()
        map_unit = {"METRE": 1.0, "MILLIMETRE": 0.001, "CENTIMETRE": 0.01, "FOOT": 0.3048,
                    "US SURVEY FOOT": 1200 / 3937}.get(unit_name)
        return _conversion_placement(
            ifc, crs.get("Name"), map_unit, _number(conversion.get("Eastings")),
            _number(conversion.get("Northings")), _number(conversion.get("OrthogonalHeight")),
            conversion.get("XAxisAbscissa"), conversion.get("XAxisOrdinate"),
            conversion.get("Scale"), "ePSet_MapConversion", warnings)
    return None


def _number(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) else 0.0


def compound_angle(value: Any) -> float | None:
    """IfcCompoundPlaneAngleMeasure (degrees, minutes, seconds, millionths) -> degrees."""
    if not value:
        return None
    parts = [float(v) for v in value] + [0.0] * (4 - len(value))
    return parts[0] + parts[1] / 60 + parts[2] / 3600 + parts[3] / 3.6e9


def _site_reference(ifc: Any, warnings: list[str]) -> Placement | None:
    sites = [s for s in ifc.by_type("IfcSite") if s.RefLatitude and s.RefLongitude]
    if not sites:
        return None
    site = sites[0]
    lat, lon = compound_angle(site.RefLatitude), compound_angle(site.RefLongitude)
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        warnings.append(f"IfcSite reference latitude / longitude {site.RefLatitude} / "
                        f"{site.RefLongitude} out of range: ignored")
        return None
    from pyproj import Transformer

    from cimviewer.io.reproject import utm_for

    unit = _file_unit(ifc)
    crs = utm_for("EPSG:4326", np.array([lon, lat, 0.0, lon, lat, 0.0]))
    to_grid = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    east, north = to_grid.transform(lon, lat)
    # grid convergence: the direction of geographic north on the UTM grid
    east2, north2 = to_grid.transform(lon, min(lat + 1e-4, 90.0))
    north_on_grid = math.atan2(-(east2 - east), north2 - north)
    true_north = _true_north(ifc)  # anticlockwise from the model's +y
    origin = (0.0, 0.0, 0.0)
    if site.ObjectPlacement is not None:
        from ifcopenshell.util.placement import get_local_placement

        matrix = get_local_placement(site.ObjectPlacement)
        origin = tuple(float(v) * unit for v in matrix[:3, 3])  # type: ignore[assignment]
    elevation = float(site.RefElevation or 0.0) * unit
    return Placement(crs=crs, offset=(float(east), float(north), elevation),
                     rotation_deg=math.degrees(north_on_grid - true_north), pivot=origin,
                     source="IfcSite")


def _true_north(ifc: Any) -> float:
    """Radians anticlockwise from the model's +y axis to true north (0 when not given)."""
    for context in ifc.by_type("IfcGeometricRepresentationContext", include_subtypes=False):
        direction = context.TrueNorth
        if direction is not None and context.ContextType in (None, "Model"):
            x, y = [*direction.DirectionRatios, 0.0, 0.0][:2]
            if x or y:
                return math.atan2(-float(x), float(y))
    return 0.0
