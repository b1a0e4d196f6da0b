"""Anti-aliasing that suits the OpenGL driver: fast frames while things move, smooth
frames when they stop.

On a GPU, multisampling (MSAA) costs next to nothing and stays on. On a software
rasterizer (Mesa llvmpipe in VMs, kiosks without drivers, CI) 4x MSAA more than doubles
the cost of every frame, which is what kept live-sensor frames near 100 ms. There the
policy is the one ParaView calls "interactive vs still render": frames that follow
each other quickly (orbiting, streaming values, fly-to) are drawn without
anti-aliasing; once the view has been quiet for a moment, one more frame is drawn with
FXAA. This class holds the decision only; the caller owns the clock and the timer.

``CIMVIEWER_ANTIALIAS`` overrides the choice: ``auto`` (default), ``msaa`` (always
multisample), ``fxaa`` (always FXAA), ``adaptive`` (the software policy on any driver),
``off``.
"""

from __future__ import annotations

import os

SOFTWARE_RENDERERS = ("llvmpipe", "softpipe", "swrast", "swiftshader", "lavapipe",
                      "microsoft basic render", "gdi generic")
MODES = ("auto", "msaa", "fxaa", "adaptive", "off")
INTERACTIVE_GAP_S = 0.25  # a frame this soon after the previous one is part of motion
STILL_DELAY_S = 0.3  # quiet time before the smooth frame (must exceed the gap)
MSAA_SAMPLES = 4


def opengl_renderer(render_window) -> str:
    """The driver's GL_RENDERER string ("" before the window has drawn once)."""
    try:
        report = render_window.ReportCapabilities() or ""
    except Exception:  # some window classes cannot report: the driver is then unknown
        return ""
    for line in report.splitlines():
        if line.lower().startswith("opengl renderer string:"):
            return line.split(":", 1)[1].strip()
    return ""


def is_software(renderer_name: str) -> bool:
    name = renderer_name.lower()
    return any(s in name for s in SOFTWARE_RENDERERS)


def requested_mode() -> str:
    mode = os.environ.get("CIMVIEWER_ANTIALIAS", "auto").strip().lower()
    return mode if mode in MODES else "auto"


class AdaptiveAntialiasing:
    """Decides, frame by frame, whether to draw fast (no AA) or smooth.

    Call :meth:`configure` once the window has drawn (the driver is known then), then
    :meth:`before_frame` at the start of every frame with the current time; it returns
    True when a still frame should follow later (the caller starts a timer of
    :data:`STILL_DELAY_S` that simply renders again).
    """

    def __init__(self, mode: str | None = None):
        self.mode = mode or requested_mode()
        self.adaptive = False
        self.configured = False
        self.renderer_name = ""
        self.last_frame = -float("inf")
        self.last_end = -float("inf")
        self.last_was_fast = False
        self.moving_until = -float("inf")

    def configure(self, render_window, renderers) -> None:
        self.renderer_name = opengl_renderer(render_window)
        mode = self.mode
        if mode == "auto":
            mode = "adaptive" if is_software(self.renderer_name) else "msaa"
        self.adaptive = mode == "adaptive"
        render_window.SetMultiSamples(MSAA_SAMPLES if mode == "msaa" else 0)
        for renderer in renderers:
            renderer.SetUseFXAA(mode == "fxaa")
        self.configured = True

    def mark_motion(self, now: float) -> None:
        """Things are on the move (a live feed delivered values): the next frames are fast
        ones, even the first after a quiet spell."""
        self.moving_until = now + INTERACTIVE_GAP_S

    def rest(self) -> None:
        """Forget the motion so far: the next frame is a still one."""
        self.last_frame = self.last_end = self.moving_until = -float("inf")

    def end_frame(self, now: float) -> None:
        """A frame has been drawn (the gap to the next one is counted from here)."""
        self.last_end = now

    def before_frame(self, now: float, renderers) -> bool:
        """Set up this frame; True when it is a fast one and a still frame should follow.

        Frames follow each other when the time *between* them (from the end of one to
        the start of the next) is short: counted from start to start, frames slower
        than the gap would never be fast ones, which is when they are needed most."""
        if not self.adaptive:
            return False
        previous = max(self.last_frame, self.last_end)
        fast = now - previous < INTERACTIVE_GAP_S or now < self.moving_until
        self.last_frame = now
        self.last_was_fast = fast
        for renderer in renderers:
            renderer.SetUseFXAA(not fast)
        return fast


__all__ = ["AdaptiveAntialiasing", "is_software", "opengl_renderer"]
