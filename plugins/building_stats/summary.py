"""The "summary" algorithm: buildings per function with footprint and floor area,
and statistics of every attribute."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from building_stats.geometry import footprints_and_heights
from cimviewer.api import (
    Algorithm,
    Bool,
    CityModel,
    Context,
    FieldParam,
    LayerParam,
    Number,
    NumberOutput,
    Report,
    ReportOutput,
    Table,
    TableOutput,
)

HEIGHT_KEYS = ("measuredHeight", "height", "Height")
STOREY_KEYS = ("storeysAboveGround", "storeys", "floors")
NONE = "(none)"


def _number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and np.isfinite(value):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _first_number(attrs: dict[str, Any], keys: tuple[str, ...]) -> float | None:
    for key in keys:
        value = _number(attrs.get(key))
        if value is not None and value > 0:
            return value
    return None


class BuildingSummary(Algorithm):
    title = "Building summary"
    description = ("Counts buildings per value of an attribute (their function by default) "
                   "with footprint and floor area, and gives statistics of every attribute.")

    def parameters(self):
        return [
            LayerParam("layer", "City model layer", kinds=("citymodel",)),
            FieldParam("group_by", "Group by attribute", layer="layer", default="function"),
            Number("storey_height", "Storey height", default=3.0, minimum=2.0, maximum=10.0,
                   unit="m", description="for buildings without a storey count"),
            Bool("parts_as_buildings", "Count building parts separately", default=False),
        ]

    def outputs(self):
        return [
            TableOutput("groups", "Buildings per group"),
            TableOutput("attributes", "Attribute statistics"),
            NumberOutput("buildings", "Buildings"),
            NumberOutput("total_floor_area", "Total floor area", unit="m²"),
            ReportOutput("report", "Report"),
        ]

    def run(self, params: dict[str, Any], ctx: Context) -> dict[str, Any]:
        model: CityModel = params["layer"].model
        objects = model.objects
        footprint, height = footprints_and_heights(model)
        ctx.progress(0.3)
        ctx.check_cancelled()
        if params["parts_as_buildings"]:
            roots = np.arange(len(objects))
        else:
            roots = np.array([objects.root_of(i) for i in range(len(objects))], dtype=np.int64)
        n = len(objects)
        root_footprint = np.bincount(roots, weights=footprint, minlength=n) if n else footprint
        root_height = np.zeros(n)
        np.maximum.at(root_height, roots, height)
        buildings = np.unique(roots)
        ctx.progress(0.5)

        storey_height = params["storey_height"]
        group_key = params["group_by"]
        groups: dict[str, dict[str, float]] = {}
        for i in buildings:
            ctx.check_cancelled()
            attrs = objects.attributes[i]
            h = _first_number(attrs, HEIGHT_KEYS) or float(root_height[i])
            storeys = _first_number(attrs, STOREY_KEYS) or max(1.0, round(h / storey_height))
            value = attrs.get(group_key)
            name = NONE if value is None or value == "" else str(value)
            g = groups.setdefault(name, {"count": 0, "footprint": 0.0, "floor": 0.0,
                                         "height": 0.0, "storeys": 0.0})
            g["count"] += 1
            g["footprint"] += float(root_footprint[i])
            g["floor"] += float(root_footprint[i]) * storeys
            g["height"] += h
            g["storeys"] += storeys
        ctx.progress(0.8)
        order = sorted(groups, key=lambda k: (-groups[k]["count"], k))
        table = Table({
            group_key: order,
            "buildings": [int(groups[k]["count"]) for k in order],
            "footprint_m2": [round(groups[k]["footprint"], 1) for k in order],
            "floor_area_m2": [round(groups[k]["floor"], 1) for k in order],
            "mean_height_m": [round(groups[k]["height"] / groups[k]["count"], 2) for k in order],
            "mean_storeys": [round(groups[k]["storeys"] / groups[k]["count"], 2) for k in order],
        })
        attributes = attribute_statistics([objects.attributes[i] for i in buildings])
        total = round(sum(g["floor"] for g in groups.values()), 1)
        ctx.progress(1.0)
        return {"groups": table, "attributes": attributes, "buildings": len(buildings),
                "total_floor_area": total,
                "report": Report(_report(params["layer"].name, group_key, table, total),
                                 "Building summary")}


def attribute_statistics(rows: list[dict[str, Any]]) -> Table:
    """One row per attribute: how often present, numeric range and mean, or distinct values."""
    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
    out: list[list[Any]] = []
    for key in keys:
        values = [row[key] for row in rows if row.get(key) not in (None, "")]
        numbers = [v for v in (_number(v) for v in values
                               if not isinstance(v, str)) if v is not None]
        simple = [v for v in values if isinstance(v, (str, int, float, bool))]
        if numbers and len(numbers) == len(values):
            arr = np.array(numbers)
            kind, lo, hi, mean = "number", float(arr.min()), float(arr.max()), float(arr.mean())
        else:
            kind, lo, hi, mean = ("text" if len(simple) == len(values) else "other"), "", "", ""
        common = Counter(str(v) for v in simple).most_common(1)
        out.append([key, kind, len(values), len(rows) - len(values),
                    len({str(v) for v in simple}), common[0][0] if common else "",
                    lo, hi, round(mean, 3) if isinstance(mean, float) else mean])
    header = ["attribute", "type", "present", "missing", "distinct", "most_common",
              "min", "max", "mean"]
    return Table.from_rows(header, out)


def _report(layer: str, key: str, table: Table, total: float) -> str:
    lines = [f"# Buildings of {layer}", "",
             f"{sum(table.columns['buildings'])} buildings, total floor area "
             f"{total:,.0f} m².", "", f"| {key} | buildings | floor area (m²) |", "|---|---:|---:|"]
    for name, count, floor in zip(table.columns[key], table.columns["buildings"],
                                  table.columns["floor_area_m2"], strict=True):
        lines.append(f"| {name} | {count} | {floor:,.0f} |")
    return "\n".join(lines) + "\n"
