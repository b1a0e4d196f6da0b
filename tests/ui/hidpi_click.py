"""Run in a subprocess with QT_SCALE_FACTOR=2: click a building, print what was selected."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest

from cimviewer.core.camera import top_down_camera
from cimviewer.io.demo import open_demo_project
from cimviewer.testing import buildings_layer, roof_target
from cimviewer.ui.app import create_app
from cimviewer.ui.main_window import MainWindow

app = create_app("en")
project = open_demo_project()
window = MainWindow(project, settings=QSettings(sys.argv[1], QSettings.Format.IniFormat))
window.resize(700, 500)
window.show()
for _ in range(20):
    app.processEvents()
layer = buildings_layer(project)
index, target = roof_target(layer)
project.camera.state = top_down_camera(target, 150)
window.view.render()
x, y = window.view.world_to_display(target)
QTest.mouseClick(window.view.vtk_widget, Qt.MouseButton.LeftButton,
                 Qt.KeyboardModifier.NoModifier, QPoint(round(x), round(y)))
for _ in range(20):
    app.processEvents()
print(json.dumps({"ratio": window.view.vtk_widget.devicePixelRatioF(),
                  "selected": [i for _, i in project.selection.items], "expected": index}))
project.mark_saved()
window.close()
