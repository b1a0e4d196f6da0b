"""What the camera sees: its side planes, and which bounding spheres are in view.

Near and far planes are left out: the renderer resets them to the data, so a sphere
is "in view" when it is inside the four side planes.
"""

from __future__ import annotations

import numpy as np
from vtkmodules.vtkRenderingCore import vtkRenderer


def side_planes(renderer: vtkRenderer) -> np.ndarray:
    """(4, 4): the camera's left, right, bottom and top planes (a, b, c, d), inside
    where a x + b y + c z + d >= 0, in render coordinates."""
    width, height = renderer.GetSize()
    planes = [0.0] * 24
    renderer.GetActiveCamera().GetFrustumPlanes(max(width, 1) / max(height, 1), planes)
    return np.array(planes).reshape(6, 4)[:4]


def spheres_in_view(renderer: vtkRenderer, centres: np.ndarray,
                    radii: np.ndarray) -> np.ndarray:
    """Per sphere: whether any of it is inside the side planes."""
    side = side_planes(renderer)
    dist = centres @ side[:, :3].T + side[:, 3]
    return (dist >= -radii[:, None]).all(axis=1)
