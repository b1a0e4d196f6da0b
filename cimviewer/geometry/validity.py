"""Polygon validity, vectorised over whole cities, with val3dity's problem names.

Readers call :func:`polygon_problems` on the flat polygon arrays they triangulate
(``ring_vertices`` index ``vertices``; ring ``r`` is
``ring_vertices[ring_offsets[r]:ring_offsets[r + 1]]``; polygon ``p`` has rings
``polygon_offsets[p]:polygon_offsets[p + 1]``, the exterior first). What each kind
means for the drawing is what :func:`cimviewer.geometry.triangulate.triangulate_polygons`
does with it:

* ``CONSECUTIVE_POINTS_SAME`` (val3dity 102): a point repeats the one before it (or a
  ring repeats its first point at the end). Repaired: the repeat is dropped.
* ``TOO_FEW_POINTS`` (101): a ring has fewer than 3 distinct points. A bad exterior
  skips the polygon, a bad hole is ignored.
* ``DEGENERATE_POLYGON``: the exterior encloses no area (all its points on a line);
  val3dity reports such rings as self-intersecting (104). Skipped.
* ``NON_PLANAR_POLYGON_DISTANCE_PLANE`` (203): a point is farther than
  :data:`PLANARITY_TOLERANCE` from the polygon's plane. Drawn as triangulated.

and, for the shells of solids (:func:`shell_problems`):

* ``TOO_FEW_POLYGONS`` (val3dity 301): a shell of fewer than 4 surfaces.
* ``COLLAPSED_SOLID``: a shell that encloses no volume (all of it flat, or folded onto
  itself). Both are drawn as they are.

The masks are per polygon (per shell); callers map them to their objects.
"""

from __future__ import annotations

import numpy as np

CONSECUTIVE_POINTS_SAME = "CONSECUTIVE_POINTS_SAME"
#: (val3dity 103) a GML ring that does not repeat its first point at the end: found by
#: the CityGML reader (CityJSON rings are closed implicitly), closed implicitly
RING_NOT_CLOSED = "RING_NOT_CLOSED"
TOO_FEW_POINTS = "TOO_FEW_POINTS"
DEGENERATE_POLYGON = "DEGENERATE_POLYGON"
NON_PLANAR = "NON_PLANAR_POLYGON_DISTANCE_PLANE"
#: metres: val3dity's default ``--planarity_d2p_tol``
PLANARITY_TOLERANCE = 0.01
#: an exterior whose area is below this fraction of its squared extent has no area
_FLAT_RATIO = 1e-9

TOO_FEW_POLYGONS = "TOO_FEW_POLYGONS"
COLLAPSED_SOLID = "COLLAPSED_SOLID"
SHELL_KINDS = frozenset({TOO_FEW_POLYGONS, COLLAPSED_SOLID})
#: a shell whose volume is below this fraction of its extent cubed encloses nothing
_FLAT_VOLUME_RATIO = 1e-7

#: what becomes of a polygon with each problem, for reports
OUTCOME = {CONSECUTIVE_POINTS_SAME: "repaired", RING_NOT_CLOSED: "repaired",
           TOO_FEW_POINTS: "skipped", DEGENERATE_POLYGON: "skipped",
           NON_PLANAR: "drawn as triangulated", TOO_FEW_POLYGONS: "drawn as is",
           COLLAPSED_SOLID: "drawn as is"}


#: the kinds that are found ring by ring (the others are the polygon's as a whole)
RING_KINDS = frozenset({CONSECUTIVE_POINTS_SAME, TOO_FEW_POINTS, RING_NOT_CLOSED})


def polygon_problems(vertices: np.ndarray, ring_vertices: np.ndarray,
                     ring_offsets: np.ndarray, polygon_offsets: np.ndarray,
                     rings: dict[str, np.ndarray] | None = None,
                     ) -> dict[str, np.ndarray]:
    """Per problem kind found, a boolean mask over polygons (kinds not found are left
    out). ``rings``, when given, receives for the kinds of :data:`RING_KINDS` found a
    mask over rings (which ring of a polygon has it: :func:`first_flagged_ring`)."""
    vertices = np.asarray(vertices, np.float64)
    ring_vertices = np.asarray(ring_vertices, np.int64)
    ring_offsets = np.asarray(ring_offsets, np.int64)
    polygon_offsets = np.asarray(polygon_offsets, np.int64)
    n_poly = len(polygon_offsets) - 1
    n_rings = len(ring_offsets) - 1
    if n_poly <= 0 or n_rings <= 0 or not len(ring_vertices):
        return {}
    ring_len = np.diff(ring_offsets)
    ring_poly = np.repeat(np.arange(n_poly), np.diff(polygon_offsets))
    point_ring = np.repeat(np.arange(n_rings), ring_len)
    # coordinates as separate columns: whole-array arithmetic on (n,) is several times
    # faster than on (n, 3) rows, and these arrays are as long as the city
    cols = [np.ascontiguousarray(vertices[:, axis])[ring_vertices] for axis in range(3)]
    # each point against the next one of its ring (the last against the first)
    nxt = np.arange(len(ring_vertices)) + 1
    last = ring_offsets[1:] - 1
    nonempty = ring_len > 0
    nxt[last[nonempty]] = ring_offsets[:-1][nonempty]
    same = ring_vertices == ring_vertices[nxt]
    same |= (cols[0] == cols[0][nxt]) & (cols[1] == cols[1][nxt]) & (cols[2] == cols[2][nxt])
    same[last[ring_len == 1]] = False  # a one-point ring is too short, not repeated
    repeats = np.bincount(point_ring[same], minlength=n_rings)
    distinct = ring_len - repeats
    out: dict[str, np.ndarray] = {}

    def mark(kind: str, flagged: np.ndarray) -> None:
        mask = np.zeros(n_poly, bool)
        mask[ring_poly[flagged]] = True
        if mask.any():
            out[kind] = mask
            if rings is not None:
                rings[kind] = np.zeros(n_rings, bool)
                rings[kind][flagged] = True

    mark(CONSECUTIVE_POINTS_SAME, np.flatnonzero((repeats > 0) & (distinct >= 3)))
    mark(TOO_FEW_POINTS, np.flatnonzero(distinct < 3))
    _area_and_planarity(cols, ring_offsets, polygon_offsets, distinct, out)
    return out


def first_flagged_ring(ring_mask: np.ndarray, polygon_offsets: np.ndarray,
                       polygons: np.ndarray) -> np.ndarray:
    """For each of ``polygons``, the position in it (0 = the exterior) of its first ring
    where ``ring_mask`` is true; 0 when none is."""
    flagged = np.flatnonzero(ring_mask)
    polygons = np.asarray(polygons, np.int64)
    start = np.asarray(polygon_offsets, np.int64)[polygons]
    if not len(flagged):
        return np.zeros(len(polygons), np.int64)
    k = np.searchsorted(flagged, start)
    hit = flagged[np.minimum(k, len(flagged) - 1)]
    inside = (k < len(flagged)) & (hit < np.asarray(polygon_offsets, np.int64)[polygons + 1])
    return np.where(inside, hit - start, 0)


def _area_and_planarity(cols: list[np.ndarray], ring_offsets: np.ndarray,
                        polygon_offsets: np.ndarray, distinct: np.ndarray,
                        out: dict[str, np.ndarray]) -> None:
    """DEGENERATE_POLYGON and NON_PLANAR for polygons whose exterior has 3+ points."""
    n_poly = len(polygon_offsets) - 1
    has_rings = np.diff(polygon_offsets) > 0
    exterior = np.where(has_rings, polygon_offsets[:-1], 0)
    good = has_rings & (distinct[exterior] >= 3)
    polys = np.flatnonzero(good)
    if not len(polys):
        return
    # the points of each polygon are contiguous: rings of a polygon follow each other
    start = ring_offsets[polygon_offsets[polys]]
    count = ring_offsets[polygon_offsets[polys + 1]] - start
    starts = np.cumsum(count) - count  # every polygon here has 3+ points: no empty run
    index = np.arange(int(count.sum())) + np.repeat(start - starts, count)
    first = np.repeat(start, count)
    # relative to the polygon's first point: full precision far from the origin
    x, y, z = (c[index] - c[first] for c in cols)
    # Newell normal of the exterior ring: sum of (p_i x p_i+1) over its edges
    ext_count = np.diff(ring_offsets)[exterior[polys]]
    following = np.arange(len(index)) + 1
    following[starts + ext_count - 1] = starts  # the exterior closes on its first point
    following[-1] = min(following[-1], len(index) - 1)
    hole = np.arange(len(index)) - np.repeat(starts, count) >= np.repeat(ext_count, count)
    xn, yn, zn = x[following], y[following], z[following]
    normal = np.empty((len(polys), 3))
    for axis, (a1, b2, a2, b1) in enumerate(((y, zn, z, yn), (z, xn, x, zn), (x, yn, y, xn))):
        term = a1 * b2 - a2 * b1
        term[hole] = 0.0
        normal[:, axis] = np.add.reduceat(term, starts)
    twice_area = np.sqrt((normal ** 2).sum(axis=1))
    extent = np.maximum.reduceat(np.maximum(np.maximum(np.abs(x), np.abs(y)), np.abs(z)),
                                 starts)
    flat = twice_area <= _FLAT_RATIO * np.maximum(extent, 1e-12) ** 2
    degenerate = np.zeros(n_poly, bool)
    degenerate[polys[flat]] = True
    if degenerate.any():
        out[DEGENERATE_POLYGON] = degenerate
    unit = normal / np.where(flat, 1.0, twice_area)[:, None]
    owner = np.repeat(np.arange(len(polys)), count)
    # distance to the plane through the centroid: |n.p - n.c|
    height = x * unit[owner, 0] + y * unit[owner, 1] + z * unit[owner, 2]
    offset = np.add.reduceat(height, starts) / count
    worst = np.maximum.reduceat(np.abs(height - offset[owner]), starts)
    bent = np.zeros(n_poly, bool)
    bent[polys[(worst > PLANARITY_TOLERANCE) & ~flat]] = True
    if bent.any():
        out[NON_PLANAR] = bent


def shell_problems(vertices: np.ndarray, triangles: np.ndarray, tri_shell: np.ndarray,
                   shell_surfaces: np.ndarray) -> dict[str, np.ndarray]:
    """Per kind found, a boolean mask over shells: ``shell_surfaces`` is the number of
    surfaces of each shell, ``tri_shell`` the shell of each triangle (-1: none)."""
    n = len(shell_surfaces)
    out: dict[str, np.ndarray] = {}
    if not n:
        return out
    few = np.asarray(shell_surfaces) < 4
    if few.any():
        out[TOO_FEW_POLYGONS] = few
    solid = np.flatnonzero(tri_shell >= 0)
    if not len(solid):
        return out
    vertices = np.asarray(vertices, np.float64)
    order = solid[np.argsort(tri_shell[solid], kind="stable")]
    shells = tri_shell[order]
    starts = np.flatnonzero(np.r_[True, shells[1:] != shells[:-1]])
    present = shells[starts]
    # coordinates as columns, relative to the shell's first corner (whole-array
    # arithmetic on (t,) columns is several times faster than on (t, 3) rows)
    tris = triangles[order]
    runs = np.diff(np.r_[starts, len(order)])
    first = np.repeat(tris[starts, 0], runs)
    a, b, c = ([np.ascontiguousarray(vertices[:, axis])[tris[:, k]]
                - np.ascontiguousarray(vertices[:, axis])[first] for axis in range(3)]
               for k in range(3))
    # divergence theorem: six times the volume is the sum of a . (b x c)
    triple = (a[0] * (b[1] * c[2] - b[2] * c[1]) + a[1] * (b[2] * c[0] - b[0] * c[2])
              + a[2] * (b[0] * c[1] - b[1] * c[0]))
    six_volume = np.add.reduceat(triple, starts)
    largest = np.abs(a[0])
    for column in (*a[1:], *b, *c):
        np.maximum(largest, np.abs(column), out=largest)
    extent = np.maximum.reduceat(largest, starts)
    flat = np.abs(six_volume) / 6 <= _FLAT_VOLUME_RATIO * np.maximum(extent, 1e-9) ** 3
    collapsed = np.zeros(n, bool)
    collapsed[present[flat & ~few[present]]] = True
    if collapsed.any():
        out[COLLAPSED_SOLID] = collapsed
    return out
