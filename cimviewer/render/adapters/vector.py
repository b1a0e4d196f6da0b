"""Vector adapter: roads as ribbons (or lines), points as vertical pole glyphs.

Layers of a few hundred points at most (5G sites, substations: not the thousands of
street poles, which would bury the city in dots) give every mast a tip of a fixed size
on screen, so it is found at any zoom and not only when its metre-wide glyph covers a
pixel, and a de-cluttered label at the tip when they have a name field.
"""

from __future__ import annotations

import numpy as np
from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkFiltersSources import vtkCylinderSource
from vtkmodules.vtkRenderingCore import (
    vtkActor,
    vtkActor2D,
    vtkGlyph3DMapper,
    vtkPolyDataMapper,
)

from cimviewer.core.layers import VectorLayer
from cimviewer.core.styling import numeric_values, object_colors
from cimviewer.geometry.raypick import TriangleRayIndex, ray_segments
from cimviewer.geometry.ribbons import ribbons
from cimviewer.render.adapters.base import LayerAdapter
from cimviewer.render.labels import ScreenLabels, placed_labels
from cimviewer.render.vtk_arrays import add_array, cell_array, triangle_polydata, vtk_points

WIDTH_FIELDS = ("width_m", "width", "breite")
HEIGHT_FIELDS = ("height_m", "height")
RADIUS_FIELDS = ("radius_m",)  # points: how thick their mast is (default: 6 % of height)
POLE_RADIUS = 0.06  # of the height: about 0.5 m wide for an 8 m pole
KIND_FIELDS = ("kind", "class", "type")
NAME_FIELDS = ("name", "label", "site_name", "名称")
TIP_PIXELS = 9.0  #: diameter of a pole's tip on screen
POLE_SIDES = 8
MOVING_POLE_SIDES = 4  #: while the view moves on a software renderer
#: point layers with at most this many features get labels (by a name field)
LABELLED_MAX = 300
#: ... and tips, a dot on each mast that stays a few pixels wide however far the camera
#: is (a pole is under a pixel wide from a few hundred metres); smaller in large layers
TIPPED_MAX = 50_000
LARGE_LAYER_TIP_PIXELS = 3.5


def display_text(value: object) -> str:
    return "" if value is None else str(value)


def _pole_shape(sides: int) -> vtkCylinderSource:
    """A unit-high pole along y (VTK's cylinder axis) with its base at the origin."""
    pole = vtkCylinderSource()
    pole.SetResolution(sides)
    pole.SetRadius(POLE_RADIUS)
    pole.SetHeight(1.0)
    pole.SetCenter(0.0, 0.5, 0.0)
    return pole


def _first_field(columns: dict, names: tuple[str, ...]) -> str | None:
    return next((name for name in names if name in columns), None)


class VectorAdapter(LayerAdapter):
    layer: VectorLayer
    pickable = True

    def build(self) -> None:
        self._ray_index: TriangleRayIndex | None = None
        self._ribbon_vertices: np.ndarray | None = None
        self._ribbon_triangles: np.ndarray | None = None
        self._heights = np.zeros(0)
        self._radii = np.zeros(0)
        #: points layers of a few hundred: screen-sized tips and labels (else None)
        self.tips: vtkPolyData | None = None
        self.label_actor: vtkActor2D | None = None
        self.labels: ScreenLabels | None = None
        data = self.layer.data
        if data.kind == "point":
            self._build_points()
        elif data.kind == "line":
            self._build_lines()
        else:
            self._build_polygon_outlines()
        self.update_colors()

    def _feature_colors(self) -> np.ndarray:
        data = self.layer.data
        style = self.layer.style
        attrs = [data.attributes(i) for i in range(data.n_features)]
        if style.mode == "single":
            kind_field = _first_field(data.columns, KIND_FIELDS)
            if kind_field and data.kind == "point":
                style = style.with_(mode="categorical", attribute=kind_field)
        return object_colors(style, attrs)

    def _build_points(self) -> None:
        data = self.layer.data
        poly = vtkPolyData()
        poly.SetPoints(vtk_points(self.local(data.vertices)))
        height_field = _first_field(data.columns, HEIGHT_FIELDS)
        heights = (numeric_values(data.columns[height_field]) if height_field
                   else np.full(data.n_features, 6.0))
        heights = np.where(np.isfinite(heights) & (heights > 0), heights, 6.0)
        self._heights = heights
        radius_field = _first_field(data.columns, RADIUS_FIELDS)
        radii = (numeric_values(data.columns[radius_field]) if radius_field
                 else np.full(data.n_features, np.nan))
        radii = np.where(np.isfinite(radii) & (radii > 0), radii, POLE_RADIUS * heights)
        self._radii = radii
        # a unit cylinder along y (VTK's), scaled (radius, height, radius), then turned
        # upright by a rotation of 90 degrees about x (y -> z)
        across = radii / POLE_RADIUS
        add_array(poly.GetPointData(),
                  np.column_stack([across, heights, across]).astype(np.float32), "scale")
        self._pole_shapes = {n: _pole_shape(n) for n in (POLE_SIDES, MOVING_POLE_SIDES)}
        mapper = vtkGlyph3DMapper()
        mapper.SetSourceConnection(self._pole_shapes[POLE_SIDES].GetOutputPort())
        mapper.SetInputData(poly)
        mapper.SetScaleArray("scale")
        mapper.SetScaleModeToScaleByVectorComponents()
        mapper.SetOrientationArray("orient")
        add_array(poly.GetPointData(),
                  np.tile(np.array([[90.0, 0.0, 0.0]], np.float32), (data.n_features, 1)),
                  "orient")
        mapper.SetOrientationModeToRotation()
        mapper.SetColorModeToDirectScalars()
        mapper.SetScalarModeToUsePointData()
        self.mapper = mapper
        self.polydata = poly
        self.color_data = poly.GetPointData()
        self.cell_objects = np.arange(data.n_features, dtype=np.int32)
        self.element_feature = self.cell_objects
        self.actor.SetMapper(mapper)
        if not 0 < data.n_features <= TIPPED_MAX:
            return
        tops = self.local(data.vertices)
        tops[:, 2] += heights.astype(np.float32)
        self._build_tips(tops, TIP_PIXELS if data.n_features <= LABELLED_MAX
                         else LARGE_LAYER_TIP_PIXELS)
        name_field = _first_field(data.columns, NAME_FIELDS)
        if name_field and data.n_features <= LABELLED_MAX:
            self._build_labels(tops, [display_text(v) for v in data.columns[name_field]])

    def set_motion(self, moving: bool) -> None:
        """Poles with fewer sides while the view moves: thousands of poles are a large
        share of a software-rendered frame, and a pole is a few pixels wide then."""
        shapes = getattr(self, "_pole_shapes", None)
        if shapes is not None:
            sides = MOVING_POLE_SIDES if moving else POLE_SIDES
            self.mapper.SetSourceConnection(shapes[sides].GetOutputPort())

    def _build_tips(self, tops: np.ndarray, pixels: float) -> None:
        tips = vtkPolyData()
        tips.SetPoints(vtk_points(tops))
        tips.SetVerts(cell_array(np.arange(len(tops)), 1))  # cell i: feature i
        mapper = vtkPolyDataMapper()
        mapper.SetInputData(tips)
        mapper.SetColorModeToDirectScalars()
        mapper.SetScalarModeToUsePointData()
        actor = vtkActor()
        actor.SetMapper(mapper)
        prop = actor.GetProperty()
        prop.SetPointSize(pixels)
        prop.RenderPointsAsSpheresOn()
        prop.SetAmbient(0.4)
        self.tips = tips
        self.actors.append(actor)

    def _build_labels(self, tops: np.ndarray, texts: list[str]) -> None:
        labels = placed_labels(tops, texts, 0.7)
        self.labels = labels
        self.screen_labels = (labels,)
        self.label_actor = labels.actor
        self.actors.append(labels.actor)  # type: ignore[arg-type]  # 2D, shown with the layer

    def _apply_display_state(self) -> None:
        super()._apply_display_state()
        if self.label_actor is not None:
            self.label_actor.SetPickable(False)

    def _build_lines(self) -> None:
        data = self.layer.data
        part_feature = data.feature_of_part()
        width_field = _first_field(data.columns, WIDTH_FIELDS)
        if width_field:
            widths = numeric_values(data.columns[width_field])[part_feature]
            widths = np.where(np.isfinite(widths) & (widths > 0), widths, 4.0)
            verts, tris, tri_part = ribbons(data.vertices, data.vertex_offsets, widths)
            self._ribbon_vertices = self.local(verts).astype(np.float64)
            self._ribbon_triangles = tris
            self.polydata = triangle_polydata(self.local(verts), tris)
            self.element_feature = part_feature[tri_part].astype(np.int32)
            self.actor.GetProperty().SetAmbient(0.4)
        else:
            self.polydata = vtkPolyData()
            self.polydata.SetPoints(vtk_points(self.local(data.vertices)))
            self.polydata.SetLines(cell_array(np.arange(len(data.vertices)),
                                              offsets=data.vertex_offsets))
            self.element_feature = part_feature.astype(np.int32)
            self.actor.GetProperty().SetLineWidth(2.0)
        self._finish_cells()

    def _build_polygon_outlines(self) -> None:
        data = self.layer.data
        self.polydata = vtkPolyData()
        self.polydata.SetPoints(vtk_points(self.local(data.vertices)))
        self.polydata.SetLines(cell_array(np.arange(len(data.vertices)),
                                          offsets=data.vertex_offsets))
        self.element_feature = data.feature_of_part().astype(np.int32)
        self.actor.GetProperty().SetLineWidth(2.0)
        self._finish_cells()

    def _finish_cells(self) -> None:
        mapper = vtkPolyDataMapper()
        mapper.SetColorModeToDirectScalars()
        mapper.SetScalarModeToUseCellData()
        mapper.SetInputData(self.polydata)
        add_array(self.polydata.GetCellData(), self.element_feature, "object_id")
        self.mapper = mapper
        self.color_data = self.polydata.GetCellData()
        self.cell_objects = self.element_feature
        self.actor.SetMapper(mapper)

    @property
    def exact_surface(self) -> bool:
        return self.layer.data.kind != "point"  # poles are picked within a few pixels

    def ray_pick(self, origin: np.ndarray, direction: np.ndarray,
                 pixel_angle: float) -> tuple[float, int] | None:
        data = self.layer.data
        if data.kind == "point":
            base = self.local(data.vertices).astype(np.float64)
            tops = base.copy()
            tops[:, 2] += self._heights
            # poles are thin: accept a few pixels around them at their distance
            distance = np.linalg.norm(base - origin, axis=1)
            radius = np.maximum(np.maximum(0.5, self._radii), 4 * pixel_angle * distance)
            hit = ray_segments(origin, direction, base, tops, radius)
            if hit is None:
                return None
            # the ray meets the mast's surface a radius before its axis: of two masts on
            # one spot (a 5G site on a pole) the thicker one, which encloses the other, wins
            return hit[0] - float(self._radii[hit[1]]), int(hit[1])
        if self._ray_index is None:
            if self._ribbon_vertices is None:
                return None
            self._ray_index = TriangleRayIndex(self._ribbon_vertices, self._ribbon_triangles,
                                               self.element_feature)
        hit = self._ray_index.intersect(origin, direction)
        return None if hit is None else (hit[0], int(self.element_feature[hit[1]]))

    def update_colors(self) -> None:
        colors = self._feature_colors()
        if len(colors) == 0:
            colors = np.zeros((0, 3), np.uint8)
        per_element = colors[self.element_feature] if len(self.element_feature) else colors[:0]
        add_array(self.color_data, per_element.astype(np.uint8), "colors", scalars=True)
        self.polydata.Modified()
        if self.tips is not None:
            add_array(self.tips.GetPointData(), colors.astype(np.uint8), "colors",
                      scalars=True)
            self.tips.Modified()


__all__ = ["VectorAdapter"]
