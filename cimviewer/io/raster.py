"""DEM terrain from any raster rasterio reads."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cimviewer.core.datasets import TerrainGrid
from cimviewer.io.crs import crs_from_pyproj
from cimviewer.io.errors import ReadError

RASTER_SUFFIXES = (".tif", ".tiff", ".asc", ".img", ".vrt", ".dem", ".hgt", ".nc")


def decimated_shape(rows: int, cols: int, max_cells: int | None) -> tuple[int, int]:
    """The read shape of a rows x cols raster: at most ``max_cells`` cells, whatever the
    aspect (a 1 x 2e9 strip must not slip past the cap by rounding one side up to 1)."""
    if not max_cells or rows * cols <= max_cells:
        return rows, cols
    scale = float(np.sqrt(rows * cols / max_cells))
    out_rows = max(1, min(rows, int(rows / scale)))
    out_cols = max(1, min(cols, int(cols / scale), max_cells // out_rows))
    out_rows = max(1, min(out_rows, max_cells // out_cols))
    return out_rows, out_cols


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
            out_shape = decimated_shape(rows, cols, max_cells)
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


def read_imagery(path: str | Path, grid: TerrainGrid) -> np.ndarray:
    """An RGB(A) image resampled onto the terrain grid's pixels: (rows, cols, 3) uint8.

    The image may be in another CRS or resolution than the DEM; it is warped onto the
    grid (bilinear). Pixels the image does not cover are light grey.
    """
    import rasterio
    from rasterio.errors import RasterioError
    from rasterio.transform import from_origin
    from rasterio.warp import Resampling, reproject

    from cimviewer.io.files import check_regular

    path = Path(path)
    check_regular(path)  # a FIFO named as imagery would block the read forever
    rows, cols = grid.shape
    out = np.full((3, rows, cols), 200, dtype=np.uint8)
    try:
        with rasterio.open(path) as src:
            if src.count < 3:
                raise ReadError(f"imagery needs 3 bands (red, green, blue), has {src.count}",
                                path)
            dst_crs = grid.crs or src.crs
            for band in range(3):
                reproject(
                    rasterio.band(src, band + 1), out[band],
                    dst_transform=from_origin(grid.x0, grid.y0, grid.dx, grid.dy),
                    dst_crs=dst_crs, resampling=Resampling.bilinear, dst_nodata=200)
    except ReadError:
        raise
    except (RasterioError, OSError) as exc:
        raise ReadError(f"not a readable image ({exc})", path) from None
    return np.moveaxis(out, 0, -1)
