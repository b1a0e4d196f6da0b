from __future__ import annotations

import pytest

from tests.conftest import needs_display


@pytest.fixture
def main_window(qtbot, demo_project, tmp_path):
    """The real main window on the (virtual) X screen, showing the demo city."""
    needs_display()
    from PySide6.QtCore import QSettings

    from cimviewer.ui.app import create_app
    from cimviewer.ui.main_window import MainWindow

    create_app("en")
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(demo_project, settings=settings)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    window.view.render()
    yield window
    window.project.mark_saved()  # tests change the project: closing must not ask to save
    window.close()
