"""Help > About: the versions that matter when reporting a problem."""

from __future__ import annotations

import platform
import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from cimviewer import __version__


def version_info() -> dict[str, str]:
    from vtkmodules.vtkCommonCore import vtkVersion

    return {
        "cimviewer": __version__,
        "Python": sys.version.split()[0],
        "Qt": qVersion(),
        "PySide6": pyside_version,
        "VTK": vtkVersion.GetVTKVersion(),
        "OS": platform.platform(),
    }


def show_about(parent: QWidget) -> None:
    rows = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in version_info().items())
    title = QCoreApplication.translate("About", "cimviewer — city information model viewer")
    blurb = QCoreApplication.translate("About", "Smart-pole planning on a 3D city.")
    text = (
        f"<h3>{title}</h3>"
        f"<p>{blurb}</p>"
        f"<table>{rows}</table>"
    )
    QMessageBox.about(parent, QCoreApplication.translate("About", "About cimviewer"), text)
