from __future__ import annotations

import os

import numpy as np

from cimviewer.api import (
    Algorithm,
    Enum,
    LayerOutput,
    Number,
    NumberOutput,
    Table,
    TableOutput,
    VectorData,
)


def square_chunk(spec: tuple[int, int]) -> dict:
    """One task: the sum of squares of range(start, stop), and where it ran."""
    start, stop = spec
    return {"sum": sum(i * i for i in range(start, stop)), "pid": os.getpid()}


class SumOfSquares(Algorithm):
    title = "Sum of squares"
    run_task = staticmethod(square_chunk)

    def parameters(self):
        return [Number("n", "Count", default=100, minimum=1, maximum=10_000_000, integer=True),
                Number("chunk", "Chunk", default=10, minimum=1, integer=True)]

    def outputs(self):
        return [NumberOutput("total", "Total"), TableOutput("chunks", "Per task")]

    def tasks(self, params, ctx):
        n, chunk = params["n"], params["chunk"]
        return [(start, min(start + chunk, n)) for start in range(0, n, chunk)]

    def combine(self, results, params, ctx):
        return {"total": sum(r["sum"] for r in results),
                "chunks": Table({"sum": [r["sum"] for r in results],
                                 "pid": [r["pid"] for r in results]})}


class MakePoints(Algorithm):
    title = "Make points"

    def parameters(self):
        return [Number("count", default=5, minimum=1, maximum=1000, integer=True),
                Enum("shape", choices=("line", "diagonal"), default="line")]

    def outputs(self):
        return [LayerOutput("points", "Points", kind="vector")]

    def run(self, params, ctx):
        n = params["count"]
        x = np.arange(n, dtype=float)
        y = x if params["shape"] == "diagonal" else np.zeros(n)
        data = VectorData("point", np.column_stack([x, y, np.zeros(n)]),
                          columns={"index": list(range(n))}, crs="EPSG:4547", n_features=n)
        return {"points": data}
