"""The form for one algorithm, built from its parameter declarations.

Input is validated before running; the run happens on a worker thread with a progress
bar and Cancel. An algorithm that does not stop within ``GRACE_SECONDS`` of Cancel is
abandoned: the dialog and the window stay usable and the user is told which plugin
hung. Output layers are added to the project; tables are written to its data folder.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cimviewer.algorithms import parameters as params_
from cimviewer.algorithms.backends import make_backend
from cimviewer.algorithms.base import Algorithm
from cimviewer.algorithms.outputs import LayerOutput
from cimviewer.algorithms.runner import validate
from cimviewer.algorithms.writers import write_outputs
from cimviewer.core.layers import Layer
from cimviewer.core.project import Project
from cimviewer.ui.algorithm_task import AlgorithmTask
from cimviewer.ui.parameter_form import ParameterForm

if TYPE_CHECKING:
    from cimviewer.ui.plugin_host import PluginHost

log = logging.getLogger("cimviewer")


class AlgorithmDialog(QDialog):
    GRACE_SECONDS = 3.0

    def __init__(self, host: PluginHost, algorithm: Algorithm, parent: QWidget | None = None):
        super().__init__(parent)
        self.host = host
        self.algorithm = algorithm
        self.project = host.shell.project
        self.plugin = algorithm.qualified_name.partition(".")[0]
        self.task: AlgorithmTask | None = None
        self.abandoned: list[AlgorithmTask] = []
        self.last_summary: dict[str, Any] | None = None
        entry = host.manager.algorithms.get(algorithm.qualified_name)
        title = entry.title(host.manager.language) if entry else algorithm.title
        self.setWindowTitle(title)
        self.setObjectName(f"algorithm_dialog_{algorithm.qualified_name}")

        layout = QVBoxLayout(self)
        if algorithm.description:
            about = QLabel(host.manager.texts(self.plugin).get(algorithm.description,
                                                               algorithm.description), self)
            about.setWordWrap(True)
            layout.addWidget(about)
        self.form = ParameterForm(algorithm, self.project, host.shell, self,
                                  texts=host.manager.texts(self.plugin))
        layout.addWidget(self.form)
        form = QFormLayout()
        self.dask_box = QCheckBox(self.tr("Run the tasks on dask"), self)
        self.scheduler = QLineEdit(self)
        self.scheduler.setPlaceholderText(self.tr("scheduler address (empty: local cluster)"))
        if algorithm.splits:
            form.addRow(self.dask_box)
            form.addRow(self.tr("Dask scheduler"), self.scheduler)
        else:  # not laid out: hidden, or they would be drawn over the form's corner
            self.dask_box.hide()
            self.scheduler.hide()
        layout.addLayout(form)

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
        self.details_button = QPushButton(self.tr("Details…"), self)
        self.details_button.setToolTip(self.tr("The full error report of the last failure"))
        self.details_button.setEnabled(False)
        self.details_button.clicked.connect(self.show_details)
        self.details = ""
        buttons.addWidget(self.details_button)
        buttons.addStretch(1)
        for button in (self.run_button, self.cancel_button, close):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.resize(520, 480)

    # --- the form ---------------------------------------------------------------------
    @property
    def widgets(self) -> dict[str, QWidget]:
        return self.form.widgets

    def raw_values(self) -> dict[str, Any]:
        return self.form.raw_values()

    def set_value(self, name: str, value: Any) -> None:
        """Set a form field (tests and scripted use)."""
        self.form.set_value(name, value)

    # --- running ----------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.task is not None

    def run(self) -> AlgorithmTask | None:
        if self.running:
            return None
        try:
            params = validate(self.algorithm, self.raw_values())
        except params_.ParameterError as exc:
            self._show_status(str(exc), error=True)
            return None
        dask = bool(self.algorithm.splits and self.dask_box.isChecked())
        backend = make_backend("dask" if dask else "local",
                               (self.scheduler.text().strip() or None) if dask else None)
        path_for = self._path_for()
        algorithm = self.algorithm
        task = AlgorithmTask(algorithm, params, self.project, plugin=self.plugin,
                             backend=backend,
                             after=lambda outputs: write_outputs(algorithm, outputs, path_for),
                             grace_seconds=self.GRACE_SECONDS, parent=self)
        task.progress.connect(lambda f: self.progress.setValue(int(f * 100)))
        task.finished.connect(lambda result, t=task: self._on_finished(t, result))
        task.failed.connect(lambda message, t=task: self._on_failed(t, message))
        task.cancelled.connect(lambda t=task: self._on_cancelled(t))
        task.abandoned.connect(lambda message, t=task: self._abandon(t, message))
        self.task = task
        self.progress.setValue(0)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self._show_status(self.tr("Running…"))
        return task.start()

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

    def _abandon(self, task: AlgorithmTask, message: str) -> None:
        if self.task is not task:
            return
        self.abandoned.append(task)
        self._idle()
        text = self.tr("{0} did not stop within {1:g} s of Cancel; it was abandoned.")
        self._show_status(text.format(self.algorithm.qualified_name, self.GRACE_SECONDS),
                          error=True)
        self.host.manager.report(self.plugin, message)

    def _idle(self) -> None:
        self.task = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _on_cancelled(self, task: AlgorithmTask) -> None:
        if task is self.task:
            self._idle()
            self._show_status(self.tr("Cancelled."))

    def _on_failed(self, task: AlgorithmTask, message: str) -> None:
        if task is not self.task:
            return
        self._idle()
        self.details = task.details
        self.details_button.setEnabled(bool(self.details))
        self._show_status(self.tr("{0} failed: {1}").format(
            self.algorithm.qualified_name, message), error=True)
        self.host.manager.report(self.plugin, f"{self.algorithm.qualified_name}: {message}")

    def _on_finished(self, task: AlgorithmTask,
                     result: tuple[dict[str, Any], dict[str, Any]]) -> None:
        if task is not self.task:
            return
        self._idle()
        outputs, summary = result
        self.last_summary = summary
        self.progress.setValue(100)
        add_output_layers(self.project, self.algorithm, outputs, summary)
        self.results.setPlainText(format_summary(summary))
        self._show_status(self.tr("Done."))
        log.info(self.tr("%s finished"), self.algorithm.qualified_name)

    def show_details(self) -> None:
        """Put the last failure's traceback into the results box (copyable)."""
        self.results.setPlainText(self.details)

    def _show_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "")

    def closeEvent(self, event) -> None:
        if self.task is not None:
            self.task.forget()
            self.abandoned.append(self.task)
            self.task = None
        super().closeEvent(event)


def add_output_layers(project: Project, algorithm: Algorithm, outputs: dict[str, Any],
                      summary: dict[str, Any] | None = None) -> list[Layer]:
    """Add an algorithm's layer outputs to ``project`` (datasets become layers named by
    their declaration; a written file becomes the layer's source)."""
    from cimviewer.io.layers import layer_from_dataset

    added = []
    for decl in algorithm.outputs():
        value = outputs.get(decl.name)
        if not isinstance(decl, LayerOutput) or value is None:
            continue
        source = (summary or {}).get(decl.name, {}).get("path")
        layer = value if isinstance(value, Layer) else layer_from_dataset(
            value, decl.label, source)
        if source and layer.source is None:
            layer.source = Path(source)
        added.append(project.add_layer(layer))
    return added


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
        elif "values" in out:
            shown = ", ".join(str(v) for v in out["values"][:20])
            more = len(out["values"]) - 20
            lines.append(f"{label}: {shown}" + (f" … (+{more})" if more > 0 else ""))
        else:
            lines.append(f"{label}: {out.get('kind', out.get('type'))}")
    return "\n".join(lines)
