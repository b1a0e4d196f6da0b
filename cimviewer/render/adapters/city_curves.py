"""Lines and points of a city model (road centrelines, generic points): one line actor
and one point actor for the whole layer, coloured by the layer's object style, picked
within a few pixels like poles.
"""

from __future__ import annotations

import numpy as np
from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkRenderingCore import vtkActor, vtkPolyDataMapper, vtkProp

from cimviewer.core.citymodel import CityModel, PointSet, PolylineSet
from cimviewer.geometry.raypick import ray_segments
from cimviewer.render.vtk_arrays import add_array, cell_array, vtk_points

LINE_WIDTH = 3.0
POINT_PIXELS = 8.0
#: colour of lines and points under the semantic-surface style (they have no surfaces)
PLAIN = np.array([70, 90, 140], np.uint8)


def _for_lod(sets: dict, lod: str | None):
    """The set of ``lod``, or all LoDs' together (the highest available view)."""
    if lod is not None:
        return [sets[lod]] if lod in sets else []
    return list(sets.values())


class CityCurves:
    def __init__(self, model: CityModel, lod: str | None, origin: np.ndarray):
        self.origin = origin
        lines: list[PolylineSet] = _for_lod(model.lines, lod)
        points: list[PointSet] = _for_lod(model.points, lod)
        self.actors: list[vtkActor] = []
        # lines: one polyline cell per line
        verts = [s.vertices for s in lines if len(s.line_object)]
        self.line_objects = (np.concatenate([s.line_object for s in lines])
                             if verts else np.zeros(0, np.int32))
        self.line_poly = None
        self.seg_start = self.seg_end = np.zeros((0, 3))
        self.seg_object = np.zeros(0, np.int32)
        if verts:
            offsets, base = [np.zeros(1, np.int64)], 0
            for s in lines:
                offsets.append(s.offsets[1:] + base)
                base += len(s.vertices)
            all_offsets = np.concatenate(offsets)
            xyz = np.concatenate(verts) - origin
            poly = vtkPolyData()
            poly.SetPoints(vtk_points(xyz))
            poly.SetLines(cell_array(np.arange(len(xyz)), offsets=all_offsets))
            self.line_poly = poly
            self.actors.append(self._actor(poly, lines=True))
            # segments for picking: consecutive points of one line
            owner = np.repeat(np.arange(len(all_offsets) - 1), np.diff(all_offsets))
            same = owner[1:] == owner[:-1]
            self.seg_start, self.seg_end = xyz[:-1][same], xyz[1:][same]
            self.seg_object = self.line_objects[owner[:-1][same]]
        point_sets = [s for s in points if len(s.point_object)]
        self.point_objects = (np.concatenate([s.point_object for s in point_sets])
                              if point_sets else np.zeros(0, np.int32))
        self.point_xyz = (np.concatenate([s.vertices for s in point_sets]) - origin
                          if point_sets else np.zeros((0, 3)))
        self.point_poly = None
        if point_sets:
            poly = vtkPolyData()
            poly.SetPoints(vtk_points(self.point_xyz))
            poly.SetVerts(cell_array(np.arange(len(self.point_xyz)), 1))
            self.point_poly = poly
            self.actors.append(self._actor(poly, lines=False))

    @staticmethod
    def _actor(poly: vtkPolyData, lines: bool) -> vtkActor:
        mapper = vtkPolyDataMapper()
        mapper.SetInputData(poly)
        mapper.SetColorModeToDirectScalars()
        mapper.SetScalarModeToUseCellData()
        actor = vtkActor()
        actor.SetMapper(mapper)
        prop = actor.GetProperty()
        prop.SetLighting(False)
        if lines:
            prop.SetLineWidth(LINE_WIDTH)
            prop.RenderLinesAsTubesOn()
        else:
            prop.SetPointSize(POINT_PIXELS)
            prop.RenderPointsAsSpheresOn()
        return actor

    def paint(self, object_colors: np.ndarray | None, highlight: np.ndarray) -> None:
        """Colours by object (None: the plain colour), selected objects highlighted."""
        from cimviewer.render.adapters.citymodel import HIGHLIGHT

        for poly, objects in ((self.line_poly, self.line_objects),
                              (self.point_poly, self.point_objects)):
            if poly is None:
                continue
            if object_colors is None or not len(object_colors):
                colors = np.tile(PLAIN, (len(objects), 1))
            else:
                colors = np.array(object_colors[objects], np.uint8, copy=True)
            if len(highlight):
                colors[np.isin(objects, highlight)] = HIGHLIGHT
            add_array(poly.GetCellData(), colors, "colors", scalars=True)
            poly.Modified()

    def owns(self, prop: vtkProp) -> bool:
        return any(prop is actor for actor in self.actors)

    def object_at(self, prop: vtkProp, cell_id: int) -> int | None:
        for poly, objects in ((self.line_poly, self.line_objects),
                              (self.point_poly, self.point_objects)):
            if poly is not None and prop.GetMapper().GetInput() is poly \
                    and 0 <= cell_id < len(objects):
                return int(objects[cell_id])
        return None

    def ray_pick(self, origin: np.ndarray, direction: np.ndarray,
                 pixel_angle: float) -> tuple[float, int] | None:
        """Nearest line or point within a few pixels of the ray: (t, object)."""
        starts = np.concatenate([self.seg_start, self.point_xyz])
        ends = np.concatenate([self.seg_end, self.point_xyz])
        if not len(starts):
            return None
        objects = np.concatenate([self.seg_object, self.point_objects])
        middle = (starts + ends) / 2
        radius = np.maximum(0.3, 4 * pixel_angle * np.linalg.norm(middle - origin, axis=1))
        hit = ray_segments(origin, direction, starts, ends, radius)
        return None if hit is None else (hit[0], int(objects[hit[1]]))
