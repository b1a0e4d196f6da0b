"""A planning dock that needs nothing from cimviewer.ui: only ctx.gui and cimviewer.api."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

SCORE = "planner_score"


def make_panel(ctx):
    return PlannerDock(ctx)


class PlannerDock(QWidget):
    def __init__(self, ctx) -> None:
        super().__init__()
        self.setObjectName("planner_dock")
        self.ctx, self.gui = ctx, ctx.gui
        self.algorithm = self.gui.algorithm("score")
        self.form = self.gui.parameter_form(self.algorithm, self)
        self.run_button = QPushButton("Run", self)
        self.run_button.clicked.connect(self.run)
        self.status = QLabel(self)
        self.task = None
        self.outputs = None
        self.runs = 0
        box = QVBoxLayout(self)
        for widget in (self.form, self.run_button, self.status):
            box.addWidget(widget)
        self.gui.add_action("tools", "Clear planner colours", self.clear,
                            object_name="planner_clear")
        self.gui.add_layout_part("panel", lambda: {"runs": self.runs}, self.restore)
        self.gui.project_replaced.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        self.form.set_value("weight", self.ctx.state().get("weight", 2.5))

    def restore(self, data) -> None:
        self.runs = int(data["runs"])

    def run(self):
        self.ctx.set_state({"weight": self.form.values()["weight"]})
        try:
            self.task = self.gui.run(self.algorithm, self.form.values(),
                                     on_finished=self.done, on_failed=self.status.setText,
                                     on_cancelled=lambda: self.status.setText("cancelled"))
        except ValueError as exc:
            self.status.setText(str(exc))
            return None
        return self.task

    def done(self, outputs) -> None:
        self.outputs = outputs
        self.runs += 1
        table = outputs["scores"].columns
        layer = self.form.values()["buildings"]
        self.gui.colour_by_values(layer, SCORE, dict(zip(table["object_index"], table["score"],
                                                         strict=True)), colormap="viridis")
        self.status.setText(f"best {outputs['best']:.1f}")

    def clear(self) -> None:
        layer = self.form.values()["buildings"]
        if layer is not None:
            self.gui.restore_style(layer, SCORE)
