"""numpy -> VTK conversions without per-element Python loops."""

from __future__ import annotations

import numpy as np
from vtkmodules.util.numpy_support import numpy_to_vtk
from vtkmodules.vtkCommonCore import VTK_ID_TYPE, vtkPoints
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData


def vtk_points(local_xyz: np.ndarray) -> vtkPoints:
    points = vtkPoints()
    points.SetData(numpy_to_vtk(np.ascontiguousarray(local_xyz, dtype=np.float32), deep=True))
    return points


def cell_array(connectivity: np.ndarray, cell_size: int | None = None,
               offsets: np.ndarray | None = None) -> vtkCellArray:
    """Cells of fixed size (``cell_size``) or with explicit ``offsets`` (len cells + 1)."""
    conn = np.ascontiguousarray(connectivity, dtype=np.int64).ravel()
    if offsets is None:
        assert cell_size is not None
        offsets = np.arange(0, len(conn) + 1, cell_size, dtype=np.int64)
    cells = vtkCellArray()
    cells.SetData(
        numpy_to_vtk(np.ascontiguousarray(offsets, dtype=np.int64), deep=True,
                     array_type=VTK_ID_TYPE),
        numpy_to_vtk(conn, deep=True, array_type=VTK_ID_TYPE),
    )
    return cells


def triangle_polydata(local_xyz: np.ndarray, triangles: np.ndarray) -> vtkPolyData:
    poly = vtkPolyData()
    poly.SetPoints(vtk_points(local_xyz))
    poly.SetPolys(cell_array(triangles, 3))
    return poly


def add_array(data, values: np.ndarray, name: str, *, scalars: bool = False) -> None:
    """Attach a numpy array to point or cell data (``data`` is GetCellData()/GetPointData())."""
    arr = numpy_to_vtk(np.ascontiguousarray(values), deep=True)
    arr.SetName(name)
    if scalars:
        data.SetScalars(arr)
    else:
        data.AddArray(arr)
