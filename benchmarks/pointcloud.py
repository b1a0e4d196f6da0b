"""Point cloud benchmark: a generated LAZ of N points (default 100 million) drawn with
the LoD point budget, against reading it whole with laspy and drawing every point.

    python benchmarks/pointcloud.py                 # 100 M points (needs ~25 GB RAM)
    python benchmarks/pointcloud.py --points 20e6   # what a laptop does in minutes
    python benchmarks/pointcloud.py --small         # 2 M points, a quick check

The LAZ (terrain with building-like boxes and trees, RGB, ASPRS classes) is cached in
``--cache`` (default: the user cache folder) so later runs skip writing it. Each side
runs in its own process, so its peak memory (ru_maxrss) is its own:

- cimviewer: ``open_layer`` (chunked read, LoD order) + the adapter, offscreen, with
  its frame budget (3 M points on a GPU, 300 k on a software rasterizer);
- baseline: ``laspy.read`` of the whole file, every point in one VTK actor.

Printed: time to first frame, orbit frames per second (a full turn in ``--frames``
steps), points drawn per frame, peak memory; and the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

EXTENT_M = 4000.0  # side of the square the points cover
CHUNK = 2_000_000  # points generated and compressed at a time
GROUND, HIGH_VEGETATION, BUILDING = 2, 5, 6


def _ground_z(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (20 * np.sin(x / 700.0) * np.cos(y / 900.0) + 8 * np.sin((x + y) / 230.0)
            + 0.002 * x)


def _buildings(rng: np.random.Generator, count: int = 4000) -> np.ndarray:
    """(count, 5): centre x, y, half width, half depth, height."""
    centre = rng.random((count, 2)) * (EXTENT_M - 100) + 50
    half = rng.uniform(6, 25, (count, 2))
    height = rng.gamma(3.0, 6.0, count) + 4
    return np.column_stack([centre, half, height])


def _chunk(rng: np.random.Generator, n: int, boxes: np.ndarray):
    """Points of one chunk: 60 % ground, 30 % building roofs and walls, 10 % trees."""
    kind = rng.choice(3, n, p=[0.6, 0.3, 0.1])
    x = rng.random(n) * EXTENT_M
    y = rng.random(n) * EXTENT_M
    z = _ground_z(x, y)
    cls = np.full(n, GROUND, np.uint8)
    rgb = np.empty((n, 3), np.uint16)
    shade = rng.integers(-12, 12, n)
    rgb[:] = np.column_stack([120 + shade, 110 + shade, 80 + shade])
    b = np.flatnonzero(kind == 1)
    box = boxes[rng.integers(0, len(boxes), len(b))]
    u, v = rng.uniform(-1, 1, (2, len(b)))
    wall = rng.random(len(b)) < 0.35
    side = rng.integers(0, 2, len(b))
    u = np.where(wall & (side == 0), np.sign(u), u)  # on a wall: x at the box's edge
    v = np.where(wall & (side == 1), np.sign(v), v)
    x[b] = box[:, 0] + u * box[:, 2]
    y[b] = box[:, 1] + v * box[:, 3]
    base = _ground_z(box[:, 0], box[:, 1])
    z[b] = base + np.where(wall, rng.random(len(b)), 1.0) * box[:, 4]
    cls[b] = BUILDING
    roof = rng.integers(150, 230, len(b))
    rgb[b] = np.column_stack([roof, roof - 40, roof - 60])
    t = np.flatnonzero(kind == 2)
    z[t] += rng.uniform(2, 15, len(t))
    cls[t] = HIGH_VEGETATION
    rgb[t] = np.column_stack([40 + shade[t], 110 + shade[t], 40 + shade[t]])
    return x, y, z, cls, np.clip(rgb, 0, 255) * 257


def generate(path: Path, n_points: int, seed: int = 7) -> Path:
    """Write the benchmark LAZ (point format 7, EPSG:4547) in chunks."""
    import laspy
    from pyproj import CRS

    rng = np.random.default_rng(seed)
    boxes = _buildings(rng)
    header = laspy.LasHeader(point_format=7, version="1.4")
    header.offsets = np.array([500_000.0, 2_490_000.0, 0.0])
    header.scales = np.array([0.001, 0.001, 0.001])
    header.add_crs(CRS.from_epsg(4547))
    tmp = path.with_suffix(".part")
    with laspy.open(tmp, mode="w", header=header) as writer:
        done = 0
        while done < n_points:
            m = min(CHUNK, n_points - done)
            x, y, z, cls, rgb = _chunk(rng, m, boxes)
            record = laspy.ScaleAwarePointRecord.zeros(m, header=header)
            record.x = x + 500_000.0
            record.y = y + 2_490_000.0
            record.z = z + 50.0
            record.classification = cls
            record.red, record.green, record.blue = rgb[:, 0], rgb[:, 1], rgb[:, 2]
            record.intensity = rng.integers(0, 4000, m).astype(np.uint16)
            writer.write_points(record)
            done += m
    tmp.replace(path)
    return path


def _peak_mb() -> float | None:
    try:
        import resource
    except ImportError:  # Windows: no ru_maxrss
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _orbit(window, renderer, frames: int) -> float:
    camera = renderer.GetActiveCamera()
    start = time.perf_counter()
    for _ in range(frames):
        camera.Azimuth(360.0 / frames)
        renderer.ResetCameraClippingRange()
        window.Render()
    return frames / (time.perf_counter() - start)


def run_cimviewer(path: Path, size: tuple[int, int], frames: int) -> dict:
    from cimviewer.core.project import Project
    from cimviewer.io.layers import open_layer
    from cimviewer.render.snapshot import OffscreenView

    start = time.perf_counter()
    layer = open_layer(path)
    read_s = time.perf_counter() - start
    project = Project()
    project.add_layer(layer)
    view = OffscreenView(project, size)
    view.scene.renderer.ResetCameraClippingRange()
    view.window.Render()
    first = time.perf_counter() - start
    adapter = view.scene.adapters[layer.uid]
    view.window.Render()  # the driver is known now: the budget follows it
    fps = _orbit(view.window, view.scene.renderer, frames)
    drawn = adapter.drawn_points
    out = {"first_frame_s": first, "read_s": read_s, "fps": fps, "drawn": drawn,
           "budget": adapter.frame_budget, "nodes": layer.cloud.lod.n_nodes,
           "points": layer.cloud.n_points, "peak_mb": _peak_mb()}
    view.close()
    return out


def run_baseline(path: Path, size: tuple[int, int], frames: int) -> dict:
    import laspy
    import vtkmodules.vtkRenderingOpenGL2  # noqa: F401
    from vtkmodules.vtkCommonDataModel import vtkPolyData
    from vtkmodules.vtkRenderingCore import (
        vtkActor,
        vtkPolyDataMapper,
        vtkRenderer,
        vtkRenderWindow,
    )

    from cimviewer.render.vtk_arrays import add_array, cell_array, vtk_points

    start = time.perf_counter()
    las = laspy.read(path)
    read_s = time.perf_counter() - start
    centre = (np.asarray(las.header.mins) + np.asarray(las.header.maxs)) / 2
    xyz = np.column_stack([np.asarray(las.x) - centre[0], np.asarray(las.y) - centre[1],
                           np.asarray(las.z) - centre[2]]).astype(np.float32)
    rgb = np.column_stack([np.asarray(las.red) >> 8, np.asarray(las.green) >> 8,
                           np.asarray(las.blue) >> 8]).astype(np.uint8)
    n = len(xyz)
    poly = vtkPolyData()
    poly.SetPoints(vtk_points(xyz))
    poly.SetVerts(cell_array(np.arange(n), offsets=np.array([0, n])))
    add_array(poly.GetPointData(), rgb, "colors", scalars=True)
    del xyz, rgb
    mapper = vtkPolyDataMapper()
    mapper.SetInputData(poly)
    mapper.SetColorModeToDirectScalars()
    actor = vtkActor()
    actor.SetMapper(mapper)
    actor.GetProperty().SetPointSize(2)
    actor.GetProperty().LightingOff()
    renderer = vtkRenderer()
    renderer.AddActor(actor)
    window = vtkRenderWindow()
    window.SetOffScreenRendering(1)
    window.SetSize(*size)
    window.AddRenderer(renderer)
    renderer.ResetCamera()
    renderer.GetActiveCamera().Elevation(-40)
    renderer.ResetCameraClippingRange()
    window.Render()
    first = time.perf_counter() - start
    fps = _orbit(window, renderer, frames)
    out = {"first_frame_s": first, "read_s": read_s, "fps": fps, "drawn": n,
           "points": n, "peak_mb": _peak_mb()}
    window.Finalize()
    return out


def _child(side: str, path: Path, size: tuple[int, int], frames: int) -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get(
        "PYTHONPATH", "")]))
    cmd = [sys.executable, __file__, "--run", side, "--file", str(path), "--frames",
           str(frames), "--size", f"{size[0]}x{size[1]}"]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=6 * 3600)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return {"error": f"exit {done.returncode}: {' | '.join(tail)}"}
    return json.loads(lines[-1])


def _cache_dir(option: str | None) -> Path:
    if option:
        return Path(option)
    try:
        from platformdirs import user_cache_dir

        return Path(user_cache_dir("cimviewer")) / "benchmarks"
    except ImportError:
        return Path(tempfile.gettempdir()) / "cimviewer-benchmarks"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=float, default=100e6, help="points (default 100e6)")
    parser.add_argument("--small", action="store_true", help="2 million points")
    parser.add_argument("--frames", type=int, default=24, help="orbit frames (a full turn)")
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--cache", help="folder of the generated LAZ")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip laspy.read + one actor (it needs ~100 bytes a point)")
    parser.add_argument("--run", choices=("cimviewer", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    size = tuple(int(v) for v in args.size.lower().split("x"))
    if args.run:
        runner = run_cimviewer if args.run == "cimviewer" else run_baseline
        print(json.dumps(runner(Path(args.file), size, args.frames)))  # type: ignore[arg-type]
        return 0
    n = 2_000_000 if args.small else int(args.points)
    folder = _cache_dir(args.cache)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"pointcloud_{n}.laz"
    if not path.exists():
        start = time.perf_counter()
        generate(path, n)
        print(f"wrote {path} ({path.stat().st_size / 2**20:,.0f} MB) in "
              f"{time.perf_counter() - start:,.0f} s")
    print(f"{n:,} points, {path.stat().st_size / 2**20:,.0f} MB LAZ, {size[0]}x{size[1]}, "
          f"{args.frames} orbit frames")
    ours = _child("cimviewer", path, size, args.frames)  # type: ignore[arg-type]
    base = ({"error": "skipped"} if args.no_baseline
            else _child("baseline", path, size, args.frames))  # type: ignore[arg-type]
    rows = (("time to first frame (s)", "first_frame_s", "{:,.1f}"),
            ("  of which reading (s)", "read_s", "{:,.1f}"),
            ("orbit (frames/s)", "fps", "{:,.2f}"),
            ("points drawn per frame", "drawn", "{:,}"),
            ("peak memory (MB)", "peak_mb", "{:,.0f}"))
    print(f"{'':26}{'cimviewer':>16}{'laspy + 1 actor':>18}")
    for label, key, fmt in rows:
        cells = []
        for result in (ours, base):
            value = result.get(key)
            cells.append(fmt.format(value) if value is not None else
                         result.get("error", "-")[:16])
        print(f"{label:26}{cells[0]:>16}{cells[1]:>18}")
    if "error" in ours:
        print(f"cimviewer: {ours['error']}")
    if "error" in base:
        print(f"baseline: {base['error']}")
    if "error" not in ours:
        print(f"cimviewer: {ours['nodes']} nodes, budget {ours['budget']:,} points a frame")
    if "error" not in ours and "error" not in base:
        print(f"ratios (baseline / cimviewer): first frame "
              f"{base['first_frame_s'] / ours['first_frame_s']:.2f}x, "
              f"orbit fps {ours['fps'] / base['fps']:.1f}x faster, peak memory "
              f"{base['peak_mb'] / ours['peak_mb']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
