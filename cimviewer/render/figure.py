"""Figures for reports: a view drawn offscreen at any size, in stripes.

What is on screen, framed the same (the on-screen frame fits in the figure, whatever
its shape), with the legend, shadows and sun of the view, and with the legend, scale
bar, north arrow, labels and lines scaled to the output. The picture is drawn one
horizontal stripe at a time, each with a camera that shows only its part of the frame
(an off-centre window) and a slice of the background gradient, so a caller can show
progress and keep its window responsive between stripes.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from vtkmodules.vtkRenderingCore import vtkCamera

from cimviewer.core.project import Project
from cimviewer.render.overlays import FigureFrame
from cimviewer.render.scene import BACKGROUND_BOTTOM, BACKGROUND_TOP, Scene
from cimviewer.render.shadows import FIGURE_SHADOW_MAP_PIXELS
from cimviewer.render.snapshot import OffscreenView, grab_frame

#: pixels one stripe draws at most: a second or so of a software-rendered frame
STRIPE_PIXELS = 1_500_000
#: rows drawn beyond a stripe's edges and cut off again (labels placed across the
#: edge, screen-space anti-aliasing), in on-screen pixels (times the figure's scale)
MARGIN_PX = 24


def fit_camera(camera: vtkCamera, view_size: tuple[int, int],
               size: tuple[int, int]) -> None:
    """Widen ``camera`` so a figure of ``size`` shows all the view of ``view_size``
    showed: VTK keeps the vertical view angle, so a narrower figure would crop the
    sides."""
    view_aspect = view_size[0] / max(view_size[1], 1)
    aspect = size[0] / max(size[1], 1)
    if aspect >= view_aspect:
        return
    factor = view_aspect / aspect
    if camera.GetParallelProjection():
        camera.SetParallelScale(camera.GetParallelScale() * factor)
    else:
        half = math.radians(camera.GetViewAngle()) / 2
        camera.SetViewAngle(math.degrees(2 * math.atan(math.tan(half) * factor)))


def stripe_camera(camera: vtkCamera, size: tuple[int, int], rows: tuple[int, int]) -> None:
    """Make ``camera`` (a copy of the figure's) show only pixel rows ``rows`` (from
    the bottom, end exclusive) of a figure of ``size``: a narrower view angle (or
    parallel scale) and an off-centre window."""
    height = size[1]
    r0, r1 = rows
    share = (r1 - r0) / height
    if camera.GetParallelProjection():
        camera.SetParallelScale(camera.GetParallelScale() * share)
    else:
        half = math.radians(camera.GetViewAngle()) / 2
        camera.SetViewAngle(math.degrees(2 * math.atan(math.tan(half) * share)))
    centre = (r0 + r1) / 2 / height * 2 - 1  # in the figure's normalized device units
    camera.SetWindowCenter(0.0, centre / share)


def stripes(size: tuple[int, int], max_pixels: int = STRIPE_PIXELS) -> list[tuple[int, int]]:
    """Row ranges (from the bottom, end exclusive) that cover a figure of ``size``."""
    width, height = size
    count = max(1, math.ceil(width * height / max_pixels))
    edges = np.linspace(0, height, count + 1).round().astype(int)
    return [(int(a), int(b)) for a, b in itertools.pairwise(edges) if b > a]


def _mix(bottom: tuple[float, ...], top: tuple[float, ...], t: float) -> tuple[float, ...]:
    return tuple(b + (u - b) * t for b, u in zip(bottom, top, strict=True))


class Figure:
    """A figure of ``size`` pixels of ``project``, drawn like ``source`` (a view's scene
    and camera; the project's camera when None) at ``scale`` times the screen's sizes.

    Iterate :meth:`steps` (each step draws one stripe and yields the share done), then
    take :meth:`image` or :meth:`save_png`; :meth:`close` frees it."""

    def __init__(self, project: Project, size: tuple[int, int], *,
                 source: Scene | None = None, view_size: tuple[int, int] | None = None,
                 scale: float | None = None):
        self.size = (int(size[0]), int(size[1]))
        view_size = view_size or self.size
        #: overlays and pixel-sized things grow with the figure (fit: the smaller ratio)
        self.scale = scale if scale is not None else min(
            self.size[0] / max(view_size[0], 1), self.size[1] / max(view_size[1], 1))
        self.view = OffscreenView(project, (self.size[0], 1), still=True)
        self.scene = self.view.scene
        self.camera = vtkCamera()
        self.scene.set_shadow_resolution(FIGURE_SHADOW_MAP_PIXELS)
        if source is not None:
            self.scene.copy_look(source)
            self.camera.DeepCopy(source.renderer.GetActiveCamera())
        else:
            self.camera.DeepCopy(self.scene.renderer.GetActiveCamera())
        fit_camera(self.camera, view_size, self.size)
        self.scene.scale_pixels(self.scale)
        self.pixels = np.zeros((self.size[1], self.size[0], 3), np.uint8)  # bottom row first
        self.stripes = stripes(self.size, STRIPE_PIXELS)
        self.margin = math.ceil(MARGIN_PX * self.scale)
        self.window_rows = max(b - a for a, b in self.stripes) + 2 * self.margin

    def steps(self) -> Iterator[float]:
        """Draw the figure stripe by stripe; yields the share done after each."""
        self.prepare()
        for i, rows in enumerate(self.stripes):
            self.draw_stripe(rows)
            yield (i + 1) / len(self.stripes)

    def prepare(self) -> None:
        """Choose and build the levels of detail for the whole picture, then keep them
        for every stripe (a stripe's own choice would draw far tiles as blocks, and
        their shadows with them)."""
        renderer = self.scene.renderer
        self.scene.detail_frozen = False
        self.view.window.SetSize(*self.size)
        renderer.GetActiveCamera().DeepCopy(self.camera)
        self.scene.finish_work()
        for adapter in self.scene.adapters.values():
            adapter.update_detail(renderer)
        self.scene.detail_frozen = True

    def draw_stripe(self, rows: tuple[int, int]) -> None:
        """Draw pixel rows ``rows`` (from the bottom) into :attr:`pixels`.

        Every stripe is drawn in a window of the same size (the tallest stripe and its
        margins; rows beyond the figure are drawn and dropped), so the offscreen
        buffers are made once for all stripes."""
        width, height = self.size
        lo = rows[0] - self.margin
        hi = lo + self.window_rows
        renderer = self.scene.renderer
        camera = renderer.GetActiveCamera()
        camera.DeepCopy(self.camera)
        stripe_camera(camera, self.size, (lo, hi))
        renderer.SetBackground(*_mix(BACKGROUND_BOTTOM, BACKGROUND_TOP, lo / height))
        renderer.SetBackground2(*_mix(BACKGROUND_BOTTOM, BACKGROUND_TOP, hi / height))
        self.scene.figure_frame = FigureFrame(width, height, 0, lo, self.scale)
        self.view.window.SetSize(width, self.window_rows)
        renderer.ResetCameraClippingRange()
        self.view.window.Render()
        frame = grab_frame(self.view.window)
        self.pixels[rows[0]:rows[1]] = frame[rows[0] - lo:rows[1] - lo]

    def render(self) -> np.ndarray:
        """Draw every stripe at once; the picture, top row first."""
        for _ in self.steps():
            pass
        return self.image()

    def image(self) -> np.ndarray:
        """The picture drawn so far: (height, width, 3) uint8, top row first."""
        return self.pixels[::-1].copy()

    def save_png(self, path: str | Path) -> Path:
        """Write the picture drawn so far as a PNG."""
        from vtkmodules.util.numpy_support import numpy_to_vtk
        from vtkmodules.vtkCommonDataModel import vtkImageData
        from vtkmodules.vtkIOImage import vtkPNGWriter

        width, height = self.size
        image = vtkImageData()
        image.SetDimensions(width, height, 1)
        scalars = numpy_to_vtk(self.pixels.reshape(-1, 3), deep=True)
        image.GetPointData().SetScalars(scalars)
        writer = vtkPNGWriter()
        writer.SetFileName(str(path))
        writer.SetInputData(image)
        writer.Write()
        return Path(path)

    def close(self) -> None:
        self.view.close()
