"""The 3D view: a Qt widget that owns a VTK render-window interactor (composition)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget
from vtkmodules.vtkInteractionStyle import vtkInteractorStyleTerrain

from cimviewer.core.project import Project
from cimviewer.render.scene import Scene
from cimviewer.ui.qt_vtk import QVTKRenderWindowInteractor

CLICK_TOLERANCE_PX = 4


class ViewWidget(QWidget):
    """Shows a project; emits world coordinates under the cursor and picked objects."""

    cursor_world = Signal(object)  # np.ndarray (3,) or None
    picked = Signal(object)  # (layer uid, object index) or None

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.vtk_widget = QVTKRenderWindowInteractor(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.vtk_widget)
        self.render_window = self.vtk_widget.GetRenderWindow()
        self.scene = Scene(project)
        self.render_window.AddRenderer(self.scene.renderer)
        self.interactor = self.render_window.GetInteractor()
        self.style = vtkInteractorStyleTerrain()
        self.interactor.SetInteractorStyle(self.style)
        self.scene.request_render = self.schedule_render
        self._render_timer = QTimer(self, singleShot=True, interval=0)
        self._render_timer.timeout.connect(self.render)
        self._hover_timer = QTimer(self, singleShot=True, interval=50)
        self._hover_timer.timeout.connect(self._emit_cursor_world)
        self._press_pos: tuple[int, int] | None = None
        self.interactor.AddObserver("LeftButtonPressEvent", self._on_press, 1.0)
        self.interactor.AddObserver("LeftButtonReleaseEvent", self._on_release, 1.0)
        self.interactor.AddObserver("MouseMoveEvent", self._on_move, 1.0)
        self.interactor.AddObserver("EndInteractionEvent", self._on_end_interaction)
        self.interactor.Initialize()
        if project.camera.state is None:
            self.scene.reset_camera()

    # --- rendering ----------------------------------------------------------------
    def schedule_render(self) -> None:
        """Coalesce many model events into one render on the next event-loop turn."""
        self._render_timer.start()

    def render(self) -> None:
        self.scene.renderer.ResetCameraClippingRange()
        self.render_window.Render()

    def _on_end_interaction(self, *_args) -> None:
        self.project.camera.changed.disconnect(self.scene._apply_camera)
        try:
            self.project.camera.state = self.scene.camera_state()
        finally:
            self.project.camera.changed.connect(self.scene._apply_camera)

    # --- mouse --------------------------------------------------------------------
    def _on_press(self, *_args) -> None:
        self._press_pos = self.interactor.GetEventPosition()

    def _on_release(self, *_args) -> None:
        if self._press_pos is None:
            return
        x, y = self.interactor.GetEventPosition()
        px, py = self._press_pos
        self._press_pos = None
        if abs(x - px) <= CLICK_TOLERANCE_PX and abs(y - py) <= CLICK_TOLERANCE_PX:
            self.pick_at(x, y, toggle=bool(self.interactor.GetControlKey()))

    def pick_at(self, x: int, y: int, toggle: bool = False) -> tuple[str, int] | None:
        """Select the object at display pixel (x, y) (VTK coordinates, origin bottom-left)."""
        hit = self.scene.pick(x, y)
        selection = self.project.selection
        if hit is None:
            if not toggle:
                selection.clear()
        elif toggle:
            selection.toggle(hit)
        else:
            selection.set([hit])
        self.picked.emit(hit)
        self.schedule_render()
        return hit

    def _on_move(self, *_args) -> None:
        self._hover_timer.start()

    def _emit_cursor_world(self) -> None:
        x, y = self.interactor.GetEventPosition()
        world = self.scene.world_point(x, y)
        self.cursor_world.emit(world)

    def display_to_vtk(self, qx: float, qy: float) -> tuple[int, int]:
        """Qt logical widget coordinates -> VTK device pixel coordinates (HiDPI aware)."""
        ratio = self.vtk_widget.devicePixelRatioF()
        return round(qx * ratio), round((self.vtk_widget.height() - 1 - qy) * ratio)

    def world_to_display(self, world: np.ndarray) -> tuple[float, float]:
        """World point -> Qt logical widget coordinates (for tests and overlays)."""
        renderer = self.scene.renderer
        local = self.scene.to_local(world)
        renderer.SetWorldPoint(*local, 1.0)
        renderer.WorldToDisplay()
        dx, dy, _ = renderer.GetDisplayPoint()
        ratio = self.vtk_widget.devicePixelRatioF()
        return dx / ratio, self.vtk_widget.height() - 1 - dy / ratio

    def close_view(self) -> None:
        self.scene.dispose()
        self.render_window.Finalize()
        self.vtk_widget.close()
