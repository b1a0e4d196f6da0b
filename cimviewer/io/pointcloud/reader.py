"""Reading LAS, LAZ and COPC files into a :class:`~cimviewer.core.pointcloud.PointCloud`.

The file is read in chunks (laspy's ``chunk_iterator``): memory holds the cloud's own
arrays (18 bytes a point with colour, intensity and class) plus one chunk, never laspy's
whole point records. Coordinates are scaled with the header's scale and offset into
float64, then kept as float32 relative to the cloud's centre. The CRS comes from the
header's WKT or GeoTIFF VLRs (``header.parse_crs``); a ``crs`` load option overrides it
(for files without one). COPC files are valid LAZ 1.4 files and read the same way.
Once read, points are put in LoD order (:mod:`cimviewer.geometry.pointcloud_lod`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from cimviewer.core.pointcloud import PointCloud
from cimviewer.io.crs import crs_from_pyproj
from cimviewer.io.errors import ReadError

POINT_SUFFIXES = (".las", ".laz")
#: points decoded at a time
CHUNK_POINTS = 2_000_000


class ReadCancelledError(ReadError):
    """Reading stopped because ``cancelled()`` returned True."""


def _user_crs(text: str, path: Path) -> str:
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        return crs_from_pyproj(CRS.from_user_input(text)) or text
    except CRSError:
        raise ReadError(f"the crs option {text!r} is not a coordinate reference system",
                        path) from None


def _header_crs(header, path: Path, warnings: list[str]) -> str | None:
    try:
        crs = header.parse_crs()
    except Exception as exc:  # a broken WKT / GeoTIFF VLR: the points are still good
        warnings.append(f"the CRS in the header cannot be read ({type(exc).__name__}): "
                        "read without one")
        return None
    return None if crs is None else crs_from_pyproj(crs)


def _is_copc(header) -> bool:
    return any(getattr(vlr, "user_id", "") == "copc" for vlr in header.vlrs)


def _format_name(header, copc: bool) -> str:
    if copc:
        return "COPC"
    return "LAZ" if header.are_points_compressed else "LAS"


def read_pointcloud(path: str | Path, *, crs: str | None = None,
                    progress: Callable[[float], None] | None = None,
                    cancelled: Callable[[], bool] | None = None,
                    lod: bool = True) -> PointCloud:
    """Read a LAS / LAZ / COPC file. Raises ReadError with one line on a broken file.

    ``crs``: the CRS of the coordinates when the file names none (or a wrong one);
    ``lod``: put the points in level-of-detail order (the renderer needs it).
    """
    import laspy
    from laspy.errors import LaspyException

    path = Path(path)
    warnings: list[str] = []
    try:
        with laspy.open(path) as reader:
            header = reader.header
            cloud = _read_chunks(reader, header, path, warnings, progress, cancelled)
            copc = _is_copc(header)
            cloud.source_format = _format_name(header, copc)
            cloud.version = f"{header.version.major}.{header.version.minor}"
            cloud.point_format = int(header.point_format.id)
            cloud.crs = _user_crs(crs, path) if crs else _header_crs(header, path, warnings)
    except (ReadError, MemoryError):
        raise
    except FileNotFoundError:
        raise ReadError("file does not exist", path) from None
    except Exception as exc:  # laspy, lazrs (LazrsError) and numpy errors alike
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        kind = "" if isinstance(exc, LaspyException) else f"{type(exc).__name__}: "
        raise ReadError(f"not a readable LAS/LAZ file: {kind}{message}", path) from None
    cloud.warnings.extend(warnings)
    if lod:
        order_points(cloud)
    if progress is not None:
        progress(1.0)
    return cloud


def _read_chunks(reader, header, path: Path, warnings: list[str],
                 progress: Callable[[float], None] | None,
                 cancelled: Callable[[], bool] | None) -> PointCloud:
    n = int(header.point_count)
    dims = set(header.point_format.dimension_names)
    mins, maxs = np.asarray(header.mins, np.float64), np.asarray(header.maxs, np.float64)
    offset = np.round((mins + maxs) / 2, 0) if n and np.isfinite(mins).all() else np.zeros(3)
    local = np.empty((n, 3), np.float32)
    rgb16 = np.empty((n, 3), np.uint16) if {"red", "green", "blue"} <= dims else None
    intensity = np.empty(n, np.uint16) if "intensity" in dims else None
    classification = np.empty(n, np.uint8) if "classification" in dims else None
    lo = np.full(3, np.inf)
    hi = np.full(3, -np.inf)
    done = 0
    try:
        for chunk in reader.chunk_iterator(CHUNK_POINTS):
            if cancelled is not None and cancelled():
                raise ReadCancelledError("reading was cancelled", path)
            m = min(len(chunk), n - done)
            if m <= 0:
                break
            for axis, name in enumerate("xyz"):
                values = np.asarray(getattr(chunk, name)[:m], np.float64)
                lo[axis] = min(lo[axis], float(values.min()))
                hi[axis] = max(hi[axis], float(values.max()))
                local[done:done + m, axis] = values - offset[axis]
            if rgb16 is not None:
                for band, name in enumerate(("red", "green", "blue")):
                    rgb16[done:done + m, band] = np.asarray(chunk[name][:m])
            if intensity is not None:
                intensity[done:done + m] = np.asarray(chunk["intensity"][:m])
            if classification is not None:
                classification[done:done + m] = np.asarray(chunk["classification"][:m])
            done += m
            if progress is not None and n:
                progress(0.8 * done / n)  # the LoD order takes the rest
    except ReadError:
        raise
    except Exception as exc:
        if done == 0:
            raise
        warnings.append(f"the points end early ({type(exc).__name__}: {exc}): "
                        f"{done:,} of {n:,} read")
    if done < n:
        if done == 0 and n:
            raise ReadError(f"the header announces {n:,} points but none can be read", path)
        if not warnings:
            warnings.append(f"the file ends early: {done:,} of {n:,} points read")
        local = local[:done]
        rgb16 = None if rgb16 is None else rgb16[:done]
        intensity = None if intensity is None else intensity[:done]
        classification = None if classification is None else classification[:done]
    rgb = None
    if rgb16 is not None:
        # colours are 16-bit in the standard; some writers store 8-bit values
        rgb = (rgb16 >> 8 if done and int(rgb16.max()) > 255 else rgb16).astype(np.uint8)
        if done and not rgb.any():
            rgb = None  # a format with colour fields that nobody filled in
    cloud = PointCloud(offset, local, rgb=rgb, intensity=intensity,
                       classification=classification)
    if done:
        cloud._bbox = np.concatenate([lo, hi])
    return cloud


def order_points(cloud: PointCloud) -> None:
    """Put a cloud's points in level-of-detail order (in place)."""
    from cimviewer.geometry.pointcloud_lod import build_lod

    order, lod = build_lod(cloud.local)
    bbox = cloud._bbox
    # np.take gathers rows faster than fancy indexing (a random permutation: memory bound)
    cloud.local = np.take(cloud.local, order, axis=0)
    for name in ("rgb", "intensity", "classification"):
        values = getattr(cloud, name)
        if values is not None:
            setattr(cloud, name, np.take(values, order, axis=0))
    cloud.lod = lod
    cloud._bbox = bbox
