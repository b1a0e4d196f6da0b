"""Score each building by its height times a weight (a stand-in for a planning model)."""

from __future__ import annotations

import time

import numpy as np

from cimviewer.api import Algorithm, LayerParam, Number, NumberOutput, Table, TableOutput


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
