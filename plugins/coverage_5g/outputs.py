"""Writing coverage results: GeoTIFF rasters (rasterio, imported lazily), CSV tables."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

#: Output rasters of a combined result: name -> (array key, GDAL dtype, nodata).
RASTERS: dict[str, tuple[str, str, float]] = {
    "rsrp_dbm": ("rsrp_dbm", "float32", np.nan),
    "sinr_db": ("sinr_db", "float32", np.nan),
    "best_server": ("best_server", "int16", -1),
}


def write_geotiff(path: str | Path, array: np.ndarray, x0: float, y0: float, cell: float,
                  crs: str | None, nodata: float | None = None) -> Path:
    """One-band north-up GeoTIFF with top-left corner (x0, y0) and square ``cell`` pixels."""
    import rasterio
    from rasterio.transform import Affine

    path = Path(path)
    with rasterio.open(path, "w", driver="GTiff", height=array.shape[0], width=array.shape[1],
                       count=1, dtype=array.dtype.name, crs=crs,
                       transform=Affine(cell, 0.0, x0, 0.0, -cell, y0), nodata=nodata,
                       compress="deflate") as dst:
        dst.write(array, 1)
    return path


def write_rasters(result: dict, folder: str | Path, prefix: str = "coverage") -> list[Path]:
    """RSRP, SINR and best-server GeoTIFFs of a combined result, in the project CRS."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    x0, y0, cell = result["transform"]
    return [write_geotiff(folder / f"{prefix}_{name}.tif", result[key].astype(dtype), x0, y0,
                          cell, result["crs"], nodata)
            for name, (key, dtype, nodata) in RASTERS.items()]


def write_csv(rows: list[dict], path: str | Path) -> Path:
    """Rows of dicts (same keys) as a UTF-8 CSV table."""
    path = Path(path)
    keys = list(dict.fromkeys(k for row in rows for k in row))
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=keys)
        writer.writeheader()
        writer.writerows(rows)
    return path


def statistics_rows(result: dict) -> list[dict]:
    """Per-site rows followed by the total row (for CSV or a table widget)."""
    st = result["stats"]
    return [*st["sites"], st["total"]]


def building_rows(result: dict, object_ids: list[str] | None = None) -> list[dict]:
    """One row per building with façade coverage; ``object_ids`` maps object index -> id."""
    b = result["stats"]["buildings"]
    return [{"building": object_ids[i] if object_ids else int(i), "facade_m2": float(a),
             "covered_share": float(s), "mean_indoor_rsrp_dbm": float(m), "covered": bool(c)}
            for i, a, s, m, c in zip(b["building"], b["facade_m2"], b["covered_share"],
                                     b["mean_indoor_rsrp_dbm"], b["covered"], strict=True)]
