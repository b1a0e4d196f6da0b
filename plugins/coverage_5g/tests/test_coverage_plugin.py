"""The coverage plugin through the plugin framework: CLI link budget, coverage map run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from coverage_5g.models import path_loss

#: this plugin's folder
PLUGIN = Path(__file__).resolve().parents[1]


def cli(*args):
    return subprocess.run([sys.executable, "-m", "cimviewer", *args], capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize(("model", "f", "d", "hb", "hu", "los"), [
    ("fspl", 28.0, 150.0, 10.0, 1.5, True),
    ("umi_street_canyon", 3.5, 150.0, 10.0, 1.5, True),  # before the breakpoint
    ("umi_street_canyon", 3.5, 600.0, 10.0, 1.5, True),  # after it
    ("umi_street_canyon", 3.5, 300.0, 10.0, 1.5, False),
    ("uma", 3.5, 1000.0, 25.0, 1.5, True),
    ("uma", 2.0, 400.0, 25.0, 1.5, False),
    ("cost231_hata_urban", 1.8, 2000.0, 40.0, 1.5, False),
    ("cost231_hata_suburban", 1.8, 2000.0, 40.0, 1.5, False),
])
def test_link_budget_cli_reports_the_model_path_loss(model, f, d, hb, hu, los):
    out = cli("run", "coverage_5g.link_budget", "--param", f"model={model}",
              "--param", f"frequency_ghz={f}", "--param", f"distance_m={d}",
              "--param", f"tx_height_m={hb}", "--param", f"rx_height_m={hu}",
              "--param", f"los={'true' if los else 'false'}", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    expected = float(path_loss(model, f, d, hb, hu, los=los))
    assert result["path_loss_db"] == pytest.approx(expected, abs=1e-3)
    assert result["outputs"]["path_loss_db"]["value"] == result["path_loss_db"]


def test_link_budget_cli_rejects_unknown_model():
    out = cli("run", "coverage_5g.link_budget", "--param", "model=okumura", "--json")
    assert out.returncode == 2 and "model" in out.stderr and "Traceback" not in out.stderr


def test_coverage_map_through_the_framework(cim_demo_project_session, cim_plugins, tmp_path):
    from cimviewer.api import Context, Project, RasterLayer, execute, top_down_camera, validate
    from cimviewer.testing import render_image

    project = cim_demo_project_session
    layers = {layer.name: layer for layer in project.layers}
    algorithm = cim_plugins(PLUGIN).algorithm("coverage_5g.coverage")
    params = validate(algorithm, {"terrain": layers["Terrain"], "buildings": layers["Buildings"],
                                  "poles": layers["Poles"], "sites": 8, "cell_m": 8,
                                  "geotiff_folder": str(tmp_path / "tifs")})
    outputs = execute(algorithm, params, Context(project=project, plugin="coverage_5g"))
    assert 0 < outputs["area_share_covered"] <= 1
    assert outputs["statistics"].n_rows == 9  # 8 sites + total
    assert sorted(p.name for p in (tmp_path / "tifs").iterdir()) == [
        "coverage_best_server.tif", "coverage_rsrp_dbm.tif", "coverage_sinr_db.tif"]
    overlay = outputs["rsrp_overlay"]
    assert isinstance(overlay, RasterLayer) and overlay.grid.unit == "dBm"
    assert np.isfinite(overlay.grid.values).any()
    # the overlay shows in the view: coloured classes where the streets are covered
    view_project = Project()
    view_project.add_layer(overlay)
    centre = (overlay.bbox()[:3] + overlay.bbox()[3:]) / 2
    view_project.camera.state = top_down_camera(centre, 1500)
    img = render_image(view_project, (300, 300)).reshape(-1, 3).astype(int)
    green = (img[:, 1] > img[:, 0] + 40) & (img[:, 1] > img[:, 2] + 40)
    red = (img[:, 0] > img[:, 1] + 60) & (img[:, 0] > img[:, 2] + 60)
    assert green.mean() > 0.01 and red.mean() > 0.01  # strong near sites, weak far away
    assert np.isfinite(outputs["median_rsrp_dbm"])
