"""Plain data containers for non-city-model layers: terrain grids, value rasters and
vector features."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cimviewer.core.style import ValueClass


@dataclass
class TerrainGrid:
    """A regular elevation grid. ``heights[row, col]``; NaN marks nodata.

    The centre of pixel (row, col) is at ``(x0 + (col + 0.5) * dx, y0 - (row + 0.5) * dy)``:
    ``x0, y0`` is the top-left corner of the raster, as in GeoTIFF "north-up" images.
    """

    heights: np.ndarray  # (rows, cols) float64
    x0: float
    y0: float
    dx: float
    dy: float
    crs: str | None = None
    source_shape: tuple[int, int] | None = None  # before decimation
    #: optional imagery draped on the terrain: (rows, cols, 3) uint8 aligned with heights
    colors: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return self.heights.shape

    def bbox(self) -> np.ndarray:
        rows, cols = self.shape
        finite = self.heights[np.isfinite(self.heights)]
        zmin = float(finite.min()) if finite.size else 0.0
        zmax = float(finite.max()) if finite.size else 0.0
        return np.array(
            [self.x0, self.y0 - rows * self.dy, zmin, self.x0 + cols * self.dx, self.y0, zmax]
        )


@dataclass
class VectorData:
    """Features of one geometry kind as flat arrays plus attribute columns.

    ``kind`` is "point", "line" or "polygon". For lines and polygons, feature ``i``
    owns parts ``part_offsets[i]:part_offsets[i+1]`` and part ``j`` is
    ``vertices[vertex_offsets[j]:vertex_offsets[j+1]]``. For points, feature ``i`` is
    ``vertices[i]``.
    """

    kind: str
    vertices: np.ndarray  # (n, 3) float64
    vertex_offsets: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))
    part_offsets: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))
    columns: dict[str, list[Any]] = field(default_factory=dict)
    crs: str | None = None
    n_features: int = 0
    warnings: list[str] = field(default_factory=list)

    def attributes(self, index: int) -> dict[str, Any]:
        return {name: values[index] for name, values in self.columns.items()}

    def bbox(self) -> np.ndarray | None:
        if not len(self.vertices):
            return None
        return np.concatenate([self.vertices.min(axis=0), self.vertices.max(axis=0)])

    def feature_of_part(self) -> np.ndarray:
        """Feature index of each part (lines/polygons)."""
        return np.repeat(np.arange(self.n_features), np.diff(self.part_offsets))


@dataclass
class ValueGrid:
    """A raster of values that are not heights: a score, a signal level, a density.

    Laid out as :class:`TerrainGrid` (``values[row, col]``, NaN for no value, ``x0, y0``
    the top-left corner). Drawn draped on the terrain with a colormap and a legend, and
    never offered where terrain is asked for. ``name`` and ``unit`` title its legend;
    ``classes`` are the classes its maker suggests (as a coverage map's RSRP bands).
    """

    values: np.ndarray  # (rows, cols) float64
    x0: float
    y0: float
    dx: float
    dy: float
    crs: str | None = None
    name: str = "value"
    unit: str = ""
    classes: tuple[ValueClass, ...] = ()

    @property
    def shape(self) -> tuple[int, int]:
        return self.values.shape

    def value_range(self) -> tuple[float, float] | None:
        finite = self.values[np.isfinite(self.values)]
        return None if not finite.size else (float(finite.min()), float(finite.max()))

    def as_grid(self) -> TerrainGrid:
        """The same cells as a grid for the grid kernels (sampling, warping); not a terrain."""
        return TerrainGrid(self.values, self.x0, self.y0, self.dx, self.dy, self.crs)

    def with_grid(self, grid: TerrainGrid) -> ValueGrid:
        """These values' name, unit and classes on ``grid``'s cells (after a warp)."""
        return ValueGrid(grid.heights, grid.x0, grid.y0, grid.dx, grid.dy, grid.crs,
                         self.name, self.unit, self.classes)

    def bbox(self) -> np.ndarray:
        rows, cols = self.shape
        return np.array([self.x0, self.y0 - rows * self.dy, 0.0,
                         self.x0 + cols * self.dx, self.y0, 0.0])
