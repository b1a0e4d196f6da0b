"""DEM terrain, and rasters of values (scores, signal levels), from any raster rasterio
reads."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from cimviewer.core.datasets import TerrainGrid, ValueGrid
from cimviewer.core.style import fixed_classes_from, fixed_classes_to_list
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


#: GeoTIFF tags that mark a raster of values (written by :func:`write_values`) so it
#: opens again as values, with its name, unit and classes, not as terrain
VALUES_TAG, NAME_TAG, UNIT_TAG, CLASSES_TAG = (
    "CIMVIEWER_VALUES", "CIMVIEWER_NAME", "CIMVIEWER_UNIT", "CIMVIEWER_CLASSES")


def is_value_raster(path: str | Path) -> bool:
    """Whether a raster file was written as values (not heights)."""
    import rasterio
    from rasterio.errors import RasterioError

    try:
        with rasterio.open(path) as src:
            return src.tags().get(VALUES_TAG) == "1"
    except (RasterioError, OSError):
        return False  # read_dem reports what is wrong with the file


def read_values(path: str | Path, *, band: int = 1) -> ValueGrid:
    """One band as a raster of values; name, unit and classes from its tags if any."""
    import rasterio

    grid = read_dem(path, band=band)
    with rasterio.open(path) as src:
        tags = src.tags()
    try:
        classes = fixed_classes_from(json.loads(tags.get(CLASSES_TAG) or "[]"))
    except ValueError:
        classes = ()  # hand-edited tags: the values still open, classed by the colormap
    name = tags.get(NAME_TAG) or Path(path).stem
    return ValueGrid(grid.heights, grid.x0, grid.y0, grid.dx, grid.dy, grid.crs,
                     name=name, unit=tags.get(UNIT_TAG, ""), classes=classes)


def write_grid(grid: TerrainGrid, path: Path, tags: dict[str, str] | None = None) -> Path:
    """A grid's cells as a float64 GeoTIFF (NaN for no data), with optional tags."""
    import rasterio
    from rasterio.transform import from_origin

    rows, cols = grid.shape
    with rasterio.open(path, "w", driver="GTiff", height=rows, width=cols, count=1,
                       dtype="float64", crs=grid.crs, nodata=np.nan,
                       transform=from_origin(grid.x0, grid.y0, grid.dx, grid.dy)) as dst:
        dst.write(grid.heights, 1)
        if tags:
            dst.update_tags(**tags)
    return path


def write_values(grid: ValueGrid, path: Path) -> Path:
    """A raster of values as a GeoTIFF that opens again as values (see VALUES_TAG)."""
    classes = json.dumps(fixed_classes_to_list(grid.classes), ensure_ascii=False)
    return write_grid(grid.as_grid(), path, {VALUES_TAG: "1", NAME_TAG: grid.name,
                                             UNIT_TAG: grid.unit, CLASSES_TAG: classes})
