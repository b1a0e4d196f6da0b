"""Render passes for cast shadows from the scene's lights (VTK shadow mapping)."""

from __future__ import annotations

import math

import numpy as np
from vtkmodules.vtkRenderingCore import vtkActor, vtkRenderer
from vtkmodules.vtkRenderingOpenGL2 import (
    vtkRenderPassCollection,
    vtkRenderStepsPass,
    vtkSequencePass,
    vtkShadowMapBakerPass,
    vtkShadowMapPass,
)

#: shadow-map sides: on screen (re-baked every frame: 2048 costs about half a
#: software-rendered frame, 4096 two) and for still figures
SHADOW_MAP_PIXELS = 2048
FIGURE_SHADOW_MAP_PIXELS = 4096
#: exponential shadow maps: VTK's 11 left a 20 m building's shadow on a city-sized
#: map at 0.93 of full light; 80 darkens it clearly and stays within float range
EXPONENT = 80.0
#: a stand-in for the view-space position the shadow lookup reads: splat shaders
#: (sensor markers) have none, and their colour does not use the lookup's result
_VERTEX_VC = "vec4 vertexVC = vec4(0.0, 0.0, 0.0, 1.0);"


def shadow_passes(resolution: int = SHADOW_MAP_PIXELS) -> vtkRenderStepsPass:
    """The renderer's usual steps (lights, opaque, translucent, volumes, overlays) with
    the opaque step replaced by shadow-map baking and shadowed drawing.

    Only opaque geometry casts and takes shadows; see-through layers and the 2D
    overlays (legend, north arrow, scale bar) are still drawn after it."""
    shadows = vtkShadowMapPass()
    shadows.GetShadowMapBakerPass().SetResolution(resolution)
    shadows.GetShadowMapBakerPass().SetExponentialConstant(EXPONENT)
    opaque = vtkRenderPassCollection()
    opaque.AddItem(shadows.GetShadowMapBakerPass())
    opaque.AddItem(shadows)
    sequence = vtkSequencePass()
    sequence.SetPasses(opaque)
    steps = vtkRenderStepsPass()
    steps.SetOpaquePass(sequence)
    return steps


def shadow_baker(passes: vtkRenderStepsPass) -> vtkShadowMapBakerPass:
    """The pass of :func:`shadow_passes` that bakes the shadow maps."""
    return passes.GetOpaquePass().GetPasses().GetItemAsObject(0)


def declare_shadow_position(actor: vtkActor) -> None:
    """Let an actor drawn by point splats (vtkPointGaussianMapper) compile under the shadow pass,
    which adds a shadow lookup of ``vertexVC`` to every opaque fragment shader; without
    this the shader fails to build and the markers vanish while shadows are on."""
    actor.GetShaderProperty().AddFragmentShaderReplacement(
        "//VTK::Output::Dec", True, "//VTK::Output::Dec\n" + _VERTEX_VC, False)


def keep_light_cameras_square(renderer: vtkRenderer) -> int:
    """Bake shadow maps with square light cameras; returns the observer's tag.

    VTK's shadow-map baker draws each map through a camera of its own but with the
    window's aspect ratio, while the lookup assumes a square map: in any window that
    is not square the shadows land in the wrong places (a tower's shadow on its sunny
    side, whole blocks dark). The baker's cameras are recognised when the renderer is
    given them: parallel projections that look along a sun-like (directional) light.
    Other cameras (the view's, or the copy vtkWindowToImageFilter renders with) keep
    the window's aspect."""

    def square(caller: vtkRenderer, _event: str) -> None:
        camera = caller.GetActiveCamera()
        if camera.GetUseExplicitAspectRatio() or not camera.GetParallelProjection():
            return
        if any(_along(camera, light) for light in _directional_lights(caller)):
            camera.SetUseExplicitAspectRatio(True)
            camera.SetExplicitAspectRatio(1.0)

    return renderer.AddObserver("ActiveCameraEvent", square)


def _directional_lights(renderer: vtkRenderer) -> list:
    lights = renderer.GetLights()
    found = [lights.GetItemAsObject(i) for i in range(lights.GetNumberOfItems())]
    return [light for light in found
            if light.GetSwitch() and light.LightTypeIsSceneLight() and not light.GetPositional()]


def _along(camera, light) -> bool:
    """Whether ``camera`` looks in the direction ``light`` shines (within 0.1°)."""
    look = np.subtract(camera.GetFocalPoint(), camera.GetPosition())
    shine = np.subtract(light.GetFocalPoint(), light.GetPosition())
    norms = np.linalg.norm(look) * np.linalg.norm(shine)
    return bool(norms > 0 and float(look @ shine) / norms > math.cos(math.radians(0.1)))
