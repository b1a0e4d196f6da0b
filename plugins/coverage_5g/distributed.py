"""Run the coverage job on dask.distributed: a LocalCluster or a scheduler address."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from coverage_5g.coverage import combine, run_task, tasks


def _limit_threads(n: int) -> None:  # runs on each worker
    try:
        import numba

        numba.set_num_threads(max(1, min(n, numba.config.NUMBA_NUM_THREADS)))
    except ImportError:
        pass


def run_dask(params: dict, *, address: str | None = None, n_workers: int = 2,
             threads_per_worker: int = 1, client=None) -> dict:
    """The job's tasks on dask workers, combined here; identical to ``run_local``.

    The height raster is scattered once and shared by all tasks. Without ``client`` or
    ``address`` a LocalCluster of ``n_workers`` processes is started and closed again.
    """
    from dask.distributed import Client, LocalCluster

    specs = tasks(params)
    own = None
    if client is None:
        if address:
            own = client = Client(address)
        else:
            plugins_dir = str(Path(__file__).resolve().parents[1])
            path = os.environ.get("PYTHONPATH", "")
            if plugins_dir not in path.split(os.pathsep):
                os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (plugins_dir, path) if p)
            if plugins_dir not in sys.path:
                sys.path.insert(0, plugins_dir)
            cluster = LocalCluster(n_workers=n_workers, threads_per_worker=threads_per_worker,
                                   processes=True, dashboard_address=":0")
            own = client = Client(cluster)
    try:
        client.run(_limit_threads, threads_per_worker)
        if specs:
            raster = client.scatter(specs[0]["raster"], broadcast=True)
            specs = [{**s, "raster": raster} for s in specs]
        futures = client.map(run_task, specs, pure=False)
        partials = client.gather(futures)
    finally:
        if own is not None:
            cluster = own.cluster
            own.close()
            if cluster is not None and not address:
                cluster.close()
    return combine(partials)
