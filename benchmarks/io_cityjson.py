#!/usr/bin/env python3
"""CityJSON loading: our reader (parse + triangulate to render-ready arrays) against cjio.

Generates, deterministically, a CityJSON 2.0 file of N LoD2 buildings (Solids with
semantics; flat, gabled and hipped roofs; rectangles, L / U shapes, many-sided and
concave footprints, courtyards with holes) and measures, each in its own subprocess so
that peak memory (VmHWM / max RSS) is per measurement:

* ``ours``: ``cimviewer.io.cityjson.reader.read_cityjson`` -- parse, validate, triangulate;
* ``cjio-parse``: ``cjio.cityjson.reader(open(file))`` (cjio's parse alone);
* ``cjio-tri``: cjio's parse + ``.triangulate(sloppy=True)`` (mapbox-earcut), on a
  subset of ``--cjio-tri-n`` buildings when that is smaller than N, extrapolated linearly
  (said so in the output);
* ``orjson``: ``orjson.loads`` alone (garbage collector paused, as in our reader): the
  floor for any Python reader that builds the JSON objects.

    .venv/bin/python benchmarks/io_cityjson.py [--n 100000] [--workdir DIR]
Goal: ours <= cjio-parse, and >= 10x faster than cjio parse + triangulate.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

# -- generating the city -------------------------------------------------------------------

ROOF_MIX = (("rect-flat", 0.20), ("rect-gabled", 0.25), ("rect-hipped", 0.15),
            ("L-flat", 0.15), ("U-flat", 0.07), ("poly-flat", 0.15), ("court-flat", 0.03))


def _footprint(kind: str, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray | None]:
    """Counter-clockwise footprint (k, 2) in metres around (0, 0), and an optional hole."""
    w, d = rng.uniform(6, 25), rng.uniform(6, 15)
    if kind.startswith("rect"):
        return np.array([[0, 0], [w, 0], [w, d], [0, d]]), None
    if kind.startswith("L"):
        a, b = w * rng.uniform(0.3, 0.7), d * rng.uniform(0.3, 0.7)
        return np.array([[0, 0], [w, 0], [w, b], [a, b], [a, d], [0, d]]), None
    if kind.startswith("U"):
        a = w * rng.uniform(0.2, 0.35)
        b = d * rng.uniform(0.3, 0.7)
        return np.array([[0, 0], [w, 0], [w, d], [w - a, d], [w - a, b], [a, b], [a, d],
                         [0, d]]), None
    if kind.startswith("court"):
        outer = np.array([[0, 0], [w + 10, 0], [w + 10, d + 10], [0, d + 10]])
        hole = np.array([[5, 5], [5, d + 5], [w + 5, d + 5], [w + 5, 5]])  # clockwise
        return outer, hole
    k = int(rng.integers(8, 17))
    angles = np.sort(rng.uniform(0, 2 * np.pi, k))
    radii = rng.uniform(0.6, 1.0, k) * w / 2
    return np.stack([radii * np.cos(angles), radii * np.sin(angles)], axis=1), None


def _building(kind: str, x0: float, y0: float, rng: np.random.Generator,
              ) -> tuple[list[list[float]], list, list[int]]:
    """Vertices (metres), Solid shell surfaces (local indices), semantic value per surface."""
    foot, hole = _footprint(kind, rng)
    foot = foot + np.array([x0, y0])
    k = len(foot)
    z0, h = rng.uniform(-1, 2), rng.uniform(3, 30)
    verts = [[x, y, z0] for x, y in foot] + [[x, y, z0 + h] for x, y in foot]
    b = list(range(k))
    t = [k + i for i in range(k)]
    ground, roof, wall = 0, 1, 2
    surfaces: list = [[b[::-1]]]
    values = [ground]
    if hole is not None:
        hole = hole + np.array([x0, y0])
        n = len(verts)
        verts += [[x, y, z0] for x, y in hole] + [[x, y, z0 + h] for x, y in hole]
        hb = [n + i for i in range(len(hole))]
        ht = [n + len(hole) + i for i in range(len(hole))]
        surfaces[0].append(hb[::-1])
        surfaces.append([t, ht])
        values.append(roof)
        for i in range(len(hole)):
            j = (i + 1) % len(hole)
            surfaces.append([[hb[i], hb[j], ht[j], ht[i]]])
            values.append(wall)
    elif kind in ("rect-gabled", "rect-hipped"):
        ridge = h + rng.uniform(2, 6)
        c0, c1 = (foot[3] + foot[0]) / 2, (foot[1] + foot[2]) / 2
        if kind == "rect-hipped":
            inset = (c1 - c0) * rng.uniform(0.15, 0.35)
            c0, c1 = c0 + inset, c1 - inset
        r0, r1 = len(verts), len(verts) + 1
        verts += [[*c0, z0 + ridge], [*c1, z0 + ridge]]
        if kind == "rect-gabled":
            surfaces += [[[t[0], t[1], r1, r0]], [[t[2], t[3], r0, r1]]]
            values += [roof, roof]
            walls = [[b[0], b[1], t[1], t[0]], [b[1], b[2], t[2], r1, t[1]],
                     [b[2], b[3], t[3], t[2]], [b[3], b[0], t[0], r0, t[3]]]
        else:
            surfaces += [[[t[0], t[1], r1, r0]], [[t[1], t[2], r1]],
                         [[t[2], t[3], r0, r1]], [[t[3], t[0], r0]]]
            values += [roof] * 4
            walls = [[b[i], b[(i + 1) % 4], t[(i + 1) % 4], t[i]] for i in range(4)]
        surfaces += [[w] for w in walls]
        values += [wall] * 4
        return verts, surfaces, values
    else:
        surfaces.append([t])
        values.append(roof)
    for i in range(k):
        j = (i + 1) % k
        surfaces.append([[b[i], b[j], t[j], t[i]]])
        values.append(wall)
    return verts, surfaces, values


def generate(n: int, path: Path, seed: int = 7) -> dict:
    """Write a CityJSON 2.0 file with ``n`` LoD2 buildings; return a summary."""
    import orjson

    rng = np.random.default_rng(seed)
    kinds = rng.choice([k for k, _ in ROOF_MIX], size=n, p=[p for _, p in ROOF_MIX])
    side = math.ceil(math.sqrt(n))
    scale, translate = 0.001, np.array([85000.0, 447000.0, 0.0])
    all_vertices: list = []
    objects: dict = {}
    n_surfaces = 0
    for i, kind in enumerate(kinds):
        x0, y0 = (i % side) * 40.0, (i // side) * 40.0
        verts, surfaces, values = _building(str(kind), x0, y0, rng)
        base = len(all_vertices)
        all_vertices += verts
        shell = [[[v + base for v in ring] for ring in surface] for surface in surfaces]
        n_surfaces += len(shell)
        oid = f"NL.IMBAG.Pand.{i:010d}"
        objects[oid] = {
            "type": "Building",
            "attributes": {
                "b3_bouwlagen": int(rng.integers(1, 8)),
                "b3_dak_type": "slanted" if "gabled" in kind or "hipped" in kind else "flat",
                "b3_h_dak_max": round(float(verts[-1][2]), 2),
                "b3_h_maaiveld": round(float(verts[0][2]), 2),
                "oorspronkelijkbouwjaar": int(rng.integers(1700, 2024)),
                "status": "Pand in gebruik",
                "identificatie": oid,
            },
            "geometry": [{
                "type": "Solid",
                "lod": "2.2",
                "boundaries": [shell],
                "semantics": {"surfaces": [{"type": "GroundSurface"}, {"type": "RoofSurface"},
                                           {"type": "WallSurface"}],
                              "values": [values]},
            }],
        }
    ints = np.round((np.array(all_vertices) - translate) / scale).astype(np.int64)
    doc = {
        "type": "CityJSON",
        "version": "2.0",
        "transform": {"scale": [scale] * 3, "translate": translate.tolist()},
        "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/7415",
                     "title": f"benchmark city, {n} LoD2 buildings"},
        "CityObjects": objects,
        "vertices": ints.tolist(),
    }
    path.write_bytes(orjson.dumps(doc))
    return {"buildings": n, "vertices": len(all_vertices), "surfaces": n_surfaces,
            "mb": path.stat().st_size / 1e6}


def subset(src: Path, dst: Path, n: int) -> None:
    """The first ``n`` buildings of ``src`` (same vertex array; cjio only reads it)."""
    import orjson

    doc = orjson.loads(src.read_bytes())
    keep = dict(list(doc["CityObjects"].items())[:n])
    last = max(v for co in keep.values() for g in co["geometry"]
               for shell in g["boundaries"] for s in shell for r in s for v in r)
    doc["CityObjects"] = keep
    doc["vertices"] = doc["vertices"][:last + 1]
    dst.write_bytes(orjson.dumps(doc))


# -- measurements (each runs in a fresh subprocess) ---------------------------------------

def _maxrss_mb() -> float:
    """Peak resident memory of this process (VmHWM on Linux: unlike ru_maxrss, it does not
    include the parent's memory that a child inherits across fork + exec)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def measure(kind: str, path: Path) -> dict:
    if kind == "ours":
        from cimviewer.io.cityjson.reader import read_cityjson
    elif kind.startswith("cjio"):
        from cjio import cityjson
    import orjson

    base = _maxrss_mb()
    t0 = time.perf_counter()
    info: dict = {}
    if kind == "ours":
        model = read_cityjson(path)
        info["triangles"] = sum(m.n_triangles for m in model.meshes.values())
        info["objects"] = len(model.objects)
    elif kind == "orjson":
        import gc

        gc.disable()  # as our reader does: the floor for any Python reader
        orjson.loads(path.read_bytes())
    elif kind == "json":
        with path.open("rb") as f:
            json.load(f)
    else:
        with path.open() as f:
            cm = cityjson.reader(f)
        if kind == "cjio-tri":
            cm.triangulate(True)
            info["triangles"] = sum(
                len(s) for co in cm.j["CityObjects"].values() for g in co.get("geometry", [])
                for shell in g["boundaries"] for s in shell)
        info["objects"] = len(cm.j["CityObjects"])
    info.update(seconds=time.perf_counter() - t0, peak_mb=_maxrss_mb(), import_mb=base)
    return info


def run_measure(kind: str, path: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    out = subprocess.run([sys.executable, __file__, "--measure", kind, "--file", str(path)],
                         capture_output=True, text=True, env=env, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{kind} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of buildings")
    parser.add_argument("--workdir", type=Path, help="where to write the file (default: temp)")
    parser.add_argument("--cjio-tri-n", type=int, default=10_000,
                        help="buildings for cjio's triangulation (extrapolated to N)")
    parser.add_argument("--skip", default="", help="comma-separated measurements to skip")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.file)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        path = work / f"bench_{args.n}.city.json"
        t0 = time.perf_counter()
        if not path.exists():
            summary = generate(args.n, path)
            print(f"generated {path.name}: {summary['buildings']} buildings, "
                  f"{summary['vertices']} vertices, {summary['surfaces']} surfaces, "
                  f"{summary['mb']:.0f} MB in {time.perf_counter() - t0:.1f} s")
        else:
            print(f"using existing {path} ({path.stat().st_size / 1e6:.0f} MB)")
        skip = set(args.skip.split(","))
        results: dict[str, dict] = {}
        for kind in ("orjson", "ours", "cjio-parse"):
            if kind not in skip:
                results[kind] = run_measure(kind, path)
        if "cjio-tri" not in skip:
            tri_n = min(args.cjio_tri_n, args.n)
            tri_path = path
            if tri_n < args.n:
                tri_path = work / f"bench_{args.n}_first{tri_n}.city.json"
                subset(path, tri_path, tri_n)
            r = run_measure("cjio-tri", tri_path)
            r["measured_on"] = tri_n
            r["seconds_measured"] = r["seconds"]
            r["seconds"] = r["seconds"] * args.n / tri_n
            results["cjio-tri"] = r
        report(results, args.n)


def report(results: dict[str, dict], n: int) -> None:
    print(f"\n{'measurement':<34}{'seconds':>10}{'peak MB':>10}   notes")
    labels = {"orjson": "orjson.loads, gc paused (floor)",
              "ours": "ours: read_cityjson (parse+tri)",
              "cjio-parse": "cjio parse", "cjio-tri": "cjio parse + triangulate"}
    for kind, r in results.items():
        note = ""
        if kind == "ours":
            note = f"{r['triangles']:,} triangles, {r['objects']:,} objects"
        if kind == "cjio-tri" and r["measured_on"] < n:
            note = (f"measured {r['seconds_measured']:.1f} s on the first {r['measured_on']:,} "
                    f"buildings, extrapolated x{n / r['measured_on']:.0f} (peak MB is the "
                    "subset's)")
        print(f"{labels[kind]:<34}{r['seconds']:>10.2f}{r['peak_mb']:>10.0f}   {note}")
    if "ours" in results:
        ours = results["ours"]["seconds"]
        for kind in ("cjio-parse", "cjio-tri"):
            if kind in results:
                print(f"{labels[kind]} / ours: {results[kind]['seconds'] / ours:.1f}x")
        ok_parse = "cjio-parse" not in results or ours <= results["cjio-parse"]["seconds"]
        ok_tri = "cjio-tri" not in results or results["cjio-tri"]["seconds"] >= 10 * ours
        print(f"goal ours <= cjio parse: {'met' if ok_parse else 'NOT met'}; "
              f"ours >= 10x faster than cjio parse+triangulate: {'met' if ok_tri else 'NOT met'}")


if __name__ == "__main__":
    main()
