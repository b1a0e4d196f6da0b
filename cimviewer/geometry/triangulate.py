"""Triangulation of planar 3D polygons with holes, vectorized over whole cities.

Polygons are given in a flat, array-based layout so that readers never build a Python
object per surface:

* ``ring_vertices``: indices into ``vertices`` for every ring, concatenated;
* ``ring_offsets``: ring ``r`` is ``ring_vertices[ring_offsets[r]:ring_offsets[r + 1]]``;
* ``polygon_offsets``: polygon ``p`` owns rings ``polygon_offsets[p]:polygon_offsets[p + 1]``,
  the first being the exterior ring and the others holes.

Strategy: each polygon is projected onto the plane of its Newell normal (dropping the
dominant axis). Triangles and convex polygons without holes -- nearly all surfaces of
real city models -- are fan-triangulated in one vectorized pass. Only concave polygons
and polygons with holes go through mapbox-earcut, one call each. Triangles keep the
orientation of the exterior ring, so outward-facing solids stay outward-facing.
"""

from __future__ import annotations

import mapbox_earcut
import numpy as np

_EMPTY_TRIS = (np.zeros((0, 3), np.int32), np.zeros(0, np.int64))
#: A turn counts as concave when its cross product is below -_CONCAVE_TOL * |e1|^2+|e2|^2.
_CONCAVE_TOL = 1e-9


def _exclusive_cumsum(counts: np.ndarray) -> np.ndarray:
    out = np.zeros(len(counts), np.int64)
    np.cumsum(counts[:-1], out=out[1:])
    return out


def _segment_positions(starts: np.ndarray, lens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Flat positions ``starts[i] .. starts[i] + lens[i]`` for all segments, and local offsets."""
    total = int(lens.sum())
    seg_start_local = _exclusive_cumsum(lens)
    local = np.arange(total, dtype=np.int64) - np.repeat(seg_start_local, lens)
    return np.repeat(starts, lens) + local, local


def newell_normals(vertices: np.ndarray, ring_vertices: np.ndarray,
                   ring_offsets: np.ndarray) -> np.ndarray:
    """Unnormalised Newell normal of each ring, vectorized over all rings."""
    ring_vertices = np.asarray(ring_vertices, dtype=np.int64)
    ring_offsets = np.asarray(ring_offsets, dtype=np.int64)
    lens = np.diff(ring_offsets)
    pos, local = _segment_positions(ring_offsets[:-1], lens)
    return _newell(vertices[ring_vertices[pos]], lens, local)


def _newell(pts: np.ndarray, lens: np.ndarray, local: np.ndarray) -> np.ndarray:
    """Newell normals of consecutive rings of ``pts`` (``lens`` points each)."""
    n = len(lens)
    if n == 0:
        return np.zeros((0, 3))
    ring_id = np.repeat(np.arange(n), lens)
    firsts = _exclusive_cumsum(lens)
    # coordinates relative to the ring's first vertex: precise even at UTM / ECEF scale
    rel = pts - pts[np.minimum(firsts, max(len(pts) - 1, 0))][ring_id]
    nxt_idx = np.arange(len(pts)) + 1
    last = local == np.repeat(lens, lens) - 1
    nxt_idx[last] = firsts[ring_id[last]]
    nxt = rel[nxt_idx]
    out = np.empty((n, 3))
    out[:, 0] = np.bincount(ring_id, (rel[:, 1] - nxt[:, 1]) * (rel[:, 2] + nxt[:, 2]), n)
    out[:, 1] = np.bincount(ring_id, (rel[:, 2] - nxt[:, 2]) * (rel[:, 0] + nxt[:, 0]), n)
    out[:, 2] = np.bincount(ring_id, (rel[:, 0] - nxt[:, 0]) * (rel[:, 1] + nxt[:, 1]), n)
    return out


def _clean_rings(ring_vertices: np.ndarray, ring_offsets: np.ndarray,
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Drop repeated consecutive vertices and a closing vertex equal to the first one."""
    if len(ring_vertices) == 0:
        return ring_vertices, ring_offsets
    lens = np.diff(ring_offsets)
    ring_id = np.repeat(np.arange(len(lens)), lens)
    firsts = ring_offsets[:-1]
    prev = np.roll(ring_vertices, 1)
    is_first = np.zeros(len(ring_vertices), bool)
    is_first[firsts[lens > 0]] = True
    drop = (ring_vertices == prev) & ~is_first
    is_last = np.zeros(len(ring_vertices), bool)
    is_last[ring_offsets[1:][lens > 0] - 1] = True
    drop |= is_last & ~is_first & (ring_vertices == ring_vertices[firsts[ring_id]])
    if not drop.any():
        return ring_vertices, ring_offsets
    keep = ~drop
    new_lens = np.bincount(ring_id[keep], minlength=len(lens))
    offsets = np.zeros(len(lens) + 1, np.int64)
    np.cumsum(new_lens, out=offsets[1:])
    return ring_vertices[keep], offsets


def triangulate_polygons(
    vertices: np.ndarray,
    ring_vertices: np.ndarray,
    ring_offsets: np.ndarray,
    polygon_offsets: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Triangulate polygons; return ``(triangles (t, 3) int32, tri_polygon (t,) int64)``.

    Degenerate polygons (fewer than 3 distinct vertices, zero area) yield no triangles.
    Triangles keep the orientation of the exterior ring. Triangles are not ordered by
    polygon; use ``tri_polygon`` to map them back.
    """
    vertices = np.asarray(vertices, dtype=np.float64)
    ring_vertices = np.asarray(ring_vertices, dtype=np.int64)
    ring_offsets = np.asarray(ring_offsets, dtype=np.int64)
    polygon_offsets = np.asarray(polygon_offsets, dtype=np.int64)
    n_poly = len(polygon_offsets) - 1
    if n_poly <= 0 or len(ring_vertices) == 0:
        return _EMPTY_TRIS
    ring_vertices, ring_offsets = _clean_rings(ring_vertices, ring_offsets)
    ring_lens = np.diff(ring_offsets)
    n_rings = np.diff(polygon_offsets)
    has_ring = n_rings > 0
    ext = np.where(has_ring, polygon_offsets[:-1], 0)
    ext_len = np.where(has_ring, ring_lens[ext] if len(ring_lens) else 0, 0)

    # Exterior-ring points, Newell normals and projection axes for all polygons at once.
    pos, local = _segment_positions(ring_offsets[ext], ext_len)
    pts = vertices[ring_vertices[pos]]
    normals = _newell(pts, ext_len, local)
    axis = np.argmax(np.abs(normals), axis=1)
    sign = normals[np.arange(n_poly), axis]
    ok = (ext_len >= 3) & (sign != 0)

    simple = ok & (n_rings == 1)
    fan = simple & (ext_len == 3)
    candidates = simple & (ext_len > 3)
    if candidates.any():
        fan |= candidates & _convex(pts, ext_len, local, axis, sign, candidates)
    ear = ok & ~fan

    parts = [_fan(ring_vertices, ring_offsets[ext[fan]], ext_len[fan], np.flatnonzero(fan))]
    if ear.any():
        parts.append(_earcut_each(vertices, ring_vertices, ring_offsets, polygon_offsets,
                                  np.flatnonzero(ear), axis, normals))
    triangles = np.concatenate([p[0] for p in parts]).astype(np.int32, copy=False)
    owner = np.concatenate([p[1] for p in parts])
    return triangles, owner


def _convex(pts: np.ndarray, lens: np.ndarray, local: np.ndarray, axis: np.ndarray,
            sign: np.ndarray, which: np.ndarray) -> np.ndarray:
    """Per polygon: is the exterior ring convex in its projection plane (for ``which``)?"""
    vmask = np.repeat(which, lens)
    sub = pts[vmask]
    sub_lens = lens[which]
    sub_local = local[vmask]
    ring_id = np.repeat(np.arange(len(sub_lens)), sub_lens)
    firsts = _exclusive_cumsum(sub_lens)
    # cyclic (u, v) axes keep the sign of the 2D area equal to the sign of normal[axis]
    ax = np.repeat(axis[which], sub_lens)
    u = sub[np.arange(len(sub)), (ax + 1) % 3]
    v = sub[np.arange(len(sub)), (ax + 2) % 3]
    idx = np.arange(len(sub))
    nxt = idx + 1
    last = sub_local == np.repeat(sub_lens, sub_lens) - 1
    nxt[last] = firsts[ring_id[last]]
    prv = idx - 1
    prv[sub_local == 0] = (firsts + sub_lens - 1)
    e1u, e1v = u - u[prv], v - v[prv]
    e2u, e2v = u[nxt] - u, v[nxt] - v
    cross = (e1u * e2v - e1v * e2u) * np.sign(np.repeat(sign[which], sub_lens))
    tol = _CONCAVE_TOL * (e1u * e1u + e1v * e1v + e2u * e2u + e2v * e2v)
    concave = np.bincount(ring_id, cross < -tol, len(sub_lens)) > 0
    out = np.zeros(len(lens), bool)
    out[which] = ~concave
    return out


def _fan(ring_vertices: np.ndarray, starts: np.ndarray, lens: np.ndarray,
         polys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fan triangles (v0, vi, vi+1) of convex rings, in one vectorized pass."""
    n_tri = lens - 2
    owner = np.repeat(polys, n_tri)
    base = np.repeat(starts, n_tri)
    k = np.arange(len(owner), dtype=np.int64) - np.repeat(_exclusive_cumsum(n_tri), n_tri)
    tris = np.empty((len(owner), 3), np.int64)
    tris[:, 0] = ring_vertices[base]
    tris[:, 1] = ring_vertices[base + k + 1]
    tris[:, 2] = ring_vertices[base + k + 2]
    return tris, owner


def _earcut_each(vertices: np.ndarray, ring_vertices: np.ndarray, ring_offsets: np.ndarray,
                 polygon_offsets: np.ndarray, polys: np.ndarray, axis: np.ndarray,
                 normals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Earcut for concave polygons and polygons with holes, one call per polygon."""
    r0 = polygon_offsets[polys]
    r1 = polygon_offsets[polys + 1]
    v0 = ring_offsets[r0]
    v1 = ring_offsets[r1]
    pos, _ = _segment_positions(v0, v1 - v0)
    pts = vertices[ring_vertices[pos]]
    # project every polygon onto its plane, relative to its first vertex for precision
    counts = v1 - v0
    ax = np.repeat(axis[polys], counts)
    rows = np.arange(len(pts))
    uv = np.stack([pts[rows, (ax + 1) % 3], pts[rows, (ax + 2) % 3]], axis=1)
    uv -= np.repeat(uv[_exclusive_cumsum(counts)], counts, axis=0)
    flat_start = _exclusive_cumsum(counts)
    ring_lens = np.diff(ring_offsets)
    short_hole = np.zeros(len(ring_lens), bool)
    short_hole[ring_lens < 3] = True
    tris_local: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    triangulate = mapbox_earcut.triangulate_float64
    for i, p in enumerate(polys.tolist()):
        a, b = int(r0[i]), int(r1[i])
        s, n = int(flat_start[i]), int(counts[i])
        ends = (ring_offsets[a + 1:b + 1] - ring_offsets[a]).astype(np.uint32)
        poly_uv = uv[s:s + n]
        index_map = None
        if b - a > 1 and short_hole[a + 1:b].any():
            poly_uv, ends, index_map = _drop_short_holes(poly_uv, ring_lens[a:b])
        local = triangulate(poly_uv, ends)
        if len(local) == 0:
            continue
        local = local.astype(np.int64)
        if index_map is not None:
            local = index_map[local]
        tris_local.append(local + s)
        owners.append(np.full(len(local) // 3, p, np.int64))
    if not tris_local:
        return _EMPTY_TRIS[0].astype(np.int64), _EMPTY_TRIS[1]
    flat = np.concatenate(tris_local)
    tris = ring_vertices[pos[flat]].reshape(-1, 3)
    owner = np.concatenate(owners)
    return _orient_like(vertices, tris, normals[owner]), owner


def _drop_short_holes(uv: np.ndarray, lens: np.ndarray,
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Remove holes with fewer than 3 vertices (earcut rejects empty rings)."""
    keep_ring = lens >= 3
    keep_ring[0] = True
    keep = np.repeat(keep_ring, lens)
    index_map = np.flatnonzero(keep)
    ends = np.cumsum(lens[keep_ring]).astype(np.uint32)
    return uv[keep], ends, index_map


def _orient_like(vertices: np.ndarray, triangles: np.ndarray, normals: np.ndarray) -> np.ndarray:
    """Flip triangles whose normal disagrees with their polygon's normal."""
    a, b, c = (vertices[triangles[:, i]] for i in range(3))
    tri_n = np.cross(b - a, c - a)
    flip = np.einsum("ij,ij->i", tri_n, normals) < 0
    if flip.any():
        triangles = triangles.copy()
        triangles[flip] = triangles[flip][:, ::-1]
    return triangles
