"""The polyline a measurement draws in the view, above everything, with its lengths.

The line lives in a renderer of its own on the render window's top layer, sharing the
scene's camera: buildings in front cannot hide it (polygon offset only helped where it
lay on a surface). Each segment is labelled with its length at its middle, and the
result (total length, height difference or area) at the last point.
"""

from __future__ import annotations

import numpy as np
from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkRenderingCore import (
    vtkActor,
    vtkBillboardTextActor3D,
    vtkPolyDataMapper,
    vtkRenderer,
    vtkRenderWindow,
)

from cimviewer.render.fonts import use_cjk_font
from cimviewer.render.vtk_arrays import cell_array, vtk_points

#: the render window layer measurements are drawn on (0 is the scene)
MEASURE_LAYER = 1


def segment_lengths(points: np.ndarray, closed: bool) -> np.ndarray:
    """3D length of each segment (and of the closing one for areas)."""
    p = np.asarray(points, float).reshape(-1, 3)
    if len(p) < 2:
        return np.zeros(0)
    if closed and len(p) >= 3:
        p = np.vstack([p, p[:1]])
    return np.linalg.norm(np.diff(p, axis=0), axis=1)


class MeasureActor:
    """A measurement's line and labels on the top layer of ``render_window``."""

    def __init__(self, origin: np.ndarray, scene_renderer: vtkRenderer,
                 render_window: vtkRenderWindow):
        self.origin = origin
        self.renderer = vtkRenderer()
        self.renderer.SetLayer(MEASURE_LAYER)
        self.renderer.InteractiveOff()
        self.renderer.SetActiveCamera(scene_renderer.GetActiveCamera())
        if render_window.GetNumberOfLayers() <= MEASURE_LAYER:
            render_window.SetNumberOfLayers(MEASURE_LAYER + 1)
        render_window.AddRenderer(self.renderer)
        self.mapper = vtkPolyDataMapper()
        self.actor = vtkActor()
        self.actor.SetMapper(self.mapper)
        prop = self.actor.GetProperty()
        prop.SetColor(1.0, 0.2, 0.6)
        prop.SetLineWidth(3)
        prop.SetPointSize(9)
        prop.RenderPointsAsSpheresOn()
        prop.SetLighting(False)
        self.actor.SetPickable(False)
        self.renderer.AddActor(self.actor)
        self.labels: list[vtkBillboardTextActor3D] = []
        self.set_points(np.zeros((0, 3)), closed=False)

    def set_points(self, world: np.ndarray, closed: bool,
                   result: str | None = None) -> None:
        """Show the points as a line; label segments with their lengths and the last
        point with ``result``."""
        pts = np.asarray(world, float).reshape(-1, 3)
        poly = vtkPolyData()
        poly.SetPoints(vtk_points(pts - self.origin))
        n = len(pts)
        if n:
            poly.SetVerts(cell_array(np.arange(n), 1))
        if n >= 2:
            ids = np.r_[np.arange(n), 0] if closed and n >= 3 else np.arange(n)
            poly.SetLines(cell_array(ids, offsets=np.array([0, len(ids)])))
        self.mapper.SetInputData(poly)
        self.actor.SetVisibility(n > 0)
        texts: list[tuple[np.ndarray, str]] = []
        ends = np.vstack([pts, pts[:1]]) if closed and n >= 3 else pts
        for i, length in enumerate(segment_lengths(pts, closed)):
            texts.append(((ends[i] + ends[i + 1]) / 2, f"{length:,.1f} m"))
        if result and n:
            texts.append((pts[-1], result))
        self._set_labels(texts)

    def _set_labels(self, texts: list[tuple[np.ndarray, str]]) -> None:
        while len(self.labels) < len(texts):
            label = vtkBillboardTextActor3D()
            prop = label.GetTextProperty()
            use_cjk_font(prop)
            prop.SetFontSize(15)
            prop.SetColor(0.1, 0.1, 0.15)
            prop.SetBackgroundColor(1.0, 1.0, 1.0)
            prop.SetBackgroundOpacity(0.85)
            prop.SetFrame(True)
            prop.SetFrameColor(1.0, 0.2, 0.6)
            prop.SetJustificationToCentered()
            label.SetPickable(False)
            self.renderer.AddActor(label)
            self.labels.append(label)
        for i, label in enumerate(self.labels):
            if i < len(texts):
                where, text = texts[i]
                label.SetPosition(*(where - self.origin))
                label.SetInput(text)
                label.SetVisibility(True)
            else:
                label.SetVisibility(False)

    @property
    def label_texts(self) -> list[str]:
        return [label.GetInput() for label in self.labels if label.GetVisibility()]
