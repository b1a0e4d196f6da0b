"""Sensors in the main window: docks, the Sensors menu, live connections, the GUI tick.

Live readings are parsed on the MQTT thread into a queue; a 10 Hz timer here drains
each queue and applies one batch per layer, then refreshes the chart and alarm list.
The map updates once per frame (the adapter coalesces). Connection state reaches the
status bar through a Qt signal (queued from the network thread).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMessageBox

from cimviewer.core.sensor_clock import SensorClock
from cimviewer.core.sensors import SensorLayer
from cimviewer.ui.sensor_alarm_dock import AlarmPanel
from cimviewer.ui.sensor_chart_dock import ChartPanel
from cimviewer.ui.sensor_time_dock import TimeSliderPanel

if TYPE_CHECKING:
    from cimviewer.ui.shell import Shell

log = logging.getLogger("cimviewer")
APPLY_MS = 100  # 10 Hz
BLINK_MS = 500
FLY_MARGIN_M = 80.0


class _StateSignals(QObject):
    state = Signal(str, str)


class SensorController(QObject):
    def __init__(self, shell: Shell):
        super().__init__(shell)
        self.shell = shell
        self.project = shell.project
        self.clock = SensorClock(self.project)
        self.sources: dict[str, object] = {}  # layer uid -> MqttSource
        self._anchors: tuple[tuple, dict] | None = None  # (layer uids, id -> position)
        self._mobile: dict[str, set[int]] = {}  # layer uid -> rows placed by messages
        #: reconnect layers saved with a live connection when they are opened
        self.resume_live = True
        self._dirty = True
        self._blink = True
        self.applied = 0
        self.last_apply_ms = 0.0

        parent = shell.dialog_parent()
        self.time_panel = TimeSliderPanel(self.project, parent)
        self.chart_panel = ChartPanel(self.project, parent)
        self.alarm_panel = AlarmPanel(self.project, parent)
        self.time_dock = shell.add_dock("sensor_time", self.tr("Time"), self.time_panel,
                                        "bottom")
        self.chart_dock = shell.add_dock("sensor_chart", self.tr("Sensor chart"),
                                         self.chart_panel, "bottom")
        self.alarm_dock = shell.add_dock("sensor_alarms", self.tr("Alarms"), self.alarm_panel,
                                         "right", tab_with=shell.dock("bookmarks"))
        self.alarm_panel.activated.connect(self.fly_to_sensor)

        self.status_label = QLabel(parent)
        shell.add_status_widget(self.status_label)
        self._signals = _StateSignals()
        self._signals.state.connect(self._show_state)
        self._build_menu()

        self.project.selection.changed.connect(self._on_selection)
        self.project.layers.events.inserted.connect(self._on_inserted)
        self.project.layers.events.removed.connect(self._on_removed)
        self.project.time.changed.connect(self._mark_dirty)
        for layer in self.project.layers:
            self._on_inserted(0, layer)

        self.apply_timer = QTimer(self, interval=APPLY_MS)
        self.apply_timer.timeout.connect(self.tick)
        self.apply_timer.start()
        self.blink_timer = QTimer(self, interval=BLINK_MS)
        self.blink_timer.timeout.connect(self._blink_step)
        self.blink_timer.start()

    # --- menu -----------------------------------------------------------------------------
    def _build_menu(self) -> None:
        menu = self.shell.menu("sensors", self.tr("&Sensors"))
        self.menu = menu
        add = QAction(self.tr("Add sensor &readings…"), self)
        add.triggered.connect(self.add_readings_dialog)
        menu.addAction(add)
        connect = QAction(self.tr("&Connect to live data…"), self)
        connect.triggered.connect(self.live_dialog)
        menu.addAction(connect)
        disconnect = QAction(self.tr("&Disconnect live data"), self)
        disconnect.triggered.connect(self.disconnect_all)
        menu.addAction(disconnect)
        menu.addSeparator()
        self.surface_action = QAction(self.tr("Interpolated &surface"), self)
        self.surface_action.setCheckable(True)
        self.surface_action.toggled.connect(self._toggle_surface)
        menu.addAction(self.surface_action)
        self.surface_menu = menu.addMenu(self.tr("Surface &quantity"))
        self.surface_menu.aboutToShow.connect(self._fill_surface_menu)
        self.labels_action = QAction(self.tr("Value &labels"), self)
        self.labels_action.setCheckable(True)
        self.labels_action.setChecked(True)
        self.labels_action.toggled.connect(self._toggle_labels)
        menu.addAction(self.labels_action)
        menu.addSeparator()
        for dock in (self.time_dock, self.chart_dock, self.alarm_dock):
            menu.addAction(dock.toggleViewAction())

    def layers(self) -> list[SensorLayer]:
        return [lay for lay in self.project.layers if isinstance(lay, SensorLayer)]

    def _toggle_surface(self, on: bool) -> None:
        for layer in self.layers():
            quantity = layer.settings.surface_quantity or (
                "pm25" if "pm25" in layer.table.quantities else
                next((q for q in layer.table.quantities if q), None))
            layer.settings = layer.settings.with_(surface_quantity=quantity if on else None)

    def quantities(self) -> list[str]:
        """The quantities the sensor layers measure (for the surface)."""
        return sorted({q for layer in self.layers() for q in layer.table.quantities if q})

    def _fill_surface_menu(self) -> None:
        from PySide6.QtGui import QActionGroup

        menu = self.surface_menu
        menu.clear()
        group = QActionGroup(menu)
        shown = {layer.settings.surface_quantity for layer in self.layers()}
        for quantity in self.quantities():
            action = menu.addAction(quantity)
            action.setCheckable(True)
            action.setChecked(quantity in shown)
            action.setActionGroup(group)
            action.triggered.connect(lambda _c=False, q=quantity: self.show_surface(q))
        if not menu.actions():
            menu.addAction(self.tr("(no sensor quantities)")).setEnabled(False)

    def show_surface(self, quantity: str | None) -> None:
        """The interpolated surface of ``quantity`` on every sensor layer that measures it
        (None: no surface)."""
        for layer in self.layers():
            has = quantity is not None and quantity in layer.table.quantities
            layer.settings = layer.settings.with_(surface_quantity=quantity if has else None)
        self.surface_action.blockSignals(True)
        self.surface_action.setChecked(quantity is not None)
        self.surface_action.blockSignals(False)

    def _toggle_labels(self, on: bool) -> None:
        for layer in self.layers():
            layer.settings = layer.settings.with_(labels=on)

    # --- layers -------------------------------------------------------------------------------
    def _on_inserted(self, _index: int, layer) -> None:
        if isinstance(layer, SensorLayer):
            layer.values_changed.connect(self._mark_dirty)
            self.surface_action.blockSignals(True)
            self.surface_action.setChecked(bool(layer.settings.surface_quantity))
            self.surface_action.blockSignals(False)
            self._dirty = True
            if layer.settings.live and self.resume_live:
                # after the whole project is in (its time state comes after its layers)
                QTimer.singleShot(0, lambda: self._resume_live(layer))

    def _resume_live(self, layer: SensorLayer) -> None:
        """Reconnect a layer that was saved with a live connection (kiosks restart
        unattended); the password comes from the keyring, never the project."""
        from cimviewer.io.sensors.mqtt import MqttConfig

        if layer not in self.project.layers or layer.uid in self.sources \
                or not layer.settings.live:
            return
        try:
            config = MqttConfig.from_dict(layer.settings.live)
        except (KeyError, TypeError, ValueError) as exc:
            log.warning(self.tr("Live connection of %s not resumed: %s"), layer.name, exc)
            return
        log.info(self.tr("Reconnecting %s to live data at %s"), layer.name, config.broker)
        self.connect_live(config, layer=layer, go_live=self.project.time.live)

    def _on_removed(self, _index: int, layer) -> None:
        if isinstance(layer, SensorLayer):
            layer.values_changed.disconnect(self._mark_dirty)
            source = self.sources.pop(layer.uid, None)
            if source is not None:
                source.stop()
            self._mobile.pop(layer.uid, None)
            self._dirty = True

    def _mark_dirty(self, *_args) -> None:
        self._dirty = True

    # --- the GUI tick ---------------------------------------------------------------------------
    def tick(self) -> None:
        """Apply what the live sources queued (one batch per layer), refresh the docks."""
        import time

        t0 = time.perf_counter()
        for uid, source in list(self.sources.items()):
            layer = self.project.layer_by_uid(uid)
            known = layer.n_sensors if layer is not None else 0
            batch, applied = source.queue.drain_into(layer)
            if layer is not None and len(batch):
                mobile = self._mobile.get(layer.uid)
                self.applied += applied
                if mobile and np.isfinite(batch.x).any():  # vehicles: follow their messages
                    self._move_by_messages(layer, np.fromiter(mobile, np.int64), batch, source)
                if layer.n_sensors > known:
                    self._place_new_sensors(layer, known, batch, source)
                self.shell.view.antialiasing.mark_motion(time.perf_counter())
        if self._dirty:
            self._dirty = False
            self.alarm_panel.refresh()
            self.chart_panel.refresh()
        self.last_apply_ms = (time.perf_counter() - t0) * 1000

    def _place_new_sensors(self, layer: SensorLayer, first_row: int, batch, source) -> None:
        """A live feed brought ids the layer did not know: those that name a pole or a
        building go there (the lookup is made once per set of layers), the others where
        their messages say (``lon``/``lat`` by default) and follow them from then on."""
        from cimviewer.geometry.placement import anchor_positions, anchor_unplaced

        key = tuple(lay.uid for lay in self.project.layers if not isinstance(lay, SensorLayer))
        if self._anchors is None or self._anchors[0] != key:
            self._anchors = (key, anchor_positions(list(self.project.layers)))
        placed = anchor_unplaced(layer, self._anchors[1], first_row)
        rows = np.arange(first_row, layer.n_sensors)
        rows = rows[~layer.placed()[rows]]
        moved = self._move_by_messages(layer, rows, batch, source)
        mobile = self._mobile.setdefault(layer.uid, set())
        mobile.update(int(r) for r in moved)  # placed by their messages: they may travel
        placed += len(moved)
        unplaced = int((~layer.placed()[first_row:]).sum())
        if placed:
            log.info(self.tr("%d new live sensor(s) placed on their pole or building, or where their messages say"), placed)  # noqa: E501
        if unplaced:
            log.warning(self.tr("%d new live sensor(s) have no position: no pole or building has their id and their messages give none"), unplaced)  # noqa: E501

    def _move_by_messages(self, layer: SensorLayer, rows: np.ndarray, batch, source):
        from cimviewer.core.layers import TerrainLayer
        from cimviewer.geometry.placement import place_by_messages
        from cimviewer.io.errors import ReadError
        from cimviewer.io.reproject import transform_xy

        if self.project.crs is None or not len(rows):
            return np.zeros(0, np.int64)
        grid = next((lay.grid for lay in self.project.layers
                     if isinstance(lay, TerrainLayer) and lay.source is not None), None)
        x, y = np.array(batch.x, np.float64), np.array(batch.y, np.float64)
        ok = np.isfinite(x) & np.isfinite(y)  # messages without a position stay NaN
        try:
            moved = transform_xy(np.column_stack([x[ok], y[ok], np.zeros(ok.sum())]),
                                 source.config.mapping.position_crs, self.project.crs)
        except ReadError:
            return np.zeros(0, np.int64)
        x[ok], y[ok] = moved[:, 0], moved[:, 1]
        return place_by_messages(layer, rows, batch.ids, x, y, grid)

    def _blink_step(self) -> None:
        self._blink = not self._blink
        for adapter in self._adapters():
            if adapter.has_alarms or not adapter.blink_on:
                adapter.set_blink(self._blink)

    def _adapters(self):
        from cimviewer.render.adapters.sensors import SensorAdapter

        return [a for a in self.shell.view.scene.adapters.values()
                if isinstance(a, SensorAdapter)]

    # --- picking, chart, fly-to -------------------------------------------------------------------
    def _on_selection(self, items=None) -> None:
        items = self.project.selection.items
        picked = []
        for uid, row in items:
            layer = self.project.layer_by_uid(uid)
            if isinstance(layer, SensorLayer) and 0 <= row < layer.n_sensors:
                picked.append((layer, row))
        if picked:
            self.chart_panel.show_sensors(picked)
            self.chart_dock.show()
            self.chart_dock.raise_()

    def fly_to_sensor(self, layer: SensorLayer, row: int) -> None:
        xyz = layer.table.xyz[row]
        if not np.isfinite(xyz).all():
            return
        bbox = np.concatenate([xyz - FLY_MARGIN_M, xyz + FLY_MARGIN_M])
        self.shell.view.fly_to_bbox(bbox)
        self.project.selection.set([(layer.uid, row)])

    # --- readings files ----------------------------------------------------------------------
    def add_readings_dialog(self) -> None:
        from cimviewer.ui.sensor_add_dialog import AddReadingsDialog

        dialog = AddReadingsDialog(self.shell.dialog_parent())
        if dialog.exec() == AddReadingsDialog.DialogCode.Accepted:
            self.add_readings(dialog.layer_name(), dialog.replay(), dialog.positions_path())

    def add_readings(self, name: str, replay, positions: str | None = None):
        """Read a readings file (and positions) off the GUI thread, then add the layer."""
        from cimviewer.io.sensors.readings import open_readings_layer
        from cimviewer.ui.tasks import Task

        crs = self.project.crs
        task = Task(lambda progress, cancelled: open_readings_layer(name, replay, positions,
                                                                     crs))
        task.signals.finished.connect(self._readings_opened)
        task.signals.failed.connect(self._readings_failed)
        self.shell.run_task(task)
        return task

    def _readings_opened(self, layer: SensorLayer) -> None:
        from cimviewer.geometry.placement import place_sensor_layers

        others = [lay for lay in self.project.layers if not isinstance(lay, SensorLayer)]
        place_sensor_layers([*others, layer])  # only the new layer: the others are placed
        self.project.add_layer(layer)
        unplaced = int((~layer.placed()).sum())
        log.info(self.tr("Added %s: %d sensors"), layer.name, layer.n_sensors)
        if unplaced:
            log.warning(self.tr("%d sensor(s) of %s have no position: their ids are not in the positions file and name no pole or building"),  # noqa: E501
                        unplaced, layer.name)

    def _readings_failed(self, message: str, details: str) -> None:
        log.error(message)
        log.debug(details)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Could not add the sensor readings"),
                          message, QMessageBox.StandardButton.Ok, self.shell.dialog_parent())
        box.setObjectName("sensor_message")
        box.open()  # not exec(): the window (and a kiosk's live feed) keeps running

    # --- live connections -------------------------------------------------------------------------
    def live_dialog(self) -> None:
        from cimviewer.io.sensors.mqtt import MqttConfig
        from cimviewer.ui.sensor_live_dialog import LiveDialog

        layers = self.layers()
        saved = layers[0].settings.live if layers else None
        history = layers[0].settings.history if layers else None
        dialog = LiveDialog(MqttConfig.from_dict(saved) if saved else None,
                            self.shell.dialog_parent(),
                            history=history)
        if dialog.exec() != LiveDialog.DialogCode.Accepted:
            return
        config = dialog.config()
        password = dialog.password.text() or None
        if password and config.username and dialog.remember.isChecked():
            self._remember(config, password)
        source = self.connect_live(config, password)
        layer = next((lay for lay in self.layers() if self.sources.get(lay.uid) is source),
                     None)
        if source is not None and layer is not None:
            layer.settings = layer.settings.with_(history=dialog.history.value())

    def _remember(self, config, password: str) -> None:
        from cimviewer.io.sensors.secrets import SecretStoreUnavailableError, store_password

        try:
            store_password(config.broker, config.username, password)
        except SecretStoreUnavailableError as exc:
            log.warning("%s", exc)
            QMessageBox.information(self.shell.dialog_parent(), self.tr("Password not saved"),
                                    str(exc))

    def connect_live(self, config, password: str | None = None,
                     layer: SensorLayer | None = None, go_live: bool = True):
        """Start feeding ``layer`` (default: the first sensor layer, or a new one);
        ``go_live`` also switches the map to the latest values."""
        from cimviewer.io.sensors.mqtt import BrokerAddressError, MqttSource

        if password is None and config.username:
            from cimviewer.io.sensors.secrets import SecretStoreUnavailableError, load_password

            try:
                password = load_password(config.broker, config.username)
            except SecretStoreUnavailableError as exc:
                log.warning("%s", exc)
        try:  # a bad id topic pattern or broker address: a message, not a traceback
            source = MqttSource(config, password=password,
                                on_state=lambda s, d: self._signals.state.emit(s, d))
        except ValueError as exc:  # the text only: a kept record must not hold the window
            log.error(self.tr("Live sensors not connected: %s"), str(exc))
            self._show_state("stopped", str(exc))
            return None
        if layer is None:
            layers = self.layers()
            layer = layers[0] if layers else self.project.add_layer(
                SensorLayer(self.tr("Live sensors")))
        old = self.sources.pop(layer.uid, None)
        if old is not None:
            old.stop()
        if layer.settings.live != config.to_dict():
            layer.settings = layer.settings.with_(live=config.to_dict())
        try:
            source.start()
        except BrokerAddressError as exc:
            log.error(self.tr("Live sensors not connected: %s"), exc)
            self._show_state("stopped", str(exc))
            return None
        self.sources[layer.uid] = source
        if go_live:
            self.project.time.set(live=True)
        return source

    def disconnect_all(self) -> None:
        for source in self.sources.values():
            source.stop()
        self.sources.clear()

    def _show_state(self, state: str, detail: str) -> None:
        names = {"connecting": self.tr("connecting"), "connected": self.tr("connected"),
                 "reconnecting": self.tr("reconnecting"), "stopped": self.tr("stopped")}
        self.status_label.setText(self.tr("Live sensors: {0} {1}").format(
            names.get(state, state), detail))
        if state == "reconnecting":
            log.warning("live sensors: %s", detail)

    def shutdown(self) -> None:
        self.apply_timer.stop()
        self.blink_timer.stop()
        self.disconnect_all()
