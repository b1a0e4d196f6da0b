"""A few colour maps as control points, sampled with numpy (no matplotlib needed)."""

from __future__ import annotations

import numpy as np

_CONTROL_POINTS: dict[str, list[tuple[float, tuple[int, int, int]]]] = {
    "viridis": [(0.0, (68, 1, 84)), (0.25, (59, 82, 139)), (0.5, (33, 145, 140)),
                (0.75, (94, 201, 98)), (1.0, (253, 231, 37))],
    "terrain": [(0.0, (62, 120, 74)), (0.25, (120, 160, 90)), (0.5, (196, 188, 126)),
                (0.75, (160, 130, 100)), (1.0, (240, 240, 240))],
    "reds": [(0.0, (254, 229, 217)), (0.5, (251, 106, 74)), (1.0, (165, 15, 21))],
    "rdylgn": [(0.0, (215, 48, 39)), (0.25, (252, 141, 89)), (0.5, (255, 255, 191)),
               (0.75, (145, 207, 96)), (1.0, (26, 152, 80))],
}

#: Distinct colours for categories (Tableau 10).
CATEGORY_COLORS = np.array(
    [(78, 121, 167), (242, 142, 43), (225, 87, 89), (118, 183, 178), (89, 161, 79),
     (237, 201, 72), (176, 122, 161), (255, 157, 167), (156, 117, 95), (186, 176, 172)],
    dtype=np.uint8,
)

COLORMAP_NAMES = tuple(_CONTROL_POINTS)


def sample(name: str, values: np.ndarray) -> np.ndarray:
    """RGB uint8 for values in [0, 1] (clipped); NaN gives grey."""
    points = _CONTROL_POINTS.get(name, _CONTROL_POINTS["viridis"])
    xs = np.array([p for p, _ in points])
    rgb = np.array([c for _, c in points], dtype=float)
    v = np.clip(np.nan_to_num(np.asarray(values, float), nan=0.0), 0, 1)
    out = np.column_stack([np.interp(v, xs, rgb[:, i]) for i in range(3)])
    out[~np.isfinite(np.asarray(values, float))] = 160
    return out.round().astype(np.uint8)
