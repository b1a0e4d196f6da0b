#!/usr/bin/env python3
"""City-scale rendering: build time, orbit frame rate, pick latency, memory per building.

Generates LoD1 cities (boxes with roof/wall/ground semantics) of 10k, 100k and 1M
buildings and measures, offscreen at 1280x800 with this machine's renderer:

* the app: scene build time (the coarse city's first frame, then every tile's detail),
  orbit fps and 95th-percentile frame time with level of detail off (all triangles),
  with the per-tile LoD (roofs only when small) and with the hierarchy (block levels,
  screen-space error, frame budget), a fly-through from the whole city down to a street
  with streaming between frames (slowest frame), pick latency, memory per building;
* larger than memory: a generated CityJSONSeq (``--streamed`` buildings, default 300k,
  scaled down from 5M to fit a few minutes on 2 cores) opened streamed with a tile
  memory budget, first and second (cached) opening, against reading it whole;
* the raw limit: one static merged mesh of the same triangles in a bare VTK pipeline,
  as triangles per second;
* the baseline: one actor per building (only at sizes where that finishes).

    .venv/bin/python benchmarks/render_scale.py [--sizes 10000,100000,1000000] [--frames 20]
        [--streamed 300000] [--streamed-budget-mb 64]

Frames are drawn without MSAA, as the app draws moving frames on software GL.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from pathlib import Path

import numpy as np
import vtkmodules.vtkRenderingOpenGL2  # noqa: F401
from vtkmodules.vtkRenderingCore import (
    vtkActor,
    vtkPolyDataMapper,
    vtkRenderer,
    vtkRenderWindow,
)

from cimviewer.core.citymodel import CityModel
from cimviewer.core.layers import CityModelLayer
from cimviewer.core.project import Project
from cimviewer.render.adapters.citymodel import CityModelAdapter
from cimviewer.render.scene import Scene
from cimviewer.render.vtk_arrays import triangle_polydata

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from cimviewer.testing import BOX_FACES, make_city

SIZE = (1280, 800)
def window() -> vtkRenderWindow:
    win = vtkRenderWindow()
    win.SetOffScreenRendering(1)
    win.SetSize(*SIZE)
    # as the app draws moving frames on software GL (render/quality.py): no MSAA
    win.SetMultiSamples(0)
    return win


def orbit_fps(win: vtkRenderWindow, renderer: vtkRenderer, frames: int) -> float:
    return orbit_frames(win, renderer, frames)[0]


def orbit_frames(win: vtkRenderWindow, renderer: vtkRenderer,
                 frames: int) -> tuple[float, float]:
    """(fps, 95th percentile frame time in ms) of a full orbit around the city."""
    camera = renderer.GetActiveCamera()
    win.Render()  # upload geometry before timing
    times = []
    t0 = time.perf_counter()
    for _ in range(frames):
        t1 = time.perf_counter()
        camera.Azimuth(360.0 / frames)
        renderer.ResetCameraClippingRange()
        win.Render()
        times.append(time.perf_counter() - t1)
    return frames / (time.perf_counter() - t0), 1000 * float(np.percentile(times, 95))


def fly_through(scene: Scene, win: vtkRenderWindow, frames: int) -> dict:
    """From the whole city down to the street and across it, streaming as the GUI does
    (``Scene.do_work(0.04)`` between frames). Frame times are renders only."""
    renderer = scene.renderer
    camera = renderer.GetActiveCamera()
    oblique_camera(renderer)
    far_pos = np.array(camera.GetPosition())
    far_focal = np.array(camera.GetFocalPoint())
    lo = np.array(renderer.ComputeVisiblePropBounds())
    span = lo[1] - lo[0]
    street = np.array([lo[0] + 0.3 * span, lo[2] + 0.3 * (lo[3] - lo[2]), 0.0])
    times, work = [], []
    for k in range(frames):
        f = k / max(frames - 1, 1)
        if f < 0.5:  # descend towards a street
            g = (f / 0.5) ** 0.5
            focal = far_focal * (1 - g) + street * g
            pos = far_pos * (1 - g) + (street + np.array([0, -0.02, 0.01]) * span) * g
        else:  # fly along it
            g = (f - 0.5) / 0.5
            focal = street + np.array([0.4, 0.4, 0.0]) * span * g
            pos = focal + np.array([-0.01, -0.02, 0.01]) * span
        camera.SetFocalPoint(*focal)
        camera.SetPosition(*pos)
        camera.SetViewUp(0, 0, 1)
        renderer.ResetCameraClippingRange()
        t1 = time.perf_counter()
        win.Render()
        times.append(time.perf_counter() - t1)
        t1 = time.perf_counter()
        scene.do_work(0.04)
        work.append(time.perf_counter() - t1)
    return {"max_ms": 1000 * max(times), "p95_ms": 1000 * float(np.percentile(times, 95)),
            "work_max_ms": 1000 * max(work)}


def oblique_camera(renderer: vtkRenderer) -> None:
    renderer.ResetCamera()
    camera = renderer.GetActiveCamera()
    camera.Elevation(-55)  # look at the city from the south, 35 degrees above the horizon
    camera.SetViewUp(0, 0, 1)
    camera.Zoom(1.3)
    renderer.ResetCameraClippingRange()


def rss_mb() -> float:
    """Current resident memory (Linux /proc), else the peak."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * resource.getpagesize() / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def raw_rate(model: CityModel, frames: int) -> tuple[float, int]:
    mesh = model.meshes["1"]
    origin = mesh.vertices.mean(axis=0)
    poly = triangle_polydata((mesh.vertices - origin).astype(np.float32), mesh.triangles)
    mapper = vtkPolyDataMapper()
    mapper.SetInputData(poly)
    mapper.StaticOn()
    actor = vtkActor()
    actor.SetMapper(mapper)
    ren = vtkRenderer()
    ren.AddActor(actor)
    win = window()
    win.AddRenderer(ren)
    oblique_camera(ren)
    fps = orbit_fps(win, ren, frames)
    win.Finalize()
    return fps, mesh.n_triangles


def app_measure(model: CityModel, frames: int) -> dict:
    t0 = time.perf_counter()
    project = Project()
    layer = project.add_layer(CityModelLayer("city", model))
    layer.style = layer.style.with_(mode="graduated", attribute="height")
    scene = Scene(project)
    win = window()
    win.AddRenderer(scene.renderer)
    oblique_camera(scene.renderer)
    win.Render()  # the coarse city (block levels), before any tile's detail is built
    coarse_first_frame = time.perf_counter() - t0
    scene.finish_work()  # detail for this view, then every tile (it fits in memory)
    while scene.pending_work():
        scene.do_work(float("inf"))
    build = time.perf_counter() - t0
    win.Render()
    first_frame = time.perf_counter() - t0
    adapter: CityModelAdapter = scene.adapters[layer.uid]  # type: ignore[assignment]
    project.selection.set([(layer.uid, k) for k in range(0, len(model.objects), 97)])
    adapter.level_of_detail_enabled = False
    fps_full, p95_full = orbit_frames(win, scene.renderer, frames)
    full_tris = adapter.drawn_triangles()
    adapter.level_of_detail_enabled = True
    adapter.hierarchy_enabled = False  # the per-tile LoD: roofs only when small
    fps_lod, p95_lod = orbit_frames(win, scene.renderer, frames)
    lod_tris = adapter.drawn_triangles()
    adapter.hierarchy_enabled = True
    fps_hlod, p95_hlod = orbit_frames(win, scene.renderer, frames)
    hlod_tris = adapter.drawn_triangles_in_view()
    fly = fly_through(scene, win, 3 * frames)
    t1 = time.perf_counter()
    adapter.prepare_picking()
    index_build = time.perf_counter() - t1
    adapter.level_of_detail_enabled = False  # the GPU selector must see full detail too
    win.Render()
    w, h = SIZE
    picks = []
    hits = agree = 0
    for k in range(10):
        x, y = w // 2 + 23 * k - 100, h // 2 + 11 * k - 50
        t1 = time.perf_counter()
        hit = scene.pick(x, y)
        picks.append(time.perf_counter() - t1)
        hits += hit is not None
        agree += hit == scene.pick_hardware(x, y)
    win.Finalize()
    scene.dispose()
    return {"build": build, "first_frame": first_frame, "fps_full": fps_full,
            "fps_lod": fps_lod, "full_tris": full_tris,
            "lod_tris": lod_tris, "pick_ms": 1000 * float(np.median(picks)), "hits": hits,
            "agree": agree, "index_build": index_build,
            "tiles": len(adapter.nodes), "coarse_first_frame": coarse_first_frame,
            "p95_full": p95_full, "p95_lod": p95_lod, "fps_hlod": fps_hlod,
            "p95_hlod": p95_hlod, "hlod_tris": hlod_tris, "fly": fly}


def per_actor_measure(model: CityModel, frames: int) -> dict:
    mesh = model.meshes["1"]
    origin = mesh.vertices.mean(axis=0)
    local = (mesh.vertices - origin).astype(np.float32)
    ren = vtkRenderer()
    t0 = time.perf_counter()
    for k in range(len(model.objects)):
        poly = triangle_polydata(local[8 * k: 8 * k + 8], BOX_FACES)
        mapper = vtkPolyDataMapper()
        mapper.SetInputData(poly)
        actor = vtkActor()
        actor.SetMapper(mapper)
        ren.AddActor(actor)
    build = time.perf_counter() - t0
    win = window()
    win.AddRenderer(ren)
    oblique_camera(ren)
    win.Render()
    first_frame = time.perf_counter() - t0
    fps = orbit_fps(win, ren, max(3, frames // 4))
    win.Finalize()
    return {"build": build, "first_frame": first_frame, "fps": fps}


def memory_per_building(n: int) -> float:
    """Bytes of resident memory per building: model + scene + first frame, measured in a
    fresh process so that memory freed by earlier measurements does not hide it."""
    import subprocess

    here = str(Path(__file__).parent)
    code = (f"import sys; sys.path.insert(0, {here!r}); "
            f"import render_scale as r; print(r._memory_child({n}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def _memory_child(n: int) -> float:
    win = window()
    ren = vtkRenderer()
    win.AddRenderer(ren)
    win.Render()  # the GL context exists before the baseline
    gc.collect()
    before = rss_mb()
    project = Project()
    project.add_layer(CityModelLayer("city", make_city(n)))
    scene = Scene(project)
    scene.finish_work()
    win.RemoveRenderer(ren)
    win.AddRenderer(scene.renderer)
    oblique_camera(scene.renderer)
    win.Render()
    return (rss_mb() - before) * 2**20 / n


def _run_child(function: str, *args: object, env: dict | None = None) -> dict:
    """Run ``render_scale.<function>(*args)`` in a fresh process; its JSON result."""
    import json
    import os
    import subprocess

    here = str(Path(__file__).parent)
    code = (f"import sys, json; sys.path.insert(0, {here!r}); import render_scale as r; "
            f"print(json.dumps(r.{function}(*{args!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, **(env or {})}, timeout=1800)
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _streamed_child(path: str, budget_mb: float, frames: int) -> dict:
    """Open a CityJSONSeq file streamed: index (or cache), first frame, a fly-through."""
    from cimviewer.io.cityjson.streamed import open_streamed

    win = window()
    empty = vtkRenderer()
    win.AddRenderer(empty)
    win.Render()  # the GL context exists before the baseline
    win.RemoveRenderer(empty)
    gc.collect()
    before = rss_mb()
    t0 = time.perf_counter()
    model = open_streamed(path)
    opened = time.perf_counter() - t0
    project = Project()
    layer = project.add_layer(CityModelLayer("city", model))
    scene = Scene(project)
    adapter: CityModelAdapter = scene.adapters[layer.uid]  # type: ignore[assignment]
    adapter.memory_budget = int(budget_mb * 2**20)
    win.AddRenderer(scene.renderer)
    oblique_camera(scene.renderer)
    win.Render()
    first = time.perf_counter() - t0
    rss_first = rss_mb() - before
    fly = fly_through(scene, win, frames)
    source = model.tile_source
    result = {"open": opened, "first_frame": first, "rss_first": rss_first,
              "rss_after": rss_mb() - before, "peak": _peak_mb(), "fly": fly,
              "tiles": len(adapter.nodes), "read": source.stats["read"],
              "cached": source.stats["cached"], "index_cached": source.stats["index_cached"],
              "resident_mb": adapter.resident_bytes / 2**20,
              "objects": len(model.objects)}
    win.Finalize()
    return result


def _whole_child(path: str) -> dict:
    """The same file read whole (today's reader): time to first frame, memory."""
    from cimviewer.io.cityjson.reader import read_cityjson

    win = window()
    empty = vtkRenderer()
    win.AddRenderer(empty)
    win.Render()
    win.RemoveRenderer(empty)
    gc.collect()
    before = rss_mb()
    t0 = time.perf_counter()
    model = read_cityjson(path)
    project = Project()
    project.add_layer(CityModelLayer("city", model))
    scene = Scene(project)
    win.AddRenderer(scene.renderer)
    oblique_camera(scene.renderer)
    win.Render()
    return {"first_frame": time.perf_counter() - t0, "rss": rss_mb() - before,
            "peak": _peak_mb()}


def streamed_measure(n: int, budget_mb: float, frames: int, whole: bool) -> None:
    import shutil
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.render.seqcity import write_city_seq

    folder = Path(tempfile.mkdtemp(prefix="cimviewer-bench-"))
    try:
        t0 = time.perf_counter()
        path = write_city_seq(folder / "city.city.jsonl", n)
        size_mb = path.stat().st_size / 2**20
        print(f"\n== larger than memory: CityJSONSeq of {n:,} buildings, {size_mb:.0f} MB "
              f"(generated in {time.perf_counter() - t0:.1f} s), tile memory budget "
              f"{budget_mb:.0f} MB ==")
        env = {"XDG_CACHE_HOME": str(folder / "cache")}  # not the user's cache
        base = _run_child("_whole_child", str(path)) if whole else None
        if base is not None:
            print(f"read whole (baseline): first frame after {base['first_frame']:6.2f} s, "
                  f"+{base['rss']:.0f} MB resident (peak {base['peak']:.0f} MB)")
        for label in ("first open", "second open (cache)"):
            r = _run_child("_streamed_child", str(path), budget_mb, frames, env=env)
            ratio = (f" = {r['first_frame'] / base['first_frame']:.2f}x the whole read, "
                     f"memory {r['rss_after'] / base['rss']:.2f}x" if base else "")
            print(f"{label:20s} : index {r['open']:6.2f} s, coarse first frame after "
                  f"{r['first_frame']:6.2f} s{ratio}")
            fly = r["fly"]
            print(f"{'':20s}   +{r['rss_first']:.0f} MB resident at the first frame, "
                  f"+{r['rss_after']:.0f} MB after a {frames}-frame fly-through (peak "
                  f"{r['peak']:.0f} MB; tile detail {r['resident_mb']:.0f} MB); "
                  f"{r['tiles']} tiles, {r['read']} read from the file, {r['cached']} from "
                  f"the cache; slowest frame {fly['max_ms']:.0f} ms, longest build slice "
                  f"{fly['work_max_ms']:.0f} ms")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--frames", type=int, default=20)
    parser.add_argument("--per-actor-max", type=int, default=100000)
    parser.add_argument("--streamed", type=int, default=300_000,
                        help="buildings in the generated CityJSONSeq (0: skip)")
    parser.add_argument("--streamed-budget-mb", type=float, default=64.0)
    parser.add_argument("--streamed-whole", type=int, default=1,
                        help="also read the streamed file whole, as the baseline")
    args = parser.parse_args()
    print(f"renderer: offscreen {SIZE[0]}x{SIZE[1]}, {vtkRenderWindow().GetClassName()}")
    if args.streamed:
        streamed_measure(args.streamed, args.streamed_budget_mb, 3 * args.frames,
                         bool(args.streamed_whole))
    for n in (int(s) for s in args.sizes.split(",") if s):
        model = make_city(n)
        raw_fps, tris = raw_rate(model, args.frames)
        app = app_measure(model, args.frames)
        print(f"\n== {n:,} buildings, {tris:,} triangles, {app['tiles']} tiles ==")
        print(f"raw merged mesh      : {raw_fps:7.2f} fps = {raw_fps * tris / 1e6:8.1f} M tri/s")
        app_rate = app["fps_full"] * app["full_tris"] / 1e6
        print(f"app, LoD off         : {app['fps_full']:7.2f} fps = {app_rate:8.1f} M tri/s "
              f"({app_rate / (raw_fps * tris / 1e6):.0%} of raw; ids, graduated style, "
              f"selection on)")
        print(f"app, per-tile LoD    : {app['fps_lod']:7.2f} fps = "
              f"{app['fps_lod'] / raw_fps:5.2f}x raw, p95 {app['p95_lod']:.0f} ms, "
              f"{app['lod_tris']:,} triangles "
              f"drawn ({app['lod_tris'] / tris:.0%})")
        print(f"app, hierarchy on    : {app['fps_hlod']:7.2f} fps = "
              f"{app['fps_hlod'] / raw_fps:5.2f}x raw, p95 {app['p95_hlod']:.0f} ms, "
              f"{app['hlod_tris']:,} triangles in view "
              f"({app['hlod_tris'] / tris:.1%}); LoD off p95 {app['p95_full']:.0f} ms")
        fly = app["fly"]
        print(f"fly-through (stream) : slowest frame {fly['max_ms']:.0f} ms, p95 "
              f"{fly['p95_ms']:.0f} ms; longest build slice {fly['work_max_ms']:.0f} ms")
        print(f"scene build          : coarse city on screen after "
              f"{app['coarse_first_frame']:.3f} s; every tile's detail built after "
              f"{app['build']:.3f} s, first full frame after {app['first_frame']:.3f} s")
        print(f"pick latency (median): {app['pick_ms']:7.1f} ms ({app['hits']}/10 hits, "
              f"{app['agree']}/10 equal to the GPU selector; index built once in "
              f"{app['index_build']:.2f} s)")
        print(f"memory per building  : {memory_per_building(n):7.0f} bytes "
              "(model arrays + attributes + VTK geometry + GPU copies, fresh process)")
        if n <= args.per_actor_max:
            base = per_actor_measure(model, args.frames)
            print(f"per-actor baseline   : build {base['build']:.2f} s "
                  f"({base['build'] / app['build']:.0f}x slower), first frame after "
                  f"{base['first_frame']:.2f} s ({base['first_frame'] / app['first_frame']:.0f}x "
                  f"slower), {base['fps']:.2f} fps ({app['fps_full'] / base['fps']:.1f}x fewer "
                  "than the app at full detail)")
        else:
            print("per-actor baseline   : skipped (does not finish in reasonable time)")
        del model
        gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
