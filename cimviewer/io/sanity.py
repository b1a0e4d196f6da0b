"""Checks every reader's result goes through: absurd coordinates and empty models.

Readers are tolerant: one object with a coordinate of 1e20 (or NaN, or a height of
1e300, or far away from everything else) must not cost the rest of the file, the
view's framing or the camera. Such objects are left out of the geometry (they stay in
the object table, without triangles) and named in one warning. A model with nothing
to draw loads as an empty layer with a warning (points and lines alone are drawn).

The problems found are appended to ``model.warnings`` and ``model.problems``.
"""

from __future__ import annotations

import numpy as np

from cimviewer.core.citymodel import CityModel, PointSet, PolylineSet, TriangleMesh
from cimviewer.io.quality import object_places

#: no real coordinate is this large in any CRS (metres, feet or degrees): ECEF is about
#: 6.4e6 m, UTM northings 1e7 m, Web Mercator 2e7 m
MAX_COORDINATE = 1e8
#: an object this much farther from the middle of the model than the model's own spread
#: (and at least MIN_OUTLIER_DISTANCE away) is a stray value, not a building
OUTLIER_FACTOR = 1000.0
MIN_OUTLIER_DISTANCE = 1e6
#: objects named in one warning; the rest are counted
NAMED = 5


def _bad_vertices(vertices: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return ~(np.isfinite(vertices) & (np.abs(vertices) <= MAX_COORDINATE)).all(axis=1)


def _object_flags(model: CityModel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per object: has a bad vertex; sum of its vertex positions; vertex count."""
    n = len(model.objects)
    bad = np.zeros(n, bool)
    sums = np.zeros((n, 3))
    counts = np.zeros(n)
    for mesh in model.meshes.values():
        if not mesh.n_triangles:
            continue
        vbad = _bad_vertices(mesh.vertices)
        tri_bad = vbad[mesh.triangles].any(axis=1)
        _flag(bad, mesh.tri_object[tri_bad])
        good = ~tri_bad
        first = mesh.vertices[mesh.triangles[good, 0]]
        objs = mesh.tri_object[good]
        _accumulate(sums, counts, objs, first)
    for lines in model.lines.values():
        if not len(lines.line_object):
            continue
        owner = np.repeat(lines.line_object, np.diff(lines.offsets))
        vbad = _bad_vertices(lines.vertices)
        _flag(bad, owner[vbad])
        _accumulate(sums, counts, owner[~vbad], lines.vertices[~vbad])
    for points in model.points.values():
        if not len(points.point_object):
            continue
        vbad = _bad_vertices(points.vertices)
        _flag(bad, points.point_object[vbad])
        _accumulate(sums, counts, points.point_object[~vbad], points.vertices[~vbad])
    return bad, sums, counts


def _flag(bad: np.ndarray, objects: np.ndarray) -> None:
    objects = objects[(objects >= 0) & (objects < len(bad))]
    bad[objects] = True


def _accumulate(sums: np.ndarray, counts: np.ndarray, objects: np.ndarray,
                points: np.ndarray) -> None:
    keep = (objects >= 0) & (objects < len(counts))
    objects, points = objects[keep], points[keep]
    for axis in range(3):
        sums[:, axis] += np.bincount(objects, points[:, axis], minlength=len(counts))
    counts += np.bincount(objects, minlength=len(counts))


def _outliers(sums: np.ndarray, counts: np.ndarray, bad: np.ndarray) -> np.ndarray:
    """Objects whose centre lies absurdly far from the middle of all the others."""
    have = (counts > 0) & ~bad
    out = np.zeros(len(counts), bool)
    if have.sum() < 3:
        return out
    centres = sums[have] / counts[have, None]
    middle = np.median(centres, axis=0)
    distance = np.linalg.norm(centres - middle, axis=1)
    spread = float(np.percentile(distance, 90))
    limit = max(MIN_OUTLIER_DISTANCE, OUTLIER_FACTOR * spread)
    out[np.flatnonzero(have)[distance > limit]] = True
    return out


def _names(model: CityModel, objects: np.ndarray) -> str:
    ids = [repr(model.objects.ids[i]) for i in objects[:NAMED]]
    more = len(objects) - len(ids)
    return ", ".join(ids) + (f" and {more} more" if more > 0 else "")


def _drop(model: CityModel, drop: np.ndarray) -> None:
    for lod, mesh in list(model.meshes.items()):
        keep = ~drop[mesh.tri_object]
        # unused stray vertices would still count in the model's bounding box
        if not keep.all() or _bad_vertices(mesh.vertices).any():
            model.meshes[lod] = mesh.subset(keep) if keep.any() else TriangleMesh.empty()
    for lod, lines in list(model.lines.items()):
        keep = ~drop[lines.line_object] if len(lines.line_object) else None
        if keep is not None and not keep.all():
            lengths = np.diff(lines.offsets)
            vkeep = np.repeat(keep, lengths)
            offsets = np.concatenate([[0], np.cumsum(lengths[keep])]).astype(np.int64)
            model.lines[lod] = PolylineSet(lines.vertices[vkeep], offsets,
                                           lines.line_object[keep])
    for lod, points in list(model.points.items()):
        keep = ~drop[points.point_object] if len(points.point_object) else None
        if keep is not None and not keep.all():
            model.points[lod] = PointSet(points.vertices[keep], points.point_object[keep])


def leave_out(model: CityModel, objects: list[int] | np.ndarray, reason: str) -> str | None:
    """Drop the geometry of ``objects`` and report them (warning naming them)."""
    objects = np.unique(np.asarray(objects, np.int64))
    objects = objects[(objects >= 0) & (objects < len(model.objects))]
    if not len(objects):
        return None
    mask = np.zeros(len(model.objects), bool)
    mask[objects] = True
    _drop(model, mask)
    model.add_problem(KINDS.get(reason, "LEFT_OUT"), objects, object_places(model, objects))
    problem = f"{len(objects)} object(s) left out for {reason}: {_names(model, objects)}"
    model.warnings.append(problem)
    model.problems.append(problem)
    return problem


ABSURD = f"coordinates that are not finite or larger than {MAX_COORDINATE:g}"
FAR_AWAY = "coordinates far away from all other objects"
#: problem kinds (``CityModel.problem_objects``) of the objects left out here
KINDS = {ABSURD: "ABSURD_COORDINATES", FAR_AWAY: "FAR_FROM_OTHER_OBJECTS"}


def check_model(model: CityModel) -> list[str]:
    """Leave out objects with absurd coordinates; warn about a model with nothing to draw.

    Returns the problems found (also appended to ``model.warnings``).
    """
    problems: list[str] = []
    n = len(model.objects)
    if n:
        bad, sums, counts = _object_flags(model)
        far = _outliers(sums, counts, bad)
        for mask, reason in ((bad, ABSURD), (far, FAR_AWAY)):
            objects = np.flatnonzero(mask)
            if len(objects):
                model.add_problem(KINDS[reason], objects, object_places(model, objects))
                problems.append(f"{len(objects)} object(s) left out for {reason}: "
                                f"{_names(model, objects)}")
        _drop(model, bad | far)
    if not any(mesh.n_triangles for mesh in model.meshes.values()):
        if any(len(p.vertices) for p in model.points.values()) or any(
                len(p.line_object) for p in model.lines.values()):
            model.warnings.append(f"no triangles ({n} object(s)): only points and lines, "
                                  "drawn as such")
        else:
            problems.append(f"no drawable triangles ({n} object(s), no geometry): "
                            "loaded as an empty layer")
    model.warnings.extend(problems)
    model.problems.extend(problems)
    return problems
