"""5G coverage: propagation models, geometric LOS, coverage job and its statistics.

Headless and dependency-light (numpy; numba when installed; rasterio for GeoTIFF
output; dask.distributed for distributed runs). The plugin framework wraps:

* :func:`coverage_5g.models.path_loss` / :func:`coverage_5g.link.link_budget`;
* :func:`coverage_5g.coverage.tasks`, :func:`~coverage_5g.coverage.run_task`,
  :func:`~coverage_5g.coverage.combine` (and ``run_local``,
  :func:`coverage_5g.distributed.run_dask`).
"""

from coverage_5g.coverage import DEFAULTS, combine, run_local, run_task, tasks
from coverage_5g.height_raster import HeightRaster, build_height_raster
from coverage_5g.link import link_budget
from coverage_5g.models import MODELS, knife_edge_loss, path_loss, validity_warnings
from coverage_5g.receivers import surface_points
from coverage_5g.sites import Site, sites_from_points, spread_points

__all__ = [
    "DEFAULTS", "MODELS", "HeightRaster", "Site", "build_height_raster", "combine",
    "knife_edge_loss", "link_budget", "path_loss", "run_local", "run_task", "sites_from_points",
    "spread_points", "surface_points", "tasks", "validity_warnings",
]
