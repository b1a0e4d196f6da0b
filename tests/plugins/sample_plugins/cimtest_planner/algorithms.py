"""Score each building by its height times a weight (a stand-in for a planning model)."""

from __future__ import annotations

import time

import numpy as np

from cimviewer.api import (
    Algorithm,
    LayerOutput,
    LayerParam,
    Number,
    NumberOutput,
    Table,
    TableOutput,
)


class Score(Algorithm):
    title = "Score buildings"

    def parameters(self):
        return [LayerParam("buildings", "Buildings", kinds=("citymodel",)),
                Number("weight", "Weight", default=2.5, minimum=0, maximum=10, unit="x"),
                Number("step_s", "Wait per step", default=0.0, minimum=0, maximum=5,
                       unit="s")]

    def outputs(self):
        return [TableOutput("scores", "Score per building"),
                NumberOutput("best", "Best score")]

    def run(self, params, ctx):
        model = params["buildings"].model
        mesh = model.mesh_for_lod(None)
        n = len(model.objects)
        top = np.full(n, np.nan)
        z = mesh.vertices[mesh.triangles][:, :, 2].max(axis=1)
        np.fmax.at(top, mesh.tri_object, z)
        for step in range(10):  # cancellable, with progress
            ctx.check_cancelled()
            ctx.progress((step + 1) / 10)
            time.sleep(params["step_s"])
        score = top * params["weight"]
        rows = np.flatnonzero(np.isfinite(score))
        return {"scores": Table({"object_index": rows.tolist(),
                                 "score": score[rows].tolist()}),
                "best": float(np.nanmax(score))}


class Tag(Algorithm):
    """A derived city model: the buildings with a new attribute ("tall")."""

    title = "Tag tall buildings"

    def parameters(self):
        return [LayerParam("buildings", "Buildings", kinds=("citymodel",)),
                Number("min_height", "Minimum height", default=30, minimum=0, unit="m")]

    def outputs(self):
        return [LayerOutput("tagged", "Tagged buildings", kind="citymodel")]

    def run(self, params, ctx):
        import copy

        model = copy.deepcopy(params["buildings"].model)
        mesh = model.mesh_for_lod(None)
        bottom, top = mesh.object_z_extents(len(model.objects))
        height = np.where(np.isfinite(top), top - bottom, 0.0)
        for attrs, h in zip(model.objects.attributes, height.tolist(), strict=True):
            attrs["tall"] = bool(h >= params["min_height"])
        return {"tagged": model}
