"""Anti-aliasing by driver: smooth edges on still frames, none on fast ones (pixels)."""

from __future__ import annotations

import numpy as np
import pytest
import vtkmodules.vtkRenderingOpenGL2  # noqa: F401  (registers the OpenGL backend)
from vtkmodules.util.numpy_support import vtk_to_numpy
from vtkmodules.vtkFiltersSources import vtkPlaneSource
from vtkmodules.vtkRenderingCore import (
    vtkActor,
    vtkPolyDataMapper,
    vtkRenderer,
    vtkRenderWindow,
    vtkWindowToImageFilter,
)

from cimviewer.render import quality
from cimviewer.render.quality import AdaptiveAntialiasing, is_software

pytestmark = pytest.mark.render


class TiltedSquare:
    """A black square turned 20 degrees on white: its edges cross pixels at an angle."""

    def __init__(self):
        self.window = vtkRenderWindow()
        self.window.SetOffScreenRendering(1)
        self.window.SetSize(200, 200)
        self.renderer = vtkRenderer()
        self.renderer.SetBackground(1, 1, 1)
        self.window.AddRenderer(self.renderer)
        plane = vtkPlaneSource()
        mapper = vtkPolyDataMapper()
        mapper.SetInputConnection(plane.GetOutputPort())
        actor = vtkActor()
        actor.SetMapper(mapper)
        actor.GetProperty().SetColor(0, 0, 0)
        actor.GetProperty().LightingOff()
        actor.RotateZ(20)
        self.renderer.AddActor(actor)
        self.renderer.ResetCamera()
        self.window.Render()

    def edge_shades(self) -> int:
        """How many grey levels (neither black nor white) the frame has."""
        self.window.Render()
        grab = vtkWindowToImageFilter()
        grab.SetInput(self.window)
        grab.ReadFrontBufferOff()
        grab.Update()
        grey = vtk_to_numpy(grab.GetOutput().GetPointData().GetScalars())[:, 0]
        return len(np.unique(grey[(grey > 10) & (grey < 245)]))

    def close(self):
        self.window.Finalize()


@pytest.fixture
def square():
    s = TiltedSquare()
    yield s
    s.close()


def test_software_renderers_are_recognised():
    assert is_software("llvmpipe (LLVM 15.0.6, 256 bits)")
    assert is_software("Microsoft Basic Render Driver")
    assert not is_software("NVIDIA GeForce RTX 3060/PCIe/SSE2")
    assert not is_software("")


def test_fast_frames_are_sharp_and_still_frames_smooth(square, monkeypatch):
    monkeypatch.setenv("CIMVIEWER_ANTIALIAS", "adaptive")
    aa = AdaptiveAntialiasing()
    aa.configure(square.window, [square.renderer])
    assert square.window.GetMultiSamples() == 0
    assert not aa.before_frame(100.0, [square.renderer])  # after a quiet spell: still
    smooth = square.edge_shades()
    assert aa.before_frame(100.0 + quality.INTERACTIVE_GAP_S / 2, [square.renderer])
    sharp = square.edge_shades()  # in motion: no anti-aliasing
    assert sharp == 0
    assert smooth > 2


def test_multisampling_when_asked_for(square, monkeypatch):
    monkeypatch.setenv("CIMVIEWER_ANTIALIAS", "msaa")
    aa = AdaptiveAntialiasing()
    aa.configure(square.window, [square.renderer])
    assert square.window.GetMultiSamples() == quality.MSAA_SAMPLES
    assert not aa.before_frame(1.0, [square.renderer]) and not aa.before_frame(
        1.01, [square.renderer])  # no adaptive switching
    assert square.edge_shades() > 2


def test_auto_picks_by_driver(square, monkeypatch):
    monkeypatch.delenv("CIMVIEWER_ANTIALIAS", raising=False)
    aa = AdaptiveAntialiasing()
    aa.configure(square.window, [square.renderer])
    assert aa.renderer_name  # the driver was read from the window
    assert aa.adaptive == is_software(aa.renderer_name)


def test_a_live_feed_makes_even_the_first_frame_fast(square, monkeypatch):
    monkeypatch.setenv("CIMVIEWER_ANTIALIAS", "adaptive")
    aa = AdaptiveAntialiasing()
    aa.configure(square.window, [square.renderer])
    assert not aa.before_frame(50.0, [square.renderer])  # quiet: a smooth frame
    aa.mark_motion(90.0)  # values arrived after a quiet spell
    assert aa.before_frame(90.01, [square.renderer])
    assert square.edge_shades() == 0
    assert not aa.before_frame(95.0, [square.renderer])  # quiet again: smooth


def test_slow_frames_in_a_row_are_still_fast_ones(square, monkeypatch):
    """A frame that takes longer than the gap, followed at once by the next: the next is
    a fast one (counted from the end of a frame, not its start), so a loaded machine
    does not fall back to smooth, full-detail frames while things move."""
    monkeypatch.setenv("CIMVIEWER_ANTIALIAS", "adaptive")
    aa = AdaptiveAntialiasing()
    aa.configure(square.window, [square.renderer])
    slow = 3 * quality.INTERACTIVE_GAP_S
    assert not aa.before_frame(10.0, [square.renderer])
    aa.end_frame(10.0 + slow)  # a slow frame
    assert aa.before_frame(10.0 + slow + 0.01, [square.renderer])  # the next at once
    aa.end_frame(10.0 + 2 * slow)
    assert not aa.before_frame(10.0 + 2 * slow + 1.0, [square.renderer])  # a pause
