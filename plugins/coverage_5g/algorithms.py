"""The plugin's algorithms: a point-to-point link budget and a coverage map.

Thin wrappers: the science is in models.py, link.py and coverage.py, which take plain
arrays. The coverage job declares its split (tiles x site groups) so the framework can
run it in-process or on dask with identical results.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from cimviewer.api import (
    Algorithm,
    AlgorithmError,
    Bool,
    Context,
    Enum,
    FileParam,
    LayerOutput,
    LayerParam,
    Number,
    NumberOutput,
    RasterLayer,
    Report,
    ReportOutput,
    Table,
    TableOutput,
    Text,
    ValueClass,
    ValueGrid,
)
from coverage_5g import coverage as job
from coverage_5g.height_raster import build_height_raster
from coverage_5g.link import link_budget
from coverage_5g.models import MODELS, validity_warnings
from coverage_5g.outputs import statistics_rows, write_rasters
from coverage_5g.receivers import surface_points
from coverage_5g.sites import Site, sites_from_points, spread_points
from coverage_5g.stats import report_markdown, summarize

MODEL_LABELS = {
    "fspl": "Free space",
    "umi_street_canyon": "3GPP 38.901 UMi street canyon",
    "uma": "3GPP 38.901 UMa",
    "cost231_hata_urban": "COST-231 Hata, metropolitan centre (Cm = 3 dB)",
    "cost231_hata_suburban": "COST-231 Hata, medium city / suburban (Cm = 0 dB)",
}
#: RSRP colour classes (dBm lower bounds) for the draped overlay, red to green
RSRP_CLASSES = ((-80, (26, 152, 80)), (-90, (145, 207, 96)), (-100, (254, 224, 139)),
                (-110, (252, 141, 89)), (-200, (215, 48, 39)))


class LinkBudget(Algorithm):
    title = "Link budget"
    description = "Path loss and received power between a transmitter and a receiver."

    def parameters(self):
        return [
            Enum("model", "Propagation model", choices=tuple(MODELS), labels=MODEL_LABELS,
                 default="umi_street_canyon"),
            Number("frequency_ghz", "Frequency", default=3.5, minimum=0.1, maximum=100,
                   unit="GHz"),
            Number("distance_m", "Horizontal distance", default=200, minimum=1,
                   maximum=100_000, unit="m"),
            Number("tx_height_m", "Transmitter height", default=10, minimum=1, maximum=500,
                   unit="m"),
            Number("rx_height_m", "Receiver height", default=1.5, minimum=0.5, maximum=100,
                   unit="m"),
            Bool("los", "Line of sight", default=True,
                 description="38.901 models: LOS or NLOS formula (NLOS includes the max "
                             "with LOS)"),
            Number("eirp_dbm", "EIRP", default=43, minimum=-30, maximum=90, unit="dBm"),
        ]

    def outputs(self):
        return [NumberOutput("path_loss_db", "Path loss", unit="dB"),
                NumberOutput("received_power_dbm", "Received power", unit="dBm"),
                ReportOutput("report", "Link budget")]

    def run(self, params: dict[str, Any], ctx: Context) -> dict[str, Any]:
        result = link_budget(params["model"], params["frequency_ghz"],
                             (0.0, 0.0, params["tx_height_m"]),
                             (params["distance_m"], 0.0, params["rx_height_m"]),
                             eirp_dbm=params["eirp_dbm"], los=params["los"])
        warnings = validity_warnings(params["model"], params["frequency_ghz"],
                                     params["distance_m"], params["tx_height_m"],
                                     params["rx_height_m"])
        lines = [f"Model: {MODEL_LABELS[params['model']]}",
                 f"Path loss: {result['path_loss_db']:.2f} dB "
                 f"({'LOS' if result['los'] else 'NLOS'})",
                 f"Received power: {result['received_power_dbm']:.2f} dBm"]
        lines += [f"Warning: {w}" for w in warnings]
        return {"path_loss_db": round(float(result["path_loss_db"]), 4),
                "received_power_dbm": round(float(result["received_power_dbm"]), 4),
                "report": Report("\n".join(lines), "Link budget")}


def _run_task(spec: Any) -> Any:
    return job.run_task(spec)


class Coverage(Algorithm):
    title = "Coverage map"
    description = ("RSRP, SINR and best server of sites on poles over the 3D city; LOS "
                   "from the buildings and terrain.")
    run_task = staticmethod(_run_task)

    def parameters(self):
        return [
            LayerParam("terrain", "Terrain", kinds=("terrain",)),
            LayerParam("buildings", "Buildings", kinds=("citymodel",)),
            LayerParam("poles", "Candidate poles", kinds=("vector",), geometry=("point",),
                       optional=True, description="required unless sites_json is given"),
            Number("sites", "Number of sites", default=20, minimum=1, maximum=5000,
                   integer=True, description="spread evenly over the poles"),
            Number("antenna_height_m", "Antenna height", default=10, minimum=2,
                   maximum=60, unit="m"),
            Number("tx_power_dbm", "Transmit power", default=35, minimum=0, maximum=70,
                   unit="dBm"),
            Number("frequency_ghz", "Frequency", default=3.5, minimum=0.5, maximum=100,
                   unit="GHz"),
            Enum("bandwidth_mhz", "Bandwidth", choices=("20", "40", "50", "100"),
                 default="100"),
            Enum("model", "Propagation model", choices=("umi_street_canyon", "uma", "fspl"),
                 labels=MODEL_LABELS, default="umi_street_canyon"),
            Number("cell_m", "Resolution", default=4, minimum=1, maximum=50, unit="m"),
            Enum("receivers", "Receivers", choices=("street", "area"), default="street",
                 labels={"street": "Streets", "area": "Whole area (roofs too)"}),
            Number("max_radius_m", "Site reach", default=800, minimum=50, maximum=20000,
                   unit="m"),
            Number("rsrp_threshold_dbm", "RSRP threshold", default=-105, minimum=-150,
                   maximum=-40, unit="dBm"),
            FileParam("geotiff_folder", "Write GeoTIFFs to", mode="save", optional=True,
                      description="RSRP, SINR and best-server rasters (optional)"),
            Bool("facades", "Façade coverage", default=False,
                 description="also sample points on the walls: indoor coverage per building"),
            Number("facade_spacing_m", "Façade sample spacing", default=10, minimum=2,
                   maximum=100, unit="m"),
            Text("sites_json", "Explicit sites", optional=True,
                 description="JSON list of site objects (fields of coverage_5g.sites.Site: "
                             "x, y, height_m, mount, tx_power_dbm, frequency_ghz, "
                             "bandwidth_mhz, antenna, azimuth_deg, downtilt_deg, name...); "
                             "replaces the poles"),
        ]

    def outputs(self):
        return [LayerOutput("rsrp_overlay", "RSRP overlay", kind="raster"),
                TableOutput("statistics", "Coverage per site"),
                TableOutput("buildings", "Façade coverage per building"),
                TableOutput("histograms", "RSRP and SINR histograms"),
                NumberOutput("area_share_covered", "Area above threshold"),
                NumberOutput("median_rsrp_dbm", "Median RSRP", unit="dBm"),
                ReportOutput("report", "Coverage report")]

    # --- the split -------------------------------------------------------------------
    def _job(self, params: dict[str, Any]) -> dict[str, Any]:
        terrain = params["terrain"].grid
        model = params["buildings"].model
        mesh = model.mesh_for_lod(params["buildings"].lod)
        if mesh.n_triangles == 0:
            raise AlgorithmError("the buildings layer has no surfaces")
        bounds = area_bounds(model, terrain)
        if bounds is None:
            raise AlgorithmError("the buildings and the terrain do not overlap")
        raster = build_height_raster(
            bounds, float(params["cell_m"]),
            dem=(terrain.heights, terrain.x0, terrain.y0, terrain.dx, terrain.dy),
            vertices=mesh.vertices, triangles=mesh.triangles, tri_object=mesh.tri_object,
            crs=params["terrain"].crs)
        if params.get("sites_json"):
            sites = explicit_sites(params["sites_json"], bounds)
        else:
            sites = self._pole_sites(params, bounds)
        points = None
        if params.get("facades"):
            points = surface_points(mesh.vertices, mesh.triangles, mesh.tri_object,
                                    kind="wall", spacing_m=float(params["facade_spacing_m"]),
                                    offset_m=max(2.0, 0.75 * float(params["cell_m"])))
            inside = ((points["xyz"][:, 0] > bounds[0]) & (points["xyz"][:, 0] < bounds[2])
                      & (points["xyz"][:, 1] > bounds[1]) & (points["xyz"][:, 1] < bounds[3]))
            points = {k: np.asarray(v)[inside] for k, v in points.items()}
        return {"raster": raster, "sites": sites, "model": params["model"], "points": points,
                "receiver_mode": params["receivers"],
                "max_radius_m": float(params["max_radius_m"]),
                "rsrp_threshold_dbm": float(params["rsrp_threshold_dbm"])}

    @staticmethod
    def _pole_sites(params: dict[str, Any], bounds: tuple) -> list[Site]:
        if params.get("poles") is None:
            raise AlgorithmError("give either a poles layer or explicit sites (sites_json)")
        xyz = params["poles"].data.vertices
        inside = ((xyz[:, 0] > bounds[0]) & (xyz[:, 0] < bounds[2])
                  & (xyz[:, 1] > bounds[1]) & (xyz[:, 1] < bounds[3]))
        if not inside.any():
            raise AlgorithmError("no pole lies inside the area of the buildings")
        chosen = np.flatnonzero(inside)[spread_points(xyz[inside], int(params["sites"]))]
        sites = sites_from_points(
            np.column_stack([xyz[chosen, :2], np.full(len(chosen), np.nan)]),
            float(params["antenna_height_m"]), tx_power_dbm=float(params["tx_power_dbm"]),
            frequency_ghz=float(params["frequency_ghz"]),
            bandwidth_mhz=float(params["bandwidth_mhz"]))
        for site in sites:
            site.ground_z = None  # ground from the terrain under the pole
        return sites

    def tasks(self, params: dict[str, Any], ctx: Context) -> list[Any]:
        try:
            return job.tasks(self._job(params))
        except ValueError as exc:
            raise AlgorithmError(str(exc)) from None

    def combine(self, results: list[Any], params: dict[str, Any],
                ctx: Context) -> dict[str, Any]:
        result = job.combine(results)
        result["stats"] = summarize(result)
        total = result["stats"]["total"]
        if params.get("geotiff_folder"):
            folder = Path(params["geotiff_folder"])
            folder.mkdir(parents=True, exist_ok=True)
            write_rasters(result, folder)
        rows = statistics_rows(result)
        columns = {key: [row.get(key) for row in rows] for key in rows[-1] | rows[0]}
        return {"rsrp_overlay": RasterLayer("RSRP", overlay_grid(result)),
                "statistics": Table(columns),
                "buildings": buildings_table(result["stats"]["buildings"], params),
                "histograms": histograms_table(result["stats"]),
                "area_share_covered": round(total["area_share_above_threshold"], 6),
                "median_rsrp_dbm": total["median_rsrp_dbm"],
                "report": Report(report_markdown(result), "Coverage")}


SITE_FIELDS = frozenset(Site.__dataclass_fields__)


def area_bounds(model, terrain) -> tuple[float, float, float, float] | None:
    """(xmin, ymin, xmax, ymax) where buildings and terrain overlap: the area coverage is
    computed over (None when they do not overlap)."""
    box = model.bbox()
    tb = terrain.bbox()
    if box is None or tb is None:
        return None
    bounds = (max(box[0], tb[0]), max(box[1], tb[1]), min(box[3], tb[3]),
              min(box[4], tb[4]))
    return None if bounds[0] >= bounds[2] or bounds[1] >= bounds[3] else bounds


def explicit_sites(text: str, bounds: tuple) -> list[Site]:
    """Sites from a JSON list of objects with Site fields; those outside ``bounds`` fail."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise AlgorithmError(f"sites_json is not valid JSON: {exc}") from None
    if not isinstance(data, list) or not data:
        raise AlgorithmError("sites_json must be a non-empty JSON list of site objects")
    sites = []
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            raise AlgorithmError(f"sites_json item {i + 1} is not an object")
        unknown = sorted(set(item) - SITE_FIELDS)
        if unknown:
            raise AlgorithmError(f"site {i + 1}: unknown fields {', '.join(unknown)}")
        try:
            site = Site(**item)
            site.x, site.y = float(site.x), float(site.y)
        except (TypeError, ValueError) as exc:
            raise AlgorithmError(f"site {i + 1}: {exc}") from None
        if not (bounds[0] < site.x < bounds[2] and bounds[1] < site.y < bounds[3]):
            raise AlgorithmError(f"site {i + 1} ({site.name or 'unnamed'}) lies outside the "
                                 "area of the buildings and the terrain")
        sites.append(site)
    return sites


def buildings_table(table: dict[str, np.ndarray], params: dict[str, Any]) -> Table:
    """Per building object: index, id, façade area, covered share, mean indoor RSRP."""
    ids = params["buildings"].model.objects.ids
    index = [int(b) for b in table["building"]]
    return Table({
        "object_index": index,
        "object_id": [ids[b] if 0 <= b < len(ids) else "" for b in index],
        "facade_m2": [round(float(v), 3) for v in table["facade_m2"]],
        "covered_share": [round(float(v), 6) for v in table["covered_share"]],
        "mean_indoor_rsrp_dbm": [round(float(v), 3) for v in table["mean_indoor_rsrp_dbm"]],
        "covered": [bool(v) for v in table["covered"]],
    })


def histograms_table(stats: dict) -> Table:
    """Long format: quantity (rsrp_dbm / sinr_db), bin lower and upper edge, count, CDF."""
    rows: dict[str, list] = {"quantity": [], "lower": [], "upper": [], "count": [], "cdf": []}
    for quantity, key in (("rsrp_dbm", "rsrp_histogram"), ("sinr_db", "sinr_histogram")):
        hist = stats.get(key)
        if not hist:
            continue
        edges, counts, cdf = hist["edges"], hist["counts"], hist["cdf"]
        for i, count in enumerate(counts):
            rows["quantity"].append(quantity)
            rows["lower"].append(float(edges[i]))
            rows["upper"].append(float(edges[i + 1]))
            rows["count"].append(int(count))
            rows["cdf"].append(round(float(cdf[i + 1]), 6))
    return Table(rows)


def rsrp_value_classes(labels: list[str] | None = None) -> tuple[ValueClass, ...]:
    """The RSRP classes (ascending lower bounds) of the overlay; ``labels`` in the order of
    RSRP_CLASSES (strongest first), else plain English ones."""
    if labels is None:
        labels = [f"≥ {RSRP_CLASSES[0][0]} dBm"]
        labels += [f"{lower} to {upper} dBm" for (lower, _c), (upper, _c2)
                   in zip(RSRP_CLASSES[1:-1], RSRP_CLASSES[:-2], strict=True)]
        labels.append(f"< {RSRP_CLASSES[-2][0]} dBm")
    return tuple(ValueClass(float(lower), color, label) for (lower, color), label
                 in reversed(list(zip(RSRP_CLASSES, labels, strict=True))))


def overlay_grid(result: dict) -> ValueGrid:
    """RSRP (dBm) per cell as a value raster in the RSRP classes; no value where no
    receiver (inside buildings, beyond every site's reach)."""
    meta = result["meta"]
    rsrp = np.where(result["mask"] & np.isfinite(result["rsrp_dbm"]), result["rsrp_dbm"],
                    np.nan)
    cell = meta["cell"]
    return ValueGrid(rsrp, meta["x0"], meta["y0"], cell, cell, meta["crs"], name="RSRP",
                     unit="dBm", classes=rsrp_value_classes())
