"""The object table of an IFC file: spatial structure, elements and their properties.

Objects are the spatial elements (``IfcSite``, ``IfcBuilding``, ``IfcBuildingStorey``,
``IfcSpace``, IFC 4.3 facilities...) and the building elements (``IfcElement`` and its
subclasses, except openings and other feature elements, whose geometry is already cut
out of their hosts). Each object's id is its GlobalId and its type its IFC class.

Parents: an element that is part of another (``IfcRelAggregates``: the slabs of a roof,
the plates of a curtain wall) has that element as its parent; else the spatial element
that contains it (``IfcRelContainedInSpatialStructure``: usually its storey). Spatial
elements have the one they are part of (the storey its building). ``IfcProject`` is not
an object.

Attributes: ``IfcClass``, ``Name``, ``GlobalId``, ``Storey`` (the name of the storey the element is
on), ``ObjectType`` and ``PredefinedType`` when set, storey ``Elevation`` in metres, and
every property and quantity as ``"Pset_Name.Property"`` (type properties first, those of
the occurrence override them). Property sets are read in one pass over the
relationships, not per element.
"""

from __future__ import annotations

import math
from typing import Any

from cimviewer.core.citymodel import ObjectTable

#: spatial classes (IFC2x3 has no IfcSpatialElement; IFC4 has)
SPATIAL = ("IfcSpatialElement", "IfcSpatialStructureElement")
#: elements that are not objects of their own
SKIPPED = ("IfcFeatureElement", "IfcVirtualElement")
STOREY_CLASSES = ("IfcBuildingStorey",)


def _is_spatial(entity: Any) -> bool:
    return any(_safe_is_a(entity, cls) for cls in SPATIAL)


def _safe_is_a(entity: Any, cls: str) -> bool:
    try:
        return bool(entity.is_a(cls))
    except Exception:  # a class the file's schema does not have
        return False


def _classes(ifc: Any, names: tuple[str, ...]) -> list[Any]:
    out: list[Any] = []
    for name in names:
        try:
            out += ifc.by_type(name)
        except Exception:  # not in this schema
            continue
    return out


class IfcObjects:
    """Builds the object table; ``index`` maps an entity's step id to its object."""

    def __init__(self, ifc: Any, unit_metres: float) -> None:
        self.ifc = ifc
        self.unit = unit_metres
        self.table = ObjectTable()
        self.index: dict[int, int] = {}
        self._ids: set[str] = set()
        spatial = list({e.id(): e for e in _classes(ifc, SPATIAL)}.values())  # once each
        elements = [e for e in ifc.by_type("IfcElement")
                    if not any(_safe_is_a(e, c) for c in SKIPPED)]
        self._parent_of = self._parents()
        for entity in spatial + elements:
            self.add(entity)
        self.link_parents()
        self._add_properties()

    # --- objects ----------------------------------------------------------------------
    def add(self, entity: Any) -> int:
        """The object of an entity (added when new, e.g. a product the geometry iterator
        gives that is neither spatial nor an element)."""
        step = entity.id()
        if step in self.index:
            return self.index[step]
        guid = getattr(entity, "GlobalId", None) or f"#{step}"
        obj_id = guid if guid not in self._ids else f"{guid}#{step}"
        self._ids.add(obj_id)
        # the class as an attribute too: a style by it colours each class apart (the
        # type of a part colours as its top-level object's)
        attrs: dict[str, Any] = {"IfcClass": entity.is_a()}
        for key in ("Name", "GlobalId", "ObjectType", "LongName"):
            value = getattr(entity, key, None)
            if value not in (None, ""):
                attrs[key] = value
        predefined = getattr(entity, "PredefinedType", None)
        if predefined not in (None, "NOTDEFINED", "USERDEFINED"):
            attrs["PredefinedType"] = predefined
        if entity.is_a("IfcBuildingStorey") and entity.Elevation is not None:
            attrs["Elevation"] = round(float(entity.Elevation) * self.unit, 6)
        index = self.table.add(obj_id, entity.is_a(), attrs)
        self.index[step] = index
        return index

    def _parents(self) -> dict[int, int]:
        """Step id -> step id of its parent (aggregate first, then spatial container)."""
        parent: dict[int, int] = {}
        for rel in self.ifc.by_type("IfcRelContainedInSpatialStructure"):
            structure = rel.RelatingStructure
            for element in rel.RelatedElements or ():
                parent[element.id()] = structure.id()
        for rel in self.ifc.by_type("IfcRelAggregates"):  # parts: their whole wins
            whole = rel.RelatingObject
            for part in rel.RelatedObjects or ():
                parent[part.id()] = whole.id()
        return parent

    def link_parents(self) -> None:
        """Parents and storey names of every object (again after objects were added)."""
        for step, index in self.index.items():
            up = self._parent_of.get(step)
            seen = {step}
            while up is not None and up not in self.index and up not in seen:
                seen.add(up)  # a parent that is no object (a feature): its own parent
                up = self._parent_of.get(up)
            if up is not None and up in self.index and self.index[up] != index:
                self.table.parents[index] = [self.index[up]]
        types = self.table.types
        names = {i: a.get("Name") for i, a in enumerate(self.table.attributes)}
        for index in range(len(self.table)):
            up, seen = index, {index}
            while types[up] not in STOREY_CLASSES and self.table.parents[up]:
                up = self.table.parents[up][0]
                if up in seen:
                    break
                seen.add(up)
            if types[up] in STOREY_CLASSES and up != index and names.get(up):
                self.table.attributes[index]["Storey"] = names[up]

    # --- properties -------------------------------------------------------------------
    def _add_properties(self) -> None:
        from ifcopenshell.util.element import get_property_definition

        cache: dict[int, tuple[str, dict[str, Any]]] = {}

        def flat(definition: Any) -> tuple[str, dict[str, Any]]:
            key = definition.id()
            if key not in cache:
                try:
                    values = get_property_definition(definition) or {}
                except Exception:  # one odd property set never costs the file
                    values = {}
                name = getattr(definition, "Name", None) or definition.is_a()
                cache[key] = (name, {k: _value(v) for k, v in values.items() if k != "id"})
            return cache[key]

        def put(step: int, definitions: Any) -> None:
            index = self.index.get(step)
            if index is None:
                return
            attrs = self.table.attributes[index]
            for definition in definitions:
                if definition is None:
                    continue
                name, values = flat(definition)
                for prop, value in values.items():
                    if value is not None:
                        attrs[f"{name}.{prop}"] = value

        for rel in _classes(self.ifc, ("IfcRelDefinesByType",)):
            sets = getattr(rel.RelatingType, "HasPropertySets", None) or ()
            for obj in rel.RelatedObjects or ():
                put(obj.id(), sets)
        for rel in self.ifc.by_type("IfcRelDefinesByProperties"):
            definition = rel.RelatingPropertyDefinition
            sets = definition if isinstance(definition, tuple) else (definition,)
            for obj in rel.RelatedObjects or ():
                put(obj.id(), sets)


def _value(value: Any) -> Any:
    """Property values as plain JSON-friendly values (floats finite, entities named)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (bool, int, str)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        items = [_value(v) for v in value]
        return [v for v in items if v is not None]
    if isinstance(value, dict):
        return {str(k): _value(v) for k, v in value.items() if k != "id"}
    if hasattr(value, "is_a"):  # an entity (a unit, a material)
        return getattr(value, "Name", None) or value.is_a()
    return str(value)
