"""A large layer appears tile by tile while the window keeps handling events."""

from __future__ import annotations

import time

import pytest

from cimviewer.core.layers import CityModelLayer
from cimviewer.core.project import Project
from cimviewer.testing import make_city

pytestmark = pytest.mark.gui


def test_tiles_arrive_progressively_and_the_window_stays_responsive(qtbot, cim_display):
    from cimviewer.ui.app import create_app
    from cimviewer.ui.view import ViewWidget

    create_app("en")
    project = Project()
    layer = project.add_layer(CityModelLayer("city", make_city(200_000)))
    view = ViewWidget(project)
    qtbot.addWidget(view)
    view.resize(640, 400)
    adapter = view.scene.adapters[layer.uid]
    total = len(adapter.nodes)
    assert total > 5 and adapter.pending_tiles == total  # nothing built before the loop
    view.show()  # (watched from the first turn: tiles now build in a few turns)
    seen_partial = False
    longest_gap = 0.0
    last = time.perf_counter()
    deadline = last + 60
    while adapter.pending_tiles and time.perf_counter() < deadline:
        qtbot.wait(1)  # one event-loop turn, as the user's clicks would get
        now = time.perf_counter()
        longest_gap = max(longest_gap, now - last)
        last = now
        seen_partial |= 0 < len(adapter.tiles) < total
    assert adapter.pending_tiles == 0 and len(adapter.tiles) == total
    assert seen_partial  # the view showed some tiles before all were built
    # no multi-second freeze of the event loop (build steps take tens of ms; the margin
    # is for a machine busy with other work, where one turn can take a second)
    assert longest_gap < 2.0
    view.close_view()
