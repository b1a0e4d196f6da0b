"""A city larger than the streaming threshold opened in the real window: it shows at
once as blocks, refines nearest-first from a background reader with a detail indicator,
and picks and frames its buildings."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from cimviewer.io import registry
from cimviewer.io.cityjson import streamed
from cimviewer.testing import window_frame
from tests.render.seqcity import write_city_seq

pytestmark = pytest.mark.gui


def test_large_cityjsonseq_opens_streamed_and_refines_in_the_background(
        cim_main_window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(streamed, "FEATURES_PER_TILE", 300)
    path = write_city_seq(tmp_path / "district.city.jsonl", 4000)
    monkeypatch.setattr(registry, "STREAM_AUTO_BYTES", path.stat().st_size - 1)
    window = cim_main_window()
    gui_thread = threading.current_thread()
    readers: list[threading.Thread] = []
    original = streamed.SeqTileSource.load

    def recording_load(self, index):
        readers.append(threading.current_thread())
        return original(self, index)

    monkeypatch.setattr(streamed.SeqTileSource, "load", recording_load)
    shown: list[float] = []
    window.view.refining.connect(shown.append)
    window.open_path(path)
    qtbot.waitUntil(lambda: bool(window.project.layers) and window.project.layers[-1].name
                    == "district", timeout=20000)
    layer = window.project.layers[-1]
    assert layer.model.streamed and layer.load_options.get("streamed") is None
    adapter = window.view.scene.adapters[layer.uid]
    qtbot.waitUntil(lambda: shown and shown[-1] == 1.0 and not adapter.pending_tiles,
                    timeout=60000)
    assert any(f < 1.0 for f in shown)  # the indicator showed refinement under way
    assert not window.detail_progress.isVisible()
    assert readers and gui_thread not in readers  # no tile was read on the GUI thread
    assert any(n.built for n in adapter.nodes)
    frame = window_frame(window)
    background = frame[2, 2].astype(int)
    assert (np.abs(frame.astype(int) - background).sum(axis=2) > 30).mean() > 0.05
    # clicks on the city name buildings of the file
    size = window.view.vtk_widget.size()
    hits = [window.view.scene.pick(x, y)
            for x in range(size.width() // 4, 3 * size.width() // 4, 40)
            for y in range(size.height() // 4, 3 * size.height() // 4, 40)]
    names = {layer.model.objects.ids[h[1]] for h in hits if h is not None}
    assert len(names) >= 5 and all(name.startswith("B") for name in names)
