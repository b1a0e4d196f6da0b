"""Recording geometry problems a reader finds: by kind, object and place in the file,
one warning a kind."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from cimviewer.core.citymodel import PLACES_KEPT, CityModel
from cimviewer.geometry.validity import OUTCOME, SHELL_KINDS

#: objects named in a warning; the rest are counted
NAMED = 3


def polygon_objects(found: dict[str, np.ndarray], polygon_object: np.ndarray,
                    ) -> dict[str, np.ndarray]:
    """Per-polygon masks (``geometry.validity.polygon_problems``) -> the object of
    each polygon that has the problem."""
    return {kind: polygon_object[mask] for kind, mask in found.items()}


def record_polygon_problems(model: CityModel, by_kind: dict[str, np.ndarray],
                            places: Mapping[str, Sequence[str]] | None = None) -> None:
    """Add polygon (and shell) problems (kind -> object of each occurrence, and the
    places of the first ones) to the model and warn once per kind."""
    places = places or {}
    for kind, objects in by_kind.items():
        model.add_problem(kind, objects, places.get(kind))
        what = "shell(s)" if kind in SHELL_KINDS else "polygon(s)"
        model.warnings.append(problem_warning(model, kind, objects, what,
                                              OUTCOME.get(kind, "")))


def problem_warning(model: CityModel, kind: str, objects: np.ndarray, what: str,
                    outcome: str) -> str:
    """"KIND: 12 polygon(s) of 5 object(s) skipped (e.g. 'b1', 'b2')"."""
    owners = np.unique(objects[objects >= 0])
    ids = model.objects.ids
    names = ", ".join(repr(ids[int(i)]) for i in owners[:NAMED] if int(i) < len(ids))
    more = " and more" if len(owners) > NAMED else ""
    example = f" (e.g. {names}{more})" if names else ""
    return (f"{kind}: {len(objects)} {what} of {len(owners)} object(s)"
            f"{' ' + outcome if outcome else ''}{example}")


def gml_place(tag: str, line: int | None, gml_id: str | None = None) -> str:
    """``<gml:LinearRing gml:id="r1"> line 12`` (the id when the element has one)."""
    label = f'{tag} gml:id="{gml_id}"' if gml_id else tag
    return f"<{label}> line {line}" if line else f"<{label}>"


def object_places(model: CityModel, objects: np.ndarray | Sequence[int]) -> list[str]:
    """Places in the file of whole objects (the first :data:`PLACES_KEPT`): their
    element and line (CityGML), ``CityObjects/<id>`` (CityJSON, after the feature's
    line in CityJSONSeq), layer and feature id (footprints); "" where not known."""
    ids, types = model.objects.ids, model.objects.types
    origin = model.object_origin
    fmt = model.source_format
    out = []
    for index in np.asarray(objects, np.int64)[:PLACES_KEPT].tolist():
        if not 0 <= index < len(ids):
            out.append("")
            continue
        at = int(origin[index]) if origin is not None and index < len(origin) else None
        oid = ids[index]
        if fmt == "CityGML":
            generated = oid == f"{types[index]}_{index}"  # the element had no gml:id
            out.append(gml_place(types[index], at, None if generated else oid))
        elif fmt == "CityJSON":
            out.append(f"CityObjects/{oid}")
        elif fmt == "CityJSONSeq":
            out.append(f"line {at}: CityObjects/{oid}" if at else f"CityObjects/{oid}")
        elif fmt == "Footprints" and at is not None:
            out.append(footprint_place(model.metadata.get("layer_name"), at))
        else:
            out.append("")
    return out


def footprint_place(layer: str | None, fid: int) -> str:
    """``layer buildings, FID 3`` (FID: the feature id the data source gives; for
    Shapefiles, the record number from 0)."""
    return f"layer {layer}, FID {fid}" if layer else f"FID {fid}"
