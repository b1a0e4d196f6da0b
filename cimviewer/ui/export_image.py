"""File > Export image: the view as a figure for a report, with progress.

The figure is what the 3D view shows, framed the same, with its legend, sun and
shadows; legend, scale bar, north arrow, labels and lines grow with the output size.
It is drawn in stripes (:mod:`cimviewer.render.figure`) under a progress dialog that
keeps the window painting and can cancel.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from cimviewer.core.project import Project
from cimviewer.render.figure import Figure
from cimviewer.ui.view import ViewWidget

log = logging.getLogger("cimviewer")

DEFAULT_WIDTH = 3840  #: the width the size field offers (4K), at the view's shape
MIN_SIDE, MAX_SIDE = 16, 16384


def view_size(view: ViewWidget) -> tuple[int, int]:
    """The 3D view's size in device pixels (what a figure is framed like)."""
    width, height = view.render_window.GetSize()
    return max(int(width), 1), max(int(height), 1)


def default_size(view: ViewWidget) -> tuple[int, int]:
    """4K wide, with the view's shape (so the figure shows exactly the view)."""
    width, height = view_size(view)
    return DEFAULT_WIDTH, max(MIN_SIDE, round(DEFAULT_WIDTH * height / width))


def parse_size(text: str) -> tuple[int, int] | None:
    """"3840x2400" -> (3840, 2400); None when it is not a size within the limits."""
    try:
        width, height = (int(v) for v in text.lower().replace("×", "x").split("x"))
    except ValueError:
        return None
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        return None
    return width, height


def export_image(parent: QWidget, project: Project, view: ViewWidget) -> Path | None:
    """Ask for a size and a file, then write the figure; the path written, or None."""
    title = QCoreApplication.translate("ExportImage", "Export image")
    width, height = default_size(view)
    text, ok = QInputDialog.getText(
        parent, title,
        QCoreApplication.translate("ExportImage", "Size in pixels (width x height):"),
        text=f"{width}x{height}")
    if not ok:
        return None
    size = parse_size(text)
    if size is None:
        QMessageBox.warning(parent, title, QCoreApplication.translate(
            "ExportImage", "The size must look like 3840x2400 (16 to 16384)."))
        return None
    path, _ = QFileDialog.getSaveFileName(
        parent, title, "view.png",
        QCoreApplication.translate("ExportImage", "PNG images (*.png)"))
    if not path:
        return None
    return export_figure(parent, project, view, size, Path(path))


def export_figure(parent: QWidget, project: Project, view: ViewWidget,
                  size: tuple[int, int], path: Path) -> Path | None:
    """Draw the figure stripe by stripe under a progress dialog and write it as a PNG;
    None when cancelled."""
    dialog = QProgressDialog(
        QCoreApplication.translate("ExportImage", "Drawing the image…"),
        QCoreApplication.translate("ExportImage", "Cancel"), 0, 100, parent)
    dialog.setObjectName("export_progress")
    dialog.setWindowTitle(QCoreApplication.translate("ExportImage", "Export image"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)  # no edits while it draws
    dialog.setMinimumDuration(0)
    dialog.setValue(0)
    QApplication.processEvents()
    figure = Figure(project, size, source=view.scene, view_size=view_size(view))
    try:
        for done in figure.steps():
            dialog.setValue(round(99 * done))
            QApplication.processEvents()
            if dialog.wasCanceled():
                log.info(QCoreApplication.translate("ExportImage", "Export cancelled"))
                return None
        figure.save_png(path)
    finally:
        figure.close()
        dialog.reset()
        dialog.deleteLater()
    log.info(QCoreApplication.translate("ExportImage", "Saved %s (%d x %d)"), path, *size)
    return path
