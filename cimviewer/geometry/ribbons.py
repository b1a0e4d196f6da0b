"""Polylines to flat ribbons of a given width (roads drawn at their real width)."""

from __future__ import annotations

import numpy as np


def ribbons(vertices: np.ndarray, vertex_offsets: np.ndarray,
            widths: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Triangulated ribbons along polylines, vectorized over all vertices.

    ``vertices`` (n, 3); line ``k`` is ``vertices[vertex_offsets[k]:vertex_offsets[k+1]]``
    with width ``widths[k]``. Joins use the averaged (unit) normal of the two adjacent
    segments. Returns ``(ribbon_vertices (2n, 3), triangles (t, 3), tri_line (t,))``.
    """
    vertices = np.asarray(vertices, np.float64)
    offsets = np.asarray(vertex_offsets, np.int64)
    n = len(vertices)
    counts = np.diff(offsets)
    line_of = np.repeat(np.arange(len(counts)), counts)
    if n < 2:
        return np.zeros((0, 3)), np.zeros((0, 3), np.int32), np.zeros(0, np.int64)
    seg_ok = line_of[:-1] == line_of[1:]  # segment i joins vertex i and i+1
    d = vertices[1:, :2] - vertices[:-1, :2]
    length = np.hypot(d[:, 0], d[:, 1])
    seg_ok &= length > 0
    perp = np.zeros_like(d)
    perp[seg_ok] = np.column_stack([-d[seg_ok, 1], d[seg_ok, 0]]) / length[seg_ok, None]
    normal = np.zeros((n, 2))
    normal[:-1] += np.where(seg_ok[:, None], perp, 0)  # outgoing segment
    normal[1:] += np.where(seg_ok[:, None], perp, 0)  # incoming segment
    norm = np.hypot(normal[:, 0], normal[:, 1])
    good = norm > 1e-9
    normal[good] /= norm[good, None]
    half = np.asarray(widths, np.float64)[line_of] / 2
    left = vertices.copy()
    right = vertices.copy()
    left[:, :2] += normal * half[:, None]
    right[:, :2] -= normal * half[:, None]
    out = np.empty((2 * n, 3))
    out[0::2] = left
    out[1::2] = right
    i = np.nonzero(seg_ok)[0]
    l0, r0, l1, r1 = 2 * i, 2 * i + 1, 2 * i + 2, 2 * i + 3
    # counter-clockwise seen from above: right0 -> right1 -> left1, right0 -> left1 -> left0
    tris = np.concatenate([np.column_stack([r0, r1, l1]), np.column_stack([r0, l1, l0])])
    tri_line = np.concatenate([line_of[i], line_of[i]])
    return out, tris.astype(np.int32), tri_line
