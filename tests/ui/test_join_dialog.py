"""Joining a table in the real window: the layer's context menu opens the dialog, the
preview counts matches before applying, and joined fields colour the buildings, fill
the legend and show in the inspector."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from cimviewer.core.layers import CityModelLayer
from cimviewer.core.project import Project
from cimviewer.testing import make_city, roof_target, window_frame

pytestmark = pytest.mark.gui


def test_join_dialog_applies_a_csv_join(cim_main_window, qtbot, tmp_path):
    path = tmp_path / "people.csv"
    # GBK, as an agency would publish it; B0..B3 get rising populations, Q1 matches none
    path.write_bytes("编号,人口,区\nB0,10,东城\nB1,20,西城\nB2,30,东城\nB3,40,西城\nQ1,5,外\n"
                     .encode("gbk"))
    project = Project()
    window = cim_main_window(project=project)
    layer = project.add_layer(CityModelLayer("city", make_city(4)))
    window.layer_panel.select(layer)

    menu = window.layer_panel.context_menu(layer)
    join = next(a for a in menu.actions() if a.objectName() == "join_table")
    join.trigger()
    dialog = window.join_controller.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.kind.setCurrentIndex(dialog.kind.findData("csv"))
    dialog.path.setText(str(path))
    dialog.read_button.click()
    assert "gb18030" in dialog.status.text()
    assert [dialog.table_key.itemText(i) for i in range(dialog.table_key.count())] == [
        "编号", "人口", "区"]
    dialog.table_key.setCurrentText("编号")
    assert dialog.preview.text().startswith("4 objects matched; 1 table rows without an object")
    dialog.apply_button.click()
    assert dialog.joins.count() == 1
    assert layer.model.objects.attributes[2]["人口"] == 30
    assert project.modified

    # the style panel offers the joined numbers; classes come from the joined values
    style = window.layer_panel.style_panel
    style.mode.setCurrentIndex(style.mode.findData("graduated"))
    assert style.attribute.findData("人口") >= 0
    style.attribute.setCurrentIndex(style.attribute.findData("人口"))
    style.classes.setValue(2)
    style.classification.setCurrentIndex(style.classification.findData("equal_interval"))
    assert layer.style.attribute == "人口"
    labels = [window.legend_panel.tree.topLevelItem(i).text(1)
              for i in range(window.legend_panel.tree.topLevelItemCount())]
    assert labels == ["10 – 25", "25 – 40"]

    # the buildings are drawn in their class colours (viridis: purple low, yellow high)
    window.view.scene.reset_camera()
    QApplication.processEvents()
    frame = window_frame(window)
    pixels = []
    for index in (0, 3):
        _, point = roof_target(layer, index)
        qx, qy = window.view.world_to_display(point)
        vx, vy = window.view.display_to_vtk(qx, qy)
        pixels.append(frame[vy, vx].astype(int))
    low, high = pixels
    assert high[1] > low[1] + 60, (low, high)  # yellow is far greener than purple

    # the inspector shows the joined fields of a picked building
    project.selection.set([(layer.uid, 1)])
    assert window.inspector.value_of("人口") == "20"
    assert window.inspector.value_of("区") == "西城"

    # removing the join takes the fields away again
    dialog.joins.setCurrentRow(0)
    dialog.remove_button.click()
    assert "人口" not in layer.model.objects.attributes[2]
    assert layer.joins == []
    dialog.close()


def test_missing_table_at_open_is_shown_and_applied_again(cim_main_window, qtbot, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    from cimviewer.core.joins import JoinSpec
    from cimviewer.io.joins import open_join
    from cimviewer.io.layers import open_layer
    from cimviewer.io.project.file import save_project
    from tests.io.project.data import write_cityjson

    csv_path = tmp_path / "people.csv"
    csv_path.write_text("id,people\nB0,5\nB1,7\n", encoding="utf-8")
    project = Project()
    layer = project.add_layer(open_layer(write_cityjson(tmp_path / "b.city.json", n=2)))
    open_join(layer, JoinSpec("csv", "id", path=str(csv_path)))
    saved = save_project(project, tmp_path / "p.cimproj")
    hidden = csv_path.rename(tmp_path / "elsewhere.csv")

    window = cim_main_window()
    window.project_controller.open_file(saved)
    qtbot.waitUntil(lambda: not window.tasks and len(window.project.layers) == 1,
                    timeout=20000)
    box = window.findChild(QMessageBox, "project_message")
    assert box is not None and box.isVisible()
    assert box.text().startswith("1 table join(s) could not be applied, first people.csv: ")
    assert "file does not exist" in box.text()
    box.close()
    layer = window.project.layers[0]
    assert isinstance(layer, CityModelLayer) and not layer.joins[0].applied

    hidden.rename(csv_path)  # the table is back: apply the kept join again
    window.layer_panel.select(layer)
    dialog = window.join_controller.open_dialog()
    assert "not applied" in dialog.joins.item(0).text()
    dialog.joins.setCurrentRow(0)
    dialog.again_button.click()
    assert layer.joins[0].applied and "2 objects" in dialog.joins.item(0).text()
    ids = layer.model.objects.ids
    assert layer.model.objects.attributes[ids.index("B1")]["people"] == 7
    dialog.close()


def test_join_dialog_reads_a_postgres_table_and_keeps_the_password_apart(
        cim_main_window, pg_server, memory_keyring, monkeypatch, tmp_path):
    from cimviewer.io.layers import open_layer
    from cimviewer.io.project.file import save_project
    from cimviewer.io.tables import postgres
    from tests.io.project.data import write_cityjson

    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    postgres.forget_session_passwords()
    project = Project()
    window = cim_main_window(project=project)
    layer = project.add_layer(open_layer(write_cityjson(tmp_path / "b.city.json", n=3)))
    window.layer_panel.select(layer)
    window.shell.menu("layer").actions()[0].trigger()  # Layer > Join table…
    dialog = window.join_controller.dialog
    dialog.kind.setCurrentIndex(dialog.kind.findData("postgres"))
    assert dialog.database.isVisible() and not dialog.file_row.isVisible()
    dialog.host.setText(pg_server.host)
    dialog.port.setValue(pg_server.port)
    dialog.dbname.setText(pg_server.dbname)
    dialog.user.setText(pg_server.user)
    dialog.password.setText("wrong")
    dialog.list_button.click()
    assert "authentication failed for user 'cim'" in dialog.status.text()
    dialog.password.setText(pg_server.password)
    dialog.remember.setChecked(True)
    dialog.list_button.click()
    names = [dialog.table_name.itemText(i) for i in range(dialog.table_name.count())]
    assert names == ["households", "planning.parcels"]
    dialog.table_name.setCurrentText("households")
    dialog.read_button.click()
    assert dialog.table_key.currentText() == "building_id"
    assert dialog.preview.text().startswith("3 objects matched; 1 table rows without an object")
    dialog.apply_button.click()
    ids = layer.model.objects.ids
    assert [layer.model.objects.attributes[ids.index(f"B{i}")].get("district")
            for i in range(3)] == ["东城", "西城", "东城"]
    account = f"cim@127.0.0.1:{pg_server.port}"
    assert memory_keyring.store[("cimviewer-postgres", account)] == pg_server.password
    text = save_project(project, tmp_path / "p.cimproj").read_text(encoding="utf-8")
    assert '"dbname": "city"' in text and pg_server.password not in text
    dialog.close()
    postgres.forget_session_passwords()
