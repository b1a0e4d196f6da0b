"""Generators of hostile inputs for the fault-injection suite (no reader code used)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ORIGIN = (500000.0, 2500000.0)


def box_rings(x: float, y: float, h: float, size: float = 10.0) -> list[list[tuple]]:
    """The six faces of a box as closed rings of (x, y, z)."""
    x1, y1 = x + size, y + size
    return [
        [(x, y, 0), (x, y1, 0), (x1, y1, 0), (x1, y, 0)],
        [(x, y, h), (x1, y, h), (x1, y1, h), (x, y1, h)],
        [(x, y, 0), (x1, y, 0), (x1, y, h), (x, y, h)],
        [(x1, y, 0), (x1, y1, 0), (x1, y1, h), (x1, y, h)],
        [(x1, y1, 0), (x, y1, 0), (x, y1, h), (x1, y1, h)],
        [(x, y1, 0), (x, y, 0), (x, y, h), (x, y1, h)],
    ]


def citygml(path: Path, n: int = 100, bad: dict[int, str] | None = None) -> Path:
    """``n`` LoD1 box buildings ``b0..``; ``bad[i]`` replaces one coordinate of building i."""
    bad = bad or {}
    members = []
    for i in range(n):
        x, y = ORIGIN[0] + (i % 10) * 20, ORIGIN[1] + (i // 10) * 20
        polys = []
        for k, ring in enumerate(box_rings(x, y, 10.0 + i % 5)):
            coords = [c for p in [*ring, ring[0]] for c in p]
            text = [repr(float(c)) for c in coords]
            if i in bad and k == 1:
                text[0] = bad[i]
            polys.append("<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing>"
                         f"<gml:posList>{' '.join(text)}</gml:posList>"
                         "</gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>")
        members.append(
            f'<cityObjectMember><bldg:Building gml:id="b{i}"><bldg:lod1Solid><gml:Solid>'
            f"<gml:exterior><gml:CompositeSurface>{''.join(polys)}</gml:CompositeSurface>"
            "</gml:exterior></gml:Solid></bldg:lod1Solid></bldg:Building></cityObjectMember>")
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<CityModel xmlns="http://www.opengis.net/citygml/2.0" '
        'xmlns:bldg="http://www.opengis.net/citygml/building/2.0" '
        'xmlns:gml="http://www.opengis.net/gml">'
        '<gml:boundedBy><gml:Envelope srsName="EPSG:32650" srsDimension="3">'
        f"<gml:lowerCorner>{ORIGIN[0]} {ORIGIN[1]} 0</gml:lowerCorner>"
        f"<gml:upperCorner>{ORIGIN[0] + 200} {ORIGIN[1] + 200} 20</gml:upperCorner>"
        "</gml:Envelope></gml:boundedBy>" + "".join(members) + "</CityModel>",
        encoding="utf-8")
    return path


def cityjson_doc(n: int = 20, far: dict[int, tuple[float, float, float]] | None = None,
                 geometry: bool = True) -> dict:
    """``n`` box buildings; ``far[i]`` moves building i to that point (no transform)."""
    far = far or {}
    vertices: list[list[float]] = []
    objects = {}
    for i in range(n):
        x, y = ORIGIN[0] + (i % 10) * 20, ORIGIN[1] + (i // 10) * 20
        h = 10.0
        if i in far:
            x, y, h = far[i]
        shells = []
        for ring in box_rings(x, y, h):
            start = len(vertices)
            vertices.extend([list(p) for p in ring])
            shells.append([list(range(start, start + 4))])
        geom = [{"type": "Solid", "lod": "1", "boundaries": [shells]}] if geometry else []
        objects[f"b{i}"] = {"type": "Building", "geometry": geom}
    return {"type": "CityJSON", "version": "2.0",
            "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/32650"},
            "CityObjects": objects, "vertices": vertices if geometry else []}


def cityjson(path: Path, **kwargs) -> Path:
    path.write_text(json.dumps(cityjson_doc(**kwargs)), encoding="utf-8")
    return path


def project(path: Path, layers: list[dict], **extra) -> Path:
    data = {"format": "cimviewer project", "schema_version": 2, "layers": layers, **extra}
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


# --- running the CLI and judging its errors ----------------------------------------------
ROOT = Path(__file__).resolve().parents[2]
posix_only = pytest.mark.skipif(os.name == "nt", reason="FIFOs are POSIX")


def run_cli(*argv: str, timeout: float = 60, env: dict | None = None,
            cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``python -m cimviewer ARGV`` with a hard time bound (a hang fails the test)."""
    full_env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen",
                    **(env or {}))
    return subprocess.run([sys.executable, "-m", "cimviewer", *argv], capture_output=True,
                          text=True, timeout=timeout, env=full_env, cwd=cwd)


def one_line_error(proc: subprocess.CompletedProcess, *words: str) -> str:
    """The process failed with exactly one error line, no traceback, naming ``words``."""
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if "error" in line]
    assert len(errors) == 1, proc.stderr
    for word in words:
        assert word in errors[0], errors[0]
    return errors[0]


