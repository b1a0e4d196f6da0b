"""Recording geometry problems a reader finds: by kind and object, one warning a kind."""

from __future__ import annotations

import numpy as np

from cimviewer.core.citymodel import CityModel
from cimviewer.geometry.validity import OUTCOME

#: objects named in a warning; the rest are counted
NAMED = 3


def polygon_objects(found: dict[str, np.ndarray], polygon_object: np.ndarray,
                    ) -> dict[str, np.ndarray]:
    """Per-polygon masks (``geometry.validity.polygon_problems``) -> the object of
    each polygon that has the problem."""
    return {kind: polygon_object[mask] for kind, mask in found.items()}


def record_polygon_problems(model: CityModel, by_kind: dict[str, np.ndarray]) -> None:
    """Add polygon problems (kind -> object of each polygon) to the model and warn
    once per kind."""
    for kind, objects in by_kind.items():
        model.add_problem(kind, objects)
        model.warnings.append(problem_warning(model, kind, objects, "polygon(s)",
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
