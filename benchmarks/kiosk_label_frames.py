#!/usr/bin/env python3
"""Kiosk frames with the labels shown and hidden, in one process: the attract tour over
the demo city (live sensors replaying) in the real kiosk window, the sensor and point
layers' labels switched on and off every few seconds; median and 95th percentile frame
time of each (render window start to end, as the kiosk heartbeat measures them).

Needs a display (Xvfb: ``DISPLAY=:77``).

    .venv/bin/python benchmarks/kiosk_label_frames.py --seconds 90
    .venv/bin/python benchmarks/kiosk_label_frames.py --seconds 90 --light-ab

``--light-ab`` instead switches the lighter meshes of moving frames (terrain, poles)
on and off every few seconds, labels shown: what they save in the same minutes.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
from PySide6.QtCore import QTimer

from cimviewer.core.sensors import SensorLayer
from cimviewer.ui.app import create_app
from cimviewer.ui.kiosk.app import KioskOptions, open_kiosk


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=90.0)
    parser.add_argument("--switch", type=float, default=5.0, help="seconds per mode")
    parser.add_argument("--size", default="1600x1000")
    parser.add_argument("--breakdown", action="store_true",
                        help="instead: cycle through hiding labels, then also the sensor "
                        "surface, the buildings, the rest (where a frame's time goes)")
    parser.add_argument("--light-ab", action="store_true",
                        help="instead: moving frames with and without the lighter meshes")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    app = create_app("zh_CN")
    window = open_kiosk(KioskOptions(windowed=True, lock=False, overrides={
        "attract_delay_s": 1.0, "flight_s": 4.0, "dwell_s": 6.0}))
    window.resize(width, height)
    frames: dict[bool, list[float]] = {True: [], False: []}
    state = {"on": True, "start": 0.0, "t0": None, "skip": 0}

    def set_labels(on: bool) -> None:
        state["on"] = on
        state["skip"] = 1  # the frame that switches is not counted
        for adapter in window.view.scene.adapters.values():
            layer = adapter.layer
            if isinstance(layer, SensorLayer):
                layer.settings = layer.settings.with_(labels=on)
            elif getattr(adapter, "label_actor", None) is not None:
                adapter.label_actor.SetVisibility(on and layer.visible)

    def started(*_a) -> None:
        state["start"] = time.perf_counter()

    def ended(*_a) -> None:
        if state["t0"] is None or time.monotonic() < state["t0"]:
            return
        if state["skip"]:
            state["skip"] -= 1
            return
        store = by_step if args.breakdown or args.light_ab else frames
        store.setdefault(state["on"], []).append((time.perf_counter() - state["start"]) * 1000)

    rw = window.view.render_window
    rw.AddObserver("StartEvent", started)
    rw.AddObserver("EndEvent", ended)
    toggle = QTimer()
    toggle.timeout.connect(lambda: set_labels(not state["on"]))
    steps = ["everything", "no labels", "no sensor surface", "nothing but the sky"]
    by_step: dict[str, list[float]] = {}
    if args.breakdown:
        toggle.timeout.disconnect()

        def next_step() -> None:
            scene = window.view.scene
            kinds = sorted({f"no {type(a).__name__} {a.layer.name}"
                            for a in scene.adapters.values()})
            names = [*steps[:3], *kinds, steps[3]]
            state["step"] = (state.get("step", -1) + 1) % len(names)
            name = names[state["step"]]
            by_step.setdefault(name, [])
            state["skip"] = 1
            set_labels(name == "everything")
            state["on"] = name
            for adapter in scene.adapters.values():
                mine = name == f"no {type(adapter).__name__} {adapter.layer.name}"
                surface = getattr(adapter, "surface", None)
                for actor in adapter.actors:
                    if actor is getattr(adapter, "label_actor", None):
                        continue
                    hide = (mine or name == steps[3]
                            or (name == steps[2] and surface is not None
                                and actor is surface.actor))
                    actor.SetVisibility(adapter.layer.visible and not hide)
                if surface is not None and name != steps[3] and name != steps[2]:
                    adapter._show_parts()
        toggle.timeout.connect(next_step)

    if args.light_ab:
        from cimviewer.render.scene import Scene

        scene = window.view.scene
        toggle.timeout.disconnect()

        def light_step() -> None:
            light = not state.get("light", False)
            state["light"] = light
            state["on"] = "light meshes while moving" if light else "full meshes always"
            state["skip"] = 1
            scene.set_motion = ((lambda moving: Scene.set_motion(scene, moving)) if light
                                else (lambda moving: Scene.set_motion(scene, False)))
        toggle.timeout.connect(light_step)

    def begin() -> None:
        state["t0"] = time.monotonic()
        if args.breakdown or args.light_ab:
            toggle.timeout.emit()
        toggle.start(int(args.switch * 1000))

    QTimer.singleShot(12_000, begin)  # loaded, the tour under way
    QTimer.singleShot(int((12 + args.seconds) * 1000), app.quit)
    app.exec()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{width}x{height}, load {load:.1f}")
    for key, values in (by_step or frames).items():
        ms = np.asarray(values) if values else np.array([np.nan])
        name = key if isinstance(key, str) else f"labels {'shown' if key else 'hidden'}"
        print(f"{name:28s}: {len(values):4d} frames, "
              f"median {np.median(ms):6.1f} ms, p95 {np.percentile(ms, 95):6.1f} ms")
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
