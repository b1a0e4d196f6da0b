"""DEM terrain from any raster rasterio reads."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cimviewer.core.datasets import TerrainGrid
from cimviewer.io.crs import crs_from_pyproj
from cimviewer.io.errors import ReadError

RASTER_SUFFIXES = (".tif", ".tiff", ".asc", ".img", ".vrt", ".dem", ".hgt", ".nc")


def read_dem(path: str | Path, *, band: int = 1, max_cells: int | None = 1_000_000) -> TerrainGrid:
    """Read one band as a north-up TerrainGrid; nodata becomes NaN.

    Large rasters are read decimated (rasterio ``out_shape``) so that at most
    ``max_cells`` pixels are loaded.
    """
    import rasterio
    from rasterio.errors import RasterioError

    path = Path(path)
    try:
        with rasterio.open(path) as src:
            if band < 1 or band > src.count:
                raise ReadError(f"band {band} does not exist (raster has {src.count})", path)
            t = src.transform
            if t.b != 0 or t.d != 0 or t.e >= 0:
                raise ReadError("rotated or south-up rasters are not supported", path)
            rows, cols = src.height, src.width
            step = 1
            if max_cells and rows * cols > max_cells:
                step = int(np.ceil(np.sqrt(rows * cols / max_cells)))
            out_shape = (max(1, rows // step), max(1, cols // step))
            data = src.read(band, out_shape=out_shape, masked=True)
            heights = np.ma.filled(data.astype(np.float64), np.nan)
            crs = crs_from_pyproj(src.crs) if src.crs else None
    except ReadError:
        raise
    except (RasterioError, OSError) as exc:
        raise ReadError(f"not a readable raster ({exc})", path) from None
    heights[~np.isfinite(heights)] = np.nan
    dx = t.a * cols / out_shape[1]
    dy = -t.e * rows / out_shape[0]
    return TerrainGrid(heights, t.c, t.f, dx, dy, crs, source_shape=(rows, cols))
