#!/usr/bin/env python3
"""Frame time of the demo city with its labels on and off, orbiting the camera.

Renders the demo city (buildings, roads, point layers, replaying sensors) offscreen at
1280 x 800 (no multisampling, as the kiosk's moving frames) while the camera orbits,
in alternating blocks with the sensor and point layers' labels shown and hidden (the
same run, so a shared machine's load falls on both alike), and prints the median and
95th percentile frame time of each and their ratio.
``--profile`` adds a cProfile of the labelled frames (top functions by own time);
``--isolate`` hides all but the labels (their own cost). Run it with ``PYTHONPATH``
at another checkout to compare label implementations.

    .venv/bin/python benchmarks/label_frames.py --frames 60
    .venv/bin/python benchmarks/label_frames.py --small --profile
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time

import numpy as np

from cimviewer.core.sensors import SensorLayer
from cimviewer.io.demo import open_demo_project
from cimviewer.render.snapshot import OffscreenView


def set_labels(view: OffscreenView, on: bool) -> None:
    for adapter in view.scene.adapters.values():
        layer = adapter.layer
        if isinstance(layer, SensorLayer):
            layer.settings = layer.settings.with_(labels=on)
        elif getattr(adapter, "label_actor", None) is not None:
            adapter.label_actor.SetVisibility(on and layer.visible)


def sensor_layers(view: OffscreenView) -> list[SensorLayer]:
    return [a.layer for a in view.scene.adapters.values() if isinstance(a.layer, SensorLayer)]


def frames(view: OffscreenView, count: int, clock: list[float],
           profile: cProfile.Profile | None = None,
           cpu: list[float] | None = None) -> list[float]:
    """Render ``count`` frames orbiting 1.5 degrees each, stepping the sensors' replay
    time a minute a frame (values change as in the kiosk); seconds per frame (and the
    process's CPU seconds per frame appended to ``cpu``: all threads, llvmpipe's
    too, so less swayed by other programs on the machine than the wall clock)."""
    camera = view.scene.renderer.GetActiveCamera()
    layers = sensor_layers(view)
    times = []
    for _ in range(count):
        camera.Azimuth(1.5)
        for layer in layers:
            span = layer.time_range()
            if span is not None:
                lo, hi = (t.timestamp() for t in span)
                clock[0] = lo + (clock[0] - lo + 60.0) % max(hi - lo, 1.0)
                layer.display_time = clock[0]
        start = time.perf_counter()
        cpu_start = time.process_time()
        if profile is not None:
            profile.enable()
        view.render()
        if profile is not None:
            profile.disable()
        times.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.process_time() - cpu_start)
    return times


def stats(times: list[float]) -> tuple[float, float]:
    ms = np.asarray(times) * 1000
    return float(np.median(ms)), float(np.percentile(ms, 95))


def breakdown(view: OffscreenView, count: int, block: int, clock: list[float]) -> int:
    """Frames with everything, with each layer hidden in turn, and with nothing: where
    a frame's time goes (blocks interleaved, as for the labels)."""
    adapters = list(view.scene.adapters.values())
    modes: list[tuple[str, list]] = [("everything", [])]
    modes += [(f"without {a.layer.name}", [a]) for a in adapters]
    modes += [("without labels", []), ("background only", adapters)]
    wall: dict[str, list[float]] = {name: [] for name, _ in modes}
    cpu: dict[str, list[float]] = {name: [] for name, _ in modes}
    shown = {id(a): a.layer.visible for a in adapters}
    while len(wall["everything"]) < count:
        for name, hidden in modes:
            for adapter in adapters:
                adapter.layer.visible = shown[id(adapter)] and adapter not in hidden
            set_labels(view, name != "without labels")
            frames(view, 1, clock)
            wall[name] += frames(view, block, clock, None, cpu[name])
    base = stats(wall["everything"])[0]
    print(f"{'':28s} {'median':>8s} {'p95':>8s} {'CPU med':>8s}  (ms; saved vs everything)")
    for name, _ in modes:
        med, p95 = stats(wall[name])
        print(f"{name:28s} {med:8.1f} {p95:8.1f} {stats(cpu[name])[0]:8.1f}  {base - med:+7.1f}")
    view.close()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=60, help="frames per mode")
    parser.add_argument("--block", type=int, default=10, help="frames per block")
    parser.add_argument("--small", action="store_true", help="20 frames per mode")
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--png", help="save the first labelled frame here")
    parser.add_argument("--breakdown", action="store_true",
                        help="instead: frames with each layer hidden in turn (labels on)")
    parser.add_argument("--isolate", action="store_true",
                        help="hide all but the labels (their own cost, without the city)")
    args = parser.parse_args()
    if args.small:
        args.frames = 20
    size = tuple(int(v) for v in args.size.split("x"))
    view = OffscreenView(open_demo_project(), size)  # type: ignore[arg-type]
    # as the kiosk's moving frames on a software renderer (render/quality.py): no
    # multisampling, no FXAA
    view.window.SetMultiSamples(0)
    camera = view.scene.renderer.GetActiveCamera()
    camera.Elevation(-25)  # an oblique view, as the tour flies
    camera.Dolly(1.6)
    camera.OrthogonalizeViewUp()
    clock = [0.0]
    for layer in sensor_layers(view):
        span = layer.time_range()
        if span is not None:
            clock[0] = span[0].timestamp()
    if args.isolate:
        keep = {id(a.label_actor) for a in view.scene.adapters.values()
                if getattr(a, "label_actor", None) is not None}
        for adapter in view.scene.adapters.values():
            for actor in adapter.actors:
                if id(actor) not in keep:
                    actor.SetVisibility(False)
                    actor.SetVisibility = lambda *_a: None  # stays hidden
    set_labels(view, True)
    frames(view, 5, clock)  # warm up: tiles built, shaders compiled, text cached
    set_labels(view, False)
    frames(view, 3, clock)
    if args.png:
        set_labels(view, True)
        view.render()
        view.save_png(args.png)
    if args.breakdown:
        return breakdown(view, args.frames, args.block, clock)
    profile = cProfile.Profile() if args.profile else None
    results: dict[bool, list[float]] = {True: [], False: []}
    cpu: dict[bool, list[float]] = {True: [], False: []}
    while len(results[False]) < args.frames:
        for on in (True, False):
            set_labels(view, on)
            frames(view, 1, clock)  # the switch's own frame is not counted
            results[on] += frames(view, args.block, clock, profile if on else None, cpu[on])
    view.close()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    on_med, on_p95 = stats(results[True])
    off_med, off_p95 = stats(results[False])
    print(f"{size[0]}x{size[1]}, {len(results[True])} frames per mode, load {load:.1f}")
    print(f"labels shown:  median {on_med:6.1f} ms  p95 {on_p95:6.1f} ms")
    print(f"labels hidden: median {off_med:6.1f} ms  p95 {off_p95:6.1f} ms")
    print(f"labels cost: {on_med - off_med:+.1f} ms a frame (ratio {on_med / off_med:.2f})")
    on_cpu, on_cpu95 = stats(cpu[True])
    off_cpu, off_cpu95 = stats(cpu[False])
    print(f"CPU (all threads) shown:  median {on_cpu:6.1f} ms  p95 {on_cpu95:6.1f} ms")
    print(f"CPU (all threads) hidden: median {off_cpu:6.1f} ms  p95 {off_cpu95:6.1f} ms")
    print(f"labels CPU cost: {on_cpu - off_cpu:+.1f} ms a frame")
    if profile is not None:
        pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(15)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
