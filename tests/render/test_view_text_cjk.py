"""Text drawn in the 3D view shows Chinese: a CJK-capable font, not VTK's Arial."""

from __future__ import annotations

import numpy as np
import pytest

from cimviewer.core.datasets import TerrainGrid
from cimviewer.core.layers import TerrainLayer
from cimviewer.core.project import Project
from cimviewer.render.fonts import cjk_font
from cimviewer.render.snapshot import OffscreenView

pytestmark = pytest.mark.render


def legend_ink(title: str, labels: list[str]) -> int:
    """Dark pixels in the legend box of an overlay whose legend has these labels."""
    grid = TerrainGrid(np.zeros((4, 4)), 0.0, 40.0, 10.0, 10.0, "EPSG:4547",
                       colors=np.full((4, 4, 3), 200, np.uint8))
    layer = TerrainLayer(title, grid)
    layer.legend = [(label, (30 * i, 120, 60)) for i, label in enumerate(labels)]
    project = Project()
    project.add_layer(layer)
    view = OffscreenView(project, (500, 400))
    try:
        view.scene.show_legend(layer)
        image = view.image().astype(int)
    finally:
        view.close()
    dark = image.sum(axis=2) < 150  # the legend text is near black; swatches are not
    return int(dark.sum())


@pytest.mark.skipif(cjk_font() is None, reason="no CJK font on this machine")
def test_chinese_legend_text_is_drawn():
    latin = legend_ink("RSRP", ["-90", "-80"])
    chinese = legend_ink("RSRP 覆盖", ["-90 至 -80 强", "-80 以上 很强"])
    # the Chinese characters add ink of their own (before, they were dropped: no glyphs)
    assert chinese > latin * 1.4, (latin, chinese)


@pytest.mark.skipif(cjk_font() is None, reason="no CJK font on this machine")
def test_rows_added_to_a_shown_legend_keep_the_chinese_font():
    """A legend that grows (the overlay's 5 bands, then the buildings' 6 with 'no
    signal') drew the new row with VTK's default font: a blank Chinese label."""
    grid = TerrainGrid(np.zeros((4, 4)), 0.0, 40.0, 10.0, 10.0, "EPSG:4547",
                       colors=np.full((4, 4, 3), 200, np.uint8))
    project = Project()
    project.add_layer(TerrainLayer("t", grid))
    view = OffscreenView(project, (500, 400))
    try:
        rows = [("≥ -80 dBm", (26, 152, 80)), ("< -110 dBm", (215, 48, 39))]
        view.scene.legend.set_rows("RSRP", rows)
        view.image()
        inks = []
        for last in ("", "无信号"):
            view.scene.legend.set_rows("RSRP", [*rows, (last, (120, 120, 120))])
            inks.append(int((view.image().astype(int).sum(axis=2) < 150).sum()))
    finally:
        view.close()
    assert inks[1] > inks[0] + 40, inks  # the three characters are drawn
