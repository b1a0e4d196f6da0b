"""Bringing datasets into the project CRS with pyproj (xy; heights are kept).

The project has one CRS. A dataset in another CRS is transformed on load; a project
that would start in a geographic CRS (degrees) gets the UTM zone of its data instead,
so that distances, heights and the 3D view are in metres.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from cimviewer.core.citymodel import CityModel
from cimviewer.core.datasets import TerrainGrid, ValueGrid, VectorData
from cimviewer.core.pointcloud import PointCloud
from cimviewer.io.errors import ReadError

Dataset = CityModel | TerrainGrid | ValueGrid | VectorData | PointCloud
#: points transformed at a time (float64 scratch of 48 bytes a point)
REPROJECT_CHUNK = 2_000_000


@lru_cache(maxsize=64)
def _horizontal(crs: str):
    from pyproj import CRS

    c = CRS.from_user_input(crs)
    if c.is_compound and c.sub_crs_list:
        return c.sub_crs_list[0]
    return c


def is_geographic(crs: str | None) -> bool:
    if not crs:
        return False
    try:
        return bool(_horizontal(crs).is_geographic)
    except Exception:
        return False


def latitude_first(crs: str | None) -> bool:
    """True for a geographic CRS whose first axis is latitude (EPSG:4326, 4979, 6697...):
    GML writes coordinates in that order; the app keeps x = longitude throughout."""
    if not crs:
        return False
    try:
        horizontal = _horizontal(crs)
        return bool(horizontal.is_geographic and horizontal.axis_info
                    and horizontal.axis_info[0].direction.lower() == "north")
    except Exception:
        return False


def swap_to_longitude_first(model: CityModel) -> str | None:
    """Put x = longitude, y = latitude in a city model read in a latitude-first CRS (in
    place). When the file's first coordinates cannot be latitudes (beyond ±90), it was
    written longitude first despite its CRS: nothing is swapped and the reason is
    returned as a warning."""
    candidates: list[np.ndarray | None] = [m.vertices for m in model.meshes.values()]
    candidates += [getattr(s, "vertices", None) for s in (*model.lines.values(),
                                                          *model.points.values())]
    arrays: list[np.ndarray] = [a for a in candidates if a is not None and len(a)]
    if not arrays:
        return None
    first = np.concatenate([a[:, 0] for a in arrays])
    if np.nanmax(np.abs(first)) > 90.0:
        return (f"coordinates are longitude first although {model.crs} puts latitude "
                "first: read as longitude, latitude")
    for a in arrays:
        a[:, [0, 1]] = a[:, [1, 0]]
    return None


def same_horizontal(a: str | None, b: str | None) -> bool:
    if not a or not b or a == b:
        return True
    try:
        return _horizontal(a).equals(_horizontal(b), ignore_axis_order=True)
    except Exception:
        return False


def utm_for(crs: str, bbox: np.ndarray) -> str:
    """The UTM zone (WGS 84) that contains the centre of ``bbox`` given in ``crs``."""
    from pyproj import Transformer
    from pyproj.aoi import AreaOfInterest
    from pyproj.database import query_utm_crs_info

    to_ll = Transformer.from_crs(_horizontal(crs), "EPSG:4326", always_xy=True)
    lon, lat = to_ll.transform((bbox[0] + bbox[3]) / 2, (bbox[1] + bbox[4]) / 2)
    infos = query_utm_crs_info(datum_name="WGS 84",
                               area_of_interest=AreaOfInterest(lon, lat, lon, lat))
    if not infos:
        raise ReadError(f"no UTM zone for longitude {lon:.3f}, latitude {lat:.3f}")
    return f"{infos[0].auth_name}:{infos[0].code}"


def lon_lat(crs: str, x: float, y: float) -> tuple[float, float]:
    """Longitude and latitude (WGS 84) of a point in ``crs``."""
    from pyproj import Transformer

    t = Transformer.from_crs(_horizontal(crs), "EPSG:4326", always_xy=True)
    lon, lat = t.transform(x, y)
    return float(lon), float(lat)


def transform_xy(xyz: np.ndarray, source: str, target: str) -> np.ndarray:
    """A transformed copy of (n, 3) points; z unchanged."""
    from pyproj import Transformer

    out = np.array(xyz, dtype=np.float64, copy=True)
    if not len(out):
        return out
    t = Transformer.from_crs(_horizontal(source), _horizontal(target), always_xy=True)
    x, y = t.transform(out[:, 0], out[:, 1])
    out[:, 0], out[:, 1] = x, y
    if not np.isfinite(out[:, :2]).all():
        raise ReadError(f"coordinates cannot be transformed from {source} to {target} "
                        "(outside the area of use?)")
    return out


def target_crs_for(dataset: Dataset, project_crs: str | None) -> str | None:
    """The CRS a dataset must be shown in: the project's, or a UTM zone for degrees."""
    crs = dataset.crs
    if project_crs:
        return project_crs
    if crs and is_geographic(crs):
        bbox = dataset.bbox()
        if bbox is not None:
            return utm_for(crs, np.asarray(bbox))
    return crs


def to_crs(dataset: Dataset, target: str | None) -> Dataset:
    """The dataset in ``target`` (in place for arrays; a new grid for rasters)."""
    source = dataset.crs
    if not target or not source or same_horizontal(source, target):
        return dataset
    if isinstance(dataset, CityModel) and hasattr(dataset, "place"):
        # a 3D Tiles tileset is placed from ECEF / radians straight into the target
        dataset.place(target)
        return dataset
    if isinstance(dataset, CityModel):
        source_tiles = getattr(dataset, "tile_source", None)
        if source_tiles is not None:  # streamed: every tile is transformed as it is read
            source_tiles.add_transform(lambda xyz: transform_xy(xyz, source, target))
        for mesh in dataset.meshes.values():
            mesh.vertices = transform_xy(mesh.vertices, source, target)
        for lines in dataset.lines.values():
            lines.vertices = transform_xy(lines.vertices, source, target)
        for points in dataset.points.values():
            points.vertices = transform_xy(points.vertices, source, target)
        dataset.warnings.append(f"reprojected from {source} to {target}")
        dataset.crs = target
        return dataset
    if isinstance(dataset, VectorData):
        dataset.vertices = transform_xy(dataset.vertices, source, target)
        dataset.warnings.append(f"reprojected from {source} to {target}")
        dataset.crs = target
        return dataset
    if isinstance(dataset, PointCloud):
        return reproject_points(dataset, source, target)
    if isinstance(dataset, ValueGrid):
        return dataset.with_grid(warp_grid(dataset.as_grid(), target))
    return warp_grid(dataset, target)


def reproject_points(cloud: PointCloud, source: str, target: str) -> PointCloud:
    """A point cloud's coordinates in ``target`` (in place, by chunks of points; z kept).

    The offset moves with the cloud's centre; the LoD order stays (a reprojection is
    nearly affine over a node) and the nodes' boxes are measured again."""
    offset = transform_xy(cloud.offset[None, :], source, target)[0]
    offset[:2] = np.round(offset[:2], 0)
    local = cloud.local
    for start in range(0, len(local), REPROJECT_CHUNK):
        part = cloud.positions(slice(start, start + REPROJECT_CHUNK))
        local[start:start + len(part)] = transform_xy(part, source, target) - offset
    cloud.set_local(offset, local)
    if cloud.lod is not None:
        from cimviewer.geometry.pointcloud_lod import node_bounds

        cloud.lod.bounds = node_bounds(cloud.local, cloud.lod.offsets)
    cloud.warnings.append(f"reprojected from {source} to {target}")
    cloud.crs = target
    return cloud


def warp_grid(grid: TerrainGrid, target: str) -> TerrainGrid:
    """Resample a terrain grid into ``target`` (bilinear), nodata stays NaN."""
    from rasterio import crs as rio_crs
    from rasterio.transform import from_origin
    from rasterio.warp import Resampling, calculate_default_transform, reproject

    rows, cols = grid.shape
    src_crs = rio_crs.CRS.from_user_input(_horizontal(grid.crs).to_wkt())
    dst_crs = rio_crs.CRS.from_user_input(_horizontal(target).to_wkt())
    src_transform = from_origin(grid.x0, grid.y0, grid.dx, grid.dy)
    left, bottom = grid.x0, grid.y0 - rows * grid.dy
    right, top = grid.x0 + cols * grid.dx, grid.y0
    transform, width, height = calculate_default_transform(
        src_crs, dst_crs, cols, rows, left, bottom, right, top)
    out = np.full((height, width), np.nan)
    reproject(grid.heights, out, src_transform=src_transform, src_crs=src_crs,
              dst_transform=transform, dst_crs=dst_crs, src_nodata=np.nan, dst_nodata=np.nan,
              resampling=Resampling.bilinear)
    colors = None
    if grid.colors is not None:
        colors = np.full((height, width, 3), 200, np.uint8)
        for band in range(3):
            reproject(np.ascontiguousarray(grid.colors[:, :, band]), colors[:, :, band],
                      src_transform=src_transform, src_crs=src_crs, dst_transform=transform,
                      dst_crs=dst_crs, resampling=Resampling.bilinear)
    return TerrainGrid(out, transform.c, transform.f, transform.a, -transform.e, target,
                       source_shape=grid.source_shape, colors=colors)
