"""The plugin tutorial in docs/plugins.md is a working plugin: its code blocks, written to
files exactly as the page shows them, pass `plugin check` and run from the CLI and the
GUI, each output kind arriving as the page says."""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from cimviewer.cli import main
from cimviewer.core.layers import CityModelLayer, RasterLayer, VectorLayer
from cimviewer.core.legend import layer_legend
from cimviewer.io.demo import demo_building_path
from cimviewer.io.layers import open_layer

DOC = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"
ROADS = demo_building_path().parent / "roads.gpkg"
BLOCK = re.compile(r"^```(?:toml|python) file=(\S+)\n(.*?)^```", re.S | re.M)


@pytest.fixture(autouse=True)
def _forget_the_tutorial_package():
    """Each test imports the plugin from its own folder."""
    def forget() -> None:
        for name in [n for n in sys.modules if n == "noise_demo" or n.startswith("noise_demo.")]:
            del sys.modules[name]
    forget()
    yield
    forget()


def write_tutorial_plugin(folder: Path) -> Path:
    """The tutorial's files under ``folder``; returns the plugin's folder."""
    blocks = BLOCK.findall(DOC.read_text(encoding="utf-8"))
    names = [name for name, _code in blocks]
    assert names == ["noise_demo/plugin.toml", "noise_demo/__init__.py",
                     "noise_demo/algorithms.py"], names
    for name, code in blocks:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(code, encoding="utf-8")
    return folder / "noise_demo"


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_tutorial_plugin_passes_check_and_runs_from_the_cli(tmp_path, capsys):
    from cimviewer.plugins.discovery import user_folder

    plugin = write_tutorial_plugin(user_folder())
    code, out, err = run_cli(capsys, "plugin", "check", str(plugin))
    assert code == 0, out + err
    code, out, err = run_cli(capsys, "run", "noise_demo.noise", "-p", f"roads={ROADS}:roads",
                             "-p", f"buildings={demo_building_path()}", "-p", "lod=1",
                             "--out", str(tmp_path / "noise"), "--json")
    assert code == 0, err
    outputs = json.loads(out)["outputs"]
    # a value raster: a GeoTIFF that opens again as values, in the tutorial's bands
    assert outputs["noise"]["kind"] == "raster"
    raster = open_layer(outputs["noise"]["path"])
    assert isinstance(raster, RasterLayer) and raster.grid.unit == "dB(A)"
    assert [label for label, _c in layer_legend(raster).rows] == [
        "≥ 65 dB(A)", "55 – 65 dB(A)", "< 55 dB(A)"]
    assert np.nanmax(raster.grid.values) > 65 > np.nanmin(raster.grid.values)
    # a city model with the new attribute
    assert outputs["buildings"]["kind"] == "citymodel"
    city = open_layer(outputs["buildings"]["path"])
    levels = [a["noise_db"] for a in city.model.objects.attributes if "noise_db" in a]
    assert len(levels) == outputs["buildings"]["objects"] - sum(
        1 for a in city.model.objects.attributes if "noise_db" not in a)
    # vector points, a table, a number, values and a report that agree with each other
    loudest = open_layer(outputs["loudest"]["path"])
    assert isinstance(loudest, VectorLayer) and loudest.data.n_features == 10
    with open(outputs["levels"]["path"], encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(levels)
    over = [r["id"] for r in rows if float(r["noise_db"]) >= 65]
    assert outputs["over_limit"]["value"] == len(over) > 0
    assert outputs["over_limit_ids"]["values"] == over[:20]
    assert max(float(r["noise_db"]) for r in rows) == pytest.approx(
        max(loudest.data.columns["noise_db"]))
    assert f"{len(over)} at or above 65 dB(A)" in outputs["report"]["text"]
    # the LoD must be one of those of the buildings given
    code, _out, err = run_cli(capsys, "run", "noise_demo.noise", "-p", f"roads={ROADS}:roads",
                              "-p", f"buildings={demo_building_path()}", "-p", "lod=3",
                              "--out", str(tmp_path / "bad"))
    assert code == 2 and "'3' is not one of" in err


@pytest.mark.gui
def test_the_tutorial_plugin_runs_in_the_window(cim_main_window, tmp_path, qtbot):
    from cimviewer.core.project import Project

    plugin = write_tutorial_plugin(tmp_path / "plugins")
    project = Project()
    buildings = project.add_layer(open_layer(demo_building_path(), name="Buildings"))
    roads = project.add_layer(open_layer(ROADS, name="Roads", project_crs=buildings.crs,
                                         options={"layer": "roads"}))
    project.path = tmp_path / "district.cimproj"
    window = cim_main_window(plugin, project=project)
    dialog = window.plugin_host.open_algorithm("noise_demo.noise")
    lod = dialog.form.widgets["lod"]
    assert [lod.itemData(i) for i in range(lod.count())] == buildings.model.lods
    dialog.set_value("roads", roads)
    dialog.set_value("buildings", buildings)
    dialog.set_value("lod", buildings.model.lods[0])
    dialog.run()
    qtbot.waitUntil(lambda: not dialog.running, timeout=60000)
    assert dialog.last_summary is not None, dialog.status.text()
    added = {type(layer): layer for layer in window.project.layers[2:]}
    assert set(added) == {RasterLayer, CityModelLayer, VectorLayer}
    raster = added[RasterLayer]
    assert raster.ground is None or np.isfinite(raster.ground).all()
    assert raster.source is not None and raster.source.suffix == ".tif"
    derived = added[CityModelLayer]
    assert any("noise_db" in a for a in derived.model.objects.attributes)
    assert window.layer_panel.current_layer() is raster  # its legend shows
    assert window.view.scene.legend.title == "Road noise: noise (dB(A))"
