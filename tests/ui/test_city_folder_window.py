"""File > Open folder of tiles: a folder of CityJSON files becomes one streamed layer."""

from __future__ import annotations

import pytest

from tests.io.cityfolder import write_city_folder

pytestmark = pytest.mark.gui


def test_open_folder_of_tiles_action(cim_main_window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    folder = write_city_folder(tmp_path / "bag_tiles")
    window = cim_main_window()
    assert window.open_folder_action in window.file_menu.actions()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *args, **kwargs: str(folder)))
    window.open_folder_action.trigger()
    qtbot.waitUntil(lambda: bool(window.project.layers), timeout=20000)
    layer = window.project.layers[-1]
    assert layer.name == "bag_tiles" and layer.model.streamed
    assert len(layer.model.objects) == 17
    assert layer.source == folder
