"""Text labels at points, de-cluttered on screen: one 2D actor for a whole layer.

VTK places them (``vtkLabelPlacementMapper``): fixed pixel size, no overlaps, the
``priority`` array (if named) deciding which label wins; the CJK font so Chinese
labels are drawn.
"""

from __future__ import annotations

from vtkmodules.vtkCommonDataModel import vtkPolyData
from vtkmodules.vtkRenderingCore import vtkActor2D
from vtkmodules.vtkRenderingLabel import vtkLabelPlacementMapper, vtkPointSetToLabelHierarchy

from cimviewer.render.fonts import use_cjk_font


def placed_labels(data: vtkPolyData, background_opacity: float,
                  priority: str | None = None) -> tuple[vtkPointSetToLabelHierarchy,
                                                         vtkActor2D]:
    """Labels from ``data``'s point array "labels" (13 px, dark on a light box, above
    their points): the label hierarchy (its text property styles them) and the actor."""
    hierarchy = vtkPointSetToLabelHierarchy()
    hierarchy.SetInputData(data)
    hierarchy.SetLabelArrayName("labels")
    if priority is not None:
        hierarchy.SetPriorityArrayName(priority)
    text = use_cjk_font(hierarchy.GetTextProperty())
    text.SetFontSize(13)
    text.SetColor(0.05, 0.05, 0.1)
    text.SetBackgroundColor(1, 1, 1)
    text.SetBackgroundOpacity(background_opacity)
    text.SetJustificationToCentered()
    text.SetVerticalJustificationToBottom()
    mapper = vtkLabelPlacementMapper()
    mapper.SetInputConnection(hierarchy.GetOutputPort())
    mapper.UseDepthBufferOff()
    mapper.SetPlaceAllLabels(False)  # de-clutter: no overlaps
    actor = vtkActor2D()
    actor.SetMapper(mapper)
    return hierarchy, actor
