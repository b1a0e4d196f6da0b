"""CityJSON texture values: per-ring texture index and per-corner texture coordinates.

A geometry's ``"texture": {theme: {"values": ...}}`` nests like its boundaries, down to
rings; each ring is ``[texture index, uv index of vertex 0, uv index of vertex 1, ...]``
(one uv index per ring vertex) or ``[null]`` for an untextured surface. The values of
all textured geometries of a batch are flattened together (C-level iteration, as for
boundaries); only geometries whose values do not fit their boundaries go through a
slow walk, one geometry at a time, and are left untextured with a warning.

After triangulation, :func:`corner_uvs` finds for every triangle corner the ring
position it came from (a sorted (polygon, vertex) key, no Python loop per triangle)
and so its texture coordinates.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cimviewer.io.cityjson.flatten import NestingError, flatten_levels


def pick_texture(geom: dict, theme: str | None) -> Any:
    """The ``values`` of ``theme`` in a geometry's ``texture`` member, or None."""
    if theme is None:
        return None
    texture = geom.get("texture")
    entry = texture.get(theme) if isinstance(texture, dict) else None
    return entry.get("values") if isinstance(entry, dict) else None


def ring_values(values: list, counts: list[np.ndarray], mask: np.ndarray, depth: int,
                ) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Texture index per ring and uv index per ring position of a batch.

    ``values`` are the texture values of the geometries where ``mask`` is true, in
    order; ``counts`` the boundaries' counts (:func:`flatten_levels`) of the whole
    batch. Returns ``(ring_tex, pos_uv, bad)``: -1 where untextured, and the selected
    geometries (indices into the batch) whose values do not fit (left untextured).
    """
    n_rings = len(counts[depth - 1])
    ring_lens = counts[depth - 1]
    ring_tex = np.full(n_rings, -1, np.int64)
    pos_uv = np.full(int(ring_lens.sum()), -1, np.int64)
    if not values:
        return ring_tex, pos_uv, []
    selected = np.flatnonzero(mask)
    try:
        vcounts, leaves = flatten_levels(values, depth)
        level_mask = mask
        for k in range(depth - 1):
            if not np.array_equal(vcounts[k], counts[k][level_mask]):
                raise NestingError(k, 0)
            level_mask = np.repeat(level_mask, counts[k])
        rings = np.flatnonzero(level_mask)
        entries = vcounts[depth - 1]
    except NestingError:
        rings, entries, leaves, bad = _slow(values, counts, selected, depth)
        if not len(rings):
            return ring_tex, pos_uv, bad
    else:
        bad = []
    flat = _numbers(leaves)
    starts = np.zeros(len(entries), np.int64)
    np.cumsum(entries[:-1], out=starts[1:])
    lens = ring_lens[rings]
    first = np.where(entries > 0, flat[np.minimum(starts, max(len(flat) - 1, 0))]
                     if len(flat) else np.nan, np.nan)
    null = (entries == 1) & np.isnan(first)
    fits = (entries == lens + 1) & ~np.isnan(first)
    wrong = ~(null | fits)
    if wrong.any():
        ring_owner = _ring_owner(counts, depth)
        bad += np.unique(ring_owner[rings[wrong]]).tolist()
        fits &= ~np.isin(ring_owner[rings], bad)
    rings, starts, lens = rings[fits], starts[fits], lens[fits]
    ring_tex[rings] = first[fits]
    ring_start = np.zeros(n_rings, np.int64)
    np.cumsum(ring_lens[:-1], out=ring_start[1:])
    total = int(lens.sum())
    local = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lens) - lens, lens)
    uv = flat[np.repeat(starts + 1, lens) + local]
    pos_uv[np.repeat(ring_start[rings], lens) + local] = np.where(np.isnan(uv), -1, uv)
    return ring_tex, pos_uv, sorted(set(bad))


def _numbers(leaves: list) -> np.ndarray:
    """Leaves as float64 (NaN for null or anything that is not an integer)."""
    try:
        flat = np.array(leaves, np.float64)
    except (TypeError, ValueError, OverflowError):
        flat = np.array([v if type(v) is int and abs(v) < 2**53 else np.nan for v in leaves],
                        np.float64)
    if flat.ndim != 1:
        flat = np.full(len(leaves), np.nan)
    flat[flat != np.floor(flat)] = np.nan
    return flat


def _ring_owner(counts: list[np.ndarray], depth: int) -> np.ndarray:
    owner = np.arange(len(counts[0]), dtype=np.int64)
    for k in range(depth - 1):
        owner = np.repeat(owner, counts[k])
    return owner


def _slow(values: list, counts: list[np.ndarray], selected: np.ndarray, depth: int,
          ) -> tuple[np.ndarray, np.ndarray, list, list[int]]:
    """One geometry at a time: the rings whose values fit, their entry counts and
    leaves, and the geometries that do not fit. A surface given as ``[[null]]`` (or
    ``null``) is untextured whatever its number of rings."""
    surf_owner = _ring_owner(counts, depth - 1)
    surf_first = np.searchsorted(surf_owner, np.arange(len(counts[0]) + 1))
    surf_rings = counts[depth - 2]
    ring_first = np.zeros(len(surf_rings) + 1, np.int64)
    np.cumsum(surf_rings, out=ring_first[1:])
    rings: list[np.ndarray] = []
    entries: list[int] = []
    leaves: list = []
    bad: list[int] = []
    for g, v in zip(selected.tolist(), values, strict=True):
        lo, hi = int(surf_first[g]), int(surf_first[g + 1])
        surfaces = _nested_items(v, depth - 2)
        if surfaces is None or len(surfaces) != hi - lo:
            bad.append(g)
            continue
        flat: list[list] = []
        for s, surface in zip(range(lo, hi), surfaces, strict=True):
            n = int(surf_rings[s])
            if surface is None or surface in ([None], [[None]]):
                flat += [[None]] * n
            elif (isinstance(surface, list) and len(surface) == n
                  and all(isinstance(r, list) for r in surface)):
                flat += surface
            else:
                flat = []
                break
        if len(flat) != ring_first[hi] - ring_first[lo]:
            bad.append(g)
            continue
        rings.append(np.arange(ring_first[lo], ring_first[hi]))
        entries += [len(r) for r in flat]
        for r in flat:
            leaves += r
    ring_arr = np.concatenate(rings) if rings else np.zeros(0, np.int64)
    return ring_arr, np.array(entries, np.int64), leaves, bad


def _nested_items(value: Any, depth: int) -> list | None:
    """The elements under ``depth`` list levels (anything below is kept as is)."""
    if depth == 0:
        return [value]
    if not isinstance(value, list):
        return None
    out: list = []
    for item in value:
        sub = _nested_items(item, depth - 1)
        if sub is None:
            return None
        out += sub
    return out


def corner_uvs(ring_vertices: np.ndarray, ring_lens: np.ndarray, surf_rings: np.ndarray,
               pos_uv: np.ndarray, surf_tex: np.ndarray, uv_table: np.ndarray,
               tris: np.ndarray, tri_poly: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(tri_texture (m,) int32, tri_uv (m, 3, 2) float32)`` of triangulated surfaces.

    ``surf_tex`` is each surface's texture (-1 none); ``pos_uv`` indexes ``uv_table``
    per ring position. A corner is matched to the ring position of its surface with the
    same vertex; triangles with a corner without coordinates stay untextured.
    """
    m = len(tris)
    tri_tex = surf_tex[tri_poly].astype(np.int32)
    tri_uv = np.zeros((m, 3, 2), np.float32)
    textured = np.flatnonzero(tri_tex >= 0)
    if not len(textured):
        return tri_tex, tri_uv
    pos_ring = np.repeat(np.arange(len(ring_lens)), ring_lens)
    pos_poly = np.repeat(np.arange(len(surf_rings)), surf_rings)[pos_ring]
    keep = np.flatnonzero(surf_tex[pos_poly] >= 0)
    stride = np.int64(max(int(ring_vertices.max(initial=0)), int(tris.max(initial=0))) + 1)
    keys = pos_poly[keep] * stride + ring_vertices[keep]
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    query = tri_poly[textured, None].astype(np.int64) * stride + tris[textured]
    at = np.minimum(np.searchsorted(sorted_keys, query), len(sorted_keys) - 1)
    found = sorted_keys[at] == query
    uv_index = np.where(found, pos_uv[keep[order[at]]], -1)
    ok = (uv_index >= 0).all(axis=1)
    tri_tex[textured[~ok]] = -1
    rows = textured[ok]
    tri_uv[rows] = uv_table[uv_index[ok]]
    return tri_tex, tri_uv
