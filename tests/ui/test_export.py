"""File > Export image: a figure of the view, scaled, framed the same, with progress."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
from PIL import Image

from cimviewer.core.style import LayerStyle
from cimviewer.testing import buildings_layer, window_frame
from cimviewer.ui.export_image import export_figure, parse_size, view_size

pytestmark = pytest.mark.gui


def _show_graduated_legend(window):
    layer = buildings_layer(window.project)
    window.layer_panel.tree.setCurrentItem(window.layer_panel.item_of(layer))
    layer.style = LayerStyle(mode="graduated", attribute="measuredHeight", classes=4,
                             classification="equal_interval", colormap="viridis")
    return window.view.scene.legend.rows


def _swatch_rows(image: np.ndarray, rows) -> tuple[int, int]:
    """Top and bottom image rows of the legend swatches (exact class colours) in the
    lower-right quarter of ``image`` (top row first)."""
    h, w, _ = image.shape
    corner = image[h // 2:, w // 2:].astype(int)
    found = np.zeros(corner.shape[:2], bool)
    for _label, rgb in rows:
        found |= np.abs(corner - np.array(rgb)).sum(axis=2) < 8
    ys = np.flatnonzero(found.sum(axis=1) >= 3)
    assert len(ys), "no legend swatches found"
    return int(ys[0]), int(ys[-1])


def _diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(int) - b.astype(int)).mean())


def test_export_is_the_view_at_twice_the_size(cim_demo_window, tmp_path):
    window = cim_demo_window
    assert _show_graduated_legend(window)  # the legend is part of what is compared
    window.project.sun.set(when=datetime(2024, 6, 21, 15, 0), time_zone="Asia/Shanghai",
                           latitude=22.54, longitude=114.06, shadows=True)
    screen = window_frame(window)[::-1]  # top row first
    h, w, _ = screen.shape
    assert (w, h) == view_size(window.view)
    path = export_figure(window, window.project, window.view, (2 * w, 2 * h),
                         tmp_path / "figure.png")
    figure = np.asarray(Image.open(path).convert("RGB"))
    assert figure.shape == (2 * h, 2 * w, 3)
    down = np.asarray(Image.fromarray(figure).resize((w, h), Image.Resampling.BOX))
    # framed the same: the halved figure is the screen, not the screen moved a little
    assert _diff(down, screen) < 0.5 * _diff(down, np.roll(screen, 12, axis=1))
    # sun and shadows kept: where shadows change the screen, the figure has them
    window.project.sun.set(shadows=False)
    plain = window_frame(window)[::-1]
    shaded = np.abs(screen.astype(int) - plain.astype(int)).sum(axis=2) > 60
    assert shaded.mean() > 0.01
    assert _diff(down[shaded], screen[shaded]) < 0.5 * _diff(down[shaded], plain[shaded])


def test_legend_scale_bar_and_north_arrow_grow_with_the_figure(cim_demo_window, tmp_path):
    window = cim_demo_window
    rows = _show_graduated_legend(window)
    for layer in window.project.layers:
        layer.visible = False  # only the overlays: no building shares a swatch colour
    screen = window_frame(window)[::-1]
    h, w, _ = screen.shape
    path = export_figure(window, window.project, window.view, (2 * w, 2 * h),
                         tmp_path / "figure.png")
    figure = np.asarray(Image.open(path).convert("RGB"))
    top, bottom = _swatch_rows(screen, rows)
    big_top, big_bottom = _swatch_rows(figure, rows)
    assert 1.8 < (big_bottom - big_top) / (bottom - top) < 2.2
    assert 1.8 < (2 * h - big_bottom) / (h - bottom) < 2.2  # its margin grows too
    # dark overlay pixels (scale bar, north arrow, text) cover about 4x the area
    dark = (screen.sum(axis=2) < 200).sum()
    big_dark = (figure.sum(axis=2) < 200).sum()
    assert dark > 100 and 3.0 < big_dark / dark < 5.0


def test_export_shows_progress_and_keeps_the_window_responsive(cim_demo_window, tmp_path,
                                                               monkeypatch):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog

    from cimviewer.render import figure as figure_module

    window = cim_demo_window
    monkeypatch.setattr(figure_module, "STRIPE_PIXELS", 40_000)  # several stripes
    w, h = view_size(window.view)
    seen: list[int] = []
    cancel_at: list[int] = []

    def tick() -> None:  # runs only while the window handles its events
        for dialog in window.findChildren(QProgressDialog, "export_progress"):
            if dialog.isVisible():
                seen.append(dialog.value())
                if cancel_at and dialog.value() >= cancel_at[0]:
                    dialog.cancel()

    timer = QTimer(interval=0)
    timer.timeout.connect(tick)
    timer.start()
    try:
        assert export_figure(window, window.project, window.view, (w, h),
                             tmp_path / "a.png") is not None
        done = list(seen)
        seen.clear()
        cancel_at.append(30)
        assert export_figure(window, window.project, window.view, (w, h),
                             tmp_path / "b.png") is None
    finally:
        timer.stop()
        timer.timeout.disconnect(tick)
    assert len(set(done)) >= 5 and done == sorted(done) and done[-1] >= 90, done
    assert max(seen) < 90 and not (tmp_path / "b.png").exists()


def test_sizes_are_parsed():
    assert parse_size("3840x2400") == (3840, 2400)
    assert parse_size("3840 × 2400") == (3840, 2400)
    assert parse_size("10x10") is None and parse_size("big") is None
