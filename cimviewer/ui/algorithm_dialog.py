"""The form for one algorithm, built from its parameter declarations.

Input is validated before running; the run happens on a worker thread with a progress
bar and Cancel. An algorithm that does not stop within ``GRACE_SECONDS`` of Cancel is
abandoned: the dialog and the window stay usable and the user is told which plugin
hung. Output layers are added to the project; tables are written to its data folder.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cimviewer.algorithms import parameters as params_
from cimviewer.algorithms.base import Algorithm, Context
from cimviewer.algorithms.outputs import LayerOutput
from cimviewer.algorithms.runner import execute, validate
from cimviewer.algorithms.writers import write_outputs
from cimviewer.core.layers import Layer
from cimviewer.ui.tasks import Task

if TYPE_CHECKING:
    from cimviewer.ui.plugin_host import PluginHost

log = logging.getLogger("cimviewer")


class AlgorithmDialog(QDialog):
    GRACE_SECONDS = 3.0

    def __init__(self, host: PluginHost, algorithm: Algorithm, parent: QWidget | None = None):
        super().__init__(parent)
        self.host = host
        self.algorithm = algorithm
        self.project = host.window.project
        self.plugin = algorithm.qualified_name.partition(".")[0]
        self.task: Task | None = None
        self.abandoned: list[Task] = []
        self.last_summary: dict[str, Any] | None = None
        entry = host.manager.algorithms.get(algorithm.qualified_name)
        title = entry.title(host.manager.language) if entry else algorithm.title
        self.setWindowTitle(title)
        self.setObjectName(f"algorithm_dialog_{algorithm.qualified_name}")
        self.widgets: dict[str, QWidget] = {}

        layout = QVBoxLayout(self)
        if algorithm.description:
            about = QLabel(algorithm.description, self)
            about.setWordWrap(True)
            layout.addWidget(about)
        form = QFormLayout()
        for param in algorithm.parameters():
            widget = self._widget_for(param)
            widget.setToolTip(param.description)
            self.widgets[param.name] = widget
            form.addRow(param.label + ("" if param.optional else " *"), widget)
        self.dask_box = QCheckBox(self.tr("Run the tasks on dask"), self)
        self.scheduler = QLineEdit(self)
        self.scheduler.setPlaceholderText(self.tr("scheduler address (empty: local cluster)"))
        if algorithm.splits:
            form.addRow(self.dask_box)
            form.addRow(self.tr("Dask scheduler"), self.scheduler)
        layout.addLayout(form)
        for param in algorithm.parameters():
            if isinstance(param, params_.FieldParam) and param.layer in self.widgets:
                self._link_field(param)

        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        layout.addWidget(self.progress)
        self.results = QPlainTextEdit(self)
        self.results.setReadOnly(True)
        self.results.setMinimumHeight(140)
        layout.addWidget(self.results)
        buttons = QHBoxLayout()
        self.run_button = QPushButton(self.tr("Run"), self)
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.close)
        buttons.addStretch(1)
        for button in (self.run_button, self.cancel_button, close):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.resize(520, 480)

    # --- widgets ----------------------------------------------------------------------
    def _widget_for(self, param: params_.Parameter) -> QWidget:
        if isinstance(param, params_.Number):
            box = QSpinBox(self) if param.integer else QDoubleSpinBox(self)
            if isinstance(box, QDoubleSpinBox):
                box.setDecimals(3)
            box.setRange(param.minimum if param.minimum is not None else -1e9,
                         param.maximum if param.maximum is not None else 1e9)
            if param.unit:
                box.setSuffix(f" {param.unit}")
            if param.default is not None:
                box.setValue(param.default)
            return box
        if isinstance(param, params_.Enum):
            combo = QComboBox(self)
            for value in param.choices:
                combo.addItem(param.labels.get(value, value), value)
            if param.default in param.choices:
                combo.setCurrentIndex(list(param.choices).index(param.default))
            return combo
        if isinstance(param, params_.Bool):
            check = QCheckBox(self)
            check.setChecked(bool(param.default))
            return check
        if isinstance(param, params_.LayerParam):
            combo = QComboBox(self)
            if param.optional:
                combo.addItem(self.tr("(none)"), None)
            for layer in self.project.layers:
                if param.accepts(layer):
                    combo.addItem(layer.name, layer.uid)
            return combo
        if isinstance(param, params_.FieldParam):
            combo = QComboBox(self)
            combo.setEditable(True)
            return combo
        if isinstance(param, params_.FileParam):
            return self._file_widget(param)
        if isinstance(param, (params_.PointParam, params_.PolygonParam)):
            return self._map_widget(param)
        edit = QLineEdit(self)
        if isinstance(param, params_.CRSParam):
            edit.setText(str(param.default or self.project.crs or ""))
        elif param.default is not None:
            edit.setText(str(param.default))
        return edit

    def _map_widget(self, param: params_.PointParam | params_.PolygonParam) -> QWidget:
        """Coordinates as text, or picked in the 3D view: one click for a point, a click
        per corner for a polygon (until the button is released)."""
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        edit = QLineEdit(box)
        edit.setPlaceholderText(param.cli_hint())
        if param.default is not None:
            edit.setText(str(param.default))
        pick = QPushButton(self.tr("Pick on map"), box)
        pick.setObjectName("pick")
        pick.setCheckable(True)
        polygon = isinstance(param, params_.PolygonParam)
        pick.setToolTip(self.tr("Click the corners in the 3D view, then release this button")
                        if polygon else self.tr("Click a point in the 3D view"))
        view = getattr(self.host.window, "view", None)

        def clicked(world) -> None:
            text = f"{world[0]:.2f},{world[1]:.2f}"
            if polygon:
                current = edit.text().strip()
                edit.setText(f"{current};{text}" if current else text)
            else:
                edit.setText(text)
                pick.setChecked(False)

        def toggled(on: bool) -> None:
            if view is None:
                return
            if on:
                if polygon:
                    edit.clear()
                view.clicked_world.connect(clicked)
            else:
                with contextlib.suppress(RuntimeError, TypeError):  # already disconnected
                    view.clicked_world.disconnect(clicked)

        pick.toggled.connect(toggled)
        self.destroyed.connect(lambda _o=None: toggled(False))
        row.addWidget(edit)
        row.addWidget(pick)
        return box

    def _file_widget(self, param: params_.FileParam) -> QWidget:
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        edit = QLineEdit(box)
        edit.setObjectName("path")
        if param.default is not None:
            edit.setText(str(param.default))
        browse = QPushButton("…", box)
        pattern = " ".join(f"*{s}" for s in param.suffixes) or "*"

        def choose() -> None:
            if param.mode == "save":
                path, _ = QFileDialog.getSaveFileName(self, param.label, edit.text(), pattern)
            else:
                path, _ = QFileDialog.getOpenFileName(self, param.label, edit.text(), pattern)
            if path:
                edit.setText(path)
        browse.clicked.connect(choose)
        row.addWidget(edit, 1)
        row.addWidget(browse)
        return box

    def _link_field(self, param: params_.FieldParam) -> None:
        layer_combo = self.widgets[param.layer]
        field_combo = self.widgets[param.name]

        def refill() -> None:
            current = field_combo.currentText() or str(param.default or "")
            field_combo.clear()
            layer = self.project.layer_by_uid(layer_combo.currentData() or "")
            if layer is not None:
                field_combo.addItems(params_.layer_fields(layer, param.numeric))
            field_combo.setCurrentText(current)
        layer_combo.currentIndexChanged.connect(lambda _i: refill())
        refill()

    def raw_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for param in self.algorithm.parameters():
            w = self.widgets[param.name]
            if isinstance(w, (QSpinBox, QDoubleSpinBox)):
                values[param.name] = w.value()
            elif isinstance(w, QCheckBox):
                values[param.name] = w.isChecked()
            elif isinstance(w, QComboBox) and isinstance(param, params_.LayerParam):
                values[param.name] = self.project.layer_by_uid(w.currentData() or "")
            elif isinstance(w, QComboBox) and isinstance(param, params_.Enum):
                values[param.name] = w.currentData()
            elif isinstance(w, QComboBox):
                values[param.name] = w.currentText()
            elif isinstance(w, QLineEdit):
                values[param.name] = w.text()
            else:  # a file or coordinates: a line edit with a button
                values[param.name] = w.findChild(QLineEdit).text()
        return values

    def set_value(self, name: str, value: Any) -> None:
        """Set a form field (tests and scripted use)."""
        w = self.widgets[name]
        if isinstance(w, (QSpinBox, QDoubleSpinBox)):
            w.setValue(value)
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QComboBox):
            index = w.findData(value.uid if isinstance(value, Layer) else value)
            if index < 0:
                index = w.findText(str(value))
            if index >= 0:
                w.setCurrentIndex(index)
            elif w.isEditable():
                w.setCurrentText(str(value))
        elif isinstance(w, QLineEdit):
            w.setText(str(value))
        else:
            w.findChild(QLineEdit).setText(str(value))

    # --- running ----------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.task is not None

    def run(self) -> Task | None:
        if self.running:
            return None
        try:
            params = validate(self.algorithm, self.raw_values())
        except params_.ParameterError as exc:
            self._show_status(str(exc), error=True)
            return None
        backend = None
        if self.algorithm.splits and self.dask_box.isChecked():
            from cimviewer.algorithms.backends import DaskBackend

            backend = DaskBackend(self.scheduler.text().strip() or None)
        algorithm, project, plugin = self.algorithm, self.project, self.plugin
        path_for = self._path_for()

        def work(progress, cancelled) -> tuple[dict[str, Any], dict[str, Any]]:
            ctx = Context(progress=progress, cancelled=cancelled, project=project, plugin=plugin)
            outputs = execute(algorithm, params, ctx, backend)
            return outputs, write_outputs(algorithm, outputs, path_for)

        task = Task(work)
        task.signals.progress.connect(lambda f, t=task: self._on_progress(t, f))
        task.signals.finished.connect(lambda result, t=task: self._on_finished(t, result))
        task.signals.failed.connect(lambda msg, details, t=task: self._on_failed(t, msg, details))
        self.task = task
        self.progress.setValue(0)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self._show_status(self.tr("Running…"))
        # a thread of its own: a plugin that hangs must not block the shared task pool
        threading.Thread(target=task.run, daemon=True,
                         name=f"algorithm-{algorithm.qualified_name}").start()
        return task

    def _path_for(self):
        from cimviewer.io.project.paths import result_path

        plugin, _, alg = self.algorithm.qualified_name.partition(".")
        project = self.project
        return lambda name, suffix: result_path(project, f"{plugin}/{alg}/{name}{suffix}")

    def cancel(self) -> None:
        task = self.task
        if task is None:
            return
        task.cancel()
        self.cancel_button.setEnabled(False)
        self._show_status(self.tr("Cancelling…"))
        QTimer.singleShot(int(self.GRACE_SECONDS * 1000), lambda: self._abandon(task))

    def _abandon(self, task: Task) -> None:
        if self.task is not task:
            return
        self.abandoned.append(task)
        self._idle()
        text = self.tr("{0} did not stop within {1:g} s of Cancel; it was abandoned.")
        message = text.format(self.algorithm.qualified_name, self.GRACE_SECONDS)
        self._show_status(message, error=True)
        self.host.manager.report(self.plugin, f"{self.algorithm.qualified_name} did not stop on "
                                              f"Cancel within {self.GRACE_SECONDS:g} s; abandoned")

    def _idle(self) -> None:
        self.task = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _on_progress(self, task: Task, fraction: float) -> None:
        if task is self.task:
            self.progress.setValue(int(fraction * 100))

    def _on_failed(self, task: Task, message: str, details: str) -> None:
        if task is not self.task:
            return
        self._idle()
        if message.startswith("Cancelled"):
            self._show_status(self.tr("Cancelled."))
            return
        self._show_status(self.tr("{0} failed: {1}").format(
            self.algorithm.qualified_name, message), error=True)
        log.debug(details)
        self.host.manager.report(self.plugin, f"{self.algorithm.qualified_name}: {message}")

    def _on_finished(self, task: Task, result: tuple[dict[str, Any], dict[str, Any]]) -> None:
        if task is not self.task:
            return
        self._idle()
        outputs, summary = result
        self.last_summary = summary
        self.progress.setValue(100)
        self._add_layers(outputs, summary)
        self.results.setPlainText(format_summary(summary))
        self._show_status(self.tr("Done."))
        log.info(self.tr("%s finished"), self.algorithm.qualified_name)

    def _add_layers(self, outputs: dict[str, Any], summary: dict[str, Any]) -> None:
        from cimviewer.io.layers import layer_from_dataset

        for decl in self.algorithm.outputs():
            value = outputs.get(decl.name)
            if not isinstance(decl, LayerOutput) or value is None:
                continue
            source = summary.get(decl.name, {}).get("path")
            layer = value if isinstance(value, Layer) else layer_from_dataset(
                value, decl.label, source)
            if source and layer.source is None:
                layer.source = Path(source)
            self.project.add_layer(layer)

    def _show_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "")

    def closeEvent(self, event) -> None:
        if self.task is not None:
            self.task.cancel()
            self.abandoned.append(self.task)
            self.task = None
        super().closeEvent(event)


def format_summary(summary: dict[str, Any]) -> str:
    lines = []
    for name, out in summary.items():
        label = out.get("label", name)
        if "path" in out:
            lines.append(f"{label}: {out['path']}")
        elif "value" in out:
            value = out["value"]
            text = f"{value:,.2f}" if isinstance(value, float) else str(value)
            lines.append(f"{label}: {text} {out.get('unit', '')}".rstrip())
        elif "text" in out:
            lines += [f"{label}:", out["text"].rstrip()]
        else:
            lines.append(f"{label}: {out.get('kind', out.get('type'))}")
    return "\n".join(lines)
