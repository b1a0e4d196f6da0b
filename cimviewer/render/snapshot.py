"""Offscreen rendering of a project to an image: no Qt, no X server (EGL/OSMesa)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkIOImage import vtkPNGWriter
from vtkmodules.vtkRenderingCore import vtkRenderWindow, vtkWindowToImageFilter

from cimviewer.core.project import Project
from cimviewer.render.scene import Scene

#: triangles a still image (screenshot, hi-res export) may draw: large cities keep their
#: far tiles as blocks, chosen by screen-space error like moving frames, with more room
STILL_TRIANGLE_BUDGET = 3_000_000


class OffscreenView:
    """A Scene in an offscreen render window, for screenshots and render tests.

    ``still``: an image for keeps (a larger triangle budget for tiled city layers than
    moving frames get)."""

    def __init__(self, project: Project, size: tuple[int, int] = (1280, 800),
                 still: bool = False):
        self.window = vtkRenderWindow()
        self.window.SetOffScreenRendering(1)
        self.window.SetSize(*size)
        self.scene = Scene(project)
        if still:
            for adapter in self.scene.adapters.values():
                if hasattr(adapter, "frame_budget"):
                    adapter.frame_budget = max(adapter.frame_budget, STILL_TRIANGLE_BUDGET)
        self.window.AddRenderer(self.scene.renderer)
        if project.camera.state is None:
            self.scene.reset_camera()

    def render(self) -> None:
        # the tiles this view wants in detail (within the layers' memory budgets); far
        # tiles of large cities are drawn as blocks
        self.scene.finish_work()
        self.scene.renderer.ResetCameraClippingRange()
        self.window.Render()

    def image(self) -> np.ndarray:
        """The current frame as (height, width, 3) uint8, row 0 at the top."""
        self.render()
        return grab_frame(self.window)[::-1].copy()

    def save_png(self, path: str | Path) -> Path:
        self.render()
        grab = vtkWindowToImageFilter()
        grab.SetInput(self.window)
        grab.SetInputBufferTypeToRGB()
        grab.ReadFrontBufferOff()
        writer = vtkPNGWriter()
        writer.SetFileName(str(path))
        writer.SetInputConnection(grab.GetOutputPort())
        writer.Write()
        return Path(path)

    def close(self) -> None:
        self.scene.dispose()
        self.window.Finalize()


def render_png(project: Project, out: str | Path, size: tuple[int, int] = (1280, 800)) -> Path:
    view = OffscreenView(project, size, still=True)
    try:
        return view.save_png(out)
    finally:
        view.close()


def grab_frame(window: vtkRenderWindow) -> np.ndarray:
    """The last frame of a render window as (height, width, 3) uint8 RGB, row 0 at the
    *bottom*, so ``frame[y, x]`` takes VTK display coordinates."""
    grab = vtkWindowToImageFilter()
    grab.SetInput(window)
    grab.SetInputBufferTypeToRGB()
    grab.ReadFrontBufferOff()
    grab.Update()
    image = grab.GetOutput()
    w, h, _ = image.GetDimensions()
    return vtk_to_numpy(image.GetPointData().GetScalars()).reshape(h, w, 3)
