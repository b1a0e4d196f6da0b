from __future__ import annotations

import numpy as np

from cimviewer.api import ReadError, VectorData


def read_hello(path):
    """'x y z name' per line."""
    rows = [line.split() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if any(len(r) != 4 for r in rows):
        raise ReadError("each line must be 'x y z name'", path)
    xyz = np.array([[float(v) for v in r[:3]] for r in rows])
    return VectorData("point", xyz, columns={"name": [r[3] for r in rows]},
                      crs="EPSG:4547", n_features=len(rows))
