"""The "Sunlight hours" dock: the algorithm's form, Run, buildings coloured by their
decisive hours (failing ones red) and a list of the failing buildings."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cimviewer.api import ValueClass

ATTRIBUTE = "sunlight_hours"


def make_panel(ctx):
    return SunlightDock(ctx)


class SunlightDock(QWidget):
    def __init__(self, ctx):
        super().__init__()
        self.ctx, self.gui = ctx, ctx.gui
        self.algorithm = self.gui.algorithm("hours")
        # the window follows the day preset (08-16 Major Cold, 09-15 Winter Solstice)
        self.form = self.gui.parameter_form(self.algorithm, self,
                                            exclude=("start_hour", "end_hour"))
        self.run_button = QPushButton(self.tr("Run"), self)
        self.run_button.clicked.connect(self.run)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.failing = QListWidget(self)
        self.failing.itemActivated.connect(self.fly_to)
        box = QVBoxLayout(self)
        box.addWidget(self.form)
        box.addWidget(self.run_button)
        box.addWidget(self.status)
        box.addWidget(QLabel(self.tr("Failing buildings"), self))
        box.addWidget(self.failing)
        self.layer = None
        self.gui.add_action("tools", self.tr("Clear sunlight colours"), self.clear)

    def run(self):
        values = self.form.values()
        try:
            self.gui.run(self.algorithm, values, on_finished=self.done,
                         on_failed=self.failed)
        except ValueError as exc:  # a ParameterError
            self.status.setText(str(exc))
            return
        self.layer = values.get("buildings")
        self.run_button.setEnabled(False)
        self.status.setText(self.tr("Computing…"))

    def failed(self, message):
        self.run_button.setEnabled(True)
        self.status.setText(message)

    def done(self, outputs):
        self.run_button.setEnabled(True)
        self.failing.clear()
        table = outputs.get("buildings_table")
        values = self.form.values()
        if table is None or self.layer is None:  # ground grid: the drape shows it
            self.status.setText(self.tr("Done: see the ground sunlight layer"))
            return
        cols = table.columns
        required = float(values["required_hours"])
        key = "max_hours" if values["pass_rule"] == "any" else "min_hours"
        hours = dict(zip(cols["object_index"], cols[key], strict=True))
        self.gui.colour_by_values(self.layer, ATTRIBUTE, hours, fixed_classes=[
            ValueClass(0.0, (215, 48, 39), self.tr("below %1 h").replace("%1", f"{required:g}")),
            ValueClass(required, (26, 152, 80),
                       self.tr("%1 h or more").replace("%1", f"{required:g}"))])
        for index, ident, h, ok in zip(cols["object_index"], cols["object_id"], cols[key],
                                       cols["passes"], strict=True):
            if not ok:
                item = QListWidgetItem(f"{ident or index}: {h:.2f} h", self.failing)
                item.setData(256, int(index))  # Qt.UserRole
        share = outputs.get("pass_share") or 0.0
        self.status.setText(self.tr("%1 of the buildings pass; %2 fail").replace(
            "%1", f"{share:.0%}").replace("%2", str(self.failing.count())))

    def fly_to(self, item):
        if self.layer is None:
            return
        mesh = self.layer.model.mesh_for_lod(self.layer.lod)
        tris = mesh.triangles[mesh.tri_object == item.data(256)]
        if len(tris):
            v = mesh.vertices[np.unique(tris)]
            self.gui.fly_to_bbox(np.concatenate([v.min(axis=0), v.max(axis=0)]))

    def clear(self):
        if self.layer is not None:
            self.gui.restore_style(self.layer, ATTRIBUTE)
        self.failing.clear()
