"""The ``sunlight.hours`` algorithm: hours of direct sun on façades or a ground grid.

What is implemented: the sun at the middle of each time step over the window (default
true solar time, 08:00-16:00 on the Major Cold day 大寒 20 January, 09:00-15:00 on the
Winter Solstice 冬至 21 December; GB 50180-2018); a step counts as sunlit when the sun is
above the horizon, in front of the receiver's wall and no building triangle lies on the
ray to it. Hours are totals of sunlit steps (not the longest continuous period).
Terrain gives the ground grid its heights; it does not cast shadows.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from cimviewer.api import (
    Algorithm,
    AlgorithmError,
    Context,
    Enum,
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
    VectorData,
    VectorLayer,
    sample_heights,
)
from sunlight.receivers import facade_points, ground_grid
from sunlight.shadow import sunlit_minutes
from sunlight.solar import PRESETS, sun_steps

DAY_LABELS = {"major_cold": "Major Cold (大寒, 20 January)",
              "winter_solstice": "Winter Solstice (冬至, 21 December)",
              "custom": "Custom date"}
#: colour classes of the ground drape: (lower bound in hours, RGB), checked high to low
HOUR_COLOURS = ((3.0, (26, 152, 80)), (2.0, (145, 207, 96)), (1.0, (254, 224, 139)),
                (0.0, (215, 48, 39)))


def location_of(crs: str | None, x: float, y: float) -> tuple[float, float]:
    """(latitude, longitude) of a point given in ``crs`` (pyproj)."""
    if not crs:
        raise AlgorithmError("the buildings have no CRS: give latitude and longitude")
    try:
        from pyproj import Transformer

        lon, lat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(x, y)
    except Exception as exc:
        raise AlgorithmError(f"cannot locate {crs} on the globe ({exc}): give latitude and "
                             "longitude") from None
    if not (np.isfinite(lat) and np.isfinite(lon)):
        raise AlgorithmError(f"cannot locate {crs} on the globe: give latitude and longitude")
    return float(lat), float(lon)


def analysis_day(params: dict[str, Any]) -> tuple[date, float, float]:
    """The day and the default window (start, end hours) of the parameters."""
    preset = params["day"]
    if preset == "custom":
        text = (params.get("date") or "").strip()
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise AlgorithmError(f"date must be YYYY-MM-DD for a custom day, not {text!r}"
                                 ) from None
        return day, 8.0, 16.0
    month, dom, start, end = PRESETS[preset]
    return date(int(params["year"]), month, dom), start, end


class SunlightHours(Algorithm):
    title = "Sunlight hours"
    description = ("Hours of direct sun on façades or the ground on one day, with the "
                   "buildings casting shadows, checked against a required minimum.")

    def parameters(self):
        return [
            LayerParam("buildings", "Buildings", kinds=("citymodel",)),
            LayerParam("terrain", "Terrain", kinds=("terrain",), optional=True,
                       description="heights of the ground grid (no terrain shadows)"),
            Enum("day", "Day", choices=tuple(DAY_LABELS), labels=DAY_LABELS,
                 default="major_cold"),
            Number("year", "Year", default=2025, minimum=1901, maximum=2099, integer=True),
            Text("date", "Date", optional=True, description="YYYY-MM-DD, for a custom day"),
            Number("start_hour", "Start hour", optional=True, minimum=0, maximum=24,
                   unit="h", description="default: 8 (Major Cold, custom) or 9 (Solstice)"),
            Number("end_hour", "End hour", optional=True, minimum=0, maximum=24, unit="h",
                   description="default: 16 (Major Cold, custom) or 15 (Solstice)"),
            Enum("time_basis", "Time", choices=("solar", "clock"), default="solar",
                 labels={"solar": "True solar time", "clock": "Clock time (UTC offset)"}),
            Number("utc_offset_h", "UTC offset", default=8, minimum=-12, maximum=14, unit="h"),
            Number("step_min", "Time step", default=10, minimum=1, maximum=60, unit="min"),
            Number("required_hours", "Required hours", default=2, minimum=0, maximum=24,
                   unit="h"),
            Enum("receivers", "Receivers", choices=("facades", "ground"), default="facades",
                 labels={"facades": "Façades", "ground": "Ground grid"}),
            Number("spacing_m", "Façade sample spacing", default=10, minimum=1, maximum=100,
                   unit="m"),
            Number("cell_m", "Ground cell size", default=10, minimum=1, maximum=200, unit="m"),
            Enum("pass_rule", "A building passes when", choices=("any", "all"), default="any",
                 labels={"any": "its best façade sample has the required hours",
                         "all": "every façade sample has the required hours"}),
            Number("latitude", "Latitude", optional=True, minimum=-90, maximum=90, unit="°",
                   description="default: from the buildings' CRS"),
            Number("longitude", "Longitude", optional=True, minimum=-180, maximum=180,
                   unit="°", description="default: from the buildings' CRS"),
        ]

    def outputs(self):
        return [TableOutput("buildings_table", "Sunlight per building"),
                NumberOutput("pass_share", "Share of buildings that pass"),
                LayerOutput("receivers_layer", "Receivers with sunlight hours", kind="vector"),
                LayerOutput("hours_overlay", "Ground sunlight hours", kind="raster"),
                ReportOutput("report", "Sunlight report")]

    def run(self, params: dict[str, Any], ctx: Context) -> dict[str, Any]:
        layer = params["buildings"]
        model = layer.model
        mesh = model.mesh_for_lod(layer.lod)
        if mesh.n_triangles == 0:
            raise AlgorithmError("the buildings layer has no surfaces")
        box = model.bbox()
        day, start, end = analysis_day(params)
        start = start if params.get("start_hour") is None else float(params["start_hour"])
        end = end if params.get("end_hour") is None else float(params["end_hour"])
        if end <= start:
            raise AlgorithmError("the end hour must be after the start hour")
        lat, lon = params.get("latitude"), params.get("longitude")
        if lat is None or lon is None:
            lat, lon = location_of(layer.crs, (box[0] + box[3]) / 2, (box[1] + box[4]) / 2)
        steps = sun_steps(day, float(lat), float(lon), start, end, float(params["step_min"]),
                          basis=params["time_basis"],
                          utc_offset_hours=float(params["utc_offset_h"]))
        ctx.progress(0.02)
        if params["receivers"] == "facades":
            rec = facade_points(mesh.vertices, mesh.triangles, mesh.tri_object,
                                spacing_m=float(params["spacing_m"]))
            normals = rec["normal"]
        else:
            terrain = params.get("terrain")
            ground = (None if terrain is None
                      else (lambda x, y: sample_heights(terrain.grid, x, y)))
            rec = ground_grid(mesh.vertices, mesh.triangles, (box[0], box[1], box[3], box[4]),
                              float(params["cell_m"]), ground)
            normals = None
        if not len(rec["xyz"]):
            raise AlgorithmError("no receiver points: no walls, or the grid is all buildings")
        minutes = sunlit_minutes(mesh.vertices, mesh.triangles, rec["xyz"], normals,
                                 steps.directions, steps.step_minutes,
                                 progress=lambda f: ctx.progress(0.05 + 0.9 * f),
                                 check_cancelled=ctx.check_cancelled)
        hours = minutes / 60.0
        required = float(params["required_hours"])
        table, share = None, None
        if params["receivers"] == "facades":
            table, share = building_table(model.objects.ids, rec["building"], hours, required,
                                          params["pass_rule"])
        points = VectorData("point", np.asarray(rec["xyz"], float),
                            columns={"hours": [round(float(h), 4) for h in hours],
                                     "passes": [bool(h >= required - 1e-9) for h in hours]},
                            crs=layer.crs, n_features=len(hours))
        if "building" in rec:
            points.columns["object_index"] = [int(b) for b in rec["building"]]
        overlay = None
        if params["receivers"] == "ground":
            overlay = hours_raster(rec, hours, layer.crs)
        report = report_text(params, day, start, end, lat, lon, steps.step_minutes, hours,
                             required, share)
        return {"buildings_table": table,
                "pass_share": None if share is None else round(share, 6),
                "receivers_layer": VectorLayer("Sunlight receivers", points),
                "hours_overlay": overlay,
                "report": Report(report, "Sunlight hours")}


def building_table(ids: list[str], building: np.ndarray, hours: np.ndarray, required: float,
                   rule: str) -> tuple[Table, float]:
    """Per building with façade samples: min / mean / max hours, share of samples with
    the required hours, passes (``rule`` "any": best sample; "all": every sample)."""
    order = np.argsort(building, kind="stable")
    b, h = building[order], hours[order]
    first = np.flatnonzero(np.r_[True, np.diff(b) != 0])
    counts = np.diff(np.r_[first, len(b)])
    ok = (h >= required - 1e-9).astype(float)
    hmin = np.minimum.reduceat(h, first)
    hmax = np.maximum.reduceat(h, first)
    mean = np.add.reduceat(h, first) / counts
    share = np.add.reduceat(ok, first) / counts
    passes = hmax >= required - 1e-9 if rule == "any" else hmin >= required - 1e-9
    index = [int(i) for i in b[first]]
    table = Table({
        "object_index": index,
        "object_id": [ids[i] if 0 <= i < len(ids) else "" for i in index],
        "samples": [int(n) for n in counts],
        "min_hours": [round(float(v), 4) for v in hmin],
        "mean_hours": [round(float(v), 4) for v in mean],
        "max_hours": [round(float(v), 4) for v in hmax],
        "share_samples_passing": [round(float(v), 6) for v in share],
        "passes": [bool(v) for v in passes],
    })
    return table, float(passes.mean()) if len(passes) else 0.0


def hours_raster(rec: dict, hours: np.ndarray, crs: str | None) -> RasterLayer:
    """Sunlight hours on the ground grid as a value raster in the classes of HOUR_COLOURS,
    0.5 m above the receivers (no value under buildings)."""
    mask = rec["mask"]
    x0, y0, cell = rec["transform"]
    grid_h = np.full(mask.shape, np.nan)
    ground = np.zeros(mask.shape)
    grid_h[mask] = hours
    ground[mask] = rec["xyz"][:, 2]
    uppers = [None, *(lo for lo, _c in HOUR_COLOURS[:-1])]
    classes = tuple(ValueClass(lo, rgb, f"≥ {lo:g} h" if up is None else f"{lo:g} – {up:g} h")
                    for (lo, rgb), up in reversed(list(zip(HOUR_COLOURS, uppers, strict=True))))
    layer = RasterLayer("Sunlight hours", ValueGrid(grid_h, x0, y0, cell, cell, crs,
                                                    name="sunlight", unit="h",
                                                    classes=classes))
    layer.ground = ground
    layer.load_options["drape_offset"] = 0.5
    return layer


def report_text(params, day, start, end, lat, lon, step, hours, required, share) -> str:
    basis = "true solar time" if params["time_basis"] == "solar" else (
        f"clock time UTC{float(params['utc_offset_h']):+g}")
    lines = [f"Day: {day.isoformat()} ({params['day']}), {start:g}:00-{end:g}:00 {basis}",
             f"Location: latitude {float(lat):.4f}, longitude {float(lon):.4f}",
             f"Time step: {step:g} min; receivers: {params['receivers']} ({len(hours)})",
             f"Required: {required:g} h; receivers passing: "
             f"{float(np.mean(hours >= required - 1e-9)):.1%}",
             f"Hours: mean {float(hours.mean()):.2f}, median {float(np.median(hours)):.2f}"]
    if share is not None:
        lines.append(f"Buildings passing ({params['pass_rule']} sample): {share:.1%}")
    lines.append("")
    lines.append("Ground colours: " + ", ".join(f">= {lo:g} h {rgb}" for lo, rgb in HOUR_COLOURS))
    return "\n".join(lines)
