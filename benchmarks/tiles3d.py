"""3D Tiles: a generated tileset of N textured tiles, flown over with the SSE traversal.

Generates a REPLACE quadtree of ``--tiles`` tiles (default 10,000): every tile is a b3dm
with a textured 16 x 16 height-field (512 triangles, a 32 x 32 PNG), geometric errors
halving per level, placed by an east-north-up root transform in Shenzhen. Then, each in
a fresh process (so the resident memory of one does not count in the other):

* ``view``: the app's way (``open_layer`` + the 3D Tiles adapter offscreen): time to the
  first frame (the root content), time until the start view is refined, orbit frames
  per second at a far, a middle and a near oblique camera (loads finish between frames
  as in the GUI), the adapter's resident bytes against its budget, the process RSS;
* ``baseline``: every leaf content read at once into one mesh and one actor (what a
  viewer without levels of detail does): time to the first frame, orbit fps, RSS.

    python benchmarks/tiles3d.py                  # 10,000 tiles
    python benchmarks/tiles3d.py --tiles 2000     # a few minutes on 2 cores
"""

from __future__ import annotations

import argparse
import io
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZE = (1280, 800)
SPAN = 6400.0  # metres, the root tile's side
GRID = 16  # cells per tile side
LON, LAT, HEIGHT = 114.06, 22.54, 0.0


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _png(level: int, key: int) -> bytes:
    from PIL import Image

    rng = np.random.default_rng(key)
    base = np.array([60 + 25 * level % 180, 120, 200 - 20 * level % 160], np.uint8)
    img = np.clip(base + rng.integers(-40, 40, (32, 32, 3)), 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(img).save(out, "PNG")
    return out.getvalue()


def _terrain(x0: float, y0: float, span: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    s = np.linspace(0.0, 1.0, GRID + 1)
    gx, gy = np.meshgrid(x0 + s * span, y0 + s * span)
    z = 30 * np.sin(gx / 400.0) * np.cos(gy / 700.0) + 10 * np.sin(gx / 90.0 + gy / 130.0)
    verts = np.column_stack([gx.ravel(), gy.ravel(), z.ravel()])
    i = np.arange(GRID)
    a = (i[:, None] * (GRID + 1) + i[None, :]).ravel()
    tris = np.concatenate([np.column_stack([a, a + 1, a + GRID + 2]),
                           np.column_stack([a, a + GRID + 2, a + GRID + 1])])
    uv = np.column_stack([np.tile(s, GRID + 1), np.repeat(s, GRID + 1)])
    return verts, tris, uv


def generate(folder: Path, n_tiles: int) -> Path:
    from tests.io.tiles3d_data import b3dm, box_volume, enu_matrix, glb, write_json

    (folder / "t").mkdir(parents=True, exist_ok=True)
    # breadth first: the root, its 4 children, theirs... until n_tiles
    tiles = [{"level": 0, "x0": -SPAN / 2, "y0": -SPAN / 2, "span": SPAN, "kids": []}]
    head = 0
    while len(tiles) + 4 <= n_tiles:
        parent = tiles[head]
        head += 1
        half = parent["span"] / 2
        for j in (0, 1):
            for i in (0, 1):
                parent["kids"].append(len(tiles))
                tiles.append({"level": parent["level"] + 1, "x0": parent["x0"] + i * half,
                              "y0": parent["y0"] + j * half, "span": half, "kids": []})
    for k, t in enumerate(tiles):  # per tile: one content file
        verts, tris, uv = _terrain(t["x0"], t["y0"], t["span"])
        data = b3dm(glb(verts, tris, png=_png(t["level"], k), uv=uv,
                        batch_ids=np.zeros(len(verts))), {"tile": [k], "level": [t["level"]]}, 1)
        (folder / "t" / f"{k}.b3dm").write_bytes(data)

    def doc(k: int) -> dict:
        t = tiles[k]
        half = t["span"] / 2
        out = {"boundingVolume": box_volume(t["x0"] + half, t["y0"] + half, 0.0, half, half,
                                            45.0),
               "geometricError": t["span"] / GRID if t["kids"] else 0.0,
               "content": {"uri": f"t/{k}.b3dm"}}
        if t["kids"]:
            out["children"] = [doc(c) for c in t["kids"]]
        return out

    root = doc(0)
    root["transform"] = enu_matrix(LON, LAT, HEIGHT)
    root["refine"] = "REPLACE"
    sys.setrecursionlimit(10000)
    return write_json(folder / "tileset.json", {"asset": {"version": "1.0"},
                                                "geometricError": SPAN / 4, "root": root})


def cameras(bbox: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Far (the whole tileset), middle and near (oblique, 150 m up) views."""
    centre = (bbox[:3] + bbox[3:]) / 2
    centre[2] = 0.0
    out = {}
    for name, height, back in (("far", 9000.0, 6000.0), ("middle", 1200.0, 1500.0),
                               ("near", 150.0, 300.0)):
        focal = centre + np.array([-0.2 * SPAN, -0.2 * SPAN, 0.0]) * (name == "near")
        out[name] = (focal + np.array([0.0, -back, height]), focal)
    return out


def orbit(view, project, eye: np.ndarray, focal: np.ndarray, frames: int, build) -> float:
    """Frames per second while the camera turns 20 degrees about the focal point."""
    from cimviewer.core.camera import CameraState

    offset = eye - focal
    start = time.perf_counter()
    for k in range(frames):
        a = math.radians(20.0 * k / frames)
        rot = np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0],
                        [0, 0, 1]])
        project.camera.state = CameraState(tuple(focal + rot @ offset), tuple(focal),
                                           (0, 0, 1), 30.0)
        build()
        view.scene.renderer.ResetCameraClippingRange()
        view.window.Render()
    return frames / (time.perf_counter() - start)


def phase_view(path: Path, frames: int, budget_mb: float | None = None) -> dict:
    from cimviewer.core.camera import CameraState
    from cimviewer.core.project import Project
    from cimviewer.io.layers import open_layer
    from cimviewer.render.snapshot import OffscreenView

    rss0 = rss_mb()
    start = time.perf_counter()
    project = Project()
    layer = project.add_layer(open_layer(path))
    view = OffscreenView(project, SIZE)
    adapter = view.scene.adapters[layer.uid]
    if budget_mb:
        adapter.memory_budget = int(budget_mb * 2**20)
    cams = cameras(project.bbox())
    eye, focal = cams["middle"]
    project.camera.state = CameraState(tuple(eye), tuple(focal), (0, 0, 1), 30.0)
    view.scene.renderer.ResetCameraClippingRange()
    view.window.Render()  # the root content, before any load
    first = time.perf_counter() - start
    view.render()  # every tile this view wants, loaded
    refined = time.perf_counter() - start
    out = {"first_frame_s": first, "refined_s": refined, "fps": {}, "drawn_tiles": {},
           "drawn_triangles": {}}
    for name, (eye, focal) in cams.items():
        project.camera.state = CameraState(tuple(eye), tuple(focal), (0, 0, 1), 30.0)
        view.render()
        out["drawn_tiles"][name] = len(adapter.drawn)
        out["drawn_triangles"][name] = int(sum(adapter.nodes[t.index].mesh.n_triangles
                                               for t in adapter.drawn))
        out["fps"][name] = orbit(view, project, eye, focal, frames,
                                 lambda: view.scene.do_work(0.02))
    # the renderer's own cost here: the same frames with the layer hidden (software
    # OpenGL fills 1280 x 800 pixels of background, overlays and lights)
    layer.visible = False
    out["empty_fps"] = orbit(view, project, *cams["middle"], frames, lambda: None)
    out.update(resident_mb=adapter.resident_bytes / 2**20,
               budget_mb=adapter.memory_budget / 2**20, loaded=adapter.stats["loaded"],
               evicted=adapter.stats["evicted"], tiles=adapter.tree.n_tiles,
               rss_mb=rss_mb() - rss0, problems=len(layer.model.problems))
    view.close()
    return out


def phase_baseline(path: Path, frames: int) -> dict:
    """Every leaf content read into one mesh and one actor, untextured."""
    from vtkmodules.vtkRenderingCore import vtkActor

    from cimviewer.core.camera import CameraState
    from cimviewer.core.citymodel import concat_meshes
    from cimviewer.core.project import Project
    from cimviewer.io.tiles3d import read_tileset
    from cimviewer.render.adapters.citymodel import _mapper
    from cimviewer.render.snapshot import OffscreenView
    from cimviewer.render.vtk_arrays import triangle_polydata

    rss0 = rss_mb()
    start = time.perf_counter()
    model = read_tileset(path)
    leaves = [t for t in model.tree.tiles if not t.children]
    mesh = concat_meshes([c.mesh for c in (model.load_content(t) for t in leaves) if c])
    project = Project()
    project.crs = model.crs
    bbox = model.bbox()
    project.origin = (bbox[:3] + bbox[3:]) / 2
    view = OffscreenView(project, SIZE)
    poly = triangle_polydata((mesh.vertices - project.origin).astype(np.float32),
                             mesh.triangles)
    actor = vtkActor()
    actor.SetMapper(_mapper(poly))
    view.scene.renderer.AddActor(actor)
    cams = cameras(bbox)
    eye, focal = cams["middle"]
    project.camera.state = CameraState(tuple(eye), tuple(focal), (0, 0, 1), 30.0)
    view.scene.renderer.ResetCameraClippingRange()
    view.window.Render()
    first = time.perf_counter() - start
    out = {"first_frame_s": first, "fps": {}, "triangles": mesh.n_triangles,
           "leaves": len(leaves)}
    for name, (eye, focal) in cams.items():
        out["fps"][name] = orbit(view, project, eye, focal, frames, lambda: None)
    out["rss_mb"] = rss_mb() - rss0
    view.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tiles", type=int, default=10_000)
    parser.add_argument("--frames", type=int, default=20)
    parser.add_argument("--small", action="store_true", help="2,000 tiles, 10 frames")
    parser.add_argument("--budget-mb", type=float, default=0.0,
                        help="the view's memory budget (default: the adapter's, 512 MB)")
    parser.add_argument("--phase", choices=("view", "baseline"))
    parser.add_argument("--path", type=Path)
    args = parser.parse_args()
    if args.small:
        args.tiles, args.frames = 2000, 10
    if args.phase:
        if args.phase == "view":
            print(json.dumps(phase_view(args.path, args.frames, args.budget_mb)))
        else:
            print(json.dumps(phase_baseline(args.path, args.frames)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        path = generate(Path(tmp), args.tiles)
        size = sum(f.stat().st_size for f in Path(tmp).rglob("*") if f.is_file())
        print(f"generated {args.tiles} tiles ({size / 2**20:.0f} MB) in "
              f"{time.perf_counter() - t0:.0f} s")
        results = {}
        for phase in ("view", "baseline"):
            done = subprocess.run([sys.executable, __file__, "--phase", phase, "--path",
                                   str(path), "--frames", str(args.frames),
                                   "--budget-mb", str(args.budget_mb)],
                                  capture_output=True, text=True, check=False)
            if done.returncode:
                sys.exit(f"the {phase} phase failed:\n{done.stderr[-3000:]}")
            results[phase] = json.loads(done.stdout.strip().splitlines()[-1])
    v, b = results["view"], results["baseline"]
    print(f"tiles in the tileset: {v['tiles']}; leaves read by the baseline: {b['leaves']} "
          f"({b['triangles']:,} triangles)")
    print(f"first frame:   3D Tiles view {v['first_frame_s']:.2f} s (root content), refined "
          f"{v['refined_s']:.2f} s; baseline {b['first_frame_s']:.2f} s  "
          f"-> {b['first_frame_s'] / v['first_frame_s']:.1f}x sooner")
    for name in v["fps"]:
        print(f"orbit {name:6s}: 3D Tiles {v['fps'][name]:6.1f} fps ({v['drawn_tiles'][name]} "
              f"tiles, {v['drawn_triangles'][name]:,} triangles); baseline "
              f"{b['fps'][name]:6.1f} fps -> {v['fps'][name] / b['fps'][name]:.1f}x")
    print(f"an empty frame (layer hidden): {v['empty_fps']:.1f} fps, the ceiling here")
    print(f"memory:        3D Tiles resident {v['resident_mb']:.0f} MB of a {v['budget_mb']:.0f} "
          f"MB budget ({v['loaded']} loads, {v['evicted']} evictions), process +"
          f"{v['rss_mb']:.0f} MB; baseline process +{b['rss_mb']:.0f} MB "
          f"(untextured) -> {b['rss_mb'] / max(v['rss_mb'], 1):.1f}x")


if __name__ == "__main__":
    main()
