"""The VTK render-window widget for PySide6 (one place decides the Qt binding)."""

from __future__ import annotations

import vtkmodules.qt

vtkmodules.qt.PyQtImpl = "PySide6"

from vtkmodules.qt.QVTKRenderWindowInteractor import (  # noqa: E402
    QVTKRenderWindowInteractor,
)

__all__ = ["QVTKRenderWindowInteractor"]
