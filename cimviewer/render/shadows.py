"""Render passes for cast shadows from the scene's lights (VTK shadow mapping)."""

from __future__ import annotations

from vtkmodules.vtkRenderingCore import vtkActor
from vtkmodules.vtkRenderingOpenGL2 import (
    vtkRenderPassCollection,
    vtkRenderStepsPass,
    vtkSequencePass,
    vtkShadowMapPass,
)

#: a stand-in for the view-space position the shadow lookup reads: splat shaders
#: (sensor markers) have none, and their colour does not use the lookup's result
SHADOW_MAP_PIXELS = 4096  #: the default 256 smears a city into self-shadowed terrain
_VERTEX_VC = "vec4 vertexVC = vec4(0.0, 0.0, 0.0, 1.0);"


def shadow_passes() -> vtkRenderStepsPass:
    """The renderer's usual steps (lights, opaque, translucent, volumes, overlays) with
    the opaque step replaced by shadow-map baking and shadowed drawing.

    Only opaque geometry casts and takes shadows; see-through layers and the 2D
    overlays (legend, north arrow, scale bar) are still drawn after it."""
    shadows = vtkShadowMapPass()
    shadows.GetShadowMapBakerPass().SetResolution(SHADOW_MAP_PIXELS)
    opaque = vtkRenderPassCollection()
    opaque.AddItem(shadows.GetShadowMapBakerPass())
    opaque.AddItem(shadows)
    sequence = vtkSequencePass()
    sequence.SetPasses(opaque)
    steps = vtkRenderStepsPass()
    steps.SetOpaquePass(sequence)
    return steps


def declare_shadow_position(actor: vtkActor) -> None:
    """Let an actor drawn by point splats (vtkPointGaussianMapper) compile under the shadow pass,
    which adds a shadow lookup of ``vertexVC`` to every opaque fragment shader; without
    this the shader fails to build and the markers vanish while shadows are on."""
    actor.GetShaderProperty().AddFragmentShaderReplacement(
        "//VTK::Output::Dec", True, "//VTK::Output::Dec\n" + _VERTEX_VC, False)
