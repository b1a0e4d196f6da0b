"""Point clouds (LAS / LAZ): positions, optional colour, intensity and class, and the
level-of-detail structure the renderer draws within a point budget.

Positions are an ``offset`` (float64, the cloud's centre) plus float32 coordinates
relative to it: 12 bytes a point instead of 24, and millimetres stay exact over tens of
kilometres. Points are stored in LoD order (:class:`PointLod`): grouped by spatial node,
and inside each node by level, so that the first ``level_ends[i, l]`` points of node
``i`` are an even subsample of it (one point per occupied cell of level ``l``'s grid).
The renderer draws a prefix of each node in view; nothing is reordered while drawing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from cimviewer.core import colormaps

#: ways to colour a point cloud (``rgb`` only when the file has colours)
COLOR_MODES = ("rgb", "intensity", "classification", "height")

#: ASPRS LAS 1.4 standard classes (R15): code -> (English name, colour)
ASPRS_CLASSES: dict[int, tuple[str, tuple[int, int, int]]] = {
    0: ("Never classified", (160, 160, 160)),
    1: ("Unassigned", (190, 190, 190)),
    2: ("Ground", (160, 110, 60)),
    3: ("Low vegetation", (150, 210, 110)),
    4: ("Medium vegetation", (80, 170, 60)),
    5: ("High vegetation", (20, 110, 30)),
    6: ("Building", (220, 60, 50)),
    7: ("Low point (noise)", (255, 0, 255)),
    8: ("Model key point", (255, 200, 0)),
    9: ("Water", (40, 110, 230)),
    10: ("Rail", (120, 70, 150)),
    11: ("Road surface", (90, 90, 90)),
    12: ("Overlap", (240, 240, 120)),
    13: ("Wire guard (shield)", (250, 160, 40)),
    14: ("Wire conductor (phase)", (250, 120, 20)),
    15: ("Transmission tower", (150, 60, 20)),
    16: ("Wire-structure connector", (200, 150, 100)),
    17: ("Bridge deck", (110, 110, 170)),
    18: ("High noise", (255, 80, 200)),
}
#: colour of a class code that is not a standard one (user-defined classes 19-255)
OTHER_CLASS_COLOR = (120, 200, 210)

_CLASS_TABLE = np.tile(np.array(OTHER_CLASS_COLOR, np.uint8), (256, 1))
for _code, (_name, _rgb) in ASPRS_CLASSES.items():
    _CLASS_TABLE[_code] = _rgb


def class_name(code: int) -> str:
    """English name of an ASPRS class ("Class 42" for a non-standard code)."""
    entry = ASPRS_CLASSES.get(int(code))
    return entry[0] if entry else f"Class {int(code)}"


def class_colors(codes: np.ndarray) -> np.ndarray:
    """RGB uint8 per class code."""
    return _CLASS_TABLE[np.asarray(codes, np.uint8)]


@dataclass
class PointLod:
    """Points grouped by node, each node's points nested by level.

    Node ``i`` owns points ``offsets[i]:offsets[i + 1]``; its first
    ``level_ends[i, l]`` points are levels ``0..l``. Level ``l`` has about one point per
    occupied cell of side ``spacing[i, l]`` metres (the last level: every other point).
    ``bounds[i]`` is the node's box (min xyz, max xyz) relative to the cloud's offset.
    """

    offsets: np.ndarray  # (n_nodes + 1,) int64
    level_ends: np.ndarray  # (n_nodes, n_levels) int64, cumulative counts per node
    spacing: np.ndarray  # (n_nodes, n_levels) float64, metres
    bounds: np.ndarray  # (n_nodes, 6) float32/float64, relative to the offset

    @property
    def n_nodes(self) -> int:
        return len(self.offsets) - 1

    @property
    def n_levels(self) -> int:
        return int(self.level_ends.shape[1]) if self.level_ends.ndim == 2 else 0

    def counts(self) -> np.ndarray:
        return np.diff(self.offsets)

    def indices(self, counts: np.ndarray) -> np.ndarray:
        """Indices of the first ``counts[i]`` points of every node (a drawn subset)."""
        counts = np.minimum(np.asarray(counts, np.int64), self.counts())
        total = int(counts.sum())
        if total == 0:
            return np.zeros(0, np.int64)
        starts = np.repeat(self.offsets[:-1] - np.r_[0, np.cumsum(counts)[:-1]], counts)
        return np.arange(total, dtype=np.int64) + starts

    @classmethod
    def single(cls, n: int) -> PointLod:
        """One node, one level: every point (no structure; tiny clouds)."""
        return cls(np.array([0, n], np.int64), np.array([[n]], np.int64),
                   np.zeros((1, 1)), np.zeros((1, 6)))


@dataclass
class PointCloud:
    """A point cloud in one CRS. Arrays are in LoD order (see :class:`PointLod`)."""

    offset: np.ndarray  # (3,) float64
    local: np.ndarray  # (n, 3) float32, world = offset + local
    crs: str | None = None
    rgb: np.ndarray | None = None  # (n, 3) uint8
    intensity: np.ndarray | None = None  # (n,) uint16
    classification: np.ndarray | None = None  # (n,) uint8
    lod: PointLod | None = None
    #: "LAS", "LAZ" or "COPC"; the LAS version ("1.4") and point data record format
    source_format: str = "LAS"
    version: str = ""
    point_format: int | None = None
    warnings: list[str] = field(default_factory=list)
    #: the file's extent from its header before any reprojection (min xyz, max xyz)
    _bbox: np.ndarray | None = None

    @property
    def n_points(self) -> int:
        return len(self.local)

    def positions(self, index: np.ndarray | slice | None = None) -> np.ndarray:
        """World coordinates (float64) of all points, or of ``index``."""
        pts = self.local if index is None else self.local[index]
        return pts.astype(np.float64) + self.offset

    def bbox(self) -> np.ndarray | None:
        """[minx, miny, minz, maxx, maxy, maxz] in the cloud's CRS."""
        if self._bbox is not None:
            return self._bbox.copy()
        if not self.n_points:
            return None
        lo = self.local.min(axis=0).astype(np.float64) + self.offset
        hi = self.local.max(axis=0).astype(np.float64) + self.offset
        self._bbox = np.concatenate([lo, hi])
        return self._bbox.copy()

    def set_local(self, offset: np.ndarray, local: np.ndarray) -> None:
        """Replace the coordinates (after reprojection); the extent is computed again."""
        self.offset = np.asarray(offset, np.float64)
        self.local = np.ascontiguousarray(local, np.float32)
        self._bbox = None

    def color_modes(self) -> list[str]:
        """The colour modes this cloud can show."""
        have = {"rgb": self.rgb is not None, "intensity": self.intensity is not None,
                "classification": self.classification is not None, "height": True}
        return [mode for mode in COLOR_MODES if have[mode]]

    def default_color_mode(self) -> str:
        return self.color_modes()[0]

    def colors(self, mode: str, colormap: str = "viridis",
               index: np.ndarray | slice | None = None) -> np.ndarray:
        """RGB uint8 per point (all, or ``index``) in colour mode ``mode``."""
        sel = slice(None) if index is None else index
        if mode == "rgb" and self.rgb is not None:
            return np.ascontiguousarray(self.rgb[sel])
        if mode == "classification" and self.classification is not None:
            return class_colors(self.classification[sel])
        if mode == "intensity" and self.intensity is not None:
            values = self.intensity[sel].astype(np.float32)
            lo, hi = self._intensity_range()
            grey = np.clip((values - lo) * (255.0 / max(hi - lo, 1.0)), 0, 255)
            return np.repeat(grey.astype(np.uint8)[:, None], 3, axis=1)
        z = self.local[sel, 2]
        bbox = self.bbox()
        lo = float(bbox[2] - self.offset[2]) if bbox is not None else 0.0
        hi = float(bbox[5] - self.offset[2]) if bbox is not None else 1.0
        return colormaps.sample(colormap, (z - lo) / (hi - lo) if hi > lo else z * 0)

    def _intensity_range(self) -> tuple[float, float]:
        """2nd and 98th percentiles of intensity (a few bright returns would make the
        rest black), from a sample."""
        values = self.intensity
        if values is None or not len(values):
            return 0.0, 1.0
        sample = values[:: max(1, len(values) // 200_000)]
        lo, hi = np.percentile(sample, [2, 98])
        return float(lo), float(max(hi, lo + 1))

    def class_counts(self) -> dict[int, int]:
        """Points per class code (codes present only)."""
        if self.classification is None:
            return {}
        counts = np.bincount(self.classification, minlength=256)
        return {int(c): int(counts[c]) for c in np.flatnonzero(counts)}

    def memory_bytes(self) -> int:
        arrays = (self.local, self.rgb, self.intensity, self.classification)
        return int(sum(a.nbytes for a in arrays if a is not None))
