"""The 3D view: a Qt widget that owns a VTK render-window interactor (composition)."""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget
from vtkmodules.vtkInteractionStyle import vtkInteractorStyleImage, vtkInteractorStyleTerrain

from cimviewer.core.camera import CameraState, interpolate, overview_camera, top_down_camera
from cimviewer.core.framing import objects_frame
from cimviewer.core.measure import height_difference, path_length, plan_area
from cimviewer.core.project import Project
from cimviewer.render.measure_actor import MeasureActor
from cimviewer.render.quality import STILL_DELAY_S, AdaptiveAntialiasing
from cimviewer.render.scene import Scene
from cimviewer.ui.legend_text import translated
from cimviewer.ui.qt_vtk import QVTKRenderWindowInteractor

CLICK_TOLERANCE_PX = 4
OBJECT_PITCH_DEG = 65.0
WHEEL_STEP = 0.8  #: distance factor per wheel notch toward the cursor
MIN_ZOOM_DISTANCE_M = 3.0  #: the wheel stops this close to the surface under the cursor
CLEARANCE_M = 2.0  #: the eye stays at least this high above terrain and roofs
DOUBLE_CLICK_DISTANCE = 0.5  #: a double-click flies to the point at this share of the distance
MIN_FLIGHT_STEPS = 8  #: a flight to a bookmark or an object is drawn in at least so many frames


class ViewWidget(QWidget):
    """Shows a project; emits world coordinates under the cursor and picked objects."""

    cursor_world = Signal(object)  # np.ndarray (3,) or None
    picked = Signal(object)  # (layer uid, object index) or None
    measured = Signal(str, float, object)  # kind, value, world points (n, 3)
    clicked_world = Signal(object)  # np.ndarray (3,) under a left click (not measuring)
    #: 0..1 while large layers refine the view nearest-first (1.0: all it wants is built)
    refining = Signal(float)

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.vtk_widget = QVTKRenderWindowInteractor(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.vtk_widget)
        self.render_window = self.vtk_widget.GetRenderWindow()
        self.scene = Scene(project)
        self.scene.legend_text = translated  # the view's legend in the user's language
        self.render_window.AddRenderer(self.scene.renderer)
        self.interactor = self.render_window.GetInteractor()
        self.style = vtkInteractorStyleTerrain()
        self.interactor.SetInteractorStyle(self.style)
        self.scene.request_render = self.schedule_render
        self.scene.request_render_later = self.schedule_render_later
        self._later_timer = QTimer(self, singleShot=True)
        self._later_timer.timeout.connect(self.render)
        self._render_timer = QTimer(self, singleShot=True, interval=0)
        self._build_timer = QTimer(self, interval=0)
        self._build_timer.timeout.connect(self._build_some)
        self._render_timer.timeout.connect(self.render)
        self._hover_timer = QTimer(self, singleShot=True, interval=50)
        self._hover_timer.timeout.connect(self._emit_cursor_world)
        self._press_pos: tuple[int, int] | None = None
        self._closed = False
        self._fly_timer = QTimer(self, interval=16)
        self._fly_steps = 0
        self._fly_timer.timeout.connect(self._fly_step)
        self.map_mode = False
        self.map_style = vtkInteractorStyleImage()
        self.measure_kind: str | None = None
        self.measure_points: list[np.ndarray] = []
        self.measure_actor: MeasureActor | None = None
        self.interactor.AddObserver("KeyPressEvent", self._on_key, 1.0)
        for style in (self.style, self.map_style):
            # an observer replaces the style's own key handling ('q'/'e' would quit VTK's
            # event loop, 'w' switches to wireframe): not wanted in an app or a kiosk
            style.AddObserver("CharEvent", lambda *_a: None)
        # Clicks are seen in Qt: VTK's camera styles grab the interactor's focus on a
        # button press, so interactor observers never see the release.
        self.vtk_widget.installEventFilter(self)
        self.interactor.AddObserver("MouseMoveEvent", self._on_move, 1.0)
        for style in (self.style, self.map_style):
            style.AddObserver("EndInteractionEvent", self._on_end_interaction)
        # after every step of a drag (orbit, right-drag dolly, pan): never under ground
        self.style.AddObserver("InteractionEvent", self._on_interaction)
        # fast frames while things move, a smooth one when they stop (software GL)
        self.antialiasing = AdaptiveAntialiasing()
        self._still_timer = QTimer(self, singleShot=True, interval=int(STILL_DELAY_S * 1000))
        self._still_timer.timeout.connect(self.render)
        self.render_window.AddObserver("StartEvent", self._on_frame_start)
        self.render_window.AddObserver("EndEvent", self._on_frame_end)
        self.interactor.Initialize()
        if project.camera.state is None:
            self.scene.reset_camera()
        self.schedule_render()  # also starts building the tiles of large layers

    # --- rendering ----------------------------------------------------------------
    def schedule_render(self) -> None:
        """Coalesce many model events into one render on the next event-loop turn."""
        self._render_timer.start()
        if self.scene.pending_work() and not self._build_timer.isActive():
            self._build_timer.start()

    def schedule_render_later(self, seconds: float) -> None:
        """Render in ``seconds`` (or sooner, if an earlier such render is due)."""
        ms = max(1, int(seconds * 1000) + 1)
        if not self._later_timer.isActive() or self._later_timer.remainingTime() > ms:
            self._later_timer.start(ms)

    def _build_some(self) -> None:
        """Upload a few more tiles of large layers, then show them (tiles arrive)."""
        made = self.scene.do_work(0.04)
        if not self.scene.pending_work():
            self._build_timer.stop()
        self.refining.emit(self.scene.refinement_progress()
                           if self._build_timer.isActive() else 1.0)
        # waiting for tiles read in the background (or for room): poll, do not spin
        self._build_timer.setInterval(0 if made else 20)
        self.schedule_render()

    def render(self) -> None:
        if self._closed:
            return
        self.scene.renderer.ResetCameraClippingRange()
        self.render_window.Render()

    def render_still(self) -> None:
        """Draw the frame the view shows at rest (full detail, smooth edges) now, as
        if the camera had stopped a while ago: for pictures taken of the view."""
        self.antialiasing.rest()
        self.render()

    def _on_frame_start(self, *_args) -> None:
        fast = self.antialiasing.before_frame(time.perf_counter(), [self.scene.renderer])
        # the layers' lighter meshes while things move, full detail in the still frame
        self.scene.set_motion(fast)

    def _on_frame_end(self, *_args) -> None:
        self.antialiasing.end_frame(time.perf_counter())
        if self.antialiasing.last_was_fast:
            # the still frame, once a pause longer than the gap follows this frame's end
            self._still_timer.start()  # restarted by every fast frame
        if not self.antialiasing.configured:  # the driver is known after the first frame
            self.antialiasing.configure(self.render_window, [self.scene.renderer])
            self.schedule_render()

    def _on_end_interaction(self, *_args) -> None:
        self.project.camera.changed.disconnect(self.scene._apply_camera)
        try:
            self.project.camera.state = self.scene.camera_state()
        finally:
            self.project.camera.changed.connect(self.scene._apply_camera)

    # --- mouse --------------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:
        if watched is self.vtk_widget and event.type() == QEvent.Type.Wheel:
            notches = event.angleDelta().y() / 120.0
            if notches:
                pos = event.position()
                self.zoom_at(*self.display_to_vtk(pos.x(), pos.y()), WHEEL_STEP ** notches)
            return True  # VTK's own wheel handling is replaced
        if (watched is self.vtk_widget and event.type() == QEvent.Type.MouseButtonDblClick
                and event.button() == Qt.MouseButton.LeftButton and not self.measure_kind):
            pos = event.position()
            self.fly_to_point_at(*self.display_to_vtk(pos.x(), pos.y()))
            return True
        is_button = event.type() in (QEvent.Type.MouseButtonPress,
                                     QEvent.Type.MouseButtonRelease)
        if (watched is self.vtk_widget and is_button
                and event.button() == Qt.MouseButton.LeftButton):
            pos = event.position()
            x, y = self.display_to_vtk(pos.x(), pos.y())
            if event.type() == QEvent.Type.MouseButtonPress:
                self._press_pos = (x, y)
            else:
                ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
                QTimer.singleShot(0, lambda: self._on_release(x, y, ctrl))
        return False

    def _on_release(self, x: int, y: int, ctrl: bool) -> None:
        if self._press_pos is None:
            return
        px, py = self._press_pos
        self._press_pos = None
        if abs(x - px) <= CLICK_TOLERANCE_PX and abs(y - py) <= CLICK_TOLERANCE_PX:
            if self.measure_kind:
                self.add_measure_point(x, y)
            else:
                self.pick_at(x, y, toggle=ctrl)
                world = self.scene.world_point(x, y)
                if world is not None:
                    self.clicked_world.emit(world)

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

    # --- navigation ----------------------------------------------------------------
    def point_under(self, x: int, y: int) -> np.ndarray | None:
        """World point under display pixel (x, y): the surface there, else where the ray
        meets the horizontal plane of the focal point (None when it points away)."""
        world = self.scene.world_point(x, y)
        if world is not None:
            return world
        origin, direction = self.scene.display_ray(x + 0.5, y + 0.5)
        focal = np.array(self.scene.renderer.GetActiveCamera().GetFocalPoint())
        if abs(direction[2]) < 1e-9:
            return None
        t = (focal[2] - origin[2]) / direction[2]
        if t <= 0:
            return None
        return self.scene.to_world(origin + t * direction)

    def zoom_at(self, x: int, y: int, factor: float) -> None:
        """Zoom about the point under display pixel (x, y) (it stays under the cursor):
        ``factor`` < 1 comes closer, > 1 goes away (QGIS 3D, CesiumJS)."""
        target = self.point_under(x, y)
        camera = self.scene.renderer.GetActiveCamera()
        if target is None:  # over the sky: toward the screen centre
            target = self.scene.to_world(camera.GetFocalPoint())
        local = self.scene.to_local(target)
        pos = np.array(camera.GetPosition())
        focal = np.array(camera.GetFocalPoint())
        if self.map_mode:
            scale = camera.GetParallelScale()
            factor = max(factor, MIN_ZOOM_DISTANCE_M / max(scale, 1e-9))
            camera.SetParallelScale(scale * factor)
            shift = (local - focal) * (1 - factor)
            shift[2] = 0.0
            camera.SetPosition(*(pos + shift))
            camera.SetFocalPoint(*(focal + shift))
        else:
            distance = float(np.linalg.norm(pos - local))
            if factor < 1 and distance * factor < MIN_ZOOM_DISTANCE_M:
                factor = min(1.0, MIN_ZOOM_DISTANCE_M / max(distance, 1e-9))
            camera.SetPosition(*(local + (pos - local) * factor))
            camera.SetFocalPoint(*(local + (focal - local) * factor))
            self.keep_above_ground()
        self._on_end_interaction()
        self.render()

    def fly_to_point_at(self, x: int, y: int) -> bool:
        """Double-click: fly to the surface point under (x, y), looking at it from the
        same direction, half as far (at most 1 km, at least 20 m)."""
        target = self.scene.world_point(x, y)
        if target is None:
            return False
        state = self.scene.camera_state()
        offset = np.subtract(state.position, state.focal_point)
        distance = float(np.linalg.norm(offset)) or 1.0
        new_distance = min(max(distance * DOUBLE_CLICK_DISTANCE, 20.0), 1000.0)
        position = target + offset / distance * new_distance
        self.fly_to(CameraState(tuple(position), tuple(target), state.view_up,
                                state.view_angle))
        return True

    def surface_height(self, world_xy) -> float | None:
        """Height of the highest surface (terrain, roofs) at world (x, y), or None."""
        top = self.scene.origin[2] + 1e5
        origin = self.scene.to_local(np.array([world_xy[0], world_xy[1], top]))
        down = np.array([0.0, 0.0, -1.0])
        nearest = None
        for adapter in self.scene.adapters.values():
            if not ((adapter.pickable or adapter.occludes) and adapter.layer.visible
                    and adapter.exact_surface):
                continue
            hit = adapter.ray_pick(origin, down, 1e-6)
            if hit is not None and (nearest is None or hit[0] < nearest):
                nearest = hit[0]
        return None if nearest is None else float(top - nearest)

    def keep_above_ground(self) -> bool:
        """Lift the eye (and the point it looks at, keeping the view direction) above
        the terrain and buildings under it; True when it had to."""
        if self.map_mode:
            return False
        camera = self.scene.renderer.GetActiveCamera()
        eye = self.scene.to_world(camera.GetPosition())
        ground = self.surface_height(eye[:2])
        if ground is None:
            bbox = self.project.bbox()
            if bbox is None:
                return False
            ground = float(bbox[2])
        lift = ground + CLEARANCE_M - eye[2]
        if lift <= 0:
            return False
        up = np.array([0.0, 0.0, lift])
        camera.SetPosition(*(np.array(camera.GetPosition()) + up))
        camera.SetFocalPoint(*(np.array(camera.GetFocalPoint()) + up))
        return True

    def _on_interaction(self, *_args) -> None:
        self.keep_above_ground()

    # --- measurement ------------------------------------------------------------
    def start_measure(self, kind: str | None) -> None:
        """Start measuring "distance", "height" or "area" by clicking; None stops."""
        self.measure_kind = kind
        self.measure_points = []
        if self.measure_actor is None:
            self.measure_actor = MeasureActor(self.scene.origin, self.scene.renderer,
                                              self.render_window)
        self.measure_actor.set_points(np.zeros((0, 3)), closed=False)
        self.schedule_render()

    def add_measure_point(self, x: int, y: int) -> float | None:
        world = self.scene.world_point(x, y)
        if world is None or not self.measure_kind:
            return None
        if self.measure_kind == "height" and len(self.measure_points) == 2:
            self.measure_points = []
        self.measure_points.append(world)
        pts = np.array(self.measure_points)
        value = {"distance": path_length, "height": height_difference,
                 "area": plan_area}[self.measure_kind](pts)
        self.measure_actor.set_points(pts, closed=self.measure_kind == "area",
                                      result=self.measure_text(self.measure_kind, value))
        self.measured.emit(self.measure_kind, value, pts)
        self.schedule_render()
        return value

    def measure_text(self, kind: str, value: float) -> str:
        """A measurement's result, as labelled in the view and shown in the status bar."""
        labels = {"distance": self.tr("Distance: {0:,.2f} m"),
                  "height": self.tr("Height difference: {0:,.2f} m"),
                  "area": self.tr("Plan area: {0:,.1f} m²")}
        return labels[kind].format(value)

    # --- keyboard -----------------------------------------------------------------
    def _on_key(self, *_args) -> None:
        key = self.interactor.GetKeySym()
        camera = self.scene.renderer.GetActiveCamera()
        shift = bool(self.interactor.GetShiftKey())
        step = 5.0
        if key in ("Left", "Right", "Up", "Down") and shift:
            dx = {"Left": -1, "Right": 1}.get(key, 0)
            dy = {"Down": -1, "Up": 1}.get(key, 0)
            self._pan(dx * 0.05, dy * 0.05)
        elif key == "Left":
            camera.Azimuth(step)
        elif key == "Right":
            camera.Azimuth(-step)
        elif key == "Up" and not self.map_mode:
            camera.Elevation(step)
            camera.OrthogonalizeViewUp()
        elif key == "Down" and not self.map_mode:
            camera.Elevation(-step)
            camera.OrthogonalizeViewUp()
        elif key in ("plus", "equal", "KP_Add"):
            camera.Dolly(1.2) if not self.map_mode else camera.SetParallelScale(
                camera.GetParallelScale() / 1.2)
        elif key in ("minus", "KP_Subtract"):
            camera.Dolly(1 / 1.2) if not self.map_mode else camera.SetParallelScale(
                camera.GetParallelScale() * 1.2)
        elif key == "Escape" and self.measure_kind:
            self.start_measure(None)
            return
        else:
            return
        self.keep_above_ground()
        self._on_end_interaction()
        self.render()

    def _pan(self, fx: float, fy: float) -> None:
        camera = self.scene.renderer.GetActiveCamera()
        pos = np.array(camera.GetPosition())
        focal = np.array(camera.GetFocalPoint())
        up = np.array(camera.GetViewUp())
        forward = focal - pos
        distance = np.linalg.norm(forward)
        right = np.cross(forward, up)
        right /= np.linalg.norm(right) or 1
        up_screen = np.cross(right, forward)
        up_screen /= np.linalg.norm(up_screen) or 1
        shift = (right * fx + up_screen * fy) * distance
        camera.SetPosition(*(pos + shift))
        camera.SetFocalPoint(*(focal + shift))

    # --- camera animation and modes -----------------------------------------------------
    def fly_to(self, target: CameraState, seconds: float = 0.8) -> None:
        """Animate the camera to ``target`` (smooth, eased); instant when seconds <= 0."""
        start = self.scene.camera_state()
        self._fly_timer.stop()
        if seconds <= 0:
            self.project.camera.state = target
            return
        self._fly = (start, target, time.perf_counter(), seconds)
        self._fly_steps = 0
        self._fly_timer.start()

    def _fly_step(self) -> None:
        start, target, t0, seconds = self._fly
        # by the clock, but in at least MIN_FLIGHT_STEPS frames: where frames are slow
        # (a loaded software renderer) the flight takes longer instead of jumping
        self._fly_steps += 1
        t = min((time.perf_counter() - t0) / seconds, self._fly_steps / MIN_FLIGHT_STEPS)
        self.project.camera.state = interpolate(start, target, min(t, 1.0))
        self.render()
        if t >= 1.0:
            self._fly_timer.stop()

    def fly_to_bbox(self, bbox: np.ndarray, pitch: float = 50.0) -> None:
        self.fly_to(overview_camera(bbox, pitch=pitch))

    def frame_objects(self, items) -> bool:
        """Fly to frame ``items`` ((layer uid, object index) pairs); False when none of
        them has a place."""
        bbox = objects_frame(self.project, items)
        if bbox is None:
            return False
        # steeper than an overview: neighbours in a dense block do not hide the object
        self.fly_to_bbox(bbox, pitch=OBJECT_PITCH_DEG)
        return True

    def zoom_to_selection(self) -> bool:
        """Fly to frame the selected objects (False when nothing is selected)."""
        return self.frame_objects(self.project.selection.items)

    def set_map_mode(self, on: bool) -> None:
        """Top-down 2D map: orthographic, north up, pan and zoom only."""
        self.map_mode = on
        camera = self.scene.renderer.GetActiveCamera()
        if on:
            state = self.scene.camera_state()
            target = np.array(state.focal_point)
            distance = float(np.linalg.norm(np.subtract(state.position, state.focal_point)))
            top = top_down_camera(target, distance)
            self.project.camera.state = top
            camera.ParallelProjectionOn()
            camera.SetParallelScale(distance * np.tan(np.radians(state.view_angle) / 2))
            self.interactor.SetInteractorStyle(self.map_style)
        else:
            # back to 3D over the same place: the map's centre, seen from the south at
            # the distance that shows what the map showed (not the whole project again)
            state = self.scene.camera_state()
            target = np.array(state.focal_point)
            scale = camera.GetParallelScale()
            distance = max(scale / np.tan(np.radians(state.view_angle) / 2), 10.0)
            pitch = np.radians(50.0)
            position = target + distance * np.array([0.0, -np.cos(pitch), np.sin(pitch)])
            camera.ParallelProjectionOff()
            self.interactor.SetInteractorStyle(self.style)
            self.project.camera.state = CameraState(tuple(position), tuple(target),
                                                    (0.0, 0.0, 1.0), state.view_angle)
        self.schedule_render()

    def close_view(self) -> None:
        self._closed = True
        for timer in (self._render_timer, self._hover_timer, self._fly_timer,
                      self._build_timer, self._still_timer, self._later_timer):
            timer.stop()
        self.scene.dispose()
        self.render_window.Finalize()
        self.vtk_widget.close()
