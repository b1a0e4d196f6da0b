"""Offscreen rendering of a project to an image: no Qt, no X server (EGL/OSMesa)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkIOImage import vtkPNGWriter
from vtkmodules.vtkRenderingCore import vtkRenderWindow, vtkWindowToImageFilter

from cimviewer.core.project import Project
from cimviewer.render.scene import Scene


class OffscreenView:
    """A Scene in an offscreen render window, for screenshots and render tests."""

    def __init__(self, project: Project, size: tuple[int, int] = (1280, 800)):
        self.window = vtkRenderWindow()
        self.window.SetOffScreenRendering(1)
        self.window.SetSize(*size)
        self.scene = Scene(project)
        self.window.AddRenderer(self.scene.renderer)
        if project.camera.state is None:
            self.scene.reset_camera()

    def render(self) -> None:
        self.scene.finish_work()  # a snapshot shows every tile
        self.scene.renderer.ResetCameraClippingRange()
        self.window.Render()

    def image(self) -> np.ndarray:
        """The current frame as (height, width, 3) uint8, row 0 at the top."""
        self.render()
        grab = vtkWindowToImageFilter()
        grab.SetInput(self.window)
        grab.SetInputBufferTypeToRGB()
        grab.ReadFrontBufferOff()
        grab.Update()
        img = grab.GetOutput()
        w, h, _ = img.GetDimensions()
        arr = vtk_to_numpy(img.GetPointData().GetScalars()).reshape(h, w, -1)
        return arr[::-1].copy()

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
    view = OffscreenView(project, size)
    try:
        return view.save_png(out)
    finally:
        view.close()
