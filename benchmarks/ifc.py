#!/usr/bin/env python3
"""IFC reading: a generated building of N walls (each with a window opening cut out and a
property set), read by ``cimviewer.io.ifc.reader.read_ifc``.

Times, in one run, the whole read (objects, properties, triangulation, placement) with:

* the baseline: ifcopenshell's OpenCascade kernel on one thread;
* ours: the reader's default (CGAL's simple kernel, OpenCascade where it fails; one
  thread below ``THREADED_BYTES``);
* ours with the iterator's thread pool (all cores), to show where threads pay.

Checks that every run gives the same triangles' total area (openings cut alike).

    .venv/bin/python benchmarks/ifc.py [--walls 3000] [--small]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cimviewer.io.ifc import reader


def write_building(path: Path, walls: int) -> None:
    import ifcopenshell.api.project
    from ifcopenshell.api import run

    f = ifcopenshell.api.project.create_file(version="IFC4")
    project = run("root.create_entity", f, ifc_class="IfcProject", name="Benchmark")
    run("unit.assign_unit", f, units=[run("unit.add_si_unit", f, unit_type="LENGTHUNIT")])
    model = run("context.add_context", f, context_type="Model")
    body = run("context.add_context", f, context_type="Model", context_identifier="Body",
               target_view="MODEL_VIEW", parent=model)
    building = run("root.create_entity", f, ifc_class="IfcBuilding", name="Block")
    run("aggregate.assign_object", f, relating_object=project, products=[building])
    storeys = {}
    elements: dict[int, list] = {}
    for i in range(walls):
        level = i // 500
        if level not in storeys:
            storeys[level] = run("root.create_entity", f, ifc_class="IfcBuildingStorey",
                                 name=f"Level {level}")
            run("aggregate.assign_object", f, relating_object=building,
                products=[storeys[level]])
            elements[level] = []
        wall = run("root.create_entity", f, ifc_class="IfcWall", name=f"Wall {i}")
        rep = run("geometry.add_wall_representation", f, context=body, length=5.0, height=3.0,
                  thickness=0.2)
        run("geometry.assign_representation", f, product=wall, representation=rep)
        matrix = np.eye(4)
        matrix[:3, 3] = ((i % 50) * 6.0, (i // 50 % 10) * 2.0, level * 3.0)
        run("geometry.edit_object_placement", f, product=wall, matrix=matrix)
        opening = run("root.create_entity", f, ifc_class="IfcOpeningElement")
        rep = run("geometry.add_wall_representation", f, context=body, length=1.0, height=1.0,
                  thickness=0.6)
        run("geometry.assign_representation", f, product=opening, representation=rep)
        hole = matrix.copy()
        hole[:3, 3] += (2.0, -0.2, 1.0)
        run("geometry.edit_object_placement", f, product=opening, matrix=hole)
        run("feature.add_feature", f, feature=opening, element=wall)
        pset = run("pset.add_pset", f, product=wall, name="Pset_WallCommon")
        run("pset.edit_pset", f, pset=pset, properties={"IsExternal": i % 2 == 0})
        elements[level].append(wall)
    for level, products in elements.items():
        run("spatial.assign_container", f, relating_structure=storeys[level], products=products)
    f.write(str(path))


def area(mesh) -> float:
    v = mesh.vertices[mesh.triangles]
    return float(np.linalg.norm(np.cross(v[:, 1] - v[:, 0], v[:, 2] - v[:, 0]), axis=1).sum() / 2)


def timed(path: Path, libraries: tuple[str, ...], threaded: bool) -> tuple[float, float, int]:
    reader.GEOMETRY_LIBRARIES = libraries
    reader.THREADED_BYTES = 0 if threaded else 1 << 62
    start = time.perf_counter()
    model = reader.read_ifc(path)
    seconds = time.perf_counter() - start
    mesh = model.meshes[reader.IFC_LOD]
    return seconds, area(mesh), mesh.n_triangles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--walls", type=int, default=3000)
    parser.add_argument("--small", action="store_true", help="300 walls")
    args = parser.parse_args()
    walls = 300 if args.small else args.walls
    defaults = reader.GEOMETRY_LIBRARIES
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "building.ifc"
        start = time.perf_counter()
        write_building(path, walls)
        print(f"{walls} walls with openings: {path.stat().st_size / 2**20:.1f} MB written in "
              f"{time.perf_counter() - start:.1f} s; {os.cpu_count()} cores")
        base = timed(path, ("opencascade",), threaded=False)
        ours = timed(path, defaults, threaded=False)
        pool = timed(path, defaults, threaded=True)
    for name, (seconds, total, tris) in (("baseline OpenCascade, 1 thread", base),
                                         ("ours (CGAL + OpenCascade), 1 thread", ours),
                                         (f"ours, {os.cpu_count()} threads", pool)):
        print(f"{name:40s} {seconds:7.2f} s  {walls / seconds:8.0f} walls/s  "
              f"{tris} triangles, area {total:.1f} m2")
    print(f"ratio baseline / ours: {base[0] / ours[0]:.1f}x; "
          f"one thread / pool: {ours[0] / pool[0]:.2f}x")
    if not (abs(base[1] - ours[1]) < 1e-6 * base[1] and abs(ours[1] - pool[1]) < 1e-6 * ours[1]):
        raise SystemExit("the kernels disagree on the geometry")


if __name__ == "__main__":
    main()
