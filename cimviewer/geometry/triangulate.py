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
#: A vertex is concave when its turn (e_in x e_out) . N is below -_CONCAVE_TOL * |N|^2.
_CONCAVE_TOL = 1e-9
#: Vertices per chunk in the vectorized passes (buffers stay in cache, memory is reused).
_CHUNK = 1 << 15


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
    """Unnormalised Newell normal (twice the vector area) of each ring."""
    ring_offsets = np.asarray(ring_offsets, dtype=np.int64)
    lens = np.diff(ring_offsets)
    normals, _, _ = _exterior_analysis(np.asarray(vertices, np.float64),
                                    np.asarray(ring_vertices, np.int64), ring_offsets[:-1],
                                    lens, np.zeros(len(lens), bool))
    return normals


def _clean_rings(vertices: np.ndarray, ring_vertices: np.ndarray, ring_offsets: np.ndarray,
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Drop repeated consecutive points and a closing point equal to the first one
    (the same vertex, or another vertex at the same place)."""
    if len(ring_vertices) == 0:
        return ring_vertices, ring_offsets
    lens = np.diff(ring_offsets)
    nonempty = lens > 0
    firsts = ring_offsets[:-1][nonempty]
    lasts = ring_offsets[1:][nonempty] - 1
    xyz = vertices[ring_vertices]
    drop = np.empty(len(ring_vertices), bool)
    drop[0] = False
    drop[1:] = (xyz[1:] == xyz[:-1]).all(axis=1)
    drop[firsts] = False
    closing = (xyz[lasts] == xyz[firsts]).all(axis=1) & (lasts > firsts)
    drop[lasts[closing]] = True
    if not drop.any():
        return ring_vertices, ring_offsets
    keep = ~drop
    kept = np.zeros(len(ring_vertices) + 1, np.int64)
    np.cumsum(keep, out=kept[1:])
    return ring_vertices[keep], kept[ring_offsets]


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
    ring_vertices, ring_offsets = _clean_rings(vertices, ring_vertices, ring_offsets)
    ring_lens = np.diff(ring_offsets)
    n_rings = np.diff(polygon_offsets)
    has_ring = n_rings > 0
    ext = np.where(has_ring, polygon_offsets[:-1], 0)
    ext_len = np.where(has_ring, ring_lens[ext] if len(ring_lens) else 0, 0)
    ext_len = np.where(ext_len >= 3, ext_len, 0)

    normals, convex, reflex = _exterior_analysis(vertices, ring_vertices, ring_offsets[ext],
                                                 ext_len, check_convex=n_rings == 1)
    ok = (ext_len >= 3) & normals.any(axis=1)
    # a ring with one reflex vertex is star-shaped from it: fan from there
    fan = ok & (n_rings == 1) & ((ext_len == 3) | convex | (reflex >= 0))
    ear = ok & ~fan

    parts = [_fan(ring_vertices, ring_offsets[ext[fan]], ext_len[fan], np.flatnonzero(fan),
                  np.maximum(reflex[fan], 0))]
    if ear.any():
        parts.append(_earcut_each(vertices, ring_vertices, ring_offsets, polygon_offsets,
                                  np.flatnonzero(ear), normals))
    triangles = np.concatenate([p[0] for p in parts]).astype(np.int32, copy=False)
    owner = np.concatenate([p[1] for p in parts])
    return triangles, owner


def _exterior_analysis(vertices: np.ndarray, ring_vertices: np.ndarray, starts: np.ndarray,
                       lens: np.ndarray, check_convex: np.ndarray,
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Newell normal, convexity and single reflex vertex of every exterior ring.

    A vertex is reflex when the turn ``e_in x e_out`` points against the ring's normal N
    (below -1e-9 |N|^2, so collinear vertices are fine). A ring is convex without reflex
    vertices; ``reflex`` is the position in the ring of its only reflex vertex, or -1.
    Rings are processed in chunks of about ``_CHUNK`` vertices with reused buffers: the
    arithmetic is cheap, and touching fresh memory for whole-city temporaries is not.
    """
    n = len(lens)
    normals = np.zeros((n, 3))
    convex = np.zeros(n, bool)
    reflex = np.full(n, -1, np.int64)
    if n == 0 or not lens.any():
        return normals, convex, reflex
    # each ring is measured relative to its own first vertex (in _analyse_chunk): one
    # absurd coordinate (1e20) elsewhere in the batch must not cost the others their
    # precision, as subtracting a shared centre did
    cols = [np.ascontiguousarray(vertices[:, k]) for k in range(3)]
    want = check_convex & (lens > 3)
    ends = np.cumsum(lens)
    size = _CHUNK + int(lens.max())
    work = _Buffers(size)
    r0 = 0
    while r0 < n:
        done = ends[r0 - 1] if r0 else 0
        r1 = max(int(np.searchsorted(ends, done + _CHUNK, side="right")), r0 + 1)
        _analyse_chunk(cols, ring_vertices, starts[r0:r1], lens[r0:r1], want[r0:r1],
                       normals[r0:r1], convex[r0:r1], reflex[r0:r1], work)
        r0 = r1
    return normals, convex, reflex


class _Buffers:
    """Work arrays reused by every chunk."""

    def __init__(self, size: int):
        self.f = np.empty((12, size))
        self.i = np.empty((4, size), np.int64)
        self.b = np.empty(size, bool)
        self.arange = np.arange(size, dtype=np.int64)


def _analyse_chunk(cols: list[np.ndarray], ring_vertices: np.ndarray, starts: np.ndarray,
                   lens: np.ndarray, want: np.ndarray, normals: np.ndarray,
                   convex: np.ndarray, reflex: np.ndarray, work: _Buffers) -> None:
    n = len(lens)
    m = int(lens.sum())
    if m == 0:
        return
    f = [row[:m] for row in work.f]
    ring_id, idx, nxt, prv = (row[:m] for row in work.i)
    firsts = _exclusive_cumsum(lens)
    nonempty = lens > 0
    # ring index of each vertex: cumulative sum of the index steps at ring starts
    ring_id[:] = 0
    nz = np.flatnonzero(nonempty)
    ring_id[firsts[nz]] = np.diff(nz, prepend=0)
    np.cumsum(ring_id, out=ring_id)
    # positions in ring_vertices, then vertex ids
    np.take(starts - firsts, ring_id, out=idx)
    idx += work.arange[:m]
    np.take(ring_vertices, idx, out=idx)
    x, y, z, dx, dy, dz, t0, t1, t2, ax, ay, az = f
    first_of = np.take(firsts, ring_id)
    for col, out in zip(cols, (x, y, z), strict=True):
        np.take(col, idx, out=out)
        out -= np.take(out, first_of)
    # next / previous vertex within the ring
    np.add(work.arange[:m], 1, out=nxt)
    lasts = firsts[nonempty] + lens[nonempty] - 1
    nxt[lasts] = firsts[nonempty]
    for c, d in ((x, dx), (y, dy), (z, dz)):
        np.take(c, nxt, out=d)
        d -= c
    # Newell: sum (y_i - y_j)(z_i + z_j) with j = i + 1 = -dy (2 z + dz), etc.
    for k, (a, da, db) in enumerate(((z, dz, dy), (x, dx, dz), (y, dy, dx))):
        np.multiply(a, 2, out=t0)
        t0 += da
        t0 *= db
        normals[:, k] = -np.bincount(ring_id, t0, n)
    if not want.any():
        return
    np.subtract(work.arange[:m], 1, out=prv)
    prv[firsts[nonempty]] = lasts
    np.take(dx, prv, out=ax)
    np.take(dy, prv, out=ay)
    np.take(dz, prv, out=az)
    # turn = (e_in x e_out) . N, accumulated in t0
    t0[:] = 0
    for (p, q, r, s), k in (((ay, dz, az, dy), 0), ((az, dx, ax, dz), 1),
                            ((ax, dy, ay, dx), 2)):
        np.multiply(p, q, out=t1)
        np.multiply(r, s, out=t2)
        t1 -= t2
        np.take(normals[:, k], ring_id, out=t2)
        t1 *= t2
        t0 += t1
    limit = -_CONCAVE_TOL * np.einsum("ij,ij->i", normals, normals)
    np.take(limit, ring_id, out=t1)
    concave = work.b[:m]
    np.less(t0, t1, out=concave)
    n_reflex = np.bincount(ring_id, concave, n)
    convex[want] = n_reflex[want] == 0
    one = want & (n_reflex == 1)
    if one.any():  # position of the reflex vertex: sum of concave * (index in ring)
        np.take(firsts, ring_id, out=idx)
        np.subtract(work.arange[:m], idx, out=idx)
        where_reflex = np.bincount(ring_id, concave * idx, n)
        reflex[one] = where_reflex[one].astype(np.int64)


def _fan(ring_vertices: np.ndarray, starts: np.ndarray, lens: np.ndarray, polys: np.ndarray,
         apex: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fan triangles (v_a, v_a+k+1, v_a+k+2) from ring position ``apex``, vectorized."""
    n_tri = lens - 2
    owner = np.repeat(polys, n_tri)
    base = np.repeat(starts, n_tri)
    k = np.arange(len(owner), dtype=np.int64) - np.repeat(_exclusive_cumsum(n_tri), n_tri)
    tris = np.empty((len(owner), 3), np.int64)
    tris[:, 0] = ring_vertices[base]
    tris[:, 1] = ring_vertices[base + k + 1]
    tris[:, 2] = ring_vertices[base + k + 2]
    rotated = np.repeat(apex > 0, n_tri)
    if rotated.any():
        a = np.repeat(apex, n_tri)[rotated]
        length = np.repeat(lens, n_tri)[rotated]
        b, kk = base[rotated], k[rotated]
        tris[rotated, 0] = ring_vertices[b + a]
        tris[rotated, 1] = ring_vertices[b + (a + kk + 1) % length]
        tris[rotated, 2] = ring_vertices[b + (a + kk + 2) % length]
    return tris, owner


def _earcut_each(vertices: np.ndarray, ring_vertices: np.ndarray, ring_offsets: np.ndarray,
                 polygon_offsets: np.ndarray, polys: np.ndarray,
                 normals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Earcut for concave polygons and polygons with holes, one call per polygon."""
    r0 = polygon_offsets[polys]
    r1 = polygon_offsets[polys + 1]
    v0 = ring_offsets[r0]
    counts = ring_offsets[r1] - v0
    pos, _ = _segment_positions(v0, counts)
    pts = vertices[ring_vertices[pos]]
    # project every polygon onto the plane of its dominant normal axis, relative to its
    # first vertex for precision
    axis = np.argmax(np.abs(normals[polys]), axis=1)
    ax = np.repeat(axis, counts)
    rows = np.arange(len(pts))
    uv = np.empty((len(pts), 2))
    uv[:, 0] = pts[rows, (ax + 1) % 3]
    uv[:, 1] = pts[rows, (ax + 2) % 3]
    flat_start = _exclusive_cumsum(counts)
    uv -= np.repeat(uv[flat_start], counts, axis=0)
    ring_lens = np.diff(ring_offsets)
    # ring end offsets relative to each polygon's first vertex, for all rings at once
    ring_owner = np.repeat(np.arange(len(polys)), r1 - r0)
    ring_pos, _ = _segment_positions(r0, r1 - r0)
    ends = (ring_offsets[ring_pos + 1] - v0[ring_owner]).astype(np.uint32)
    end_start = _exclusive_cumsum(r1 - r0)
    short = (ring_lens < 3)[ring_pos]
    has_short = np.bincount(ring_owner, short, len(polys)) > 0
    triangulate = mapbox_earcut.triangulate_float64
    results: list[np.ndarray] = []
    n_tris = np.zeros(len(polys), np.int64)
    bounds = zip(flat_start.tolist(), (flat_start + counts).tolist(), end_start.tolist(),
                 (end_start + r1 - r0).tolist(), has_short.tolist(), strict=True)
    for i, (s, e, a, b, fix) in enumerate(bounds):
        if fix:
            poly_uv, poly_ends, index_map = _drop_short_holes(uv[s:e], ring_lens[r0[i]:r1[i]])
            local = index_map[triangulate(poly_uv, poly_ends)]
        else:
            local = triangulate(uv[s:e], ends[a:b])
        results.append(local)
        n_tris[i] = len(local) // 3
    if not n_tris.any():
        return _EMPTY_TRIS[0].astype(np.int64), _EMPTY_TRIS[1]
    flat = np.concatenate(results).astype(np.int64)
    flat += np.repeat(flat_start, 3 * n_tris)
    tris = ring_vertices[pos[flat]].reshape(-1, 3)
    owner = np.repeat(polys, n_tris)
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
