"""The kiosk window: the same project, 3D view and sensor controller as the desktop app,
presented full screen, frameless and locked, with touch-sized controls.

Why its own window rather than ``MainWindow`` with the editing UI hidden: the main
window owns things a kiosk must never have — the project controller (save prompts,
crash-recovery offers), plugin docks, file dialogs, menu shortcuts (Ctrl+O, Ctrl+Q)
that stay live while a menu bar is merely hidden. Hiding each of those, and keeping
them hidden as the main window grows, is a fork in disguise. ``KioskWindow`` instead
composes the shared pieces: :class:`~cimviewer.ui.view.ViewWidget` on the project,
the :class:`~cimviewer.ui.shell.Shell` service (so the sensor controller's live feeds,
replay clock and overlays work unchanged) and the project-file loading code. It is a
``QMainWindow`` only because the shell places docks and a status bar; both stay hidden.

States: *waiting* (after launch) -> *attract* (the tour) -> *visitor* (any input) ->
*countdown* (idle) -> back to *attract* with the kiosk's own look restored.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QMainWindow, QVBoxLayout, QWidget

from cimviewer.core.camera import CameraState, overview_camera
from cimviewer.core.kiosk import KioskSettings, StoryStop, built_in_tour
from cimviewer.core.layers import CityModelLayer
from cimviewer.core.project import Project
from cimviewer.core.sensors import SensorLayer
from cimviewer.ui.kiosk.attract import AttractTour
from cimviewer.ui.kiosk.baseline import Baseline
from cimviewer.ui.kiosk.controls import ControlBar
from cimviewer.ui.kiosk.idle import IdleWatcher
from cimviewer.ui.kiosk.info_card import InfoCard
from cimviewer.ui.kiosk.lock import KeyLock, PinPad
from cimviewer.ui.kiosk.overlays import Caption, Countdown
from cimviewer.ui.kiosk.touch import TouchNavigator
from cimviewer.ui.shell import Shell
from cimviewer.ui.tasks import Task, start
from cimviewer.ui.view import ViewWidget

log = logging.getLogger("cimviewer")
KEEPALIVE_MS = 2000  #: a frame at least this often, so the heartbeat shows a live app
REPLAY_SPEED = 900.0  #: replayed readings: 15 minutes of readings per second
CAPTION_HIDE_S = 6.0  #: the caption fades out this long after the camera arrives


@dataclass
class Story:
    """The tour as shown: stops with their cameras (the first one is home)."""

    stops: list[StoryStop]
    cameras: list[CameraState]


class KioskWindow(QMainWindow):
    """Signals: ``state_changed(name)`` ("waiting", "attract", "visitor", "countdown")."""

    state_changed = Signal(str)

    def __init__(self, project: Project, kiosk: KioskSettings | None = None, *,
                 language: str | None = None, settings: QSettings | None = None,
                 lock: bool = True):
        super().__init__()
        self.project = project
        self.kiosk = kiosk or KioskSettings()
        self.language = language or self.kiosk.language
        self.settings = settings or QSettings("cimviewer", "cimviewer-kiosk")
        self.tasks: list[Task] = []
        self.state = "waiting"
        self._created = time.monotonic()
        self.unlocked = False
        self.full_screen = False
        self.heartbeat: object | None = None  #: set by ``app.open_kiosk`` when supervised
        self.setObjectName("kiosk_window")
        self.setWindowTitle(self.tr("cimviewer kiosk"))
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)

        self.view = ViewWidget(project, self)
        self.controls = ControlBar(self)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.controls)
        self.setCentralWidget(central)
        self.shell = Shell(self)
        self.menuBar().setVisible(False)
        self.statusBar().setVisible(False)
        self.layer_panel = _NoLayerPanel()

        from cimviewer.ui.sensor_controller import SensorController

        self.sensor_controller = SensorController(self.shell)
        for dock in (self.sensor_controller.time_dock, self.sensor_controller.chart_dock,
                     self.sensor_controller.alarm_dock):
            dock.hide()
        # a picked sensor opens the chart dock on the desktop; here the info card shows
        project.selection.changed.disconnect(self.sensor_controller._on_selection)

        self.caption = Caption(central)
        self.countdown = Countdown(central)
        self.info_card = InfoCard(project, central)
        self.pin_pad = PinPad(central)
        for overlay in (self.caption, self.countdown, self.info_card, self.pin_pad):
            overlay.installEventFilter(self)  # a hidden overlay: redraw the view under it
        self.tour = AttractTour(project, [], flight_s=self.kiosk.flight_s,
                                dwell_s=self.kiosk.dwell_s,
                                orbit_deg_per_s=self.kiosk.orbit_deg_per_s, parent=self)
        self.story = Story([], [])
        self.caption_stop = -1  #: the stop whose caption shows
        self._followers: list[tuple[object, object]] = []  # (psygnal signal, slot)
        self.baseline = Baseline(project)
        self.idle = IdleWatcher(self)
        self.touch = TouchNavigator(self.view, self)
        self.key_lock = KeyLock(self)
        self.locked = lock
        app = QApplication.instance()
        app.installEventFilter(self.idle)
        if lock:
            app.installEventFilter(self.key_lock)

        self.tour.stop_changed.connect(self._on_stop)
        self.tour.arrived.connect(self._on_arrived)
        self._caption_timer = QTimer(self, singleShot=True)
        self._caption_timer.timeout.connect(self.caption.fade_out)
        self.idle.activity.connect(self._on_activity)
        self.idle.idle.connect(self._on_idle)
        self.countdown.expired.connect(self.reset)
        self.countdown.stay.connect(self._on_activity)
        self.view.picked.connect(self._on_picked)
        self.controls.home_clicked.connect(self.go_home)
        self.controls.stop_clicked.connect(self.show_stop)
        self.controls.layer_toggled.connect(self._toggle_layer)
        self.controls.language_clicked.connect(self.switch_language)
        self.key_lock.operator_requested.connect(lambda: self.pin_pad.open())
        self.pin_pad.entered.connect(self.try_unlock)
        self.pin_pad.cancelled.connect(self.view.setFocus)
        self._keepalive = QTimer(self, interval=KEEPALIVE_MS)
        self._keepalive.timeout.connect(self.view.render)
        self._keepalive.start()
        self.controls.retranslate(self.language)

    # --- setting up ------------------------------------------------------------------------
    def present(self) -> None:
        """Apply the kiosk settings to the loaded project, then wait for the tour."""
        self._apply_look()
        self.story = self._make_story()
        self.tour.cameras = self.story.cameras
        self.controls.set_stops(self.story.stops)
        names = [layer.name for layer in self.project.layers]
        toggles = [n for n in self.kiosk.toggle_layers if n in names] or default_toggles(
            self.project)
        self.controls.set_layers(toggles)
        for layer in self.project.layers:
            self.controls.show_layer(layer.name, layer.visible)

            def follow(on: bool, name: str = layer.name) -> None:
                self.controls.show_layer(name, on)
            layer.visibility_changed.connect(follow)
            self._followers.append((layer.visibility_changed, follow))
        self.baseline.capture()
        self._start_replay()
        if self.story.cameras:
            self.project.camera.state = self.story.cameras[0]
        self._set_state("waiting")
        # counted from the launch, not from the end of loading: the tour starts within
        # attract_delay_s (at most 30 s) of the window appearing
        waited = time.monotonic() - self._created
        self.idle.arm(max(0.1, self.kiosk.attract_delay_s - waited))

    def _apply_look(self) -> None:
        wanted = self.kiosk.layers
        for layer in self.project.layers:
            if wanted is not None:
                layer.visible = layer.name in wanted
            if isinstance(layer, SensorLayer):
                surface = self.kiosk.sensor_surface or layer.settings.surface_quantity
                layer.settings = layer.settings.with_(labels=self.kiosk.sensor_labels,
                                                      surface_quantity=surface)

    def _make_story(self) -> Story:
        marks = {mark.name: mark.camera for mark in self.project.bookmarks}
        stops = [stop for stop in self.kiosk.stops if stop.bookmark in marks]
        if stops:
            return Story(stops, [marks[stop.bookmark] for stop in stops])
        if marks:  # a project without a kiosk story: its bookmarks, named
            return Story([StoryStop(name, name, name) for name in marks], list(marks.values()))
        bbox = self.project.bbox()
        if bbox is None:
            return Story([], [])
        marks_, stops_ = built_in_tour(bbox, self._towers())
        return Story(stops_, [mark.camera for mark in marks_])

    def _towers(self) -> np.ndarray | None:
        layer = next((lay for lay in self.project.layers
                      if isinstance(lay, CityModelLayer)), None)
        if layer is None:
            return None
        vertices = layer.model.mesh_for_lod(layer.lod).vertices
        if not len(vertices):
            return None
        top = vertices[int(np.argmax(vertices[:, 2]))]
        bbox = layer.bbox()
        return np.array([top[0], top[1], (top[2] + bbox[2]) / 2])

    def _start_replay(self) -> None:
        """Replayed readings play in a loop so the overlays keep changing."""
        clock = self.project.time
        if clock.live or clock.start is None:
            return
        clock.set(speed=REPLAY_SPEED)
        self._replay = QTimer(self, interval=500)
        self._replay.timeout.connect(self._replay_step)
        self._replay.start()

    def _replay_step(self) -> None:
        from datetime import timedelta

        clock = self.project.time
        if clock.live or clock.start is None or clock.end is None:
            return
        current = (clock.current or clock.start) + timedelta(seconds=clock.speed * 0.5)
        clock.set(current=clock.start if current > clock.end else current)

    def show_on_monitor(self, monitor: int | None = None, full_screen: bool = True) -> None:
        """Full screen on monitor ``monitor`` (index; the primary one when missing)."""
        screens = QGuiApplication.screens()
        index = self.kiosk.monitor if monitor is None else monitor
        screen = screens[index] if 0 <= index < len(screens) else \
            QGuiApplication.primaryScreen()
        if not 0 <= index < len(screens):
            log.warning("kiosk: no monitor %d (there are %d): using the primary one",
                        index, len(screens))
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.full_screen = full_screen
        if full_screen:
            self.showFullScreen()
        else:
            self.show()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        # full screen again when something (a window manager, a key) took it away
        if (event.type() == QEvent.Type.WindowStateChange and self.full_screen
                and self.isVisible() and not self.isFullScreen() and not self.unlocked):
            QTimer.singleShot(0, self.showFullScreen)

    # --- states ------------------------------------------------------------------------------
    def _set_state(self, state: str) -> None:
        if state != self.state:
            log.info("kiosk: %s -> %s", self.state, state)
            self.state = state
            self.state_changed.emit(state)

    def start_attract(self) -> None:
        self.countdown.cancel()
        self._set_state("attract")
        self.idle.disarm()
        self.tour.start(0)

    def _on_activity(self) -> None:
        if self.state == "attract":
            self.tour.stop()
            self.caption.fade_out()
            self.controls.mark_stop(-1)
        if self.countdown.running:
            self.countdown.cancel()
        self._set_state("visitor")
        self.idle.arm(self.kiosk.idle_timeout_s)

    def _on_idle(self) -> None:
        if self.state == "waiting":
            self.start_attract()
        elif self.state == "visitor":
            self._set_state("countdown")
            self.info_card.show_item(None)  # the visitor left; nothing over the countdown
            self.countdown.start(self.kiosk.countdown_s)
            self._place_overlays()

    def reset(self) -> None:
        """Back to the start: the kiosk's layers and styles, no card, the tour."""
        changed = self.baseline.restore()
        log.info("kiosk: reset after a visitor (%d layer(s) restored)", changed)
        self.info_card.show_item(None)
        self.pin_pad.hide()
        if self.view.map_mode:
            self.view.set_map_mode(False)
        if self.story.cameras:
            self.view.fly_to(self.story.cameras[0], 0)  # also ends a visitor's flight
        self.start_attract()

    # --- controls ----------------------------------------------------------------------------
    def go_home(self) -> None:
        self.info_card.show_item(None)
        if self.story.cameras:
            self.view.fly_to(self.story.cameras[0], 1.5)
        else:
            bbox = self.project.bbox()
            if bbox is not None:
                self.view.fly_to(overview_camera(bbox), 1.5)

    def show_stop(self, index: int) -> None:
        if 0 <= index < len(self.story.cameras):
            self.view.fly_to(self.story.cameras[index], 2.0)
            self._on_stop(index)
            self._caption_timer.start(int(CAPTION_HIDE_S * 1000))

    def _toggle_layer(self, name: str, on: bool) -> None:
        for layer in self.project.layers:
            if layer.name == name:
                layer.visible = on

    def switch_language(self, language: str | None = None) -> None:
        from cimviewer.ui.i18n import install_translators

        app = QApplication.instance()
        language = language or ("en" if self.language == "zh_CN" else "zh_CN")
        for old in getattr(app, "_cimviewer_translators", []):
            app.removeTranslator(old)
        app._cimviewer_translators = install_translators(app, language)
        app._cimviewer_language = language
        self.language = language
        self.controls.retranslate(language)
        if self.countdown.isVisible():
            self.countdown.retranslate()
        if self.caption.isVisible() and 0 <= self.caption_stop < len(self.story.stops):
            self.caption.show_text(self.story.stops[self.caption_stop].caption(language))
        if self.info_card.item is not None:
            self.info_card.show_item(self.info_card.item)
        self._place_overlays()

    def _on_stop(self, index: int) -> None:
        self.caption_stop = index
        self.controls.mark_stop(index)
        self._caption_timer.stop()
        self.caption.show_text(self.story.stops[index].caption(self.language))
        self._place_overlays()

    def _on_arrived(self, _index: int) -> None:
        self._caption_timer.start(int(min(CAPTION_HIDE_S, self.kiosk.dwell_s * 0.8) * 1000))

    def _on_picked(self, item: tuple[str, int] | None) -> None:
        if self.info_card.show_item(item):
            self._place_overlays()

    # --- overlays ----------------------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Hide:
            self.view.schedule_render()
        return False

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_overlays()

    def _place_overlays(self) -> None:
        area = self.view.geometry()
        cap = self.caption
        # a fixed place: an overlay that shrinks leaves its old pixels on the GL view
        cap.setGeometry(area.x() + area.width() // 8, area.y() + 32, area.width() * 3 // 4,
                        cap.heightForWidth(area.width() * 3 // 4))
        for widget in (self.countdown, self.pin_pad):
            widget.adjustSize()
            widget.move(area.x() + (area.width() - widget.width()) // 2,
                        area.y() + (area.height() - widget.height()) // 2)
        card = self.info_card
        card.adjustSize()
        card.move(area.right() - card.width() - 40, area.y() + 140)
        for widget in (cap, card, self.countdown, self.pin_pad):
            widget.raise_()
        self.view.schedule_render()  # repaint what an overlay uncovered

    # --- leaving -----------------------------------------------------------------------------
    def try_unlock(self, pin: str) -> bool:
        """The operator's PIN: right -> the kiosk closes (exit code 0)."""
        if not self.kiosk.check_pin(pin):
            log.warning("kiosk: wrong operator PIN")
            self.pin_pad.open(self.tr("Wrong PIN. Operator PIN"))
            self._place_overlays()
            return False
        log.info("kiosk: unlocked by the operator")
        self.unlocked = True
        self.pin_pad.hide()
        self.close()
        return True

    def run_task(self, task: Task) -> Task:
        self.track_task(task)
        return start(task)

    def track_task(self, task: Task) -> None:
        self.tasks.append(task)
        task.signals.finished.connect(lambda _r: self.untrack_task(task))
        task.signals.failed.connect(lambda *_a: self.untrack_task(task))

    def untrack_task(self, task: Task) -> None:
        if task in self.tasks:
            self.tasks.remove(task)

    def cancel_tasks(self) -> None:
        for task in self.tasks:
            task.cancel()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.locked and not self.unlocked:
            log.info("kiosk: close refused (locked; the operator chord and PIN unlock)")
            event.ignore()
            return
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop timers, feeds and filters; release the view (also for tests)."""
        app = QApplication.instance()
        app.removeEventFilter(self.idle)
        app.removeEventFilter(self.key_lock)
        self.tour.stop()
        self.idle.disarm()
        self.countdown.cancel()
        self._keepalive.stop()
        if getattr(self, "_replay", None) is not None:
            self._replay.stop()
        self.cancel_tasks()
        self.touch.dispose()
        for signal, slot in self._followers:
            signal.disconnect(slot)
        self._followers.clear()
        self.sensor_controller.shutdown()
        self.view.close_view()
        self.shell.dispose()


def default_toggles(project: Project, most: int = 3) -> list[str]:
    """Layers offered to visitors when the kiosk section names none: sensors first,
    then point and line layers (not the buildings and the terrain)."""
    from cimviewer.core.layers import VectorLayer

    sensors = [layer.name for layer in project.layers if isinstance(layer, SensorLayer)]
    vectors = [layer.name for layer in project.layers if isinstance(layer, VectorLayer)]
    return (sensors + vectors)[:most]


class _NoLayerPanel:
    """The shell asks the window for its current layer: the kiosk has none."""

    def current_layer(self) -> None:
        return None
