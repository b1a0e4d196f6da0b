"""The "Data-center siting" dock in the real main window with the demo city: the
criteria and AHP tables, a run as a task, the ranked table, the charts, the site layer
coloured by score as the legend says, and the PDF."""

from __future__ import annotations

import colorsys

import numpy as np
import pytest

from cimviewer.api import top_down_camera
from cimviewer.testing import show_plugin_dock, window_frame

pytestmark = pytest.mark.gui


def hue(rgb) -> float:
    r, g, b = (float(v) / 255 for v in rgb)
    return colorsys.rgb_to_hsv(r, g, b)[0] * 360.0


def saturation(rgb) -> float:
    return colorsys.rgb_to_hsv(*(float(v) / 255 for v in rgb))[1]


def nearest_by_hue(pixel, classes) -> int:
    """The legend class whose hue is nearest the pixel's (shading keeps the hue)."""
    h = hue(pixel)
    return int(np.argmin([min(abs(h - hue(c)), 360 - abs(h - hue(c))) for c in classes]))


def run_and_wait(dock, qtbot):
    dock.run_button.click()
    assert dock.task is not None, dock.status.text()
    qtbot.waitUntil(lambda: dock.task is None, timeout=30000)
    assert dock.outputs is not None, dock.status.text()
    return dock.outputs


def test_rank_in_the_window(cim_demo_window, qtbot):
    window = cim_demo_window
    dock = show_plugin_dock(window, "datacenter_siting")
    values = dock.form.values()
    assert values["site_layer"].name == "Fibre nodes"
    assert values["substations"].name == "Substations"
    assert dock.criteria_table.spec() == \
        "ports_free:benefit,substation_m:cost,substation_capacity:benefit"

    # --- direct weights 2, 2, 1 ----------------------------------------------------
    out = run_and_wait(dock, qtbot)
    np.testing.assert_allclose(out["weights"], [0.4, 0.4, 0.2])
    assert out["consistency_ratio"] is None
    nodes = values["site_layer"].data
    free = np.array(nodes.columns["ports_free"])
    ranked = np.array([r["rank"] is not None for r in out["ranking"]])
    np.testing.assert_array_equal(ranked, free >= 20)  # the form's default constraint
    # the ranked table in the dock: best first, the contributions add up to the score
    header = [dock.results.horizontalHeaderItem(c).text()
              for c in range(dock.results.columnCount())]
    rank_col, score_col = header.index("rank"), header.index("score")
    contrib = [header.index(n) for n in ("ports_free", "substation_m", "substation_capacity")]
    assert dock.results.item(0, rank_col).text() == "1"
    for row in range(3):
        total = sum(float(dock.results.item(row, c).text()) for c in contrib)
        assert total == pytest.approx(float(dock.results.item(row, score_col).text()),
                                      abs=2e-3)
    # charts: the weight bars are the weights; one stacked bar series per criterion
    heights = dock.charts.weight_bars.opts["height"]
    np.testing.assert_allclose(heights, out["weights"])
    assert len(dock.charts.contribution_bars) == 3
    assert dock.charts.rank_range is not None

    # --- the layer coloured by score, as the legend says ----------------------------
    layer = dock.layer
    assert layer in list(window.project.layers)
    assert layer.style.mode == "graduated" and layer.style.attribute == "dc_score"
    best = next(i for i, r in enumerate(out["ranking"]) if r["rank"] == 1)
    worst = max((i for i, r in enumerate(out["ranking"]) if r["rank"]),
                key=lambda i: out["ranking"][i]["rank"])
    # the user clicks the layer in the layer panel, so the legend shows its classes
    panel = window.layer_panel
    panel.tree.setCurrentItem(panel.item_of(layer))
    assert panel.current_layer() is layer
    window.view.render()
    legend = window.view.scene.legend
    colours = [np.array(c, int) for _label, c in legend.rows]
    assert len(colours) >= 2

    def colour_at(index):
        """Look down at the site's mast from 250 m; the strongly coloured pixels around
        where it stands (masts are saturated, ground, roads and roofs much less)."""
        base = layer.data.vertices[index].copy()
        assert base[2] == nodes.vertices[index, 2]  # standing where the fibre node stands
        window.project.camera.state = top_down_camera(base, 250.0)
        window.view.render()
        vx, vy = window.view.display_to_vtk(*window.view.world_to_display(base))
        patch = window_frame(window)[vy - 6:vy + 7, vx - 6:vx + 7].reshape(-1, 3)
        return [p for p in patch if saturation(p) > 0.75]

    def nearest_class(pixels):
        assert pixels, "no mast pixels near the site"
        votes = np.bincount([nearest_by_hue(p, colours) for p in pixels],
                            minlength=len(colours))
        return int(np.argmax(votes))

    # rdylgn: the best site takes the top (green) class, the worst the bottom (red) one
    assert nearest_class(colour_at(best)) == len(colours) - 1
    assert nearest_class(colour_at(worst)) == 0

    # --- AHP: an inconsistent matrix is warned with the judgement named -------------
    dock.use_ahp.setChecked(True)
    dock.ahp_table.set_judgement(0, 1, 9)   # ports >> substation distance
    dock.ahp_table.set_judgement(1, 2, 9)   # distance >> capacity
    dock.ahp_table.set_judgement(0, 2, 1 / 9)  # but capacity >> ports: inconsistent
    assert "CR >= 0.1" in dock.ahp_label.text()
    assert "ports_free" in dock.ahp_label.text() or "substation_capacity" in \
        dock.ahp_label.text()
    dock.ahp_table.set_judgement(0, 1, 3)
    dock.ahp_table.set_judgement(1, 2, 3)
    dock.ahp_table.set_judgement(0, 2, 5)
    assert "CR >= 0.1" not in dock.ahp_label.text()
    out = run_and_wait(dock, qtbot)
    # Saaty's matrix [[1,3,5],[1/3,1,3],[1/5,1/3,1]]: w = (0.637, 0.258, 0.105), CR 0.033
    np.testing.assert_allclose(out["weights"], [0.636985, 0.258285, 0.104729], atol=1e-5)
    assert out["consistency_ratio"] == pytest.approx(0.033199, abs=1e-5)

    # --- PDF and state --------------------------------------------------------------
    written = dock.export_pdf()
    assert written is not None, dock.status.text()
    assert written.path.read_bytes().startswith(b"%PDF")
    state = window.project.plugin_state["datacenter_siting"]
    assert state["data"]["use_ahp"] is True
    assert [r["name"] for r in state["data"]["criteria"]] == \
        ["ports_free", "substation_m", "substation_capacity"]
    # stability table: one row per ranked site
    assert dock.stability_table.rowCount() == int(out["ranked"])

    # --- the suitability raster over the demo terrain, legend and pixels -------------
    dock.suitability_button.click()
    assert dock.task is not None, dock.status.text()
    qtbot.waitUntil(lambda: dock.task is None, timeout=30000)
    assert dock.suitability is not None, dock.status.text()
    overlay = dock.overlay
    assert overlay in list(window.project.layers)
    assert window.layer_panel.current_layer() is overlay  # a result with a legend
    rows = window.view.scene.legend.rows
    assert [c for _l, c in rows] == [(26, 152, 80), (145, 207, 96), (255, 255, 191),
                                     (252, 141, 89), (215, 48, 39)]
    s = dock.suitability
    best = np.array([s["best_x"], s["best_y"], 0.0])
    grid = overlay.grid
    col = int((best[0] - grid.x0) // grid.dx)
    row = int((grid.y0 - best[1]) // grid.dy)
    assert np.isfinite(grid.values[row, col])
    best[2] = overlay.surface_heights()[row, col]  # draped on the demo terrain
    assert s["best_score"] >= 0.8  # so the top class, by the legend
    window.project.camera.state = top_down_camera(best, 120.0)
    window.view.render()
    vx, vy = window.view.display_to_vtk(*window.view.world_to_display(best))
    pixel = window_frame(window)[vy, vx]
    # lighting changes brightness, not hue: the pixel's hue is the top class's
    assert nearest_by_hue(pixel, [c for _l, c in rows]) == 0, pixel

    # --- edge sites: p-median on the buildings, drawn as masts ----------------------
    dock.edge_button.click()
    assert dock.task is not None, dock.status.text()
    qtbot.waitUntil(lambda: dock.task is None, timeout=60000)
    assert dock.edge is not None, dock.status.text()
    assert dock.edge["selected"] == 3 and dock.edge["optimal"] is True
    assert dock.edge_layer in list(window.project.layers)
    chosen = dock.edge_layer.data.columns["node_id"]
    assert set(chosen) <= set(nodes.columns["node_id"])

    # --- criteria from the sites' columns (derived ones included) -------------------
    dock.fill_from_sites()
    names = [r["name"] for r in dock.criteria_table.rows()]
    assert {"ports_free", "ports_total", "substation_m", "substation_capacity"} <= set(names), \
        dock.status.text()
    assert "node_id" not in names

    # --- the national example: files, AHP from the shipped matrix, not drawn here ----
    dock.national_button.click()
    assert dock.criteria_table.spec() == \
        "pue_est:cost,price_cny_kwh:cost,latency_ms:cost,water_stress:cost"
    assert dock.use_ahp.isChecked() and "CR >= 0.1" not in dock.ahp_label.text()
    out = run_and_wait(dock, qtbot)
    assert out["ranked"] + out["excluded"] == 14
    assert out["weights"][0] == pytest.approx(out["weights"][1])  # identical matrix rows
    assert out["consistency_ratio"] < 0.1
    assert dock.results.rowCount() == 14
    assert dock.layer is None and layer not in list(window.project.layers)
    assert "EPSG" not in dock.status.text() and dock.status.text().endswith("not drawn.")

    dock.clear()
    assert layer not in list(window.project.layers)
    assert overlay not in list(window.project.layers)
